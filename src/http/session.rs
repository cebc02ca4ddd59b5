//! Who is at the keyboard of a page: the person behind a signed-in
//! session (the `casework_session` cookie), or a program with a bearer
//! token.
//!
//! A session's forms carry its anti-forgery token, which [`verify_form`]
//! checks together with the `Origin` the browser names. A bearer token is
//! never sent by a browser on its own, so a form posted with one needs no
//! anti-forgery token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use crate::app::{sessions, users};
use crate::domain::digest::same_secret;
use crate::domain::words::problems;
use crate::http::AppState;
use crate::http::problem::ApiError;
use crate::workflow::Actor;

pub use crate::http::context::SESSION_COOKIE;

/// A person (or program) using the pages.
#[derive(Clone, Debug)]
pub struct WebUser {
    pub actor: Actor,
    /// The anti-forgery token every form of this session carries (empty
    /// for a bearer token, which needs none).
    pub csrf: String,
}

/// What a page answers to a request nobody signed in made: to the
/// sign-in page, coming back here afterwards.
pub struct SignInFirst(String);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        Redirect::to(&format!("/signin?next={}", self.0)).into_response()
    }
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<WebUser, Response> {
        let next = percent_encode_path(parts.uri.path_and_query().map_or("/", |p| p.as_str()));
        if let Some(token) = bearer(&parts.headers) {
            return match users::authenticate(&state.engine, token).await {
                Ok(Some(actor)) => Ok(WebUser {
                    actor,
                    csrf: String::new(),
                }),
                Ok(None) => Err(SignInFirst(next).into_response()),
                Err(error) => Err(ApiError::from(error).into_response()),
            };
        }
        match session_of(state, &parts.headers).await {
            Ok(Some(session)) => Ok(WebUser {
                actor: session.actor,
                csrf: session.csrf,
            }),
            Ok(None) => Err(SignInFirst(next).into_response()),
            Err(error) => Err(error.into_response()),
        }
    }
}

/// The token of `Authorization: Bearer …`, if sent. The scheme's name is
/// case-insensitive (RFC 9110 §11.1): `bearer` and `BEARER` are read too.
pub fn bearer(headers: &axum::http::HeaderMap) -> Option<&str> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())?
        .trim_start();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The live session the request's cookie names, if any.
pub async fn session_of(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<sessions::Session>, ApiError> {
    let Some(cookie) = session_cookie(headers) else {
        return Ok(None);
    };
    Ok(sessions::session(&state.engine, cookie, Utc::now()).await?)
}

/// The value of the session cookie, if the browser sent one.
pub fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(SESSION_COOKIE)?.strip_prefix('='))
        .map(str::trim)
}

/// Checks that a form was posted by this user's own page: its anti-forgery
/// token (not needed with a bearer token) and, when the browser names one,
/// an `Origin` of this server. A refusal is a 403 that changes nothing.
pub fn verify_form(user: &WebUser, headers: &HeaderMap, token: &str) -> Result<(), ApiError> {
    same_origin(headers)?;
    if user.csrf.is_empty() || same_secret(&user.csrf, token) {
        Ok(())
    } else {
        Err(forged())
    }
}

/// Refuses a request whose `Origin` header is present and is not this
/// server, as the `Host` header names it (or `X-Forwarded-Host`, which a
/// proxy in front sets to the name people reach it by; a browser never
/// lets another site's page set either).
pub fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let authority = origin
        .to_str()
        .ok()
        .and_then(|o| o.split_once("://"))
        .map(|(_, rest)| rest.trim_end_matches('/'));
    let Some(authority) = authority else {
        return Err(forged());
    };
    let named = |name: &str| {
        headers
            .get(name)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.split(',').next())
            .is_some_and(|h| authority.eq_ignore_ascii_case(h.trim()))
    };
    if named(header::HOST.as_str()) || named("x-forwarded-host") {
        Ok(())
    } else {
        Err(forged())
    }
}

/// The refusal of a change that did not come from this server's own page.
pub fn forged() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forged_request",
        problems::REQUEST_REFUSED.text(),
        problems::FORGED.text(),
    )
}

