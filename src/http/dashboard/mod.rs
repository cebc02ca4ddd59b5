//! The backlog dashboard at `/dashboard`: a page served by the binary,
//! Arabic right-to-left by default with an English switch. The page itself
//! holds no data; signed in (the same sign-in as the workbench, at
//! `/signin?next=/dashboard`) it fetches `/dashboard/panel` with the
//! session cookie, rendered here with inline SVG charts, and refreshes it
//! every minute. Nothing comes from the network.
//!
//! `mod.rs` holds the handlers; `layout` puts the panel together from the
//! KPI tiles (each with its value a week and four weeks ago), the targets
//! and the cards, `charts` draws the SVG charts (axes, values on hover, a
//! table beside each, the running week marked partial), `diagram` the
//! workflow with today's counts (mirrored right-to-left in Arabic),
//! `drill` the drill-down from a district, office, stage or age bucket,
//! `forecast` the panel's centre (the forecast card with its backtest and
//! the what-if form), `whatif` the what-if's answer page, `tables` the
//! bottleneck, workload and portal tables, and `format` writes numbers, dates and labels in the reader's language.

mod charts;
mod diagram;
mod drill;
mod forecast;
mod format;
pub mod whatif;
mod layout;
mod tables;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;

pub use self::drill::{Drill, Links};
pub use self::format::number;
pub use self::layout::render;
use crate::app::AppError;
use crate::app::stats::{
    self, Ageing, Backlog, Bottleneck, Breaches, Forecast, Headline, StatsQuery, Throughput,
    Workload,
};
use crate::domain::field_error::FieldError;
use crate::domain::language::Lang;
use crate::domain::roles::Role;
use crate::http::AppState;
use crate::http::extract::{ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};
use crate::http::session::session_of;
use crate::workflow::machine::local_date;

const PAGE: &str = include_str!("dashboard.html");

/// Where the page's sign-out button goes in, when a session is signed in.
const SIGN_OUT_SLOT: &str = "<!--signout-->";

/// The dashboard page (no data until signed in).
#[utoipa::path(
    get, path = "/dashboard", tag = "dashboard",
    responses((status = 200, description = "The dashboard page", content_type = "text/html", body = String))
)]
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    // Signed in with a session, the page carries its sign-out form (with
    // the session's anti-forgery token); a failed lookup is shown as not
    // signed in, and the panel's request says why.
    let page = match session_of(&state, &headers).await {
        Ok(Some(session)) => PAGE.replace(
            SIGN_OUT_SLOT,
            &maud::html! {
                form method="post" action="/signout" id="signout-form" {
                    input type="hidden" name="csrf_token" value=(session.csrf);
                    button type="submit" id="signout" { "خروج" }
                }
            }
            .into_string(),
        ),
        _ => PAGE.to_string(),
    };
    let mut response = Html(page).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline'; \
             img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PanelParams {
    /// `ar` (default) or `en`.
    pub lang: Option<String>,
    /// One workflow's figures (the default workflow's when absent).
    pub workflow: Option<String>,
    pub district: Option<String>,
    pub office: Option<String>,
    /// Drill into one stage (a state of the workflow): its open
    /// applications by district and office.
    #[param(max_length = 100)]
    pub state: Option<String>,
    /// Drill into one age bucket (days in the current stage: `0-7`,
    /// `8-30`, `31-90`, `91-180`, `181+`): its applications by stage.
    #[param(max_length = 10)]
    pub age: Option<String>,
}

