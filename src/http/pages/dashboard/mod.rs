//! The backlog dashboard at `/dashboard`: a page rendered by the server,
//! Arabic right-to-left by default with an English switch (remembered in a
//! cookie). Signed in (the same sign-in as the workbench, at
//! `/signin?next=/dashboard`), leadership and supervisors see the panel
//! with inline SVG charts; its script, a file of ours, refreshes the panel
//! from `/dashboard/panel` every minute. Nothing comes from the network.
//!
//! `mod.rs` holds the handlers, each reading one page model from app
//! (`app::pages::dashboard_page`, `what_if_page`); `page` is the
//! page around the panel; `layout` puts the panel together from the KPI
//! tiles (each with its value a week and four weeks ago), the targets and
//! the cards, `charts` draws the SVG charts (axes, values on hover, a
//! table beside each, the running week marked partial), `diagram` the
//! workflow with today's counts (mirrored right-to-left in Arabic),
//! `drill` the drill-down from a district, office, stage or age bucket,
//! `forecast` the panel's centre (the forecast card with its backtest and
//! the what-if form), `whatif` the what-if's answer page, `tables` the
//! bottleneck, workload and portal tables, and `format` writes numbers,
//! dates and labels for a [`Locale`] (the reader's language and digits).
//! Every piece is written with maud, which escapes what it is given.

mod charts;
mod diagram;
mod drill;
mod forecast;
mod format;
mod layout;
mod page;
mod tables;
pub mod whatif;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;

pub use self::drill::{Drill, Links};
pub use self::format::number;
pub use self::layout::render;
use self::page::{Asked, Shown};
use crate::app::AppError;
use crate::app::pages::{self, BadDrill, DashboardError, DashboardPage, DashboardQuery};
pub use crate::app::pages::{Figures, WorkflowFigures};
use crate::app::stats;
use crate::domain::field_error::FieldError;
use crate::domain::language::Lang;
pub use crate::domain::language::Locale;
use crate::http::AppState;
use crate::http::extract::{ApiQuery, Caller};
use crate::http::pages::words::dashboard as words;
use crate::http::problem::{ApiError, Problem};
use crate::http::session::session_of;

/// The cookie that keeps the dashboard's language, chosen by `?lang=`.
const LANG_COOKIE: &str = "casework_dashboard_lang";

/// The page's policy: scripts and styles only from files of ours.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; base-uri 'none'";

/// The dashboard's script and style sheets, served with the page; not
/// part of the API's OpenAPI document.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard/dashboard.js", get(script))
        .route("/dashboard/dashboard.css", get(style))
        .route("/dashboard/what-if.css", get(what_if_style))
}

