//! The real binary, as an operator runs it.

use crate::common;

use common::binary::casework;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn workflow_check_prints_ok_or_every_error_with_its_line() {
    let dir = common::temp_dir("cli");
    let good = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("workflows/naturalization-family.v1.toml");
    let output = Command::new(env!("CARGO_BIN_EXE_casework"))
        .args(["workflow", "check"])
        .arg(&good)
        .output()
        .expect("the binary runs");
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .ends_with(": ok")
    );

    let text =
        std::fs::read_to_string(&good)
            .expect("read")
            .replacen("\"verifier\"]", "\"verifyer\"]", 1);
    let broken = dir.0.join("broken.toml");
    std::fs::write(&broken, text).expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_casework"))
        .args(["workflow", "check"])
        .arg(&broken)
        .output()
        .expect("the binary runs");
    assert!(
        !output.status.success(),
        "a broken definition must exit non-zero"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("broken.toml:") && stdout.contains("unknown role 'verifyer'"),
        "{stdout}"
    );

    let output = Command::new(env!("CARGO_BIN_EXE_casework"))
        .args(["workflow", "diagram", "--format", "dot"])
        .arg(&good)
        .output()
        .expect("the binary runs");
    let dot = String::from_utf8_lossy(&output.stdout);
    assert!(
        dot.starts_with("digraph") && dot.contains("\"approval\" -> \"registration\""),
        "{dot}"
    );
}

