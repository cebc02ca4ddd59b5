//! One digit system per page. A page read in Arabic writes its numbers in
//! one system: the workbench's pages in Western digits (as its dates and
//! forms are), the dashboard in the digits its setting chooses
//! (Arabic-Indic by default). The test reads each main page's visible text
//! — the page without its tags, scripts and styles, so URLs and
//! attributes do not count — and fails when it holds both Western (0–9)
//! and Arabic-Indic (٠–٩) digits, naming the page and a few words of each.
//!
//! The rule's exception: an isolated reference keeps its own digits. What
//! is inside `<bdi>` or a bidi isolate (U+2066–U+2068 … U+2069) is a
//! reference written as it is everywhere — a case's number, a national or
//! register number, a date, a user name — and is left out of the count.

use crate::common;

use casework::domain::roles::Role;
use reqwest::StatusCode;

use common::cases::family_in_verification;
use common::{TestApp, spawn_demo_app};

/// The text a reader sees outside isolated references.
fn visible_outside_references(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    let mut bdi = 0usize;
    let mut isolate = 0usize;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let lower = rest.get(..9).unwrap_or(rest).to_ascii_lowercase();
            for hidden in ["<script", "<style"] {
                if lower.starts_with(hidden) {
                    let close = format!("</{}>", &hidden[1..]);
                    let end = rest.find(&close).map_or(rest.len(), |i| i + close.len());
                    rest = &rest[end..];
                    out.push(' ');
                }
            }
            if rest.starts_with("<bdi") {
                bdi += 1;
            } else if rest.starts_with("</bdi>") {
                bdi = bdi.saturating_sub(1);
            }
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            rest = &rest[end..];
            out.push(' ');
            continue;
        }
        match c {
            '\u{2066}' | '\u{2067}' | '\u{2068}' => isolate += 1,
            '\u{2069}' => isolate = isolate.saturating_sub(1),
            c if bdi == 0 && isolate == 0 => out.push(c),
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The words of `text` that hold a digit for which `is` holds.
fn words_with(text: &str, is: impl Fn(char) -> bool) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| w.chars().any(&is))
        .map(str::to_string)
        .collect()
}

/// Why `html` mixes the two digit systems, if it does.
fn mixed_digits(html: &str) -> Option<String> {
    let text = visible_outside_references(html);
    let western = words_with(&text, |c| c.is_ascii_digit());
    let arabic = words_with(&text, |c| ('\u{0660}'..='\u{0669}').contains(&c));
    (!western.is_empty() && !arabic.is_empty()).then(|| {
        format!(
            "Western digits in {:?}… and Arabic-Indic digits in {:?}…",
            &western[..western.len().min(6)],
            &arabic[..arabic.len().min(6)]
        )
    })
}

#[test]
fn the_check_counts_visible_words_outside_references_only() {
    assert!(mixed_digits("<p>٣ طلبات</p>").is_none());
    assert!(mixed_digits("<p>٣ طلبات، 4 أفراد</p>").is_some());
    assert!(mixed_digits("<a href=\"/team?page=2\">٣ طلبات</a>").is_none());
    assert!(mixed_digits("<p>٣ طلبات <bdi>HSK-2026-000123</bdi></p>").is_none());
    assert!(mixed_digits("<p>٣ طلبات \u{2068}2026-05-01\u{2069}</p>").is_none());
    assert!(mixed_digits("<script>var a = 2;</script><p>٣</p>").is_none());
}

async fn page(app: &TestApp, path: &str, role: Option<Role>) -> String {
    let mut request = app
        .client
        .get(app.url(path))
        .header("accept-language", "ar");
    if let Some(role) = role {
        request = request.bearer_auth(app.token(role));
    }
    let response = request.send().await.expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("a page")
}

#[tokio::test]
async fn each_main_page_read_in_arabic_writes_its_numbers_in_one_system() {
    let app = spawn_demo_app(40).await;
    let reference = family_in_verification(&app).await;
    let pages: Vec<(String, Option<Role>)> = vec![
        ("/?lang=ar".into(), Some(Role::IntakeClerk)),
        ("/?lang=ar".into(), Some(Role::Verifier)),
        (
            format!("/applications/{reference}?lang=ar"),
            Some(Role::Supervisor),
        ),
        (
            format!("/applications/{reference}?lang=ar"),
            Some(Role::Verifier),
        ),
        ("/team?lang=ar".into(), Some(Role::Supervisor)),
        (
            "/team?state=verification&lang=ar".into(),
            Some(Role::Supervisor),
        ),
        (
            "/team?state=verification&district=al_qamishli&lang=ar".into(),
            Some(Role::Supervisor),
        ),
        (
            "/search?q=%D9%85%D8%AD%D9%85%D8%AF&lang=ar".into(),
            Some(Role::IntakeClerk),
        ),
        (
            "/search?q=1203%2F45877&lang=ar".into(),
            Some(Role::IntakeClerk),
        ),
        ("/applications/new?lang=ar".into(), Some(Role::IntakeClerk)),
        ("/dashboard?lang=ar".into(), Some(Role::Leadership)),
        ("/dashboard/panel?lang=ar".into(), Some(Role::Leadership)),
        ("/dashboard/what-if?lang=ar".into(), Some(Role::Leadership)),
        ("/signin?lang=ar".into(), None),
    ];
    let mut failures = Vec::new();
    for (path, role) in &pages {
        let html = page(&app, path, *role).await;
        if let Some(why) = mixed_digits(&html) {
            failures.push(format!("{path} ({role:?}): {why}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
