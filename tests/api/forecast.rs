//! The forecast and the staffing what-if over HTTP, on a demo province:
//! the same seed gives the same answer, more officers never clear later
//! (fewer never sooner), a bad change is a 422 naming its field, and only
//! leadership and supervisors ask.

use crate::common;

use casework::domain::roles::Role;
use chrono::NaiveDate;
use reqwest::StatusCode;
use serde_json::Value;

use common::TestApp;
use common::http::{get, get_with_token};

async fn demo_app() -> TestApp {
    common::spawn_demo_app(600).await
}

async fn json(app: &TestApp, path: &str, role: Role) -> Value {
    let response = get(app, path, role).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.expect("json")
}

/// A clearance's P10, P50 and P90 as sortable days (never: the far future).
fn days(c: &Value) -> [NaiveDate; 3] {
    ["p10", "p50", "p90"].map(|k| {
        c[k].as_str()
            .map(|d| d.parse().expect("a date"))
            .unwrap_or(NaiveDate::MAX)
    })
}

/// Every measure of an outlook: families, persons, cards and, for a
/// what-if, the district's families.
fn measures(o: &Value) -> Vec<[NaiveDate; 3]> {
    ["families", "persons", "cards", "district"]
        .iter()
        .filter(|k| !o[**k].is_null())
        .map(|k| days(&o[*k]))
        .collect()
}

fn no_later(a: &Value, b: &Value) -> bool {
    measures(a)
        .iter()
        .zip(measures(b))
        .all(|(a, b)| a.iter().zip(b).all(|(x, y)| *x <= y))
}

#[tokio::test]
async fn more_officers_never_clear_later_and_fewer_never_sooner() {
    let app = demo_app().await;
    let what_if = |role: &str, place: &str, add: i64, offices: i64| {
        format!(
            "/api/statistics/what-if?role={role}&district={place}&add={add}&card_offices={offices}&seed=5"
        )
    };
    for (role, place) in [("card_officer", "al_qamishli"), ("verifier", "al_hasakah")] {
        let mut earlier: Option<Value> = None;
        for add in [-2, -1, 0, 1, 3, 10] {
            let answer = json(&app, &what_if(role, place, add, 0), Role::Leadership).await;
            let (baseline, scenario) = (&answer["baseline"], &answer["scenario"]);
            assert!(!scenario["district"].is_null(), "{answer}");
            if add >= 0 {
                assert!(no_later(scenario, baseline), "{role} +{add}: {answer}");
            } else {
                assert!(no_later(baseline, scenario), "{role} {add}: {answer}");
            }
            if add == 0 {
                assert_eq!(baseline, scenario, "no change, no difference");
            }
            if let Some(before) = &earlier {
                assert!(no_later(scenario, before), "{role} {add}: {answer}");
            }
            earlier = Some(scenario.clone());
        }
    }
    // Not vacuous: ten more card officers in al-Qamishli clear its families
    // sooner there.
    let answer = json(
        &app,
        &what_if("card_officer", "al_qamishli", 10, 0),
        Role::Supervisor,
    )
    .await;
    assert!(
        days(&answer["scenario"]["district"])[1] < days(&answer["baseline"]["district"])[1],
        "{answer}"
    );
    // A second card office in Amuda (an office of al-Qamishli) never later,
    // and named by its place.
    let mut earlier =
        json(&app, &what_if("", "amuda", 0, 0), Role::Leadership).await["scenario"].clone();
    for offices in [1, 2] {
        let answer = json(&app, &what_if("", "amuda", 0, offices), Role::Leadership).await;
        assert!(no_later(&answer["scenario"], &earlier), "{answer}");
        assert_eq!(answer["district"], "al_qamishli");
        assert!(
            answer["change"]["ar"]
                .as_str()
                .expect("text")
                .contains("عامودا"),
            "{answer}"
        );
        assert!(
            answer["change"]["en"]
                .as_str()
                .expect("text")
                .contains("Amuda")
        );
        earlier = answer["scenario"].clone();
    }
}

