//! The outbox for operators: list, and retry failed mail.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::outbox;
use crate::domain::words::problems;
use crate::http::AppState;
use crate::http::extract::{ApiPath, ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};

#[derive(Serialize, ToSchema)]
pub struct OutboxEntry {
    pub id: i64,
    /// `email`, `notify` or `open_card_task`.
    pub kind: String,
    /// `pending`, `sending`, `sent`, `failed` or `skipped`.
    pub status: String,
    pub recipient: Option<String>,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OutboxParams {
    /// Only rows with this status.
    pub status: Option<String>,
    /// 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct Requeued {
    pub requeued: u64,
}

/// The mail outbox, newest first (supervisors and admins).
#[utoipa::path(
    get, path = "/api/outbox", tag = "outbox",
    params(OutboxParams),
    responses(
        (status = 200, description = "The mail, newest first", body = Vec<OutboxEntry>),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a supervisor or admin", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_outbox(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<OutboxParams>,
) -> Result<Json<Vec<OutboxEntry>>, ApiError> {
    outbox::may_operate(&actor)?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request(
            "invalid_limit",
            problems::limit_between(500),
        ));
    }
    let rows = outbox::list(&state.engine, params.status.as_deref(), limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| OutboxEntry {
                id: r.id,
                kind: r.kind,
                status: r.status,
                recipient: r.recipient,
                attempts: r.attempts,
                created_at: r.created_at,
                next_attempt_at: r.next_attempt_at,
                sent_at: r.sent_at,
                last_error: r.last_error,
            })
            .collect(),
    ))
}

/// Put a failed mail back in the queue (supervisors and admins).
#[utoipa::path(
    post, path = "/api/outbox/{id}/retry", tag = "outbox",
    params(("id" = i64, Path, description = "The outbox row")),
    responses(
        (status = 200, description = "The mail is queued again", body = Requeued),
        (status = 400, description = "Bad id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a supervisor or admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No failed mail with this id", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn retry_outbox(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Requeued>, ApiError> {
    outbox::may_operate(&actor)?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad_request("invalid_id", problems::ID_NOT_WHOLE.text()))?;
    let requeued = outbox::retry(&state.engine, Some(id), Utc::now()).await?;
    if requeued == 0 {
        return Err(ApiError::not_found(
            crate::domain::words::problems::no_failed_mail(id),
        ));
    }
    Ok(Json(Requeued { requeued }))
}