/// The `Set-Cookie` value that gives the browser a session id: never
/// readable by scripts, never sent with another site's requests, and
/// `Secure` when the server is reached over https.
pub fn session_cookie_header(id: &str, https: bool) -> Option<HeaderValue> {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Strict{secure}"
    ))
    .ok()
}

/// The `Set-Cookie` value that makes the browser forget its session id.
pub fn cleared_cookie_header(https: bool) -> Option<HeaderValue> {
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{secure}"
    ))
    .ok()
}

/// Where to go after signing in: `next` when it is a path on this server
/// (starts with `/`, not `//` nor `/\`), else `/`.
pub fn local_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(char::is_control);
    if local { next } else { "/" }
}

/// A path and query made safe to carry in a query string.
pub fn percent_encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        let check = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::AUTHORIZATION,
                HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("x")),
            );
            bearer(&headers).map(str::to_string)
        };
        for value in [
            "Bearer cw_1",
            "bearer cw_1",
            "BEARER cw_1",
            "bEaReR   cw_1 ",
        ] {
            assert_eq!(check(value).as_deref(), Some("cw_1"), "{value}");
        }
        for value in ["Basic cw_1", "Bearercw_1", "Bearer ", "cw_1"] {
            assert_eq!(check(value), None, "{value}");
        }
    }

    #[test]
    fn only_paths_on_this_server_are_followed_after_signing_in() {
        for (next, expected) in [
            ("/dashboard", "/dashboard"),
            (
                "/applications/HSK-2011-000001?lang=en",
                "/applications/HSK-2011-000001?lang=en",
            ),
            ("//evil.example/x", "/"),
            ("/\\evil.example", "/"),
            ("https://evil.example/", "/"),
            ("", "/"),
            ("dashboard", "/"),
        ] {
            assert_eq!(local_next(next), expected, "{next}");
        }
    }

    #[test]
    fn an_origin_is_this_server_only_when_it_names_the_host() {
        let check = |origin: Option<&str>, host: Option<&str>| {
            let mut headers = HeaderMap::new();
            if let Some(o) = origin {
                headers.insert(
                    header::ORIGIN,
                    HeaderValue::from_str(o).unwrap_or(HeaderValue::from_static("x")),
                );
            }
            if let Some(h) = host {
                headers.insert(
                    header::HOST,
                    HeaderValue::from_str(h).unwrap_or(HeaderValue::from_static("x")),
                );
            }
            same_origin(&headers).is_ok()
        };
        assert!(check(None, Some("127.0.0.1:8080")));
        assert!(check(Some("http://127.0.0.1:8080"), Some("127.0.0.1:8080")));
        assert!(check(
            Some("https://Casework.Example"),
            Some("casework.example")
        ));
        assert!(!check(Some("http://evil.example"), Some("127.0.0.1:8080")));
        assert!(!check(Some("null"), Some("127.0.0.1:8080")));
        assert!(!check(Some("http://127.0.0.1:8080"), None));
        let mut proxied = HeaderMap::new();
        proxied.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://casework.example"),
        );
        proxied.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&proxied).is_err());
        proxied.insert(
            "x-forwarded-host",
            HeaderValue::from_static("casework.example"),
        );
        assert!(same_origin(&proxied).is_ok());
    }

    #[test]
    fn the_session_cookie_is_secure_only_over_https_and_never_readable_by_scripts() {
        let plain =
            session_cookie_header("abc", false).map(|v| v.to_str().unwrap_or("").to_string());
        assert_eq!(
            plain.as_deref(),
            Some("casework_session=abc; Path=/; HttpOnly; SameSite=Strict")
        );
        let secure =
            session_cookie_header("abc", true).map(|v| v.to_str().unwrap_or("").to_string());
        assert!(secure.is_some_and(|c| c.ends_with("; Secure")));
        let cleared = cleared_cookie_header(true).map(|v| v.to_str().unwrap_or("").to_string());
        assert!(cleared.is_some_and(|c| c.contains("Max-Age=0") && c.ends_with("; Secure")));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("casework_lang=en; casework_session=abc123 ; other=1"),
        );
        assert_eq!(session_cookie(&headers), Some("abc123"));
        let mut none = HeaderMap::new();
        none.insert(
            header::COOKIE,
            HeaderValue::from_static("casework_sessions=x"),
        );
        assert_eq!(session_cookie(&none), None);
    }
}
