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
use chrono::{Datelike, NaiveDate};
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

/// A date as three boxes post it (the day, the month and the year), kept
/// as typed so that a refused form shows it again unchanged. Never an
/// `<input type=date>`, whose order follows the browser's locale
/// (month first in Chromium) where the office reads the day first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DateBoxes {
    pub day: String,
    pub month: String,
    pub year: String,
}

/// Why three boxes are not a date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateProblem {
    /// Nothing typed.
    Blank,
    /// One box or two left blank: the first of them.
    Lacks(DatePart),
    /// A box that is not a number.
    NotNumbers,
    /// A year not written with four digits.
    ShortYear,
    /// A day the calendar does not have (31/2, month 13).
    NoSuchDay { day: u32, month: u32, year: i32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePart {
    Day,
    Month,
    Year,
}

impl DateBoxes {
    /// The boxes of a day, as a form shows it.
    pub fn of(day: NaiveDate) -> DateBoxes {
        DateBoxes {
            day: day.day().to_string(),
            month: day.month().to_string(),
            year: day.year().to_string(),
        }
    }

    /// The day typed, in Western or Arabic-Indic (or Eastern Arabic-Indic)
    /// digits, with spaces around them allowed.
    pub fn parse(&self) -> Result<NaiveDate, DateProblem> {
        let boxes = [
            (DatePart::Day, western(&self.day)),
            (DatePart::Month, western(&self.month)),
            (DatePart::Year, western(&self.year)),
        ];
        if boxes.iter().all(|(_, t)| t.is_empty()) {
            return Err(DateProblem::Blank);
        }
        if let Some((part, _)) = boxes.iter().find(|(_, t)| t.is_empty()) {
            return Err(DateProblem::Lacks(*part));
        }
        if boxes
            .iter()
            .any(|(_, t)| t.len() > 4 || !t.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(DateProblem::NotNumbers);
        }
        let [(_, day), (_, month), (_, year)] = &boxes;
        if year.len() != 4 {
            return Err(DateProblem::ShortYear);
        }
        let (day, month, year) = (
            day.parse::<u32>().unwrap_or(0),
            month.parse::<u32>().unwrap_or(0),
            year.parse::<i32>().unwrap_or(0),
        );
        NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::NoSuchDay { day, month, year })
    }

    /// Why the boxes are not a date, in both languages, naming the field
    /// by its `label`.
    pub fn problem_text(problem: DateProblem, label: words::Words) -> words::Text {
        match problem {
            DateProblem::Blank => words::write_the_date(label),
            DateProblem::Lacks(part) => words::the_date_lacks(
                label,
                match part {
                    DatePart::Day => words::A_DAY,
                    DatePart::Month => words::A_MONTH,
                    DatePart::Year => words::A_YEAR,
                },
            ),
            DateProblem::NotNumbers => words::the_date_in_numbers(label),
            DateProblem::ShortYear => words::the_year_in_full(label),
            DateProblem::NoSuchDay { day, month, year } => {
                words::no_such_date(label, day, month, year)
            }
        }
    }

    /// The field's error if the boxes are not a date: the day, or the
    /// error that names `path` in both languages.
    pub fn read(&self, path: &str, label: words::Words) -> Result<NaiveDate, FieldError> {
        self.parse()
            .map_err(|problem| FieldError::said(path, DateBoxes::problem_text(problem, label)))
    }
}

/// Text with its Arabic-Indic digits (٠–٩, and the Eastern ۰–۹ of Persian
/// and Kurdish keyboards) written as Western ones, trimmed.
pub(super) fn western(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            c => c,
        })
        .collect()
}

