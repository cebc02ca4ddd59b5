//! The agency portal's routes (`/portal/v1/…`, tag "agency portal"), the
//! access log as officers and auditors read it, and the portal's
//! statistics for leadership.
//!
//! Persons are named in POST bodies, never in URLs, so they stay out of
//! request logs and proxies.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::portal::{
    self, CardState, Finding, Grant, LogQuery, PersonInput, PortalAnswer, PortalError,
    PortalRequest, PortalStatistics, Scope,
};
use crate::http::AppState;
use crate::http::applications::check_reference;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, Caller, bearer};
use crate::http::problem::{ApiError, Problem};
use crate::store::agencies::AccessRow;
use crate::workflow::definition::Labels;
use crate::workflow::machine::local_date;
use crate::workflow::refusal::Text;

/// One person as sent: by national number alone, or by register entry
/// number with birth date. Read leniently so that a wrong mix is answered
/// (and logged) as a field error; documented as [`PersonSchema`].
#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct PersonRef {
    pub national_number: Option<String>,
    pub register_number: Option<String>,
    pub birth_date: Option<String>,
}

/// A person by national number.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ByNationalNumber {
    /// Eleven digits, as on the ID card (Arabic-Indic digits accepted).
    #[schema(example = "10000007919", pattern = "^[1-9][0-9]{10}$")]
    pub national_number: String,
}

/// A person by register entry number and birth date.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ByRegisterEntry {
    /// The entry in the foreigners' register, `BOOK/ENTRY`.
    #[schema(example = "1472/31032", pattern = "^[0-9]{1,4}/[0-9]{1,6}$")]
    pub register_number: String,
    #[schema(example = "1985-04-20", format = Date)]
    pub birth_date: String,
}

/// How a person is named: one of the two forms.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PersonSchema {
    ByNationalNumber(ByNationalNumber),
    ByRegisterEntry(ByRegisterEntry),
}

impl From<PersonRef> for PersonInput {
    fn from(p: PersonRef) -> PersonInput {
        PersonInput {
            national_number: p.national_number,
            register_number: p.register_number,
            birth_date: p.birth_date,
        }
    }
}

/// A question about one person.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LookupRequest {
    /// Why the agency asks (5 to 500 characters): recorded in the access
    /// log that the person's case officers and auditors read.
    #[schema(
        required = true,
        min_length = 5,
        max_length = 500,
        example = "التحقق من الجنسية لتسجيل عقد عمل"
    )]
    #[serde(default)]
    pub purpose: Option<String>,
    #[schema(required = true, value_type = PersonSchema)]
    #[serde(default)]
    pub person: Option<PersonRef>,
}

/// A question about several persons (1 to 500, within the agency's rate
/// per minute), one purpose for all.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchRequest {
    /// Why the agency asks (5 to 500 characters).
    #[schema(required = true, min_length = 5, max_length = 500)]
    #[serde(default)]
    pub purpose: Option<String>,
    #[schema(required = true, min_items = 1, max_items = 500, value_type = Vec<PersonSchema>)]
    #[serde(default)]
    pub persons: Vec<PersonRef>,
}

/// Has the person been granted nationality.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum GrantStatus {
    /// Entered in the civil registry with a national number.
    Granted,
    /// The family's application is still being decided or carried out.
    InProgress,
}

/// The naturalization status of one person. A person not in the registers
/// and a person this agency may not see are answered alike: `found` false
/// and every other field null.
#[derive(Serialize, ToSchema)]
pub struct NaturalizationStatus {
    /// The access-log entry that recorded this answer (quote it in any
    /// follow-up with the ministry).
    pub log_entry: i64,
    pub found: bool,
    pub status: Option<GrantStatus>,
    /// The day the person was entered in the civil registry.
    pub granted_on: Option<NaiveDate>,
    /// The state of the family's application, e.g. `card_issuance`.
    pub application_state: Option<String>,
    pub application_state_label: Option<Labels>,
}

/// Where the person's ID card is.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum CardStatusKind {
    NotIssued,
    InProduction,
    ReadyForCollection,
    Issued,
}

