//! Signed checkpoints against someone who can write the database but does
//! not hold the key: a rewritten history, events removed, a forged
//! checkpoint, and a key that is missing, unreadable or malformed.
//! The operator's commands are run as the real binary.

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

use casework::domain::audit::{GENESIS, event_hash};
use casework::domain::roles::Role;
use chrono::Duration;
use common::actors::officer_in;
use common::cases::case_in_verification;
use common::families::family;
use common::sql;
use common::time::at;

const DISTRICT: &str = "al_qamishli";

/// The binary with no audit key, public key or checkpoint log from the
/// environment.
fn casework(db: &common::TestDb, dir: &Path) -> Command {
    let mut command = common::binary::casework(db, dir);
    command
        .env_remove("CASEWORK_AUDIT_KEY_FILE")
        .env_remove("CASEWORK_AUDIT_PUBLIC_KEY")
        .env_remove("CASEWORK_AUDIT_CHECKPOINT_LOG");
    command
}

fn run(command: &mut Command) -> (Output, String, String) {
    let output = command.output().expect("the binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, stdout, stderr)
}

/// Cases opened and submitted through the engine: two events each.
async fn cases(db: &common::TestDb, count: i64) -> Vec<String> {
    let engine = common::engine_on(db).await;
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let mut references = Vec::new();
    for day in 0..count {
        references.push(
            case_in_verification(&engine, &family().draft(), &clerk, at(day), at(day + 1)).await,
        );
    }
    references
}

/// `audit keygen` into `dir/audit.key`; returns the public key printed.
fn keygen(db: &common::TestDb, dir: &Path, file: &str) -> String {
    let (output, stdout, stderr) = run(casework(db, dir)
        .args(["audit", "keygen"])
        .env("CASEWORK_AUDIT_KEY_FILE", dir.join(file)));
    assert!(output.status.success(), "{stdout}{stderr}");
    stdout
        .lines()
        .last()
        .expect("the public key")
        .trim()
        .to_string()
}

fn checkpoint(db: &common::TestDb, dir: &Path) -> String {
    let (output, stdout, stderr) = run(casework(db, dir)
        .args(["audit", "checkpoint"])
        .env("CASEWORK_AUDIT_KEY_FILE", dir.join("audit.key"))
        .env(
            "CASEWORK_AUDIT_CHECKPOINT_LOG",
            dir.join("checkpoints.jsonl"),
        ));
    assert!(output.status.success(), "{stdout}{stderr}");
    stdout
}

fn verify(db: &common::TestDb, dir: &Path, public_key: &str) -> (bool, String) {
    let (output, stdout, stderr) = run(casework(db, dir)
        .args(["audit", "verify", "--public-key", public_key])
        .env(
            "CASEWORK_AUDIT_CHECKPOINT_LOG",
            dir.join("checkpoints.jsonl"),
        ));
    assert!(stderr.is_empty(), "{stderr}");
    (output.status.success(), stdout)
}

/// What an insider with write access to the database and no key does:
/// event `seq` of `reference` gets another payload, and that event's hash,
/// every later one and the application's head are recomputed with the
/// same canonical encoding, so the chain holds together again.
async fn rewrite_history(url: &str, reference: &str, seq: i64, payload: &str) {
    let rows = sql::query(
        url,
        &format!(
            "SELECT e.seq, e.at, e.actor, e.action, e.member, e.from_state, e.to_state, \
             e.payload, e.hash FROM audit_events e JOIN applications a ON a.id = e.application_id \
             WHERE a.reference = '{reference}' ORDER BY e.seq"
        ),
    )
    .await;
    let mut prev_hash = GENESIS.to_string();
    for row in rows {
        let this: i64 = row.try_get("", "seq").expect("seq");
        let stored: String = row.try_get("", "hash").expect("hash");
        if this < seq {
            prev_hash = stored;
            continue;
        }
        let text: String = if this == seq {
            payload.to_string()
        } else {
            row.try_get("", "payload").expect("payload")
        };
        let hash = event_hash(
            reference,
            this,
            row.try_get("", "at").expect("at"),
            &row.try_get::<String>("", "actor").expect("actor"),
            &row.try_get::<String>("", "action").expect("action"),
            row.try_get("", "member").expect("member"),
            &row.try_get::<String>("", "from_state").expect("from"),
            &row.try_get::<String>("", "to_state").expect("to"),
            &text,
            &prev_hash,
        );
        sql::execute(
            url,
            &format!(
                "UPDATE audit_events SET payload = '{}', prev_hash = '{prev_hash}', hash = '{hash}' \
                 WHERE seq = {this} AND application_id = \
                 (SELECT id FROM applications WHERE reference = '{reference}')",
                text.replace('\'', "''")
            ),
        )
        .await;
        prev_hash = hash;
    }
    sql::execute(
        url,
        &format!(
            "UPDATE applications SET last_hash = '{prev_hash}' WHERE reference = '{reference}'"
        ),
    )
    .await;
}

/// The plain chain check, without checkpoints.
async fn plain_check_passes(db: &common::TestDb) {
    let engine = common::engine_on(db).await;
    let report = casework::store::audit::verify(&engine.store)
        .await
        .expect("verifies");
    assert_eq!(report.broken, vec![], "the forgery holds together");
}

#[tokio::test]
async fn a_rewritten_history_with_every_later_hash_recomputed_is_caught_by_the_signed_checkpoint() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    let references = cases(&db, 3).await;
    let public_key = keygen(&db, &dir.0, "audit.key");
    let made = checkpoint(&db, &dir.0);
    assert!(made.starts_with("checkpoint 1 of "), "{made}");
    assert!(made.contains(": 3 chains,"), "{made}");
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(ok, "{stdout}");
    assert!(
        stdout.starts_with("ok: 3 applications") && stdout.contains("3 intact as checkpoint 1"),
        "{stdout}"
    );

    rewrite_history(&db.url, &references[1], 1, r#"{"forged":true}"#).await;
    plain_check_passes(&db).await;

    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(!ok, "the forgery must fail verification: {stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(
        lines[0],
        format!(
            "broken: case {} event 2: the chain's hash at event 2 is not the one checkpoint 1 signed: \
             one or more of events 1 to 2 was rewritten since (every later hash and the head recomputed)",
            references[1]
        )
    );
    assert!(
        lines[1].starts_with("BROKEN: 3 applications")
            && lines[1].contains("2 intact as checkpoint 1")
            && lines[1].contains("1 broken"),
        "{stdout}"
    );
}

#[tokio::test]
async fn two_rewritten_chains_are_both_reported_and_altered_checkpoint_heads_break_the_root() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    let references = cases(&db, 3).await;
    let public_key = keygen(&db, &dir.0, "audit.key");
    checkpoint(&db, &dir.0);
    rewrite_history(&db.url, &references[0], 2, r#"{"note":"nothing happened"}"#).await;
    rewrite_history(&db.url, &references[2], 1, r#"{"forged":1}"#).await;
    plain_check_passes(&db).await;
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(!ok);
    for reference in [&references[0], &references[2]] {
        assert!(
            stdout.contains(&format!("broken: case {reference} event 2: ")),
            "{stdout}"
        );
    }
    assert!(
        stdout.contains("1 intact") && stdout.contains("2 broken"),
        "{stdout}"
    );

    // The insider now also rewrites the heads the checkpoint covered: the
    // chains match them, but they no longer hash to the signed root.
    for reference in [&references[0], &references[2]] {
        sql::execute(
            &db.url,
            &format!(
                "UPDATE audit_checkpoint_heads SET hash = \
                 (SELECT last_hash FROM applications WHERE reference = '{reference}') \
                 WHERE kind = 'case' AND name = '{reference}'"
            ),
        )
        .await;
    }
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(!ok);
    assert!(
        stdout.contains(
            "broken: checkpoint 1: the 3 chain heads stored for it do not hash to its signed root"
        ),
        "{stdout}"
    );
}

#[tokio::test]
async fn events_removed_and_the_head_rewound_are_caught_by_the_signed_checkpoint() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    let references = cases(&db, 2).await;
    let public_key = keygen(&db, &dir.0, "audit.key");
    checkpoint(&db, &dir.0);
    // The case's later event removed, its head and state set back to the
    // event before, so the chain and the state agree again.
    let reference = &references[0];
    let id = format!("(SELECT id FROM applications WHERE reference = '{reference}')");
    sql::execute(
        &db.url,
        &format!("DELETE FROM audit_events WHERE seq = 2 AND application_id = {id}"),
    )
    .await;
    sql::execute(
        &db.url,
        &format!(
            "UPDATE applications SET audit_seq = 1, state = 'intake', last_hash = \
             (SELECT hash FROM audit_events WHERE seq = 1 AND application_id = {id}) \
             WHERE reference = '{reference}'"
        ),
    )
    .await;
    plain_check_passes(&db).await;
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(!ok);
    assert!(
        stdout.contains(&format!(
            "broken: case {reference} event 2: checkpoint 1 covered 2 events but the chain ends at event 1"
        )),
        "{stdout}"
    );

    // Deleting the newest checkpoint from the database does not hide it:
    // the log file outside still has it.
    sql::execute(&db.url, "DELETE FROM audit_checkpoint_heads").await;
    sql::execute(&db.url, "DELETE FROM audit_checkpoints").await;
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(!ok);
    assert!(
        stdout.contains("checkpoint 1 of ")
            && stdout.contains("is not in the database: it was deleted"),
        "{stdout}"
    );
}

#[tokio::test]
async fn events_after_the_last_checkpoint_are_not_yet_covered_rather_than_intact() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    let public_key = keygen(&db, &dir.0, "audit.key");
    // With no checkpoint at all, nothing is intact: all is not yet covered.
    cases(&db, 2).await;
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(ok, "{stdout}");
    assert!(
        stdout.contains("0 covered by a checkpoint (there is none yet)")
            && stdout.contains("2 not yet covered (4 events or entries after the last checkpoint)"),
        "{stdout}"
    );
    checkpoint(&db, &dir.0);
    let engine = common::engine_on(&db).await;
    let clerk = officer_in(DISTRICT, "clerk.b", Role::IntakeClerk);
    case_in_verification(&engine, &family().draft(), &clerk, at(5), at(6)).await;
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(ok, "{stdout}");
    assert!(
        stdout.contains("2 intact as checkpoint 1")
            && stdout.contains("1 not yet covered (2 events or entries after the last checkpoint)"),
        "{stdout}"
    );
    // The next checkpoint covers it, storing only the head that is new.
    let made = checkpoint(&db, &dir.0);
    assert!(
        made.starts_with("checkpoint 2 of ") && made.contains(": 3 chains,"),
        "{made}"
    );
    assert_eq!(
        sql::count(
            &db.url,
            "SELECT COUNT(*) FROM audit_checkpoint_heads WHERE checkpoint = 2"
        )
        .await,
        1
    );
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(
        ok && stdout.contains("3 intact as checkpoint 2"),
        "{stdout}"
    );
    assert!(stdout.contains(", 0 not yet covered"), "{stdout}");
}

