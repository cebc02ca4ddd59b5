//! What every page shares besides the workbench: the site's icon, and the
//! answer to a path nobody serves (a page for a browser, problem+json for
//! a program and under the API and the portal).

use crate::common;

use casework::domain::roles::Role;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, COOKIE};

use common::{TestApp, spawn_app};

/// What a browser sends for a page.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async fn get(app: &TestApp, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let Some(accept) = accept {
        request = request.header(ACCEPT, accept);
    }
    request.send().await.expect("request")
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn the_site_s_icon_is_served_kept_long_and_linked_from_every_page() {
    let app = spawn_app().await;
    let icon = get(&app, "/favicon.ico", None).await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(header(&icon, CONTENT_TYPE), "image/vnd.microsoft.icon");
    assert!(
        header(&icon, CACHE_CONTROL).contains("max-age=31536000"),
        "{}",
        header(&icon, CACHE_CONTROL)
    );
    let bytes = icon.bytes().await.expect("the icon");
    assert_eq!(&bytes[..4], &[0, 0, 1, 0], "an ICO file");
    let signin = get(&app, "/signin", Some(BROWSER_ACCEPT)).await;
    let html = signin.text().await.expect("a page");
    assert!(
        html.contains("<link rel=\"icon\" href=\"/favicon.ico\""),
        "{html}"
    );
}

#[tokio::test]
async fn a_browser_asking_for_an_unknown_path_gets_a_page_in_its_language_and_a_program_a_problem()
{
    let app = spawn_app().await;
    // A browser: the site's frame, Arabic by default, 404.
    let response = get(&app, "/no/such/page", Some(BROWSER_ACCEPT)).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(header(&response, CONTENT_TYPE).starts_with("text/html"));
    let html = response.text().await.expect("a page");
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"), "{html}");
    assert!(html.contains("الصفحة غير موجودة"), "{html}");
    assert!(html.contains("href=\"/favicon.ico\""), "{html}");
    // In English for a reader who chose it.
    let response = reqwest::Client::new()
        .get(app.url("/no/such/page"))
        .header(ACCEPT, BROWSER_ACCEPT)
        .header(COOKIE, "casework_lang=en")
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.expect("a page");
    assert!(html.contains("Page not found"), "{html}");
    // A signed-in officer keeps the header's links.
    let response = reqwest::Client::new()
        .get(app.url("/no/such/page"))
        .header(ACCEPT, BROWSER_ACCEPT)
        .bearer_auth(app.token(Role::Verifier))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.expect("a page");
    assert!(html.contains("href=\"/search\""), "{html}");
    // A program, the API and the portal: problem+json, even to a browser.
    for (path, accept) in [
        ("/no/such/page", None),
        ("/no/such/page", Some("application/json")),
        ("/api/nowhere", Some(BROWSER_ACCEPT)),
        ("/portal/v1/nowhere", Some(BROWSER_ACCEPT)),
    ] {
        let response = get(&app, path, accept).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            header(&response, CONTENT_TYPE),
            "application/problem+json",
            "{path} {accept:?}"
        );
        let problem: serde_json::Value = response.json().await.expect("json");
        assert_eq!(problem["code"], "not_found", "{path}");
    }
}