/// The ID-card status of one person; not found and not visible are
/// answered alike (`found` false, every other field null).
#[derive(Serialize, ToSchema)]
pub struct CardStatus {
    pub log_entry: i64,
    pub found: bool,
    pub card: Option<CardStatusKind>,
    /// Only once the card is issued (handed over).
    pub card_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct NaturalizationStatusAnswer {
    pub agency: String,
    pub result: NaturalizationStatus,
}

#[derive(Serialize, ToSchema)]
pub struct NaturalizationStatusBatch {
    pub agency: String,
    /// One per person, in the order asked.
    pub results: Vec<NaturalizationStatus>,
}

#[derive(Serialize, ToSchema)]
pub struct CardStatusAnswer {
    pub agency: String,
    pub result: CardStatus,
}

#[derive(Serialize, ToSchema)]
pub struct CardStatusBatch {
    pub agency: String,
    /// One per person, in the order asked.
    pub results: Vec<CardStatus>,
}

fn naturalization(entry: i64, finding: Finding) -> NaturalizationStatus {
    match finding {
        Finding::Naturalization {
            status,
            granted_on,
            application_state,
            application_state_labels,
        } => NaturalizationStatus {
            log_entry: entry,
            found: true,
            status: Some(match status {
                Grant::Granted => GrantStatus::Granted,
                Grant::InProgress => GrantStatus::InProgress,
            }),
            granted_on,
            application_state: Some(application_state),
            application_state_label: Some(application_state_labels),
        },
        _ => NaturalizationStatus {
            log_entry: entry,
            found: false,
            status: None,
            granted_on: None,
            application_state: None,
            application_state_label: None,
        },
    }
}

fn card(entry: i64, finding: Finding) -> CardStatus {
    match finding {
        Finding::Card {
            status,
            card_number,
            issued_on,
        } => CardStatus {
            log_entry: entry,
            found: true,
            card: Some(match status {
                CardState::NotIssued => CardStatusKind::NotIssued,
                CardState::InProduction => CardStatusKind::InProduction,
                CardState::ReadyForCollection => CardStatusKind::ReadyForCollection,
                CardState::Issued => CardStatusKind::Issued,
            }),
            card_number,
            issued_on,
        },
        _ => CardStatus {
            log_entry: entry,
            found: false,
            card: None,
            card_number: None,
            issued_on: None,
        },
    }
}

impl From<PortalError> for ApiError {
    fn from(error: PortalError) -> ApiError {
        match error {
            PortalError::Unauthorized => {
                let mut api = ApiError::unauthorized();
                api.set_detail(Text::new(
                    "أرسل مفتاح جهة صالحاً في الترويسة Authorization: Bearer (المفتاح غير معروف أو ملغى أو منتهي الصلاحية)",
                    "send a valid agency key in the header Authorization: Bearer (the key is unknown, revoked or expired)",
                ));
                api
            }
            PortalError::ScopeNotGranted(scope) => ApiError::new(
                StatusCode::FORBIDDEN,
                "scope_not_granted",
                Text::new("غير مسموح", "Forbidden"),
                Text::new(
                    format!("لم يُمنح مفتاح هذه الجهة نطاق {scope}"),
                    format!("this agency's key is not granted the scope {scope}"),
                ),
            ),
            PortalError::Invalid(errors) => crate::app::AppError::Invalid(errors).into(),
            PortalError::RateLimited { retry_after } => ApiError::too_many_requests(retry_after),
            PortalError::App(error) => error.into(),
        }
    }
}

/// Asks the portal and shapes each finding with its log entry, in order.
async fn ask<T>(
    state: &AppState,
    headers: &HeaderMap,
    scope: Scope,
    (purpose, persons): (Option<String>, Vec<PersonInput>),
    batch: bool,
    shape: fn(i64, Finding) -> T,
) -> Result<(String, Vec<T>), ApiError> {
    let PortalAnswer {
        agency,
        entries,
        findings,
    } = portal::query(
        &state.engine,
        &state.limiter,
        bearer(headers),
        PortalRequest {
            scope,
            purpose,
            persons,
            batch,
        },
        Utc::now(),
    )
    .await?;
    Ok((
        agency,
        entries
            .into_iter()
            .zip(findings)
            .map(|(e, f)| shape(e, f))
            .collect(),
    ))
}

/// The one answer of a single lookup.
fn only<T>(results: Vec<T>) -> Result<T, ApiError> {
    results.into_iter().next().ok_or_else(|| {
        crate::app::AppError::Unexpected("a lookup without its answer".into()).into()
    })
}

fn single(request: LookupRequest) -> (Option<String>, Vec<PersonInput>) {
    (
        request.purpose,
        vec![request.person.unwrap_or_default().into()],
    )
}

fn many(request: BatchRequest) -> (Option<String>, Vec<PersonInput>) {
    (
        request.purpose,
        request.persons.into_iter().map(PersonInput::from).collect(),
    )
}

/// Has this person been granted nationality, since when, and in which state
/// is the family's application (scope `naturalization-status`).
#[utoipa::path(
    post, path = "/portal/v1/naturalization-status", tag = "agency portal",
    request_body = LookupRequest,
    responses(
        (status = 200, description = "The answer (found or not), logged", body = NaturalizationStatusAnswer),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No key, or an unknown, revoked or expired one", body = Problem, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String, description = "Bearer"))),
        (status = 403, description = "The key's agency lacks this scope", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No purpose, or the person badly named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The agency's rate limit is reached", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(("agency_key" = []))
)]
pub async fn naturalization_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LookupRequest>,
) -> Result<Json<NaturalizationStatusAnswer>, ApiError> {
    let (agency, results) = ask(
        &state,
        &headers,
        Scope::NaturalizationStatus,
        single(request),
        false,
        naturalization,
    )
    .await?;
    Ok(Json(NaturalizationStatusAnswer {
        agency,
        result: only(results)?,
    }))
}

