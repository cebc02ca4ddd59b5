//! Cases brought into a state, through the API or the engine, for tests
//! that start from there.

use casework::app::Engine;
use casework::app::cases::{create, perform};
use casework::domain::family::{ApplicationDraft, DocumentKind, Relationship, Sex};
use casework::domain::roles::Role;
use casework::workflow::case::{Case, CaseMember};
use casework::workflow::{Actor, Command};
use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use serde_json::Value;

use super::TestApp;
use super::families::family;
use super::http::{get, post_json};
use super::time::date;

/// Opens a case for the shared [`family`] over the API as the intake
/// clerk; returns its reference.
pub async fn open_case(app: &TestApp) -> String {
    open_case_for(app, &family().json()).await
}

/// Opens a case for `family` (the body a clerk's form posts) over the API
/// as the intake clerk; returns its reference.
pub async fn open_case_for(app: &TestApp, family: &Value) -> String {
    let created = post_json(app, "/api/applications", Role::IntakeClerk, family).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    created.json::<Value>().await.expect("json")["reference"]
        .as_str()
        .expect("a reference")
        .to_string()
}

/// The case as the API shows it to a supervisor.
pub async fn case_as_supervisor(app: &TestApp, reference: &str) -> Value {
    let response = get(
        app,
        &format!("/api/applications/{reference}"),
        Role::Supervisor,
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

/// Opens a case for `draft` at `opened` and submits it for verification at
/// `submitted`, both as `clerk`; returns its reference.
pub async fn case_in_verification(
    engine: &Engine,
    draft: &ApplicationDraft,
    clerk: &Actor,
    opened: DateTime<Utc>,
    submitted: DateTime<Utc>,
) -> String {
    let created = create(engine, draft, clerk, opened)
        .await
        .expect("the case opens");
    perform(
        engine,
        &created.reference,
        clerk,
        &Command::new("submit_for_verification"),
        None,
        submitted,
    )
    .await
    .expect("the case is submitted");
    created.reference
}

/// Gives each of `fields` a value a form would carry: a fresh national or
/// card number from `serial`, a temporary card as the collector's
/// document, a written reason for anything else.
pub fn fill(command: &mut Command, fields: &[&str], serial: &mut u64) {
    for field in fields {
        *serial += 1;
        let value = match *field {
            "national_number" => format!("{}", 20_000_000_000 + *serial),
            "card_number" => format!("SY{:06}", *serial),
            "collector_document" => "بطاقة مؤقتة".to_string(),
            _ => "سبب مكتوب".to_string(),
        };
        command.fields.insert(field.to_string(), value);
    }
}

/// A case at intake held in memory, for the pure engine: HSK-2026-000001
/// of al_hasakah, version 1, with the application form, `members` and no
/// scan.
pub fn case_at_intake(members: Vec<CaseMember>) -> Case {
    Case {
        reference: "HSK-2026-000001".into(),
        district: "al_hasakah".into(),
        state: "intake".into(),
        version: 1,
        duties: Default::default(),
        family_documents: [DocumentKind::ApplicationForm].into_iter().collect(),
        members,
        scans: Default::default(),
        holder: None,
    }
}

/// A pending member of a [`case_at_intake`]: "member N", born on 15 June
/// of `birth_year`, register entry 12/N, with the register extract and
/// photos.
pub fn case_member(
    ordinal: u32,
    relationship: Relationship,
    birth_year: i32,
    abroad: bool,
) -> CaseMember {
    CaseMember {
        ordinal,
        name: format!("member {ordinal}"),
        relationship,
        sex: if matches!(relationship, Relationship::Daughter) {
            Sex::Female
        } else {
            Sex::Male
        },
        birth_date: date(birth_year, 6, 15),
        abroad,
        register_number: Some(format!("12/{ordinal}")),
        documents: [DocumentKind::RegisterExtract, DocumentKind::Photos]
            .into_iter()
            .collect(),
        state: "pending".into(),
        national_number: None,
        card_number: None,
        collector_document: None,
        exclusion_reason: None,
        card_due_on: None,
        state_changed_on: None,
        registered_on: None,
    }
}

/// The five-member family, opened and submitted for verification by
/// clerk.one on 1 March 2026; its reference.
pub async fn family_in_verification(app: &TestApp) -> String {
    case_in_verification(
        &app.engine,
        &family().draft(),
        &super::actors::officer("clerk.one", Role::IntakeClerk),
        super::time::utc(2026, 3, 1, 9, 0),
        super::time::utc(2026, 3, 1, 10, 0),
    )
    .await
}

/// The shared [`family`]'s way from intake to completed, as (role,
/// action, member, fields): member 3 excluded, member 4 under the card
/// age, member 5 abroad; members 1 and 2 get their cards.
const TO_COMPLETED: &[(Role, &str, Option<u32>, &[&str])] = &[
    (Role::IntakeClerk, "submit_for_verification", None, &[]),
    (Role::Verifier, "verify_member", Some(1), &[]),
    (Role::Verifier, "verify_member", Some(2), &[]),
    (Role::Verifier, "exclude_member", Some(3), &["reason"]),
    (Role::Verifier, "verify_member", Some(4), &[]),
    (Role::Verifier, "verify_member", Some(5), &[]),
    (Role::Verifier, "complete_verification", None, &[]),
    (Role::Verifier, "grant_clearance", None, &[]),
    (Role::Approver, "approve", None, &[]),
    (
        Role::Registrar,
        "register_member",
        Some(1),
        &["national_number"],
    ),
    (
        Role::Registrar,
        "register_member",
        Some(2),
        &["national_number"],
    ),
    (
        Role::Registrar,
        "register_member",
        Some(4),
        &["national_number"],
    ),
    (
        Role::Registrar,
        "register_member",
        Some(5),
        &["national_number"],
    ),
    (Role::CardOfficer, "record_biometrics", Some(1), &[]),
    (Role::CardOfficer, "record_biometrics", Some(2), &[]),
    (
        Role::CardOfficer,
        "record_card_printed",
        Some(1),
        &["card_number"],
    ),
    (
        Role::CardOfficer,
        "hand_over_card",
        Some(1),
        &["collector_document"],
    ),
    (
        Role::CardOfficer,
        "record_card_printed",
        Some(2),
        &["card_number"],
    ),
    (
        Role::CardOfficer,
        "hand_over_card",
        Some(2),
        &["collector_document"],
    ),
];

/// The number of steps of [`walked`] after which member 1's card is
/// printed (the case is still open).
pub const FIRST_CARD_PRINTED: usize = 16;

/// Opens the shared [`family`] through the engine and takes it through the
/// first `steps` of its way to completed (all of them: [`usize::MAX`]),
/// each by an officer of the step's role (the clearance by a second
/// verifier); returns its reference.
pub async fn walked(engine: &Engine, steps: usize) -> String {
    let clerk = super::actors::officer("clerk.one", Role::IntakeClerk);
    let created = create(engine, &family().draft(), &clerk, Utc::now())
        .await
        .expect("the case opens");
    // National numbers are each one person's: numbered from the case's
    // sequence, so that cases walked in one database never share one.
    let sequence: u64 = created
        .reference
        .rsplit('-')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("a sequence");
    let mut serial = sequence * 100;
    for (role, action, member, fields) in TO_COMPLETED.iter().take(steps) {
        let id = match *action {
            "grant_clearance" => "verifier.two".to_string(),
            _ => format!("{}.one", role.as_str()),
        };
        let actor = super::actors::officer(id, *role);
        let mut command = Command::new(action);
        command.member = *member;
        fill(&mut command, fields, &mut serial);
        perform(
            engine,
            &created.reference,
            &actor,
            &command,
            None,
            Utc::now(),
        )
        .await
        .unwrap_or_else(|e| panic!("{action}: {e}"));
    }
    created.reference
}
