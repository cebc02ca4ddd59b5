//! Issue 30: every case and list item is named (`display_name`: the head of
//! the family, else the person of a one-person case, who is no family's
//! head), and a case returned to its applicant says in the lists who
//! returned it, when and why, until it is resubmitted.

use crate::common;

use casework::domain::roles::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use common::TestApp;
use common::cases::open_case;
use common::families::unregistered_person_json;
use common::http::{get, post_json};

async fn open_person(app: &TestApp) -> String {
    let body = unregistered_person_json("خالد", (2001, 4, 2), false);
    let response = post_json(
        app,
        "/api/applications?workflow=unregistered-persons",
        Role::IntakeClerk,
        &body,
    )
    .await;
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["reference"].as_str().expect("a reference").to_string()
}

async fn read(app: &TestApp, path: &str, role: Role) -> Value {
    let response = get(app, path, role).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.expect("json")
}

fn item<'a>(list: &'a Value, reference: &str) -> &'a Value {
    list["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["reference"] == reference)
        .unwrap_or_else(|| panic!("{reference} is listed: {list}"))
}

async fn act(app: &TestApp, reference: &str, action: &str, fields: Value) {
    let response = post_json(
        app,
        &format!("/api/applications/{reference}/transitions"),
        Role::IntakeClerk,
        &json!({"action": action, "fields": fields}),
    )
    .await;
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::OK, "{action}: {body}");
}

#[tokio::test]
async fn a_person_never_registered_is_named_by_their_own_name_in_lists_and_on_the_case() {
    let app = common::spawn_app().await;
    let family = open_case(&app).await;
    let person = open_person(&app).await;
    for path in ["/api/applications", "/api/queue"] {
        let list = read(&app, path, Role::IntakeClerk).await;
        let family_item = item(&list, &family);
        assert_eq!(family_item["head_name"], "أحمد محمد العلي", "{family_item}");
        assert_eq!(family_item["display_name"], family_item["head_name"]);
        let person_item = item(&list, &person);
        assert_eq!(person_item["head_name"], Value::Null, "{person_item}");
        assert_eq!(
            person_item["display_name"], "خالد أحمد العلي",
            "{person_item}"
        );
    }
    let case = read(
        &app,
        &format!("/api/applications/{person}"),
        Role::IntakeClerk,
    )
    .await;
    assert_eq!(case["display_name"], "خالد أحمد العلي");
    let case = read(
        &app,
        &format!("/api/applications/{family}"),
        Role::IntakeClerk,
    )
    .await;
    assert_eq!(case["display_name"], "أحمد محمد العلي");
}

#[tokio::test]
async fn a_returned_case_says_who_returned_it_when_and_why_until_it_is_resubmitted() {
    let app = common::spawn_app().await;
    let returned = open_case(&app).await;
    let other = open_case(&app).await;
    act(
        &app,
        &returned,
        "return_to_applicant",
        json!({"reason": "ينقص بيان القيد للابن"}),
    )
    .await;
    for path in ["/api/queue", "/api/applications"] {
        let list = read(&app, path, Role::IntakeClerk).await;
        let back = &item(&list, &returned)["returned"];
        assert_eq!(back["by"], "intake_clerk.one", "{path}: {back}");
        assert_eq!(back["reason"], "ينقص بيان القيد للابن", "{path}: {back}");
        assert!(
            back["at"].as_str().is_some_and(|at| at.starts_with("20")),
            "{back}"
        );
        assert!(
            item(&list, &other).get("returned").is_none(),
            "a case not returned says nothing: {list}"
        );
    }
    act(&app, &returned, "resubmit", json!({})).await;
    let list = read(&app, "/api/queue", Role::IntakeClerk).await;
    assert!(
        item(&list, &returned).get("returned").is_none(),
        "resubmitted, it is no longer returned: {list}"
    );
}