async fn script() -> Response {
    asset(
        include_str!("dashboard.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn style() -> Response {
    asset(include_str!("dashboard.css"), "text/css; charset=utf-8")
}

async fn what_if_style() -> Response {
    asset(include_str!("what-if.css"), "text/css; charset=utf-8")
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// What the page is asked for: the language and the drill-down, as the
/// panel reads them (anything else is left alone, as a page does).
#[derive(Deserialize, Default)]
pub struct PageParams {
    lang: Option<String>,
    district: Option<String>,
    office: Option<String>,
    state: Option<String>,
    age: Option<String>,
}

/// The dashboard page (no data until signed in).
#[utoipa::path(
    get, path = "/dashboard", tag = "dashboard",
    responses((status = 200, description = "The dashboard page", content_type = "text/html", body = String))
)]
pub async fn page(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let params =
        Query::<PageParams>::try_from_uri(&uri).map_or_else(|_| PageParams::default(), |q| q.0);
    let chosen = match params.lang.as_deref() {
        Some("en") => Some(Lang::En),
        Some("ar") => Some(Lang::Ar),
        _ => None,
    };
    let lang = chosen
        .or_else(|| remembered_lang(&headers))
        .unwrap_or(Lang::Ar);
    let locale = locale_of(&state, lang);
    let asked = Asked {
        district: params.district.filter(|d| !d.is_empty()),
        office: params.office.filter(|o| !o.is_empty()),
        state: params.state.filter(|s| !s.is_empty()),
        age: params.age.filter(|a| !a.is_empty()),
    };
    // A failed lookup of the session is shown as not signed in.
    let shown = match session_of(&state, &headers).await {
        Ok(Some(session)) => {
            let wanted = DashboardQuery {
                workflow: None,
                district: asked.district.clone(),
                office: asked.office.clone(),
                state: asked.state.clone(),
                age: asked.age.clone(),
            };
            match pages::dashboard_page(&state.engine, &session.actor, &wanted, Utc::now())
                .await
                .map_err(problem)
            {
                Ok(model) => Shown::Panel {
                    csrf: session.csrf,
                    districts: districts(&model, &state, locale),
                    chosen: asked.district.clone(),
                    panel: panel_html(&model, &state, locale),
                },
                Err(error) if error.status() == StatusCode::FORBIDDEN => {
                    Shown::Refused { csrf: session.csrf }
                }
                Err(error) => Shown::Failed {
                    csrf: session.csrf,
                    problem: problem_text(&error, lang),
                },
            }
        }
        _ => Shown::SignedOut,
    };
    let mut response = Html(page::page(&shown, &asked, locale).into_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(PAGE_POLICY),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if chosen.is_some() {
        let cookie = format!(
            "{LANG_COOKIE}={}; Path=/dashboard; Max-Age=31536000; SameSite=Strict; HttpOnly",
            locale.code()
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The language the dashboard's cookie remembers, if any.
fn remembered_lang(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='))
        .and_then(|v| match v.trim() {
            "en" => Some(Lang::En),
            "ar" => Some(Lang::Ar),
            _ => None,
        })
}

/// What a problem says in the reader's language: its detail, and each
/// field's error.
fn problem_text(error: &ApiError, lang: Lang) -> String {
    let parts = error.parts();
    let mut text = parts.detail.get(lang).to_string();
    for field in &parts.errors {
        let message = match lang {
            Lang::Ar => &field.message_ar,
            Lang::En => &field.message,
        };
        text = format!("{text} — {}: {message}", field.field);
    }
    text
}

/// The reader's language with the digits the settings choose for Arabic.
fn locale_of(state: &AppState, lang: Lang) -> Locale {
    Locale {
        lang,
        digits: state.engine.settings.dashboard_digits,
    }
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
    let query = DashboardQuery {
        workflow: params.workflow.filter(|w| !w.is_empty()),
        district: params.district.filter(|d| !d.is_empty()),
        office: params.office.filter(|o| !o.is_empty()),
        state: params.state.filter(|s| !s.is_empty()),
        age: params.age.filter(|a| !a.is_empty()),
    };
    let model = pages::dashboard_page(&state.engine, &actor, &query, Utc::now())
        .await
        .map_err(problem)?;
    let html = panel_html(&model, &state, locale_of(&state, lang));
    Ok(Html(html.into_string()).into_response())
}

/// The panel's HTML for its page model.
fn panel_html(model: &DashboardPage, state: &AppState, locale: Locale) -> maud::Markup {
    render(
        &model.figures,
        &model.all,
        &model.scope.workflow,
        &state.engine.places,
        &links(model),
        locale,
    )
}

/// How the panel links onward: the drill-down as applied, and whether the
/// reader may open the cases behind a figure.
fn links(model: &DashboardPage) -> Links {
    Links {
        drill: Drill {
            district: model.scope.applied.district.clone(),
            office: model.scope.applied.office.clone(),
            state: model.state.clone(),
            age: model.age.clone(),
        },
        supervisor: model.supervisor,
    }
}

/// The districts the filter offers, by code with their names: those the
/// reader may see, and the one drilled into.
fn districts(model: &DashboardPage, state: &AppState, locale: Locale) -> Vec<(String, String)> {
    let mut codes: Vec<&str> = model.all.rows.iter().map(|r| r.district.as_str()).collect();
    codes.sort();
    codes.dedup();
    if let Some(district) = model.scope.applied.district.as_deref()
        && !codes.contains(&district)
    {
        codes.push(district);
    }
    codes
        .into_iter()
        .map(|code| {
            (
                code.to_string(),
                format::place_name(&state.engine.places, code, locale),
            )
        })
        .collect()
}

/// The panel's failure as a problem: a drill-down it cannot draw names
/// its fields.
fn problem(error: DashboardError) -> ApiError {
    match error {
        DashboardError::App(error) => error.into(),
        DashboardError::Drill(bad) => {
            let errors = bad
                .iter()
                .map(|b| match b {
                    BadDrill::NotAStage => {
                        FieldError::said(b.field(), words::IS_NOT_A_STAGE_OF_THE_WORKFLOW.text())
                    }
                    BadDrill::NotAnAgeGroup => {
                        let names: Vec<&str> = stats::AGE_BUCKETS.iter().map(|b| b.2).collect();
                        FieldError::said(b.field(), words::one_of_the_age_groups(&names))
                    }
                })
                .collect();
            AppError::Invalid(errors).into()
        }
    }
}
