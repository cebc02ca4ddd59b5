//! The case officers' API over real HTTP, on SQLite (default) or PostgreSQL.

use crate::common;

use std::collections::BTreeSet;

use casework::domain::roles::Role;
use common::cases::case_as_supervisor;
use common::families::family;
use common::http::{get, post_json};
use common::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The shared five-member family, at the al_hasakah centre, as posted.
fn hasakah_family() -> Value {
    family()
        .at_office("al_hasakah", "hasakah_centre")
        .born_in("الحسكة")
        .json()
}

/// One step of the journey: who, what, on which member, with which fields.
struct Step {
    role: Role,
    action: &'static str,
    member: Option<u32>,
    fields: Value,
}

fn step(role: Role, action: &'static str, member: Option<u32>, fields: Value) -> Step {
    Step {
        role,
        action,
        member,
        fields,
    }
}

/// The journey from intake to completed: member 3 excluded, member 4 under
/// the card age, member 5 abroad.
fn journey() -> Vec<Step> {
    let none = json!({});
    vec![
        step(
            Role::IntakeClerk,
            "submit_for_verification",
            None,
            none.clone(),
        ),
        step(Role::Verifier, "verify_member", Some(1), none.clone()),
        step(Role::Verifier, "verify_member", Some(2), none.clone()),
        step(
            Role::Verifier,
            "exclude_member",
            Some(3),
            json!({"reason": "لا يوجد قيد مطابق"}),
        ),
        step(Role::Verifier, "verify_member", Some(4), none.clone()),
        step(Role::Verifier, "verify_member", Some(5), none.clone()),
        step(Role::Verifier, "complete_verification", None, none.clone()),
        // Version 2: cleared by a second verifier (see `act`).
        step(Role::Verifier, "grant_clearance", None, none.clone()),
        step(Role::Approver, "approve", None, none.clone()),
        step(
            Role::Registrar,
            "register_member",
            Some(1),
            json!({"national_number": "10234567891"}),
        ),
        step(
            Role::Registrar,
            "register_member",
            Some(2),
            json!({"national_number": "10234567892"}),
        ),
        step(
            Role::Registrar,
            "register_member",
            Some(4),
            json!({"national_number": "10234567894"}),
        ),
        step(
            Role::Registrar,
            "register_member",
            Some(5),
            json!({"national_number": "10234567895"}),
        ),
        step(
            Role::CardOfficer,
            "record_biometrics",
            Some(1),
            none.clone(),
        ),
        // Version 2 prints once every present member has given biometrics.
        step(
            Role::CardOfficer,
            "record_biometrics",
            Some(2),
            none.clone(),
        ),
        step(
            Role::CardOfficer,
            "record_card_printed",
            Some(1),
            json!({"card_number": "SY000001"}),
        ),
        step(
            Role::CardOfficer,
            "hand_over_card",
            Some(1),
            json!({"collector_document": "بطاقة مؤقتة"}),
        ),
        step(
            Role::CardOfficer,
            "record_card_printed",
            Some(2),
            json!({"card_number": "SY000002"}),
        ),
        step(
            Role::CardOfficer,
            "hand_over_card",
            Some(2),
            json!({"collector_document": "بطاقة مؤقتة"}),
        ),
    ]
}