#[tokio::test]
async fn the_forecast_gives_its_band_and_its_backtest_the_same_for_a_seed() {
    let app = demo_app().await;
    let first = json(&app, "/api/statistics/forecast", Role::Leadership).await;
    let again = json(&app, "/api/statistics/forecast", Role::Supervisor).await;
    assert_eq!(first, again, "one seed, one answer");
    for measure in ["families", "persons", "cards"] {
        let [p10, p50, p90] = days(&first[measure]);
        assert!(p10 <= p50 && p50 <= p90, "{measure}: {first}");
        assert!(first[measure]["backlog"].as_i64().expect("a count") > 0);
    }
    let backtest = &first["backtest"];
    // The demo's history spans 60 weeks: forecasts as of 4, 8 and 12 weeks
    // ago, each full week since compared.
    assert_eq!(backtest["points"], 24, "{backtest}");
    let runs = backtest["runs"].as_array().expect("runs");
    assert_eq!(
        runs.iter()
            .map(|r| r["weeks_ago"].as_i64().expect("weeks"))
            .collect::<Vec<_>>(),
        [4, 8, 12]
    );
    let inside = runs
        .iter()
        .flat_map(|r| r["weeks"].as_array().expect("weeks"))
        .filter(|w| {
            let (p10, recorded, p90) = (&w["p10"], &w["recorded"], &w["p90"]);
            let within = p10.as_i64() <= recorded.as_i64() && recorded.as_i64() <= p90.as_i64();
            assert_eq!(w["inside"], within, "{w}");
            within
        })
        .count() as i64;
    assert_eq!(backtest["inside"], inside);
    let coverage = backtest["coverage"].as_f64().expect("a share");
    assert!((coverage - inside as f64 / 24.0).abs() < 1e-9);
    // The last full week's recorded figure is today's open applications
    // with this week's moves taken back: near today's count.
    assert!(
        backtest["summary"]["en"]
            .as_str()
            .expect("text")
            .contains("of 24 weeks")
    );
    // The dashboard's centre shows the same, with the what-if form.
    let panel = get(&app, "/dashboard/panel?lang=en", Role::Leadership).await;
    assert_eq!(panel.status(), StatusCode::OK);
    let html = panel.text().await.expect("html");
    for needle in [
        r#"data-forecast="families""#,
        r#"data-forecast="persons""#,
        r#"data-forecast="cards""#,
        r#"class="backtest""#,
        r#"action="/dashboard/what-if""#,
        "Qamishli",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    let p50 = first["families"]["p50"].as_str().unwrap_or("");
    assert!(html.contains(&format!(r#"data-p50="{p50}""#)), "{p50}");
}

#[tokio::test]
async fn a_change_that_cannot_be_worked_out_is_a_422_naming_its_field() {
    let app = common::spawn_app().await;
    for (query, field) in [
        ("role=verifier&district=atlantis&add=1", "district"),
        ("role=astronaut&district=al_qamishli&add=1", "role"),
        ("role=supervisor&district=al_qamishli&add=1", "role"),
        ("role=verifier&district=al_qamishli&add=100000", "add"),
        ("role=verifier&district=al_qamishli&add=-201", "add"),
        ("district=amuda&card_offices=-1", "card_offices"),
        ("district=amuda&card_offices=500", "card_offices"),
        ("district=al_qamishli&add=3", "role"),
        ("role=verifier&add=3", "district"),
    ] {
        let response = get(
            &app,
            &format!("/api/statistics/what-if?{query}"),
            Role::Leadership,
        )
        .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}"
        );
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{query}"
        );
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
    }
    // Not a number at all: the query's own 400.
    let response = get(&app, "/api/statistics/what-if?add=many", Role::Leadership).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    // The page keeps what was typed and names the field.
    let page = get(
        &app,
        "/dashboard/what-if?lang=en&role=verifier&district=al_qamishli&add=lots",
        Role::Leadership,
    )
    .await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = page.text().await.expect("html");
    assert!(html.contains(r#"data-field="add""#), "{html}");
    assert!(html.contains(r#"value="lots""#), "{html}");
    // And says what is wrong beside the field itself, tied to it for a
    // screen reader; the fields that are right say nothing.
    assert!(
        html.contains(r#"value="lots" aria-invalid="true" aria-describedby="wi-add-error""#),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<span class="field-error" id="wi-add-error">must be a whole number</span>"#
        ),
        "{html}"
    );
    assert!(!html.contains("wi-offices-error"), "{html}");
    assert!(!html.contains("wi-role-error"), "{html}");
}

#[tokio::test]
async fn only_leadership_and_supervisors_ask_what_if() {
    let app = common::spawn_app().await;
    for role in [
        Role::Verifier,
        Role::CardOfficer,
        Role::Admin,
        Role::Auditor,
    ] {
        let response = get(&app, "/api/statistics/what-if", role).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{role:?}");
    }
    let anonymous = get_with_token(&app, "/api/statistics/what-if", "").await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    for role in [Role::Leadership, Role::Supervisor] {
        let response = get(&app, "/api/statistics/what-if", role).await;
        assert_eq!(response.status(), StatusCode::OK, "{role:?}");
        // Both pages, in both languages; places by their names.
        for (lang, name) in [("ar", "القامشلي"), ("en", "Qamishli")] {
            let page = get(
                &app,
                &format!("/dashboard/what-if?lang={lang}&role=verifier&district=al_qamishli&add=2"),
                role,
            )
            .await;
            assert_eq!(page.status(), StatusCode::OK);
            let html = page.text().await.expect("html");
            assert!(html.contains(name), "{lang}");
            assert!(html.contains(r#"id="answer""#), "{lang}");
        }
    }
}

#[tokio::test]
async fn the_moves_tallies_count_what_the_audit_events_say() {
    use casework::store::moves::{MoveRead, weekly_moves, weekly_moves_of_events};
    let app = demo_app().await;
    let sorted = |mut rows: Vec<casework::store::moves::MoveCount>| {
        rows.sort_by(|a, b| {
            (a.week, &a.district, &a.from_state, &a.to_state, &a.actor).cmp(&(
                b.week,
                &b.district,
                &b.from_state,
                &b.to_state,
                &b.actor,
            ))
        });
        rows
    };
    for district in [None, Some("al_qamishli".to_string())] {
        let read = MoveRead {
            workflow: "naturalization-family".to_string(),
            district,
            office: None,
            since_day: 0,
        };
        let kept = sorted(
            weekly_moves(&app.engine.store, &read)
                .await
                .expect("tallies"),
        );
        let counted = sorted(
            weekly_moves_of_events(&app.engine.store, &read)
                .await
                .expect("events"),
        );
        assert!(kept.len() > 50, "the demo's history has many moves");
        assert!(kept.iter().any(|m| m.from_state != m.to_state));
        assert_eq!(kept, counted, "{:?}", read.district);
    }
}