/// The dashboard's content as an HTML fragment with inline SVG charts.
#[utoipa::path(
    get, path = "/dashboard/panel", tag = "dashboard",
    params(PanelParams),
    responses(
        (status = 200, description = "The panel", content_type = "text/html", body = String),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token, and no signed-in session", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not leadership or a supervisor, or another district", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A district or office that is not in the places file, a state the workflow does not have or an age bucket that does not exist (listed in `errors`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn panel(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<PanelParams>,
) -> Result<Response, ApiError> {
    let lang = match params.lang.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Ar,
    };
    let query = StatsQuery {
        workflow: params.workflow.filter(|w| !w.is_empty()),
        district: params.district.filter(|d| !d.is_empty()),
        office: params.office.filter(|o| !o.is_empty()),
        from: None,
        to: None,
    };
    let today = local_date(Utc::now());
    let scope = stats::scope(&state.engine, &actor, &query, today)?;
    let engine = &state.engine;
    let drill = Drill {
        district: scope.applied.district.clone(),
        office: scope.applied.office.clone(),
        state: params.state.filter(|s| !s.is_empty()),
        age: params.age.filter(|a| !a.is_empty()),
    };
    check_drill(&scope, &drill)?;
    let links = Links {
        drill,
        supervisor: actor.roles.contains(&Role::Supervisor),
    };
    // Each query once: the bottleneck ranks the ageing rows, the throughput
    // reuses the weeks.
    let headline = stats::headline(engine, &scope).await?;
    let ageing = stats::ageing(engine, &scope).await?;
    let weeks = stats::weekly(engine, &scope).await?;
    let figures = Figures {
        trends: stats::trends(engine, &scope, &headline).await?,
        targets: stats::targets_of(engine, &scope).await?,
        per_workflow: Vec::new(),
        forecast: stats::forecast(engine, &scope).await?,
        throughput: stats::throughput_of(&scope, &weeks),
        bottleneck: stats::bottleneck_of(&scope, ageing.clone()),
        headline,
        ageing,
        backlog: stats::backlog(engine, &scope).await?,
        breaches: stats::breaches(engine, &scope).await?,
        workload: stats::workload(engine, &scope).await?,
        versions: stats::versions(engine, &scope).await?,
        portal: crate::app::portal::statistics(
            engine,
            &actor,
            today - chrono::Duration::days(29),
            today,
        )
        .await?,
    };
    // Every workflow's cases side by side, in the same district and office.
    let mut names: Vec<String> = engine
        .workflows
        .all()
        .iter()
        .map(|w| w.name.clone())
        .collect();
    names.sort_by_key(|n| (*n != engine.settings.default_workflow, n.clone()));
    names.dedup();
    let mut per_workflow = Vec::with_capacity(names.len());
    for name in names {
        let of = stats::scope(
            engine,
            &actor,
            &StatsQuery {
                workflow: Some(name),
                ..query.clone()
            },
            today,
        )?;
        let h = stats::headline(engine, &of).await?;
        per_workflow.push(WorkflowFigures {
            title: of.workflow.title.clone(),
            received: h.applications_received,
            persons: h.persons_covered,
            open: h.applications_open,
        });
    }
    let figures = Figures {
        per_workflow,
        ..figures
    };
    // The district list for the filter: every district the caller may see.
    let districts = if scope.applied.district.is_none() || actor.district.is_some() {
        figures.backlog.clone()
    } else {
        let all = stats::scope(engine, &actor, &StatsQuery::default(), today)?;
        stats::backlog(engine, &all).await?
    };
    let html = format::with_digits(engine.settings.dashboard_digits, || {
        render(
            &figures,
            &districts,
            &scope.workflow,
            &engine.places,
            &links,
            lang,
        )
    });
    Ok(Html(html).into_response())
}

/// A drill into a state the workflow has and an age bucket that exists.
fn check_drill(scope: &stats::Scope, drill: &Drill) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if let Some(state) = &drill.state
        && scope.workflow.state(state).is_none()
    {
        errors.push(FieldError::bilingual(
            "state",
            "ليست من مراحل مسار العمل",
            "is not a stage of the workflow",
        ));
    }
    if let Some(age) = &drill.age
        && !stats::AGE_BUCKETS.iter().any(|b| b.2 == age)
    {
        let names: Vec<&str> = stats::AGE_BUCKETS.iter().map(|b| b.2).collect();
        errors.push(FieldError::bilingual(
            "age",
            format!("إحدى الفئات: {}", names.join("، ")),
            format!("must be one of {}", names.join(", ")),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors).into())
    }
}

/// One workflow's cases, counted for the panel's table of workflows.
pub struct WorkflowFigures {
    pub title: crate::workflow::definition::Labels,
    pub received: i64,
    pub persons: i64,
    pub open: i64,
}

/// Everything the panel shows.
pub struct Figures {
    /// Every workflow's cases side by side (the default workflow first).
    pub per_workflow: Vec<WorkflowFigures>,
    pub headline: Headline,
    /// The headline a week and four weeks ago.
    pub trends: stats::Trends,
    /// The targets of this workflow with where they stand.
    pub targets: Vec<stats::Standing>,
    pub backlog: Backlog,
    pub ageing: Ageing,
    pub breaches: Breaches,
    pub throughput: Throughput,
    pub workload: Workload,
    pub bottleneck: Bottleneck,
    pub forecast: Forecast,
    /// Applications by the workflow version they are worked under.
    pub versions: stats::Versions,
    /// The agency portal's use over the last 30 days.
    pub portal: crate::app::portal::PortalStatistics,
}
