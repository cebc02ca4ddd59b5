//! A page per workflow (issue 30): each workflow's form and case page take
//! their titles, sections and checklist from the definition's `[form]`, and
//! a family's case page offers to register a member missing from the
//! family, which opens the person's form linked to the family and
//! prefilled from it.

use crate::common;

use casework::domain::roles::Role;
use reqwest::StatusCode;
use reqwest::header::LOCATION;
use serde_json::Value;

use common::cases::open_case;
use common::families::unregistered_person_json;
use common::http::post_json;
use common::{TestApp, spawn_app};

use super::workbench::visible;

async fn page(app: &TestApp, path: &str, role: Role) -> String {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
        .get(app.url(path))
        .bearer_auth(app.token(role))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("a page")
}

async fn post(app: &TestApp, path: &str, form: &[(String, String)]) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
        .post(app.url(path))
        .bearer_auth(app.token(Role::IntakeClerk))
        .form(form)
        .send()
        .await
        .expect("request")
}

const PERSON_FORM: &str = "/applications/new?workflow=unregistered-persons";

#[tokio::test]
async fn each_workflow_s_form_takes_its_title_sections_and_checklist_from_its_definition() {
    let app = spawn_app().await;
    for (lang, family_title, members, person_title, person) in [
        (
            "ar",
            "طلب تجنيس جديد",
            "أفراد العائلة",
            "طلب قيد شخص مكتوم القيد",
            "الشخص",
        ),
        (
            "en",
            "New naturalization application",
            "Family members",
            "New registration of a person never entered in a register",
            "The person",
        ),
    ] {
        let html = page(
            &app,
            &format!("/applications/new?lang={lang}"),
            Role::IntakeClerk,
        )
        .await;
        let text = visible(&html);
        assert!(html.contains(&format!("<h1>{family_title}</h1>")), "{html}");
        assert!(text.contains(members), "{text}");
        assert!(html.contains("name=\"members[0].register_number\""));
        assert!(html.contains("name=\"members[0].doc.register_extract\""));
        assert!(html.contains("name=\"application_form\""));
        assert!(html.contains("value=\"add\""), "a family adds members");
        assert!(
            html.contains(&format!("href=\"{PERSON_FORM}\"")),
            "the other kind is its own form: {html}"
        );

        let html = page(
            &app,
            &format!("{PERSON_FORM}&lang={lang}"),
            Role::IntakeClerk,
        )
        .await;
        let text = visible(&html);
        assert!(html.contains(&format!("<h1>{person_title}</h1>")), "{html}");
        assert!(html.contains(&format!("<h2>{person}</h2>")), "{html}");
        assert!(!text.contains(members), "{text}");
        // The family's form is another form, a link away.
        assert!(html.contains("href=\"/applications/new?workflow=naturalization-family\""));
        assert!(html.contains("name=\"workflow\" value=\"unregistered-persons\""));
        assert!(
            !html.contains("name=\"members[0].register_number\""),
            "no register entry"
        );
        assert!(
            !html.contains("doc.register_extract"),
            "no register extract: {html}"
        );
        for evidence in [
            "parents_register_entries",
            "mukhtar_attestation",
            "witness_statements",
            "photos",
            "court_decision",
        ] {
            assert!(
                html.contains(&format!("name=\"members[0].doc.{evidence}\"")),
                "{evidence}"
            );
        }
        assert!(!html.contains("name=\"application_form\""));
        assert!(!html.contains("value=\"add\""), "one person, not a family");
        assert!(
            !html.contains("<option value=\"head\""),
            "a person is no family's head"
        );
        assert_eq!(html.matches("<fieldset class=\"member\"").count(), 1);
    }
}

