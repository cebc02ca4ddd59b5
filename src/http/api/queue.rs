//! Lists of cases over the API: search with filters and cursor pages, the
//! caller's work queue, and claiming, assigning and releasing a case.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::assign::{self, Assignment};
use crate::app::lists::{self, CaseSummary, Cursor, Holder, ListQuery, QueueQuery, SortKey};
use crate::domain::language::Text;
use crate::domain::names::{MAX_SEARCH_WORDS, normalise_for_search, parts_queries};
use crate::domain::text::{Lines, check_text, limit};
use crate::domain::words::problems;
use crate::http::AppState;
use crate::http::api::applications::{CommandResult, check_reference, command_response};
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, Caller, IfMatch};
use crate::http::problem::{ApiError, Problem};

// ---------------------------------------------------------------- DTOs --

/// Assigning a case to a user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    #[schema(
        max_length = 64,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub user: String,
}

/// One row of a case list.
#[derive(Serialize, ToSchema)]
pub struct CaseSummaryView {
    pub reference: String,
    pub district: String,
    /// The district's Arabic and English names.
    pub district_label: Text,
    pub office: String,
    /// The office's Arabic and English names.
    pub office_label: Text,
    pub state: String,
    pub assignee: Option<String>,
    pub submitted_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    pub version: i64,
    /// The head of the family's first, father's and family name; null for
    /// a one-person case (the person is no family's head).
    pub head_name: Option<String>,
    /// Whom the case is named by: the head of the family's name, else the
    /// person's own; never empty.
    pub display_name: String,
    /// Calendar days since the case entered its state.
    pub days_in_state: i64,
    /// For a case returned to its applicant (in a state that pauses the
    /// clock): who returned it, when and the reason given; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub returned: Option<ReturnedView>,
}

/// Who returned a case to its applicant, when, and why.
#[derive(Serialize, ToSchema)]
pub struct ReturnedView {
    /// The officer's user name.
    pub by: String,
    pub at: DateTime<Utc>,
    /// The reason they gave, if any.
    pub reason: Option<String>,
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
    #[param(
        max_length = 64,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub state: Option<String>,
    pub district: Option<String>,
    pub office: Option<String>,
    #[param(
        max_length = 64,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub assignee: Option<String>,
    /// Only cases past their due date.
    pub overdue: Option<bool>,
    /// Any combination of a member's whole first, father's and family name,
    /// in any order and any usual spelling (hamza forms, taa marbuta, alef
    /// maqsura, diacritics, tatweel, عبد الله / عبدالله); at most 6 words.
    #[param(
        max_length = 200,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub name: Option<String>,
    #[param(
        max_length = 64,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub register_number: Option<String>,
    #[param(
        max_length = 64,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub national_number: Option<String>,
    /// `age` (oldest first, the default) or `due` (earliest due date first).
    /// A name search (`name`) lists by entry into the system
    /// instead, whatever `sort` says: the order an index gives, so that a
    /// common name's first page is as fast as a rare one's.
    #[param(inline, value_type = Option<ListSort>)]
    pub sort: Option<String>,
    /// The `next_cursor` of the page before (`YYYYMMDD.id`).
    #[param(pattern = r"^[0-9]{8}\.[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

/// The orders a list may take, as the document states them (the handler
/// reads the text itself, to refuse another with its own message).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum ListSort {
    Age,
    Due,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct QueueParams {
    /// Only cases in this state, one of those the caller works (else 422).
    #[param(
        max_length = 64,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub state: Option<String>,
    /// Only cases filed at this office (of the caller's district).
    pub office: Option<String>,
    /// Only cases past their due date.
    pub overdue: Option<bool>,
    /// `me` (cases the caller holds) or `unassigned` (cases nobody holds);
    /// absent: both, and those others hold.
    #[param(inline, value_type = Option<QueueHolder>)]
    pub assigned: Option<String>,
    /// The `next_cursor` of the page before (`YYYYMMDD.id`).
    #[param(pattern = r"^[0-9]{8}\.[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

/// Whose cases the queue lists, as the document states them (the handler
/// reads the text itself, to refuse another with its own message).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum QueueHolder {
    Me,
    Unassigned,
}

// ------------------------------------------------------------ handlers --

/// The list's typed filters hold no control or text-direction character
/// and are of a searchable length (a 422 naming each one that is not),
/// so neither database is handed text it cannot compare. (District and
/// office are checked against the reference data.)
fn filters_are_clean(params: &ListParams) -> Result<(), ApiError> {
    let filters = [
        ("state", &params.state, limit::ACCOUNT),
        ("assignee", &params.assignee, limit::ACCOUNT),
        ("name", &params.name, limit::SEARCH),
        ("register_number", &params.register_number, limit::ACCOUNT),
        ("national_number", &params.national_number, limit::ACCOUNT),
        ("cursor", &params.cursor, limit::SEARCH),
    ];
    let problems: Vec<_> = filters
        .into_iter()
        .filter_map(|(field, value, max)| {
            let value = value.as_deref()?;
            check_text(field, value, Lines::One, max).err()
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(crate::app::AppError::Invalid(problems).into())
    }
}

fn limit_of(limit: Option<u64>) -> Result<u64, ApiError> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=200).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::bad_request(
            "invalid_limit",
            problems::limit_between(200),
        )),
    }
}

