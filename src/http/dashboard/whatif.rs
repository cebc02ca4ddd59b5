//! `/dashboard/what-if`: the what-if form's answer on a page of its own
//! (a plain GET form, so it works without the page's script), with the
//! form again as the reader filled it in. A change that cannot be worked
//! out is shown with its fields named, above the form, what was typed kept.

use std::fmt::Write as _;

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;
use utoipa::IntoParams;

use super::forecast::{FormValues, what_if_answer, what_if_form};
use super::format::pick;
use crate::app::AppError;
use crate::app::stats::{self, StatsQuery, WhatIfQuery};
use crate::domain::field_error::FieldError;
use crate::http::AppState;
use crate::http::extract::ApiQuery;
use crate::http::problem::ApiError;
use crate::http::session::WebUser;
// The same HTML escaping as the mail templates.
use crate::domain::language::Lang;
use crate::mail::templates::escape as esc;
use crate::workflow::machine::local_date;

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

const STYLE: &str = "<style>\
:root { --ink: #1d2733; --muted: #5b6775; --line: #d9dee4; --bg: #f4f6f8; --accent: #1f6f8b; }\
* { box-sizing: border-box; }\
body { margin: 0; font-family: \"Noto Naskh Arabic\", \"Noto Sans Arabic\", \"DejaVu Sans\", Tahoma, Arial, sans-serif; color: var(--ink); background: var(--bg); line-height: 1.5; }\
header.top { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; justify-content: space-between; padding: 12px 20px; background: #fff; border-bottom: 1px solid var(--line); }\
header.top h1 { font-size: 1.25rem; margin: 0; }\
header.top nav { display: flex; gap: 14px; flex-wrap: wrap; }\
a { color: var(--accent); }\
main { padding: 16px 20px; max-width: 1100px; margin: 0 auto; }\
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; margin-top: 14px; }\
.card h2 { font-size: 1.05rem; margin: 8px 0; }\
button, select, input { font: inherit; padding: 4px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }\
table.data { width: 100%; border-collapse: collapse; font-size: .92rem; }\
table.data th, table.data td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: start; }\
.table-wrap { overflow-x: auto; }\
.method { color: var(--muted); font-size: .88rem; }\
.callout { background: #fff6e6; border-inline-start: 4px solid #e07a1f; padding: 6px 10px; }\
.error-summary { border: 3px solid #b23a48; background: #fff; padding: 10px 14px; }\
.error-summary h2 { color: #b23a48; margin: 0 0 6px; font-size: 1.05rem; }\
.whatif-form { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr)); gap: 10px 14px; align-items: end; }\
.whatif-form label { display: block; font-weight: bold; margin-bottom: 2px; }\
.whatif-form .hint { display: block; color: var(--muted); font-size: .85rem; }\
.whatif-form .field-error { display: block; color: #b23a48; font-weight: bold; font-size: .9rem; }\
.whatif-form [aria-invalid=\"true\"] { border: 2px solid #b23a48; }\
.whatif-form select, .whatif-form input { width: 100%; }\
.whatif-form button { background: var(--accent); color: #fff; border-color: var(--accent); padding: 6px 14px; }\
@media (max-width: 560px) {\
 .band thead { display: none; }\
 .band tr { display: block; border-bottom: 1px solid var(--line); padding: 4px 0; }\
 .band th, .band td { display: flex; justify-content: space-between; gap: 10px; border: 0 !important; padding: 2px 4px !important; }\
 .band td::before { content: attr(data-label); color: var(--muted); }\
}\
</style>";