async fn create(app: &TestApp) -> String {
    let response = post_json(
        app,
        "/api/applications",
        Role::IntakeClerk,
        &hasakah_family(),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert_eq!(response.headers()["etag"], "\"1\"");
    let body: Value = response.json().await.expect("json");
    let reference = body["reference"].as_str().expect("a reference").to_string();
    assert_eq!(location, format!("/api/applications/{reference}"));
    reference
}

async fn act(
    app: &TestApp,
    reference: &str,
    role: Role,
    action: &str,
    member: Option<u32>,
    fields: &Value,
) -> reqwest::Response {
    let fields = own_national_number(reference, fields);
    // The clearance is another verifier's than the one who verified.
    let token = if action == "grant_clearance" && role == Role::Verifier {
        app.second_verifier.as_str()
    } else {
        app.token(role)
    };
    app.client
        .post(app.url(&format!("/api/applications/{reference}/transitions")))
        .bearer_auth(token)
        .header("accept-language", "en")
        .json(&json!({ "action": action, "member": member, "fields": fields }))
        .send()
        .await
        .expect("request")
}

/// A national number is given to one person only, so the journey's numbers
/// are made the case's own: `1` + the reference's sequence (6 digits) + the
/// last 4 digits the step names.
fn own_national_number(reference: &str, fields: &Value) -> Value {
    let mut fields = fields.clone();
    if let Some(number) = fields.get("national_number").and_then(Value::as_str) {
        let sequence = reference.rsplit('-').next().expect("a sequence");
        let tail = &number[number.len().saturating_sub(4)..];
        fields["national_number"] = json!(format!("1{sequence}{tail}"));
    }
    fields
}

/// Drives a fresh case through the first `n` steps of the journey.
async fn case_after(app: &TestApp, n: usize) -> String {
    let reference = create(app).await;
    for s in journey().iter().take(n) {
        let response = act(app, &reference, s.role, s.action, s.member, &s.fields).await;
        assert_eq!(
            response.status(),
            StatusCode::OK,
            "{}: {}",
            s.action,
            response.text().await.unwrap_or_default()
        );
    }
    reference
}

#[tokio::test]
async fn a_family_goes_from_intake_to_completed_over_http() {
    let app = spawn_app().await;
    let reference = case_after(&app, journey().len()).await;
    let body = case_as_supervisor(&app, &reference).await;
    assert_eq!(body["state"], "completed");
    assert_eq!(body["state_label"]["ar"], "منجز");
    let states: Vec<&str> = body["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["state"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        states,
        [
            "collected",
            "collected",
            "excluded",
            "card_due",
            "awaiting_appearance"
        ]
    );
    assert_eq!(body["members"][3]["card_due_on"], "2030-09-03");

    let audit: Value = get(
        &app,
        &format!("/api/applications/{reference}/audit"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    let all = audit.as_array().expect("a list");
    // Holds follow the work: each officer's first action claimed the case
    // and its leaving their states released it, each an event of its own.
    let holds = |action: &str| all.iter().filter(|e| e["action"] == action).count();
    assert!(holds("claim") > 0, "the first action of an officer claims");
    assert_eq!(
        holds("claim"),
        holds("release"),
        "every hold ended when the case left its holder's states"
    );
    assert_eq!(
        body["assignee"],
        Value::Null,
        "nobody holds a completed case"
    );
    let entries: Vec<&Value> = all
        .iter()
        .filter(|e| e["action"] != "claim" && e["action"] != "release")
        .collect();
    assert_eq!(
        entries.len(),
        journey().len() + 1,
        "one audit event per command plus creation"
    );
    assert_eq!(
        entries[1]["actor"], "intake_clerk.one",
        "every change records who made it"
    );
    assert_eq!(entries[8]["actor"], "verifier.two");
    assert_eq!(entries[9]["actor"], "approver.one");
}

#[tokio::test]
async fn reading_a_case_lists_the_callers_actions_and_why_not() {
    let app = spawn_app().await;
    let reference = case_after(&app, 8).await; // in approval
    let response = app
        .client
        .get(app.url(&format!("/api/applications/{reference}")))
        .bearer_auth(app.token(Role::Verifier))
        .header("accept-language", "en")
        .send()
        .await
        .expect("request");
    let body: Value = response.json().await.expect("json");
    let approve = body["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["action"] == "approve")
        .expect("approve is listed");
    assert_eq!(approve["allowed"], false);
    assert_eq!(approve["reason_code"], "role_not_allowed");
    let response = app
        .client
        .get(app.url(&format!("/api/applications/{reference}")))
        .bearer_auth(app.token(Role::Approver))
        .send()
        .await
        .expect("request");
    let body: Value = response.json().await.expect("json");
    let approve = body["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["action"] == "approve")
        .expect("listed");
    assert_eq!(approve["allowed"], true);
    let reject = body["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["action"] == "reject")
        .expect("listed");
    assert_eq!(reject["fields"], json!(["reason"]));
}

/// Every role tries every action of every state the journey meets: roles
/// the definition does not name get 403 with a reason; the named role
/// succeeds on a fresh case in that state.
#[tokio::test]
async fn the_role_action_matrix_follows_the_workflow_definition() {
    let app = spawn_app().await;
    let workflow = app
        .engine
        .workflows
        .latest("naturalization-family")
        .expect("the workflow");
    let steps = journey();
    let mut tried_allowed = BTreeSet::new();
    for (n, s) in steps.iter().enumerate() {
        let reference = case_after(&app, n).await;
        let body = case_as_supervisor(&app, &reference).await;
        let state = body["state"].as_str().expect("state").to_string();
        // Every family action defined from this state, and the journey's own step.
        let mut candidates: Vec<(String, Option<u32>, Value)> = workflow
            .transitions
            .iter()
            .filter(|t| t.from.contains(&state))
            .map(|t| {
                let fields: serde_json::Map<String, Value> = t
                    .fields
                    .iter()
                    .map(|f| (f.as_str().to_string(), json!(f.example())))
                    .collect();
                (t.action.clone(), None, Value::Object(fields))
            })
            .collect();
        // Every member action open in this state, on member 1.
        for t in workflow
            .member
            .transitions
            .iter()
            .filter(|t| t.case_states.contains(&state))
        {
            let fields: serde_json::Map<String, Value> = t
                .fields
                .iter()
                .map(|f| (f.as_str().to_string(), json!(f.example())))
                .collect();
            candidates.push((t.action.clone(), Some(1), Value::Object(fields)));
        }
        candidates.push((s.action.to_string(), s.member, s.fields.clone()));
        for (action, member, fields) in candidates {
            let allowed: Vec<Role> = workflow
                .transitions
                .iter()
                .chain(&workflow.member.transitions)
                .find(|t| t.action == action)
                .map(|t| t.roles.clone())
                .unwrap_or_default();
            for role in Role::ALL.into_iter().filter(|r| *r != Role::System) {
                if allowed.contains(&role) {
                    continue;
                }
                let response = act(&app, &reference, role, &action, member, &fields).await;
                let status = response.status();
                let problem: Value = response.json().await.expect("json");
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role} tried {action} in {state}: {problem}"
                );
                assert_eq!(problem["code"], "role_not_allowed");
                assert!(
                    problem["detail"]
                        .as_str()
                        .is_some_and(|d| d.contains("may only be taken by")),
                    "{problem}"
                );
            }
        }
        // The role the definition names succeeds.
        if tried_allowed.insert((s.action, state.clone())) {
            let response = act(&app, &reference, s.role, s.action, s.member, &s.fields).await;
            assert_eq!(
                response.status(),
                StatusCode::OK,
                "{} may {} in {state}",
                s.role,
                s.action
            );
        }
        let after = case_as_supervisor(&app, &reference).await;
        assert!(after["version"].as_i64() >= body["version"].as_i64());
    }
}

#[tokio::test]
async fn a_stale_if_match_gets_412_and_changes_nothing() {
    let app = spawn_app().await;
    let reference = create(&app).await;
    let send = |version: &str| {
        app.client
            .post(app.url(&format!("/api/applications/{reference}/transitions")))
            .bearer_auth(app.token(Role::IntakeClerk))
            .header("if-match", version)
            .json(&json!({ "action": "submit_for_verification" }))
            .send()
    };
    let first = send("\"1\"").await.expect("request");
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["etag"], "\"2\"");
    let stale = send("\"1\"").await.expect("request");
    assert_eq!(stale.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(stale.headers()["content-type"], "application/problem+json");
    assert_eq!(case_as_supervisor(&app, &reference).await["version"], 2);
}

#[tokio::test]
async fn an_idempotency_key_retry_returns_the_first_response_and_acts_once() {
    let app = spawn_app().await;
    let reference = case_after(&app, 1).await;
    let send = |key: &str, member: u32| {
        app.client
            .post(app.url(&format!("/api/applications/{reference}/transitions")))
            .bearer_auth(app.token(Role::Verifier))
            .header("idempotency-key", key)
            .json(&json!({ "action": "verify_member", "member": member }))
            .send()
    };
    let first = send("key-1", 1).await.expect("request");
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.expect("json");
    let retry = send("key-1", 1).await.expect("request");
    assert_eq!(
        retry.status(),
        StatusCode::OK,
        "a retry is answered, not refused"
    );
    assert_eq!(retry.json::<Value>().await.expect("json"), first);
    let body = case_as_supervisor(&app, &reference).await;
    assert_eq!(body["version"], 3, "the retry did not act again");
    let reused = send("key-1", 2).await.expect("request");
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn sixteen_concurrent_requests_at_one_version_make_exactly_one_change() {
    let app = spawn_app().await;
    let reference = case_after(&app, 1).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let client = app.client.clone();
        let url = app.url(&format!("/api/applications/{reference}/transitions"));
        let token = app.token(Role::Verifier).to_string();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(token)
                .header("if-match", "\"2\"")
                .json(&json!({ "action": "verify_member", "member": 1 + (i % 5) }))
                .send()
                .await
                .map(|r| r.status())
        }));
    }
    let mut ok = 0;
    for task in tasks {
        let status = task.await.expect("joined").expect("answered");
        match status {
            StatusCode::OK => ok += 1,
            StatusCode::PRECONDITION_FAILED
            | StatusCode::CONFLICT
            | StatusCode::SERVICE_UNAVAILABLE => {}
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(ok, 1);
    let body = case_as_supervisor(&app, &reference).await;
    assert_eq!(body["version"], 3);
    let verified = body["members"]
        .as_array()
        .expect("members")
        .iter()
        .filter(|m| m["state"] == "verified")
        .count();
    assert_eq!(verified, 1);
}

#[tokio::test]
async fn bad_input_gets_a_clear_problem_never_a_500() {
    let app = spawn_app().await;
    let clerk = app.token(Role::IntakeClerk).to_string();
    let url = app.url("/api/applications");
    let check = |response: reqwest::Response, status: StatusCode, code: &'static str| async move {
        assert_eq!(response.status(), status, "{code}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json",
            "{code}"
        );
        assert!(response.headers().contains_key("x-request-id"));
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["code"], code, "{body}");
        body
    };
    let no_token = app
        .client
        .post(&url)
        .json(&hasakah_family())
        .send()
        .await
        .expect("request");
    check(no_token, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let bad_token = app
        .client
        .post(&url)
        .bearer_auth("cw_nope")
        .json(&hasakah_family())
        .send()
        .await
        .expect("request");
    check(bad_token, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let malformed = app
        .client
        .post(&url)
        .bearer_auth(&clerk)
        .header("content-type", "application/json")
        .body("{\"district\": ")
        .send()
        .await
        .expect("request");
    check(malformed, StatusCode::BAD_REQUEST, "malformed_json").await;
    let wrong_type = app
        .client
        .post(&url)
        .bearer_auth(&clerk)
        .body("district=x")
        .send()
        .await
        .expect("request");
    check(
        wrong_type,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let mut unknown = hasakah_family();
    unknown["colour"] = json!("blue");
    let unknown = app
        .client
        .post(&url)
        .bearer_auth(&clerk)
        .json(&unknown)
        .send()
        .await
        .expect("request");
    check(unknown, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body").await;
    let huge = app
        .client
        .post(&url)
        .bearer_auth(&clerk)
        .header("content-type", "application/json")
        .body(format!("{{\"x\": \"{}\"}}", "a".repeat(300 * 1024)))
        .send()
        .await
        .expect("request");
    check(huge, StatusCode::PAYLOAD_TOO_LARGE, "body_too_large").await;
    let mut invalid = hasakah_family();
    invalid["members"][1]["relationship"] = json!("head");
    let invalid = app
        .client
        .post(&url)
        .bearer_auth(&clerk)
        .json(&invalid)
        .send()
        .await
        .expect("request");
    let body = check(
        invalid,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "members");
    let bad_id = get(&app, "/api/applications/not-a-reference", Role::Supervisor).await;
    check(bad_id, StatusCode::NOT_FOUND, "not_found").await;
    let bad_limit = get(&app, "/api/applications?limit=0", Role::Supervisor).await;
    check(bad_limit, StatusCode::BAD_REQUEST, "invalid_limit").await;
    let bad_query = get(&app, "/api/applications?overdue=perhaps", Role::Supervisor).await;
    check(bad_query, StatusCode::BAD_REQUEST, "invalid_query").await;
    let nowhere = get(&app, "/api/nowhere", Role::Supervisor).await;
    check(nowhere, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn messages_are_arabic_by_default_and_english_on_request() {
    let app = spawn_app().await;
    let reference = create(&app).await;
    let send = |lang: Option<&'static str>| {
        let mut request = app
            .client
            .post(app.url(&format!("/api/applications/{reference}/transitions")))
            .bearer_auth(app.token(Role::Approver))
            .json(&json!({ "action": "approve" }));
        if let Some(lang) = lang {
            request = request.header("accept-language", lang);
        }
        request.send()
    };
    let arabic: Value = send(None)
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(
        arabic["detail"],
        "لا يمكن تنفيذ «الموافقة على طلب العائلة» والطلب في الحالة «استلام الطلب»"
    );
    let english: Value = send(Some("en-GB,en;q=0.9"))
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(
        english["detail"],
        "'Approve the family' cannot be taken while the case is in 'Intake'"
    );
    assert_eq!(
        english["code"], "not_available_in_state",
        "the code stays a code"
    );
}

/// Every code a person must never read in an Arabic text: the states and
/// member states, the actions, the roles and the relationships.
fn codes(workflow: &casework::workflow::Workflow) -> Vec<String> {
    use casework::domain::family::Relationship;
    workflow
        .states
        .iter()
        .chain(&workflow.member.states)
        .map(|s| s.name.clone())
        .chain(
            workflow
                .transitions
                .iter()
                .chain(&workflow.member.transitions)
                .map(|t| t.action.clone()),
        )
        .chain(Role::ALL.map(|r| r.as_str().to_string()))
        .chain(Relationship::ALL.map(|r| r.as_str().to_string()))
        .collect()
}

/// Fails when the Arabic `text` names one of `codes` (or any Latin word at
/// all, when `latin_allowed` is false).
fn assert_no_code(text: &str, codes: &[String], latin_allowed: bool) {
    assert!(!text.is_empty());
    for code in codes {
        let named = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|word| word == code);
        assert!(!named, "'{code}' in: {text}");
    }
    // A reference (what the client typed, a name) may keep its letters
    // inside a bidi isolate.
    let mut depth = 0usize;
    let outside: String = text
        .chars()
        .filter(|c| match c {
            '\u{2066}' | '\u{2067}' | '\u{2068}' => {
                depth += 1;
                false
            }
            '\u{2069}' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect();
    assert!(
        latin_allowed || !outside.chars().any(|c| c.is_ascii_alphabetic()),
        "a Latin letter in: {text}"
    );
}

#[tokio::test]
async fn arabic_refusals_name_states_actions_roles_and_relationships_never_by_code() {
    let app = spawn_app().await;
    let workflow = app
        .engine
        .workflows
        .latest("naturalization-family")
        .expect("the workflow");
    let codes = codes(&workflow);
    let reference = create(&app).await;
    let path = format!("/api/applications/{reference}/transitions");

    // An action taken in the wrong state, then by the wrong role.
    let wrong_state = post_json(&app, &path, Role::Approver, &json!({"action": "approve"})).await;
    assert_eq!(wrong_state.status(), StatusCode::CONFLICT);
    let wrong_state: Value = wrong_state.json().await.expect("json");
    assert_eq!(wrong_state["code"], "not_available_in_state");
    let wrong_role = post_json(
        &app,
        &path,
        Role::Verifier,
        &json!({"action": "submit_for_verification"}),
    )
    .await;
    assert_eq!(wrong_role.status(), StatusCode::FORBIDDEN);
    let wrong_role: Value = wrong_role.json().await.expect("json");
    assert_eq!(wrong_role["code"], "role_not_allowed");
    assert_eq!(
        wrong_role["detail"],
        "الإجراء «إحالة إلى التدقيق» مسموح فقط لـ: موظف الاستلام، المشرف"
    );
    // The actions a verifier may not take now, as the case view explains
    // them.
    let view: Value = get(
        &app,
        &format!("/api/applications/{reference}"),
        Role::Verifier,
    )
    .await
    .json()
    .await
    .expect("json");
    let reasons: Vec<&str> = view["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["reason"].as_str())
        .collect();
    assert!(!reasons.is_empty(), "{view}");
    for text in [
        wrong_state["detail"].as_str().expect("detail"),
        wrong_role["detail"].as_str().expect("detail"),
    ]
    .into_iter()
    .chain(reasons)
    {
        assert_no_code(text, &codes, false);
    }

    // An imported row with a relationship that is not one, and one with a
    // state cases are not imported in.
    let csv = "reference,district,office,submitted_on,state,relationship,first_name,father_name,mother_name,family_name,sex,birth_date,birth_place\n\
               HSK-2011-300001,al_hasakah,hasakah_centre,2011-06-12,verification,cousin,أحمد,محمد,فاطمة,الحسن,male,1970-03-15,الحسكة\n\
               HSK-2011-300002,al_hasakah,hasakah_centre,2011-06-12,registration,head,علي,محمد,فاطمة,الحسن,male,1970-03-15,الحسكة\n";
    let report = casework::app::import::import(
        &app.engine,
        &[casework::app::import::Source {
            name: "labels.csv".into(),
            bytes: csv.as_bytes().to_vec(),
        }],
        &casework::app::import::importer("import", None),
        true,
        chrono::Utc::now(),
        |_, _| {},
    )
    .await
    .expect("the import runs");
    let columns: Vec<Option<&str>> = report.errors.iter().map(|e| e.column.as_deref()).collect();
    assert_eq!(
        columns,
        [Some("relationship"), Some("state")],
        "{:?}",
        report.errors
    );
    for error in &report.errors {
        // The cell as typed is quoted back; no code is named besides.
        let shown = error.message_ar.replace("«cousin»", "");
        assert_no_code(&shown, &codes, false);
    }
    assert!(
        report.errors[0].message_ar.contains("رب الأسرة"),
        "{}",
        report.errors[0].message_ar
    );
}

#[tokio::test]
async fn leadership_never_reads_a_case_or_a_person() {
    let app = spawn_app().await;
    let reference = create(&app).await;
    for path in [
        format!("/api/applications/{reference}"),
        format!("/api/applications/{reference}/audit"),
        "/api/applications".to_string(),
        "/api/applications?name=احمد".to_string(),
    ] {
        let response = get(&app, &path, Role::Leadership).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let text = response.text().await.expect("text");
        assert!(
            !text.contains("العلي") && !text.contains("1203/"),
            "{path}: {text}"
        );
    }
}

#[tokio::test]
async fn lists_filter_search_and_page() {
    let app = spawn_app().await;
    let mut references = Vec::new();
    for _ in 0..5 {
        references.push(create(&app).await);
    }
    let response: Value = get(&app, "/api/applications?limit=2", Role::Supervisor)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(response["items"].as_array().map(Vec::len), Some(2));
    let cursor = response["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_string();
    let next: Value = get(
        &app,
        &format!("/api/applications?limit=2&cursor={cursor}"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(next["items"][0]["reference"], references[2].as_str());
    // Arabic name search in any order and spelling: أحمد العلي typed as "العلي احمد".
    let found: Value = get(
        &app,
        "/api/applications?name=العلي%20احمد",
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(found["items"].as_array().map(Vec::len), Some(5));
    let none: Value = get(&app, "/api/applications?name=زازا", Role::Supervisor)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(none["items"].as_array().map(Vec::len), Some(0));
    let by_register: Value = get(
        &app,
        "/api/applications?register_number=1203/45877&state=intake",
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    assert_eq!(by_register["items"].as_array().map(Vec::len), Some(5));
}

#[tokio::test]
async fn the_work_queue_shows_what_the_caller_may_act_on_and_claims_are_audited() {
    let app = spawn_app().await;
    let in_intake = create(&app).await;
    let in_verification = case_after(&app, 1).await;
    let queue: Value = get(&app, "/api/queue", Role::Registrar)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        queue["items"].as_array().map(Vec::len),
        Some(0),
        "nothing awaits a registrar yet"
    );
    let queue: Value = get(&app, "/api/queue", Role::Verifier)
        .await
        .json()
        .await
        .expect("json");
    let refs: Vec<&str> = queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["reference"].as_str())
        .collect();
    // A verifier works the cases in verification; the one at intake, which
    // a verifier could return to the applicant, is the clerks' work.
    assert_eq!(refs, [in_verification.as_str()]);
    let clerks: Value = get(&app, "/api/queue", Role::IntakeClerk)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(clerks["items"][0]["reference"], in_intake.as_str());
    assert_eq!(clerks["items"].as_array().map(Vec::len), Some(1));
    let claim = app
        .client
        .post(app.url(&format!("/api/applications/{in_verification}/claim")))
        .bearer_auth(app.token(Role::Verifier))
        .send()
        .await
        .expect("request");
    assert_eq!(claim.status(), StatusCode::OK);
    assert_eq!(
        case_as_supervisor(&app, &in_verification).await["assignee"],
        "verifier.one"
    );
    let not_supervisor = app
        .client
        .post(app.url(&format!("/api/applications/{in_verification}/assign")))
        .bearer_auth(app.token(Role::Verifier))
        .json(&json!({ "user": "someone" }))
        .send()
        .await
        .expect("request");
    assert_eq!(not_supervisor.status(), StatusCode::FORBIDDEN);
    let assign = |user: &'static str| {
        app.client
            .post(app.url(&format!("/api/applications/{in_verification}/assign")))
            .bearer_auth(app.token(Role::Supervisor))
            .json(&json!({ "user": user }))
            .send()
    };
    // Not to someone who does not exist (the field is wrong), nor to
    // leadership, whose roles work no state (a refusal that says who does).
    assert_eq!(
        assign("nobody").await.expect("request").status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        assign("leadership.one").await.expect("request").status(),
        StatusCode::CONFLICT
    );
    assert_eq!(
        assign("verifier.one").await.expect("request").status(),
        StatusCode::OK
    );
    let release = app
        .client
        .post(app.url(&format!("/api/applications/{in_verification}/release")))
        .bearer_auth(app.token(Role::Verifier))
        .send()
        .await
        .expect("request");
    assert_eq!(release.status(), StatusCode::OK);
    let audit: Value = get(
        &app,
        &format!("/api/applications/{in_verification}/audit"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    let actions: Vec<&str> = audit
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "submit_for_verification",
            "claim",
            "assign",
            "release"
        ]
    );
}

#[tokio::test]
async fn docs_metrics_and_workflows_are_served_offline() {
    let app = spawn_app().await;
    let docs = app
        .client
        .get(app.url("/docs/"))
        .send()
        .await
        .expect("request");
    assert_eq!(docs.status(), StatusCode::OK);
    assert!(
        docs.text().await.expect("text").contains("swagger"),
        "Swagger UI is served from the binary"
    );
    let document: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert_eq!(document["openapi"], "3.1.0");
    create(&app).await;
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("casework_http_requests_total{method=\"POST\",route=\"/api/applications\",status=\"201\"} 1"), "{metrics}");
    assert!(metrics.contains("casework_outbox_pending"), "{metrics}");
    let diagram = app
        .client
        .get(app.url("/api/workflows/naturalization-family/1/diagram"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("text");
    assert!(diagram.starts_with("stateDiagram-v2"));
}

/// A field the action refuses is a 422 listing it in `errors[]`, as a
/// family's validation does, and changes nothing; a refusal about the case
/// stays a 409.
#[tokio::test]
async fn a_field_the_action_refuses_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let reference = case_after(&app, 9).await; // in registration
    let before = case_as_supervisor(&app, &reference).await["version"].clone();
    for (fields, why) in [
        (json!({"national_number": "1234"}), "too short"),
        (json!({}), "missing"),
        (
            json!({"national_number": "10234567891", "reason": "extra"}),
            "not the action's",
        ),
    ] {
        let response = app
            .client
            .post(app.url(&format!("/api/applications/{reference}/transitions")))
            .bearer_auth(app.token(Role::Registrar))
            .json(&json!({ "action": "register_member", "member": 1, "fields": fields }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["code"], "validation_failed", "{why}: {body}");
        let errors = body["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{why}: {body}");
        let field = errors[0]["field"].as_str().expect("field");
        assert!(
            field == "fields.national_number" || field == "fields.reason",
            "{why}: {body}"
        );
        // By its name as an officer reads it, never by its code.
        let label = match field {
            "fields.national_number" => "الرقم الوطني",
            _ => "السبب",
        };
        let message = errors[0]["message"].as_str().expect("message");
        assert!(
            message.contains(label) && !message.contains(&field["fields.".len()..]),
            "the message names the field ({why}): {body}"
        );
    }
    assert_eq!(
        case_as_supervisor(&app, &reference).await["version"],
        before,
        "nothing changed"
    );
    let refused = act(
        &app,
        &reference,
        Role::Approver,
        "approve",
        None,
        &json!({}),
    )
    .await;
    assert_eq!(
        refused.status(),
        StatusCode::CONFLICT,
        "a business refusal stays 409"
    );
}

/// Values the document rules out by shape alone are 400s or 422s naming the
/// field, never a 412 or a 200: a member numbered 0 or past the most a
/// family lists, a cursor of the right shape naming no day, an import with
/// nothing to import.
#[tokio::test]
async fn values_the_schema_rules_out_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let reference = create(&app).await;
    for member in [0, 41] {
        let response = app
            .client
            .post(app.url(&format!("/api/applications/{reference}/transitions")))
            .bearer_auth(app.token(Role::Verifier))
            .header("if-match", "\"99\"")
            .json(&json!({ "action": "verify_member", "member": member }))
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "member {member}"
        );
        let body: Value = response.json().await.expect("json");
        assert_eq!(body["errors"][0]["field"], "member", "{body}");
    }
    let response = get(
        &app,
        "/api/applications?cursor=20260231.5",
        Role::Supervisor,
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["errors"][0]["field"], "cursor", "{body}");
    for (csv, field) in [("", "body"), ("{}", "body: line 1, column district")] {
        let response = app
            .client
            .post(app.url("/api/imports?dry_run=true"))
            .bearer_auth(app.token(Role::Supervisor))
            .header("content-type", "text/csv")
            .body(csv)
            .send()
            .await
            .expect("request");
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{csv:?}"
        );
        let body: Value = response.json().await.expect("json");
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{csv:?}: {body}");
    }
}

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let generated = casework::http::openapi()
        .to_pretty_json()
        .expect("serialises");
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .expect("committed document");
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi/openapi.json is out of date: run `cargo run -- openapi > openapi/openapi.json`"
    );
}

#[tokio::test]
async fn the_family_can_be_edited_at_intake_but_not_after_submission() {
    let app = spawn_app().await;
    let reference = create(&app).await;
    let mut edited = hasakah_family();
    edited["members"].as_array_mut().expect("members").pop();
    let send = |body: Value, version: &str| {
        app.client
            .put(app.url(&format!("/api/applications/{reference}")))
            .bearer_auth(app.token(Role::IntakeClerk))
            .header("if-match", version)
            .json(&body)
            .send()
    };
    let response = send(edited.clone(), "\"1\"").await.expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let body = case_as_supervisor(&app, &reference).await;
    assert_eq!(body["members"].as_array().map(Vec::len), Some(4));
    assert_eq!(body["version"], 2);
    act(
        &app,
        &reference,
        Role::IntakeClerk,
        "submit_for_verification",
        None,
        &json!({}),
    )
    .await;
    let late = send(edited, "\"3\"").await.expect("request");
    assert_eq!(late.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn district_bound_officers_and_revoked_tokens_are_refused() {
    let app = spawn_app().await;
    let reference = create(&app).await; // in al_hasakah
    let now = chrono::Utc::now();
    let elsewhere = casework::app::users::add(
        &app.engine,
        "clerk.qamishli",
        &[Role::IntakeClerk],
        Some("al_qamishli"),
        None,
        now,
    )
    .await
    .expect("added");
    let response = app
        .client
        .post(app.url(&format!("/api/applications/{reference}/transitions")))
        .bearer_auth(&elsewhere)
        .header("accept-language", "en")
        .json(&json!({ "action": "submit_for_verification" }))
        .send()
        .await
        .expect("request");
    // Another district's case is answered as an absent one (tests/access.rs
    // compares the two byte for byte).
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let problem: Value = response.json().await.expect("json");
    assert_eq!(problem["code"], "not_found");
    casework::app::users::revoke(&app.engine, "clerk.qamishli", now)
        .await
        .expect("revoked");
    let response = app
        .client
        .get(app.url("/api/queue"))
        .bearer_auth(&elsewhere)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// The token cache's hits as `/metrics` shows them.
async fn token_cache_hits(app: &TestApp) -> f64 {
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    text.lines()
        .find_map(|l| l.strip_prefix("casework_token_cache_hits "))
        .and_then(|v| v.trim().parse().ok())
        .expect("the token cache's hits are exported")
}

#[tokio::test]
async fn a_token_revoked_by_another_process_is_refused_within_moments() {
    let app = spawn_app().await;
    let token = app.token(Role::IntakeClerk).to_string();
    let queue = |token: String| {
        let request = app.client.get(app.url("/api/queue")).bearer_auth(token);
        async move { request.send().await.expect("request").status() }
    };
    // On PostgreSQL the server answers token lookups from memory once its
    // listener is up; on SQLite it never does.
    let postgres = app.db_url().starts_with("postgres");
    let started = std::time::Instant::now();
    loop {
        assert_eq!(queue(token.clone()).await, StatusCode::OK);
        let hits = token_cache_hits(&app).await;
        if !postgres {
            assert_eq!(hits, 0.0, "nothing is cached on SQLite");
            break;
        }
        if hits > 0.0 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the token was never served from memory"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Revoked by hand on another connection, as the CLI would from another
    // process: the trigger's notification empties the cache.
    let other = sea_orm::Database::connect(app.db_url())
        .await
        .expect("connects");
    sea_orm::ConnectionTrait::execute_unprepared(
        &other,
        "UPDATE users SET revoked_at = created_at WHERE name = 'intake_clerk.one'",
    )
    .await
    .expect("revoked by hand");
    let revoked = std::time::Instant::now();
    while queue(token.clone()).await != StatusCode::UNAUTHORIZED {
        assert!(
            revoked.elapsed() < std::time::Duration::from_secs(5),
            "a revoked token still served after 5 s (the cache keeps entries 30 s)"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    // Only the revoked token is refused.
    assert_eq!(
        queue(app.token(Role::Verifier).to_string()).await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn separation_of_duties_holds_over_http() {
    let app = spawn_app().await;
    let both = casework::app::users::add(
        &app.engine,
        "both.roles",
        &[Role::Verifier, Role::Approver],
        None,
        None,
        chrono::Utc::now(),
    )
    .await
    .expect("added");
    let reference = case_after(&app, 1).await;
    for member in 1..=5 {
        let response = app
            .client
            .post(app.url(&format!("/api/applications/{reference}/transitions")))
            .bearer_auth(&both)
            .json(&json!({ "action": "verify_member", "member": member }))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), StatusCode::OK);
    }
    let send = |action: &'static str| {
        app.client
            .post(app.url(&format!("/api/applications/{reference}/transitions")))
            .bearer_auth(&both)
            .header("accept-language", "en")
            .json(&json!({ "action": action }))
            .send()
    };
    assert_eq!(
        send("complete_verification")
            .await
            .expect("request")
            .status(),
        StatusCode::OK
    );
    let cleared = act(
        &app,
        &reference,
        Role::Verifier,
        "grant_clearance",
        None,
        &json!({}),
    )
    .await;
    assert_eq!(cleared.status(), StatusCode::OK);
    let refused = send("approve").await.expect("request");
    // A refusal of who acts: 403, with the rule and the earlier action.
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let problem: Value = refused.json().await.expect("json");
    assert_eq!(problem["code"], "separation_of_duties");
    assert_eq!(
        problem["detail"],
        "under the rule 'One person takes at most one stage of an application', both.roles may \
         not take 'Approve the family' (Decision on the family): they took 'Verify the member' \
         (Verification of the members) on this case"
    );
}

#[tokio::test]
async fn supervisors_list_the_outbox_and_others_may_not() {
    let app = spawn_app().await;
    let mut draft = hasakah_family();
    draft["applicant_email"] = json!("family@example.org");
    let response = post_json(&app, "/api/applications", Role::IntakeClerk, &draft).await;
    let reference = response.json::<Value>().await.expect("json")["reference"]
        .as_str()
        .expect("ref")
        .to_string();
    act(
        &app,
        &reference,
        Role::IntakeClerk,
        "return_to_applicant",
        None,
        &json!({"reason": "صورة غير واضحة"}),
    )
    .await;
    let rows: Value = get(&app, "/api/outbox?status=pending", Role::Supervisor)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(rows[0]["kind"], "notify");
    assert_eq!(
        get(&app, "/api/outbox", Role::Verifier).await.status(),
        StatusCode::FORBIDDEN
    );
    let retry = app
        .client
        .post(app.url("/api/outbox/999999/retry"))
        .bearer_auth(app.token(Role::Admin))
        .send()
        .await
        .expect("request");
    assert_eq!(retry.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_undecodable_path_gets_a_problem_not_a_bare_400() {
    let app = spawn_app().await;
    let response = get(&app, "/api/applications/%FF%FE", Role::Supervisor).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

/// Holds over HTTP: the first verifier's action claims the case; a second
/// verifier's action and claim are refused with 409 `held_by_another`,
/// naming the holder; completing the verification ends the hold.
#[tokio::test]
async fn a_case_held_by_one_officer_is_refused_to_another_with_the_holders_name() {
    let app = spawn_app().await;
    let reference = case_after(&app, 2).await; // member 1 verified by verifier.one
    let case = case_as_supervisor(&app, &reference).await;
    assert_eq!(case["assignee"], "verifier.one", "the first action claimed");

    let response = app
        .client
        .post(app.url(&format!("/api/applications/{reference}/transitions")))
        .bearer_auth(&app.second_verifier)
        .header("accept-language", "en")
        .json(&json!({ "action": "verify_member", "member": 2 }))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let problem: Value = response.json().await.expect("json");
    assert_eq!(problem["code"], "held_by_another");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("verifier.one")),
        "{problem}"
    );
    let claim = app
        .client
        .post(app.url(&format!("/api/applications/{reference}/claim")))
        .bearer_auth(&app.second_verifier)
        .send()
        .await
        .expect("request");
    assert_eq!(
        claim.status(),
        StatusCode::CONFLICT,
        "a held case is not claimed away"
    );

    for s in journey().iter().skip(2).take(5) {
        let response = act(&app, &reference, s.role, s.action, s.member, &s.fields).await;
        assert_eq!(response.status(), StatusCode::OK, "{}", s.action);
    }
    let case = case_as_supervisor(&app, &reference).await;
    assert_eq!(case["state"], "security_clearance");
    assert_eq!(
        case["assignee"],
        Value::Null,
        "the verifier may not clear what they verified: the hold ended"
    );
}

/// The hold rule's corners: a supervisor gives a case only to an officer
/// whose roles work its state (409 `state_not_worked_by_assignee`, naming
/// the state); a supervisor whose roles work no state cannot take a case
/// over without acting (a claim is refused); one who takes it over by
/// acting lets go of it with that action when their roles do not work the
/// state it is then in (a `take_over`, the action, then a `release`).
#[tokio::test]
async fn a_hold_goes_only_to_an_officer_whose_roles_work_the_state() {
    let app = spawn_app().await;
    let reference = case_after(&app, 2).await; // in verification, held by verifier.one
    let supervisor = app.token(Role::Supervisor).to_string();
    let post = |path: String, body: Value| {
        app.client
            .post(app.url(&path))
            .bearer_auth(&supervisor)
            .header("accept-language", "en")
            .json(&body)
            .send()
    };
    let refused = post(
        format!("/api/applications/{reference}/assign"),
        json!({ "user": "registrar.one" }),
    )
    .await
    .expect("request");
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    let problem: Value = refused.json().await.expect("json");
    assert_eq!(problem["code"], "state_not_worked_by_assignee");
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("registrar.one") && detail.contains("verifier"),
        "{problem}"
    );
    assert_eq!(
        case_as_supervisor(&app, &reference).await["assignee"],
        "verifier.one",
        "a refused assignment changes nothing"
    );

    let claim = post(format!("/api/applications/{reference}/claim"), json!({}))
        .await
        .expect("request");
    assert_eq!(
        claim.status(),
        StatusCode::CONFLICT,
        "a supervisor whose roles work no state does not take a case over without acting"
    );

    let returned = post(
        format!("/api/applications/{reference}/transitions"),
        json!({ "action": "return_to_applicant", "fields": { "reason": "ينقص قيد الأم" } }),
    )
    .await
    .expect("request");
    assert_eq!(returned.status(), StatusCode::OK);
    let case = case_as_supervisor(&app, &reference).await;
    assert_eq!(case["state"], "returned");
    assert_eq!(
        case["assignee"],
        Value::Null,
        "the supervisor does not keep a case in a state their roles do not work"
    );
    let audit: Value = get(
        &app,
        &format!("/api/applications/{reference}/audit"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    let last: Vec<(&str, &str)> = audit
        .as_array()
        .expect("list")
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or_default(),
                e["actor"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        last,
        [
            ("take_over", "supervisor.one"),
            ("return_to_applicant", "supervisor.one"),
            ("release", "supervisor.one"),
        ]
    );
}

async fn act_on_members(
    app: &TestApp,
    reference: &str,
    token: &str,
    body: Value,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/applications/{reference}/transitions")))
        .bearer_auth(token)
        .header("accept-language", "en")
        .json(&body)
        .send()
        .await
        .expect("request")
}

/// A member action for several members is one request and one step: all
/// of them or none, the refused member named, an audit event each.
#[tokio::test]
async fn a_member_action_for_several_members_is_one_step_all_or_nothing() {
    let app = spawn_app().await;
    let reference = case_after(&app, 1).await; // in verification
    let verifier = app.token(Role::Verifier).to_string();
    let before = case_as_supervisor(&app, &reference).await;

    let response = act_on_members(
        &app,
        &reference,
        &verifier,
        json!({ "action": "verify_member", "members": [1, 2, 4, 5] }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    let after = case_as_supervisor(&app, &reference).await;
    let states: Vec<&str> = after["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| m["state"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        states,
        ["verified", "verified", "pending", "verified", "verified"]
    );
    assert_eq!(
        after["version"].as_i64(),
        before["version"].as_i64().map(|v| v + 4),
        "one version per member decided"
    );
    let audit: Value = get(
        &app,
        &format!("/api/applications/{reference}/audit"),
        Role::Supervisor,
    )
    .await
    .json()
    .await
    .expect("json");
    let verified: Vec<i64> = audit
        .as_array()
        .expect("a list")
        .iter()
        .filter(|e| e["action"] == "verify_member")
        .filter_map(|e| e["member"].as_i64())
        .collect();
    assert_eq!(verified, [1, 2, 4, 5], "an audit event for each member");

    // Member 3 is still pending, member 1 is not: nothing is done, and
    // the refusal names member 1.
    let response = act_on_members(
        &app,
        &reference,
        &verifier,
        json!({ "action": "verify_member", "members": [3, 1] }),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let problem: Value = response.json().await.expect("json");
    assert_eq!(problem["code"], "member_not_available");
    assert!(
        problem["detail"].as_str().is_some_and(|d| d.contains('1')),
        "{problem}"
    );
    let unchanged = case_as_supervisor(&app, &reference).await;
    assert_eq!(unchanged["version"], after["version"], "all or nothing");
    assert_eq!(unchanged["members"][2]["state"], "pending");

    // A member named beside members, or twice, is the request's fault.
    for body in [
        json!({ "action": "verify_member", "member": 3, "members": [3] }),
        json!({ "action": "verify_member", "members": [3, 3] }),
        json!({ "action": "verify_member", "members": [3], "member_fields": { "4": { "reason": "x" } } }),
        json!({ "action": "verify_member", "members": [0] }),
        // A key that is no member's number is refused as the request's
        // fault, never a malformed body (the document allows any key).
        json!({ "action": "verify_member", "members": [3], "member_fields": { "x": { "reason": "x" } } }),
    ] {
        let response = act_on_members(&app, &reference, &verifier, body.clone()).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}"
        );
    }
}

/// Registering a whole family is one form: each member's national number
/// in `member_fields`; one number given twice is refused before anything.
#[tokio::test]
async fn a_family_is_registered_in_one_request_each_with_their_number() {
    let app = spawn_app().await;
    let reference = case_after(&app, 9).await; // approved: in registration
    let registrar = app.token(Role::Registrar).to_string();
    let sequence = reference.rsplit('-').next().expect("a sequence");
    let number = |m: u32| format!("1{sequence}000{m}");
    let twice = act_on_members(
        &app,
        &reference,
        &registrar,
        json!({
            "action": "register_member",
            "members": [1, 2],
            "member_fields": { "1": { "national_number": number(1) }, "2": { "national_number": number(1) } },
        }),
    )
    .await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let response = act_on_members(
        &app,
        &reference,
        &registrar,
        json!({
            "action": "register_member",
            "members": [1, 2, 4, 5],
            "member_fields": {
                "1": { "national_number": number(1) },
                "2": { "national_number": number(2) },
                "4": { "national_number": number(4) },
                "5": { "national_number": number(5) },
            },
        }),
    )
    .await;
    let status = response.status();
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let case = case_as_supervisor(&app, &reference).await;
    assert_eq!(
        case["state"], "biometrics_capture",
        "all registered: the engine moved on"
    );
    assert_eq!(case["members"][0]["national_number"], number(1));
    assert_eq!(case["members"][4]["national_number"], number(5));
}
