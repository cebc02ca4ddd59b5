//! The access log as officers read it for one case and auditors read it
//! whole, a page at a time, newest first.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::portal::{self, AccessRecord, LogQuery};
use crate::http::AppState;
use crate::http::api::applications::check_reference;
use crate::http::extract::{ApiPath, ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};

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
    /// For a request refused as a whole, logged as one entry: how many
    /// persons it named (its `subject` is the person when it named one,
    /// else `N persons`).
    pub persons: Option<i32>,
    pub hash: String,
}

impl From<AccessRecord> for AccessEntry {
    fn from(record: AccessRecord) -> AccessEntry {
        AccessEntry {
            id: record.id,
            agency: record.agency,
            seq: record.seq,
            at: record.at,
            key: record.key_prefix,
            scope: record.scope,
            subject: record.subject,
            purpose: record.purpose,
            result: record.result,
            reference: record.reference,
            member: record.member_ordinal,
            persons: record.persons,
            hash: record.hash,
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

/// A page of entries; a full page says where the next one starts.
/// The page size asked for: 1 to 500, 100 unless given.
fn page_limit(limit: Option<u64>) -> Result<u64, ApiError> {
    let limit = limit.unwrap_or(100);
    if !(1..=portal::MAX_PAGE).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            crate::domain::words::problems::limit_between(portal::MAX_PAGE),
        ));
    }
    Ok(limit)
}

fn page(rows: Vec<AccessRecord>, limit: u64) -> AccessPage {
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
    #[param(minimum = 1, maximum = 500)]
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
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
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
    let limit = page_limit(params.limit)?;
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
    #[param(minimum = 1, maximum = 500)]
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
    let limit = page_limit(params.limit)?;
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
