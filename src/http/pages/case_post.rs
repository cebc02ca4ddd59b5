//! What an officer sends from a case's page: an action with its fields,
//! a linked person added to the family, a duplicate pair decided. Each
//! checks the form's anti-forgery token, goes through `app`, and answers
//! with the page again (the officer's words kept and the refusal beside
//! them) or a redirect to it.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use crate::app::AppError;
use crate::app::case_view;
use crate::app::cases;
use crate::app::duplicates;
use crate::domain::calendar::syria_time;
use crate::http::AppState;
use crate::http::pages::case::{Attempt, render};
use crate::http::pages::layout::{Header, PageLang};
use crate::http::pages::work::encode;
use crate::http::pages::{error_page, problem_text};
use crate::http::problem::ApiError;
use crate::http::session::{WebUser, verify_form};
use crate::workflow::Command;

/// Adding the registered person of a linked case to the family, with the
/// family's version the officer saw.
pub async fn add_member_from_case(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    headers: HeaderMap,
    Path((reference, person)): Path<(String, String)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let value = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let header = Header {
        user: Some(&user),
        path: "/",
    };
    let title = lang.t("ضم الشخص إلى العائلة", "Add the person to the family");
    if let Err(error) = verify_form(&user, &headers, &value("csrf_token")) {
        return error_page(lang, &header, title, &error, html! {});
    }
    let version = value("version").trim().parse::<i64>().ok();
    match cases::join_family(
        &state.engine,
        &reference,
        &person,
        &user.actor,
        version,
        Utc::now(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!(
            "/applications/{reference}?done={}",
            crate::workflow::duties::ADD_MEMBER
        ))
        .into_response(),
        Err(error) => error_page(lang, &header, title, &ApiError::from(error), html! {}),
    }
}

/// Acting: the form of one action, with the version the officer saw.
pub async fn act(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    headers: HeaderMap,
    Path(reference): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let value = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    if let Err(error) = verify_form(&user, &headers, &value("csrf_token")) {
        let header = Header {
            user: Some(&user),
            path: "/",
        };
        return error_page(lang, &header, lang.t("إجراء", "Action"), &error, html! {});
    }
    let mut attempt = Attempt {
        action: value("action"),
        member: value("member").trim().parse().ok(),
        comment: value("comment"),
        ..Attempt::default()
    };
    for (key, v) in &form {
        if let Some(field) = key.strip_prefix("field.") {
            attempt.fields.insert(field.to_string(), v.clone());
        }
    }
    let command = Command {
        action: attempt.action.clone(),
        member: attempt.member,
        fields: attempt
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), v.trim().to_string()))
            .collect(),
        comment: Some(attempt.comment.trim().to_string()).filter(|c| !c.is_empty()),
    };
    let version = value("version").trim().parse::<i64>().ok();
    match cases::perform(
        &state.engine,
        &reference,
        &user.actor,
        &command,
        version,
        Utc::now(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!(
            "/applications/{reference}?done={}",
            encode(&attempt.action)
        ))
        .into_response(),
        Err(AppError::StaleVersion { .. }) | Err(AppError::Conflict) => {
            let last = case_view::audit_trail(&state.engine, &reference, &user.actor)
                .await
                .ok()
                .and_then(|rows| rows.last().cloned());
            let changed = html! {
                div class="notice warn" role="alert" {
                    @if let Some(last) = &last {
                        (lang.t("غيّر", "Changed by")) " " strong { (last.actor) } " "
                        (lang.t("هذا الطلب في", "at")) " "
                        bdi dir="ltr" { (last.at.with_timezone(&syria_time()).format("%Y-%m-%d %H:%M").to_string()) }
                        (lang.t("، وهذه حاله الآن. ما كتبته محفوظ أدناه: راجعه ثم أعد الإرسال.", ": here is the case as it is now. What you typed is kept below: check it and send it again."))
                    } @else {
                        (lang.t("تغيّر الطلب في أثناء عملك. ما كتبته محفوظ أدناه.", "The case changed meanwhile. What you typed is kept below."))
                    }
                }
            };
            render(
                &state,
                &user,
                lang,
                &reference,
                None,
                Some(&attempt),
                Some(changed),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(error) => {
            let error = ApiError::from(error);
            attempt.message = problem_text(lang, &error);
            for field_error in &error.parts().errors {
                let message = if lang.ar() {
                    &field_error.message_ar
                } else {
                    &field_error.message
                };
                attempt
                    .field_errors
                    .insert(field_error.field.clone(), message.clone());
            }
            let status = error.status();
            render(
                &state,
                &user,
                lang,
                &reference,
                None,
                Some(&attempt),
                None,
                status,
            )
            .await
        }
    }
}

/// A duplicate decision as the buttons post it.
#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    decision: String,
}

/// Dismissing or linking a possible duplicate, then back to the case.
pub async fn decide_duplicate(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    headers: HeaderMap,
    Path((reference, flag_id)): Path<(String, i64)>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let header = Header {
        user: Some(&user),
        path: "/",
    };
    if let Err(error) = verify_form(&user, &headers, &form.csrf_token) {
        return error_page(lang, &header, lang.t("قرار", "Decision"), &error, html! {});
    }
    let decision = match form.decision.as_str() {
        "link" => duplicates::Decision::Link,
        _ => duplicates::Decision::Dismiss,
    };
    let request = duplicates::DecisionRequest {
        reference: &reference,
        flag_id,
        decision,
        comment: None,
        expected_version: form.version.trim().parse().ok(),
    };
    match duplicates::decide(&state.engine, request, &user.actor, Utc::now()).await {
        Ok(_) => Redirect::to(&format!(
            "/applications/{reference}?done={}",
            decision.action()
        ))
        .into_response(),
        Err(error) => {
            let error = ApiError::from(error);
            let attempt = Attempt {
                message: problem_text(lang, &error),
                ..Attempt::default()
            };
            render(
                &state,
                &user,
                lang,
                &reference,
                None,
                Some(&attempt),
                None,
                error.status(),
            )
            .await
        }
    }
}
