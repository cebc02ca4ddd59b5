//! The case officers' API. Each handler calls one `app` function.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppError;
use crate::app::cases::{self, Outcome};
use crate::app::views::{self, Assignment};
use crate::domain::digest::sha256_parts;
use crate::domain::family::{ApplicationDraft, DocumentKind};
use crate::domain::names::{MAX_SEARCH_WORDS, normalise_for_search, parts_queries};
use crate::http::AppState;
use crate::http::context;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, Caller, etag, idempotency_key, if_match};
use crate::http::problem::{ApiError, Problem};
use crate::store::queries::{CaseFilter, SortKey};
use crate::workflow::Command;
use crate::workflow::definition::Labels;
use crate::workflow::machine::{Event, local_date};

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
    pub state_label: Labels,
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
    /// `name.vN`: the workflow version the case is pinned to.
    pub workflow: String,
    pub district: String,
    pub office: String,
    pub submitted_on: NaiveDate,
    pub applicant_email: Option<String>,
    pub state: String,
    pub state_label: Labels,
    pub version: i64,
    pub assignee: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    /// Possible duplicates still to be decided (see `/duplicates`).
    pub open_duplicates: i64,
    pub family_documents: Vec<DocumentKind>,
    pub members: Vec<MemberView>,
    pub actions: Vec<ActionView>,
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
    pub member: Option<u32>,
    /// Values of the fields the action requires (`reason`, `national_number`, `card_number`, `collector_document`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// Assigning a case to a user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub user: String,
}

/// One row of a case list.
#[derive(Serialize, ToSchema)]
pub struct CaseSummaryView {
    pub reference: String,
    pub district: String,
    pub office: String,
    pub state: String,
    pub assignee: Option<String>,
    pub submitted_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    pub version: i64,
}

