//! The portal's use for leadership, supervisors and auditors: counts per
//! agency and day, the busiest scopes and the refusals, as JSON or CSV.

use axum::extract::State;
use chrono::{Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::AppError;
use crate::app::portal::{self, PortalStatistics};
use crate::domain::field_error::FieldError;
use crate::domain::words::portal as portal_words;
use crate::http::AppState;
use crate::http::extract::{ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};
use crate::workflow::machine::local_date;

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
    /// First day (default: 29 days before `to`); not after `to`, and at
    /// most 3660 days (ten years) before it.
    pub from: Option<NaiveDate>,
    /// Last day, inclusive (default: today).
    pub to: Option<NaiveDate>,
    /// Accepted for the dashboard's links and ignored: agencies ask about
    /// the whole country, so the portal's counts are national.
    pub district: Option<String>,
    /// `json` (default) or `csv` (the daily rows).
    #[param(inline)]
    pub format: Option<crate::http::api::stats::Format>,
}

impl crate::http::api::stats::Csv for PortalStats {
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

/// The longest period the portal's statistics take: ten years.
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// The period asked for, defaulting to the last 30 days.
pub fn period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let to = to.unwrap_or_else(|| local_date(Utc::now()));
    let from = from.unwrap_or(to - Duration::days(29));
    let refuse = |words| ApiError::from(AppError::Invalid(vec![FieldError::said("from", words)]));
    if from > to {
        return Err(refuse(portal_words::FROM_AFTER_TO));
    }
    if (to - from).num_days() > MAX_PERIOD_DAYS {
        return Err(refuse(portal_words::PERIOD_TOO_LONG));
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
        (status = 422, description = "The period is reversed or longer than ten years (listed in `errors`)", body = Problem, content_type = "application/problem+json"),
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
    Ok(crate::http::api::stats::respond(
        PortalStats::from(stats),
        params.format,
        "agencies",
    ))
}
