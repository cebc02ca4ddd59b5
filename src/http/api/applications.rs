//! One application over the API: open it, read it with the actions open
//! to the caller, edit its family, take an action, read its audit trail.
//! Each handler parses, calls one `app` function and shapes the answer.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppError;
use crate::app::case_view;
use crate::app::cases::{self, Outcome};
use crate::domain::family::MemberNumber;
use crate::domain::family::{ApplicationDraft, DocumentKind};
use crate::domain::field_error::FieldError;
use crate::domain::language::Text;
use crate::http::AppState;
use crate::http::context;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, Caller, IdempotencyKey, IfMatch, etag};
use crate::http::problem::{ApiError, Problem};
use crate::workflow::Command;
use crate::workflow::case::MemberPart;
use crate::workflow::machine::Event;

// ---------------------------------------------------------------- DTOs --

/// A family member as the API shows it.
#[derive(Serialize, ToSchema)]
pub struct MemberView {
    pub ordinal: u32,
    pub first_name: String,
    pub father_name: String,
    pub mother_name: String,
    pub family_name: String,
    pub latin_first_name: Option<String>,
    pub latin_family_name: Option<String>,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub relationship: String,
    pub register_number: Option<String>,
    pub abroad: bool,
    pub documents: Vec<DocumentKind>,
    pub state: String,
    pub state_label: Text,
    pub national_number: Option<String>,
    pub card_number: Option<String>,
    pub collector_document: Option<String>,
    pub exclusion_reason: Option<String>,
    pub card_due_on: Option<NaiveDate>,
}

/// An action and whether the caller may take it now.
#[derive(Serialize, ToSchema)]
pub struct ActionView {
    pub action: String,
    /// What a button says for the action, in Arabic and English.
    pub label: Text,
    /// The member it concerns, for member actions.
    pub member: Option<u32>,
    pub allowed: bool,
    /// The fields the caller must supply.
    pub fields: Vec<String>,
    /// Why not, when not allowed (in the caller's language).
    pub reason: Option<String>,
    pub reason_code: Option<String>,
}

/// One application with its members and what the caller may do.
#[derive(Serialize, ToSchema)]
pub struct ApplicationView {
    pub reference: String,
    /// Whom the case is named by: the head of the family's name, else the
    /// person's own (a one-person case has no head).
    pub display_name: String,
    /// `name.vN`: the workflow version the case is pinned to.
    pub workflow: String,
    pub district: String,
    /// The district's Arabic and English names.
    pub district_label: Text,
    pub office: String,
    /// The office's Arabic and English names.
    pub office_label: Text,
    pub submitted_on: NaiveDate,
    pub applicant_email: Option<String>,
    pub state: String,
    pub state_label: Text,
    pub version: i64,
    pub assignee: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    /// Possible duplicates still to be decided (see `/duplicates`).
    pub open_duplicates: i64,
    pub family_documents: Vec<DocumentKind>,
    pub members: Vec<MemberView>,
    pub actions: Vec<ActionView>,
    /// For a person's case: the family case it is linked to.
    pub linked_family: Option<LinkView>,
    /// For a family's case: the persons' cases linked to it.
    pub linked_persons: Vec<LinkView>,
}

/// A case at the other end of a link between a person's case and a
/// family's.
#[derive(Serialize, ToSchema)]
pub struct LinkView {
    pub reference: String,
    /// `name.vN`: the linked case's workflow version.
    pub workflow: String,
    pub state: String,
    pub state_label: Text,
    pub linked_at: DateTime<Utc>,
    /// The person's member number in the family case, once they joined it.
    pub joined_ordinal: Option<u32>,
    pub joined_at: Option<DateTime<Utc>>,
}

impl From<&case_view::CaseLink> for LinkView {
    fn from(link: &case_view::CaseLink) -> LinkView {
        LinkView {
            reference: link.reference.clone(),
            workflow: link.workflow.clone(),
            state: link.state.clone(),
            state_label: link.state_label.clone(),
            linked_at: link.linked_at,
            joined_ordinal: link.joined_ordinal,
            joined_at: link.joined_at,
        }
    }
}