/// The three boxes of a date (the GOV.UK design system's date input): one
/// group with its legend, a hint of the order, the error beside the
/// group, and a labelled box each for the day, the month and the year,
/// named `{name}.day`, `{name}.month` and `{name}.year`. The day's box
/// has the field's id, which an error summary links to.
pub fn date_boxes(
    lang: PageLang,
    name: &str,
    id: &str,
    legend: &str,
    value: &DateBoxes,
    error: Option<&str>,
) -> maud::Markup {
    let hint = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = if error.is_some() {
        format!("{hint} {error_id}")
    } else {
        hint.clone()
    };
    let boxes = [
        ("day", id.to_string(), words::DAY, &value.day, "2"),
        (
            "month",
            format!("{id}-month"),
            words::MONTH,
            &value.month,
            "2",
        ),
        ("year", format!("{id}-year"), words::YEAR, &value.year, "4"),
    ];
    html! {
        div class=(if error.is_some() { "field date has-error" } else { "field date" }) {
            fieldset class="date-input" role="group" aria-describedby=(described) {
                legend { (legend) }
                span class="hint" id=(hint) { (lang.say(&words::FOR_EXAMPLE_A_DATE)) }
                @if let Some(error) = error { span class="error-text" id=(error_id) { (error) } }
                div class="date-boxes" {
                    @for (part, box_id, label, typed, width) in boxes {
                        div class="date-box" {
                            label for=(box_id) { (lang.say(&label)) }
                            input id=(box_id) name=(format!("{name}.{part}")) value=(typed)
                                class={ "width-" (width) } inputmode="numeric" autocomplete="off"
                                dir="ltr" aria-invalid=[error.is_some().then_some("true")];
                        }
                    }
                }
            }
        }
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

    fn check(day: &str, month: &str, year: &str, expected: Result<NaiveDate, DateProblem>) {
        let boxes = DateBoxes {
            day: day.into(),
            month: month.into(),
            year: year.into(),
        };
        assert_eq!(boxes.parse(), expected, "{day}/{month}/{year}");
    }

    #[test]
    fn three_boxes_are_a_date_read_day_first_in_either_digits() {
        let day = |y, m, d| Ok(NaiveDate::from_ymd_opt(y, m, d).expect("a date"));
        check("12", "7", "2010", day(2010, 7, 12));
        check(" 03 ", "02", "1976", day(1976, 2, 3));
        check("١٢", "٧", "٢٠١٠", day(2010, 7, 12));
        check("۲۹", "۲", "۲۰۰۸", day(2008, 2, 29));
        check("", " ", "", Err(DateProblem::Blank));
        check("12", "", "2010", Err(DateProblem::Lacks(DatePart::Month)));
        check("", "7", "", Err(DateProblem::Lacks(DatePart::Day)));
        check("12", "July", "2010", Err(DateProblem::NotNumbers));
        check("-1", "7", "2010", Err(DateProblem::NotNumbers));
        check("12", "7", "10", Err(DateProblem::ShortYear));
        let none = |day, month, year| Err(DateProblem::NoSuchDay { day, month, year });
        check("31", "2", "2010", none(31, 2, 2010));
        check("29", "2", "2010", none(29, 2, 2010));
        check("1", "13", "2010", none(1, 13, 2010));
        check("0", "1", "2010", none(0, 1, 2010));
    }

    #[test]
    fn an_impossible_date_is_refused_naming_its_field_in_both_languages() {
        let boxes = DateBoxes {
            day: "٣١".into(),
            month: "2".into(),
            year: "2010".into(),
        };
        let error = boxes
            .read("members[1].birth_date", words::family::DATE_OF_BIRTH)
            .expect_err("no 31 February");
        assert_eq!(error.field, "members[1].birth_date");
        assert!(
            error.message_ar.contains("تاريخ الميلاد"),
            "{}",
            error.message_ar
        );
        assert!(
            error.message_ar.contains("31/2/2010"),
            "{}",
            error.message_ar
        );
        assert_eq!(
            error.message,
            "The date of birth must be a real date: there is no 31/2/2010 (day/month/year)"
        );
        assert_eq!(
            DateBoxes::of(NaiveDate::from_ymd_opt(2007, 3, 27).expect("a date")),
            DateBoxes {
                day: "27".into(),
                month: "3".into(),
                year: "2007".into()
            }
        );
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