#[tokio::test]
async fn a_checkpoint_signed_with_another_key_is_reported_as_forged() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    cases(&db, 1).await;
    keygen(&db, &dir.0, "audit.key");
    let other = keygen(&db, &dir.0, "other.key");
    checkpoint(&db, &dir.0);
    let (ok, stdout) = verify(&db, &dir.0, &other);
    assert!(!ok);
    assert!(
        stdout.contains("broken: checkpoint 1 of 20")
            && stdout.contains(
                "its signature does not verify with the given public key: the checkpoint is forged"
            ),
        "{stdout}"
    );
    assert!(stdout.contains("the line is forged"), "{stdout}");
}

#[tokio::test]
async fn keygen_refuses_to_overwrite_a_key_and_writes_it_for_its_owner_only() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    keygen(&db, &dir.0, "audit.key");
    let path = dir.0.join("audit.key");
    let before = std::fs::read(&path).expect("the key is written");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (output, stdout, stderr) = run(casework(&db, &dir.0)
        .args(["audit", "keygen"])
        .env("CASEWORK_AUDIT_KEY_FILE", &path));
    assert!(!output.status.success(), "{stdout}");
    assert!(
        stderr.contains("CASEWORK_AUDIT_KEY_FILE")
            && stderr.contains(&path.display().to_string())
            && stderr.contains("already exists"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&path).expect("still there"), before);
}

