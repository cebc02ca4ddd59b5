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
