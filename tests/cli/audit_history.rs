//! History that scales: the audit events and access log partitioned by
//! month on PostgreSQL (made ahead by the scheduler, rows moved out of the
//! DEFAULT partition), and `audit verify` walked in parallel, in full or
//! from the newest signed checkpoint on. The partition tests run on
//! PostgreSQL only (`CASEWORK_TEST_DATABASE_URL`); the walks on both.

use crate::common;

use casework::app::Engine;
use casework::app::audit::{AuditReport, CheckpointSettings, SigningKey, VerifyOptions};
use casework::domain::roles::Role;
use casework::store::partitions;
use chrono::{Duration, Utc};
use common::actors::officer_in;
use common::cases::case_in_verification;
use common::families::family;
use common::sql;
use common::time::{at, utc};

const DISTRICT: &str = "al_qamishli";

/// Day `day` after 1 March 2026, 09:00 UTC.
fn key() -> SigningKey {
    SigningKey::from_bytes(&[7; 32])
}

fn signing(engine: &mut Engine) {
    engine.settings.checkpoints = Some(CheckpointSettings {
        key: std::sync::Arc::new(key()),
        every: Duration::minutes(60),
        log: None,
    });
}

/// One case opened and submitted on each of `days` (two events each).
async fn cases_on(engine: &Engine, days: &[i64]) -> Vec<String> {
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let mut references = Vec::new();
    for day in days {
        references.push(
            case_in_verification(engine, &family().draft(), &clerk, at(*day), at(day + 1)).await,
        );
    }
    references
}

/// Withdraws each case on `day` (one event each).
async fn withdraw(engine: &Engine, references: &[String], day: i64) {
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    for reference in references {
        casework::app::cases::perform(
            engine,
            reference,
            &clerk,
            &casework::workflow::Command::new("withdraw").with("reason", "moved away"),
            None,
            at(day),
        )
        .await
        .expect("withdrawn");
    }
}

async fn verify(engine: &Engine, full: bool, jobs: usize) -> AuditReport {
    casework::app::audit::verify_with(
        engine,
        Some(&key().verifying_key()),
        None,
        VerifyOptions { full, jobs },
    )
    .await
    .expect("verifies")
}

fn broken_lines(report: &AuditReport) -> Vec<String> {
    report
        .cases
        .broken
        .iter()
        .map(|b| format!("{} {}: {}", b.reference, b.seq, b.problem))
        .chain(
            report
                .access
                .broken
                .iter()
                .map(|b| format!("{} {}: {}", b.agency, b.seq, b.problem)),
        )
        .chain(report.checkpoint_problems.iter().cloned())
        .collect()
}

/// Cases over five months, a checkpoint, then more events after it.
async fn history(engine: &mut Engine) -> Vec<String> {
    let references = cases_on(engine, &[0, 35, 70, 100, 130, 131]).await;
    signing(engine);
    casework::app::audit::checkpoint(
        engine,
        engine.settings.checkpoints.as_ref().expect("a key"),
        at(140),
    )
    .await
    .expect("a checkpoint");
    withdraw(engine, &references[..2], 150).await;
    references
}

#[tokio::test]
async fn parallel_walks_report_the_same_as_one_connection_and_incremental_reads_only_what_came_after()
 {
    let (_db, mut engine) = common::fresh_engine().await;
    history(&mut engine).await;
    let one = verify(&engine, true, 1).await;
    let many = verify(&engine, true, 8).await;
    assert!(!one.broken(), "{:?}", broken_lines(&one));
    assert_eq!(one.cases, many.cases);
    assert_eq!(one.access, many.access);
    assert!(!one.incremental);
    assert_eq!(one.cases.events, 6 * 2 + 2);
    assert_eq!(one.cases.coverage.intact, 4);
    assert_eq!(one.cases.coverage.not_yet_covered_chains, 2);
    let incremental = verify(&engine, false, 3).await;
    assert!(incremental.incremental);
    assert!(!incremental.broken(), "{:?}", broken_lines(&incremental));
    // Only the two chains written to since, each from its covered event
    // on (that one and the event after it); the four untouched since end
    // where the checkpoint signed them and are not read.
    assert_eq!(incremental.cases.events, 2 + 2);
    assert_eq!(incremental.cases.coverage, one.cases.coverage);
    assert_eq!(verify(&engine, false, 1).await.cases, incremental.cases);
}

#[tokio::test]
async fn incremental_catches_an_event_altered_after_the_checkpoint_and_a_covered_event_removed() {
    let (db, mut engine) = common::fresh_engine().await;
    let references = history(&mut engine).await;
    // The event written after the checkpoint, altered in place.
    let id = |r: &str| format!("(SELECT id FROM applications WHERE reference = '{r}')");
    sql::execute(
        &db.url,
        &format!(
            "UPDATE audit_events SET payload = '{{\"forged\":1}}' WHERE seq = 3 AND application_id = {}",
            id(&references[0])
        ),
    )
    .await;
    // The covered event of another chain removed, its head left alone.
    sql::execute(
        &db.url,
        &format!(
            "DELETE FROM audit_events WHERE seq = 2 AND application_id = {}",
            id(&references[3])
        ),
    )
    .await;
    for full in [false, true] {
        let report = verify(&engine, full, 4).await;
        let lines = broken_lines(&report);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with(&format!(
                "{} 3: its hash does not match its contents",
                references[0]
            )),
            "{lines:?}"
        );
        assert!(
            lines[1].starts_with(&format!("{} 2: ", references[3])),
            "{lines:?}"
        );
    }
}

