//! The second workflow, the registration of persons never entered in any
//! register (`unregistered-persons`): its journey through the API from
//! intake to the entry in the register, the link into a family's case and
//! the person's addition to it (audited on both cases), the refusals, and
//! cases of both workflows side by side in the queue, the statistics and
//! the portal. SQLite by default; PostgreSQL with
//! `CASEWORK_TEST_DATABASE_URL`.

use crate::common;

use casework::app::registry::{Registry, RegistryError};
use casework::domain::roles::Role;
use casework::store::audit;
use chrono::Utc;
use reqwest::StatusCode;
use serde_json::{Value, json};

use common::TestApp;
use common::cases::{case_as_supervisor, open_case};
use common::families::{family, unregistered_person_json};
use common::http::{get, post_json};

const PERSONS: &str = "/api/applications?workflow=unregistered-persons";

async fn open_person(app: &TestApp, family: Option<&str>, court_decision: bool) -> String {
    let path = match family {
        Some(f) => format!("{PERSONS}&family={f}"),
        None => PERSONS.to_string(),
    };
    let body = unregistered_person_json("خالد", (2001, 4, 2), court_decision);
    let response = post_json(app, &path, Role::IntakeClerk, &body).await;
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["reference"].as_str().expect("a reference").to_string()
}

async fn act(
    app: &TestApp,
    reference: &str,
    role: Role,
    action: &str,
    member: Option<u32>,
    fields: Value,
) -> (StatusCode, Value) {
    let response = post_json(
        app,
        &format!("/api/applications/{reference}/transitions"),
        role,
        &json!({"action": action, "member": member, "fields": fields}),
    )
    .await;
    let status = response.status();
    (status, response.json().await.expect("json"))
}

async fn ok(
    app: &TestApp,
    reference: &str,
    role: Role,
    action: &str,
    member: Option<u32>,
    fields: Value,
) -> Value {
    let (status, body) = act(app, reference, role, action, member, fields).await;
    assert_eq!(status, StatusCode::OK, "{action}: {body}");
    body
}

async fn join(app: &TestApp, family: &str, person: &str, role: Role) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/applications/{family}/members/from/{person}")))
        .bearer_auth(app.token(role))
        .header("accept-language", "en")
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.expect("json"))
}

/// Drives a person's case from intake to the entry in the register.
async fn enter_in_register(app: &TestApp, person: &str, number: &str) -> Value {
    ok(
        app,
        person,
        Role::IntakeClerk,
        "submit_evidence",
        None,
        json!({}),
    )
    .await;
    ok(
        app,
        person,
        Role::Verifier,
        "verify_evidence",
        Some(1),
        json!({}),
    )
    .await;
    ok(
        app,
        person,
        Role::Verifier,
        "refer_to_committee",
        None,
        json!({}),
    )
    .await;
    ok(
        app,
        person,
        Role::Approver,
        "committee_approves",
        None,
        json!({}),
    )
    .await;
    ok(
        app,
        person,
        Role::Registrar,
        "enter_in_register",
        Some(1),
        json!({"register_number": number}),
    )
    .await
}

