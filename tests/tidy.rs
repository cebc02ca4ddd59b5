//! Tidy checks: the layering ARCHITECTURE.md promises, kept by a test, and
//! no state name of a shipped workflow definition written in the code.
//!
//! Each rule names the files it covers, the words those files may not use
//! (outside comments) and what to do instead. A broken rule fails with the
//! file, the line and that advice. The rules are checked against samples
//! first, so a rule that stopped catching what it is for fails too.

use std::path::{Path, PathBuf};

/// One layering rule.
struct Rule {
    /// What the rule keeps, for the failure message.
    name: &'static str,
    /// Whether a path (relative to the crate, with `/`) is covered.
    covers: fn(&str) -> bool,
    /// Words a covered file may not use outside comments.
    forbidden: &'static [&'static str],
    /// What to do instead.
    instead: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        name: "http sees only app",
        covers: |path| path.starts_with("src/http/"),
        forbidden: &["crate::store", "sea_orm", "sqlx", ".store."],
        instead: "call one app function and render what it returns; if app lacks the \
                  function or the read model, add it in src/app/ (re-exporting a store \
                  read model there is fine)",
    },
    Rule {
        name: "domain and workflow are pure",
        covers: |path| path.starts_with("src/domain/") || path.starts_with("src/workflow/"),
        forbidden: &[
            "axum",
            "sea_orm",
            "sqlx",
            "tokio",
            "lettre",
            "Utc::now",
            "Local::now",
            "SystemTime::now",
            "Instant::now",
            "std::env",
            "env::var",
            "std::fs",
        ],
        instead: "take the time, settings or file contents as arguments and let app, jobs \
                  or cli (the edges) read the clock, the environment and the disk",
    },
    Rule {
        name: "transactions begin in app",
        covers: |path| path.starts_with("src/") && !path.starts_with("src/app/"),
        forbidden: &[".begin().await", ".begin_with_options("],
        instead: "begin the transaction in the app function that owns the use case and \
                  pass `&Tx` to the store functions it calls (Store::begin in \
                  src/store/mod.rs is the one place that opens one for app)",
    },
    Rule {
        name: "entity models stay in store",
        covers: |path| path.starts_with("src/") && !path.starts_with("src/store/"),
        forbidden: &["store::entities", "entities::"],
        instead: "read a store read model (CaseRecord, PersonRecord, …) or add one in \
                  src/store/ beside the query that fills it",
    },
];

/// The exceptions, each with its reason: (rule, path, word).
const ALLOWED: &[(&str, &str, &str)] = &[(
    "transactions begin in app",
    "src/store/mod.rs",
    ".begin_with_options(",
)];

