//! `/dashboard/what-if`: the what-if form's answer on a page of its own
//! (a plain GET form, so it works without the page's script), with the
//! form again as the reader filled it in. A change that cannot be worked
//! out is shown with its fields named, above the form, what was typed kept
//! (more officers moved away than the district has among them). The page
//! reads one page model, `app::pages::what_if_page`.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;

use maud::{DOCTYPE, html};

use super::forecast::{FormValues, what_if_answer, what_if_form};
use super::locale_of;
use crate::app::pages;
use crate::app::stats::{TooFewOfficers, WhatIfQuery};
use crate::domain::field_error::FieldError;
use crate::domain::language::{Digits, Lang, Locale};
use crate::http::AppState;
use crate::http::extract::ApiQuery;
use crate::http::pages::words::dashboard as words;
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WhatIfPageParams {
    /// `ar` (default) or `en`.
    pub lang: Option<String>,
    /// One workflow's figures (the default workflow's when absent).
    #[param(max_length = 100, pattern = r"^[a-z0-9_-]*$")]
    pub workflow: Option<String>,
    /// The role of the officers added or moved.
    pub role: Option<String>,
    /// A district or an office code.
    pub district: Option<String>,
    /// Officers added (negative: moved away), as typed.
    pub add: Option<String>,
    /// New card offices, as typed.
    pub card_offices: Option<String>,
    /// The simulation's seed.
    #[param(minimum = 0)]
    pub seed: Option<i32>,
}

fn number_field(field: &str, typed: &Option<String>, errors: &mut Vec<FieldError>) -> i64 {
    match typed.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(text) => text.parse::<i64>().unwrap_or_else(|_| {
            errors.push(FieldError {
                field: field.into(),
                message: words::MUST_BE_A_WHOLE_NUMBER.en.into(),
                message_ar: words::MUST_BE_A_WHOLE_NUMBER.ar.into(),
            });
            0
        }),
    }
}

/// The what-if's answer as a page (for the dashboard's form).
#[utoipa::path(
    get, path = "/dashboard/what-if", tag = "dashboard",
    params(WhatIfPageParams),
    responses(
        (status = 200, description = "The what-if's answer with its form", content_type = "text/html", body = String),
        (status = 400, description = "A query not understood, such as an unknown parameter", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 303, description = "Not signed in (a browser's session, or a bearer token): to the sign-in page"),
        (status = 403, description = "Not leadership or a supervisor", body = crate::http::problem::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The form again, naming what cannot be worked out (a page); an unknown workflow (a problem)", content(
            (String = "text/html"),
            (crate::http::problem::Problem = "application/problem+json")
        )),
    ),
)]
pub async fn what_if_page(
    State(state): State<AppState>,
    user: WebUser,
    ApiQuery(params): ApiQuery<WhatIfPageParams>,
) -> Result<Response, ApiError> {
    let lang = match params.lang.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::Ar,
    };
    let engine = &state.engine;
    let locale = locale_of(&state, lang);
    let mut errors = Vec::new();
    let add = number_field("add", &params.add, &mut errors);
    let card_offices = number_field("card_offices", &params.card_offices, &mut errors);
    if params.seed.is_some_and(|s| s < 0) {
        errors.push(crate::domain::field_error::FieldError::said(
            "seed",
            words::THE_SEED_IS_A_NUMBER_FROM_0.text(),
        ));
    }
    let change = errors.is_empty().then(|| WhatIfQuery {
        role: params.role.clone().filter(|r| !r.is_empty()),
        district: params.district.clone().filter(|d| !d.is_empty()),
        add,
        card_offices,
        seed: params.seed.map(|s| s.max(0) as u64),
    });
    let model = pages::what_if_page(
        engine,
        &user.actor,
        params.workflow.clone().filter(|w| !w.is_empty()),
        change.as_ref(),
        Utc::now(),
    )
    .await?;
    errors.extend(model.errors);
    if let Some(too_few) = &model.too_few {
        errors.push(too_few_officers(too_few, locale.digits));
    }
    let answer = model.answer;
    let values = FormValues {
        role: params.role.clone().unwrap_or_default(),
        district: params.district.clone().unwrap_or_default(),
        add: params.add.clone().unwrap_or_default(),
        card_offices: params.card_offices.clone().unwrap_or_default(),
        errors: errors
            .iter()
            .map(|e| {
                (
                    e.field.clone(),
                    match lang {
                        Lang::Ar => e.message_ar.clone(),
                        Lang::En => e.message.clone(),
                    },
                )
            })
            .collect(),
    };
    let title = locale.say(&words::WHAT_IF_WE_CHANGE_THE_STAFF);
    let (other, other_name) = match lang {
        Lang::Ar => ("en", "English"),
        Lang::En => ("ar", words::ARABIC_LANGUAGE),
    };
    let switch = {
        let mut pairs = vec![format!("lang={other}")];
        for (k, v) in [
            ("role", &values.role),
            ("district", &values.district),
            ("add", &values.add),
            ("card_offices", &values.card_offices),
        ] {
            if !v.is_empty() {
                pairs.push(format!(
                    "{k}={}",
                    crate::http::session::percent_encode_path(v)
                ));
            }
        }
        format!("/dashboard/what-if?{}", pairs.join("&"))
    };
    let form = what_if_form(
        &model.roles,
        &engine.places,
        &model.districts,
        &values,
        locale,
    );
    let page = html! {
        (DOCTYPE)
        html lang=(locale.code()) dir=(locale.say(&words::LTR)) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — casework" }
                link rel="icon" href="data:,";
                link rel="stylesheet" href="/dashboard/what-if.css";
            }
            body {
                header class="top" {
                    h1 { (title) }
                    nav {
                        a href="/dashboard" { (locale.say(&words::BACK_TO_THE_DASHBOARD)) }
                        a href=(switch) lang=(other) hreflang=(other) { (other_name) }
                    }
                }
                main {
                    @if !errors.is_empty() {
                        div class="error-summary" role="alert" id="errors" {
                            h2 { (locale.say(&words::THIS_CHANGE_CANNOT_BE_WORKED_OUT)) }
                            ul {
                                @for e in &errors {
                                    @let (id, name) = field_of(&e.field, locale);
                                    li data-field=(e.field) {
                                        a href={ "#" (id) } { (name) } ": "
                                        (locale.pick(&e.message_ar, &e.message))
                                    }
                                }
                            }
                        }
                    }
                    section class="card" { (form) }
                    @if let Some(answer) = &answer {
                        section class="card" id="answer" { (what_if_answer(answer, locale)) }
                    }
                }
            }
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = (status, Html(page.into_string())).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// More officers moved away than the district has, said beside the field
/// of how many, its numbers in `digits`.
pub fn too_few_officers(too_few: &TooFewOfficers, digits: Digits) -> FieldError {
    FieldError::said(
        "add",
        words::cannot_move_more_officers(
            too_few.role,
            too_few.asked,
            too_few.present,
            too_few.weeks,
            &too_few.district_label,
            digits,
        ),
    )
}

/// A field's control on the form (the target of the summary's link) and
/// its name in the reader's language.
fn field_of(field: &str, locale: Locale) -> (&'static str, &'static str) {
    match field {
        "role" => ("wi-role", locale.say(&words::OFFICERS)),
        "add" => ("wi-add", locale.say(&words::HOW_MANY)),
        "district" => ("wi-district", locale.say(&words::DISTRICT_OR_OFFICE)),
        _ => ("wi-offices", locale.say(&words::NEW_CARD_OFFICES)),
    }
}
