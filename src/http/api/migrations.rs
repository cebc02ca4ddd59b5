//! Workflow migrations for admins: the plan of moving running cases to a
//! newer version with its built-in map, and applying it a slice at a time
//! (a client calls apply until `more` is false).

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::app::migration::{self, MigrationRequest, Plan};
use crate::domain::words::problems;
use crate::http::AppState;
use crate::http::extract::{ApiJson, Caller};
use crate::http::problem::{ApiError, Problem};

/// Which cases to move, from which version to which.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MigrationBody {
    /// The version cases move from, `name.vN`.
    #[schema(example = "naturalization-family.v1", max_length = 100)]
    pub from: String,
    /// The version they move to, `name.vN` (a built-in map must join them).
    #[schema(example = "naturalization-family.v2", max_length = 100)]
    pub to: String,
    /// Only cases in this state of the old version.
    #[schema(max_length = 100)]
    pub state: Option<String>,
    /// Only cases of this district.
    #[schema(max_length = 100)]
    pub district: Option<String>,
    /// Apply only: at most this many cases moved by this request, 1 to
    /// 5,000 (default 500).
    #[schema(minimum = 1, maximum = 5000)]
    pub limit: Option<u64>,
}

fn request(body: MigrationBody, limit: Option<u64>) -> Result<MigrationRequest, ApiError> {
    for text in [
        Some(&body.from),
        Some(&body.to),
        body.state.as_ref(),
        body.district.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if text.chars().count() > 100 {
            return Err(ApiError::bad_request(
                "invalid_migration",
                problems::MIGRATION_VALUE_TOO_LONG.text(),
            ));
        }
    }
    Ok(MigrationRequest {
        from: body.from,
        to: body.to,
        map: None,
        state: body.state,
        district: body.district,
        batch: 500,
        limit,
    })
}

/// What a migration would do: cases and members by state → state, and
/// the cases that stay or cannot move, with why. Writes nothing (admins).
#[utoipa::path(
    post, path = "/api/migrations/plan", tag = "workflows",
    request_body = MigrationBody,
    responses(
        (status = 200, description = "The plan", body = Plan),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such definition or map", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad version, state or district", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn plan(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<MigrationBody>,
) -> Result<Json<Plan>, ApiError> {
    migration::may_migrate(&actor)?;
    let request = request(body, None)?;
    Ok(Json(migration::plan(&state.engine, &request).await?))
}

/// Moves up to `limit` cases (default 500), each with one audit event
/// "migrated" in its chain; `more` says whether to call again (admins).
#[utoipa::path(
    post, path = "/api/migrations/apply", tag = "workflows",
    request_body = MigrationBody,
    responses(
        (status = 200, description = "What moved, in the plan's shape", body = Plan),
        (status = 400, description = "Malformed body or limit", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such definition or map", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad version, state or district", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn apply(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiJson(body): ApiJson<MigrationBody>,
) -> Result<Json<Plan>, ApiError> {
    migration::may_migrate(&actor)?;
    let limit = body.limit.unwrap_or(500);
    if !(1..=5000).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            problems::limit_between(5000),
        ));
    }
    let request = request(body, Some(limit))?;
    Ok(Json(
        migration::apply(&state.engine, &request, &actor.id, |_| {}, Utc::now).await?,
    ))
}
