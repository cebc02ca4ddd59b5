//! The read replica (`CASEWORK_READ_DATABASE_URL`): lists, searches and
//! statistics read from a real PostgreSQL streaming replica while it keeps
//! up, an officer's own write is read back from the primary, and a replica
//! that lags past the bound or does not answer is skipped for the primary
//! (and `/readyz` and `/metrics` say so). Needs CASEWORK_TEST_DATABASE_URL
//! (the primary) and CASEWORK_TEST_REPLICA_URL (a replica of it, which
//! `scripts/replica.sh start` makes and `.ci/run` starts); skipped without.

use crate::common;

use std::time::Duration;

use casework::domain::roles::Role;
use casework::store::replica::Replica;
use common::cases::open_case;
use common::http::get;
use common::{TestApp, spawn_app};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

fn replica_base() -> Option<String> {
    let primary = std::env::var("CASEWORK_TEST_DATABASE_URL").unwrap_or_default();
    let replica = std::env::var("CASEWORK_TEST_REPLICA_URL").unwrap_or_default();
    if primary.is_empty() || replica.is_empty() {
        println!(
            "skipped: CASEWORK_TEST_DATABASE_URL and CASEWORK_TEST_REPLICA_URL name no \
             primary and replica (scripts/replica.sh start makes one)"
        );
        return None;
    }
    Some(replica)
}

/// The app's database on the replica.
fn on_replica(base: &str, app: &TestApp) -> String {
    let (_, name) = app.db_url().rsplit_once('/').expect("a database name");
    let (prefix, _) = base.rsplit_once('/').expect("a database name");
    format!("{prefix}/{name}")
}

/// The references the case list shows a supervisor.
async fn listed(app: &TestApp) -> Vec<String> {
    let got = get(app, "/api/applications?limit=100", Role::Supervisor).await;
    assert_eq!(got.status(), StatusCode::OK);
    let body: Value = got.json().await.expect("json");
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["reference"].as_str().map(str::to_string))
        .collect()
}

async fn readiness(app: &TestApp) -> Value {
    let got = reqwest::get(format!("{}/readyz", app.base))
        .await
        .expect("readyz");
    assert_eq!(
        got.status(),
        StatusCode::OK,
        "a skipped replica leaves the server ready"
    );
    got.json().await.expect("json")
}

async fn metric(app: &TestApp, name: &str) -> String {
    let text = reqwest::get(format!("{}/metrics", app.base))
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find(|l| l.starts_with(name) && !l.starts_with('#'))
        .and_then(|l| l.split_whitespace().last())
        .unwrap_or_default()
        .to_string()
}

/// Checks until the replica is usable (it has replayed the test's new
/// database and its migrations).
async fn until_usable(replica: &Replica) {
    for _ in 0..100 {
        if replica.check().await.usable {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the replica never caught up: {:?}", replica.status());
}

#[tokio::test]
async fn lists_are_read_from_the_replica_until_it_lags_past_the_bound() {
    let Some(base) = replica_base() else { return };
    let app = spawn_app().await;
    let first = open_case(&app).await;
    let url = on_replica(&base, &app);
    app.engine
        .store
        .attach_replica(Replica::connect(&url, 300, 4).await.expect("a lazy pool"));
    let replica = app.engine.store.replica().expect("attached");
    until_usable(replica).await;
    for _ in 0..50 {
        if listed(&app).await.contains(&first) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(listed(&app).await, std::slice::from_ref(&first));
    assert_eq!(readiness(&app).await["read_replica"], "replica");
    assert_eq!(metric(&app, "casework_read_replica_used").await, "1");

    // Replay paused: a case opened now is on the primary only.
    let admin = Database::connect(base.as_str()).await.expect("the replica");
    admin
        .execute_unprepared("SELECT pg_wal_replay_pause()")
        .await
        .expect("pause");
    let second = open_case(&app).await;
    // The officer reads their own write back (from the primary)...
    let own = get(
        &app,
        &format!("/api/applications/{second}"),
        Role::IntakeClerk,
    )
    .await;
    assert_eq!(own.status(), StatusCode::OK);
    // ... and sees it in the list too: a caller who has just changed
    // something reads from the primary for a while...
    let clerks = get(&app, "/api/applications?limit=100", Role::IntakeClerk).await;
    let clerks: Value = clerks.json().await.expect("json");
    let seen: Vec<&str> = clerks["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["reference"].as_str())
        .collect();
    assert!(seen.contains(&second.as_str()), "{seen:?}");
    // ... while the supervisor's list, from the replica not yet checked
    // again, does not have it yet: it is read from the replica.
    assert_eq!(listed(&app).await, std::slice::from_ref(&first));

    // Past the bound, the next check skips the replica: the list comes from
    // the primary, and /readyz and /metrics say so.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let status = replica.check().await;
    assert!(!status.usable, "{status:?}");
    assert!(status.lag_ms.is_some_and(|l| l > 300), "{status:?}");
    let mut both = listed(&app).await;
    both.sort();
    let mut expected = vec![first.clone(), second.clone()];
    expected.sort();
    assert_eq!(both, expected);
    let ready = readiness(&app).await;
    assert_eq!(ready["read_replica"], "primary", "{ready}");
    assert_eq!(ready["status"], "ready");
    assert_eq!(metric(&app, "casework_read_replica_used").await, "0");

    // Replay resumed, it catches up and is read again.
    admin
        .execute_unprepared("SELECT pg_wal_replay_resume()")
        .await
        .expect("resume");
    until_usable(replica).await;
    let mut again = listed(&app).await;
    again.sort();
    assert_eq!(again, expected);
    assert_eq!(readiness(&app).await["read_replica"], "replica");
}

#[tokio::test]
async fn a_replica_that_does_not_answer_is_skipped_for_the_primary() {
    let Some(_) = replica_base() else { return };
    let app = spawn_app().await;
    let reference = open_case(&app).await;
    // Nothing listens on port 1: a stopped replica.
    app.engine.store.attach_replica(
        Replica::connect("postgres://postgres@127.0.0.1:1/postgres", 5000, 2)
            .await
            .expect("a lazy pool connects to nothing yet"),
    );
    let replica = app.engine.store.replica().expect("attached");
    let status = replica.check().await;
    assert!(!status.usable && status.lag_ms.is_none(), "{status:?}");
    assert_eq!(listed(&app).await, [reference]);
    let ready = readiness(&app).await;
    assert_eq!(ready["read_replica"], "primary", "{ready}");
    assert_eq!(ready["read_replica_lag_ms"], Value::Null);
    assert_eq!(
        metric(&app, "casework_read_replica_lag_milliseconds").await,
        "-1"
    );
    // The statistics, read from the primary, count the case.
    let stats = get(&app, "/api/statistics/headline", Role::Leadership).await;
    assert_eq!(stats.status(), StatusCode::OK);
    let stats: Value = stats.json().await.expect("json");
    assert_eq!(stats["applications_received"], 1, "{stats}");
}