#[tokio::test]
async fn a_person_s_form_sent_back_and_the_person_s_case_page_keep_the_person_s_words() {
    let app = spawn_app().await;
    let form: Vec<(String, String)> = [
        ("csrf_token", ""),
        ("workflow", "unregistered-persons"),
        ("office", "qamishli_1"),
        ("submitted_on.day", "01"),
        ("submitted_on.month", "03"),
        ("submitted_on.year", "2026"),
        ("op", "save"),
        ("members[0].first_name", ""),
        ("members[0].father_name", "أحمد"),
        ("members[0].mother_name", "عائشة الحسن"),
        ("members[0].family_name", "العلي"),
        ("members[0].sex", "male"),
        ("members[0].relationship", "son"),
        ("members[0].birth_date.day", "02"),
        ("members[0].birth_date.month", "04"),
        ("members[0].birth_date.year", "2001"),
        ("members[0].birth_place", "القامشلي"),
        ("members[0].doc.parents_register_entries", "on"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let refused = post(&app, "/applications/new", &form).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = visible(&refused.text().await.expect("a page"));
    assert!(text.contains("طلب قيد شخص مكتوم القيد"), "{text}");
    assert!(
        text.contains("الشخص: الاسم"),
        "one person, not numbered: {text}"
    );
    assert!(!text.contains("أفراد العائلة"), "{text}");

    let body = unregistered_person_json("خالد", (2001, 4, 2), false);
    let created = post_json(
        &app,
        "/api/applications?workflow=unregistered-persons",
        Role::IntakeClerk,
        &body,
    )
    .await;
    let person: Value = created.json().await.expect("json");
    let person = person["reference"].as_str().expect("a reference");
    for (lang, heading, edit, family) in [
        ("ar", "الشخص", "تعديل بيانات الشخص", "أفراد العائلة"),
        ("en", "The person", "Edit the person", "Family members"),
    ] {
        let html = page(
            &app,
            &format!("/applications/{person}?lang={lang}"),
            Role::IntakeClerk,
        )
        .await;
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "{html}");
        assert!(visible(&html).contains(edit), "{html}");
        assert!(!visible(&html).contains(family), "{html}");
        assert!(
            !html.contains("register-missing"),
            "a person's case registers no one"
        );
        let html = page(
            &app,
            &format!("/applications/{person}/edit?lang={lang}"),
            Role::IntakeClerk,
        )
        .await;
        assert!(html.contains(&format!("<h1>{edit}</h1>")), "{html}");
        assert!(html.contains(&format!("<h2>{heading}</h2>")), "{html}");
        assert_eq!(html.matches("<fieldset class=\"member\"").count(), 1);
        assert!(!html.contains("name=\"members[0].register_number\""));
        assert!(html.contains("name=\"workflow\" value=\"unregistered-persons\""));
    }
}

#[tokio::test]
async fn a_family_s_page_registers_a_missing_member_in_a_form_linked_and_prefilled() {
    let app = spawn_app().await;
    let family = open_case(&app).await;
    let link = format!("href=\"{PERSON_FORM}&amp;family={family}\"");
    for (lang, words) in [
        ("ar", "سجّل فرداً مكتوم القيد من هذه العائلة"),
        ("en", "Register a missing member of this family"),
    ] {
        let html = page(
            &app,
            &format!("/applications/{family}?lang={lang}"),
            Role::IntakeClerk,
        )
        .await;
        assert!(html.contains(&link), "{html}");
        assert!(visible(&html).contains(words), "{lang}");
    }
    // Only to one who may open a person's case.
    let html = page(&app, &format!("/applications/{family}"), Role::Registrar).await;
    assert!(!html.contains("register-missing"), "{html}");

    let html = page(
        &app,
        &format!("{PERSON_FORM}&family={family}"),
        Role::IntakeClerk,
    )
    .await;
    for (field, value) in [
        ("family", family.as_str()),
        ("members[0].father_name", "أحمد"),
        ("members[0].family_name", "العلي"),
        ("members[0].mother_name", "عائشة العلي"),
    ] {
        assert!(
            html.contains(&format!("name=\"{field}\" value=\"{value}\"")),
            "{field} = {value}: {html}"
        );
    }
    assert!(
        html.contains("<option value=\"qamishli_1\" selected>"),
        "the family's office"
    );

    let mut form: Vec<(String, String)> = Vec::new();
    for (k, v) in [
        ("csrf_token", ""),
        ("workflow", "unregistered-persons"),
        ("family", family.as_str()),
        ("office", "qamishli_1"),
        ("submitted_on.day", "01"),
        ("submitted_on.month", "03"),
        ("submitted_on.year", "2026"),
        ("op", "save"),
        ("members[0].first_name", "خالد"),
        ("members[0].father_name", "أحمد"),
        ("members[0].mother_name", "عائشة العلي"),
        ("members[0].family_name", "العلي"),
        ("members[0].sex", "male"),
        ("members[0].relationship", "son"),
        ("members[0].birth_date.day", "02"),
        ("members[0].birth_date.month", "04"),
        ("members[0].birth_date.year", "2010"),
        ("members[0].birth_place", "القامشلي"),
        ("members[0].doc.parents_register_entries", "on"),
        ("members[0].doc.mukhtar_attestation", "on"),
        ("members[0].doc.witness_statements", "on"),
        ("members[0].doc.photos", "on"),
    ] {
        form.push((k.to_string(), v.to_string()));
    }
    let opened = post(&app, "/applications/new", &form).await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let location = opened.headers()[LOCATION]
        .to_str()
        .expect("a location")
        .to_string();
    let person = location
        .trim_start_matches("/applications/")
        .trim_end_matches("?done=created");
    let case = common::cases::case_as_supervisor(&app, person).await;
    assert_eq!(
        case["linked_family"]["reference"],
        family.as_str(),
        "{case}"
    );
    assert_eq!(case["display_name"], "خالد أحمد العلي");
    let html = page(&app, &format!("/applications/{family}"), Role::IntakeClerk).await;
    assert!(
        html.contains(&format!("href=\"/applications/{person}\"")),
        "linked: {html}"
    );
}
