//! Importing the backlog over HTTP (supervisors): the same import as
//! `casework import`, one CSV file per request.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::import::{self, ImportReport, Source};
use crate::domain::words::problems;
use crate::http::AppState;
use crate::http::extract::{ApiQuery, Caller};
use crate::http::problem::{ApiError, Problem};

/// The largest CSV file accepted in one request (about 200,000 persons).
pub const IMPORT_LIMIT: usize = 64 * 1024 * 1024;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportParams {
    /// Check every row and report, writing nothing.
    pub dry_run: Option<bool>,
    /// The file's name, for the report and each case's `imported` event
    /// (letters, digits, `.`, `-` and `_`; default `upload.csv`).
    #[param(pattern = r"^[A-Za-z0-9._-]{1,100}$")]
    pub file: Option<String>,
}

/// Import families from CSV (format in README.md), as a supervisor. Families
/// with a bad row are refused whole and listed in `errors` with their line
/// and column; the others are imported; references already stored are
/// skipped. A supervisor bound to a district imports only its families.
#[utoipa::path(
    post, path = "/api/imports", tag = "applications",
    params(ImportParams),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 CSV, with or without a BOM, one row per person"),
    responses(
        (status = 200, description = "What was imported and every refused row", body = ImportReport),
        (status = 400, description = "Bad parameters", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No or bad token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a supervisor", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty file, or one with no row to import and refusals such as a header missing its columns (listed in `errors`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
pub async fn import_csv(
    State(state): State<AppState>,
    Caller(actor): Caller,
    ApiQuery(params): ApiQuery<ImportParams>,
    body: Body,
) -> Result<Json<ImportReport>, ApiError> {
    import::may_import(&actor)?;
    let name = params.file.unwrap_or_else(|| "upload.csv".into());
    if name.is_empty()
        || name.len() > 100
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(ApiError::bad_request(
            "invalid_file_name",
            problems::BAD_FILE_NAME.text(),
        ));
    }
    let bytes = axum::body::to_bytes(body, IMPORT_LIMIT)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                problems::BODY_TOO_LARGE.text(),
                problems::IMPORT_OVER_LIMIT.text(),
            )
        })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::from(crate::app::AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said("body", problems::IMPORT_FILE_EMPTY),
        ])));
    }
    let importer = import::importer(&actor.id, actor.district.clone());
    let report = import::import(
        &state.engine,
        &[Source {
            name,
            bytes: bytes.to_vec(),
        }],
        &importer,
        params.dry_run.unwrap_or(false),
        Utc::now(),
        |_, _| {},
    )
    .await?;
    // A file with no data row and refusals (a header missing its columns,
    // say) cannot be imported at all: a 422 listing them, not a report.
    if report.rows == 0 && !report.errors.is_empty() {
        return Err(ApiError::from(crate::app::AppError::Invalid(
            report
                .errors
                .into_iter()
                .map(|e| {
                    let field = match &e.column {
                        Some(column) => format!("body: line {}, column {column}", e.line),
                        None => format!("body: line {}", e.line),
                    };
                    crate::domain::field_error::FieldError::bilingual(
                        field,
                        e.message_ar,
                        e.message,
                    )
                })
                .collect(),
        )));
    }
    Ok(Json(report))
}