/// The naturalization status of up to 500 persons in one request.
#[utoipa::path(
    post, path = "/portal/v1/naturalization-status/batch", tag = "agency portal",
    request_body = BatchRequest,
    responses(
        (status = 200, description = "One answer per person, in order, each logged", body = NaturalizationStatusBatch),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No key, or an unknown, revoked or expired one", body = Problem, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String, description = "Bearer"))),
        (status = 403, description = "The key's agency lacks this scope", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No purpose, too many persons, or a person badly named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The agency's rate limit is reached", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(("agency_key" = []))
)]
pub async fn naturalization_status_batch(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BatchRequest>,
) -> Result<Json<NaturalizationStatusBatch>, ApiError> {
    let (agency, results) = ask(
        &state,
        &headers,
        Scope::NaturalizationStatus,
        many(request),
        true,
        naturalization,
    )
    .await?;
    Ok(Json(NaturalizationStatusBatch { agency, results }))
}

/// Has this person's ID card been issued, and its number (scope
/// `card-status`).
#[utoipa::path(
    post, path = "/portal/v1/card-status", tag = "agency portal",
    request_body = LookupRequest,
    responses(
        (status = 200, description = "The answer (found or not), logged", body = CardStatusAnswer),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No key, or an unknown, revoked or expired one", body = Problem, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String, description = "Bearer"))),
        (status = 403, description = "The key's agency lacks this scope", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No purpose, or the person badly named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The agency's rate limit is reached", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(("agency_key" = []))
)]
pub async fn card_status(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LookupRequest>,
) -> Result<Json<CardStatusAnswer>, ApiError> {
    let (agency, results) = ask(
        &state,
        &headers,
        Scope::CardStatus,
        single(request),
        false,
        card,
    )
    .await?;
    Ok(Json(CardStatusAnswer {
        agency,
        result: only(results)?,
    }))
}

/// The ID-card status of up to 500 persons in one request.
#[utoipa::path(
    post, path = "/portal/v1/card-status/batch", tag = "agency portal",
    request_body = BatchRequest,
    responses(
        (status = 200, description = "One answer per person, in order, each logged", body = CardStatusBatch),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No key, or an unknown, revoked or expired one", body = Problem, content_type = "application/problem+json",
            headers(("WWW-Authenticate" = String, description = "Bearer"))),
        (status = 403, description = "The key's agency lacks this scope", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No purpose, too many persons, or a person badly named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The agency's rate limit is reached", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    security(("agency_key" = []))
)]
pub async fn card_status_batch(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<BatchRequest>,
) -> Result<Json<CardStatusBatch>, ApiError> {
    let (agency, results) = ask(
        &state,
        &headers,
        Scope::CardStatus,
        many(request),
        true,
        card,
    )
    .await?;
    Ok(Json(CardStatusBatch { agency, results }))
}

