//! The officers' workbench pages, driven as a browser would (plain GETs
//! and form POSTs, no script), with bearer tokens for the officers until
//! sign-in comes: the queue, a case with its actions, acting, a conflict,
//! a refusal, search, and the language switch. On SQLite, and on
//! PostgreSQL when `CASEWORK_TEST_DATABASE_URL` is set.

use crate::common;

use casework::app::cases::create;
use casework::domain::roles::Role;
use chrono::Utc;
use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::Value;

use common::actors::officer;
use common::cases::{
    FIRST_CARD_PRINTED, case_as_supervisor, case_in_verification, family_in_verification, walked,
};
use common::families::family;
use common::time::utc;
use common::{TestApp, spawn_app};

/// A client that does not follow redirects, so a test sees each one.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

async fn page(app: &TestApp, path: &str, role: Role) -> (StatusCode, String) {
    let response = browser()
        .get(app.url(path))
        .bearer_auth(app.token(role))
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.text().await.expect("a page"))
}

async fn post_form(
    app: &TestApp,
    path: &str,
    role: Role,
    form: &[(&str, &str)],
) -> reqwest::Response {
    browser()
        .post(app.url(path))
        .bearer_auth(app.token(role))
        .form(form)
        .send()
        .await
        .expect("request")
}

/// The text a reader sees: the page without its tags, attributes and
/// style sheet link.
pub(crate) fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&quot;", "\"")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Codes a reader must never see on a page.
const CODES: &[&str] = &[
    "al_qamishli",
    "qamishli_1",
    "intake_clerk",
    "verification",
    "submit_for_verification",
    "verify_member",
    "pending",
    "register_extract",
    "head",
];

fn assert_no_codes(text: &str, page: &str) {
    for code in CODES {
        assert!(!text.contains(code), "{page} shows the code {code}: {text}");
    }
}