async fn trail(app: &TestApp, reference: &str) -> Vec<Value> {
    let response = get(
        app,
        &format!("/api/applications/{reference}/audit"),
        Role::Supervisor,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    body.as_array()
        .or_else(|| body["events"].as_array())
        .expect("events")
        .clone()
}

async fn page_of(app: &TestApp, path: &str) -> String {
    get(app, path, Role::IntakeClerk)
        .await
        .text()
        .await
        .expect("a page")
}

async fn chains_and_tallies_hold(app: &TestApp) {
    let verified = audit::verify(&app.engine.store).await.expect("verify");
    assert!(
        verified.first_broken.is_none(),
        "{:?}",
        verified.first_broken
    );
    assert_eq!(
        casework::app::stats::check(&app.engine)
            .await
            .expect("check"),
        Vec::<String>::new(),
        "the tallies equal a recount"
    );
}

#[tokio::test]
async fn a_person_never_registered_is_entered_in_the_register_and_joins_their_family() {
    let app = common::spawn_app().await;
    let family = open_case(&app).await;
    let person = open_person(&app, Some(&family), true).await;

    // Each case shows the link.
    let p = case_as_supervisor(&app, &person).await;
    assert_eq!(p["workflow"], "unregistered-persons.v1");
    assert_eq!(p["state"], "unreg_intake");
    assert_eq!(p["members"].as_array().expect("members").len(), 1);
    assert_eq!(p["linked_family"]["reference"], family.as_str());
    assert!(p["linked_family"]["joined_ordinal"].is_null());
    let f = case_as_supervisor(&app, &family).await;
    assert_eq!(f["linked_persons"][0]["reference"], person.as_str());
    assert_eq!(f["linked_persons"][0]["state"], "unreg_intake");

    // Not yet registered: the family does not take the person.
    let (status, body) = join(&app, &family, &person, Role::IntakeClerk).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("not yet entered"),
        "{body}"
    );

    let entered = enter_in_register(&app, &person, "1203/45999").await;
    assert_eq!(entered["state"], "unreg_entered");
    let p = case_as_supervisor(&app, &person).await;
    assert_eq!(p["members"][0]["register_number"], "1203/45999");
    assert_eq!(p["members"][0]["state"], "person_entered");

    // Only whoever works the family's state (or a supervisor) adds.
    let (status, _) = join(&app, &family, &person, Role::Registrar).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = join(&app, &family, &person, Role::IntakeClerk).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let f = case_as_supervisor(&app, &family).await;
    let members = f["members"].as_array().expect("members");
    assert_eq!(members.len(), 6);
    assert_eq!(members[5]["first_name"], "خالد");
    assert_eq!(members[5]["register_number"], "1203/45999");
    assert_eq!(members[5]["relationship"], "son");
    assert_eq!(members[5]["state"], "pending");
    assert_eq!(f["linked_persons"][0]["joined_ordinal"], 6);
    assert_eq!(
        case_as_supervisor(&app, &person).await["linked_family"]["joined_ordinal"],
        6
    );

    // Audited on both cases.
    let family_trail = trail(&app, &family).await;
    let last = family_trail.last().expect("an event");
    assert_eq!(last["action"], "add_member_from_case");
    assert_eq!(last["member"], 6);
    assert_eq!(last["payload"]["person_case"], person.as_str());
    let person_trail = trail(&app, &person).await;
    let last = person_trail.last().expect("an event");
    assert_eq!(last["action"], "joined_family");
    assert_eq!(last["payload"]["family_case"], family.as_str());
    assert_eq!(last["payload"]["family_member"], 6);

    // A second add of the same person is refused and changes nothing.
    let (status, body) = join(&app, &family, &person, Role::IntakeClerk).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        case_as_supervisor(&app, &family).await["members"]
            .as_array()
            .map(Vec::len),
        Some(6)
    );

    // The workbench's pages show the link both ways.
    for (page, other) in [(&person, &family), (&family, &person)] {
        let html = get(
            &app,
            &format!("/applications/{page}?lang=en"),
            Role::Supervisor,
        )
        .await
        .text()
        .await
        .expect("a page");
        assert!(html.contains(&format!("/applications/{other}")), "{page}");
        // A person's case reads as one person's: named by them, with their
        // evidence and the new register number, and no family documents.
        let one_person = page == &person;
        assert_eq!(html.contains("The person"), one_person, "{page}");
        assert_eq!(html.contains("Family documents"), !one_person, "{page}");
        if one_person {
            assert!(
                html.contains("attestation") && html.contains("witnesses"),
                "{html}"
            );
            assert!(
                html.contains("Register number") && html.contains("1203/45999"),
                "{html}"
            );
        }
    }

    // The added member goes through the family's verification like any other.
    ok(
        &app,
        &family,
        Role::IntakeClerk,
        "submit_for_verification",
        None,
        json!({}),
    )
    .await;
    ok(
        &app,
        &family,
        Role::Verifier,
        "verify_member",
        Some(6),
        json!({}),
    )
    .await;

    chains_and_tallies_hold(&app).await;
}

#[tokio::test]
async fn a_family_past_verification_or_another_family_does_not_take_the_person() {
    let app = common::spawn_app().await;
    let family = open_case(&app).await;
    let other = open_case(&app).await;
    let person = open_person(&app, Some(&family), true).await;
    enter_in_register(&app, &person, "77/12").await;

    // Linked to one family only.
    let (status, body) = join(&app, &other, &person, Role::IntakeClerk).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "guard_failed");

    // A withdrawn family takes no one.
    ok(
        &app,
        &family,
        Role::IntakeClerk,
        "withdraw",
        None,
        json!({"reason": "the family withdrew"}),
    )
    .await;
    let (status, body) = join(&app, &family, &person, Role::Supervisor).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "not_available_in_state");
    chains_and_tallies_hold(&app).await;
}

