//! Targets and trends for the dashboard (issue 20): admins set, replace
//! and remove targets, refused with named fields when they do not make
//! sense; leadership, supervisors and admins read where each stands, which
//! agrees with the other statistics; the headline a week and four weeks
//! ago is what the headline said on those days; the panel writes Arabic
//! in the digits the setting chooses and drills into a stage, an age
//! bucket, a district or an office (a supervisor on to the cases). On SQLite, and on
//! PostgreSQL when `CASEWORK_TEST_DATABASE_URL` is set.

use crate::common;

use casework::app::cases::{create, perform};
use casework::app::stats::{self, StatsQuery};
use casework::domain::roles::Role;
use casework::store::entities::{application, member};
use casework::workflow::Command;
use casework::workflow::machine::local_date;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::actors::officer;
use common::families::family;
use common::http::get;
use common::spawn_app;
use common::time::{date, utc};
use reqwest::StatusCode;
use sea_orm::{Database, EntityTrait};
use serde_json::{Value, json};

/// A PUT of a JSON body as the officer of `role`.
async fn put(app: &common::TestApp, path: &str, role: Role, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(path))
        .bearer_auth(app.token(role))
        .json(body)
        .send()
        .await
        .expect("request")
}

async fn delete(app: &common::TestApp, path: &str, role: Role) -> reqwest::Response {
    app.client
        .delete(app.url(path))
        .bearer_auth(app.token(role))
        .send()
        .await
        .expect("request")
}

