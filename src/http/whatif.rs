//! `GET /api/statistics/what-if`: when today's backlog clears if officers
//! are added to (or moved away from) a district, or card offices opened
//! there, beside the forecast as things are. Leadership and supervisors,
//! as every statistic.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::AppError;
use crate::app::stats::{self, StatsQuery, WhatIf, WhatIfQuery};
use crate::http::AppState;
use crate::http::extract::{ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};
use crate::http::stats::scope_for;
use crate::workflow::refusal::Text;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WhatIfParams {
    /// One workflow's figures (the default workflow's when absent).
    #[param(max_length = 100, pattern = r"^[a-z0-9_-]*$")]
    pub workflow: Option<String>,
    /// The role of the officers added or moved: a role that works a stage
    /// of the workflow (`intake_clerk`, `verifier`, `approver`,
    /// `registrar`, `card_officer`).
    pub role: Option<String>,
    /// Where the change is: a district code, or an office code (the change
    /// is then counted in its district, e.g. `amuda` in `al_qamishli`).
    pub district: Option<String>,
    /// Officers added, between -200 and 200; negative: moved away.
    pub add: Option<i64>,
    /// New card offices opened in the district, between 0 and 20.
    pub card_offices: Option<i64>,
    /// The simulation's seed (the same seed gives the same answer).
    pub seed: Option<u64>,
}

impl WhatIfParams {
    pub fn query(&self) -> WhatIfQuery {
        WhatIfQuery {
            role: self.role.clone().filter(|r| !r.is_empty()),
            district: self.district.clone().filter(|d| !d.is_empty()),
            add: self.add.unwrap_or(0),
            card_offices: self.card_offices.unwrap_or(0),
            seed: self.seed,
        }
    }
}

/// A change the what-if cannot make is the caller's mistake: 400, naming
/// the field.
pub fn bad_change(error: AppError) -> ApiError {
    match error {
        AppError::Invalid(errors) => ApiError::bad_request(
            "what_if_invalid",
            Text::new(
                "لا يمكن حساب هذا التغيير: راجع الحقول المذكورة",
                "this change cannot be worked out: see the fields named",
            ),
        )
        .with_errors(errors),
        other => other.into(),
    }
}

/// When today's backlog clears with officers added or moved, or card
/// offices opened: the P10, P50 and P90 days of the same simulation as the
/// forecast, as things are and with the change, and the stage the backlog
/// then waits in longest.
#[utoipa::path(
    get, path = "/api/statistics/what-if", tag = "statistics",
    params(WhatIfParams),
    responses(
        (status = 200, description = "The forecast as things are and with the change", body = WhatIf),
        (status = 400, description = "An unknown role or district, a number out of range, or a change without a role or a place", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not leadership or a supervisor, or another district", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown workflow", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn what_if(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<WhatIfParams>,
) -> Result<Json<WhatIf>, ApiError> {
    let scope = scope_for(
        &state,
        &actor,
        &StatsQuery {
            workflow: params.workflow.clone().filter(|w| !w.is_empty()),
            ..StatsQuery::default()
        },
    )?;
    let answer = stats::what_if(&state.engine, &scope, &params.query())
        .await
        .map_err(bad_change)?;
    Ok(Json(answer))
}