/// A page of cases.
#[derive(Serialize, ToSchema)]
pub struct CaseList {
    pub items: Vec<CaseSummaryView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// Only cases in this state.
    pub state: Option<String>,
    pub district: Option<String>,
    pub office: Option<String>,
    pub assignee: Option<String>,
    /// Only cases past their due date.
    pub overdue: Option<bool>,
    /// Any combination of a member's whole first, father's and family name,
    /// in any order and any usual spelling (hamza forms, taa marbuta, alef
    /// maqsura, diacritics, tatweel, عبد الله / عبدالله); at most 6 words.
    pub name: Option<String>,
    pub register_number: Option<String>,
    pub national_number: Option<String>,
    /// `age` (oldest first, the default) or `due` (earliest due date first).
    pub sort: Option<String>,
    pub cursor: Option<String>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueParams {
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

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
        .map_err(|_| ApiError::not_found(&format!("application {reference}")))
}

/// Open a family application.
#[utoipa::path(
    post, path = "/api/applications", tag = "applications",
    request_body = ApplicationDraft,
    responses(
        (status = 201, description = "The application was opened", body = CommandResult,
            headers(("Location" = String, description = "The new application"), ("ETag" = String, description = "Its version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role or district not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid family", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn create_application(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(draft): ApiJson<ApplicationDraft>,
) -> Result<Response, ApiError> {
    let outcome = cases::create(&state.engine, &draft, &actor, Utc::now()).await?;
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
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
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
    let view = views::read(&state.engine, &reference, &actor, now).await?;
    let lang = context::lang();
    let workflow = &view.workflow;
    let row = &view.loaded.row;
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
        workflow: workflow.key(),
        district: row.district.clone(),
        office: row.office.clone(),
        submitted_on: row.submitted_on,
        applicant_email: row.applicant_email.clone(),
        state: row.state.clone(),
        state_label: label(&row.state),
        version: row.version,
        assignee: row.assignee.clone(),
        due_on: row.due_on,
        overdue: view.overdue,
        open_duplicates: view.open_duplicates,
        family_documents: view.loaded.case.family_documents.iter().copied().collect(),
        members: view
            .people
            .iter()
            .map(|m| MemberView {
                ordinal: m.ordinal as u32,
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
                documents: m
                    .documents
                    .split(',')
                    .filter_map(DocumentKind::parse)
                    .collect(),
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
                member: o.member,
                allowed: o.refusal.is_none(),
                fields: o.fields.iter().map(|f| f.to_string()).collect(),
                reason: o.refusal.as_ref().map(|r| r.text().get(lang).to_string()),
                reason_code: o.refusal.as_ref().map(|r| r.code().to_string()),
            })
            .collect(),
    };
    let mut response = Json(body).into_response();
    if let Ok(value) = HeaderValue::from_str(&etag(row.version)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    Ok(response)
}

fn parse_cursor(cursor: &str) -> Option<(NaiveDate, i64)> {
    let (date, id) = cursor.split_once('.')?;
    Some((
        NaiveDate::parse_from_str(date, "%Y%m%d").ok()?,
        id.parse().ok()?,
    ))
}

fn cursor_of(date: NaiveDate, id: i64) -> String {
    format!("{}.{id}", date.format("%Y%m%d"))
}

fn limit_of(limit: Option<u64>) -> Result<u64, ApiError> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=200).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad_request(
            "invalid_limit",
            crate::workflow::refusal::Text::new(
                "limit يجب أن يكون بين 1 و200",
                "limit must be between 1 and 200",
            ),
        )),
    }
}

fn summaries(
    items: &[crate::store::queries::CaseSummary],
    today: NaiveDate,
) -> Vec<CaseSummaryView> {
    items
        .iter()
        .map(|c| CaseSummaryView {
            reference: c.reference.clone(),
            district: c.district.clone(),
            office: c.office.clone(),
            state: c.state.clone(),
            assignee: c.assignee.clone(),
            submitted_on: c.submitted_on,
            due_on: c.due_on,
            overdue: c.due_on.is_some_and(|d| d < today),
            version: c.version,
        })
        .collect()
}

/// List and search applications, with cursor pagination.
#[utoipa::path(
    get, path = "/api/applications", tag = "applications",
    params(ListParams),
    responses(
        (status = 200, description = "A page of applications", body = CaseList),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to read cases", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_applications(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<CaseList>, ApiError> {
    let limit = limit_of(params.limit)?;
    let sort = match params.sort.as_deref() {
        None | Some("age") => SortKey::Age,
        Some("due") => SortKey::Due,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_sort",
                crate::workflow::refusal::Text::new(
                    "sort يقبل age أو due",
                    "sort must be 'age' or 'due'",
                ),
            ));
        }
    };
    let after = match params.cursor.as_deref() {
        None => None,
        Some(text) => Some(parse_cursor(text).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_cursor",
                crate::workflow::refusal::Text::new(
                    "المؤشر cursor غير صالح",
                    "the cursor is not one this API gave",
                ),
            )
        })?),
    };
    let name_parts = match params.name.as_deref() {
        None => Vec::new(),
        Some(name) if normalise_for_search(name).is_empty() => Vec::new(),
        Some(name) => {
            let parts = parts_queries(name);
            if parts.is_empty() {
                return Err(ApiError::bad_request(
                    "invalid_name",
                    crate::workflow::refusal::Text::new(
                        format!("اكتب {MAX_SEARCH_WORDS} كلمات على الأكثر من الاسم"),
                        format!("type at most {MAX_SEARCH_WORDS} words of the name"),
                    ),
                ));
            }
            parts
        }
    };
    let today = local_date(Utc::now());
    let filter = CaseFilter {
        states: params.state.into_iter().collect(),
        district: params.district,
        office: params.office,
        assignee: params.assignee,
        due_before: params.overdue.filter(|o| *o).map(|_| today),
        name_parts,
        // Typed the way officers type them (Arabic-Indic digits, spaces).
        register_number: params.register_number.map(|n| {
            crate::domain::identifiers::RegisterNumber::parse(&n)
                .map_or(n, |p| p.as_str().to_string())
        }),
        national_number: params.national_number.map(|n| {
            crate::domain::identifiers::NationalNumber::parse(&n)
                .map_or(n, |p| p.as_str().to_string())
        }),
    };
    let page = views::list(&state.engine, &actor, filter, sort, after, limit).await?;
    Ok(Json(CaseList {
        items: summaries(&page.items, today),
        next_cursor: page.next.map(|(d, id)| cursor_of(d, id)),
    }))
}

