//! `GET /api/statistics/what-if`: when today's backlog clears if officers
//! are added to (or moved away from) a district, or card offices opened
//! there, beside the forecast as things are. Leadership and supervisors,
//! as every statistic. Moving away more officers than the district has is
//! a 422 of its own (`more_officers_than_present`).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;

use axum::http::StatusCode;

use crate::app::stats::{self, StatsQuery, WhatIf, WhatIfError, WhatIfQuery};
use crate::domain::language::Digits;
use crate::http::AppState;
use crate::http::api::stats::scope_for;
use crate::http::extract::{ApiQuery, Caller};
use crate::http::pages::dashboard::whatif::too_few_officers;
use crate::http::pages::words::dashboard as words;
use crate::http::problem::{ApiError, Problem};

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
    #[param(minimum = -200, maximum = 200)]
    pub add: Option<i64>,
    /// New card offices opened in the district, between 0 and 20.
    #[param(minimum = 0, maximum = 20)]
    pub card_offices: Option<i64>,
    /// The simulation's seed (the same seed gives the same answer).
    #[param(minimum = 0)]
    pub seed: Option<i32>,
}

impl WhatIfParams {
    pub fn query(&self) -> WhatIfQuery {
        WhatIfQuery {
            role: self.role.clone().filter(|r| !r.is_empty()),
            district: self.district.clone().filter(|d| !d.is_empty()),
            add: self.add.unwrap_or(0),
            card_offices: self.card_offices.unwrap_or(0),
            seed: self.seed.map(|s| s.max(0) as u64),
        }
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
        (status = 400, description = "A query not understood: not a number, or an unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not leadership or a supervisor, or another district", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An unknown workflow, role or district, a number out of range, or a change without a role or a place: `errors` names the field; code `more_officers_than_present`: more officers moved away than worked in the district in the weeks the forecast reads (`errors` names `add`)", body = Problem, content_type = "application/problem+json"),
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
    if params.seed.is_some_and(|s| s < 0) {
        return Err(crate::app::AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said(
                "seed",
                crate::domain::words::problems::NEGATIVE_SEED,
            ),
        ])
        .into());
    }
    // A change that cannot be worked out is a 422 naming its field.
    let answer = stats::what_if(&state.engine, &scope, &params.query())
        .await
        .map_err(problem)?;
    Ok(Json(answer))
}

/// The what-if's refusal as a problem: more officers moved away than the
/// district has is a 422 of its own, naming `add`.
fn problem(error: WhatIfError) -> ApiError {
    match error {
        WhatIfError::App(error) => error.into(),
        WhatIfError::TooFewOfficers(too_few) => {
            let field = too_few_officers(&too_few, Digits::Western);
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "more_officers_than_present",
                words::THIS_CHANGE_CANNOT_BE_WORKED_OUT.text(),
                crate::domain::language::Text::new(field.message_ar.clone(), field.message.clone()),
            )
            .with_errors(vec![field])
        }
    }
}
