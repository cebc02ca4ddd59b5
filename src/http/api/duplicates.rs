//! Possible duplicates: the verifier's side-by-side view and decision.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::duplicates::Person;
use crate::app::duplicates::{self, Decision};
use crate::http::AppState;
use crate::http::api::applications::{check_reference, command_response};
use crate::http::extract::{ApiJson, ApiPath, Caller, IfMatch};
use crate::http::problem::{ApiError, Problem};

/// A member as shown beside a possible duplicate.
#[derive(Serialize, ToSchema)]
pub struct PersonView {
    /// The application the member belongs to.
    pub reference: String,
    /// That application's state.
    pub state: String,
    /// The member's number within the family (1 is the first listed).
    pub member: i32,
    pub first_name: String,
    pub father_name: String,
    pub mother_name: String,
    pub family_name: String,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub register_number: Option<String>,
    pub relationship: String,
}

impl From<Person> for PersonView {
    fn from(p: Person) -> PersonView {
        PersonView {
            reference: p.reference,
            state: p.state,
            member: p.ordinal,
            first_name: p.first_name,
            father_name: p.father_name,
            mother_name: p.mother_name,
            family_name: p.family_name,
            birth_date: p.birth_date,
            birth_place: p.birth_place,
            register_number: p.register_number,
            relationship: p.relationship,
        }
    }
}

/// A member of this application and the member of another that may be the
/// same person.
#[derive(Serialize, ToSchema)]
pub struct DuplicatePair {
    /// The flag's id, for the decision.
    pub id: i64,
    /// `same_register_number`, or `same_name_and_birth_year` (first,
    /// father's and family name alike in any usual spelling, birth years at
    /// most one apart).
    pub reason: String,
    /// `open`, `dismissed` or `linked`.
    pub status: String,
    pub found_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The member of this application (absent if the family was edited since).
    pub member: Option<PersonView>,
    /// The member of the other application.
    pub candidate: Option<PersonView>,
}

/// The possible duplicates of an application.
#[derive(Serialize, ToSchema)]
pub struct DuplicateList {
    /// How many are still open.
    pub open: usize,
    pub items: Vec<DuplicatePair>,
}

/// The verifier's decision on a possible duplicate.
#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum DecisionKind {
    /// Two different people who look alike.
    Dismiss,
    /// The same person in two applications.
    Link,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateDecision {
    pub decision: DecisionKind,
    /// Why, for the audit trail: at most 2000 characters, line ends
    /// allowed, no other control or text-direction character.
    #[serde(default)]
    #[schema(
        max_length = 2000,
        pattern = r"^(?:[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\r?\n)*$"
    )]
    pub comment: Option<String>,
}

/// The possible duplicates of an application, each member beside its
/// candidate, open and decided.
#[utoipa::path(
    get, path = "/api/applications/{reference}/duplicates", tag = "applications",
    params(("reference" = String, Path, description = "e.g. HSK-2011-000123")),
    responses(
        (status = 200, description = "The possible duplicates", body = DuplicateList),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not allowed to read this case", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or one outside the caller's district: the two are answered alike", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn list_duplicates(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath(reference): ApiPath<String>,
) -> Result<Json<DuplicateList>, ApiError> {
    check_reference(&reference)?;
    let pairs = duplicates::list(&state.engine, &reference, &actor).await?;
    let items: Vec<DuplicatePair> = pairs
        .into_iter()
        .map(|p| DuplicatePair {
            id: p.flag.id,
            reason: p.flag.reason,
            status: p.flag.status,
            found_at: p.flag.found_at,
            decided_by: p.flag.decided_by,
            decided_at: p.flag.decided_at,
            member: p.member.map(PersonView::from),
            candidate: p.candidate.map(PersonView::from),
        })
        .collect();
    Ok(Json(DuplicateList {
        open: items.iter().filter(|i| i.status == "open").count(),
        items,
    }))
}

/// Dismiss a possible duplicate (two people) or link it (one person), as a
/// verifier or supervisor. The decision joins the case's audit chain and
/// also settles the same pair seen from the other application.
#[utoipa::path(
    post, path = "/api/applications/{reference}/duplicates/{id}", tag = "applications",
    params(
        ("reference" = String, Path, description = "e.g. HSK-2011-000123"),
        ("id" = i64, Path, description = "The flag's id"),
        ("If-Match" = Option<String>, Header, description = "The version from the ETag, quoted: `\"7\"` (or `W/\"7\"`; a bare `7` is also taken)", nullable = false, pattern = r#"^((W/)?"[0-9]{1,18}"|[0-9]{1,18})$"#),
    ),
    request_body = DuplicateDecision,
    responses(
        (status = 200, description = "Decided", body = crate::http::api::applications::CommandResult,
            headers(("ETag" = String, description = "The new version"))),
        (status = 400, description = "Malformed request", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a verifier or supervisor", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application or flag", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn decide_duplicate(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiPath((reference, id)): ApiPath<(String, i64)>,
    IfMatch(expected): IfMatch,
    ApiJson(request): ApiJson<DuplicateDecision>,
) -> Result<Response, ApiError> {
    check_reference(&reference)?;
    let decision = match request.decision {
        DecisionKind::Dismiss => Decision::Dismiss,
        DecisionKind::Link => Decision::Link,
    };
    let outcome = duplicates::decide(
        &state.engine,
        duplicates::DecisionRequest {
            reference: &reference,
            flag_id: id,
            decision,
            comment: request.comment.as_deref(),
            comment_required: false,
            expected_version: expected,
        },
        &actor,
        Utc::now(),
    )
    .await?;
    Ok(command_response(StatusCode::OK, &outcome, false))
}