#[tokio::test]
async fn a_key_file_missing_or_malformed_stops_serve_and_checkpoint_at_start_without_showing_it() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    let missing = dir.0.join("missing.key");
    let malformed = dir.0.join("malformed.key");
    std::fs::write(&malformed, "do-not-print-me-0123456789\n").expect("write");
    for (path, says) in [
        (&missing, "cannot read"),
        (&malformed, "does not hold an Ed25519 key"),
    ] {
        for args in [
            &["serve", "--addr", "127.0.0.1:0"][..],
            &["audit", "checkpoint"][..],
        ] {
            let (output, stdout, stderr) = run(casework(&db, &dir.0)
                .args(args)
                .env("CASEWORK_AUDIT_KEY_FILE", path));
            assert!(!output.status.success(), "{args:?}: {stdout}");
            assert!(
                stderr.contains("CASEWORK_AUDIT_KEY_FILE")
                    && stderr.contains(&path.display().to_string())
                    && stderr.contains(says),
                "{args:?}: {stderr}"
            );
            assert!(!stderr.contains("do-not-print-me") && !stdout.contains("do-not-print-me"));
            assert!(!stdout.contains("listening"), "{stdout}");
        }
    }
    // A public key that is not one is refused before anything is read.
    let (output, _, stderr) =
        run(casework(&db, &dir.0).args(["audit", "verify", "--public-key", "abc"]));
    assert!(!output.status.success());
    assert!(stderr.contains("--public-key"), "{stderr}");
}

