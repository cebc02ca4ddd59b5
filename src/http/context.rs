//! Per-request context: a request id and the caller's language, set by one
//! middleware and read wherever a response is built. Also the request log
//! line and the per-route metrics.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::domain::language::Lang;
use crate::http::AppState;

/// The cause of a failed request, carried out on the response (by
/// `problem`) for [`middleware`] to log once with the request id.
#[derive(Clone, Debug)]
pub struct FailureCause(pub String);

/// The name of the cookie that holds a session's id (`session` sets and
/// reads it; the request log tells callers apart by it).
pub const SESSION_COOKIE: &str = "casework_session";

#[derive(Clone, Debug)]
struct Context {
    request_id: String,
    lang: Lang,
}

tokio::task_local! {
    static CONTEXT: Context;
}

/// The language of the current request (Arabic outside a request).
pub fn lang() -> Lang {
    CONTEXT.try_with(|c| c.lang).unwrap_or_default()
}

/// The id of the current request.
pub fn request_id() -> String {
    CONTEXT
        .try_with(|c| c.request_id.clone())
        .unwrap_or_default()
}

/// Arabic unless the caller prefers English in `Accept-Language`.
pub fn parse_accept_language(value: Option<&str>) -> Lang {
    let Some(value) = value else { return Lang::Ar };
    let mut best: Option<(f32, Lang)> = None;
    for part in value.split(',') {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = pieces
            .find_map(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
            })
            .unwrap_or(1.0);
        let lang = if tag == "en" || tag.starts_with("en-") {
            Lang::En
        } else if tag == "ar" || tag.starts_with("ar-") {
            Lang::Ar
        } else {
            continue;
        };
        if best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, lang));
        }
    }
    best.map_or(Lang::Ar, |(_, lang)| lang)
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn new_request_id() -> String {
    format!(
        "{:x}-{:06x}",
        std::process::id(),
        NEXT_ID.fetch_add(1, Ordering::Relaxed)
    )
}

/// Sets the context, logs one line per request (method, route, status,
/// duration — never headers or bodies), and records metrics.
pub async fn middleware(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        .map_or_else(new_request_id, str::to_string);
    let lang = parse_accept_language(
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let method = request.method().to_string();
    let context = Context {
        request_id: request_id.clone(),
        lang,
    };
    // Who the caller is, as far as their own writes go: a digest of the
    // token or session cookie they came with (never kept or logged).
    let caller = caller_digest(request.headers());
    let changes = !matches!(
        *request.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    let mut response = CONTEXT
        .scope(
            context,
            crate::app::system::serve_request(&state.engine, caller, changes, next.run(request)),
        )
        .await;
    let status = response.status().as_u16();
    let route = response
        .extensions()
        .get::<RouteTag>()
        .map_or_else(|| "unmatched".to_string(), |tag| tag.0.clone());
    let elapsed = started.elapsed();
    state
        .metrics
        .observe_request(&method, &route, status, elapsed.as_secs_f64());
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = %route,
        status,
        micros = elapsed.as_micros() as u64,
        "request"
    );
    // The one place a failure's cause is logged, under the request's id.
    if let Some(FailureCause(cause)) = response.extensions().get::<FailureCause>() {
        tracing::error!(
            request_id = %request_id,
            method = %method,
            route = %route,
            status,
            cause = %cause,
            "request failed"
        );
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// A digest of the credentials a request came with (its bearer token or
/// its session cookie), standing for its caller; none without either.
fn caller_digest(headers: &axum::http::HeaderMap) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let credentials: &[u8] = match headers.get(header::AUTHORIZATION) {
        Some(token) => token.as_bytes(),
        None => headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .map(str::trim)
            .find(|c| c.starts_with(SESSION_COOKIE))?
            .as_bytes(),
    };
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    credentials.hash(&mut hasher);
    Some(hasher.finish())
}

/// The route template a request matched, carried out on the response.
#[derive(Clone, Debug)]
struct RouteTag(String);

/// Runs inside the router (as a route layer), where the matched route is known.
pub async fn tag_route(request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string());
    let mut response = next.run(request).await;
    if let Some(route) = route {
        response.extensions_mut().insert(RouteTag(route));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_is_the_default_and_english_is_honoured_by_preference() {
        let check = |header: Option<&str>, expected: Lang| {
            assert_eq!(parse_accept_language(header), expected, "{header:?}")
        };
        check(None, Lang::Ar);
        check(Some("en"), Lang::En);
        check(Some("en-GB,en;q=0.9"), Lang::En);
        check(Some("ar-SY,en;q=0.5"), Lang::Ar);
        check(Some("fr, en;q=0.3"), Lang::En);
        check(Some("de"), Lang::Ar);
        check(Some("ar;q=0.2, en;q=0.8"), Lang::En);
    }
}
