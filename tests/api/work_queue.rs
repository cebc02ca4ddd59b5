//! The work queue lists the cases in the states the caller works (the
//! definition's `worked_by`), in the caller's district, most overdue first,
//! a page at a time, with its filters. On SQLite, and on PostgreSQL when
//! `CASEWORK_TEST_DATABASE_URL` is set.

use crate::common;

use std::collections::BTreeSet;

use casework::domain::roles::Role;
use chrono::{NaiveDate, Utc};
use reqwest::StatusCode;
use serde_json::Value;

use common::http::{get, get_with_token};
use common::{TestApp, spawn_app};

/// The states whose cases each role's work moves on, as the procedure has
/// it: the clerk's intake (and the returned files the applicant brings
/// back), the verifier's verification, and so on. Supervisors and admins
/// oversee: they work no state of their own (auditors read no queue).
fn works(role: Role) -> &'static [&'static str] {
    match role {
        Role::IntakeClerk => &["intake", "returned"],
        Role::Verifier => &["verification"],
        Role::Approver => &["approval"],
        Role::Registrar => &["registration"],
        Role::CardOfficer => &["card_issuance"],
        _ => &[],
    }
}

/// Every item of a list or queue, following `next_cursor` page by page.
async fn all_pages(app: &TestApp, path: &str, token: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let separator = if path.contains('?') { '&' } else { '?' };
        let url = match &cursor {
            Some(c) => format!("{path}{separator}limit=37&cursor={c}"),
            None => format!("{path}{separator}limit=37"),
        };
        let response = get_with_token(app, &url, token).await;
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let page: Value = response.json().await.expect("a page");
        items.extend(page["items"].as_array().expect("items").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => return items,
        }
    }
}

fn references(items: &[Value]) -> BTreeSet<String> {
    items
        .iter()
        .map(|i| i["reference"].as_str().expect("a reference").to_string())
        .collect()
}

fn due(item: &Value) -> NaiveDate {
    item["due_on"]
        .as_str()
        .map_or(NaiveDate::MAX, |d| d.parse().expect("a date"))
}