#[tokio::test]
async fn an_event_altered_before_the_checkpoint_is_found_by_a_full_walk_only() {
    let (db, mut engine) = common::fresh_engine().await;
    let references = history(&mut engine).await;
    // The oldest month's first event altered without recomputing anything
    // after it: the covered event's hash still matches the signed one.
    sql::execute(
        &db.url,
        &format!(
            "UPDATE audit_events SET actor = 'someone.else' WHERE seq = 1 AND application_id = \
             (SELECT id FROM applications WHERE reference = '{}')",
            references[0]
        ),
    )
    .await;
    let full = verify(&engine, true, 4).await;
    assert_eq!(
        broken_lines(&full),
        vec![format!(
            "{} 1: its hash does not match its contents: the row was altered",
            references[0]
        )]
    );
    let incremental = verify(&engine, false, 4).await;
    assert!(
        !incremental.broken(),
        "what incremental cannot see, by design"
    );
}

fn postgres(db: &common::TestDb) -> bool {
    db.url.starts_with("postgres")
}

/// Rows of `table` per partition.
async fn rows_per_partition(url: &str, table: &str) -> Vec<(String, i64)> {
    sql::rows(
        url,
        &format!(
            "SELECT tableoid::regclass::text, COUNT(*)::text FROM {table} GROUP BY 1 ORDER BY 1"
        ),
    )
    .await
    .into_iter()
    .map(|r| {
        (
            r[0].clone().unwrap_or_default(),
            r[1].as_deref().unwrap_or("0").parse().unwrap_or(0),
        )
    })
    .collect()
}

#[tokio::test]
async fn partitions_exist_after_migration_and_the_scheduler_makes_them_ahead_once() {
    let (db, engine) = common::fresh_engine().await;
    if !postgres(&db) {
        return;
    }
    let names: Vec<String> = partitions::list(&engine.store)
        .await
        .expect("lists")
        .into_iter()
        .map(|p| p.name)
        .collect();
    let this_month = partitions::month_start(Utc::now(), 0);
    for table in partitions::TABLES {
        assert!(names.contains(&format!("{table}_default")), "{names:?}");
        assert!(
            names.contains(&partitions::partition_name(table, this_month)),
            "{names:?}"
        );
    }
    let now = utc(2031, 11, 20, 12, 0);
    let made = casework::app::audit::partitions_due(&engine, "server-a", now)
        .await
        .expect("ticks");
    assert_eq!(made.len(), 2 * 4, "{made:?}");
    assert!(made.iter().any(|m| m.name == "audit_events_p2032_02"));
    for holder in ["server-b", "server-a"] {
        let again = casework::app::audit::partitions_due(&engine, holder, now)
            .await
            .expect("ticks");
        assert_eq!(again, vec![], "idempotent");
    }
}

#[tokio::test]
async fn events_of_several_months_land_in_their_partitions_and_verify_across_them() {
    let (db, mut engine) = common::fresh_engine().await;
    if !postgres(&db) {
        return;
    }
    // March to July 2026 have no partition yet: the rows go to DEFAULT.
    let references = history(&mut engine).await;
    let before = rows_per_partition(&db.url, "audit_events").await;
    assert_eq!(before, vec![("audit_events_default".to_string(), 14)]);
    // Making the months' partitions moves those rows out of DEFAULT.
    let made = casework::app::audit::make_partitions(&engine, at(0), 5)
        .await
        .expect("made");
    let moved: u64 = made
        .iter()
        .filter(|m| m.name.starts_with("audit_events"))
        .map(|m| m.moved_from_default)
        .sum();
    assert_eq!(moved, 14);
    let after = rows_per_partition(&db.url, "audit_events").await;
    assert_eq!(
        after,
        vec![
            ("audit_events_p2026_03".to_string(), 2),
            ("audit_events_p2026_04".to_string(), 2),
            ("audit_events_p2026_05".to_string(), 2),
            ("audit_events_p2026_06".to_string(), 2),
            ("audit_events_p2026_07".to_string(), 6),
            ("audit_events_p2026_08".to_string(), 0),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect::<Vec<_>>()
    );
    // New events go straight to their month's partition.
    withdraw(&engine, &references[2..3], 160).await;
    let full = verify(&engine, true, 4).await;
    assert!(!full.broken(), "{:?}", broken_lines(&full));
    assert_eq!(full.cases.events, 6 * 2 + 3);
    // An event in the oldest partition altered is found by a full walk.
    sql::execute(
        &db.url,
        "UPDATE audit_events_p2026_03 SET payload = '{\"forged\":true}' WHERE seq = 1",
    )
    .await;
    let full = verify(&engine, true, 4).await;
    assert_eq!(
        broken_lines(&full),
        vec![format!(
            "{} 1: its hash does not match its contents: the row was altered",
            references[0]
        )]
    );
}