#[tokio::test]
async fn an_adult_without_a_court_decision_is_not_approved_and_one_case_is_one_person() {
    let app = common::spawn_app().await;
    let person = open_person(&app, None, false).await;
    ok(
        &app,
        &person,
        Role::IntakeClerk,
        "submit_evidence",
        None,
        json!({}),
    )
    .await;
    ok(
        &app,
        &person,
        Role::Verifier,
        "verify_evidence",
        Some(1),
        json!({}),
    )
    .await;
    ok(
        &app,
        &person,
        Role::Verifier,
        "refer_to_committee",
        None,
        json!({}),
    )
    .await;
    let (status, body) = act(
        &app,
        &person,
        Role::Approver,
        "committee_approves",
        None,
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "guard_failed");

    // A person's case is edited as one person while it is at intake.
    let other = open_person(&app, None, true).await;
    let mut renamed = unregistered_person_json("سامي", (2001, 4, 2), true);
    let response = app
        .client
        .put(app.url(&format!("/api/applications/{other}")))
        .bearer_auth(app.token(Role::IntakeClerk))
        .json(&renamed)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        case_as_supervisor(&app, &other).await["members"][0]["first_name"],
        "سامي"
    );
    renamed["members"][0]["register_number"] = json!("5/6");
    let response = app
        .client
        .put(app.url(&format!("/api/applications/{other}")))
        .bearer_auth(app.token(Role::IntakeClerk))
        .json(&renamed)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Two persons, or a register number, are not a registration.
    let mut two = unregistered_person_json("خالد", (2001, 4, 2), true);
    let again = two["members"][0].clone();
    two["members"].as_array_mut().expect("members").push(again);
    let response = post_json(&app, PERSONS, Role::IntakeClerk, &two).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut numbered = unregistered_person_json("خالد", (2001, 4, 2), true);
    numbered["members"][0]["register_number"] = json!("1/2");
    let response = post_json(&app, PERSONS, Role::IntakeClerk, &numbered).await;
    let body: Value = response.json().await.expect("json");
    assert!(
        body.to_string().contains("members[0].register_number"),
        "{body}"
    );

    // An unknown workflow is refused by name.
    let response = post_json(
        &app,
        "/api/applications?workflow=nonesuch",
        Role::IntakeClerk,
        &family().json(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert!(body.to_string().contains("nonesuch"), "{body}");
    // A family's case links to no family.
    let response = post_json(
        &app,
        &format!("/api/applications?family={person}"),
        Role::IntakeClerk,
        &family().json(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn cases_of_both_workflows_stand_side_by_side_in_the_queue_the_statistics_and_the_portal() {
    let app = common::spawn_app().await;
    let family = open_case(&app).await;
    ok(
        &app,
        &family,
        Role::IntakeClerk,
        "submit_for_verification",
        None,
        json!({}),
    )
    .await;
    let waiting = open_person(&app, Some(&family), true).await;
    ok(
        &app,
        &waiting,
        Role::IntakeClerk,
        "submit_evidence",
        None,
        json!({}),
    )
    .await;
    let joining = open_person(&app, Some(&family), true).await;
    enter_in_register(&app, &joining, "1203/46000").await;
    let (status, body) = join(&app, &family, &joining, Role::Verifier).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The verifier's queue holds the family and the person waiting.
    let queue: Value = get(&app, "/api/queue", Role::Verifier)
        .await
        .json()
        .await
        .expect("json");
    let states: Vec<(String, String)> = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["reference"].as_str().unwrap_or("").to_string(),
                i["state"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        states.contains(&(family.clone(), "verification".into())),
        "{states:?}"
    );
    assert!(
        states.contains(&(waiting.clone(), "unreg_verification".into())),
        "{states:?}"
    );

    // The statistics count per workflow: the family's figures are the
    // family's alone.
    let headline = |workflow: &str| {
        let path = match workflow {
            "" => "/api/statistics/headline".to_string(),
            w => format!("/api/statistics/headline?workflow={w}"),
        };
        let app = &app;
        async move {
            let response = get(app, &path, Role::Leadership).await;
            assert_eq!(response.status(), StatusCode::OK);
            response.json::<Value>().await.expect("json")
        }
    };
    let families = headline("").await;
    assert_eq!(families["applications_received"], 1);
    assert_eq!(families["persons_covered"], 6);
    assert_eq!(families["filter"]["workflow"], "naturalization-family");
    let persons = headline("unregistered-persons").await;
    assert_eq!(persons["applications_received"], 2);
    assert_eq!(persons["persons_covered"], 2);
    assert_eq!(persons["applications_open"], 1);
    let today = casework::workflow::machine::local_date(Utc::now());
    let ranged = headline(&format!("unregistered-persons&from=2000-01-01&to={today}")).await;
    assert_eq!(ranged["applications_received"], 2);
    let backlog: Value = get(
        &app,
        "/api/statistics/backlog?workflow=unregistered-persons",
        Role::Leadership,
    )
    .await
    .json()
    .await
    .expect("json");
    let open: Vec<&str> = backlog["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["state"].as_str())
        .collect();
    assert_eq!(open, ["unreg_verification"]);
    let response = get(
        &app,
        "/api/statistics/headline?workflow=nonesuch",
        Role::Leadership,
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The portal answers for the added person from the family's case.
    let key = casework::app::portal::add(
        &app.engine,
        "justice",
        &["naturalization-status".to_string()],
        &[],
        1000,
        None,
        Utc::now(),
    )
    .await
    .expect("the agency is added");
    let answer: Value = app
        .client
        .post(app.url("/portal/v1/naturalization-status"))
        .bearer_auth(&key)
        .json(&json!({
            "purpose": "checking the family of a registered person",
            "person": {"register_number": "1203/46000", "birth_date": "2001-04-02"}
        }))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(answer["result"]["found"], true, "{answer}");
    assert_eq!(answer["result"]["status"], "in_progress", "{answer}");
    assert_eq!(
        answer["result"]["application_state"], "verification",
        "{answer}"
    );
    chains_and_tallies_hold(&app).await;
}

#[test]
fn two_workflows_sharing_a_state_name_are_refused_with_the_reason() {
    let dir = common::temp_dir("shared-state");
    let text = include_str!("../../workflows/unregistered-persons.v1.toml").replace(
        "name = \"unregistered-persons\"",
        "name = \"another-workflow\"",
    );
    std::fs::write(dir.0.join("another.v1.toml"), text).expect("write");
    match Registry::load(Some(&dir.0)) {
        Err(error @ RegistryError::SharedState { .. }) => {
            let message = error.to_string();
            assert!(message.contains("another.v1.toml"), "{message}");
            assert!(message.contains("'unreg_intake'"), "{message}");
            assert!(message.contains("statistics"), "{message}");
        }
        other => panic!("expected a shared state refusal, got {other:?}"),
    }
    // Versions of one workflow may share their names.
    let dir = common::temp_dir("same-workflow");
    let text = include_str!("../../workflows/unregistered-persons.v1.toml")
        .replace("version = 1", "version = 2");
    std::fs::write(dir.0.join("unregistered-persons.v2.toml"), text).expect("write");
    let registry = Registry::load(Some(&dir.0)).expect("a second version loads");
    assert_eq!(
        registry.latest("unregistered-persons").map(|w| w.version),
        Some(2)
    );
}

#[tokio::test]
async fn the_family_page_offers_to_add_the_registered_person_and_adds_them() {
    let app = common::spawn_app().await;
    let family = open_case(&app).await;
    let person = open_person(&app, Some(&family), true).await;
    let form_action = format!("/applications/{family}/members/from/{person}");
    let page = format!("/applications/{family}?lang=en");
    assert!(
        !page_of(&app, &page).await.contains(&form_action),
        "not before the entry"
    );
    enter_in_register(&app, &person, "9/99").await;
    let html = page_of(&app, &page).await;
    assert!(html.contains(&form_action), "{html}");
    let version = case_as_supervisor(&app, &family).await["version"].clone();
    let response = app
        .client
        .post(app.url(&form_action))
        .bearer_auth(app.token(Role::IntakeClerk))
        .form(&[("version", version.to_string())])
        .send()
        .await
        .expect("request");
    assert!(response.status().is_success() || response.status().is_redirection());
    assert_eq!(
        case_as_supervisor(&app, &family).await["members"]
            .as_array()
            .map(Vec::len),
        Some(6)
    );
    assert!(
        !page_of(&app, &page).await.contains(&form_action),
        "offered once"
    );
    chains_and_tallies_hold(&app).await;
}