fn summaries(items: Vec<CaseSummary>) -> Vec<CaseSummaryView> {
    items
        .into_iter()
        .map(|c| CaseSummaryView {
            reference: c.reference,
            district: c.district,
            district_label: c.district_label,
            office: c.office,
            office_label: c.office_label,
            state: c.state,
            assignee: c.assignee,
            submitted_on: c.submitted_on,
            due_on: c.due_on,
            overdue: c.overdue,
            version: c.version,
            head_name: c.head_name,
            display_name: c.display_name,
            days_in_state: c.days_in_state,
            returned: c.returned.map(|r| ReturnedView {
                by: r.by,
                at: r.at,
                reason: r.reason,
            }),
        })
        .collect()
}

/// The page a `cursor` parameter names. A cursor of the documented shape
/// that names no real day is a field error (422), like any other value the
/// schema cannot rule out.
fn cursor_of(text: Option<&str>) -> Result<Option<Cursor>, ApiError> {
    let Some(text) = text else {
        return Ok(None);
    };
    Cursor::parse(text).map(Some).ok_or_else(|| {
        ApiError::from(crate::app::AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said("cursor", problems::BAD_CURSOR),
        ]))
    })
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
        (status = 422, description = "A cursor this API did not give (listed in `errors`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_applications(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<ListParams>,
) -> Result<Json<CaseList>, ApiError> {
    let limit = limit_of(params.limit)?;
    filters_are_clean(&params)?;
    let sort = match params.sort.as_deref() {
        None => SortKey::Age,
        Some(text) => SortKey::parse(text)
            .ok_or_else(|| ApiError::bad_request("invalid_sort", problems::BAD_SORT.text()))?,
    };
    let after = cursor_of(params.cursor.as_deref())?;
    let name_parts = match params.name.as_deref() {
        None => Vec::new(),
        Some(name) if normalise_for_search(name).is_empty() => Vec::new(),
        Some(name) => {
            let parts = parts_queries(name);
            if parts.is_empty() {
                return Err(ApiError::bad_request(
                    "invalid_name",
                    problems::too_many_name_words(MAX_SEARCH_WORDS),
                ));
            }
            parts
        }
    };
    let query = ListQuery {
        state: params.state,
        district: params.district,
        office: params.office,
        assignee: params.assignee,
        overdue: params.overdue.unwrap_or(false),
        name_parts,
        register_number: params.register_number,
        national_number: params.national_number,
        sort,
        after,
        limit,
    };
    let page = lists::list(&state.engine, &actor, query, Utc::now()).await?;
    Ok(Json(CaseList {
        items: summaries(page.items),
        next_cursor: page.next.map(Cursor::to_text),
    }))
}