#[tokio::test]
async fn a_case_is_in_a_role_s_queue_exactly_when_its_state_is_one_that_role_works() {
    let app = spawn_app().await;
    casework::app::demo::build(&app.engine, 160, 5, Utc::now(), |_| {})
        .await
        .expect("the demo province is built");
    let every = all_pages(&app, "/api/applications", app.token(Role::Supervisor)).await;
    let states: BTreeSet<&str> = every.iter().filter_map(|i| i["state"].as_str()).collect();
    for state in [
        "intake",
        "verification",
        "approval",
        "registration",
        "card_issuance",
    ] {
        assert!(
            states.contains(state),
            "the demo has cases in {state}: {states:?}"
        );
    }
    for role in Role::ALL {
        if matches!(role, Role::System | Role::Leadership | Role::Auditor) {
            continue;
        }
        let queue = all_pages(&app, "/api/queue", app.token(role)).await;
        let expected: Vec<Value> = every
            .iter()
            .filter(|i| works(role).contains(&i["state"].as_str().unwrap_or("")))
            .cloned()
            .collect();
        assert_eq!(
            references(&queue),
            references(&expected),
            "{role:?} works {:?}",
            works(role)
        );
        assert_eq!(queue.len(), expected.len(), "{role:?}: no case twice");
        // Most overdue first: the earliest due date leads, cases with none last.
        let dues: Vec<NaiveDate> = queue.iter().map(due).collect();
        assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{role:?}: {dues:?}");
        for item in &queue {
            assert!(
                item["display_name"].as_str().is_some_and(|n| !n.is_empty()),
                "every case is named, a person's by their own name: {item}"
            );
            assert!(
                item["days_in_state"].as_i64().is_some_and(|d| d >= 0),
                "{item}"
            );
        }
    }
    let leadership = get(&app, "/api/queue", Role::Leadership).await;
    assert_eq!(leadership.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_queue_filters_by_state_office_overdue_and_holder() {
    let app = spawn_app().await;
    casework::app::demo::build(&app.engine, 120, 9, Utc::now(), |_| {})
        .await
        .expect("the demo province is built");
    let clerk = app.token(Role::IntakeClerk).to_string();
    let all = all_pages(&app, "/api/queue", &clerk).await;
    // One of the states the clerk works.
    let returned = all_pages(&app, "/api/queue?state=returned", &clerk).await;
    assert!(returned.iter().all(|i| i["state"] == "returned"));
    assert_eq!(
        returned.len(),
        all.iter().filter(|i| i["state"] == "returned").count()
    );
    // A state the clerk does not work is refused, naming the clerk's states.
    let refused = get_with_token(&app, "/api/queue?state=approval", &clerk).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let problem: Value = refused.json().await.expect("a problem");
    assert_eq!(problem["errors"][0]["field"], "state", "{problem}");
    let message = problem.to_string();
    assert!(message.contains("استلام الطلب"), "{message}");
    assert!(!message.contains("'intake'"), "{message}");
    // Overdue only.
    let overdue = all_pages(&app, "/api/queue?overdue=true", &clerk).await;
    assert!(overdue.iter().all(|i| i["overdue"] == true));
    assert_eq!(
        overdue.len(),
        all.iter().filter(|i| i["overdue"] == true).count()
    );
    // One office.
    let office = all[0]["office"].as_str().expect("an office").to_string();
    let at_office = all_pages(&app, &format!("/api/queue?office={office}"), &clerk).await;
    assert!(!at_office.is_empty());
    assert!(at_office.iter().all(|i| i["office"] == office.as_str()));
    // Claimed by the clerk, then "mine" and "unassigned" split the queue.
    let first = all[0]["reference"]
        .as_str()
        .expect("a reference")
        .to_string();
    let claim = app
        .client
        .post(app.url(&format!("/api/applications/{first}/claim")))
        .bearer_auth(&clerk)
        .send()
        .await
        .expect("request");
    assert_eq!(claim.status(), StatusCode::OK);
    let mine = all_pages(&app, "/api/queue?assigned=me", &clerk).await;
    assert_eq!(references(&mine), BTreeSet::from([first.clone()]));
    let free = all_pages(&app, "/api/queue?assigned=unassigned", &clerk).await;
    assert!(!references(&free).contains(&first));
    assert!(free.iter().all(|i| i["assignee"].is_null()));
    let bad = get_with_token(&app, "/api/queue?assigned=everyone", &clerk).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_district_bound_officer_s_queue_holds_only_that_district() {
    let app = spawn_app().await;
    casework::app::demo::build(&app.engine, 120, 3, Utc::now(), |_| {})
        .await
        .expect("the demo province is built");
    let token = casework::app::users::add(
        &app.engine,
        "verifier.qamishli",
        &[Role::Verifier],
        Some("al_qamishli"),
        None,
        Utc::now(),
    )
    .await
    .expect("a user is added");
    let everywhere = all_pages(&app, "/api/queue", app.token(Role::Verifier)).await;
    let here = all_pages(&app, "/api/queue", &token).await;
    assert!(!here.is_empty());
    assert!(here.iter().all(|i| i["district"] == "al_qamishli"));
    let expected: Vec<Value> = everywhere
        .into_iter()
        .filter(|i| i["district"] == "al_qamishli")
        .collect();
    assert_eq!(references(&here), references(&expected));
}

#[tokio::test]
async fn a_name_search_lists_by_entry_and_pages_on() {
    let app = spawn_app().await;
    let mut opened = Vec::new();
    for (i, family_name) in ["الحسن", "شيخو", "الحسن", "الحسن"].iter().enumerate()
    {
        let body = common::families::Family::empty()
            .head("أحمد", (1970, 5, 1), &format!("1203/{}", 100 + i))
            .surnamed("محمد", family_name)
            .json();
        let created =
            common::http::post_json(&app, "/api/applications", Role::IntakeClerk, &body).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        let created: Value = created.json().await.expect("json");
        if *family_name == "الحسن" {
            opened.push(
                created["reference"]
                    .as_str()
                    .expect("a reference")
                    .to_string(),
            );
        }
    }
    // Sorting by due date or age is set aside: a name search goes by entry.
    let page = |cursor: Option<String>| {
        let app = &app;
        async move {
            let mut path = "/api/applications?name=%D8%A7%D9%84%D8%AD%D8%B3%D9%86&limit=2&sort=due"
                .to_string();
            if let Some(cursor) = cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let got = get(app, &path, Role::Supervisor).await;
            assert_eq!(got.status(), StatusCode::OK);
            got.json::<Value>().await.expect("json")
        }
    };
    let first = page(None).await;
    let refs = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["reference"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(refs(&first), opened[..2]);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let second = page(Some(cursor)).await;
    assert_eq!(refs(&second), opened[2..]);
    assert!(second["next_cursor"].is_null(), "{second}");
    // A whole name, its parts in any order, gathered and listed by entry.
    let whole = get(
        &app,
        "/api/applications?name=%D8%A7%D9%84%D8%AD%D8%B3%D9%86%20%D8%A3%D8%AD%D9%85%D8%AF%20%D9%85%D8%AD%D9%85%D8%AF&limit=2",
        Role::Supervisor,
    )
    .await;
    let whole: Value = whole.json().await.expect("json");
    assert_eq!(refs(&whole), opened[..2]);
    let cursor = whole["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let rest = get(
        &app,
        &format!("/api/applications?name=%D8%A7%D9%84%D8%AD%D8%B3%D9%86%20%D8%A3%D8%AD%D9%85%D8%AF%20%D9%85%D8%AD%D9%85%D8%AF&limit=2&cursor={cursor}"),
        Role::Supervisor,
    )
    .await;
    let rest: Value = rest.json().await.expect("json");
    assert_eq!(refs(&rest), opened[2..]);
}