#[tokio::test]
async fn demo_then_audit_verify_reports_intact_chains() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("cli");
    let output = casework(&db, &dir.0)
        .args(["demo", "--families", "120"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("demo: 120 families"), "{stdout}");
    // Not a terminal: plain progress lines, no bar, no colour codes.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("building the demo province: 120 families"),
        "{stderr}"
    );
    assert!(
        stderr.contains("progress: 120/120 families (100%)"),
        "{stderr}"
    );
    assert!(!stderr.contains(['\r', '\u{1b}', '#']), "{stderr:?}");
    let output = casework(&db, &dir.0)
        .args(["audit", "verify"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // 120 families and one person never registered (one per 100 families).
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ok: 121 applications"));
}

#[tokio::test]
async fn serve_with_demo_seeds_an_empty_database_and_prints_its_urls() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("cli");
    let mut child = casework(&db, &dir.0)
        .args([
            "serve",
            "--demo",
            "--families",
            "30",
            "--addr",
            "127.0.0.1:0",
        ])
        .env("CASEWORK_LOG", "info")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "en_US.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let started = Instant::now();
    let mut url = None;
    let mut seen = Vec::new();
    while url.is_none() && started.elapsed() < Duration::from_secs(60) {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("casework is listening on ") {
            url = Some(rest.trim().to_string());
        }
        seen.push(line);
    }
    let url = url.unwrap_or_else(|| panic!("no URL printed: {seen:?}"));
    assert!(
        seen.iter().any(|l| l.starts_with("demo: 30 families")),
        "{seen:?}"
    );
    // Its officers, each with their roles: two verifiers, since one case
    // needs a second for the security clearance.
    // Their full names are printed beside their user names.
    for officer in [
        "  demo.clerk (",
        "  demo.verifier (",
        "  demo.verifier2 (",
        "  demo.supervisor (",
    ] {
        let role = match officer {
            "  demo.clerk (" => "): intake clerk",
            "  demo.supervisor (" => "): supervisor",
            _ => "): verifier",
        };
        assert!(
            seen.iter()
                .any(|l| l.starts_with(officer) && l.ends_with(role) && l.contains('\u{2068}')),
            "{officer}: {seen:?}"
        );
    }
    let health = http_get(&format!("{url}/readyz"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ready\""), "{health}");
    // The demo was built (in a child process) with progress shown, and the
    // server's log, not on a terminal, has no colour codes.
    let mut stderr = String::new();
    std::io::Read::read_to_string(
        &mut child.stderr.take().expect("stderr is piped"),
        &mut stderr,
    )
    .expect("stderr");
    assert!(stderr.contains("progress: 30/30 families"), "{stderr}");
    assert!(stderr.contains("serving"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

/// The output of `casework import --dry-run` of the bad sample, with no
/// locale but `env` in the environment and `args` added.
fn import_bad_rows(db: &common::TestDb, env: &[(&str, &str)], args: &[&str]) -> String {
    let dir = common::temp_dir("cli");
    let bad = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/backlog-bad.csv");
    let mut command = casework(db, &dir.0);
    command
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command
        .args(["import", "--dry-run"])
        .args(args)
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "refused rows exit 1: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test]
async fn import_reports_refused_rows_in_the_language_of_the_locale_or_of_lang() {
    let db = common::fresh_database().await;
    let english = import_bad_rows(&db, &[("LANG", "en_US.UTF-8")], &[]);
    let arabic = import_bad_rows(&db, &[("LANG", "ar_SY.UTF-8")], &[]);
    let by_lc_all = import_bad_rows(
        &db,
        &[("LANG", "en_US.UTF-8"), ("LC_ALL", "ar_IQ.UTF-8")],
        &[],
    );
    let by_flag = import_bad_rows(&db, &[("LANG", "ar_SY.UTF-8")], &["--lang", "en"]);
    let arabic_flag = import_bad_rows(&db, &[], &["--lang", "ar"]);
    let has_arabic = |text: &str| text.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c));

    // The row with the future birth date, in each language.
    let row = |text: &str| {
        text.lines()
            .find(|l| l.contains("backlog-bad.csv:5: birth_date"))
            .unwrap_or_else(|| panic!("no line 5: {text}"))
            .to_string()
    };
    assert!(row(&english).contains("in the future"), "{english}");
    assert!(!has_arabic(&row(&english)), "{english}");
    // --lang wins over the locale (the summaries differ only in the time).
    let rows = |text: &str| {
        text.lines()
            .filter(|l| l.contains(".csv:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(rows(&english), rows(&by_flag));
    for text in [&arabic, &by_lc_all, &arabic_flag] {
        let line = row(text);
        assert!(has_arabic(&line), "{line}");
        assert!(!line.contains("in the future"), "{line}");
        // Right to left, with the file and column kept left to right.
        assert!(line.starts_with("\u{200F}\u{2066}"), "{line:?}");
        assert!(line.contains("birth_date\u{2069}: "), "{line:?}");
        let summary = text.lines().last().expect("a summary");
        assert!(summary.starts_with("\u{200F}تجربة دون كتابة"), "{summary}");
    }
    // Every refused row is reported in either language.
    assert_eq!(english.lines().count(), arabic.lines().count());
}

/// A minimal HTTP/1.1 GET over a plain socket.
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http URL");
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

#[tokio::test]
async fn bench_transitions_reports_both_modes_and_their_ratio() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("bench");
    let output = casework(&db, &dir.0)
        .args([
            "bench",
            "transitions",
            "--workers",
            "2",
            "--seconds",
            "1",
            "--rounds",
            "1",
        ])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let rate = |mode: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(mode))
            .and_then(|l| l.split_whitespace().nth(2))
            .and_then(|n| n.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    assert!(rate("raw ") > 0.0 && rate("casework") > 0.0, "{stdout}");
    assert!(
        stdout.contains("ratio casework/raw at 2 workers:"),
        "{stdout}"
    );
}

/// An officer's full name is given when they are added, listed after
/// their state, and stored on both databases; a full name of two lines is
/// refused.
#[tokio::test]
async fn users_add_takes_a_full_name_and_the_list_shows_it() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("cli");
    let run = |args: &[&str]| {
        casework(&db, &dir.0)
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let added = run(&[
        "users",
        "add",
        "verifier.one",
        "--role",
        "verifier",
        "--all-districts",
        "--full-name",
        "Samir Al-Ahmad",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let plain = run(&[
        "users",
        "add",
        "clerk.one",
        "--role",
        "intake_clerk",
        "--all-districts",
    ]);
    assert!(plain.status.success());
    let listed =
        String::from_utf8_lossy(&run(&["users", "list", "--lang", "en"]).stdout).to_string();
    assert!(
        listed.contains("verifier.one\tverifier\t*\t-\tactive\tSamir Al-Ahmad"),
        "{listed}"
    );
    assert!(
        listed.contains("clerk.one\tintake_clerk\t*\t-\tactive\t-"),
        "{listed}"
    );
    let two_lines = run(&[
        "users",
        "add",
        "approver.one",
        "--role",
        "approver",
        "--all-districts",
        "--full-name",
        "Samir\nAl-Ahmad",
    ]);
    assert!(!two_lines.status.success());
    assert!(
        String::from_utf8_lossy(&two_lines.stderr).contains("full_name"),
        "{}",
        String::from_utf8_lossy(&two_lines.stderr)
    );
}

#[tokio::test]
async fn agencies_get_a_key_once_and_lists_show_only_its_prefix() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("cli");
    let run = |args: &[&str]| {
        casework(&db, &dir.0)
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let added = run(&[
        "agencies",
        "add",
        "interior",
        "--scopes",
        "naturalization-status,card-status",
        "--rate",
        "120/min",
        "--districts",
        "al_qamishli",
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let key = String::from_utf8_lossy(&added.stdout).trim().to_string();
    assert!(key.starts_with("ag_") && key.len() == 67, "{key}");

    let listed =
        String::from_utf8_lossy(&run(&["agencies", "list", "--lang", "en"]).stdout).to_string();
    assert!(
        listed.starts_with(
            "interior\tcard-status,naturalization-status\t120/min\tQamishli (al_qamishli)\tactive"
        ),
        "{listed}"
    );
    assert!(listed.contains(&format!("{} (active)", &key[..11])));
    assert!(!listed.contains(&key), "the key itself is never listed");

    let rotated = run(&["agencies", "rotate", "interior", "--overlap-hours", "2"]);
    assert!(rotated.status.success());
    let new_key = String::from_utf8_lossy(&rotated.stdout).trim().to_string();
    assert!(new_key.starts_with("ag_") && new_key != key);
    let listed = String::from_utf8_lossy(&run(&["agencies", "list"]).stdout).to_string();
    assert!(
        listed.contains(&format!("{} (until ", &key[..11])),
        "{listed}"
    );

    let revoked = run(&["agencies", "revoke", "interior", "--key", &key[..11]]);
    assert!(revoked.status.success());
    let listed = String::from_utf8_lossy(&run(&["agencies", "list"]).stdout).to_string();
    assert!(
        listed.contains(&format!("{} (revoked)", &key[..11])),
        "{listed}"
    );
    assert!(
        listed.contains(&format!("{} (active)", &new_key[..11])),
        "{listed}"
    );

    let bad = run(&["agencies", "add", "tax", "--scopes", "family-record"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("unknown scope 'family-record'"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let twice = run(&["agencies", "add", "interior", "--scopes", "card-status"]);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already exists"));
}

#[tokio::test]
async fn bench_grow_copies_the_demo_and_keeps_the_statistics_equal_to_a_recount() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("grow");
    let run = |args: &[&str]| {
        let output = casework(&db, &dir.0).args(args).output().expect("runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).to_string()
                + &String::from_utf8_lossy(&output.stderr),
        )
    };
    // Nothing stored yet: nothing to copy, and it says why.
    let (ok, text) = run(&["bench", "grow", "--families", "60"]);
    assert!(
        !ok && text.contains("multiple of the 0 families stored"),
        "{text}"
    );
    let (ok, text) = run(&["demo", "--families", "20"]);
    assert!(ok, "{text}");
    let (ok, text) = run(&["bench", "grow", "--families", "50"]);
    assert!(
        !ok && text.contains("multiple of the 20 families stored"),
        "{text}"
    );
    let (ok, text) = run(&["bench", "grow", "--families", "60"]);
    assert!(ok && text.contains("60 families stored"), "{text}");
    let (ok, text) = run(&["stats", "check"]);
    assert!(ok, "the tallies drifted from a recount: {text}");
}
