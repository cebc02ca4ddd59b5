//! Signing in with a name and a password, and signing out.
//!
//! `GET /signin` is the form; `POST /signin` checks the name and password
//! (one message for a wrong name and a wrong password alike), sets the
//! session cookie and sends the browser on to `next` when it is a path on
//! this server. A name with too many wrong passwords is refused for a
//! while (429), and the page says how long. `POST /signout` ends the
//! session. Every attempt is logged (the name and the outcome, never the
//! password) and counted on `/metrics`.

use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, extract::rejection::QueryRejection};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use crate::app::sessions::{self, SignIn};
use crate::http::AppState;
use crate::http::pages::layout::{self, Header, PageLang};
use crate::http::pages::words::signin as words;
use crate::http::problem::ApiError;
use crate::http::session::{
    WebUser, cleared_cookie_header, local_next, percent_encode_path, same_origin, session_cookie,
    session_cookie_header, verify_form,
};

/// The sign-in and sign-out routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/signin", get(form).post(submit))
        .route("/signout", post(sign_out))
}

#[derive(Default, Deserialize)]
struct SignInQuery {
    next: Option<String>,
}

#[derive(Default, Deserialize)]
struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Default, Deserialize)]
struct SignOutForm {
    #[serde(default)]
    csrf_token: String,
}

/// An error on the form: the field it belongs to and what it says.
struct FieldMessage {
    field: &'static str,
    text: String,
}

async fn form(lang: PageLang, query: Result<Query<SignInQuery>, QueryRejection>) -> Response {
    let next = query.map(|q| q.0.next).ok().flatten().unwrap_or_default();
    render(StatusCode::OK, lang, "", local_next(&next), &[])
}

async fn submit(
    State(state): State<AppState>,
    lang: PageLang,
    headers: HeaderMap,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    if let Err(error) = same_origin(&headers) {
        return error.into_response();
    }
    let Form(form) = form.unwrap_or_default();
    let next = local_next(&form.next).to_string();
    let name = form.username.trim();
    let mut missing = Vec::new();
    if name.is_empty() {
        missing.push(FieldMessage {
            field: "username",
            text: lang.say(&words::ENTER_YOUR_USER_NAME).into(),
        });
    }
    if form.password.is_empty() {
        missing.push(FieldMessage {
            field: "password",
            text: lang.say(&words::ENTER_YOUR_PASSWORD).into(),
        });
    }
    if !missing.is_empty() {
        return render(StatusCode::OK, lang, name, &next, &missing);
    }
    let outcome = sessions::sign_in(&state.engine, name, &form.password, Utc::now()).await;
    match outcome {
        Ok(SignIn::Started { cookie, session }) => {
            state.metrics.signin("signed_in");
            tracing::info!(user = ?session.actor.id, outcome = "signed_in", "sign-in");
            let mut response = Redirect::to(&next).into_response();
            if let Some(value) =
                session_cookie_header(&cookie, state.engine.settings.sessions.https)
            {
                response.headers_mut().insert(header::SET_COOKIE, value);
            }
            response
        }
        Ok(SignIn::Refused) => {
            state.metrics.signin("refused");
            tracing::warn!(user = ?name, outcome = "refused", "sign-in");
            let message = FieldMessage {
                field: "password",
                text: lang.say(&words::THE_USER_NAME_OR_THE_PASSWORD).into(),
            };
            render(StatusCode::OK, lang, name, &next, &[message])
        }
        Ok(SignIn::Locked { wait }) => {
            state.metrics.signin("locked");
            tracing::warn!(user = ?name, outcome = "locked", "sign-in");
            let minutes = (wait.num_seconds().max(1) + 59) / 60;
            let message = FieldMessage {
                field: "password",
                text: lang.say(&words::too_many_attempts(minutes)).to_string(),
            };
            let mut response = render(StatusCode::TOO_MANY_REQUESTS, lang, name, &next, &[message]);
            if let Ok(value) = HeaderValue::from_str(&(minutes * 60).to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Err(error) => ApiError::from(error).into_response(),
    }
}

async fn sign_out(
    State(state): State<AppState>,
    user: Result<WebUser, Response>,
    headers: HeaderMap,
    form: Result<Form<SignOutForm>, FormRejection>,
) -> Response {
    let https = state.engine.settings.sessions.https;
    let Ok(user) = user else {
        return Redirect::to("/signin").into_response();
    };
    let Form(form) = form.unwrap_or_default();
    if let Err(error) = verify_form(&user, &headers, &form.csrf_token) {
        return error.into_response();
    }
    if let Some(cookie) = session_cookie(&headers)
        && let Err(error) = sessions::sign_out(&state.engine, cookie).await
    {
        return ApiError::from(error).into_response();
    }
    tracing::info!(user = ?user.actor.id, outcome = "signed_out", "sign-out");
    let mut response = Redirect::to("/signin").into_response();
    if let Some(value) = cleared_cookie_header(https) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// The sign-in page: the error summary first when there are errors, then
/// one question per field, the name kept as typed.
fn render(
    status: StatusCode,
    lang: PageLang,
    typed_name: &str,
    next: &str,
    errors: &[FieldMessage],
) -> Response {
    let path = if next == "/" {
        "/signin".to_string()
    } else {
        format!("/signin?next={}", percent_encode_path(next))
    };
    let error_of = |field: &str| errors.iter().find(|e| e.field == field);
    let body = html! {
        @if !errors.is_empty() {
            div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" {
                h2 id="error-summary-title" { (lang.say(&words::THERE_IS_A_PROBLEM)) }
                ul {
                    @for error in errors {
                        li { a href=(format!("#{}", error.field)) { (error.text) } }
                    }
                }
            }
        }
        form method="post" action="/signin" novalidate {
            input type="hidden" name="next" value=(next);
            (field(
                lang,
                "username",
                lang.say(&words::USER_NAME),
                "text",
                "username",
                typed_name,
                error_of("username"),
            ))
            (field(
                lang,
                "password",
                lang.say(&words::PASSWORD),
                "password",
                "current-password",
                "",
                error_of("password"),
            ))
            button type="submit" { (lang.say(&words::SIGN_IN_BUTTON)) }
        }
        p class="muted" {
            (lang.say(&words::NO_PASSWORD_YET_AN_ADMINISTRATOR_SETS))
        }
    };
    let title = lang.say(&words::SIGN_IN);
    layout::page_with_status(
        status,
        lang,
        &Header {
            user: None,
            path: &path,
        },
        title,
        body,
    )
}

/// One labelled question, its error beside it.
fn field(
    lang: PageLang,
    id: &str,
    label: &str,
    kind: &str,
    autocomplete: &str,
    value: &str,
    error: Option<&FieldMessage>,
) -> Markup {
    let error_id = format!("{id}-error");
    html! {
        div class=(if error.is_some() { "field has-error" } else { "field" }) {
            label for=(id) { (label) }
            @if let Some(error) = error {
                span class="error-text" id=(error_id) {
                    (lang.say(&words::ERROR)) (error.text)
                }
            }
            input id=(id) name=(id) type=(kind) value=(value) autocomplete=(autocomplete)
                autocapitalize="none" spellcheck="false" dir="ltr" required
                aria-describedby=[error.map(|_| error_id.as_str())];
        }
    }
}