/// Which workflow a new case starts under, and the family case a
/// person's case is linked to.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpenQuery {
    /// The workflow's name (its newest version is taken), e.g.
    /// `unregistered-persons`; the default workflow when absent.
    #[param(max_length = 100, pattern = r"^[a-z0-9_-]+$")]
    pub workflow: Option<String>,
    /// For a one-person case: the reference of the family case the person
    /// belongs to, e.g. `HSK-2011-000123`.
    #[param(max_length = 40, pattern = r"^[A-Z]{2,8}-[0-9]{4}-[0-9]{6}$")]
    pub family: Option<String>,
}

/// A change the command made.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventView {
    /// `case` or `member`.
    pub on: String,
    pub member: Option<u32>,
    pub from: String,
    pub to: String,
    pub automatic: bool,
}

/// The result of a command.
#[derive(Serialize, ToSchema)]
pub struct CommandResult {
    pub reference: String,
    pub version: i64,
    pub state: String,
    pub events: Vec<EventView>,
}

/// An action on the case or on one member.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// e.g. `submit_for_verification`, `verify_member`, `hand_over_card`.
    pub action: String,
    /// The member (1-based) for member actions.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 40)]
    pub member: Option<u32>,
    /// Several members (1-based) for one member action, taken in one step:
    /// all of them or, when one is refused, none (the refusal names the
    /// member). Each gets an audit event of its own. Not with `member`.
    #[serde(default)]
    #[schema(max_items = 40, value_type = Vec<u32>)]
    pub members: Vec<u32>,
    /// For `members`: field values that are one member's alone (a national
    /// number each), by the member's number, on top of `fields`.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, BTreeMap<String, FieldValue>>)]
    pub member_fields: BTreeMap<String, BTreeMap<String, String>>,
    /// Values of the fields the action requires (`reason`, `national_number`, `card_number`, `collector_document`).
    /// No value holds a control or text-direction character; a `reason` (at
    /// most 2000 characters) may hold line ends, the others are one line.
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, FieldValue>)]
    pub fields: BTreeMap<String, String>,
    /// A note for the audit trail: at most 2000 characters, line ends
    /// allowed, no other control or text-direction character.
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^(?:[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r?\n)*$"
    )]
    pub comment: Option<String>,
}

/// The value of one field of an action: at most 2000 characters (a
/// `reason`; `collector_document` 100, `card_number` 20, `national_number`
/// 11), with no control or text-direction character but a reason's line
/// ends.
#[derive(ToSchema)]
#[schema(
    max_length = 2000,
    pattern = r"^(?:[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r?\n)*$"
)]
pub struct FieldValue(#[allow(dead_code)] String);

/// One audit event.
#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub member: Option<i32>,
    pub from_state: String,
    pub to_state: String,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub prev_hash: String,
    pub hash: String,
}

// ------------------------------------------------------------ handlers --

fn event_view(event: &Event) -> EventView {
    match event {
        Event::Case {
            from,
            to,
            automatic,
        } => EventView {
            on: "case".into(),
            member: None,
            from: from.clone(),
            to: to.clone(),
            automatic: *automatic,
        },
        Event::Member {
            member,
            from,
            to,
            automatic,
        } => EventView {
            on: "member".into(),
            member: Some(*member),
            from: from.clone(),
            to: to.clone(),
            automatic: *automatic,
        },
    }
}

pub(crate) fn command_response(status: StatusCode, outcome: &Outcome, location: bool) -> Response {
    let body = CommandResult {
        reference: outcome.reference.clone(),
        version: outcome.version,
        state: outcome.state.clone(),
        events: outcome.events.iter().map(event_view).collect(),
    };
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag(outcome.version)) {
        headers.insert(header::ETAG, value);
    }
    if location
        && let Ok(value) =
            HeaderValue::from_str(&format!("/api/applications/{}", outcome.reference))
    {
        headers.insert(header::LOCATION, value);
    }
    response
}

