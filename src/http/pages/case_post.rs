//! What an officer sends from a case's page: an action with its fields,
//! a linked person added to the family (a duplicate pair is decided in
//! `duplicate.rs`, after a confirmation). Each
//! checks the form's anti-forgery token, goes through `app`, and answers
//! with the page again (the officer's words kept and the refusal beside
//! them) or a redirect to it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use crate::app::AppError;
use crate::app::cases;
use crate::domain::family::MemberNumber;
use crate::domain::field_error::FieldError;
use crate::http::AppState;
use crate::http::pages::case::{Attempt, Meanwhile, render};
use crate::http::pages::form::{Posted, Version};
use crate::http::pages::layout::{Header, PageLang};
use crate::http::pages::words;
use crate::http::pages::work::encode;
use crate::http::pages::{error_page, problem_text};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;
use crate::workflow::Command;
use crate::workflow::case::MemberPart;

/// The family's version the officer saw, as the add-member button posts it.
#[derive(Deserialize)]
pub struct VersionForm {
    #[serde(default)]
    version: Version,
}

/// Adding the registered person of a linked case to the family, with the
/// family's version the officer saw.
pub async fn add_member_from_case(
    State(state): State<AppState>,
    Path((reference, person)): Path<(String, String)>,
    Posted { user, lang, form }: Posted<VersionForm>,
) -> Response {
    let header = Header {
        user: Some(&user),
        path: "/",
    };
    let title = lang.say(&words::ADD_THE_PERSON_TO_THE_FAMILY);
    match cases::join_family(
        &state.engine,
        &reference,
        &person,
        &user.actor,
        form.version.0,
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
    Path(reference): Path<String>,
    Posted { user, lang, form }: Posted<Vec<(String, String)>>,
) -> Response {
    let value = |key: &str| {
        form.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let member = MemberNumber::parse(&value("member"));
    let version = Version::parse(&value("version"));
    let mut attempt = Attempt {
        action: value("action"),
        member: member
            .as_ref()
            .ok()
            .copied()
            .flatten()
            .map(MemberNumber::get),
        comment: value("comment"),
        ..Attempt::default()
    };
    for (key, v) in &form {
        if let Some(field) = key.strip_prefix("field.") {
            attempt.fields.insert(field.to_string(), v.clone());
        }
    }
    // The members ticked, each a member's number.
    let mut errors = Vec::new();
    for (_, v) in form.iter().filter(|(k, _)| k == "members") {
        match MemberNumber::parse(v) {
            Ok(Some(m)) => attempt.members.push(m.get()),
            Ok(None) => {}
            Err(error) => errors.push(error),
        }
    }
    let a_member_action = form
        .iter()
        .any(|(k, _)| k.starts_with("field.") && k[6..].contains('.'))
        || form.iter().any(|(k, _)| k == "members");
    if a_member_action && attempt.members.is_empty() && errors.is_empty() {
        errors.push(FieldError::said(
            "members",
            words::case::TICK_A_MEMBER.text(),
        ));
    }
    // A member number or a version that is not one refuses the form, with
    // what was typed kept (never a case action, never "any version").
    let (member, version) = match (member, version) {
        (Ok(member), Ok(version)) if errors.is_empty() => (member, version),
        (member, version) => {
            errors.extend([member.err(), version.err()].into_iter().flatten());
            let error = ApiError::from(AppError::Invalid(errors));
            return refused(&state, &user, lang, &reference, attempt, &error).await;
        }
    };
    // A member's own fields are `field.N.name`; the others the command's.
    let each: Vec<MemberPart> = attempt
        .members
        .iter()
        .map(|m| {
            let prefix = format!("{m}.");
            MemberPart {
                member: *m,
                fields: typed(
                    attempt
                        .fields
                        .iter()
                        .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|name| (name, v))),
                ),
            }
        })
        .collect();
    let command = Command {
        action: attempt.action.clone(),
        member: member.map(MemberNumber::get),
        fields: typed(
            attempt
                .fields
                .iter()
                .filter(|(k, _)| !k.contains('.'))
                .map(|(k, v)| (k.as_str(), v)),
        ),
        comment: Some(attempt.comment.trim().to_string()).filter(|c| !c.is_empty()),
        each,
    };
    let how_many = attempt.members.len();
    // Kept as the page's forms show it: one member's action is that
    // member ticked, with their fields as `N.field`.
    if let Some(m) = command.member
        && attempt.members.is_empty()
    {
        attempt.members.push(m);
        let own: Vec<(String, String)> = attempt
            .fields
            .iter()
            .filter(|(k, _)| !k.contains('.'))
            .map(|(k, v)| (format!("{m}.{k}"), v.clone()))
            .collect();
        attempt.fields.extend(own);
    }
    match cases::perform(
        &state.engine,
        &reference,
        &user.actor,
        &command,
        version.0,
        Utc::now(),
    )
    .await
    {
        // Back where the officer was: the result announced at the top,
        // where the browser moves to.
        Ok(_) => Redirect::to(&format!(
            "/applications/{reference}?done={}{}#done",
            encode(&attempt.action),
            if how_many > 1 {
                format!("&n={how_many}")
            } else {
                String::new()
            }
        ))
        .into_response(),
        Err(AppError::StaleVersion { .. }) | Err(AppError::Conflict) => {
            render(
                &state,
                &user,
                lang,
                &reference,
                None,
                Some(&attempt),
                Meanwhile::Changed,
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(error) => {
            refused(
                &state,
                &user,
                lang,
                &reference,
                attempt,
                &ApiError::from(error),
            )
            .await
        }
    }
}

/// Field values as typed, trimmed.
fn typed<'a>(
    fields: impl Iterator<Item = (&'a str, &'a String)>,
) -> std::collections::BTreeMap<String, String> {
    fields
        .map(|(k, v)| (k.to_string(), v.trim().to_string()))
        .collect()
}

/// The case's page again with the refusal: its message at the top, each
/// field's error beside the field, what the officer typed kept.
async fn refused(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    reference: &str,
    mut attempt: Attempt,
    error: &ApiError,
) -> Response {
    attempt.message = problem_text(lang, error);
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
    render(
        state,
        user,
        lang,
        reference,
        None,
        Some(&attempt),
        Meanwhile::Unchanged,
        error.status(),
    )
    .await
}