// ---------------------------------------------------------------------------
// The access log.

/// One entry of the access log: one person named in one agency's request.
#[derive(Serialize, ToSchema)]
pub struct AccessEntry {
    pub id: i64,
    pub agency: String,
    /// The entry's place in the agency's hash chain.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The key used, by its public prefix (`ag_1a2b3c4d`).
    pub key: String,
    pub scope: String,
    /// The person as the agency named them: `NN <national number>` or
    /// `REG <register number> <birth date>`.
    pub subject: String,
    pub purpose: String,
    /// `answered`, `no_record`, `not_visible` (answered as not found),
    /// `key_revoked`, `key_expired`, `scope_not_granted`, `invalid_request`
    /// or `rate_limited`.
    pub result: String,
    /// The application of the person found, if any.
    pub reference: Option<String>,
    /// The member's number within the family.
    pub member: Option<i32>,
    pub hash: String,
}

impl From<AccessRow> for AccessEntry {
    fn from(row: AccessRow) -> AccessEntry {
        AccessEntry {
            id: row.id,
            agency: row.agency,
            seq: row.seq,
            at: row.at,
            key: row.draft.key_prefix,
            scope: row.draft.scope,
            subject: row.draft.subject,
            purpose: row.draft.purpose,
            result: row.draft.result,
            reference: row.reference,
            member: row.draft.member_ordinal,
            hash: row.hash,
        }
    }
}

/// A page of the access log, newest first.
#[derive(Serialize, ToSchema)]
pub struct AccessPage {
    pub items: Vec<AccessEntry>,
    /// Pass as `before` for the next page; absent on the last one.
    pub next_before: Option<i64>,
}

