//! Deciding a possible duplicate (`/applications/{reference}/duplicates/{flag}`):
//! the case page's buttons open a confirmation (a GET) showing both people
//! side by side and what the decision does; confirming posts it with a
//! comment, which is required, kept in the audit event and shown in the
//! case's history. Nothing is decided by one click.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use crate::app::AppError;
use crate::app::duplicates::{self, Decision, Person};
use crate::app::pages::{self, DuplicatePage};
use crate::domain::field_error::FieldError;
use crate::http::AppState;
use crate::http::pages::form::{Posted, Version};
use crate::http::pages::layout::{Header, PageLang, date, notice, page_with_status};
use crate::http::pages::words::case as words;
use crate::http::pages::{error_page, problem_text};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

/// The decision the case page's button chose, and the version it showed.
#[derive(Deserialize, Default)]
pub struct ConfirmParams {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    version: String,
}

/// The confirmation page.
pub async fn confirm(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Path((reference, flag)): Path<(String, i64)>,
    Query(params): Query<ConfirmParams>,
) -> Response {
    let path = format!("/applications/{reference}/duplicates/{flag}");
    let header = Header {
        user: Some(&user),
        path: &path,
    };
    let title = lang.say(&words::DECIDE_A_POSSIBLE_DUPLICATE);
    let decision = match params.decision.as_str() {
        "dismiss" => Decision::Dismiss,
        "link" => Decision::Link,
        _ => {
            let error =
                AppError::Invalid(vec![FieldError::said("decision", words::NOT_A_DECISION)]);
            return error_page(lang, &header, title, &ApiError::from(error), html! {});
        }
    };
    let version = match Version::parse(&params.version) {
        Ok(version) => version,
        Err(error) => {
            let error = ApiError::from(AppError::Invalid(vec![error]));
            return error_page(lang, &header, title, &error, html! {});
        }
    };
    let attempt = Confirming {
        decision,
        version: version.0,
        comment: String::new(),
        error: None,
    };
    show(
        &state,
        &user,
        lang,
        &reference,
        flag,
        &attempt,
        StatusCode::OK,
    )
    .await
}

/// A decision as the confirmation posts it.
#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    version: Version,
    decision: Decision,
    #[serde(default)]
    comment: String,
}

/// Dismissing or linking a possible duplicate, with its comment, then back
/// to the case with the decision announced.
pub async fn decide(
    State(state): State<AppState>,
    Path((reference, flag)): Path<(String, i64)>,
    Posted { user, lang, form }: Posted<DecisionForm>,
) -> Response {
    let mut attempt = Confirming {
        decision: form.decision,
        version: form.version.0,
        comment: form.comment,
        error: None,
    };
    if attempt.comment.trim().is_empty() {
        attempt.error = Some(Refused::Comment(
            lang.say(&words::WRITE_WHY_YOU_DECIDE_SO).to_string(),
        ));
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(&state, &user, lang, &reference, flag, &attempt, status).await;
    }
    let request = duplicates::DecisionRequest {
        reference: &reference,
        flag_id: flag,
        decision: attempt.decision,
        comment: Some(attempt.comment.as_str()),
        expected_version: attempt.version,
    };
    match duplicates::decide(&state.engine, request, &user.actor, Utc::now()).await {
        Ok(_) => Redirect::to(&format!(
            "/applications/{reference}?done={}#done",
            attempt.decision.action()
        ))
        .into_response(),
        Err(error) => {
            let error = ApiError::from(error);
            let beside = error
                .parts()
                .errors
                .iter()
                .find(|e| e.field == "comment")
                .map(|e| e.message_in(lang.lang).to_string());
            attempt.error = Some(match beside {
                Some(message) => Refused::Comment(message),
                None => Refused::Whole(problem_text(lang, &error)),
            });
            show(
                &state,
                &user,
                lang,
                &reference,
                flag,
                &attempt,
                error.status(),
            )
            .await
        }
    }
}

/// The confirmation as shown: the decision, the version it is taken at,
/// the comment typed and what was refused.
struct Confirming {
    decision: Decision,
    version: Option<i64>,
    comment: String,
    error: Option<Refused>,
}

enum Refused {
    /// The comment is missing or not accepted: said beside it.
    Comment(String),
    /// The decision is refused (decided meanwhile, the case changed).
    Whole(String),
}

