//! The queue's orders, its count of results and the mark on a case
//! returned to its applicant.

use crate::common;

use casework::app::cases::{create, perform};
use casework::domain::roles::Role;
use casework::workflow::Command;
use reqwest::StatusCode;

use common::actors::officer;
use common::families::family;
use common::time::utc;
use common::{TestApp, spawn_app};

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
        .get(app.url(path))
        .bearer_auth(app.token(Role::IntakeClerk))
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.text().await.expect("a page"))
}

/// Opens a case at intake at day `day` of March 2026, hour `hour`.
async fn opened(app: &TestApp, day: u32, hour: u32) -> String {
    let clerk = officer("intake_clerk.one", Role::IntakeClerk);
    create(
        &app.engine,
        &family().draft(),
        &clerk,
        utc(2026, 3, day, hour, 0),
    )
    .await
    .expect("the case opens")
    .reference
}

/// The references of the queue's rows, in the page's order.
fn rows(html: &str, references: &[String]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = references
        .iter()
        .filter_map(|r| {
            html.find(&format!("<a href=\"/applications/{r}\">"))
                .map(|at| (at, r.clone()))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, r)| r).collect()
}

/// The link to the queue's next page, if any.
fn next_page(html: &str) -> Option<String> {
    let pager = html.split("class=\"pager\"").nth(1)?;
    let href = pager.split("href=\"").nth(1)?.split('"').next()?;
    Some(href.replace("&amp;", "&"))
}

#[tokio::test]
async fn a_case_just_returned_leads_the_newest_order_is_marked_and_the_results_are_counted() {
    let app = spawn_app().await;
    let first = opened(&app, 2, 9).await;
    let second = opened(&app, 3, 9).await;
    let third = opened(&app, 4, 9).await;
    perform(
        &app.engine,
        &first,
        &officer("intake_clerk.one", Role::IntakeClerk),
        &Command::new("return_to_applicant").with("reason", "ينقص بيان القيد"),
        None,
        utc(2026, 3, 10, 9, 0),
    )
    .await
    .expect("the case is returned");
    let all = [first.clone(), second.clone(), third.clone()];
    // Most overdue first (the default): the returned case, whose clock is
    // stopped, comes last.
    let (status, html) = page(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        rows(&html, &all),
        [second.clone(), third.clone(), first.clone()]
    );
    assert!(html.contains("النتائج: 3 طلبات"), "{html}");
    // Newest in its state first: the case just returned leads.
    let (_, html) = page(&app, "/?sort=newest").await;
    assert_eq!(
        rows(&html, &all),
        [first.clone(), third.clone(), second.clone()]
    );
    assert!(
        html.contains("<option value=\"newest\" selected>"),
        "{html}"
    );
    // Oldest in its state first.
    let (_, html) = page(&app, "/?sort=oldest").await;
    assert_eq!(
        rows(&html, &all),
        [second.clone(), third.clone(), first.clone()]
    );
    // The returned case, and only it, is marked.
    assert_eq!(html.matches("class=\"tag returned\"").count(), 1, "{html}");
    let row = html
        .split("<tr>")
        .find(|row| row.contains(&format!("/applications/{first}\"")))
        .expect("the returned case's row");
    assert!(row.contains("معاد</span>"), "{row}");
    // A filter is counted too, the noun agreeing with the number, and
    // said in English on the switch.
    let (_, html) = page(&app, "/?state=intake").await;
    assert!(html.contains("النتائج: طلبان"), "{html}");
    let (_, html) = page(&app, "/?lang=en").await;
    assert!(html.contains("Results: 3 cases"), "{html}");
}

#[tokio::test]
async fn the_newest_order_pages_through_every_case_once() {
    let app = spawn_app().await;
    let mut all = Vec::new();
    for i in 0..52 {
        all.push(opened(&app, 1 + i / 10, 8 + i % 10).await);
    }
    let (_, html) = page(&app, "/?sort=newest").await;
    assert!(html.contains("النتائج: 52 طلباً"), "{html}");
    let first = rows(&html, &all);
    assert_eq!(first.len(), 50);
    // The newest opened leads.
    assert_eq!(first[0], all[51]);
    let next = next_page(&html).expect("a next page");
    assert!(next.contains("sort=newest"), "{next}");
    let (status, html) = page(&app, &next).await;
    assert_eq!(status, StatusCode::OK);
    let second = rows(&html, &all);
    assert_eq!(second, [all[1].clone(), all[0].clone()]);
    assert!(next_page(&html).is_none());
}