fn page(rows: Vec<AccessRow>, limit: u64) -> AccessPage {
    let next_before = if rows.len() as u64 >= limit {
        rows.last().map(|r| r.id)
    } else {
        None
    };
    AccessPage {
        items: rows.into_iter().map(AccessEntry::from).collect(),
        next_before,
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseAccessParams {
    /// Entries older than this id (from `next_before`).
    pub before: Option<i64>,
    /// 1 to 500 (default 100).
    pub limit: Option<u64>,
}

/// The agencies' reads of this application's members, newest first: for
/// the officers who may read the case, and auditors.
#[utoipa::path(
    get, path = "/api/applications/{reference}/agency-access", tag = "agency portal",
    params(("reference" = String, Path, description = "e.g. HSK-2011-000123"), CaseAccessParams),
    responses(
        (status = 200, description = "The access-log entries", body = AccessPage),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to read this case", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn case_access(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
    ApiQuery(params): ApiQuery<CaseAccessParams>,
) -> Result<Json<AccessPage>, ApiError> {
    check_reference(&reference)?;
    let limit = params.limit.unwrap_or(100).clamp(1, portal::MAX_PAGE);
    let rows =
        portal::access_of_case(&state.engine, &reference, &actor, params.before, limit).await?;
    Ok(Json(page(rows, limit)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AccessLogParams {
    /// Only this agency.
    pub agency: Option<String>,
    /// Only this result, e.g. `rate_limited`.
    pub result: Option<String>,
    /// From this moment (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Before this moment (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// Entries older than this id (from `next_before`).
    pub before: Option<i64>,
    /// 1 to 500 (default 100).
    pub limit: Option<u64>,
}

/// The whole access log, newest first, for auditors and administrators.
#[utoipa::path(
    get, path = "/api/agency-access", tag = "agency portal",
    params(AccessLogParams),
    responses(
        (status = 200, description = "The access-log entries", body = AccessPage),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an auditor or administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such agency", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown result", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn access_log(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<AccessLogParams>,
) -> Result<Json<AccessPage>, ApiError> {
    let limit = params.limit.unwrap_or(100).clamp(1, portal::MAX_PAGE);
    let rows = portal::access_log(
        &state.engine,
        &actor,
        LogQuery {
            agency: params.agency.filter(|a| !a.is_empty()),
            result: params.result.filter(|r| !r.is_empty()),
            from: params.from,
            until: params.until,
            before_id: params.before,
            limit,
        },
    )
    .await?;
    Ok(Json(page(rows, limit)))
}

// ---------------------------------------------------------------------------
// Statistics.

/// Persons asked about by one agency (on one day, or over the period).
#[derive(Serialize, ToSchema)]
pub struct AgencyCount {
    pub agency: String,
    /// The day, for daily rows; the period's first day otherwise.
    pub day: NaiveDate,
    /// Every person named, answered or refused.
    pub queries: i64,
    /// Answered, found or not.
    pub answered: i64,
    /// Refused: bad key, scope not granted, invalid request or rate limit.
    pub refused: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NamedCount {
    pub name: String,
    pub count: i64,
}

/// The portal's use: counts only, never a person.
#[derive(Serialize, ToSchema)]
pub struct PortalStats {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Per agency per day.
    pub days: Vec<AgencyCount>,
    /// Per agency over the period, busiest first.
    pub agencies: Vec<AgencyCount>,
    /// Persons asked about per scope, busiest first.
    pub scopes: Vec<NamedCount>,
    /// Refusals by kind, most frequent first.
    pub refusals: Vec<NamedCount>,
}

impl From<PortalStatistics> for PortalStats {
    fn from(s: PortalStatistics) -> PortalStats {
        let count = |d: portal::AgencyDay| AgencyCount {
            agency: d.agency,
            day: d.day,
            queries: d.queries,
            answered: d.answered,
            refused: d.refused,
        };
        let named = |(name, count): (String, i64)| NamedCount { name, count };
        PortalStats {
            from: s.from,
            to: s.to,
            days: s.days.into_iter().map(count).collect(),
            agencies: s.agencies.into_iter().map(count).collect(),
            scopes: s.scopes.into_iter().map(named).collect(),
            refusals: s.refusals.into_iter().map(named).collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PortalStatsParams {
    /// First day (default: 29 days before `to`).
    pub from: Option<NaiveDate>,
    /// Last day, inclusive (default: today).
    pub to: Option<NaiveDate>,
    /// Accepted for the dashboard's links and ignored: agencies ask about
    /// the whole country, so the portal's counts are national.
    pub district: Option<String>,
    /// `json` (default) or `csv` (the daily rows).
    pub format: Option<crate::http::stats::Format>,
}

impl crate::http::stats::Csv for PortalStats {
    fn header(&self) -> Vec<&'static str> {
        vec!["day", "agency", "queries", "answered", "refused"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.days
            .iter()
            .map(|d| {
                vec![
                    d.day.to_string(),
                    d.agency.clone(),
                    d.queries.to_string(),
                    d.answered.to_string(),
                    d.refused.to_string(),
                ]
            })
            .collect()
    }
}

/// The period asked for, defaulting to the last 30 days.
pub fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let to = to.unwrap_or_else(|| local_date(Utc::now()));
    let from = from.unwrap_or(to - Duration::days(29));
    if from > to {
        return Err(ApiError::bad_request(
            "invalid_period",
            Text::new("يجب ألا يكون from بعد to", "from must not be after to"),
        ));
    }
    if (to - from).num_days() > 3660 {
        return Err(ApiError::bad_request(
            "invalid_period",
            Text::new(
                "الفترة أطول من عشر سنوات",
                "the period is longer than ten years",
            ),
        ));
    }
    Ok((from, to))
}

/// Queries per agency per day, refusals and the busiest scopes: for
/// leadership, supervisors and auditors. Counts only.
#[utoipa::path(
    get, path = "/api/statistics/agencies", tag = "statistics",
    params(PortalStatsParams),
    responses(
        (status = 200, description = "The portal's use (JSON, or the daily rows as CSV with format=csv)", content(
            (PortalStats = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not leadership, a supervisor or an auditor", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn statistics(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<PortalStatsParams>,
) -> Result<axum::response::Response, ApiError> {
    let (from, to) = period(params.from, params.to)?;
    let stats = portal::statistics(&state.engine, &actor, from, to).await?;
    Ok(crate::http::stats::respond(
        PortalStats::from(stats),
        params.format,
        "agencies",
    ))
}
