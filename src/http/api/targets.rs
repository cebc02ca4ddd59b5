//! The targets leadership steers by: read with where each stands
//! (leadership, supervisors, and admins, who set them), set and removed by
//! admins. Counts only, never a name.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::stats::{self, StatsQuery, Target, TargetRequest, Targets};
use crate::http::AppState;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};
use crate::workflow::machine::local_date;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TargetParams {
    /// Where the targets stand in this district only (a caller bound to a
    /// district always sees its own).
    pub district: Option<String>,
    /// And this office.
    pub office: Option<String>,
}

/// Every target with where it stands today: met, on track or behind, with
/// the figure (leadership, supervisors, admins).
#[utoipa::path(
    get, path = "/api/statistics/targets", tag = "statistics",
    params(TargetParams),
    responses(
        (status = 200, description = "The targets and where they stand", body = Targets),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not leadership, a supervisor or an admin, or another district", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A district or office that is not in the places file", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_targets(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<TargetParams>,
) -> Result<Json<Targets>, ApiError> {
    let query = StatsQuery {
        district: params.district.filter(|d| !d.is_empty()),
        office: params.office.filter(|o| !o.is_empty()),
        ..StatsQuery::default()
    };
    Ok(Json(
        stats::targets(&state.engine, &actor, &query, local_date(Utc::now())).await?,
    ))
}

/// Sets a target, new or replacing the one of that name (admins). For
/// example `{"kind": "closed_by", "received_before": "2026-01-01",
/// "deadline": "2027-06-30"}` or `{"kind": "within_time_limit",
/// "percent": 90}`.
#[utoipa::path(
    put, path = "/api/statistics/targets/{name}", tag = "statistics",
    params(("name" = String, Path, description = "The target's short name: 1 to 64 of a-z, digits, '-' and '_'", max_length = 64, pattern = r"^[a-z0-9][a-z0-9_-]{0,63}$")),
    request_body = TargetRequest,
    responses(
        (status = 200, description = "The target, replaced", body = Target),
        (status = 201, description = "The target, new", body = Target),
        (status = 400, description = "Not JSON, or an undecodable name", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A body that does not match the schema; a field missing, not taken by this kind of target, or out of range (listed in `errors`); a name that is not a target's name; an unknown workflow", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn put_target(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(name): ApiPath<String>,
    ApiJson(body): ApiJson<TargetRequest>,
) -> Result<Response, ApiError> {
    let (target, new) = stats::put_target(&state.engine, &actor, &name, body, Utc::now()).await?;
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(target)).into_response())
}

/// Removes a target (admins).
#[utoipa::path(
    delete, path = "/api/statistics/targets/{name}", tag = "statistics",
    params(("name" = String, Path, description = "The target's short name", max_length = 64)),
    responses(
        (status = 204, description = "Removed"),
        (status = 400, description = "Bad name", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No target of that name", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a target's name", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn remove_target(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(name): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    stats::remove_target(&state.engine, &actor, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}
