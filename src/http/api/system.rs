//! Health, readiness, metrics, workflow definitions and the fallback.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::system;
use crate::domain::language::Text;
use crate::http::AppState;
use crate::http::extract::ApiPath;
use crate::http::problem::{ApiError, Problem};
use crate::workflow::Workflow;

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: String,
    /// `reachable` or `unreachable`.
    pub database: String,
    pub pending_migrations: Vec<String>,
    /// Where reads that may be a moment behind go: `none` (no replica
    /// set), `replica` (it answers within the lag bound), or `primary`
    /// (it lags past the bound or does not answer: skipped). A skipped
    /// replica does not make the server unready.
    pub read_replica: String,
    /// The replica's lag at its last check, in milliseconds.
    pub read_replica_lag_ms: Option<i64>,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, description = "The process is up", body = Health)))]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
    })
}

/// Readiness: the database is reachable and every migration applied.
#[utoipa::path(
    get, path = "/readyz", tag = "system",
    responses((status = 200, description = "Ready: the database answers", body = Readiness), (status = 503, description = "Not ready: the database does not answer", body = Readiness))
)]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let readiness = system::readiness(&state.engine).await;
    let ready = readiness.ready();
    let database = readiness.database_reachable;
    let pending = readiness.pending_migrations;
    (
        if ready {
            StatusCode::OK
        } else {
            StatusCode::SERVICE_UNAVAILABLE
        },
        Json(Readiness {
            status: if ready { "ready" } else { "not_ready" }.into(),
            database: if database { "reachable" } else { "unreachable" }.into(),
            pending_migrations: pending,
            read_replica: match system::read_replica(&state.engine) {
                None => "none",
                Some(r) if r.usable => "replica",
                Some(_) => "primary",
            }
            .into(),
            read_replica_lag_ms: system::read_replica(&state.engine).and_then(|r| r.lag_ms),
        }),
    )
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(
    get, path = "/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"))
)]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let gauges = system::gauges(&state.engine).await;
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(
            gauges.outbox_pending,
            gauges.token_cache_hits,
            system::read_replica(&state.engine),
        ),
    )
        .into_response()
}

#[derive(Serialize, ToSchema)]
pub struct StateView {
    pub name: String,
    pub labels: Text,
    pub sla_days: Option<u32>,
    pub terminal: bool,
    pub pauses_clock: bool,
}

#[derive(Serialize, ToSchema)]
pub struct TransitionView {
    pub action: String,
    /// What a button says for the action, in Arabic and English.
    pub labels: Text,
    pub from: Vec<String>,
    pub to: String,
    pub roles: Vec<String>,
    pub guards: Vec<String>,
    pub fields: Vec<String>,
    /// For member actions: the case states in which they may be taken.
    pub case_states: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WorkflowSummary {
    pub name: String,
    pub version: u32,
    pub title: Text,
}

#[derive(Serialize, ToSchema)]
pub struct WorkflowView {
    pub name: String,
    pub version: u32,
    pub title: Text,
    pub initial: String,
    pub card_age: u32,
    pub states: Vec<StateView>,
    pub transitions: Vec<TransitionView>,
    pub member_states: Vec<StateView>,
    pub member_transitions: Vec<TransitionView>,
}

fn state_views(states: &[crate::workflow::definition::StateDef]) -> Vec<StateView> {
    states
        .iter()
        .map(|s| StateView {
            name: s.name.clone(),
            labels: s.labels.clone(),
            sla_days: s.sla_days,
            terminal: s.terminal,
            pauses_clock: s.pauses_clock,
        })
        .collect()
}

fn transition_views(
    transitions: &[crate::workflow::definition::TransitionDef],
) -> Vec<TransitionView> {
    transitions
        .iter()
        .map(|t| TransitionView {
            action: t.action.clone(),
            labels: t.labels.clone(),
            from: t.from.clone(),
            to: t.to.clone(),
            roles: t.roles.iter().map(|r| r.to_string()).collect(),
            guards: t.guards.iter().map(|g| g.as_str().to_string()).collect(),
            fields: t.fields.iter().map(|f| f.as_str().to_string()).collect(),
            case_states: t.case_states.clone(),
        })
        .collect()
}

/// The workflow definitions this server knows.
#[utoipa::path(get, path = "/api/workflows", tag = "workflows", responses((status = 200, description = "The loaded workflow definitions", body = Vec<WorkflowSummary>)))]
pub async fn list_workflows(State(state): State<AppState>) -> Json<Vec<WorkflowSummary>> {
    Json(
        state
            .engine
            .workflows
            .all()
            .iter()
            .map(|w| WorkflowSummary {
                name: w.name.clone(),
                version: w.version,
                title: w.title.clone(),
            })
            .collect(),
    )
}

fn find(state: &AppState, name: &str, version: &str) -> Result<std::sync::Arc<Workflow>, ApiError> {
    version
        .trim_start_matches('v')
        .parse::<u32>()
        .ok()
        .and_then(|v| state.engine.workflows.get(name, v))
        .ok_or_else(|| {
            ApiError::not_found(crate::domain::words::problems::no_workflow_version(
                name, version,
            ))
        })
}

/// One workflow definition.
#[utoipa::path(
    get, path = "/api/workflows/{name}/{version}", tag = "workflows",
    params(("name" = String, Path, description = "e.g. naturalization-family"), ("version" = String, Path, description = "e.g. 1")),
    responses(
        (status = 400, description = "Undecodable path", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "The definition", body = WorkflowView),
        (status = 404, description = "No such workflow or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_workflow(
    State(state): State<AppState>,
    ApiPath((name, version)): ApiPath<(String, String)>,
) -> Result<Json<WorkflowView>, ApiError> {
    let w = find(&state, &name, &version)?;
    Ok(Json(WorkflowView {
        name: w.name.clone(),
        version: w.version,
        title: w.title.clone(),
        initial: w.initial.clone(),
        card_age: w.card_age,
        states: state_views(&w.states),
        transitions: transition_views(&w.transitions),
        member_states: state_views(&w.member.states),
        member_transitions: transition_views(&w.member.transitions),
    }))
}

/// The state diagram of a workflow definition, in Mermaid syntax.
#[utoipa::path(
    get, path = "/api/workflows/{name}/{version}/diagram", tag = "workflows",
    params(("name" = String, Path, description = "e.g. naturalization-family"), ("version" = String, Path, description = "e.g. 1")),
    responses(
        (status = 400, description = "Undecodable path", body = Problem, content_type = "application/problem+json"),
        (status = 200, description = "Mermaid state diagram", body = String, content_type = "text/plain"),
        (status = 404, description = "No such workflow or version", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn workflow_diagram(
    State(state): State<AppState>,
    ApiPath((name, version)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let w = find(&state, &name, &version)?;
    Ok((
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        w.mermaid(),
    )
        .into_response())
}

/// Any path no route matches.
pub async fn not_found() -> ApiError {
    ApiError::not_found(crate::domain::words::problems::NOTHING_AT_THIS_ADDRESS.text())
}