/// Take an action on the case or on one member. Honours `If-Match` (a
/// stale version gets 412 and changes nothing) and `Idempotency-Key` (a
/// retry returns the first response and acts once).
#[utoipa::path(
    post, path = "/api/applications/{reference}/transitions", tag = "applications",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe"),
    ),
    request_body = TransitionRequest,
    responses(
        (status = 200, description = "The action was taken", body = CommandResult,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role or district not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The engine refused the action, or a concurrent change", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body or reused Idempotency-Key", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn transition(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<TransitionRequest>,
) -> Result<Response, ApiError> {
    check_reference(&reference)?;
    let expected = if_match(&headers)?;
    let key = idempotency_key(&headers)?;
    let command = Command {
        action: request.action,
        member: request.member,
        fields: request.fields,
        comment: request.comment,
    };
    let now = Utc::now();
    let result = match &key {
        Some(key) => {
            let body = serde_json::to_string(&command).unwrap_or_default();
            let expected_text = expected.map(|v| v.to_string()).unwrap_or_default();
            let fingerprint = sha256_parts(&[
                reference.as_bytes(),
                body.as_bytes(),
                expected_text.as_bytes(),
            ]);
            cases::perform_once(
                &state.engine,
                key,
                &fingerprint,
                &reference,
                &actor,
                &command,
                expected,
                now,
            )
            .await
            .map(|(outcome, _)| outcome)
        }
        None => cases::perform(&state.engine, &reference, &actor, &command, expected, now).await,
    };
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
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn audit_trail(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    check_reference(&reference)?;
    let rows = views::audit_trail(&state.engine, &reference, &actor).await?;
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

/// The caller's work queue: cases the caller may act on now, most overdue first.
#[utoipa::path(
    get, path = "/api/queue", tag = "work queue",
    params(QueueParams),
    responses(
        (status = 200, description = "The queue", body = CaseList),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to read cases", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn queue(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<QueueParams>,
) -> Result<Json<CaseList>, ApiError> {
    let limit = limit_of(params.limit)?;
    let page = views::queue(&state.engine, &actor, limit).await?;
    Ok(Json(CaseList {
        items: summaries(&page.items, local_date(Utc::now())),
        next_cursor: None,
    }))
}

async fn assignment(
    state: &AppState,
    actor: &crate::workflow::Actor,
    reference: &str,
    headers: &HeaderMap,
    assignment: Assignment,
) -> Result<Response, ApiError> {
    check_reference(reference)?;
    let expected = if_match(headers)?;
    let outcome = views::assign(
        &state.engine,
        reference,
        actor,
        assignment,
        expected,
        Utc::now(),
    )
    .await?;
    Ok(command_response(StatusCode::OK, &outcome, false))
}

/// Claim a case: the caller becomes its assignee.
#[utoipa::path(
    post, path = "/api/applications/{reference}/claim", tag = "work queue",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag"),
    ),
    responses(
        (status = 200, description = "Claimed", body = CommandResult),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing for the caller to do in this state", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn claim(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    assignment(&state, &actor, &reference, &headers, Assignment::Claim).await
}

/// Assign a case to a user (supervisors).
#[utoipa::path(
    post, path = "/api/applications/{reference}/assign", tag = "work queue",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag"),
    ),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "Assigned", body = CommandResult),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a supervisor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn assign(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<AssignRequest>,
) -> Result<Response, ApiError> {
    assignment(
        &state,
        &actor,
        &reference,
        &headers,
        Assignment::AssignTo(request.user),
    )
    .await
}

/// Release a case back to the queue (its assignee or a supervisor).
#[utoipa::path(
    post, path = "/api/applications/{reference}/release", tag = "work queue",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag"),
    ),
    responses(
        (status = 200, description = "Released", body = CommandResult),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the assignee nor a supervisor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn release(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    assignment(&state, &actor, &reference, &headers, Assignment::Release).await
}

/// Edit the family and its documents while the case is being put together
/// (intake, or returned to the applicant): the whole family is replaced.
#[utoipa::path(
    put, path = "/api/applications/{reference}", tag = "applications",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag"),
    ),
    request_body = ApplicationDraft,
    responses(
        (status = 200, description = "The family was replaced", body = CommandResult,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role or district not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
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
    headers: HeaderMap,
    ApiJson(draft): ApiJson<ApplicationDraft>,
) -> Result<Response, ApiError> {
    check_reference(&reference)?;
    let expected = if_match(&headers)?;
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
