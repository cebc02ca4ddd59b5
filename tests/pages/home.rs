//! Where each role starts, what its header offers, and a supervisor's
//! home: the district's work by stage, the officers, and the cases nobody
//! holds given out several at once.

use crate::common;

use casework::domain::roles::Role;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::Value;

use crate::workbench::visible;
use common::cases::family_in_verification;
use common::{TestApp, spawn_app};

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

async fn get(app: &TestApp, path: &str, role: Role) -> reqwest::Response {
    browser()
        .get(app.url(path))
        .bearer_auth(app.token(role))
        .send()
        .await
        .expect("request")
}

async fn page(app: &TestApp, path: &str, role: Role) -> (StatusCode, String) {
    let response = get(app, path, role).await;
    let status = response.status();
    (status, response.text().await.expect("a page"))
}

async fn post_form(
    app: &TestApp,
    path: &str,
    role: Role,
    form: &[(&str, String)],
) -> reqwest::Response {
    browser()
        .post(app.url(path))
        .bearer_auth(app.token(role))
        .form(form)
        .send()
        .await
        .expect("request")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(LOCATION)
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The values of the boxes of the cases nobody holds.
fn ticks(html: &str) -> Vec<String> {
    html.split("name=\"case\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().expect("a value").to_string())
        .collect()
}

async fn case(app: &TestApp, reference: &str) -> Value {
    common::http::get(
        app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json")
}

async fn audit_actions(app: &TestApp, reference: &str) -> Vec<String> {
    let trail: Value = common::http::get(
        app,
        &format!("/api/applications/{reference}/audit"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    let events = trail
        .as_array()
        .or_else(|| trail["events"].as_array())
        .expect("events");
    events
        .iter()
        .map(|e| e["action"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn each_role_starts_where_its_work_is_and_its_header_links_its_pages() {
    let app = spawn_app().await;
    // Leadership reads statistics only: the dashboard.
    let response = get(&app, "/", Role::Leadership).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/dashboard");
    // A supervisor, who works no state, the team's work.
    let response = get(&app, "/", Role::Supervisor).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/team");
    // An officer who works cases, their queue, with no supervisor's links.
    let (status, html) = page(&app, "/", Role::Verifier).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<a href=\"/\">عملي</a>"), "{html}");
    assert!(!html.contains("href=\"/team\""), "{html}");
    assert!(!html.contains("href=\"/dashboard\""), "{html}");
    // A supervisor's header: the team and the dashboard, not My work.
    let (status, html) = page(&app, "/team", Role::Supervisor).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<a href=\"/team\">"), "{html}");
    assert!(html.contains("<a href=\"/dashboard\">"), "{html}");
    assert!(!html.contains("<a href=\"/\">عملي</a>"), "{html}");
    // Leadership's header (on a page every reader may see): the dashboard
    // and no search, which is refused to them.
    let response = browser()
        .get(app.url("/no/such/page"))
        .header("accept", "text/html")
        .bearer_auth(app.token(Role::Leadership))
        .send()
        .await
        .expect("request");
    let html = response.text().await.expect("a page");
    assert!(html.contains("<a href=\"/dashboard\">"), "{html}");
    assert!(!html.contains("href=\"/search\""), "{html}");
    assert!(!html.contains("href=\"/team\""), "{html}");
}

#[tokio::test]
async fn a_supervisor_sees_the_work_by_stage_and_gives_ten_cases_to_an_officer_in_one_submission() {
    let app = spawn_app().await;
    let mut references = Vec::new();
    for _ in 0..10 {
        references.push(family_in_verification(&app).await);
    }
    let (status, html) = page(&app, "/team", Role::Supervisor).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible(&html);
    // Verification: 10 cases, 10 nobody holds (none overdue yet or all;
    // the figure is written whatever it is).
    assert!(text.contains("التدقيق 10 10"), "{text}");
    assert!(text.contains("طلبات لا يعمل عليها أحد"), "{text}");
    let ticks = ticks(&html);
    assert_eq!(ticks.len(), 10, "{html}");
    let mut form: Vec<(&str, String)> = vec![("user", "verifier.one".to_string())];
    form.extend(ticks.iter().map(|t| ("case", t.clone())));
    let response = post_form(&app, "/team/assign", Role::Supervisor, &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let back = location(&response);
    assert_eq!(back, "/team?assigned=10&to=verifier.one");
    let (status, html) = page(&app, &back, Role::Supervisor).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible(&html);
    assert!(
        text.contains("أُسند 10 طلبات إلى \u{2066}verifier.one\u{2069}."),
        "{text}"
    );
    assert!(text.contains("لا طلب ينتظر موظفاً."), "{text}");
    assert!(text.contains("verifier.one المدقق 10"), "{text}");
    // The counts by stage follow: ten cases in verification, none unheld.
    assert!(text.contains("التدقيق 10 0"), "{text}");
    for reference in &references {
        assert_eq!(case(&app, reference).await["assignee"], "verifier.one");
        let actions = audit_actions(&app, reference).await;
        assert_eq!(
            actions.iter().filter(|a| *a == "assign").count(),
            1,
            "{reference}: {actions:?}"
        );
    }
    // In English, the count agrees too.
    let (_, html) = page(
        &app,
        "/team?assigned=1&to=verifier.one&lang=en",
        Role::Supervisor,
    )
    .await;
    assert!(visible(&html).contains("Assigned 1 case to verifier.one."));
}

#[tokio::test]
async fn cases_refused_are_named_with_why_and_the_others_are_assigned() {
    let app = spawn_app().await;
    let first = family_in_verification(&app).await;
    let second = family_in_verification(&app).await;
    let third = family_in_verification(&app).await;
    let (_, html) = page(&app, "/team", Role::Supervisor).await;
    let ticks = ticks(&html);
    assert_eq!(ticks.len(), 3);
    let stale = |reference: &str| format!("{reference}@999");
    let shown = |reference: &str| {
        ticks
            .iter()
            .find(|t| t.starts_with(&format!("{reference}@")))
            .expect("a box for the case")
            .clone()
    };
    // One shown, one at a version it is not at.
    let form = vec![
        ("user", "verifier.two".to_string()),
        ("case", shown(&first)),
        ("case", stale(&second)),
    ];
    let response = post_form(&app, "/team/assign", Role::Supervisor, &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = visible(&response.text().await.expect("a page"));
    assert!(
        text.contains("أُسند طلب واحد إلى \u{2066}verifier.two\u{2069}."),
        "{text}"
    );
    assert!(text.contains("ما لم يُسند، ولماذا:"), "{text}");
    assert!(text.contains(&second), "{text}");
    assert_eq!(case(&app, &first).await["assignee"], "verifier.two");
    assert_eq!(case(&app, &second).await["assignee"], Value::Null);
    // To one whose roles work no state of the case (leadership): refused,
    // said why.
    let form = vec![
        ("user", "leadership.one".to_string()),
        ("case", shown(&third)),
    ];
    let response = post_form(&app, "/team/assign", Role::Supervisor, &form).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let text = visible(&response.text().await.expect("a page"));
    assert!(text.contains(&third), "{text}");
    assert!(text.contains("لا يُسند الطلب إلى"), "{text}");
    assert_eq!(case(&app, &third).await["assignee"], Value::Null);
    // Nothing ticked, nobody chosen: said so, the boxes kept.
    let form = vec![("user", "verifier.one".to_string())];
    let response = post_form(&app, "/team/assign", Role::Supervisor, &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(visible(&response.text().await.expect("a page")).contains("لم يُختر أي طلب."));
    let form = vec![("user", String::new()), ("case", shown(&third))];
    let response = post_form(&app, "/team/assign", Role::Supervisor, &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("a page");
    assert!(visible(&html).contains("لم يُختر موظف تُسند إليه الطلبات."));
    assert!(
        html.contains(&format!("value=\"{}\" checked", shown(&third))),
        "{html}"
    );
    // Only a supervisor gives cases out.
    let form = vec![
        ("user", "verifier.one".to_string()),
        ("case", shown(&third)),
    ];
    let response = post_form(&app, "/team/assign", Role::Verifier, &form).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(case(&app, &third).await["assignee"], Value::Null);
}

/// Officers are named to others by their full names, their user names
/// where they have none: on the team page, as the case's holder, in the
/// history, in the queue, and in the refusal of an action on a case they
/// hold (pages and API).
#[tokio::test]
async fn officers_are_named_by_their_full_names_where_others_read_them() {
    let app = spawn_app().await;
    let token = casework::app::users::add_officer(
        &app.engine,
        &casework::app::users::NewOfficer {
            name: "verifier.three",
            full_name: Some("Samira Haddad"),
            roles: &[Role::Verifier],
            ..Default::default()
        },
        chrono::Utc::now(),
    )
    .await
    .expect("an officer with a full name");
    let reference = family_in_verification(&app).await;
    let verified = browser()
        .post(app.url(&format!("/api/applications/{reference}/transitions")))
        .bearer_auth(&token)
        .json(&serde_json::json!({ "action": "verify_member", "member": 1 }))
        .send()
        .await
        .expect("request");
    assert_eq!(verified.status(), StatusCode::OK);

    let (_, team) = page(&app, "/team?lang=en", Role::Supervisor).await;
    let team = visible(&team);
    assert!(team.contains("Samira Haddad"), "{team}");
    assert!(team.contains("verifier.one"), "no full name: the user name");
    assert!(!team.contains("verifier.three"), "{team}");

    let (_, held) = page(
        &app,
        "/team?officer=verifier.three&lang=en",
        Role::Supervisor,
    )
    .await;
    assert!(visible(&held).contains("Samira Haddad"));

    let (_, case_page) = page(
        &app,
        &format!("/applications/{reference}?lang=en"),
        Role::Supervisor,
    )
    .await;
    let case_page = visible(&case_page);
    assert!(
        case_page.matches("Samira Haddad").count() >= 2,
        "the holder and the history: {case_page}"
    );

    let (_, queue) = page(&app, "/?lang=en", Role::Verifier).await;
    assert!(visible(&queue).contains("Samira Haddad"), "{queue}");

    let refused = browser()
        .post(app.url(&format!("/api/applications/{reference}/transitions")))
        .bearer_auth(app.token(Role::Verifier))
        .header("accept-language", "en")
        .json(&serde_json::json!({ "action": "verify_member", "member": 2 }))
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let problem: Value = refused.json().await.expect("json");
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("Samira Haddad (verifier.three)"),
        "{problem}"
    );
}