/// The fields a refusal names, in order.
async fn fields(response: reqwest::Response) -> Vec<String> {
    let body: Value = response.json().await.expect("a problem");
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Opens a family received on `received` at `at`; returns its reference.
async fn open(engine: &casework::app::Engine, received: NaiveDate, at: DateTime<Utc>) -> String {
    let mut draft = family().draft();
    draft.submitted_on = received;
    create(engine, &draft, &officer("clerk", Role::IntakeClerk), at)
        .await
        .expect("the case opens")
        .reference
}

async fn withdraw(engine: &casework::app::Engine, reference: &str, at: DateTime<Utc>) {
    let mut command = Command::new("withdraw");
    command.fields.insert(
        "reason".into(),
        "the family withdrew its application".into(),
    );
    perform(
        engine,
        reference,
        &officer("clerk", Role::IntakeClerk),
        &command,
        None,
        at,
    )
    .await
    .expect("the case is withdrawn");
}

#[tokio::test]
async fn admins_set_targets_and_everyone_who_reads_statistics_sees_where_they_stand() {
    let app = spawn_app().await;
    let now = Utc::now();
    // Three applications received before 2026-04-01, one after; one of
    // the early ones withdrawn eight days ago, so in the last four full
    // weeks: one closed, a rate of 0.25 a week.
    let early: Vec<String> = {
        let mut refs = Vec::new();
        for _ in 0..3 {
            refs.push(open(&app.engine, date(2026, 3, 1), now - Duration::days(20)).await);
        }
        refs
    };
    open(&app.engine, date(2026, 5, 1), now - Duration::days(20)).await;
    withdraw(&app.engine, &early[0], now - Duration::days(8)).await;

    let path = "/api/statistics/targets/backlog-2026";
    let closed_by =
        json!({"kind": "closed_by", "received_before": "2026-04-01", "deadline": "2099-12-31"});
    for role in [Role::Leadership, Role::Supervisor, Role::Verifier] {
        let refused = put(&app, path, role, &closed_by).await;
        assert_eq!(
            refused.status(),
            StatusCode::FORBIDDEN,
            "{role:?} sets no target"
        );
    }
    let made = put(&app, path, Role::Admin, &closed_by).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    let made: Value = made.json().await.expect("json");
    assert_eq!(made["kind"], "closed_by");
    assert_eq!(made["workflow"], "naturalization-family");
    assert_eq!(made["set_by"], "admin.one");
    // The same name again replaces it.
    let again = put(&app, path, Role::Admin, &closed_by).await;
    assert_eq!(again.status(), StatusCode::OK);
    let within = put(
        &app,
        "/api/statistics/targets/within-limits",
        Role::Admin,
        &json!({"kind": "within_time_limit", "percent": 90}),
    )
    .await;
    assert_eq!(within.status(), StatusCode::CREATED);

    for role in [Role::Leadership, Role::Supervisor, Role::Admin] {
        let read = get(&app, "/api/statistics/targets", role).await;
        assert_eq!(read.status(), StatusCode::OK, "{role:?} reads the targets");
    }
    for role in [Role::Verifier, Role::Auditor, Role::IntakeClerk] {
        let read = get(&app, "/api/statistics/targets", role).await;
        assert_eq!(
            read.status(),
            StatusCode::FORBIDDEN,
            "{role:?} reads no target"
        );
    }
    let read: Value = get(&app, "/api/statistics/targets", Role::Leadership)
        .await
        .json()
        .await
        .expect("json");
    let targets = read["targets"].as_array().expect("a list");
    assert_eq!(targets.len(), 2);
    let backlog = &targets[0];
    assert_eq!(backlog["target"]["name"], "backlog-2026");
    assert_eq!(
        (backlog["remaining"].as_i64(), backlog["total"].as_i64()),
        (Some(2), Some(3))
    );
    assert_eq!(
        backlog["weekly_rate"].as_f64(),
        Some(0.3),
        "0.25 a week, to one decimal"
    );
    assert_eq!(
        backlog["status"], "on_track",
        "two left at a quarter a week: 56 days"
    );
    let today = local_date(Utc::now());
    assert_eq!(
        backlog["projected"].as_str(),
        Some((today + Duration::days(56)).to_string().as_str())
    );

    // The share within the time limit agrees with the breaches and the
    // headline, and the verdict with the share.
    let limits = &targets[1];
    let breaches: Value = get(&app, "/api/statistics/sla-breaches", Role::Leadership)
        .await
        .json()
        .await
        .expect("json");
    let headline: Value = get(&app, "/api/statistics/headline", Role::Leadership)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(limits["remaining"], breaches["total_breached"]);
    assert_eq!(limits["total"], headline["applications_open"]);
    let share = limits["share"].as_f64().expect("a share");
    let open = headline["applications_open"].as_f64().expect("open");
    let breached = breaches["total_breached"].as_f64().expect("breached");
    assert_eq!(share, ((open - breached) / open * 1000.0).round() / 10.0);
    assert_eq!(
        limits["status"],
        if share >= 90.0 { "met" } else { "behind" }
    );

    // The dashboard's panel shows both, by their verdicts.
    let panel = get(&app, "/dashboard/panel?lang=en", Role::Leadership)
        .await
        .text()
        .await
        .expect("html");
    assert!(
        panel.contains(r#"data-target="backlog-2026" data-status="on_track""#),
        "{panel}"
    );
    assert!(panel.contains("2 still open of 3"), "the figure is shown");
    assert!(panel.contains(r#"data-target="within-limits""#));

    let removed = delete(&app, path, Role::Admin).await;
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let gone = delete(&app, path, Role::Admin).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let refused = delete(
        &app,
        "/api/statistics/targets/within-limits",
        Role::Leadership,
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let read: Value = get(&app, "/api/statistics/targets", Role::Admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["targets"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn a_target_that_makes_no_sense_is_refused_naming_its_fields() {
    let app = spawn_app().await;
    let path = "/api/statistics/targets/t1";
    let check = |body: Value, expected: &'static [&'static str]| {
        let app = &app;
        async move {
            let response = put(app, path, Role::Admin, &body).await;
            assert_eq!(
                response.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}"
            );
            assert_eq!(fields(response).await, expected, "{body}");
        }
    };
    check(
        json!({"kind": "closed_by"}),
        &["received_before", "deadline"],
    )
    .await;
    check(
        json!({"kind": "closed_by", "received_before": "2026-01-01", "deadline": "2025-06-30", "percent": 90}),
        &["deadline", "percent"],
    )
    .await;
    check(json!({"kind": "within_time_limit"}), &["percent"]).await;
    check(
        json!({"kind": "within_time_limit", "percent": 101, "received_before": "2026-01-01"}),
        &["percent", "received_before"],
    )
    .await;
    check(
        json!({"kind": "within_time_limit", "percent": 90, "deadline": "1999-01-01"}),
        &["deadline"],
    )
    .await;
    let unknown_workflow = put(
        &app,
        path,
        Role::Admin,
        &json!({"kind": "within_time_limit", "percent": 90, "workflow": "no-such-workflow"}),
    )
    .await;
    assert_eq!(unknown_workflow.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_name = put(
        &app,
        "/api/statistics/targets/Not%20a%20name",
        Role::Admin,
        &json!({"kind": "within_time_limit", "percent": 90}),
    )
    .await;
    assert_eq!(bad_name.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(bad_name).await, ["name"]);
    // Not the schema (an unknown kind or field): 422, as every JSON body
    // of the API; not JSON at all: 400.
    for body in [
        json!({"kind": "faster_please"}),
        json!({"kind": "within_time_limit", "percent": 90, "colour": "red"}),
    ] {
        let response = put(&app, path, Role::Admin, &body).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = response.json().await.expect("a problem");
        assert_eq!(problem["code"], "invalid_body");
    }
    let not_json = app
        .client
        .put(app.url(path))
        .bearer_auth(app.token(Role::Admin))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .expect("request");
    assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
    // Nothing refused was stored.
    let read: Value = get(&app, "/api/statistics/targets", Role::Admin)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(read["targets"], json!([]));
}

/// The headline as read on `today`.
async fn headline_on(engine: &casework::app::Engine, today: NaiveDate) -> stats::Headline {
    let scope = stats::scope(
        engine,
        &officer("director", Role::Leadership),
        &StatsQuery::default(),
        today,
    )
    .expect("scope");
    stats::headline(engine, &scope).await.expect("headline")
}

fn figures(
    received: i64,
    persons: i64,
    registered: i64,
    collected: i64,
    completed: i64,
    open: i64,
) -> [i64; 6] {
    [received, persons, registered, collected, completed, open]
}

fn of_headline(h: &stats::Headline) -> [i64; 6] {
    figures(
        h.applications_received,
        h.persons_covered,
        h.persons_registered,
        h.cards_collected,
        h.applications_completed,
        h.applications_open,
    )
}

fn of_past(p: &stats::Past) -> [i64; 6] {
    figures(
        p.applications_received,
        p.persons_covered,
        p.persons_registered,
        p.cards_collected,
        p.applications_completed,
        p.applications_open,
    )
}

#[tokio::test]
async fn a_week_and_four_weeks_ago_are_what_the_headline_said_on_those_days() {
    let (_db, engine) = common::fresh_engine().await;
    // Day by day from 2026-05-03: two families received each day, one
    // withdrawn every third day; the headline noted at each day's end.
    let first = date(2026, 5, 3);
    let mut noted = Vec::new();
    let mut open_refs: Vec<String> = Vec::new();
    for n in 0..45 {
        let day = first + Duration::days(n);
        let morning = utc(2026, 5, 3, 7, 0) + Duration::days(n);
        for k in 0..2 {
            open_refs.push(open(&engine, day, morning + Duration::minutes(k)).await);
        }
        if n % 3 == 0 {
            let reference = open_refs.remove(0);
            withdraw(&engine, &reference, morning + Duration::hours(5)).await;
        }
        noted.push(of_headline(&headline_on(&engine, day).await));
    }
    let last = first + Duration::days(44);
    let scope = stats::scope(
        &engine,
        &officer("director", Role::Leadership),
        &StatsQuery::default(),
        last,
    )
    .expect("scope");
    let today = stats::headline(&engine, &scope).await.expect("headline");
    let trends = stats::trends(&engine, &scope, &today)
        .await
        .expect("trends");
    assert_eq!(trends.week_ago.as_of, last - Duration::days(7));
    assert_eq!(trends.four_weeks_ago.as_of, last - Duration::days(28));
    assert_eq!(of_past(&trends.week_ago), noted[44 - 7], "a week ago");
    assert_eq!(
        of_past(&trends.four_weeks_ago),
        noted[44 - 28],
        "four weeks ago"
    );
}

#[tokio::test]
async fn on_the_demo_province_the_past_headline_equals_a_recount_of_the_raw_rows() {
    let (db, engine) = common::fresh_engine().await;
    let now = utc(2026, 11, 26, 12, 0);
    casework::app::demo::build(&engine, 150, 7, now, |_| {})
        .await
        .expect("the demo is built");
    let today = local_date(now);
    let scope = stats::scope(
        &engine,
        &officer("director", Role::Leadership),
        &StatsQuery::default(),
        today,
    )
    .expect("scope");
    let head = stats::headline(&engine, &scope).await.expect("headline");
    let trends = stats::trends(&engine, &scope, &head).await.expect("trends");

    // A plain recount of each figure on a past day, from the raw rows.
    let conn = Database::connect(db.url.as_str()).await.expect("connects");
    // The family workflow's cases (the demo has persons' cases too).
    let apps: Vec<application::Model> = application::Entity::find()
        .all(&conn)
        .await
        .expect("reads")
        .into_iter()
        .filter(|a| a.workflow_name == "naturalization-family")
        .collect();
    let ids: std::collections::HashSet<i64> = apps.iter().map(|a| a.id).collect();
    let people: Vec<member::Model> = member::Entity::find()
        .all(&conn)
        .await
        .expect("reads")
        .into_iter()
        .filter(|m| ids.contains(&m.application_id))
        .collect();
    let workflow = engine
        .workflows
        .latest("naturalization-family")
        .expect("the workflow");
    let collected = workflow
        .card_state(casework::workflow::definition::CardStage::Collected)
        .expect("a collected state");
    let recount = |day: NaiveDate| -> [i64; 6] {
        let received: Vec<&application::Model> =
            apps.iter().filter(|a| a.submitted_on <= day).collect();
        let persons = received
            .iter()
            .map(|a| people.iter().filter(|m| m.application_id == a.id).count() as i64)
            .sum();
        let closed_by = |a: &application::Model| {
            workflow.state(&a.state).is_some_and(|s| s.terminal)
                && local_date(a.state_entered_at) <= day
        };
        let completed = received
            .iter()
            .filter(|a| {
                closed_by(a)
                    && workflow
                        .outcome(&a.state)
                        .is_some_and(|o| o == casework::workflow::definition::Outcome::Completed)
            })
            .count() as i64;
        let closed = received.iter().filter(|a| closed_by(a)).count() as i64;
        let registered = people
            .iter()
            .filter(|m| m.registered_on.is_some_and(|r| r <= day))
            .count() as i64;
        let cards = people
            .iter()
            .filter(|m| m.state == collected && m.state_changed_on.is_some_and(|c| c <= day))
            .count() as i64;
        figures(
            received.len() as i64,
            persons,
            registered,
            cards,
            completed,
            received.len() as i64 - closed,
        )
    };
    assert_eq!(
        of_headline(&head),
        recount(today + Duration::days(3650)),
        "today"
    );
    assert_eq!(
        of_past(&trends.week_ago),
        recount(today - Duration::days(7)),
        "a week ago"
    );
    assert_eq!(
        of_past(&trends.four_weeks_ago),
        recount(today - Duration::days(28)),
        "four weeks ago"
    );
    assert!(
        of_past(&trends.four_weeks_ago) != of_headline(&head),
        "the demo's last four weeks moved something"
    );
}

#[tokio::test]
async fn the_panel_writes_arabic_in_the_digits_the_setting_chooses_and_drills_only_into_what_exists()
 {
    let arabic = spawn_app().await;
    let western = common::spawn_app_with(|engine| {
        engine.settings.dashboard_digits = casework::domain::language::Digits::Western;
    })
    .await;
    for app in [&arabic, &western] {
        open(
            &app.engine,
            date(2026, 3, 1),
            Utc::now() - Duration::days(20),
        )
        .await;
    }
    let indic = |text: &str| text.chars().any(|c| ('٠'..='٩').contains(&c));
    let digits = |text: &str| text.chars().any(|c| c.is_ascii_digit());
    // The text a reader sees: the markup's attributes left out.
    let visible = |html: &str| {
        let mut out = String::new();
        let mut inside = false;
        for c in html.chars() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                c if !inside => out.push(c),
                _ => {}
            }
        }
        out
    };
    let ar = get(&arabic, "/dashboard/panel?lang=ar", Role::Leadership)
        .await
        .text()
        .await
        .expect("html");
    let wes = get(&western, "/dashboard/panel?lang=ar", Role::Leadership)
        .await
        .text()
        .await
        .expect("html");
    assert!(indic(&visible(&ar)), "Arabic-Indic digits by default");
    assert!(
        !indic(&visible(&wes)),
        "no Arabic-Indic digit when the setting says western"
    );
    assert!(digits(&visible(&wes)));
    // One date format, isolated: the position's day in a <bdi>.
    assert!(ar.contains(r#"<p class="asof">الوضع في <bdi><time datetime=""#));

    for (query, field) in [("state=no_such_stage", "state"), ("age=3-5", "age")] {
        let refused = get(
            &arabic,
            &format!("/dashboard/panel?{query}"),
            Role::Leadership,
        )
        .await;
        assert_eq!(
            refused.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}"
        );
        assert_eq!(fields(refused).await, [field]);
    }
    let workflow = arabic
        .engine
        .workflows
        .latest("naturalization-family")
        .expect("the workflow");
    let first = &workflow.states[0].name;
    for (query, drill) in [
        (format!("state={first}"), "state"),
        ("age=181%2B".to_string(), "age"),
        ("district=al_qamishli".to_string(), "district"),
        (
            "district=al_qamishli&office=qamishli_1".to_string(),
            "office",
        ),
    ] {
        let html = get(
            &arabic,
            &format!("/dashboard/panel?lang=en&{query}"),
            Role::Leadership,
        )
        .await
        .text()
        .await
        .expect("html");
        assert!(
            html.contains(&format!(r#"data-drill="{drill}""#)),
            "{query} drills into the {drill}"
        );
        assert!(
            !html.contains(r#"class="cases""#),
            "leadership gets no link to cases"
        );
    }
    let supervisor = get(
        &arabic,
        &format!("/dashboard/panel?lang=en&state={first}"),
        Role::Supervisor,
    )
    .await
    .text()
    .await
    .expect("html");
    assert!(
        supervisor.contains(&format!(
            r#"href="/team?state={first}&amp;district=al_qamishli&amp;office=qamishli_1"#
        )),
        "a supervisor goes on to the cases: {supervisor}"
    );
}

#[tokio::test]
async fn cards_due_and_breaches_noted_on_a_day_are_shown_a_week_later() {
    let (_db, engine) = common::fresh_engine().await;
    let noon = utc(2026, 5, 3, 9, 0);
    let day = local_date(noon);
    // Opened two months earlier: past intake's due date on the day noted.
    for _ in 0..3 {
        open(&engine, day - Duration::days(60), noon - Duration::days(60)).await;
    }
    assert!(stats::note_day(&engine, noon).await.expect("notes"));
    assert!(
        !stats::note_day(&engine, noon + Duration::minutes(30))
            .await
            .expect("reads"),
        "not again within the hour"
    );
    let leadership = officer("director", Role::Leadership);
    let figures_on = |today: NaiveDate, district: Option<&str>| {
        let engine = &engine;
        let leadership = &leadership;
        let district = district.map(str::to_string);
        async move {
            let scope = stats::scope(
                engine,
                leadership,
                &StatsQuery {
                    district,
                    ..StatsQuery::default()
                },
                today,
            )
            .expect("scope");
            let head = stats::headline(engine, &scope).await.expect("headline");
            let breached = stats::breaches(engine, &scope)
                .await
                .expect("breaches")
                .total_breached;
            let trends = stats::trends(engine, &scope, &head).await.expect("trends");
            (head.cards_due.total, breached, trends)
        }
    };
    let (cards_then, breached_then, _) = figures_on(day, None).await;
    assert_eq!(breached_then, 3, "the three are past their due date");
    let (_, _, later) = figures_on(day + Duration::days(7), None).await;
    assert_eq!(later.week_ago.as_of, day);
    assert_eq!(
        (later.week_ago.cards_due, later.week_ago.sla_breaches),
        (Some(cards_then), Some(breached_then)),
        "a week later the day's figures are read back"
    );
    assert_eq!(
        (
            later.four_weeks_ago.cards_due,
            later.four_weeks_ago.sla_breaches
        ),
        (None, None),
        "nothing was noted four weeks before: not kept"
    );
    // Per district too: the family is at al_qamishli, none at al_hasakah.
    let (_, _, qamishli) = figures_on(day + Duration::days(7), Some("al_qamishli")).await;
    assert_eq!(qamishli.week_ago.sla_breaches, Some(3));
    let (_, _, hasakah) = figures_on(day + Duration::days(7), Some("al_hasakah")).await;
    assert_eq!(hasakah.week_ago.sla_breaches, Some(0));
}
