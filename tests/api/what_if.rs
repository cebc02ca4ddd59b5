//! The staffing what-if's limits, in the engine and over HTTP, on a demo
//! province (three officers of each role in each district): it refuses to
//! move away more officers of a role than worked in the district (a 422
//! of its own, `more_officers_than_present`), and a change that moves no
//! date says why, naming the stage that holds the flow back.

use crate::common;

use casework::app::stats::{
    self, Scope, StatsQuery, UnmovedReason, WhatIf, WhatIfError, WhatIfQuery,
};
use casework::domain::calendar::local_date;
use casework::domain::roles::Role;
use reqwest::StatusCode;
use serde_json::Value;

use common::TestApp;
use common::actors::officer;
use common::http::get;

fn scope(app: &TestApp) -> Scope {
    stats::scope(
        &app.engine,
        &officer("leadership", Role::Leadership),
        &StatsQuery::default(),
        local_date(chrono::Utc::now()),
    )
    .expect("leadership reads the statistics")
}

async fn what_if(
    app: &TestApp,
    role: &str,
    district: &str,
    add: i64,
) -> Result<WhatIf, WhatIfError> {
    let query = WhatIfQuery {
        role: Some(role.into()),
        district: Some(district.into()),
        add,
        card_offices: 0,
        seed: Some(5),
    };
    stats::what_if(&app.engine, &scope(app), &query).await
}

#[tokio::test]
async fn the_what_if_moves_away_no_more_officers_than_worked_in_the_district() {
    let app = common::spawn_demo_app(600).await;
    // (role, place asked, officers moved away, the district counted, or
    // none when the change is worked out)
    let cases = [
        ("verifier", "al_hasakah", 50, Some("al_hasakah")),
        ("verifier", "al_hasakah", 4, Some("al_hasakah")),
        ("verifier", "al_hasakah", 3, None),
        ("card_officer", "amuda", 4, Some("al_qamishli")),
        ("card_officer", "amuda", 1, None),
    ];
    for (role, place, away, refused_in) in cases {
        let answer = what_if(&app, role, place, -away).await;
        match (answer, refused_in) {
            (Err(WhatIfError::TooFewOfficers(too_few)), Some(district)) => {
                assert_eq!(too_few.role.as_str(), role);
                assert_eq!(too_few.district, district);
                assert_eq!(
                    (too_few.asked, too_few.present),
                    (away, 3),
                    "{role} {place}"
                );
                assert_eq!(too_few.weeks, 12);
            }
            (Ok(_), None) => {}
            (Err(e), _) => panic!("{role} {place} -{away}: {e}"),
            (Ok(_), Some(_)) => panic!("{role} {place} -{away} was worked out"),
        }
    }
    // Over HTTP: a problem of its own, naming the field, wholly Arabic.
    let response = get(
        &app,
        "/api/statistics/what-if?role=verifier&district=al_hasakah&add=-50",
        Role::Leadership,
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["code"], "more_officers_than_present", "{body}");
    assert_eq!(body["errors"][0]["field"], "add", "{body}");
    let message = body["errors"][0]["message"].as_str().expect("a message");
    assert_eq!(
        message,
        "لا يمكن نقل 50 مدققاً من الحسكة، فلم يعمل فيها في آخر 12 أسبوعاً سوى 3 مدققين"
    );
    assert_eq!(body["detail"], message);
}

#[tokio::test]
async fn a_change_that_moves_no_date_names_the_stage_that_holds_the_flow_back() {
    let app = common::spawn_demo_app(600).await;
    // One more intake clerk in al-Hasakah: the district's cases wait
    // longest where no intake clerk works.
    let answer = what_if(&app, "intake_clerk", "al_hasakah", 1)
        .await
        .expect("worked out");
    let dates = |o: &stats::Outlook| {
        [&o.families, &o.persons, &o.cards]
            .into_iter()
            .chain(&o.district)
            .map(|c| (c.p10, c.p50, c.p90))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        dates(&answer.baseline),
        dates(&answer.scenario),
        "no date moves"
    );
    let unmoved = answer.unmoved.clone().expect("says why no date moves");
    assert_eq!(unmoved.reason, UnmovedReason::BottleneckElsewhere);
    let bottleneck = unmoved
        .bottleneck
        .expect("the stage that holds the flow back");
    assert_eq!(
        Some(&bottleneck.state),
        answer
            .scenario
            .district_bottleneck
            .as_ref()
            .map(|b| &b.state)
    );
    let stage = answer
        .stages_changed
        .iter()
        .any(|l| l.en == bottleneck.state_label.en);
    assert!(!stage, "the change does not touch {}", bottleneck.state);
    assert!(!bottleneck.state_label.ar.is_empty());
    // Moving every verifier away moves the dates: nothing to explain.
    let moved = what_if(&app, "verifier", "al_hasakah", -3)
        .await
        .expect("worked out");
    assert_ne!(dates(&moved.baseline), dates(&moved.scenario));
    assert_eq!(moved.unmoved, None);
    // The API says so too.
    let response = get(
        &app,
        "/api/statistics/what-if?role=intake_clerk&district=al_hasakah&add=1&seed=5",
        Role::Leadership,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["unmoved"]["reason"], "bottleneck_elsewhere", "{body}");
    assert_eq!(
        body["unmoved"]["bottleneck"]["state"],
        bottleneck.state.as_str()
    );
}
