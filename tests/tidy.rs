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
    /// Which lines of a covered file are read (the code of every line
    /// unless the rule is about one kind of line).
    lines: fn(&str) -> bool,
    /// Whether a line's code uses a forbidden word (`uses`, its text, for
    /// every rule but one about a kind of character).
    finds: fn(&str, &str) -> bool,
    /// Whether the `#[cfg(test)]` module at a file's end is read too.
    tests_too: bool,
}

/// The code contains the word.
fn uses(code: &str, word: &str) -> bool {
    code.contains(word)
}

/// What the Arabic rule forbids, as its failure names it.
const ARABIC: &str = "Arabic letters";

/// A letter of the Arabic blocks: Arabic, its supplement and the two
/// presentation-form blocks.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The code writes an Arabic letter (in code, only a string or a character
/// literal can).
fn writes_arabic(code: &str, _: &str) -> bool {
    code.chars().any(is_arabic)
}

/// The vocabulary's modules, where the Arabic of messages is written: the
/// grammar of counting and its nouns, the engine's message catalogue and
/// the pages' own.
fn vocabulary(path: &str) -> bool {
    path == "src/domain/language.rs"
        || path.starts_with("src/domain/words/")
        || path.starts_with("src/http/pages/words/")
}

/// Every line of a covered file.
fn every_line(_: &str) -> bool {
    true
}

/// A re-export: `pub use …` or `pub(crate) use …`.
fn re_export(code: &str) -> bool {
    let code = code.trim_start();
    code.starts_with("pub use ")
        || code.starts_with("pub(crate) use ")
        || code.starts_with("pub(super) use ")
}

const RULES: &[Rule] = &[
    Rule {
        name: "http sees only app",
        covers: |path| path.starts_with("src/http/"),
        forbidden: &["crate::store", "sea_orm", "sqlx", ".store."],
        instead: "call one app function and render what it returns; if app lacks the \
                  function or the read model, add it in src/app/ (re-exporting a store \
                  read model there is fine)",
        lines: every_line,
        finds: uses,
        tests_too: true,
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
        lines: every_line,
        finds: uses,
        tests_too: true,
    },
    Rule {
        name: "transactions begin in app",
        covers: |path| path.starts_with("src/") && !path.starts_with("src/app/"),
        forbidden: &[".begin().await", ".begin_with_options("],
        instead: "begin the transaction in the app function that owns the use case and \
                  pass `&Tx` to the store functions it calls (Store::begin in \
                  src/store/mod.rs is the one place that opens one for app)",
        lines: every_line,
        finds: uses,
        tests_too: true,
    },
    Rule {
        name: "entity models stay in store",
        covers: |path| path.starts_with("src/") && !path.starts_with("src/store/"),
        forbidden: &["store::entities", "entities::"],
        instead: "read a store read model (CaseRecord, PersonRecord, …) or add one in \
                  src/store/ beside the query that fills it",
        lines: every_line,
        finds: uses,
        tests_too: true,
    },
    Rule {
        name: "store types keep their names",
        covers: |path| path.starts_with("src/") && !path.starts_with("src/store/entities/"),
        forbidden: &["Model as", "::Model"],
        instead: "define a read model (a plain struct with `From<entity::Model>`) beside the \
                  query that fills it and return that; an entity model re-exported under \
                  another name is still the table's shape leaving the store",
        lines: re_export,
        finds: uses,
        tests_too: true,
    },
    Rule {
        name: "one writer of a case's head row",
        covers: |path| path.starts_with("src/") && path != "src/store/cases/head.rs",
        forbidden: &["UPDATE applications", "application::Entity::update"],
        instead: "change a case's state, version or clock through the step writers, which \
                  call store::cases::head (the one place that writes the row)",
        lines: every_line,
        finds: uses,
        tests_too: true,
    },
    Rule {
        name: "audit events are appended by the step writers",
        covers: |path| {
            path.starts_with("src/")
                && !matches!(
                    path,
                    "src/store/audit.rs" | "src/store/cases/step.rs" | "src/store/cases/group.rs"
                )
        },
        forbidden: &[
            "INSERT INTO audit_events",
            "audit_event::ActiveModel",
            "audit_event::Entity::insert",
        ],
        instead: "record what happened as a step (app seals it, store::cases saves it with the \
                  head row and the outbox in one transaction), so the hash chain has one author",
        lines: every_line,
        finds: uses,
        tests_too: true,
    },
    Rule {
        name: "the store chooses how a step is written",
        covers: |path| path.starts_with("src/app/") || path.starts_with("src/http/"),
        forbidden: &["is_sqlite()", "group_commit()", "save_step"],
        instead: "act on a case through store::cases::step, which reads the case, asks app's \
                  decision what to write and chooses the transaction, the one-step statement \
                  or the committer itself; app is read, decide, seal, and hands the step over",
        lines: every_line,
        finds: uses,
        tests_too: true,
    },
    Rule {
        name: "changing page forms go through Posted",
        covers: |path| path.starts_with("src/http/pages/") && path != "src/http/pages/form.rs",
        forbidden: &["axum::Form", "Form<", "Form(", "Multipart"],
        instead: "take `Posted<YourForm>` (or `PostedUpload` for a file) from \
                  src/http/pages/form.rs: it checks the Origin and the anti-forgery token \
                  before the handler runs and parses the form's typed fields",
        lines: every_line,
        finds: uses,
        tests_too: true,
    },
    Rule {
        name: "Arabic is written in the vocabulary",
        covers: |path| path.starts_with("src/") && !vocabulary(path),
        forbidden: &[ARABIC],
        instead: "name the phrase in a message catalogue and say it from there: \
                  src/domain/words/ for the engine, the use cases, the API, the command line \
                  and the mail (a `Words` constant, or a function returning a `Text` for a \
                  sentence with values; `FieldError::said(field, words::X)`), the pages' \
                  src/http/pages/words/ (`lang.say(&words::NAME)`), src/domain/language.rs \
                  for the nouns counted with `count`; data that is not a message (a table of \
                  letters, demo names) is an allow-line with its reason",
        lines: every_line,
        finds: writes_arabic,
        tests_too: false,
    },
];

