//! Every 4xx and 5xx is `application/problem+json` (RFC 9457), in the
//! language the caller asked for (Arabic by default), with the request id.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppError;
use crate::domain::field_error::FieldError;
use crate::domain::language::{Lang, Text};
use crate::domain::words::problems;
use crate::http::context;
use crate::http::context::FailureCause;
use crate::workflow::refusal::Refusal;

/// A problem detail (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// A stable machine-readable code, e.g. `guard_failed`.
    pub code: String,
    /// The request id, also sent as `X-Request-Id`.
    pub request_id: String,
    /// For validation failures: each field and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The path of the field, e.g. `members[2].birth_date`.
    pub field: String,
    pub message: String,
}

/// An error on its way to becoming a problem response (boxed: it travels
/// in every handler's `Result`).
#[derive(Debug)]
pub struct ApiError(Box<ErrorParts>);

#[derive(Debug)]
pub struct ErrorParts {
    pub status: StatusCode,
    pub code: &'static str,
    pub title: Text,
    pub detail: Text,
    pub errors: Vec<FieldError>,
    pub www_authenticate: bool,
    /// Seconds for a `Retry-After` header (429).
    pub retry_after: Option<u64>,
    /// What went wrong inside, with its whole cause chain, for the log
    /// line the request middleware writes (never sent to the caller).
    pub cause: Option<String>,
}

/// An error and its sources, outermost first: `a: b: c`.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, title: Text, detail: Text) -> ApiError {
        ApiError(Box::new(ErrorParts {
            status,
            code,
            title,
            detail,
            errors: Vec::new(),
            www_authenticate: false,
            retry_after: None,
            cause: None,
        }))
    }

    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// What the problem says, for a page that shows it as text.
    pub fn parts(&self) -> &ErrorParts {
        &self.0
    }

    pub fn bad_request(code: &'static str, detail: Text) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            code,
            problems::BAD_REQUEST.text(),
            detail,
        )
    }

    pub fn unauthorized() -> ApiError {
        let mut error = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            problems::UNAUTHORIZED.text(),
            problems::SEND_A_VALID_TOKEN.text(),
        );
        error.0.www_authenticate = true;
        error
    }

    /// A 429 with the seconds to wait, also sent as `Retry-After`.
    pub fn too_many_requests(retry_after: u64) -> ApiError {
        let mut error = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            problems::TOO_MANY_REQUESTS.text(),
            problems::rate_limited(retry_after),
        );
        error.0.retry_after = Some(retry_after);
        error
    }

    /// Replaces the detail text.
    /// The same problem naming the fields that are wrong.
    pub fn with_errors(mut self, errors: Vec<FieldError>) -> ApiError {
        self.0.errors = errors;
        self
    }

    pub fn set_detail(&mut self, detail: Text) {
        self.0.detail = detail;
    }

    /// A 404 saying, in both languages, what does not exist.
    pub fn not_found(what: Text) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            problems::NOT_FOUND.text(),
            what,
        )
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        match error {
            AppError::NotFound(what) => ApiError::not_found(what),
            AppError::Invalid(errors) => {
                let mut api = ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation_failed",
                    problems::VALIDATION_FAILED.text(),
                    problems::fields_invalid(errors.len()),
                );
                api.0.errors = errors;
                api
            }
            AppError::Refused(
                refusal @ (Refusal::MissingField { .. }
                | Refusal::InvalidField { .. }
                | Refusal::UnexpectedField { .. }),
            ) => field_refusal(&refusal),
            AppError::Refused(refusal) => {
                let (status, title) = if refusal.is_forbidden() {
                    (StatusCode::FORBIDDEN, problems::FORBIDDEN.text())
                } else {
                    (StatusCode::CONFLICT, problems::ACTION_REFUSED.text())
                };
                ApiError::new(status, refusal.code(), title, refusal.text())
            }
            AppError::StaleVersion { expected, current } => ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "stale_version",
                problems::PRECONDITION_FAILED.text(),
                problems::stale_version(expected, current),
            ),
            AppError::Conflict => ApiError::new(
                StatusCode::CONFLICT,
                "concurrent_change",
                problems::CONFLICT.text(),
                problems::CONCURRENT_CHANGE.text(),
            ),
            AppError::Duplicate(what) => ApiError::new(
                StatusCode::CONFLICT,
                "duplicate",
                problems::ALREADY_EXISTS.text(),
                what,
            ),
            AppError::IdempotencyKeyReused => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                problems::IDEMPOTENCY_KEY_REUSED.text(),
                problems::KEY_USED_FOR_ANOTHER_REQUEST.text(),
            ),
            AppError::TooLarge { limit } => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                problems::PAYLOAD_TOO_LARGE.text(),
                problems::largest_file(limit),
            ),
            AppError::UnsupportedMediaType => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                problems::UNSUPPORTED_FILE_TYPE.text(),
                problems::FILE_TYPES_ACCEPTED.text(),
            ),
            AppError::Unavailable(_) => {
                let mut problem = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    problems::SERVICE_UNAVAILABLE.text(),
                    problems::DATABASE_UNAVAILABLE.text(),
                );
                problem.0.cause = Some(error_chain(&error));
                problem
            }
            AppError::Unexpected(_) => {
                let mut problem = ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "unexpected",
                    problems::UNEXPECTED_ERROR.text(),
                    problems::UNEXPECTED_LOGGED.text(),
                );
                problem.0.cause = Some(error_chain(&error));
                problem
            }
        }
    }
}

/// An action's field the engine refused (missing, invalid or not the
/// action's): a 422 with the same `errors[]` list as a family's validation,
/// the field named as in the request body (`fields.national_number`).
fn field_refusal(refusal: &Refusal) -> ApiError {
    let field = match refusal {
        Refusal::MissingField { field }
        | Refusal::InvalidField { field, .. }
        | Refusal::UnexpectedField { field } => field.as_str(),
        _ => "fields",
    };
    let text = refusal.text();
    let mut api = ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
        problems::VALIDATION_FAILED.text(),
        text.clone(),
    );
    api.0.errors = vec![FieldError::said(format!("fields.{field}"), text)];
    api
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let parts = *self.0;
        let lang = context::lang();
        let problem = Problem {
            kind: format!("https://casework.invalid/problems/{}", parts.code),
            title: parts.title.get(lang).to_string(),
            status: parts.status.as_u16(),
            detail: parts.detail.get(lang).to_string(),
            code: parts.code.to_string(),
            request_id: context::request_id(),
            errors: parts
                .errors
                .into_iter()
                .map(|e| FieldProblem {
                    field: e.field,
                    message: if lang == Lang::En {
                        e.message
                    } else {
                        e.message_ar
                    },
                })
                .collect(),
        };
        let body = serde_json::to_vec(&problem).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (parts.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(if lang == Lang::En { "en" } else { "ar" }),
        );
        if parts.www_authenticate {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(seconds) = parts.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if let Some(cause) = parts.cause {
            response.extensions_mut().insert(FailureCause(cause));
        }
        response
    }
}
