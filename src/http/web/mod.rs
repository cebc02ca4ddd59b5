//! The officers' workbench: server-rendered pages (maud) for the people who
//! advance applications, Arabic right-to-left first with English on a
//! switch. Every page is a GET; every change is a POST of a plain form
//! that redirects to a GET, so nothing needs a script.
//!
//! `layout` is the frame every page shares (language, header, security
//! headers) and the style sheet.

pub mod layout;
pub mod signin;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::http::AppState;

/// The workbench's routes; not part of the API's OpenAPI document.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/web/style.css", get(style))
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