pub(crate) fn check_reference(reference: &str) -> Result<(), ApiError> {
    crate::domain::identifiers::ReferenceNumber::parse(reference)
        .map(|_| ())
        .map_err(|_| ApiError::not_found(crate::domain::words::problems::no_case(reference)))
}

/// Open an application: a family's under the default workflow, or under
/// the workflow named (`?workflow=unregistered-persons` for one person never
/// entered in any register, linked to a family's case by `?family=`).
#[utoipa::path(
    post, path = "/api/applications", tag = "applications",
    params(OpenQuery),
    request_body = ApplicationDraft,
    responses(
        (status = 201, description = "The application was opened", body = CommandResult,
            headers(("Location" = String, description = "The new application"), ("ETag" = String, description = "Its version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role or district not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such family case to link to, or one outside the caller's district", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid family or person, or an unknown workflow", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn create_application(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(query): ApiQuery<OpenQuery>,
    ApiJson(draft): ApiJson<ApplicationDraft>,
) -> Result<Response, ApiError> {
    if let Some(family) = &query.family {
        check_reference(family)?;
    }
    let opening = cases::Opening {
        workflow: query.workflow,
        family: query.family,
    };
    let outcome = cases::create_as(&state.engine, &draft, &opening, &actor, Utc::now()).await?;
    Ok(command_response(StatusCode::CREATED, &outcome, true))
}

/// Read one application: members, documents, state, due date, and the
/// actions the caller may take now — and, for the others, why not.
#[utoipa::path(
    get, path = "/api/applications/{reference}", tag = "applications",
    params(("reference" = String, Path, description = "e.g. HSK-2011-000123")),
    responses(
        (status = 400, description = "Undecodable path", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The application", body = ApplicationView,
            headers(("ETag" = String, description = "Its version, for If-Match"))),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to read cases", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn get_application(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
) -> Result<Response, ApiError> {
    check_reference(&reference)?;
    let now = Utc::now();
    let view = case_view::read(&state.engine, &reference, &actor, now).await?;
    let lang = context::lang();
    let workflow = &view.workflow;
    let row = &view.record;
    let label = |name: &str| {
        workflow
            .state(name)
            .map(|s| s.labels.clone())
            .unwrap_or_default()
    };
    let member_label = |name: &str| {
        workflow
            .member_state(name)
            .map(|s| s.labels.clone())
            .unwrap_or_default()
    };
    let body = ApplicationView {
        reference: row.reference.clone(),
        display_name: view.display_name(),
        workflow: workflow.key(),
        district: row.district.clone(),
        district_label: state.engine.place_label(&row.district),
        office: row.office.clone(),
        office_label: state.engine.place_label(&row.office),
        submitted_on: row.submitted_on,
        applicant_email: row.applicant_email.clone(),
        state: row.state.clone(),
        state_label: label(&row.state),
        version: row.version,
        assignee: row.assignee.clone(),
        due_on: row.due_on,
        overdue: view.overdue,
        open_duplicates: view.open_duplicates,
        family_documents: view.family_documents.clone(),
        members: view
            .people
            .iter()
            .map(|m| MemberView {
                ordinal: m.ordinal,
                first_name: m.first_name.clone(),
                father_name: m.father_name.clone(),
                mother_name: m.mother_name.clone(),
                family_name: m.family_name.clone(),
                latin_first_name: m.latin_first_name.clone(),
                latin_family_name: m.latin_family_name.clone(),
                sex: m.sex.clone(),
                birth_date: m.birth_date,
                birth_place: m.birth_place.clone(),
                relationship: m.relationship.clone(),
                register_number: m.register_number.clone(),
                abroad: m.abroad,
                documents: m.documents.iter().copied().collect(),
                state: m.state.clone(),
                state_label: member_label(&m.state),
                national_number: m.national_number.clone(),
                card_number: m.card_number.clone(),
                collector_document: m.collector_document.clone(),
                exclusion_reason: m.exclusion_reason.clone(),
                card_due_on: m.card_due_on,
            })
            .collect(),
        actions: view
            .options
            .iter()
            .map(|o| ActionView {
                action: o.action.clone(),
                label: workflow.action_labels(&o.action),
                member: o.member,
                allowed: o.refusal.is_none(),
                fields: o.fields.iter().map(|f| f.to_string()).collect(),
                reason: o.refusal.as_ref().map(|r| r.text().get(lang).to_string()),
                reason_code: o.refusal.as_ref().map(|r| r.code().to_string()),
            })
            .collect(),
        linked_family: view.linked_family.as_ref().map(LinkView::from),
        linked_persons: view.linked_persons.iter().map(LinkView::from).collect(),
    };
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(row.version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

/// Add the person of a linked one-person case (a person never entered in
/// any register, now entered with a new register number) to this family's
/// case as its next member, in the member track's initial state. Allowed
/// when the person's case is in a state that joins a family, the family's
/// in one that takes members, and the person has not joined yet; audited
/// on both cases. Honours `If-Match` (the family case's version).
#[utoipa::path(
    post, path = "/api/applications/{reference}/members/from/{person}", tag = "applications",
    params(
        ("reference" = String, Path, description = "The family's case, e.g. HSK-2011-000123"),
        ("person" = String, Path, description = "The person's case linked to it, e.g. HSK-2026-000045"),
        ("If-Match" = Option<String>, Header, description = "The family case's version from its ETag, quoted: `\"7\"` (or `W/\"7\"`; a bare `7` is also taken)", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
    ),
    responses(
        (status = 200, description = "The person was added to the family", body = CommandResult,
            headers(("ETag" = String, description = "The family case's new version"))),
        (status = 400, description = "Undecodable path", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role not allowed, or a separation-of-duties rule keeps the caller from it", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Refused: the person is not yet registered, the cases are not linked, the person has already joined, the family's state takes no members, or a concurrent change", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The person's record does not make a family member", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn add_member_from_case(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath((reference, person)): ApiPath<(String, String)>,
    IfMatch(expected): IfMatch,
) -> Result<Response, ApiError> {
    check_reference(&reference)?;
    check_reference(&person)?;
    let outcome = cases::join_family(
        &state.engine,
        &reference,
        &person,
        &actor,
        expected,
        Utc::now(),
    )
    .await?;
    Ok(command_response(StatusCode::OK, &outcome, false))
}

/// The parts of a request for several members, each number checked as a
/// member's number, and field values only for members named.
fn members_of(request: &TransitionRequest) -> Result<Vec<MemberPart>, ApiError> {
    let invalid = |errors| ApiError::from(crate::app::AppError::Invalid(errors));
    let mut errors = Vec::new();
    // The values' keys are members' numbers written as text (JSON keys);
    // one that is no number, or a member not named, is the request's fault.
    let mut own: BTreeMap<u32, &BTreeMap<String, String>> = BTreeMap::new();
    let mut stray = false;
    for (key, values) in &request.member_fields {
        match key.trim().parse::<u32>() {
            Ok(m) if request.members.contains(&m) => {
                own.insert(m, values);
            }
            _ => stray = true,
        }
    }
    let mut parts = Vec::with_capacity(request.members.len());
    for &number in &request.members {
        match MemberNumber::new(number) {
            Ok(member) => parts.push(MemberPart {
                member: member.get(),
                fields: own.get(&number).map(|v| (*v).clone()).unwrap_or_default(),
            }),
            Err(error) => errors.push(error),
        }
    }
    if stray {
        errors.push(FieldError::said(
            "member_fields",
            crate::domain::words::cases::FIELDS_OF_A_MEMBER_NOT_NAMED.text(),
        ));
    }
    if errors.is_empty() {
        Ok(parts)
    } else {
        Err(invalid(errors))
    }
}

/// Take an action on the case or on one member. Honours `If-Match` (a
/// stale version gets 412 and changes nothing) and `Idempotency-Key` (a
/// retry returns the first response and acts once).
///
/// Holds follow the work: an officer's first action on an unheld case in
/// a state their roles work claims it (the `assignee`); while one officer
/// holds a case, anyone else's action is refused with 409
/// `held_by_another`, naming the holder, except a supervisor's, which
/// takes the case over. When the case moves to a state its holder does not
/// work (or a separation rule keeps them from), the hold ends. Each claim,
/// take-over and release is an audit event of its own.
#[utoipa::path(
    post, path = "/api/applications/{reference}/transitions", tag = "applications",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag, quoted: `\"7\"` (or `W/\"7\"`; a bare `7` is also taken)", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe: 1 to 128 visible ASCII characters", nullable = false, pattern = r"^[!-~]{1,128}$"),
    ),
    request_body = TransitionRequest,
    responses(
        (status = 200, description = "The action was taken", body = CommandResult,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role not allowed, or a separation-of-duties rule of the definition keeps the caller from this action on this case (`separation_of_duties`, naming the rule and their earlier action)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The engine refused the action (another officer holds the case: `held_by_another`, naming them), or a concurrent change", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, a field the action refused (listed in `errors`), or a reused Idempotency-Key", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn transition(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    IfMatch(expected): IfMatch,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(request): ApiJson<TransitionRequest>,
) -> Result<Response, ApiError> {
    check_reference(&reference)?;
    // The member's number as the document states it (1 to the most members
    // a family may list), before the case is read.
    let member = request
        .member
        .map(MemberNumber::new)
        .transpose()
        .map_err(|error| ApiError::from(crate::app::AppError::Invalid(vec![error])))?;
    let each = members_of(&request)?;
    let command = Command {
        action: request.action,
        member: member.map(MemberNumber::get),
        fields: request.fields,
        comment: request.comment,
        each,
    };
    let result = cases::perform_request(
        &state.engine,
        &reference,
        &actor,
        &command,
        expected,
        key.as_deref(),
        Utc::now(),
    )
    .await;
    match result {
        Ok(outcome) => {
            state.metrics.transition(&command.action);
            Ok(command_response(StatusCode::OK, &outcome, false))
        }
        Err(error) => {
            if let AppError::Refused(refusal) = &error {
                state.metrics.refusal(refusal.code());
            }
            Err(error.into())
        }
    }
}

/// The audit trail of a case, oldest first, with its hash chain.
#[utoipa::path(
    get, path = "/api/applications/{reference}/audit", tag = "applications",
    params(("reference" = String, Path, description = "e.g. HSK-2011-000123")),
    responses(
        (status = 400, description = "Undecodable path", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The audit trail", body = Vec<AuditEntry>),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to read cases", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn audit_trail(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    check_reference(&reference)?;
    let rows = case_view::audit_trail(&state.engine, &reference, &actor).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                at: r.at,
                actor: r.actor,
                action: r.action,
                member: r.member,
                from_state: r.from_state,
                to_state: r.to_state,
                payload: serde_json::from_str(&r.payload).unwrap_or(serde_json::Value::Null),
                prev_hash: r.prev_hash,
                hash: r.hash,
            })
            .collect(),
    ))
}

/// Edit the family and its documents while the case is being put together
/// (intake, or returned to the applicant): the whole family is replaced.
#[utoipa::path(
    put, path = "/api/applications/{reference}", tag = "applications",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag, quoted: `\"7\"` (or `W/\"7\"`; a bare `7` is also taken)", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
    ),
    request_body = ApplicationDraft,
    responses(
        (status = 200, description = "The family was replaced", body = CommandResult,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role not allowed, or a separation-of-duties rule of the definition keeps the caller from this action on this case (`separation_of_duties`, naming the rule and their earlier action)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case can no longer be edited", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid family", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn replace_family(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    IfMatch(expected): IfMatch,
    ApiJson(draft): ApiJson<ApplicationDraft>,
) -> Result<Response, ApiError> {
    check_reference(&reference)?;
    let outcome = cases::edit(
        &state.engine,
        &reference,
        &draft,
        &actor,
        expected,
        Utc::now(),
    )
    .await?;
    Ok(command_response(StatusCode::OK, &outcome, false))
}
