//! The dashboard's what-if page: a change that moves away more officers
//! than the district has is refused beside its field, in the page's
//! language and digits; a change that moves no date says why, naming the
//! stage that holds the flow back.

use crate::common;

use casework::domain::roles::Role;
use reqwest::StatusCode;

use common::TestApp;
use common::http::get;

async fn page(app: &TestApp, query: &str, status: StatusCode) -> String {
    let response = get(
        app,
        &format!("/dashboard/what-if?{query}"),
        Role::Leadership,
    )
    .await;
    assert_eq!(response.status(), status, "{query}");
    response.text().await.expect("html")
}

#[tokio::test]
async fn the_what_if_page_refuses_more_officers_than_the_district_has_and_says_why_nothing_moves() {
    let app = common::spawn_demo_app(600).await;
    // Fifty verifiers moved away from a district that has three.
    let refused = |lang: &str| format!("lang={lang}&role=verifier&district=al_hasakah&add=-50");
    let html = page(&app, &refused("ar"), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(html.contains(r#"data-field="add""#), "{html}");
    assert!(
        html.contains(r#"value="-50" aria-invalid="true" aria-describedby="wi-add-error""#),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<span class="field-error" id="wi-add-error">لا يمكن نقل ٥٠ مدققاً من الحسكة، فلم يعمل فيها في آخر ١٢ أسبوعاً سوى ٣ مدققين</span>"#
        ),
        "{html}"
    );
    assert!(!html.contains(r#"id="answer""#), "{html}");
    let html = page(&app, &refused("en"), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(
        html.contains(
            r#"<span class="field-error" id="wi-add-error">50 verifiers cannot be moved away from Al-Hasakah: only 3 verifiers worked there in the last 12 weeks</span>"#
        ),
        "{html}"
    );
    // All three may be moved away.
    page(
        &app,
        "lang=en&role=verifier&district=al_hasakah&add=-3",
        StatusCode::OK,
    )
    .await;
    // One more intake clerk moves no date: the page names the stage that
    // holds the flow back, in words.
    for (lang, why) in [
        (
            "en",
            "No date moves: what holds the flow of applications back in Al-Hasakah is the stage “",
        ),
        (
            "ar",
            "لا يتغير أي موعد: ما يحدّ من سير الطلبات في الحسكة هو مرحلة «",
        ),
    ] {
        let html = page(
            &app,
            &format!("lang={lang}&role=intake_clerk&district=al_hasakah&add=1"),
            StatusCode::OK,
        )
        .await;
        assert!(
            html.contains(r#"data-unmoved="bottleneck_elsewhere""#),
            "{html}"
        );
        assert!(html.contains(why), "{lang}: {html}");
    }
}
