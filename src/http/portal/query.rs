//! The four portal routes (naturalization status and card status, for one
//! person or a batch), their request bodies, and the portal's refusals as
//! problems.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::app::portal::{
    self, Finding, PersonInput, PortalAnswer, PortalError, PortalRequest, Scope,
};
use crate::domain::words::{portal as portal_words, problems};
use crate::http::AppState;
use crate::http::extract::ApiJson;
use crate::http::portal::answer::{
    CardStatusAnswer, CardStatusBatch, NaturalizationStatusAnswer, NaturalizationStatusBatch, card,
    naturalization,
};
use crate::http::problem::{ApiError, Problem};
use crate::http::session::bearer;

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
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$",
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
    #[schema(
        required = true,
        min_length = 5,
        max_length = 500,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    #[serde(default)]
    pub purpose: Option<String>,
    #[schema(required = true, min_items = 1, max_items = 500, value_type = Vec<PersonSchema>)]
    #[serde(default)]
    pub persons: Vec<PersonRef>,
}

impl From<PortalError> for ApiError {
    fn from(error: PortalError) -> ApiError {
        match error {
            PortalError::Unauthorized => {
                let mut api = ApiError::unauthorized();
                api.set_detail(portal_words::SEND_A_VALID_KEY.text());
                api
            }
            PortalError::ScopeNotGranted(scope) => ApiError::new(
                StatusCode::FORBIDDEN,
                "scope_not_granted",
                problems::FORBIDDEN.text(),
                portal_words::scope_not_granted(scope),
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
    results
        .into_iter()
        .next()
        .ok_or_else(|| crate::app::AppError::unexpected("a lookup without its answer").into())
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
