//! The pages' forms are typed: a version, a member number or a decision
//! that is not one refuses the form (422, the page saying what), and
//! nothing changes; it is never read as "no version", "the whole case" or
//! "dismiss". On SQLite, and on PostgreSQL when `CASEWORK_TEST_DATABASE_URL`
//! is set.

use crate::common;

use casework::domain::roles::Role;
use reqwest::StatusCode;

use common::cases::{case_as_supervisor, family_in_verification};
use common::{TestApp, spawn_app};

/// A form POST as the officer of `role` (a bearer token: no anti-forgery
/// token needed), redirects not followed.
async fn post_form(
    app: &TestApp,
    path: &str,
    role: Role,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
        .post(app.url(path))
        .bearer_auth(app.token(role))
        .form(form)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.text().await.expect("a page"))
}

#[tokio::test]
async fn a_claim_with_a_version_that_is_not_one_is_refused_and_claims_nothing() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    let before = case_as_supervisor(&app, &reference).await;
    for bad in ["7x", "seven", "-1", "1.5"] {
        let (status, html) = post_form(
            &app,
            &format!("/applications/{reference}/claim"),
            Role::Verifier,
            &[("version", bad)],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {html}");
        assert!(
            html.contains("ليس رقم نسخة") || html.contains("not a version number"),
            "{bad}: {html}"
        );
    }
    let after = case_as_supervisor(&app, &reference).await;
    assert_eq!(after["version"], before["version"], "nothing was claimed");
    assert_eq!(after["assignee"], before["assignee"]);
    // A blank version is "the version I did not name", as before.
    let (status, _) = post_form(
        &app,
        &format!("/applications/{reference}/claim"),
        Role::Verifier,
        &[("version", "")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_member_number_that_is_not_one_refuses_the_action_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    let version = case_as_supervisor(&app, &reference).await["version"].to_string();
    let reason = "ليس من أفراد هذه العائلة";
    for bad in ["1x", "0", "41"] {
        let (status, html) = post_form(
            &app,
            &format!("/applications/{reference}/act"),
            Role::Verifier,
            &[
                ("version", &version),
                ("action", "exclude_member"),
                ("member", bad),
                ("field.reason", reason),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {html}");
        assert!(
            html.contains("رقم الفرد"),
            "the member number is named: {bad}: {html}"
        );
        assert!(html.contains(reason), "the typed reason is kept: {bad}");
    }
    let after = case_as_supervisor(&app, &reference).await;
    assert_eq!(after["version"].to_string(), version, "nothing changed");
    assert!(
        after["members"]
            .as_array()
            .expect("members")
            .iter()
            .all(|m| m["state"] == "pending"),
        "no member was excluded: {after}"
    );
}

#[tokio::test]
async fn a_version_that_is_not_one_refuses_an_action_and_an_edit() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    let before = case_as_supervisor(&app, &reference).await;
    let (status, html) = post_form(
        &app,
        &format!("/applications/{reference}/act"),
        Role::Verifier,
        &[
            ("version", "3;"),
            ("action", "verify_member"),
            ("member", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    let (status, html) = post_form(
        &app,
        &format!("/applications/{reference}/edit"),
        Role::IntakeClerk,
        &[("version", "v2"), ("op", "save")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert_eq!(
        case_as_supervisor(&app, &reference).await["version"],
        before["version"]
    );
}

#[tokio::test]
async fn a_duplicate_decision_that_is_neither_link_nor_dismiss_is_refused() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    for form in [
        vec![("decision", "maybe")],
        vec![("decision", "")],
        vec![("version", "1")],
    ] {
        let (status, html) = post_form(
            &app,
            &format!("/applications/{reference}/duplicates/1"),
            Role::Verifier,
            &form,
        )
        .await;
        // Before, anything but `link` was taken as `dismiss` (and flag 1,
        // which does not exist, answered 404).
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}: {html}");
        // The page says, in Arabic, that the form was not understood (the
        // parser's English words, which name the field, are for English
        // readers).
        assert!(
            html.contains("decision") || html.contains("لم يُفهم النموذج المرسل"),
            "{form:?}: {html}"
        );
    }
}
