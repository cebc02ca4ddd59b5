//! Issue 18 §2: a second version of the family workflow and the migration
//! of running cases to it. The map's check on good and broken maps; the
//! plan writes nothing and equals what the run then does; a run stopped
//! and killed half-way and run again moves every case exactly once, with
//! intact chains and tallies equal to a recount; v1 and v2 cases side by
//! side.

use crate::common;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use casework::app::Engine;
use casework::app::migration::{self, MigrationRequest, Plan};
use casework::domain::roles::Role;
use casework::workflow::migration::MigrationMap;
use chrono::Utc;

const FROM: &str = "naturalization-family.v1";
const TO: &str = "naturalization-family.v2";
const MAP_FILE: &str = "workflows/naturalization-family.v1-to-v2.toml";

fn map_text() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(MAP_FILE)).expect("read")
}

/// Checks the built-in map with `edit` applied against the built-in
/// definitions; `expected` are the messages (without `file:line: `) in
/// order, none for a good map.
fn check(edit: impl Fn(String) -> String, expected: &[&str]) {
    let registry = casework::app::registry::Registry::load(None).expect("built in");
    let from = registry.get("naturalization-family", 1).expect("v1");
    let to = registry.get("naturalization-family", 2).expect("v2");
    let text = edit(map_text());
    let result = MigrationMap::parse("map.toml", &text).and_then(|map| map.check(&from, &to));
    let messages: Vec<String> = match result {
        Ok(()) => Vec::new(),
        Err(errors) => errors.0.into_iter().map(|e| e.message).collect(),
    };
    assert_eq!(messages, expected, "{text}");
}

#[test]
fn the_built_in_map_is_good() {
    check(|t| t, &[]);
}

#[test]
fn a_map_naming_an_unknown_state_is_refused_with_its_name() {
    check(
        |t| t.replace("returned = \"returned\"", "returnd = \"returned\""),
        &[
            "active case state 'returned' of naturalization-family.v1 is not mapped: its cases would have nowhere to go",
            "unknown case state 'returnd' of naturalization-family.v1",
        ],
    );
    check(
        |t| t.replace("printed = \"printed\"", "printed = \"card_printed\""),
        &["'printed' maps to unknown member state 'card_printed' of naturalization-family.v2"],
    );
}

#[test]
fn a_map_leaving_an_active_state_unmapped_is_refused() {
    check(
        |t| t.replace("verification = \"verification\"\n", ""),
        &[
            "active case state 'verification' of naturalization-family.v1 is not mapped: its cases would have nowhere to go",
        ],
    );
    check(
        |t| t.replace("collected = \"collected\"\n", ""),
        &["member state 'collected' of naturalization-family.v1 is not mapped"],
    );
}

#[test]
fn a_map_that_skips_a_separated_stage_is_refused_naming_the_rule() {
    check(
        |t| {
            t.replace(
                "approval = \"security_clearance\"",
                "approval = \"approval\"",
            )
        },
        &[
            "'approval' → 'approval' skips 'security_clearance' of naturalization-family.v2: its duty 'security_clearance', separated by rule 'one_stage_per_person', was never performed under naturalization-family.v1 (if cases in 'approval' are rightly past it, say `waives = [\"security_clearance\"]`)",
        ],
    );
    check(
        |t| {
            t.replace(
                "verification = \"verification\"",
                "verification = \"security_clearance\"",
            )
        },
        &[
            "'verification' → 'security_clearance' skips 'verification' of naturalization-family.v2: its duty 'verification', separated by rule 'one_stage_per_person', was never performed under naturalization-family.v1 (if cases in 'verification' are rightly past it, say `waives = [\"verification\"]`)",
        ],
    );
}