async fn show(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    reference: &str,
    flag: i64,
    attempt: &Confirming,
    status: StatusCode,
) -> Response {
    let path = format!("/applications/{reference}/duplicates/{flag}");
    let header = Header {
        user: Some(user),
        path: &path,
    };
    let title = lang.say(&words::DECIDE_A_POSSIBLE_DUPLICATE);
    let page = match pages::duplicate_page(
        &state.engine,
        reference,
        flag,
        attempt.decision,
        &user.actor,
        Utc::now(),
    )
    .await
    {
        Ok(page) => page,
        Err(error) => return error_page(lang, &header, title, &ApiError::from(error), html! {}),
    };
    page_with_status(
        status,
        lang,
        &header,
        title,
        body(user, lang, &page, &path, attempt),
    )
}

fn body(
    user: &WebUser,
    lang: PageLang,
    page: &DuplicatePage,
    action: &str,
    attempt: &Confirming,
) -> Markup {
    let reference = &page.view.record.reference;
    let flag = &page.pair.flag;
    let back = format!("/applications/{reference}#possible-duplicates");
    let comment_error = match &attempt.error {
        Some(Refused::Comment(message)) => Some(message.as_str()),
        _ => None,
    };
    let reason = match flag.reason.as_str() {
        "same_register_number" => lang.say(&words::SAME_REGISTER_ENTRY),
        _ => lang.say(&words::SAME_NAME_BIRTH_YEAR_WITHIN_ONE),
    };
    html! {
        @if let Some(Refused::Whole(message)) = &attempt.error { (notice("error", message)) }
        div class="table-wrap" {
            table class="stack" {
                thead { tr {
                    th scope="col" { (lang.say(&words::IN_THIS_APPLICATION)) }
                    th scope="col" { (lang.say(&words::LOOKS_LIKE)) }
                } }
                tbody { tr {
                    td data-label=(lang.say(&words::IN_THIS_APPLICATION)) { (person(lang, &page.pair.member)) }
                    td data-label=(lang.say(&words::LOOKS_LIKE)) { (person(lang, &page.pair.candidate)) }
                } }
            }
        }
        p { (lang.say(&words::WHY)) ": " (reason) }
        @if flag.status != "open" {
            (notice("warn", lang.say(&words::ALREADY_DECIDED)))
            p { a href=(back) { (lang.say(&words::CANCEL_BACK_TO_THE_CASE)) } }
        } @else {
            form method="post" action=(action) novalidate {
                input type="hidden" name="csrf_token" value=(user.csrf);
                @if let Some(v) = attempt.version { input type="hidden" name="version" value=(v); }
                input type="hidden" name="decision" value=(match attempt.decision { Decision::Dismiss => "dismiss", Decision::Link => "link" });
                p { strong { (lang.say(match attempt.decision {
                    Decision::Dismiss => &words::ABOUT_TO_DECIDE_DIFFERENT,
                    Decision::Link => &words::ABOUT_TO_DECIDE_SAME,
                })) } }
                div class=(if comment_error.is_some() { "field has-error" } else { "field" }) {
                    label for="comment" { (lang.say(&words::WHY_YOU_DECIDE_SO)) }
                    @if let Some(error) = comment_error { span class="error-text" id="comment-error" { (error) } }
                    textarea id="comment" name="comment" rows="3" required autofocus
                        aria-invalid=[comment_error.map(|_| "true")]
                        aria-describedby=[comment_error.map(|_| "comment-error")] { (attempt.comment) }
                }
                p {
                    button type="submit" {
                        (lang.say(match attempt.decision {
                            Decision::Dismiss => &words::CONFIRM_DIFFERENT_PEOPLE,
                            Decision::Link => &words::CONFIRM_THE_SAME_PERSON,
                        }))
                    }
                    " "
                    a href=(back) { (lang.say(&words::CANCEL_BACK_TO_THE_CASE)) }
                }
            }
        }
    }
}

/// One of the two people, as the case page's table shows them.
fn person(lang: PageLang, p: &Option<Person>) -> Markup {
    match p {
        Some(p) => html! {
            (format!("{} {} {}", p.first_name, p.father_name, p.family_name)) br;
            span class="muted" { (date(p.birth_date)) " · " (p.birth_place) }
            @if let Some(n) = &p.register_number { br; bdi dir="ltr" { (n) } }
            br; a href=(format!("/applications/{}", p.reference)) { bdi dir="ltr" { (p.reference) } }
        },
        None => html! { span class="muted" { (lang.say(&words::NO_LONGER_THERE)) } },
    }
}