fn number_field(field: &str, typed: &Option<String>, errors: &mut Vec<FieldError>) -> i64 {
    match typed.as_deref().map(str::trim) {
        None | Some("") => 0,
        Some(text) => text.parse::<i64>().unwrap_or_else(|_| {
            errors.push(FieldError {
                field: field.into(),
                message: "must be a whole number".into(),
                message_ar: "يجب أن يكون عدداً صحيحاً".into(),
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
    let scope = stats::scope(
        engine,
        &user.actor,
        &StatsQuery {
            workflow: params.workflow.clone().filter(|w| !w.is_empty()),
            ..StatsQuery::default()
        },
        local_date(Utc::now()),
    )?;
    let mut errors = Vec::new();
    let add = number_field("add", &params.add, &mut errors);
    let card_offices = number_field("card_offices", &params.card_offices, &mut errors);
    if params.seed.is_some_and(|s| s < 0) {
        errors.push(crate::domain::field_error::FieldError::bilingual(
            "seed",
            "البذرة عدد غير سالب",
            "the seed is a number from 0",
        ));
    }
    let answer = if errors.is_empty() {
        match stats::what_if(
            engine,
            &scope,
            &WhatIfQuery {
                role: params.role.clone().filter(|r| !r.is_empty()),
                district: params.district.clone().filter(|d| !d.is_empty()),
                add,
                card_offices,
                seed: params.seed.map(|s| s.max(0) as u64),
            },
        )
        .await
        {
            Ok(answer) => Some(answer),
            Err(AppError::Invalid(invalid)) => {
                errors = invalid;
                None
            }
            Err(other) => return Err(other.into()),
        }
    } else {
        None
    };
    let districts: Vec<String> = match &scope.applied.district {
        Some(d) => vec![d.clone()],
        None => engine
            .places
            .districts()
            .iter()
            .map(|d| d.code.clone())
            .collect(),
    };
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
                    pick(lang, &e.message_ar, &e.message).to_string(),
                )
            })
            .collect(),
    };
    let title = pick(
        lang,
        "ماذا لو غيّرنا عدد الموظفين؟",
        "What if we change the staff?",
    );
    let mut body = String::new();
    if !errors.is_empty() {
        let _ = write!(
            body,
            r#"<div class="error-summary" role="alert" id="errors"><h2>{}</h2><ul>"#,
            pick(
                lang,
                "لا يمكن حساب هذا التغيير",
                "This change cannot be worked out"
            )
        );
        for e in &errors {
            let field = match e.field.as_str() {
                "role" => ("wi-role", pick(lang, "الموظفون", "Officers")),
                "add" => ("wi-add", pick(lang, "عددهم", "How many")),
                "district" => (
                    "wi-district",
                    pick(lang, "المنطقة أو المركز", "District or office"),
                ),
                _ => (
                    "wi-offices",
                    pick(lang, "مكاتب بطاقات جديدة", "New card offices"),
                ),
            };
            let _ = write!(
                body,
                r##"<li data-field="{}"><a href="#{}">{}</a>: {}</li>"##,
                esc(&e.field),
                field.0,
                field.1,
                esc(pick(lang, &e.message_ar, &e.message)),
            );
        }
        body.push_str("</ul></div>");
    }
    let _ = write!(
        body,
        r#"<section class="card">{}</section>"#,
        what_if_form(
            &stats::worked_roles(&scope.workflow),
            &engine.places,
            &districts,
            &values,
            lang
        )
    );
    if let Some(answer) = &answer {
        let html = super::format::with_digits(engine.settings.dashboard_digits, || {
            what_if_answer(answer, lang)
        });
        let _ = write!(
            body,
            r#"<section class="card" id="answer">{html}</section>"#
        );
    }
    let (code, dir, other, other_name) = match lang {
        Lang::Ar => ("ar", "rtl", "en", "English"),
        Lang::En => ("en", "ltr", "ar", "العربية"),
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
    let page = format!(
        r#"<!doctype html><html lang="{code}" dir="{dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} — casework</title><link rel="icon" href="data:,">{STYLE}</head><body><header class="top"><h1>{title}</h1><nav><a href="/dashboard">{back}</a><a href="{switch}" lang="{other}" hreflang="{other}">{other_name}</a></nav></header><main>{body}</main></body></html>"#,
        back = pick(lang, "العودة إلى اللوحة", "Back to the dashboard"),
        switch = esc(&switch),
    );
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut response = (status, Html(page)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; \
             form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