#[test]
fn workflow_check_reads_a_map_by_its_name_and_prints_every_error_with_its_line() {
    let dir = common::temp_dir("map");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join(MAP_FILE);
    let output = Command::new(env!("CARGO_BIN_EXE_casework"))
        .args(["workflow", "check"])
        .arg(&good)
        .output()
        .expect("runs");
    assert!(output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .ends_with(": ok")
    );

    let broken = dir.0.join("naturalization-family.v1-to-v2.toml");
    std::fs::write(
        &broken,
        map_text().replace(
            "approval = \"security_clearance\"",
            "approval = \"approval\"",
        ),
    )
    .expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_casework"))
        .args(["workflow", "check"])
        .arg(&broken)
        .output()
        .expect("runs");
    assert!(!output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = map_text()
        .lines()
        .position(|l| l.starts_with("approval ="))
        .expect("the approval line")
        + 1;
    assert!(
        stdout.contains(&format!(
            "naturalization-family.v1-to-v2.toml:{line}: 'approval' → 'approval' skips 'security_clearance'"
        )),
        "{stdout}"
    );
}

fn request() -> MigrationRequest {
    MigrationRequest {
        from: FROM.into(),
        to: TO.into(),
        map: None,
        state: None,
        district: None,
        batch: 40,
        limit: None,
    }
}

/// Every row of every table, as text.
fn dump(url: &str) -> String {
    let output = if let Some(path) = url.strip_prefix("sqlite://") {
        Command::new("sqlite3").arg(path).arg(".dump").output()
    } else {
        Command::new("pg_dump")
            .args(["--data-only", "--no-owner", url])
            .output()
    }
    .expect("the dump tool runs");
    assert!(output.status.success(), "{output:?}");
    // pg_dump's `\restrict` lines carry a random key each time.
    String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn demo(engine: &Engine, families: u64) {
    casework::app::demo::build(engine, families, 18, Utc::now(), |_| {})
        .await
        .expect("the demo builds");
}

async fn assert_intact(engine: &Engine) {
    let differences = casework::app::stats::check(engine).await.expect("check");
    assert!(differences.is_empty(), "{differences:?}");
    let report = casework::app::audit::verify(engine, None, None)
        .await
        .expect("verify");
    assert!(!report.broken(), "{:?}", report.cases.broken);
}

fn without_examples(mut plan: Plan) -> Plan {
    for u in plan.stays.iter_mut().chain(plan.refused.iter_mut()) {
        u.examples.clear();
    }
    plan
}

#[tokio::test]
async fn a_dry_run_writes_nothing_and_its_plan_is_what_the_run_then_does() {
    let (db, engine) = common::fresh_engine().await;
    demo(&engine, 240).await;
    let before = dump(&db.url);
    let plan = migration::plan(&engine, &request()).await.expect("plan");
    assert_eq!(dump(&db.url), before, "the dry run changed the database");
    assert!(plan.moving() > 100, "{plan:?}");
    assert!(
        plan.cases
            .iter()
            .any(|f| f.from == "approval" && f.to == "security_clearance")
    );
    assert!(plan.stays.iter().any(|u| u.state == "completed"));

    let done = migration::apply(&engine, &request(), "admin.one", |_| {}, Utc::now)
        .await
        .expect("apply");
    assert_eq!(without_examples(done), without_examples(plan.clone()));
    let moved = common::sql::count(
        &db.url,
        "SELECT COUNT(*) FROM audit_events WHERE action = 'migrated'",
    )
    .await;
    assert_eq!(moved as u64, plan.moving());
    assert_eq!(
        common::sql::count(
            &db.url,
            "SELECT COUNT(*) FROM applications WHERE workflow_name = 'naturalization-family' AND workflow_version = 2",
        )
        .await as u64,
        plan.moving()
    );
    assert_intact(&engine).await;

    // Run again: nothing is left to move.
    let again = migration::apply(&engine, &request(), "admin.one", |_| {}, Utc::now)
        .await
        .expect("apply");
    assert_eq!(again.moving(), 0);
}

fn binary(db: &common::TestDb, dir: &Path) -> Command {
    let mut command = common::binary::casework(db, dir);
    command.args(["workflow", "migrate", "--from", FROM, "--to", TO]);
    command
}

#[tokio::test]
async fn a_migration_stopped_and_killed_half_way_then_run_again_moves_every_case_once() {
    let (db, engine) = common::fresh_engine().await;
    demo(&engine, 400).await;
    let dir = common::temp_dir("migrate");
    let plan = migration::plan(&engine, &request()).await.expect("plan");
    let total = plan.moving() as i64;
    let moved = || async {
        common::sql::count(
            &db.url,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'migrated'",
        )
        .await
    };

    // Stopped after a slice.
    let output = binary(&db, &dir.0)
        .args(["--batch", "25", "--limit", "60"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("more cases remain: run again"));
    assert_eq!(moved().await, 60);

    // Killed as soon as it reports ten more cases moved.
    let mut child = binary(&db, &dir.0)
        .args(["--batch", "5"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    let mut stderr = child.stderr.take().expect("stderr");
    let mut byte = [0_u8; 1];
    let mut line = Vec::new();
    while stderr.read(&mut byte).expect("read") == 1 {
        if byte[0] != b'\r' {
            line.push(byte[0]);
            continue;
        }
        // "N cases looked at, M moved (T s)"
        let text = String::from_utf8_lossy(&line).to_string();
        line.clear();
        let moved_now: u64 = text
            .split(", ")
            .nth(1)
            .and_then(|m| m.split(' ').next())
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        if moved_now >= 10 {
            break;
        }
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    let after_kill = moved().await;
    assert!(
        after_kill > 60 && after_kill <= total,
        "{after_kill} of {total}"
    );

    // Run again to the end.
    let output = binary(&db, &dir.0).output().expect("runs");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(moved().await, total);
    assert_eq!(
        common::sql::count(
            &db.url,
            "SELECT COUNT(*) FROM (SELECT application_id FROM audit_events \
             WHERE action = 'migrated' GROUP BY application_id HAVING COUNT(*) > 1) t",
        )
        .await,
        0
    );
    assert_eq!(
        common::sql::count(
            &db.url,
            "SELECT COUNT(*) FROM applications WHERE workflow_name = 'naturalization-family' AND workflow_version = 1 \
             AND state NOT IN ('completed', 'rejected', 'withdrawn')",
        )
        .await,
        0
    );
    assert_intact(&engine).await;
}

#[tokio::test]
async fn a_filter_moves_only_the_cases_it_names() {
    let (db, engine) = common::fresh_engine().await;
    demo(&engine, 160).await;
    let only = MigrationRequest {
        state: Some("verification".into()),
        ..request()
    };
    let plan = migration::plan(&engine, &only).await.expect("plan");
    assert_eq!(
        plan.cases
            .iter()
            .map(|f| (f.from.as_str(), f.to.as_str()))
            .collect::<Vec<_>>(),
        [("verification", "verification")]
    );
    migration::apply(&engine, &only, "admin.one", |_| {}, Utc::now)
        .await
        .expect("apply");
    assert_eq!(
        common::sql::count(
            &db.url,
            "SELECT COUNT(*) FROM applications WHERE workflow_name = 'naturalization-family' AND workflow_version = 2 AND state <> 'verification'",
        )
        .await,
        0
    );
    assert_intact(&engine).await;
}

#[tokio::test]
async fn v1_and_v2_cases_stand_side_by_side_in_the_queue_and_the_statistics() {
    let (db, engine) = common::fresh_engine().await;
    demo(&engine, 120).await;
    // Half of the verification cases move to v2; a new case starts on v2.
    let half = MigrationRequest {
        state: Some("verification".into()),
        limit: Some(5),
        batch: 5,
        ..request()
    };
    migration::apply(&engine, &half, "admin.one", |_| {}, Utc::now)
        .await
        .expect("apply");
    let clerk = common::actors::officer("clerk.new", Role::IntakeClerk);
    let reference = common::cases::case_in_verification(
        &engine,
        &common::families::family().draft(),
        &clerk,
        Utc::now(),
        Utc::now(),
    )
    .await;
    let versions = common::sql::rows(
        &db.url,
        &format!(
            "SELECT CAST(workflow_version AS TEXT) FROM applications WHERE reference = '{reference}'"
        ),
    )
    .await;
    assert_eq!(versions[0][0].as_deref(), Some("2"));
    let in_verification = |version: i32| {
        let url = db.url.clone();
        async move {
            common::sql::count(
                &url,
                &format!(
                    "SELECT COUNT(*) FROM applications WHERE state = 'verification' AND workflow_version = {version}"
                ),
            )
            .await
        }
    };
    assert!(in_verification(1).await > 0);
    assert_eq!(in_verification(2).await, 6);

    // The verifier's queue lists both.
    let verifier = common::actors::officer("verifier.one", Role::Verifier);
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let page = casework::app::lists::queue(
            &engine,
            &verifier,
            casework::app::lists::QueueQuery {
                state: Some("verification".into()),
                after,
                limit: 200,
                ..Default::default()
            },
            Utc::now(),
        )
        .await
        .expect("queue");
        items.extend(page.items);
        after = page.next;
        if after.is_none() {
            break;
        }
    }
    let total = in_verification(1).await + in_verification(2).await;
    assert_eq!(
        items.iter().filter(|c| c.state == "verification").count() as i64,
        total
    );

    // The statistics count both versions, and the counts by version.
    let leadership = common::actors::officer("director", Role::Leadership);
    let scope = casework::app::stats::scope(
        &engine,
        &leadership,
        &casework::app::stats::StatsQuery::default(),
        casework::workflow::machine::local_date(Utc::now()),
    )
    .expect("scope");
    let by_version = casework::app::stats::versions(&engine, &scope)
        .await
        .expect("versions");
    let backlog = casework::app::stats::backlog(&engine, &scope)
        .await
        .expect("backlog");
    let counted: i64 = backlog.by_state.iter().map(|s| s.families).sum();
    assert_eq!(
        counted, 121,
        "every case is in the backlog's states, v1 or v2"
    );
    let families = |version: u32| {
        by_version
            .versions
            .iter()
            .find(|v| v.version == version)
            .map_or(0, |v| v.families)
    };
    assert_eq!(families(1) + families(2), 121);
    assert_eq!(families(2), 6);
    assert_intact(&engine).await;
}

/// A registered person awaiting their card, in a case on `version`: the
/// national number and the application's state.
async fn awaiting_card(url: &str, version: i32) -> (String, String) {
    let found = common::sql::rows(
        url,
        &format!(
            "SELECT m.national_number, a.state FROM members m \
             JOIN applications a ON a.id = m.application_id \
             WHERE m.state = 'awaiting_appearance' AND m.national_number IS NOT NULL \
             AND a.workflow_version = {version} \
             AND a.state IN ('card_issuance', 'biometrics_capture') ORDER BY m.id LIMIT 1"
        ),
    )
    .await;
    let row = found.first().expect("such a person");
    (
        row[0].clone().expect("a national number"),
        row[1].clone().expect("a state"),
    )
}

#[tokio::test]
async fn the_portal_answers_for_persons_of_v1_and_v2_cases_alike() {
    let app = common::spawn_app().await;
    demo(&app.engine, 200).await;
    // Some of the card cases move to v2; the others stay on v1 for now.
    let some = MigrationRequest {
        state: Some("card_issuance".into()),
        limit: Some(10),
        batch: 10,
        ..request()
    };
    migration::apply(&app.engine, &some, "admin.one", |_| {}, Utc::now)
        .await
        .expect("apply");
    let key = casework::app::portal::add(
        &app.engine,
        "interior",
        &[
            "naturalization-status".to_string(),
            "card-status".to_string(),
        ],
        &[],
        1000,
        None,
        Utc::now(),
    )
    .await
    .expect("the agency is added");
    for version in [1, 2] {
        let (national, state) = awaiting_card(app.db_url(), version).await;
        let expected_state = if version == 1 {
            "card_issuance"
        } else {
            "biometrics_capture"
        };
        assert_eq!(state, expected_state);
        for (route, field, value) in [
            ("/portal/v1/naturalization-status", "status", "granted"),
            ("/portal/v1/card-status", "card", "in_production"),
        ] {
            let response = app
                .client
                .post(app.url(route))
                .bearer_auth(&key)
                .json(&serde_json::json!({
                    "purpose": "verifying nationality for a work permit",
                    "person": {"national_number": national},
                }))
                .send()
                .await
                .expect("request");
            assert_eq!(response.status(), reqwest::StatusCode::OK);
            let body: serde_json::Value = response.json().await.expect("json");
            assert_eq!(body["result"][field], value, "v{version} {route}: {body}");
            if field == "status" {
                // The application's state is named by its own version.
                assert_eq!(body["result"]["application_state"], expected_state);
            }
        }
    }
}

#[tokio::test]
async fn an_admin_plans_then_applies_over_the_api_in_slices_and_each_case_shows_its_version() {
    let app = common::spawn_app().await;
    demo(&app.engine, 120).await;
    let body = serde_json::json!({"from": FROM, "to": TO});
    // Only admins.
    let refused =
        common::http::post_json(&app, "/api/migrations/plan", Role::Supervisor, &body).await;
    assert_eq!(refused.status(), reqwest::StatusCode::FORBIDDEN);

    let plan: serde_json::Value =
        common::http::post_json(&app, "/api/migrations/plan", Role::Admin, &body)
            .await
            .json()
            .await
            .expect("json");
    let planned: u64 = plan["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|f| f["count"].as_u64().expect("count"))
        .sum();
    assert!(planned > 40, "{plan}");

    let mut moved = 0;
    let mut requests = 0;
    loop {
        let slice: serde_json::Value = common::http::post_json(
            &app,
            "/api/migrations/apply",
            Role::Admin,
            &serde_json::json!({"from": FROM, "to": TO, "limit": 25}),
        )
        .await
        .json()
        .await
        .expect("json");
        requests += 1;
        moved += slice["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|f| f["count"].as_u64().expect("count"))
            .sum::<u64>();
        if slice["more"] != true {
            break;
        }
        assert!(requests < 50, "the slices end");
    }
    assert_eq!(moved, planned);
    assert!(requests > 1);
    assert_intact(&app.engine).await;

    // The case page names the definition and its version; the history
    // shows the move.
    let rows = common::sql::rows(
        app.db_url(),
        "SELECT reference FROM applications a WHERE workflow_name = 'naturalization-family' AND workflow_version = 2 \
         AND EXISTS (SELECT 1 FROM audit_events e WHERE e.application_id = a.id \
         AND e.action = 'migrated') LIMIT 1",
    )
    .await;
    let reference = rows[0][0].clone().expect("a migrated case");
    let page = common::http::get(
        &app,
        &format!("/applications/{reference}?lang=en"),
        Role::Supervisor,
    )
    .await
    .text()
    .await
    .expect("text");
    assert!(
        page.contains(
            "Naturalization of families in the Hasakah foreigners&#39; registers · version 2"
        ) || page.contains(
            "Naturalization of families in the Hasakah foreigners' registers · version 2"
        ),
        "{page}"
    );
    assert!(
        page.contains("Moved to a newer version of the workflow"),
        "{page}"
    );
    let stayed = common::sql::rows(
        app.db_url(),
        "SELECT reference FROM applications WHERE workflow_name = 'naturalization-family' AND workflow_version = 1 LIMIT 1",
    )
    .await;
    let reference = stayed[0][0].clone().expect("a case on v1");
    let page = common::http::get(
        &app,
        &format!("/applications/{reference}?lang=en"),
        Role::Supervisor,
    )
    .await
    .text()
    .await
    .expect("text");
    assert!(page.contains("registers · version 1"), "{page}");

    // Leadership sees the counts by version on the dashboard and in the
    // statistics.
    let panel = common::http::get(&app, "/dashboard/panel?lang=en", Role::Leadership)
        .await
        .text()
        .await
        .expect("text");
    assert!(
        panel.contains("Applications by workflow version"),
        "{panel}"
    );
    assert!(panel.contains(r#"data-version="1""#) && panel.contains(r#"data-version="2""#));
    let versions: serde_json::Value =
        common::http::get(&app, "/api/statistics/versions", Role::Leadership)
            .await
            .json()
            .await
            .expect("json");
    let families: Vec<(u64, u64)> = versions["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| {
            (
                v["version"].as_u64().expect("version"),
                v["families"].as_u64().expect("families"),
            )
        })
        .collect();
    assert_eq!(families, [(1, 120 - planned), (2, planned)]);
}

#[tokio::test]
async fn officers_working_during_a_migration_lose_nothing_and_every_case_moves_once() {
    let (db, engine) = common::fresh_engine().await;
    demo(&engine, 200).await;
    let in_verification: Vec<String> = common::sql::rows(
        &db.url,
        "SELECT reference FROM applications WHERE state = 'verification' ORDER BY id DESC",
    )
    .await
    .into_iter()
    .filter_map(|row| row[0].clone())
    .collect();
    assert!(in_verification.len() > 10);
    // Verifiers return cases to the applicant (a case-level change, under
    // whichever version the case is on when they act) while the migration
    // walks the cases in small batches.
    let officers = {
        let engine = engine.clone();
        tokio::spawn(async move {
            let verifier = common::actors::officer("verifier.busy", Role::Verifier);
            let mut done = 0;
            for reference in in_verification {
                let command = casework::workflow::Command::new("return_to_applicant")
                    .with("reason", "ينقص بيان القيد");
                if casework::app::cases::perform(
                    &engine,
                    &reference,
                    &verifier,
                    &command,
                    None,
                    Utc::now(),
                )
                .await
                .is_ok()
                {
                    done += 1;
                }
                tokio::task::yield_now().await;
            }
            done
        })
    };
    let small = MigrationRequest {
        batch: 3,
        ..request()
    };
    let first = migration::apply(&engine, &small, "admin.one", |_| {}, Utc::now)
        .await
        .expect("apply");
    let returned = officers.await.expect("the officers finish");
    assert!(returned > 10, "{returned}");
    // Whatever kept changing is taken by a second run.
    migration::apply(&engine, &small, "admin.one", |_| {}, Utc::now)
        .await
        .expect("apply");
    assert!(first.moving() > 0);
    assert_eq!(
        common::sql::count(
            &db.url,
            "SELECT COUNT(*) FROM applications WHERE workflow_name = 'naturalization-family' AND workflow_version = 1 \
             AND state NOT IN ('completed', 'rejected', 'withdrawn')",
        )
        .await,
        0
    );
    assert_eq!(
        common::sql::count(
            &db.url,
            "SELECT COUNT(*) FROM (SELECT application_id FROM audit_events \
             WHERE action = 'migrated' GROUP BY application_id HAVING COUNT(*) > 1) t",
        )
        .await,
        0
    );
    assert_eq!(
        common::sql::count(
            &db.url,
            "SELECT COUNT(*) FROM audit_events WHERE action = 'return_to_applicant' \
             AND actor = 'verifier.busy'",
        )
        .await,
        returned as i64,
        "every acknowledged action is in a chain"
    );
    assert_intact(&engine).await;
}

/// A database from before migration 27 has tallies without the `workflow`
/// kind: the migration empties them and the start-up recounts them, so
/// the counts by version are there and equal a recount.
#[tokio::test]
async fn an_existing_database_gets_its_counts_by_version_after_migration_27() {
    use ::migration::{Migrator, MigratorTrait};
    let (db, engine) = common::fresh_engine().await;
    demo(&engine, 60).await;
    let conn = sea_orm::Database::connect(db.url.as_str())
        .await
        .expect("connects");
    let since_27 = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261204_000027_workflow_versions")
        .expect("migration 27 is listed")
        + 1;
    Migrator::down(&conn, Some(since_27 as u32))
        .await
        .expect("migration 27 down");
    casework::app::stats::rebuild(&engine)
        .await
        .expect("rebuilds");
    common::sql::execute(&db.url, "DELETE FROM tallies WHERE kind = 'workflow'").await;
    // As the tallies were before: no `workflow` rows.
    casework::app::system::migrate(&engine.store, Utc::now())
        .await
        .expect("migrates");
    assert_eq!(
        common::sql::count(
            &db.url,
            "SELECT CAST(COALESCE(SUM(families), 0) AS BIGINT) FROM tallies WHERE kind = 'workflow'",
        )
        .await,
        60
    );
    assert_intact(&engine).await;
}