/// Why the sign-in page reads its forms itself.
const SIGNIN_WHY: &str = "signing in has no session and so no anti-forgery token yet (it checks the Origin itself), and signing out sends a visitor whose session is gone to /signin instead of refusing";

/// The exceptions: (rule, path, word, why).
const ALLOWED: &[(&str, &str, &str, &str)] = &[
    (
        "changing page forms go through Posted",
        "src/http/pages/signin.rs",
        "axum::Form",
        SIGNIN_WHY,
    ),
    (
        "changing page forms go through Posted",
        "src/http/pages/signin.rs",
        "Form<",
        SIGNIN_WHY,
    ),
    (
        "changing page forms go through Posted",
        "src/http/pages/signin.rs",
        "Form(",
        SIGNIN_WHY,
    ),
    (
        "transactions begin in app",
        "src/store/mod.rs",
        ".begin_with_options(",
        "Store::begin is the one function that opens a transaction for app",
    ),
    (
        "transactions begin in app",
        "src/store/cases/step.rs",
        ".begin().await",
        "store::cases::step is the one entry for acting on a case: whether the step \
         needs a transaction at all (SQLite) or none (PostgreSQL's one statement, the \
         committer) is the store's choice",
    ),
    (
        "one writer of a case's head row",
        "src/store/bench.rs",
        "UPDATE applications",
        "`casework bench transitions` measures the raw database rate with a plain \
         version bump, beside the engine's own path",
    ),
    (
        "audit events are appended by the step writers",
        "src/store/bench.rs",
        "INSERT INTO audit_events",
        "the bench's raw baseline appends an event the way the step writers do, to \
         measure the database alone; it copies demo cases for the bench's scale",
    ),
    // Arabic outside the vocabulary: data that is not a message, each with
    // the number of lines (outside comments and tests) it holds; and the
    // messages of files other changes are rewriting, left for them.
    (
        "Arabic is written in the vocabulary",
        "src/app/bench.rs",
        ARABIC,
        "data, not messages: the names of the family `casework bench` files (8 lines)",
    ),
    (
        "Arabic is written in the vocabulary",
        "src/app/demo/mod.rs",
        ARABIC,
        "data, not messages: the reasons the demo's officers type when they return, withdraw or reject a case, and the document a collector shows (5 lines)",
    ),
    (
        "Arabic is written in the vocabulary",
        "src/app/demo/names.rs",
        ARABIC,
        "data, not messages: the demo province's Arabic given, father's and family names (115 lines)",
    ),
    (
        "Arabic is written in the vocabulary",
        "src/app/demo/persons.rs",
        ARABIC,
        "data, not messages: the reasons the demo's officers type for the second workflow (2 lines)",
    ),
    (
        "Arabic is written in the vocabulary",
        "src/domain/names/search.rs",
        ARABIC,
        "data, not messages: the letters and the compound-name head (عبد) that the search form of a name folds (2 lines)",
    ),
    (
        "Arabic is written in the vocabulary",
        "src/http/portal/mod.rs",
        ARABIC,
        "data, not messages: the portal's OpenAPI title and description, which utoipa takes as literals and openapi/portal.json keeps byte for byte (2 lines)",
    ),
    (
        "Arabic is written in the vocabulary",
        "src/http/portal/query.rs",
        ARABIC,
        "data, not messages: the OpenAPI document's example of a purpose, as an agency types one (1 line)",
    ),
];

