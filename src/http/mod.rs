//! The HTTP surface, by audience over shared plumbing: `api` (officers'
//! programs, JSON and problem+json, in the OpenAPI document), `portal`
//! (other agencies, with a key, in its own document), `pages` (people at a
//! browser: the workbench and the leadership dashboard, HTML). What all
//! share sits here: `state` (what every handler holds), `context` (request
//! ids, the route for metrics, logging a 5xx once), `extract` (typed input
//! and its problems), `problem` (errors as RFC 9457 problems), `session`
//! (who is at the keyboard), `metrics`. Handlers hold no SQL: each calls
//! one `app` function.

pub mod api;
pub mod context;
pub mod extract;
pub mod metrics;
pub mod pages;
pub mod portal;
pub mod problem;
pub mod session;
mod state;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use utoipa_swagger_ui::{SwaggerUi, Url};

use crate::app::Engine;
use crate::http::metrics::Metrics;
use api::{
    applications, documents, duplicates, import, migrations, outbox, queue, reference, stats,
    system, targets, whatif,
};
use pages::dashboard;

pub use state::{AppState, BODY_LIMIT};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "casework",
        description = "Case-workflow engine for the naturalization of families registered in the Hasakah foreigners' registers. Errors are application/problem+json (RFC 9457) in Arabic by default, English with Accept-Language: en.",
        license(name = "MIT"),
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "applications", description = "Family applications and their members"),
        (name = "documents", description = "The scans of a case's papers: stored under their SHA-256, in the case's audit history, shown only to the officers who work cases"),
        (name = "work queue", description = "What an officer may act on now"),
        (name = "workflows", description = "Workflow definitions"),
        (name = "reference data", description = "The districts and offices every district or office code must be one of"),
        (name = "dashboard", description = "The backlog dashboard page for leadership"),
        (name = "statistics", description = "Counts for leadership and supervisors, never names"),
        (name = "agency portal", description = "Scoped, logged read access for other ministries and official bodies (an agency key), and the access log officers and auditors read"),
        (name = "outbox", description = "Mail waiting to go out, sent, or failed"),
        (name = "system", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An officer's token from `casework users add`. A browser signed in at /signin may send its session cookie `casework_session` instead; with it, a request other than GET or HEAD must carry the session's anti-forgery token in `X-CSRF-Token`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(portal::AGENCY_KEY, portal::agency_key_scheme());
    }
}

fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(
            applications::create_application,
            queue::list_applications
        ))
        .routes(routes!(
            applications::get_application,
            applications::replace_family
        ))
        .routes(routes!(applications::transition))
        .routes(routes!(applications::add_member_from_case))
        .routes(routes!(applications::audit_trail))
        .routes(routes!(documents::list_scans))
        .routes(routes!(documents::scan_views))
        .routes(routes!(
            documents::upload_scan,
            documents::open_scan,
            documents::remove_scan
        ))
        .routes(routes!(duplicates::list_duplicates))
        .routes(routes!(duplicates::decide_duplicate))
        .routes(routes!(import::import_csv))
        .routes(routes!(queue::claim))
        .routes(routes!(queue::assign))
        .routes(routes!(queue::release))
        .routes(routes!(queue::queue))
        .routes(routes!(dashboard::page))
        .routes(routes!(dashboard::panel))
        .routes(routes!(dashboard::whatif::what_if_page))
        .routes(routes!(stats::headline))
        .routes(routes!(stats::backlog))
        .routes(routes!(stats::ageing))
        .routes(routes!(stats::sla_breaches))
        .routes(routes!(stats::throughput))
        .routes(routes!(stats::workload))
        .routes(routes!(stats::bottleneck))
        .routes(routes!(stats::forecast))
        .routes(routes!(whatif::what_if))
        .routes(routes!(stats::versions))
        .routes(routes!(targets::list_targets))
        .routes(routes!(targets::put_target, targets::remove_target))
        .routes(routes!(migrations::plan))
        .routes(routes!(migrations::apply))
        .merge(portal::agency_routes())
        .routes(routes!(portal::case_access))
        .routes(routes!(portal::access_log))
        .routes(routes!(portal::statistics))
        .routes(routes!(outbox::list_outbox))
        .routes(routes!(outbox::retry_outbox))
        .routes(routes!(system::list_workflows))
        .routes(routes!(reference::places))
        .routes(routes!(system::get_workflow))
        .routes(routes!(system::workflow_diagram))
        .routes(routes!(system::healthz))
        .routes(routes!(system::readyz))
        .routes(routes!(system::metrics))
}

/// The OpenAPI document the code describes: every route (the agency
/// portal's own, smaller one is [`portal::openapi`]).
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().split_for_parts().1
}

/// The router with every route, sharing one engine. Both documents and
/// Swagger UI (which offers either) are served with no token.
pub fn router(engine: Engine) -> Router {
    let state = AppState {
        engine,
        metrics: Arc::new(Metrics::new()),
    };
    let (routes, document) = api_router().split_for_parts();
    routes
        .merge(pages::routes())
        .merge(dashboard::routes())
        .route_layer(middleware::from_fn(context::tag_route))
        .merge(
            SwaggerUi::new("/docs")
                .url(Url::new("casework", "/openapi.json"), document)
                .url(
                    Url::new("agency portal", portal::OPENAPI_PATH),
                    portal::openapi(),
                ),
        )
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            context::middleware,
        ))
        .with_state(state)
}