/// Every offence of `rules` in one file: `path:line: rule: word — advice`.
fn offences(rules: &[Rule], path: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for rule in rules.iter().filter(|r| (r.covers)(path)) {
        for (number, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in rule.forbidden {
                if code.contains(word) && !ALLOWED.contains(&(rule.name, path, word)) {
                    found.push(format!(
                        "{path}:{}: {}: uses `{word}` — {}",
                        number + 1,
                        rule.name,
                        rule.instead
                    ));
                }
            }
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_source_tree_keeps_its_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    assert!(files.len() > 50, "found only {} files", files.len());
    let mut found = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{relative}: {e}"));
        found.extend(offences(RULES, &relative, &text));
    }
    assert!(
        found.is_empty(),
        "{} layering rule(s) broken:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// Checks that `text` at `path` breaks exactly the rules `expected` names.
fn check(path: &str, text: &str, expected: &[&str]) {
    let found = offences(RULES, path, text);
    let broken: Vec<&str> = RULES
        .iter()
        .filter(|r| found.iter().any(|f| f.contains(&format!(": {}: ", r.name))))
        .map(|r| r.name)
        .collect();
    assert_eq!(broken, expected, "{path}: {found:#?}");
}

#[test]
fn each_rule_catches_what_it_is_for_and_only_that() {
    check(
        "src/http/applications.rs",
        "use crate::store::cases;",
        &["http sees only app"],
    );
    check(
        "src/http/system.rs",
        "let ok = state.engine.store.ping().await;",
        &["http sees only app"],
    );
    check(
        "src/http/portal/query.rs",
        "use sea_orm::ConnectionTrait;",
        &["http sees only app"],
    );
    check(
        "src/domain/family.rs",
        "let today = Utc::now();",
        &["domain and workflow are pure"],
    );
    check(
        "src/workflow/machine.rs",
        "let dir = std::env::var(\"X\");",
        &["domain and workflow are pure"],
    );
    check(
        "src/store/cases/edit.rs",
        "let tx = store.begin().await?;",
        &["transactions begin in app"],
    );
    check(
        "src/http/applications.rs",
        "let x = crate::store::entities::member::Entity;",
        &["http sees only app", "entity models stay in store"],
    );
    // Allowed: app begins transactions, store uses its entities, comments
    // may name anything, and http may use app.
    check(
        "src/app/cases/mod.rs",
        "let tx = engine.store.begin().await?;",
        &[],
    );
    check(
        "src/store/cases/load.rs",
        "use crate::store::entities::member;",
        &[],
    );
    check("src/http/queue.rs", "// not crate::store: app", &[]);
    check("src/http/queue.rs", "use crate::app::views;", &[]);
}

/// Where a word that is also a state name means something else, with the
/// reason: (path, word, what it is there).
const NOT_STATES: &[(&str, &str, &str)] = &[
    (
        "src/app/outbox.rs",
        "pending",
        "an outbox row's delivery status",
    ),
    (
        "src/store/cases/mod.rs",
        "pending",
        "an outbox row's delivery status",
    ),
    (
        "src/store/cases/step.rs",
        "pending",
        "an outbox row's delivery status",
    ),
    (
        "src/store/cases/group.rs",
        "pending",
        "an outbox row's delivery status",
    ),
    (
        "src/store/reminders.rs",
        "pending",
        "an outbox row's delivery status",
    ),
    (
        "src/store/tallies.rs",
        "registered",
        "a tally kind: persons registered per day",
    ),
    (
        "src/mail/templates.rs",
        "card_due",
        "a mail template's name",
    ),
    (
        "src/http/dashboard/layout.rs",
        "awaiting_appearance",
        "a part of the cards-due figure (a CSS class and a JSON field)",
    ),
    (
        "src/app/cases/mod.rs",
        "intake",
        "a case's origin: opened at the counter",
    ),
    (
        "src/workflow/definition/meanings.rs",
        "*",
        "the meanings' own vocabulary (outcomes, card stages, keys), which a \
         definition file uses to say what its states mean",
    ),
];

/// The state and member-state names of every definition built into the binary.
fn shipped_state_names() -> std::collections::BTreeSet<String> {
    let registry = casework::app::Registry::load(None).expect("the built-in definitions load");
    let mut names = std::collections::BTreeSet::new();
    for workflow in registry.all() {
        names.extend(workflow.states.iter().map(|s| s.name.clone()));
        names.extend(workflow.member.states.iter().map(|s| s.name.clone()));
    }
    names
}

/// Every state name written as a string (`"name"` or SQL's `'name'`) in
/// `text`, outside comments and the `#[cfg(test)]` module at a file's end.
fn state_names_written(
    names: &std::collections::BTreeSet<String>,
    path: &str,
    text: &str,
) -> Vec<String> {
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("#[cfg(test)]") {
            break;
        }
        let code = line.split("//").next().unwrap_or("");
        for name in names {
            let written = [format!("\"{name}\""), format!("'{name}'")]
                .iter()
                .any(|w| code.contains(w.as_str()));
            let allowed = NOT_STATES
                .iter()
                .any(|(p, w, _)| *p == path && (w == name || *w == "*"));
            if written && !allowed {
                found.push(format!(
                    "{path}:{}: writes the state name '{name}' — read what the state means \
                     from the definition (workflow::definition::meanings: closes, importable, \
                     granted, card, verified, excluded, worked_by) instead of naming it; if the \
                     word means something else there, add it to NOT_STATES with the reason",
                    number + 1
                ));
            }
        }
    }
    found
}

#[test]
fn no_state_name_of_a_shipped_definition_is_written_in_the_code() {
    let names = shipped_state_names();
    assert!(names.contains("collected") && names.len() > 15, "{names:?}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(root)
            .unwrap_or(file)
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{relative}: {e}"));
        found.extend(state_names_written(&names, &relative, &text));
    }
    assert!(
        found.is_empty(),
        "{} state name(s) written in the code:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_state_name_check_catches_names_and_only_names() {
    let names = shipped_state_names();
    let written = |path: &str, text: &str| state_names_written(&names, path, text).len();
    assert_eq!(
        written("src/app/portal/answer.rs", "if m.state == \"printed\" {"),
        1
    );
    assert_eq!(
        written(
            "src/store/bench.rs",
            "\"SELECT 1 FROM members WHERE state = 'collected'\""
        ),
        1
    );
    // A name inside a longer string, in a comment, in the tests at the end
    // or where it means something else is not a state name written.
    assert_eq!(written("src/app/x.rs", "let t = \"card_due_birthday\";"), 0);
    assert_eq!(written("src/app/x.rs", "// m.state == \"printed\""), 0);
    assert_eq!(
        written(
            "src/app/x.rs",
            "fn f() {}\n#[cfg(test)]\nmod tests { \"printed\" }"
        ),
        0
    );
    assert_eq!(written("src/app/outbox.rs", "status: \"pending\""), 0);
    assert_eq!(written("src/app/users.rs", "status: \"pending\""), 1);
}