async fn version(app: &TestApp, reference: &str) -> i64 {
    let body: Value = common::http::get(
        app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    body["version"].as_i64().expect("a version")
}

#[tokio::test]
async fn a_verifier_sees_the_queue_opens_a_case_and_verifies_a_member_from_the_pages() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    // My work: the case, by the head's name, its state by name.
    let (status, html) = page(&app, "/", Role::Verifier).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible(&html);
    assert!(html.contains("dir=\"rtl\"") && html.contains("lang=\"ar\""));
    assert!(text.contains("أحمد محمد العلي"), "{text}");
    assert!(text.contains(&reference), "{text}");
    assert!(text.contains("التدقيق"), "{text}");
    assert_no_codes(&text, "my work");
    // A clerk's queue does not hold it: it is the verifiers' work.
    let (_, clerks) = page(&app, "/", Role::IntakeClerk).await;
    assert!(!clerks.contains(&reference));

    // The case: each member with their state, the verifier's actions.
    let (status, html) = page(&app, &format!("/applications/{reference}"), Role::Verifier).await;
    assert_eq!(status, StatusCode::OK);
    let text = visible(&html);
    assert!(text.contains("تثبيت تدقيق الفرد"), "{text}");
    assert!(text.contains("قيد التدقيق"), "{text}");
    assert!(text.contains("رب الأسرة"), "{text}");
    assert_no_codes(&text, "the case");
    // Completing the verification is not offered: it is folded under
    // "other actions, and why not", with the engine's reason.
    let why_not = html
        .split("class=\"why-not\"")
        .nth(1)
        .expect("the folded actions");
    assert!(
        why_not.contains("إنهاء التدقيق") && why_not.contains("لم يدقق بعد"),
        "{why_not}"
    );
    assert!(
        !html.contains("disabled"),
        "no disabled button is shown: {html}"
    );
    // Every pending member's verification is one form, each member ticked.
    assert_eq!(
        html.matches("name=\"members\" value=").count(),
        10,
        "verify and exclude, 5 members each"
    );

    // Verify member 1 with the version the page showed.
    let seen = version(&app, &reference).await.to_string();
    let response = post_form(
        &app,
        &format!("/applications/{reference}/act"),
        Role::Verifier,
        &[
            ("csrf_token", ""),
            ("version", &seen),
            ("action", "verify_member"),
            ("member", "1"),
            ("comment", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION]
        .to_str()
        .expect("a location")
        .to_string();
    assert_eq!(
        location,
        format!("/applications/{reference}?done=verify_member#done"),
        "back to the result, which the page announces where it lands"
    );
    let (_, html) = page(&app, &location, Role::Verifier).await;
    assert!(html.contains("id=\"done\" tabindex=\"-1\""), "{html}");
    let text = visible(&html);
    assert!(text.contains("تم: تثبيت تدقيق الفرد"), "{text}");
    assert!(
        text.contains("verifier.one"),
        "the history names who verified: {text}"
    );
    let case: Value = common::http::get(
        &app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(case["members"][0]["state"], "verified");
}

/// The whole family verified in one submission from the page: every
/// member ticked, one POST, the notice counting them.
#[tokio::test]
async fn a_verifier_verifies_every_member_in_one_submission() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    let seen = version(&app, &reference).await.to_string();
    let response = post_form(
        &app,
        &format!("/applications/{reference}/act"),
        Role::Verifier,
        &[
            ("version", &seen),
            ("action", "verify_member"),
            ("members", "1"),
            ("members", "2"),
            ("members", "4"),
            ("members", "5"),
            ("comment", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()[LOCATION]
        .to_str()
        .expect("a location")
        .to_string();
    assert_eq!(
        location,
        format!("/applications/{reference}?done=verify_member&n=4#done")
    );
    let (_, html) = page(&app, &location, Role::Verifier).await;
    let text = visible(&html);
    assert!(text.contains("تم: تثبيت تدقيق الفرد — 4 أفراد"), "{text}");
    // Member 3 is left: the verification form now offers it alone.
    let verify = html
        .split("id=\"do-verify_member\"")
        .nth(1)
        .and_then(|rest| rest.split("</form>").next())
        .expect("the verification form");
    assert_eq!(
        verify.matches("name=\"members\" value=").count(),
        1,
        "{verify}"
    );
    assert!(verify.contains("name=\"members\" value=\"3\""), "{verify}");
    let case: Value = common::http::get(
        &app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    let states: Vec<&str> = case["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["state"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        states,
        ["verified", "verified", "pending", "verified", "verified"]
    );

    // A form with nobody ticked is refused beside the form, nothing done.
    let seen = version(&app, &reference).await.to_string();
    let response = post_form(
        &app,
        &format!("/applications/{reference}/act"),
        Role::Verifier,
        &[
            ("version", &seen),
            ("action", "exclude_member"),
            ("field.3.reason", "ليس من العائلة"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.expect("a page");
    assert!(
        visible(&html).contains("أشّر على فرد واحد على الأقل"),
        "{html}"
    );
    assert!(html.contains("ليس من العائلة"), "the typed reason is kept");
}

#[tokio::test]
async fn a_change_made_meanwhile_is_shown_and_the_officer_s_text_is_kept() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    let seen = version(&app, &reference).await.to_string();
    // Someone else verifies member 2 first.
    let first = post_form(
        &app,
        &format!("/applications/{reference}/act"),
        Role::Verifier,
        &[
            ("version", &seen),
            ("action", "verify_member"),
            ("member", "2"),
        ],
    )
    .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    // The officer, on the old page, excludes member 3 with a reason.
    let reason = "ليس من أفراد هذه العائلة بحسب إخراج القيد";
    let second = post_form(
        &app,
        &format!("/applications/{reference}/act"),
        Role::Verifier,
        &[
            ("version", &seen),
            ("action", "exclude_member"),
            ("member", "3"),
            ("field.reason", reason),
        ],
    )
    .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let html = second.text().await.expect("a page");
    let text = visible(&html);
    assert!(text.contains("غيّر verifier.one"), "{text}");
    assert!(html.contains(reason), "the typed reason is kept");
    let case: Value = common::http::get(
        &app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(
        case["members"][2]["state"], "pending",
        "nothing was excluded"
    );
    assert_eq!(case["members"][1]["state"], "verified");
}

#[tokio::test]
async fn a_refused_action_says_why_and_changes_nothing() {
    let app = spawn_app().await;
    let created = create(
        &app.engine,
        &family().draft(),
        &officer("clerk.one", Role::IntakeClerk),
        Utc::now(),
    )
    .await
    .expect("the family opens");
    let seen = version(&app, &created.reference).await.to_string();
    // Verifying a member while the case is still at intake: refused, with
    // the engine's reason in words.
    let response = post_form(
        &app,
        &format!("/applications/{}/act", created.reference),
        Role::Verifier,
        &[
            ("version", &seen),
            ("action", "verify_member"),
            ("member", "1"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let text = visible(&response.text().await.expect("a page"));
    assert!(text.contains("لا يمكن تنفيذ «تثبيت تدقيق الفرد»"), "{text}");
    assert!(
        text.contains("استلام الطلب"),
        "the state by its name: {text}"
    );
    assert_no_codes(&text, "a refusal");
    assert_eq!(version(&app, &created.reference).await.to_string(), seen);
}

#[tokio::test]
async fn a_clerk_claims_from_the_queue_and_the_page_follows_the_language_switch() {
    let app = spawn_app().await;
    let created = create(
        &app.engine,
        &family().draft(),
        &officer("clerk.one", Role::IntakeClerk),
        Utc::now(),
    )
    .await
    .expect("the family opens");
    let seen = version(&app, &created.reference).await.to_string();
    let claim = post_form(
        &app,
        &format!("/applications/{}/claim", created.reference),
        Role::IntakeClerk,
        &[("version", &seen)],
    )
    .await;
    assert_eq!(claim.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, "/?assigned=me", Role::IntakeClerk).await;
    assert!(html.contains(&created.reference));
    assert!(visible(&html).contains("intake_clerk.one"));
    // English on the switch, remembered by a cookie.
    let response = browser()
        .get(app.url("/?lang=en"))
        .bearer_auth(app.token(Role::IntakeClerk))
        .send()
        .await
        .expect("request");
    let cookie = response.headers()[SET_COOKIE]
        .to_str()
        .expect("a cookie")
        .to_string();
    assert!(
        cookie.starts_with("casework_lang=en") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let html = response.text().await.expect("a page");
    assert!(html.contains("lang=\"en\"") && html.contains("dir=\"ltr\""));
    assert!(visible(&html).contains("My work"));
    assert!(visible(&html).contains("Intake"));
    let again = browser()
        .get(app.url("/"))
        .bearer_auth(app.token(Role::IntakeClerk))
        .header(COOKIE, "casework_lang=en")
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("a page");
    assert!(again.contains("lang=\"en\""));
}

#[tokio::test]
async fn nobody_signed_in_is_sent_to_sign_in_and_search_finds_a_family() {
    let app = spawn_app().await;
    let response = browser().get(app.url("/")).send().await.expect("request");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "/signin?next=/");
    let created = create(
        &app.engine,
        &family().draft(),
        &officer("clerk.one", Role::IntakeClerk),
        Utc::now(),
    )
    .await
    .expect("the family opens");
    for typed in ["العلي احمد", "1203%2F45877"] {
        let (status, html) = page(&app, &format!("/search?q={typed}"), Role::Verifier).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(&created.reference), "searching for {typed}");
        // One found is said as one, never "1 طلباً".
        assert!(
            visible(&html).contains("طلب واحد، الأقدم أولاً"),
            "{}",
            visible(&html)
        );
    }
    let (_, html) = page(&app, "/search?q=زازا", Role::Verifier).await;
    assert!(!html.contains(&created.reference));
    // Leadership reads no case, on a page either.
    let (status, _) = page(
        &app,
        &format!("/applications/{}", created.reference),
        Role::Leadership,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The form fields of a family of two, the Kurdish-spelled head and a son.
fn family_form(op: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("csrf_token", ""),
        ("office", "amuda"),
        ("submitted_on.day", "30"),
        ("submitted_on.month", "11"),
        ("submitted_on.year", "2026"),
        ("application_form", "on"),
        ("op", op),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (i, (first, sex, relationship, born, entry)) in [
        ("ڤیان", "female", "head", "1980-02-03", "1500/11"),
        ("شڤان", "male", "son", "2004-06-01", "1500/12"),
    ]
    .into_iter()
    .enumerate()
    {
        for (k, v) in [
            ("first_name", first),
            ("father_name", "چیا"),
            ("mother_name", "گولی حسو"),
            ("family_name", "زازا"),
            ("sex", sex),
            ("relationship", relationship),
            ("birth_place", "عامودا"),
            ("register_number", entry),
            ("doc.register_extract", "on"),
            ("doc.photos", "on"),
        ] {
            form.push((format!("members[{i}].{k}"), v.to_string()));
        }
        // The date of birth in its three boxes, day first.
        let mut parts = born.split('-').rev();
        for part in ["day", "month", "year"] {
            let typed = parts.next().unwrap_or_default();
            form.push((format!("members[{i}].birth_date.{part}"), typed.to_string()));
        }
    }
    form
}

async fn post_owned(
    app: &TestApp,
    path: &str,
    role: Role,
    form: &[(String, String)],
) -> reqwest::Response {
    browser()
        .post(app.url(path))
        .bearer_auth(app.token(role))
        .form(form)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_clerk_opens_a_family_from_the_form_adding_a_member_without_losing_what_was_typed() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/applications/new", Role::IntakeClerk).await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible(&html).contains("عامودا"), "offices by name");
    assert!(!visible(&html).contains("amuda"));
    // "Add a member": the form comes back with one more member and every
    // value typed so far.
    let added = post_owned(
        &app,
        "/applications/new",
        Role::IntakeClerk,
        &family_form("add"),
    )
    .await;
    assert_eq!(added.status(), StatusCode::OK);
    let html = added.text().await.expect("a page");
    assert_eq!(html.matches("<fieldset class=\"member\"").count(), 3);
    assert!(html.contains("value=\"ڤیان\"") && html.contains("value=\"شڤان\""));
    // A refused form: each error beside its field and in the summary, in
    // Arabic, and the typed values kept.
    let mut broken = family_form("save");
    for (k, v) in &mut broken {
        if k == "members[1].birth_date.month" {
            *v = "13".into();
        }
        if k == "members[0].first_name" {
            *v = "Viyan".into();
        }
    }
    let refused = post_owned(&app, "/applications/new", Role::IntakeClerk, &broken).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("a page");
    let text = visible(&html);
    assert!(text.contains("يوجد ما يجب تصحيحه"), "{text}");
    assert!(text.contains("الفرد 2: تاريخ الميلاد"), "{text}");
    assert!(text.contains("الفرد 1: الاسم: لا يحوي أي حرف عربي"), "{text}");
    assert!(
        html.contains("value=\"Viyan\"")
            && html.contains("name=\"members[1].birth_date.month\" value=\"13\"")
    );
    assert!(
        html.contains("href=\"#members-1-birth_date\"")
            && html.contains("id=\"members-1-birth_date\"")
    );
    let none: Value = common::http::get(&app, "/api/applications", Role::Supervisor)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        none["items"].as_array().map(Vec::len),
        Some(0),
        "nothing half-stored"
    );
    // The whole family: opened, and the case's page shown.
    let opened = post_owned(
        &app,
        "/applications/new",
        Role::IntakeClerk,
        &family_form("save"),
    )
    .await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let location = opened.headers()[LOCATION]
        .to_str()
        .expect("a location")
        .to_string();
    assert!(location.ends_with("?done=created"), "{location}");
    let (_, html) = page(&app, &location, Role::IntakeClerk).await;
    let text = visible(&html);
    assert!(
        text.contains("ڤیان چیا زازا") && text.contains("استلام الطلب"),
        "{text}"
    );
    // Found by the Arabic letters a clerk types for the Kurdish ones.
    let (_, found) = page(&app, "/search?q=فيان%20زازا", Role::IntakeClerk).await;
    let reference = location
        .trim_start_matches("/applications/")
        .trim_end_matches("?done=created")
        .to_string();
    assert!(found.contains(&reference));
    // The same form edits the family at intake.
    let (status, html) = page(
        &app,
        &format!("/applications/{reference}/edit"),
        Role::IntakeClerk,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("value=\"شڤان\""));
    let mut edited = family_form("save");
    edited.push((
        "version".into(),
        version(&app, &reference).await.to_string(),
    ));
    for (k, v) in &mut edited {
        if k == "members[1].first_name" {
            *v = "ریبر".into();
        }
    }
    let saved = post_owned(
        &app,
        &format!("/applications/{reference}/edit"),
        Role::IntakeClerk,
        &edited,
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let case: Value = common::http::get(
        &app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(case["members"][1]["first_name"], "ریبر");
}

#[tokio::test]
async fn a_supervisor_gives_a_case_to_an_officer_who_works_it_and_sees_who_holds_what() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    // The case page offers the officers whose roles work verification.
    let (_, html) = page(
        &app,
        &format!("/applications/{reference}"),
        Role::Supervisor,
    )
    .await;
    assert!(html.contains("<option value=\"verifier.one\""), "{html}");
    assert!(
        !html.contains("<option value=\"approver.one\""),
        "an approver does not work verification"
    );
    let seen = version(&app, &reference).await.to_string();
    let assigned = post_form(
        &app,
        &format!("/applications/{reference}/assign"),
        Role::Supervisor,
        &[("version", &seen), ("user", "verifier.one")],
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::SEE_OTHER);
    let (_, team) = page(&app, "/team", Role::Supervisor).await;
    let text = visible(&team);
    assert!(text.contains("verifier.one المدقق 1"), "{text}");
    let (_, held) = page(&app, "/team?officer=verifier.one", Role::Supervisor).await;
    assert!(held.contains(&reference));
    // The holder lets go of it.
    let seen = version(&app, &reference).await.to_string();
    let released = post_form(
        &app,
        &format!("/applications/{reference}/release"),
        Role::Verifier,
        &[("version", &seen)],
    )
    .await;
    assert_eq!(released.status(), StatusCode::SEE_OTHER);
    let (_, held) = page(&app, "/team?officer=verifier.one", Role::Supervisor).await;
    assert!(!held.contains(&reference));
    // Only supervisors see the team.
    let (status, _) = page(&app, "/team", Role::Verifier).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_search_asks_for_six_words_at_most_and_shows_the_box_alone_when_nothing_is_typed() {
    let app = spawn_app().await;
    let (status, html) = page(&app, "/search?q=%20", Role::Verifier).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"q\""), "{html}");
    assert!(!html.contains("role=\"alert\""), "{html}");
    let seven = "/search?q=a%20b%20c%20d%20e%20f%20g";
    let (status, html) = page(&app, seven, Role::Verifier).await;
    assert_eq!(status, StatusCode::OK);
    assert!(visible(&html).contains("اكتب ست كلمات على الأكثر من الاسم."));
}

#[tokio::test]
async fn the_team_page_names_the_drill_down_s_places_and_refuses_whoever_is_no_supervisor() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    let (status, html) = page(
        &app,
        "/team?district=al_qamishli&office=qamishli_1",
        Role::Supervisor,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = visible(&html);
    assert!(
        text.contains("الطلبات — القامشلي — القامشلي الأول"),
        "{text}"
    );
    assert!(html.contains(&reference), "{html}");
    // A drill-down is the supervisor's too: refused before anything is read.
    for path in [
        "/team",
        "/team?officer=verifier.one",
        "/team?office=qamishli_1",
    ] {
        let (status, html) = page(&app, path, Role::Verifier).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
        assert!(!html.contains(&reference), "{path}");
        let text = visible(&html);
        assert!(text.contains("الاطلاع على عمل الفريق"), "{path}: {text}");
    }
}

#[tokio::test]
async fn a_closed_case_offers_no_claim_and_only_deciders_see_the_duplicate_buttons() {
    let app = spawn_app().await;
    let clerk = officer("clerk.one", Role::IntakeClerk);
    // Two families sharing register entries: possible duplicates.
    let first = create(&app.engine, &family().draft(), &clerk, Utc::now())
        .await
        .expect("the family opens");
    let second = create(&app.engine, &family().draft(), &clerk, Utc::now())
        .await
        .expect("the family opens");
    let (_, html) = page(
        &app,
        &format!("/applications/{}", second.reference),
        Role::Verifier,
    )
    .await;
    assert!(html.contains("value=\"dismiss\""), "a verifier decides");
    let (_, html) = page(
        &app,
        &format!("/applications/{}", second.reference),
        Role::IntakeClerk,
    )
    .await;
    assert!(!html.contains("value=\"dismiss\""), "a clerk does not");
    assert!(visible(&html).contains("بانتظار قرار المدقق"));
    // Withdrawn: nothing to claim any more.
    let seen = version(&app, &first.reference).await.to_string();
    let withdrawn = post_form(
        &app,
        &format!("/applications/{}/act", first.reference),
        Role::IntakeClerk,
        &[
            ("version", &seen),
            ("action", "withdraw"),
            ("field.reason", "طلب مقدمه سحبه"),
        ],
    )
    .await;
    assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(
        &app,
        &format!("/applications/{}", first.reference),
        Role::IntakeClerk,
    )
    .await;
    assert!(visible(&html).contains("مسحوب"));
    assert!(!html.contains("/claim\""), "no claim on a closed case");
}

#[tokio::test]
async fn a_clerk_who_also_verifies_sees_the_verification_of_the_family_they_opened_disabled_with_the_rule()
 {
    let app = spawn_app().await;
    let token = casework::app::users::add(
        &app.engine,
        "clerk.verifier",
        &[Role::IntakeClerk, Role::Verifier],
        None,
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("added");
    let opener = casework::workflow::Actor {
        id: "clerk.verifier".into(),
        roles: vec![Role::IntakeClerk, Role::Verifier],
        district: None,
    };
    let reference = case_in_verification(
        &app.engine,
        &family().draft(),
        &opener,
        utc(2026, 3, 1, 9, 0),
        utc(2026, 3, 1, 10, 0),
    )
    .await;
    let response = browser()
        .get(app.url(&format!("/applications/{reference}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.expect("a page");
    let text = visible(&html);
    // The member's verification is not offered: it is among the other
    // actions, folded, naming the rule and the earlier action, in Arabic.
    assert!(text.contains("تثبيت تدقيق الفرد"), "{text}");
    let why_not = html
        .split("class=\"why-not\"")
        .nth(1)
        .expect("the folded actions");
    assert!(why_not.contains("تثبيت تدقيق الفرد"), "{why_not}");
    assert!(!html.contains("name=\"members\""), "no member form: {html}");
    assert!(
        text.contains("لا يتولى الشخص الواحد أكثر من مرحلة واحدة من مراحل الطلب"),
        "{text}"
    );
    assert!(text.contains("فتح الطلب"), "{text}");
    assert_no_codes(&text, "the case");
}

#[tokio::test]
async fn one_who_took_intake_sees_why_once_and_is_not_offered_the_case() {
    let app = spawn_app().await;
    // One person, clerk and verifier both, opens the family at the counter.
    let token = casework::app::users::add(
        &app.engine,
        "both.one",
        &[Role::IntakeClerk, Role::Verifier],
        None,
        None,
        Utc::now(),
    )
    .await
    .expect("a user with two roles");
    let both = officer("both.one", Role::IntakeClerk);
    let both = casework::workflow::Actor {
        roles: vec![Role::IntakeClerk, Role::Verifier],
        ..both
    };
    let created = create(&app.engine, &family().draft(), &both, Utc::now())
        .await
        .expect("the family opens");
    // A supervisor sends it on to verification.
    let seen = version(&app, &created.reference).await.to_string();
    let sent = post_form(
        &app,
        &format!("/applications/{}/act", created.reference),
        Role::Supervisor,
        &[("version", &seen), ("action", "submit_for_verification")],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let html = browser()
        .get(app.url(&format!("/applications/{}?lang=en", created.reference)))
        .bearer_auth(&token)
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("a page");
    let text = visible(&html);
    // Every verification action is barred by the rule they crossed at intake:
    // the reason is said once, folded with the actions it bars.
    let reason = "One person takes at most one stage of an application";
    assert_eq!(text.matches(reason).count(), 1, "{text}");
    let why_not = html
        .split("class=\"why-not\"")
        .nth(1)
        .expect("the folded actions");
    assert!(
        why_not.contains("Verify the member (member 1), Verify the member (member 2)"),
        "{why_not}"
    );
    assert!(!text.contains("Claim the case"), "nothing to claim: {text}");
    // The verifier who took no stage of it is offered it, with no such notice.
    let (_, page) = page(
        &app,
        &format!("/applications/{}?lang=en", created.reference),
        Role::Verifier,
    )
    .await;
    let text = visible(&page);
    assert!(text.contains("Claim the case"), "{text}");
    assert!(!text.contains(reason), "{text}");
}

/// A returned case says why at the top of its page, for the clerk: who
/// returned it, when, and the reason; the history keeps every reason.
#[tokio::test]
async fn a_returned_case_shows_who_returned_it_and_why() {
    let app = spawn_app().await;
    let reference = family_in_verification(&app).await;
    let seen = version(&app, &reference).await.to_string();
    let reason = "صورة إخراج القيد للفرد الثاني غير واضحة";
    let response = post_form(
        &app,
        &format!("/applications/{reference}/act"),
        Role::Verifier,
        &[
            ("version", &seen),
            ("action", "return_to_applicant"),
            ("field.reason", reason),
            ("comment", "اتصلت بالعائلة هاتفياً"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(
        &app,
        &format!("/applications/{reference}"),
        Role::IntakeClerk,
    )
    .await;
    let top = html
        .split("class=\"summary-list\"")
        .next()
        .expect("the top of the page");
    assert!(top.contains("why-here"), "{top}");
    assert!(
        visible(top).contains(reason),
        "the reason is at the top: {top}"
    );
    assert!(top.contains("verifier.one"), "and who returned it: {top}");
    assert!(
        top.contains(&format!("<q><bdi>{reason}</bdi></q>")),
        "isolated from the page's direction: {top}"
    );
    // The clerk's queue says who returned it and why, on the case's row.
    let (_, queue) = page(&app, "/", Role::IntakeClerk).await;
    let row = queue
        .split("<tr>")
        .find(|r| r.contains(&format!("/applications/{reference}\"")))
        .expect("the case's row in the clerk's queue");
    assert!(
        row.contains("<bdi>verifier.one</bdi>")
            && row.contains(&format!("<q><bdi>{reason}</bdi></q>")),
        "{row}"
    );
    let history = html.split("class=\"history\"").nth(1).expect("the history");
    assert!(
        history.contains(reason) && history.contains("اتصلت بالعائلة هاتفياً"),
        "{history}"
    );

    // Resubmitted, the case no longer says it was returned.
    let seen = version(&app, &reference).await.to_string();
    let response = post_form(
        &app,
        &format!("/applications/{reference}/act"),
        Role::IntakeClerk,
        &[("version", &seen), ("action", "resubmit")],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "resubmitted");
    let (_, html) = page(
        &app,
        &format!("/applications/{reference}"),
        Role::IntakeClerk,
    )
    .await;
    assert!(!html.contains("why-here"), "no banner once resubmitted");
}

#[tokio::test]
async fn the_members_table_shows_each_card_number_once_a_card_is_printed() {
    let app = spawn_app().await;
    let header = |name: &str| format!("<th scope=\"col\">{name}</th>");
    // Biometrics given, no card printed yet: no card column.
    let before = walked(&app.engine, FIRST_CARD_PRINTED - 1).await;
    let (_, html) = page(
        &app,
        &format!("/applications/{before}?lang=en"),
        Role::Supervisor,
    )
    .await;
    assert!(html.contains(&header("National number")), "{html}");
    assert!(!html.contains(&header("Card number")), "{html}");
    // Member 1's card printed: its number beside the national number, the
    // others' a dash, in both languages.
    let printed = walked(&app.engine, FIRST_CARD_PRINTED).await;
    let case = case_as_supervisor(&app, &printed).await;
    let card = case["members"][0]["card_number"]
        .as_str()
        .expect("a card number");
    assert!(case["members"][1]["card_number"].is_null(), "{case}");
    let (_, html) = page(
        &app,
        &format!("/applications/{printed}?lang=en"),
        Role::Supervisor,
    )
    .await;
    assert!(html.contains(&header("Card number")), "{html}");
    assert!(
        html.contains(&format!(
            "<td data-label=\"Card number\"><bdi dir=\"ltr\">{card}</bdi></td>"
        )),
        "{html}"
    );
    assert!(
        html.contains("<td data-label=\"Card number\">—</td>"),
        "{html}"
    );
    let (_, html) = page(&app, &format!("/applications/{printed}"), Role::Supervisor).await;
    assert!(html.contains(&header("رقم البطاقة")), "{html}");
    assert!(
        html.contains(&format!(
            "<td data-label=\"رقم البطاقة\"><bdi dir=\"ltr\">{card}</bdi></td>"
        )),
        "{html}"
    );
}

/// A scan posted from the case page's form: `bytes` as member 1's photos.
async fn post_scan(app: &TestApp, reference: &str, bytes: &[u8]) -> reqwest::Response {
    let boundary = "casework-test-boundary";
    let mut body = Vec::new();
    for (name, value) in [("csrf_token", ""), ("owner", "1"), ("kind", "photos")] {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"photos.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    browser()
        .post(app.url(&format!("/applications/{reference}/documents")))
        .bearer_auth(app.token(Role::CardOfficer))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn a_closed_case_offers_no_scan_upload_and_refuses_one_posted() {
    let app = spawn_app().await;
    let form = |reference: &str| format!("action=\"/applications/{reference}/documents\"");
    let scan = b"%PDF-1.7\nA scanned photograph, as a PDF.\n".repeat(4);
    // Still open: the form is offered, and a scan is stored.
    let open = walked(&app.engine, FIRST_CARD_PRINTED).await;
    let (_, html) = page(&app, &format!("/applications/{open}"), Role::CardOfficer).await;
    assert!(html.contains(&form(&open)), "{html}");
    assert_eq!(
        post_scan(&app, &open, &scan).await.status(),
        StatusCode::SEE_OTHER
    );
    // Completed: its scans are listed, no form is offered, and one posted
    // all the same is refused with the reason.
    let closed = walked(&app.engine, usize::MAX).await;
    let (_, html) = page(
        &app,
        &format!("/applications/{closed}?lang=en"),
        Role::CardOfficer,
    )
    .await;
    assert!(html.contains("Scanned documents"), "{html}");
    assert!(!html.contains(&form(&closed)), "{html}");
    assert!(!html.contains("multipart/form-data"), "{html}");
    let refused = post_scan(&app, &closed, &scan).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let text = visible(&refused.text().await.expect("a page"));
    assert!(text.contains("الطلب مغلق"), "{text}");
    let stored = common::http::get(
        &app,
        &format!("/api/applications/{closed}/documents/1/photos"),
        Role::CardOfficer,
    )
    .await;
    assert_eq!(stored.status(), StatusCode::NOT_FOUND, "nothing was stored");
}
