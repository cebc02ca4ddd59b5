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
use crate::http::AppState;
use crate::http::pages::form::{Posted, Version};
use crate::http::pages::layout::{Header, PageLang, date, notice, page_with_status};
use crate::http::pages::words::case as words;
use crate::http::pages::{error_page, problem_text};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

/// The decision the case page's button chose.
#[derive(Deserialize, Default)]
pub struct ConfirmParams {
    #[serde(default)]
    decision: String,
}

/// The confirmation page, of the case as it is now (the decision is
/// confirmed at the version this page shows).
pub async fn confirm(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Path((reference, flag)): Path<(String, i64)>,
    Query(params): Query<ConfirmParams>,
) -> Response {
    let decision = match params.decision.as_str() {
        "dismiss" => Some(Decision::Dismiss),
        "link" => Some(Decision::Link),
        _ => None,
    };
    let shown = Shown {
        decision,
        comment: String::new(),
        error: None,
    };
    show(&state, &user, lang, &reference, flag, shown).await
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
    let request = duplicates::DecisionRequest {
        reference: &reference,
        flag_id: flag,
        decision: form.decision,
        comment: Some(form.comment.as_str()),
        comment_required: true,
        expected_version: form.version.0,
    };
    let error = match duplicates::decide(&state.engine, request, &user.actor, Utc::now()).await {
        Ok(_) => {
            return Redirect::to(&format!(
                "/applications/{reference}?done={}#done",
                form.decision.action()
            ))
            .into_response();
        }
        Err(error) => error,
    };
    // Refused: the confirmation again, of the case as it is now, with the
    // comment kept and why beside it (or above, for the whole decision).
    let stale = matches!(error, AppError::StaleVersion { .. } | AppError::Conflict);
    let error = ApiError::from(error);
    let beside = error
        .parts()
        .errors
        .iter()
        .find(|e| e.field == "comment")
        .map(|e| e.message_in(lang.lang).to_string());
    let refused = match beside {
        Some(message) => Refused::Comment(message),
        None if stale => Refused::Whole(
            lang.say(&words::THE_CASE_CHANGED_MEANWHILE_WHAT_YOU)
                .to_string(),
        ),
        None => Refused::Whole(problem_text(lang, &error)),
    };
    let shown = Shown {
        decision: Some(form.decision),
        comment: form.comment,
        error: Some((refused, error)),
    };
    show(&state, &user, lang, &reference, flag, shown).await
}

/// The confirmation as shown: the decision asked, the comment typed and
/// what was refused (with the refusal, whose status the answer takes, and
/// which is said alone if the confirmation cannot be shown any more).
struct Shown {
    decision: Option<Decision>,
    comment: String,
    error: Option<(Refused, ApiError)>,
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
    shown: Shown,
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
        shown.decision,
        &user.actor,
        Utc::now(),
    )
    .await
    {
        Ok(page) => page,
        // A refused decision whose confirmation cannot be shown any more
        // says the refusal; else what keeps the page from being shown.
        Err(page_error) => {
            let error = match shown.error {
                Some((_, error)) => error,
                None => ApiError::from(page_error),
            };
            return error_page(lang, &header, title, &error, html! {});
        }
    };
    let status = match &shown.error {
        Some((_, error)) => error.status(),
        None => StatusCode::OK,
    };
    let refused = shown.error.as_ref().map(|(refused, _)| refused);
    page_with_status(
        status,
        lang,
        &header,
        title,
        body(user, lang, &page, &path, &shown.comment, refused),
    )
}

fn body(
    user: &WebUser,
    lang: PageLang,
    page: &DuplicatePage,
    action: &str,
    comment: &str,
    refused: Option<&Refused>,
) -> Markup {
    let decision = page.decision;
    let reference = &page.view.record.reference;
    let flag = &page.pair.flag;
    let back = format!("/applications/{reference}#possible-duplicates");
    let comment_error = match refused {
        Some(Refused::Comment(message)) => Some(message.as_str()),
        _ => None,
    };
    let reason = match flag.reason.as_str() {
        "same_register_number" => lang.say(&words::SAME_REGISTER_ENTRY),
        _ => lang.say(&words::SAME_NAME_BIRTH_YEAR_WITHIN_ONE),
    };
    html! {
        @if let Some(Refused::Whole(message)) = refused { (notice("error", message)) }
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
                input type="hidden" name="version" value=(page.view.record.version);
                input type="hidden" name="decision" value=(match decision { Decision::Dismiss => "dismiss", Decision::Link => "link" });
                p { strong { (lang.say(match decision {
                    Decision::Dismiss => &words::ABOUT_TO_DECIDE_DIFFERENT,
                    Decision::Link => &words::ABOUT_TO_DECIDE_SAME,
                })) } }
                div class=(if comment_error.is_some() { "field has-error" } else { "field" }) {
                    label for="comment" { (lang.say(&words::WHY_YOU_DECIDE_SO)) }
                    @if let Some(error) = comment_error { span class="error-text" id="comment-error" { (error) } }
                    textarea id="comment" name="comment" rows="3" required autofocus
                        aria-invalid=[comment_error.map(|_| "true")]
                        aria-describedby=[comment_error.map(|_| "comment-error")] { (comment) }
                }
                p {
                    button type="submit" {
                        (lang.say(match decision {
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
