//! Extractors that answer bad input with the documented problem+json:
//! the caller (bearer token, or a signed-in session's cookie), JSON
//! bodies, query strings, and the `If-Match` and `Idempotency-Key`
//! headers.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::header;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::app::users;
use crate::domain::digest::same_secret;
use crate::domain::words::problems;
use crate::http::AppState;
use crate::http::problem::ApiError;
use crate::http::session::{self, bearer};
use crate::workflow::Actor;

/// The authenticated caller: a bearer token, else the session cookie of
/// a person signed in to the pages. With the cookie, a request that may
/// change something (not GET or HEAD) must carry the session's
/// anti-forgery token in `X-CSRF-Token`, as a page's script sends it.
pub struct Caller(pub Actor);

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        if let Some(token) = bearer(&parts.headers) {
            return match users::authenticate(&state.engine, token).await {
                Ok(Some(actor)) => Ok(Caller(actor)),
                Ok(None) => Err(ApiError::unauthorized()),
                Err(error) => Err(error.into()),
            };
        }
        let session = session::session_of(state, &parts.headers)
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        if parts.method != Method::GET && parts.method != Method::HEAD {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !same_secret(&session.csrf, sent) {
                return Err(session::forged());
            }
        }
        Ok(Caller(session.actor))
    }
}

/// The header a page's script sends a session's anti-forgery token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A JSON body; malformed JSON, a wrong content type, unknown fields and
/// oversized bodies become problems, never a bare rejection.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<ApiJson<T>, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(json_problem(rejection)),
        }
    }
}

fn json_problem(rejection: JsonRejection) -> ApiError {
    let detail = rejection.body_text();
    match rejection {
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            problems::UNSUPPORTED_MEDIA_TYPE.text(),
            problems::SEND_JSON.text(),
        ),
        JsonRejection::JsonDataError(_) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
            problems::INVALID_BODY.text(),
            problems::json_does_not_fit(&detail),
        ),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::bad_request("malformed_json", problems::malformed_json(&detail))
        }
        _ if detail.contains("length limit") => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            problems::BODY_TOO_LARGE.text(),
            problems::BODY_OVER_LIMIT.text(),
        ),
        _ => ApiError::bad_request("unreadable_body", problems::unreadable_body(&detail)),
    }
}

/// A query string; bad parameters become a 400 problem.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiQuery<T>, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(rejection) => Err(query_problem(rejection)),
        }
    }
}

fn query_problem(rejection: QueryRejection) -> ApiError {
    let detail = rejection.body_text();
    ApiError::bad_request("invalid_query", problems::invalid_query(&detail))
}

/// The version named by `If-Match` (`"7"`, `W/"7"` or `7`), if sent; a
/// header that names no version is a 400 problem, never "any version".
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<IfMatch, ApiError> {
        if_match(&parts.headers).map(IfMatch)
    }
}

/// The `Idempotency-Key`, if sent: 1 to 128 visible ASCII characters, else
/// a 400 problem.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<IdempotencyKey, ApiError> {
        idempotency_key(&parts.headers).map(IdempotencyKey)
    }
}

/// The version named by `If-Match` (`"7"`, `W/"7"` or `7`), if sent.
fn if_match(parts: &axum::http::HeaderMap) -> Result<Option<i64>, ApiError> {
    let Some(value) = parts.get(header::IF_MATCH) else {
        return Ok(None);
    };
    let text = value.to_str().unwrap_or("").trim();
    let bare = text.trim_start_matches("W/").trim_matches('"');
    bare.parse::<i64>().map(Some).map_err(|_| {
        ApiError::bad_request(
            "invalid_if_match",
            problems::IF_MATCH_NAMES_NO_VERSION.text(),
        )
    })
}

/// The `Idempotency-Key`, if sent: 1 to 128 visible ASCII characters.
fn idempotency_key(headers: &axum::http::HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key)
            if !key.is_empty() && key.len() <= 128 && key.chars().all(|c| c.is_ascii_graphic()) =>
        {
            Ok(Some(key.to_string()))
        }
        _ => Err(ApiError::bad_request(
            "invalid_idempotency_key",
            problems::BAD_IDEMPOTENCY_KEY.text(),
        )),
    }
}

/// An ETag for a case version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Path parameters; an undecodable path becomes a 400 problem.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiPath<T>, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => {
                let detail = rejection.body_text();
                Err(ApiError::bad_request(
                    "invalid_path",
                    problems::invalid_path(&detail),
                ))
            }
        }
    }
}
