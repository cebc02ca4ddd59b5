//! The real binary, as an operator runs it.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn casework(db: &common::TestDb, dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_casework"));
    command
        .current_dir(dir)
        .env("DATABASE_URL", &db.url)
        .env("CASEWORK_LOG", "warn")
        .env_remove("CASEWORK_CONFIG");
    command
}

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
    let output = casework(&db, &dir.0)
        .args(["audit", "verify"])
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("ok: 120 applications"));
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
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
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
    let health = http_get(&format!("{url}/readyz"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"status\":\"ready\""), "{health}");
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

    let listed = String::from_utf8_lossy(&run(&["agencies", "list"]).stdout).to_string();
    assert!(
        listed.starts_with(
            "interior\tcard-status,naturalization-status\t120/min\tal_qamishli\tactive"
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
