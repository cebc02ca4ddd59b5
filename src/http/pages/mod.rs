//! The officers' workbench: server-rendered pages (maud) for the people who
//! advance applications, Arabic right-to-left first with English on a
//! switch. Every page is a GET; every change is a POST of a plain form
//! that redirects to a GET, so nothing needs a script.
//!
//! `layout` is the frame every page shares (language, header, security
//! headers) and the style sheet; `work` the caller's queue ("My work") and
//! claiming; `case` a case's page and acting on it; `duplicate` the
//! confirmation, with its required comment, of a decision on a possible
//! duplicate; `search` finding a family; `family` the family form, new or edited;
//! `team` a supervisor's view of who holds what; `signin` signing in and
//! out; `favicon` the site's icon. [`not_found`] answers a path nobody
//! serves: a page for a browser, problem+json for a program.

pub mod case;
mod case_actions;
mod case_history;
mod case_post;
mod duplicate;
pub mod dashboard;
pub mod family;
pub mod favicon;
pub mod form;
pub mod layout;
pub mod scans;
pub mod search;
pub mod signin;
pub mod team;
pub mod words;
pub mod work;

use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};

use crate::http::AppState;
use crate::http::pages::layout::{Header, PageLang, notice, page_with_status};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

/// The workbench's routes; not part of the API's OpenAPI document.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(work::home))
        .route("/search", get(search::search))
        .route("/team", get(team::team))
        .route("/team/assign", post(team::assign_several))
        .route(
            "/applications/new",
            get(family::new_form).post(family::post_new),
        )
        .route("/applications/{reference}", get(case::case_page))
        .route(
            "/applications/{reference}/edit",
            get(family::edit_form).post(family::post_edit),
        )
        .route("/applications/{reference}/act", post(case_post::act))
        .route(
            "/applications/{reference}/documents",
            // The scan's own limit applies while it is streamed, not the
            // forms' 256 KiB.
            post(scans::post_upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/applications/{reference}/members/from/{person}",
            post(case_post::add_member_from_case),
        )
        .route("/applications/{reference}/claim", post(work::claim))
        .route("/applications/{reference}/assign", post(work::assign))
        .route("/applications/{reference}/release", post(work::release))
        .route(
            "/applications/{reference}/duplicates/{flag}",
            get(duplicate::confirm).post(duplicate::decide),
        )
        .route("/web/style.css", get(style))
        .route("/favicon.ico", get(favicon))
        .merge(signin::routes())
}

async fn style() -> Response {
    let mut response = layout::STYLE.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

async fn favicon() -> Response {
    let mut response = favicon::ICON.as_slice().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/vnd.microsoft.icon"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

/// A path nobody serves. A browser asking for a page (it accepts
/// `text/html`) outside the API and the portal gets a page in the site's
/// frame, in the reader's language, with the status 404; anyone else the
/// API's problem+json.
pub async fn not_found(State(state): State<AppState>, request: Request) -> Response {
    let (mut parts, _) = request.into_parts();
    let path = parts.uri.path();
    let for_programs = path.starts_with("/api/") || path.starts_with("/portal/");
    let wants_html = parts
        .headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|kind| {
            kind.split(';')
                .next()
                .is_some_and(|k| k.trim().eq_ignore_ascii_case("text/html"))
        });
    if for_programs || !wants_html {
        return crate::http::api::system::not_found().await.into_response();
    }
    let Ok(lang) = PageLang::from_request_parts(&mut parts, &state).await;
    let user = WebUser::from_request_parts(&mut parts, &state).await.ok();
    let path = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_string();
    let header = Header {
        user: user.as_ref(),
        path: &path,
    };
    let body = html! {
        p { (lang.say(&words::THERE_IS_NO_PAGE_AT_THIS_ADDRESS)) }
        p { a href="/" { (lang.say(&words::GO_TO_THE_HOME_PAGE)) } }
    };
    page_with_status(
        StatusCode::NOT_FOUND,
        lang,
        &header,
        lang.say(&words::PAGE_NOT_FOUND),
        body,
    )
}

/// What a problem says, in the reader's language: its detail, and each
/// field's error.
pub fn problem_text(lang: PageLang, error: &ApiError) -> String {
    let parts = error.parts();
    let mut text = parts.detail.get(lang.lang).to_string();
    for field in &parts.errors {
        let message = if lang.ar() {
            &field.message_ar
        } else {
            &field.message
        };
        text.push_str(&format!(" — {}: {message}", field.field));
    }
    text
}

/// A page that could not be shown as asked: the problem, with `then`
/// (a form to try again) below it.
pub fn error_page(
    lang: PageLang,
    header: &Header<'_>,
    title: &str,
    error: &ApiError,
    then: Markup,
) -> Response {
    let body = html! {
        (notice("error", &problem_text(lang, error)))
        (then)
        p { a href="/" { (lang.say(&words::BACK_TO_MY_WORK)) } }
    };
    page_with_status(error.status(), lang, header, title, body)
}

/// A case state by its name in the reader's language (from the first
/// definition that has it).
pub fn state_label(state: &AppState, lang: PageLang, name: &str) -> String {
    let labels = crate::app::case_view::state_labels(&state.engine, name);
    if lang.ar() { labels.ar } else { labels.en }
}