/// Every offence of `rules` in one file: `path:line: rule: word — advice`.
fn offences(rules: &[Rule], path: &str, text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for rule in rules.iter().filter(|r| (r.covers)(path)) {
        for (number, line) in text.lines().enumerate() {
            if !rule.tests_too && line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let code = line.split("//").next().unwrap_or("");
            if !(rule.lines)(code) {
                continue;
            }
            for word in rule.forbidden {
                let allowed = ALLOWED
                    .iter()
                    .any(|(r, p, w, _)| (*r, *p, *w) == (rule.name, path, *word));
                if (rule.finds)(code, word) && !allowed {
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
    check(
        "src/app/cases/mod.rs",
        "if engine.store.is_sqlite() {",
        &["the store chooses how a step is written"],
    );
    check(
        "src/app/cases/once.rs",
        "cases::save_step_grouped(&engine.store, &loaded, write, None).await",
        &["the store chooses how a step is written"],
    );
    check(
        "src/http/api/system.rs",
        "let grouped = state.engine.store.group_commit();",
        &[
            "http sees only app",
            "the store chooses how a step is written",
        ],
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
    check("src/http/queue.rs", "use crate::app::lists;", &[]);
    // A store type leaving under another name, in store or above it.
    check(
        "src/store/queries.rs",
        "pub use audit_event::Model as AuditRow;",
        &["store types keep their names"],
    );
    check(
        "src/app/access.rs",
        "pub(crate) use crate::store::users::user::Model;",
        &["store types keep their names"],
    );
    check(
        "src/store/users.rs",
        "impl From<user::Model> for UserRecord {",
        &[],
    );
    check(
        "src/store/entities/mod.rs",
        "pub use user::Model as UserModel;",
        &[],
    );
    // A page's changing form is read by Posted, never by axum's Form.
    check(
        "src/http/pages/work.rs",
        "    Form(form): Form<ClaimForm>,",
        &["changing page forms go through Posted"],
    );
    check(
        "src/http/pages/scans.rs",
        "let mut multipart = Multipart::from_request(request, &state).await?;",
        &["changing page forms go through Posted"],
    );
    check(
        "src/http/pages/work.rs",
        "    Posted { user, lang, form }: Posted<ClaimForm>,",
        &[],
    );
    // The head row and the history have their own writers.
    check(
        "src/app/cases/mod.rs",
        "conn.execute_raw(\"UPDATE applications SET state = $1\")",
        &["one writer of a case's head row"],
    );
    check(
        "src/store/cases/edit.rs",
        "let u = application::Entity::update_many();",
        &["one writer of a case's head row"],
    );
    check(
        "src/store/cases/head.rs",
        "\"WITH a AS (UPDATE applications SET {} WHERE id = {}\"",
        &[],
    );
    check(
        "src/store/import.rs",
        "\"INSERT INTO audit_events (application_id, seq) VALUES ($1, $2)\"",
        &["audit events are appended by the step writers"],
    );
    check(
        "src/store/cases/edit.rs",
        "let e = audit_event::ActiveModel { id: NotSet, ..row };",
        &["audit events are appended by the step writers"],
    );
    check(
        "src/store/cases/step.rs",
        "\", e AS (INSERT INTO audit_events (application_id\"",
        &[],
    );
    check(
        "src/store/bench.rs",
        "\"INSERT INTO audit_events (application_id, seq) VALUES ($1, $2)\"",
        &[],
    );
    // Arabic is written in the vocabulary's modules, not in a page, a
    // problem or a use case; comments and the tests at a file's end may
    // quote it.
    check(
        "src/http/pages/work.rs",
        "p { (lang.t(\"لا طلبات تنتظر عملك هنا.\", \"No case awaits your work here.\")) }",
        &["Arabic is written in the vocabulary"],
    );
    check(
        "src/app/sessions.rs",
        "Text::new(format!(\"«{name}» مستخدم\"), format!(\"{name} is taken\"))",
        &["Arabic is written in the vocabulary"],
    );
    check(
        "src/workflow/effect.rs",
        "let alef = 'ﺍ';",
        &["Arabic is written in the vocabulary"],
    );
    check(
        "src/http/pages/work.rs",
        "p { (lang.say(&words::NO_CASE_AWAITS_YOUR_WORK_HERE)) } // لا طلبات",
        &[],
    );
    check(
        "src/http/pages/words/work.rs",
        "pub const NOBODY: Words = Words::new(\"لا أحد\", \"Nobody\");",
        &[],
    );
    check(
        "src/domain/language.rs",
        "Gender::Feminine => \"واحدة\",",
        &[],
    );
    check(
        "src/domain/words/problems.rs",
        "pub const CONFLICT: Words = Words::new(\"تعارض\", \"Conflict\");",
        &[],
    );
    check(
        "src/http/problem.rs",
        "Text::new(\"تعارض\", \"Conflict\"),",
        &["Arabic is written in the vocabulary"],
    );
    check(
        "src/domain/words.rs",
        "pub const CONFLICT: Words = Words::new(\"تعارض\", \"Conflict\");",
        &["Arabic is written in the vocabulary"],
    );
    check(
        "src/app/users.rs",
        "fn f() {}\n#[cfg(test)]\nmod tests { \"لا أحد\" }",
        &[],
    );
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
        "src/store/outbox.rs",
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
        "src/http/pages/dashboard/layout.rs",
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