/// GET `path` as the officer of `role`.
async fn page_as(app: &TestApp, role: Role, path: &str) -> String {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(app.token(role))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("a page")
}

/// Opens a case for a person never entered in any register (خالد أحمد
/// العلي) at intake.
async fn person_opened(app: &TestApp) -> String {
    casework::app::cases::create_as(
        &app.engine,
        &common::families::unregistered_person("خالد", (2001, 4, 2), false),
        &casework::app::cases::Opening {
            workflow: Some("unregistered-persons".into()),
            family: None,
        },
        &officer("intake_clerk.one", Role::IntakeClerk),
        utc(2026, 3, 2, 9, 0),
    )
    .await
    .expect("the person's case opens")
    .reference
}

#[tokio::test]
async fn a_person_never_registered_is_named_by_their_name_in_the_queue_search_and_team_pages() {
    let app = spawn_app().await;
    let family_case = opened(&app, 2, 9).await;
    let person = person_opened(&app).await;
    let link =
        |reference: &str, name: &str| format!("<a href=\"/applications/{reference}\">{name}</a>");
    for (role, path) in [
        (Role::IntakeClerk, "/"),
        (Role::IntakeClerk, "/?lang=en"),
        (Role::IntakeClerk, "/search?q=%D8%AE%D8%A7%D9%84%D8%AF"),
        (Role::Supervisor, "/team"),
        (Role::Supervisor, "/team?lang=en"),
    ] {
        let html = page_as(&app, role, path).await;
        assert!(
            html.contains(&link(&person, "خالد أحمد العلي")),
            "{path}: {html}"
        );
        assert!(
            !html.contains(">—</a>"),
            "{path}: no row is opened by a dash"
        );
        if !path.starts_with("/search") {
            assert!(
                html.contains(&link(&family_case, "أحمد محمد العلي")),
                "{path}: {html}"
            );
        }
        let header = if path.ends_with("lang=en") {
            ">Name</th>"
        } else {
            ">الاسم</th>"
        };
        assert!(html.contains(header), "{path}: {html}");
    }
}

#[tokio::test]
async fn a_returned_case_shows_in_the_queue_who_returned_it_when_and_why_until_resubmitted() {
    let app = spawn_app().await;
    let returned = opened(&app, 2, 9).await;
    let other = opened(&app, 3, 9).await;
    let clerk = officer("intake_clerk.one", Role::IntakeClerk);
    perform(
        &app.engine,
        &returned,
        &clerk,
        &Command::new("return_to_applicant").with("reason", "ينقص بيان القيد للابن"),
        None,
        utc(2026, 3, 10, 9, 0),
    )
    .await
    .expect("the case is returned");
    let row_of = |html: &str, reference: &str| {
        html.split("<tr>")
            .find(|row| row.contains(&format!("/applications/{reference}\"")))
            .unwrap_or_else(|| panic!("{reference}'s row: {html}"))
            .to_string()
    };
    for (path, by, reason) in [
        ("/", "أعاده", "السبب"),
        ("/?lang=en", "Returned by", "Reason"),
    ] {
        let html = page_as(&app, Role::IntakeClerk, path).await;
        let row = row_of(&html, &returned);
        assert!(row.contains(by), "{path}: {row}");
        assert!(row.contains("<bdi>intake_clerk.one</bdi>"), "{path}: {row}");
        // Syria's time: 09:00 UTC is 12:00 in Damascus.
        assert!(row.contains("2026-03-10 12:00"), "{path}: {row}");
        assert!(
            row.contains(&format!("{reason}: <q><bdi>ينقص بيان القيد للابن</bdi></q>")),
            "{path}: {row}"
        );
        assert!(!row_of(&html, &other).contains("returned-by"), "{path}");
    }
    perform(
        &app.engine,
        &returned,
        &clerk,
        &Command::new("resubmit"),
        None,
        utc(2026, 3, 11, 9, 0),
    )
    .await
    .expect("the case is resubmitted");
    let html = page_as(&app, Role::IntakeClerk, "/").await;
    assert!(!row_of(&html, &returned).contains("returned-by"), "{html}");
    assert!(!html.contains("ينقص بيان القيد للابن"), "{html}");
}