#[tokio::test]
async fn the_scheduler_tick_makes_one_checkpoint_per_interval_across_servers() {
    let db = common::fresh_database().await;
    cases(&db, 2).await;
    let mut engine = common::engine_on(&db).await;
    engine.settings.checkpoints = Some(casework::app::audit::CheckpointSettings {
        key: std::sync::Arc::new(ed25519_dalek_key()),
        every: Duration::minutes(60),
        log: None,
    });
    let now = at(10);
    let first = casework::app::audit::checkpoint_due(&engine, "server-a", now)
        .await
        .expect("ticks");
    assert_eq!(first.map(|c| c.number), Some(1));
    for (holder, later) in [("server-b", 1), ("server-a", 59)] {
        let none =
            casework::app::audit::checkpoint_due(&engine, holder, now + Duration::minutes(later))
                .await
                .expect("ticks");
        assert_eq!(none, None, "not due yet");
    }
    let second =
        casework::app::audit::checkpoint_due(&engine, "server-b", now + Duration::minutes(60))
            .await
            .expect("ticks");
    assert_eq!(second.map(|c| c.number), Some(2));
    let report =
        casework::app::audit::verify(&engine, Some(&ed25519_dalek_key().verifying_key()), None)
            .await
            .expect("verifies");
    assert!(!report.broken(), "{report:?}");
    assert_eq!(report.cases.coverage.intact, 2);
}

/// A fixed key for the tests that sign in-process.
fn ed25519_dalek_key() -> casework::app::audit::SigningKey {
    casework::app::audit::SigningKey::from_bytes(&[42; 32])
}