/// The caller's work queue: the cases in the states the caller works (the
/// definition's `worked_by`: the roles whose action moves a case on), in
/// the caller's district, most overdue first, with cursor pages.
#[utoipa::path(
    get, path = "/api/queue", tag = "work queue",
    params(QueueParams),
    responses(
        (status = 200, description = "A page of the queue", body = CaseList),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to read cases", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A state the caller does not work, an unknown office or a cursor this API did not give (listed in `errors`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn queue(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<QueueParams>,
) -> Result<Json<CaseList>, ApiError> {
    let limit = limit_of(params.limit)?;
    if let Some(value) = &params.state {
        check_text("state", value, Lines::One, limit::ACCOUNT)
            .map_err(|e| ApiError::from(crate::app::AppError::Invalid(vec![e])))?;
    }
    let holder = match params.assigned.as_deref() {
        None => Holder::Anyone,
        Some("me") => Holder::Me,
        Some("unassigned") => Holder::Nobody,
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_assigned",
                problems::BAD_ASSIGNED.text(),
            ));
        }
    };
    let query = QueueQuery {
        order: lists::QueueOrder::MostOverdue,
        state: params.state,
        office: params.office,
        overdue: params.overdue.unwrap_or(false),
        holder,
        after: cursor_of(params.cursor.as_deref())?,
        limit,
    };
    let page = lists::queue(&state.engine, &actor, query, Utc::now()).await?;
    Ok(Json(CaseList {
        items: summaries(page.items),
        next_cursor: page.next.map(Cursor::to_text),
    }))
}

async fn assignment(
    state: &AppState,
    actor: &crate::workflow::Actor,
    reference: &str,
    expected: Option<i64>,
    assignment: Assignment,
) -> Result<Response, ApiError> {
    check_reference(reference)?;
    let outcome = assign::assign(
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
        ("If-Match" = Option<String>, Header, description = "The version from the ETag, quoted: `\"7\"` (or `W/\"7\"`; a bare `7` is also taken)", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
    ),
    responses(
        (status = 200, description = "Claimed", body = CommandResult),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed (a role, or a separation-of-duties rule that keeps the officer from the work of the case's state: `separation_of_duties`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No role of the caller's works the case's state (a supervisor whose roles work none takes a case over only by acting on it, or assigns it), or another officer holds the case (`held_by_another`, naming them; a supervisor may take it over)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn claim(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    IfMatch(expected): IfMatch,
) -> Result<Response, ApiError> {
    assignment(&state, &actor, &reference, expected, Assignment::Claim).await
}

/// Assign a case to a user (supervisors).
#[utoipa::path(
    post, path = "/api/applications/{reference}/assign", tag = "work queue",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag, quoted: `\"7\"` (or `W/\"7\"`; a bare `7` is also taken)", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
    ),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "Assigned", body = CommandResult),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a supervisor, or a separation-of-duties rule keeps the officer from the work of the case's state (`separation_of_duties`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No role of the officer's works the case's state (`state_not_worked_by_assignee`, naming the roles that do): a hold follows the work", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, or no active officer of that name in the case's district", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn assign(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    IfMatch(expected): IfMatch,
    ApiJson(request): ApiJson<AssignRequest>,
) -> Result<Response, ApiError> {
    assignment(
        &state,
        &actor,
        &reference,
        expected,
        Assignment::AssignTo(request.user),
    )
    .await
}

/// Release a case back to the queue (its assignee or a supervisor).
#[utoipa::path(
    post, path = "/api/applications/{reference}/release", tag = "work queue",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag, quoted: `\"7\"` (or `W/\"7\"`; a bare `7` is also taken)", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
    ),
    responses(
        (status = 200, description = "Released", body = CommandResult),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither the assignee nor a supervisor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn release(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    IfMatch(expected): IfMatch,
) -> Result<Response, ApiError> {
    assignment(&state, &actor, &reference, expected, Assignment::Release).await
}
