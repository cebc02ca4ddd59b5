//! The forms the pages post, typed: [`Posted`] checks that a form came
//! from this server's own page (its `Origin` and the session's anti-forgery
//! token) before any handler of a changing form runs, then parses the body
//! into the handler's form type, whose fields are parsed types
//! ([`Version`], an enum for a decision, a member number from the domain).
//! A handler cannot forget the check: without `Posted` it has no form.

use axum::Form;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Request};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer};

use crate::domain::field_error::FieldError;
use crate::http::AppState;
use crate::http::pages::error_page;
use crate::http::pages::layout::{Header, PageLang};
use crate::http::pages::words;
use crate::http::problem::ApiError;
use crate::http::session::{WebUser, forged, verify_form};

/// The name of the anti-forgery field every changing form carries.
pub const CSRF_FIELD: &str = "csrf_token";

/// A changing form from a signed-in user's own page, checked and parsed.
pub struct Posted<T> {
    pub user: WebUser,
    pub lang: PageLang,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Posted<T>, Response> {
        let (mut parts, body) = request.into_parts();
        let Ok(lang) = PageLang::from_request_parts(&mut parts, state).await;
        let user = WebUser::from_request_parts(&mut parts, state).await?;
        let refuse = |error: ApiError| refusal(&user, lang, &error);
        let bytes =
            axum::body::Bytes::from_request(Request::from_parts(parts.clone(), body), state)
                .await
                .map_err(|rejection| refuse(unreadable(&rejection.body_text())))?;
        let pairs = parse::<Vec<(String, String)>>(&parts, &bytes, state)
            .await
            .map_err(&refuse)?;
        let token = pairs
            .iter()
            .find(|(k, _)| k == CSRF_FIELD)
            .map_or("", |(_, v)| v.as_str());
        verify_form(&user, &parts.headers, token).map_err(&refuse)?;
        let form = parse::<T>(&parts, &bytes, state).await.map_err(&refuse)?;
        Ok(Posted { user, lang, form })
    }
}

/// A file sent with `multipart/form-data` from a signed-in user's own page.
/// The body is not read until the handler asks for its fields (so who may
/// attach is decided first); [`PostedUpload::fields`] is the only way to
/// them, and it checks the anti-forgery token, which must be the form's
/// first field, and the `Origin` before it hands them over.
pub struct PostedUpload {
    pub user: WebUser,
    pub lang: PageLang,
    request: Request,
}

impl FromRequest<AppState> for PostedUpload {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<PostedUpload, Response> {
        let (mut parts, body) = request.into_parts();
        let Ok(lang) = PageLang::from_request_parts(&mut parts, state).await;
        let user = WebUser::from_request_parts(&mut parts, state).await?;
        Ok(PostedUpload {
            user,
            lang,
            request: Request::from_parts(parts, body),
        })
    }
}

impl PostedUpload {
    /// The form's fields after the anti-forgery token, once the token and
    /// the `Origin` are checked.
    pub async fn fields(self) -> Result<Multipart, ApiError> {
        let headers = self.request.headers().clone();
        let mut multipart = Multipart::from_request(self.request, &())
            .await
            .map_err(|rejection| unreadable(&rejection.body_text()))?;
        let token = match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some(CSRF_FIELD) => {
                field.text().await.unwrap_or_default()
            }
            Ok(_) if self.user.csrf.is_empty() => String::new(),
            Ok(_) => return Err(forged()),
            Err(error) => return Err(unreadable(&error.body_text())),
        };
        verify_form(&self.user, &headers, &token)?;
        Ok(multipart)
    }
}

/// The case version a form was shown at: blank for none, else a whole
/// number. Anything else refuses the form (never "no expected version").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Version(pub Option<i64>);

impl Version {
    /// Blank for none, else a version number (a whole number, 0 or more).
    pub fn parse(text: &str) -> Result<Version, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Version(None));
        }
        text.parse::<i64>()
            .ok()
            .filter(|v| *v >= 0)
            .map(|v| Version(Some(v)))
            .ok_or_else(|| {
                let message = words::not_a_version_number(text);
                FieldError::bilingual("version", message.ar, message.en)
            })
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Version, D::Error> {
        let text = String::deserialize(deserializer)?;
        Version::parse(&text).map_err(|error| de::Error::custom(error.message))
    }
}

/// Parses the urlencoded body as `T`, naming what is wrong.
async fn parse<T: DeserializeOwned>(
    parts: &axum::http::request::Parts,
    bytes: &axum::body::Bytes,
    state: &AppState,
) -> Result<T, ApiError> {
    let request = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    let detail = match Form::<T>::from_request(request, state).await {
        Ok(Form(form)) => return Ok(form),
        Err(rejection) => rejection.body_text(),
    };
    // A version that is no number is said in the reader's language (the
    // parser's own words, `detail`, are English).
    let again = Request::from_parts(parts.clone(), Body::from(bytes.clone()));
    let pairs = Form::<Vec<(String, String)>>::from_request(again, state)
        .await
        .map(|Form(pairs)| pairs)
        .unwrap_or_default();
    let version = pairs
        .iter()
        .find(|(name, _)| name == "version")
        .and_then(|(_, value)| Version::parse(value).err());
    Err(match version {
        Some(error) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_form",
            words::INVALID_FORM.text(),
            crate::domain::language::Text::new(error.message_ar, error.message),
        ),
        None => not_understood(&detail),
    })
}

fn not_understood(detail: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_form",
        words::INVALID_FORM.text(),
        words::form_not_understood(detail),
    )
}

fn unreadable(detail: &str) -> ApiError {
    ApiError::bad_request("invalid_form", words::invalid_form(detail))
}

/// The page a refused form answers with: what is wrong, and the way back.
fn refusal(user: &WebUser, lang: PageLang, error: &ApiError) -> Response {
    let header = Header {
        user: Some(user),
        path: "/",
    };
    let title = lang.say(&words::THE_FORM_WAS_NOT_ACCEPTED);
    error_page(lang, &header, title, error, html! {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct VersionForm {
        #[serde(default)]
        version: Version,
    }

    /// What the pages' `Form` makes of a body's version.
    async fn version(body: &'static str) -> Result<Option<i64>, String> {
        let request = Request::builder()
            .method("POST")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .map_err(|e| e.to_string())?;
        match Form::<VersionForm>::from_request(request, &()).await {
            Ok(Form(form)) => Ok(form.version.0),
            Err(rejection) => Err(rejection.body_text()),
        }
    }

    #[tokio::test]
    async fn a_version_is_blank_or_a_number_and_nothing_else() {
        assert_eq!(version("").await, Ok(None));
        assert_eq!(version("version=").await, Ok(None));
        assert_eq!(version("version=7").await, Ok(Some(7)));
        assert_eq!(version("version=+7+").await, Ok(Some(7)));
        for bad in ["version=7x", "version=-1", "version=seven", "version=1.5"] {
            let error = version(bad).await.expect_err(bad);
            assert!(error.contains("not a version number"), "{bad}: {error}");
        }
    }
}