#[tokio::test]
async fn an_agencys_access_log_rewritten_with_its_head_recomputed_is_caught_too() {
    use casework::store::portal::{AccessDraft, access_hash, append_access};
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    let engine = common::engine_on(&db).await;
    casework::app::portal::add(
        &engine,
        "health",
        &["naturalization-status".to_string()],
        &[],
        60,
        None,
        at(0),
    )
    .await
    .expect("the agency is added");
    let agency_id = sql::count(&db.url, "SELECT id FROM agencies WHERE name = 'health'").await;
    let draft = |subject: &str| AccessDraft {
        key_prefix: "ag_12345678".into(),
        scope: "naturalization-status".into(),
        subject: subject.into(),
        purpose: "verifying nationality for a work permit".into(),
        result: "no_record".into(),
        application_id: None,
        member_ordinal: None,
        persons: None,
    };
    let tx = engine.store.begin().await.expect("begins");
    append_access(&tx, agency_id, &[draft("NN 01"), draft("NN 02")], at(1))
        .await
        .expect("logged");
    tx.commit().await.expect("commits");
    let public_key = keygen(&db, &dir.0, "audit.key");
    checkpoint(&db, &dir.0);

    // The first entry now names someone else; both hashes and the agency's
    // head recomputed.
    let rows = sql::query(&db.url, "SELECT seq, at FROM agency_access ORDER BY seq").await;
    let mut prev = GENESIS.to_string();
    for (row, subject) in rows.iter().zip(["NN 99", "NN 02"]) {
        let seq: i64 = row.try_get("", "seq").expect("seq");
        let hash = access_hash(
            "health",
            seq,
            row.try_get("", "at").expect("at"),
            &draft(subject),
            &prev,
        );
        sql::execute(
            &db.url,
            &format!(
                "UPDATE agency_access SET subject = '{subject}', prev_hash = '{prev}', hash = '{hash}' WHERE seq = {seq}"
            ),
        )
        .await;
        prev = hash;
    }
    sql::execute(&db.url, &format!("UPDATE agencies SET log_head = '{prev}'")).await;
    let plain = casework::store::portal::verify(&engine.store)
        .await
        .expect("verifies");
    assert_eq!(plain.broken, vec![], "the forgery holds together");

    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(!ok);
    assert!(
        stdout.contains(
            "broken: access log of agency health entry 2: the chain's hash at entry 2 is not the one checkpoint 1 signed"
        ),
        "{stdout}"
    );
}

#[tokio::test]
async fn older_checkpoints_narrow_down_where_a_chain_was_rewritten() {
    let db = common::fresh_database().await;
    let dir = common::temp_dir("audit");
    let references = cases(&db, 2).await;
    let public_key = keygen(&db, &dir.0, "audit.key");
    checkpoint(&db, &dir.0);
    // Both cases grow by one event, and the next checkpoint covers that.
    let engine = common::engine_on(&db).await;
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    for reference in &references {
        casework::app::cases::perform(
            &engine,
            reference,
            &clerk,
            &casework::workflow::Command::new("withdraw").with("reason", "moved away"),
            None,
            at(9),
        )
        .await
        .expect("withdrawn");
    }
    checkpoint(&db, &dir.0);
    // One case rewritten after what checkpoint 1 covered, one before.
    rewrite_history(&db.url, &references[0], 3, r#"{"forged":3}"#).await;
    rewrite_history(&db.url, &references[1], 1, r#"{"forged":1}"#).await;
    let (ok, stdout) = verify(&db, &dir.0, &public_key);
    assert!(!ok);
    assert!(
        stdout.contains(&format!(
            "broken: case {} event 3: the chain's hash at event 3 is not the one checkpoint 2 signed: event 3 was rewritten",
            references[0]
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "broken: case {} event 3: the chain's hash at event 3 is not the one checkpoint 2 signed: one or more of events 1 to 2 was rewritten",
            references[1]
        )),
        "{stdout}"
    );
}
