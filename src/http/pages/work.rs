//! "My work" (`/`): the caller's work queue as a page — the cases in the
//! states the caller works, in the caller's district, most overdue first,
//! or the newest or oldest in their state first — with its filters, the
//! count of what they select, a mark on a case returned to its applicant
//! (a state that pauses the clock), a page at a time, and a button to
//! claim a case. `/` is also where a supervisor or leadership is sent on.

use std::collections::BTreeSet;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use crate::app::assign::{self, Assignment};
use crate::app::lists::{CaseSummary, Cursor, Holder, QueueOrder, QueueQuery};
use crate::app::pages::{self, Home};
use crate::domain::places::Office;
use crate::http::AppState;
use crate::http::pages::case_history::moment;
use crate::http::pages::form::{Posted, Version};
use crate::http::pages::layout::{Header, PageLang, date, notice, page, page_with_status};
use crate::http::pages::words::work as words;
use crate::http::pages::{error_page, problem_text, state_label};
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

/// The queue's filters as the page's form sends them (every one optional;
/// an empty field means no filter).
#[derive(Deserialize, Default)]
pub struct WorkParams {
    #[serde(default)]
    state: String,
    #[serde(default)]
    office: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    assigned: String,
    /// `newest` or `oldest` (in the state); anything else is most overdue
    /// first.
    #[serde(default)]
    sort: String,
    #[serde(default)]
    cursor: String,
    #[serde(default)]
    done: String,
}

/// `/`: where the caller starts. Leadership goes to the dashboard, a
/// supervisor who works no state to the team's work, anyone else has
/// their queue here.
pub async fn home(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    query: Query<WorkParams>,
) -> Response {
    match pages::home(&state.engine, &user.actor) {
        Home::Dashboard => Redirect::to("/dashboard").into_response(),
        Home::Team => Redirect::to("/team").into_response(),
        Home::Queue => my_work(State(state), user, lang, query).await,
    }
}

/// The page: the filters, the table, the next page.
pub async fn my_work(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Query(params): Query<WorkParams>,
) -> Response {
    let holder = match params.assigned.as_str() {
        "me" => Holder::Me,
        "unassigned" => Holder::Nobody,
        _ => Holder::Anyone,
    };
    let order = match params.sort.as_str() {
        "newest" => QueueOrder::NewestInState,
        "oldest" => QueueOrder::OldestInState,
        _ => QueueOrder::MostOverdue,
    };
    let query = QueueQuery {
        order,
        state: non_empty(&params.state),
        office: non_empty(&params.office),
        overdue: params.overdue == "true",
        holder,
        after: non_empty(&params.cursor).and_then(|c| Cursor::parse(&c)),
        limit: 50,
    };
    let path = path_of(&params);
    let header = Header {
        user: Some(&user),
        path: &path,
    };
    let title = lang.say(&words::MY_WORK);
    let result = match pages::queue_page(&state.engine, &user.actor, query, Utc::now()).await {
        Ok(result) => result,
        Err(error) => {
            let error = ApiError::from(error);
            let (states, offices) = pages::queue_choices(&state.engine, &user.actor);
            return error_page(
                lang,
                &header,
                title,
                &error,
                filters(&state, lang, &params, &states, &offices),
            );
        }
    };
    let next = result.cases.next.map(|c| {
        let mut next = params_without_cursor(&params);
        next.push(("cursor", c.to_text()));
        format!("/?{}", encode_query(&next))
    });
    let body = html! {
        @if params.done == "claimed" {
            (notice("ok", lang.say(&words::THE_CASE_IS_NOW_YOURS)))
        }
        (filters(&state, lang, &params, &result.states, &result.offices))
        @if result.total > 0 {
            p class="count" role="status" {
                (lang.say(&words::RESULTS)) " " (crate::http::pages::words::cases(lang.locale(), result.total))
            }
        }
        @if result.cases.items.is_empty() {
            p { (lang.say(&words::NO_CASE_AWAITS_YOUR_WORK_HERE)) }
        } @else {
            (queue_table(&state, &user, lang, order, &result, &result.cases.items))
        }
        @if let Some(next) = next {
            p class="pager" { a href=(next) { (lang.say(&words::NEXT_PAGE)) } }
        }
    };
    page(lang, &header, title, body)
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn params_without_cursor(params: &WorkParams) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (key, value) in [
        ("state", &params.state),
        ("office", &params.office),
        ("overdue", &params.overdue),
        ("assigned", &params.assigned),
        ("sort", &params.sort),
    ] {
        if !value.is_empty() {
            out.push((key, value.clone()));
        }
    }
    out
}

fn path_of(params: &WorkParams) -> String {
    let mut pairs = params_without_cursor(params);
    if !params.cursor.is_empty() {
        pairs.push(("cursor", params.cursor.clone()));
    }
    if pairs.is_empty() {
        "/".to_string()
    } else {
        format!("/?{}", encode_query(&pairs))
    }
}

/// `key=value&…` with the values percent-encoded.
pub fn encode_query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but unreserved characters.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The filter form: the states the caller works, the offices of the
/// caller's district, overdue, whose (what the page model offers).
fn filters(
    state: &AppState,
    lang: PageLang,
    params: &WorkParams,
    worked: &BTreeSet<String>,
    offices: &[Office],
) -> Markup {
    let offices: Vec<(&str, &str)> = offices
        .iter()
        .map(|o| {
            (
                o.code.as_str(),
                if lang.ar() {
                    o.names.ar.as_str()
                } else {
                    o.names.en.as_str()
                },
            )
        })
        .collect();
    html! {
        form class="filters" method="get" action="/" {
            div class="field" {
                label for="f-state" { (lang.say(&words::STATE)) }
                select id="f-state" name="state" {
                    option value="" { (lang.say(&words::ALL_MY_STATES)) }
                    @for s in worked {
                        option value=(s) selected[params.state == *s] { (state_label(state, lang, s)) }
                    }
                }
            }
            div class="field" {
                label for="f-office" { (lang.say(&words::OFFICE)) }
                select id="f-office" name="office" {
                    option value="" { (lang.say(&words::ALL_OFFICES)) }
                    @for (code, name) in &offices {
                        option value=(code) selected[params.office == *code] { (name) }
                    }
                }
            }
            div class="field" {
                label for="f-assigned" { (lang.say(&words::HELD_BY)) }
                select id="f-assigned" name="assigned" {
                    option value="" { (lang.say(&words::ANYONE)) }
                    option value="me" selected[params.assigned == "me"] { (lang.say(&words::ME)) }
                    option value="unassigned" selected[params.assigned == "unassigned"] { (lang.say(&words::NOBODY)) }
                }
            }
            div class="field" {
                label for="f-sort" { (lang.say(&words::ORDER)) }
                select id="f-sort" name="sort" {
                    option value="" { (lang.say(&words::MOST_OVERDUE_FIRST)) }
                    option value="newest" selected[params.sort == "newest"] { (lang.say(&words::NEWEST_IN_STATE_FIRST)) }
                    option value="oldest" selected[params.sort == "oldest"] { (lang.say(&words::OLDEST_IN_STATE_FIRST)) }
                }
            }
            div class="field" {
                label for="f-overdue" {
                    input id="f-overdue" type="checkbox" name="overdue" value="true" checked[params.overdue == "true"];
                    " " (lang.say(&words::OVERDUE_ONLY))
                }
            }
            div class="field" { button type="submit" class="secondary" { (lang.say(&words::SHOW)) } }
        }
    }
}

fn queue_table(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    order: QueueOrder,
    page: &pages::QueuePage,
    items: &[CaseSummary],
) -> Markup {
    let returned = &page.returned;
    let caption = match order {
        QueueOrder::MostOverdue => &words::MOST_OVERDUE_FIRST,
        QueueOrder::NewestInState => &words::NEWEST_IN_STATE_FIRST,
        QueueOrder::OldestInState => &words::OLDEST_IN_STATE_FIRST,
    };
    html! {
        div class="table-wrap" {
            table class="stack" {
                caption class="muted" { (lang.say(caption)) }
                thead {
                    tr {
                        th scope="col" { (lang.say(&words::NAME_OF_THE_CASE)) }
                        th scope="col" { (lang.say(&words::REFERENCE)) }
                        th scope="col" { (lang.say(&words::STATE)) }
                        th scope="col" { (lang.say(&words::OFFICE)) }
                        th scope="col" { (lang.say(&words::DAYS_IN_STATE)) }
                        th scope="col" { (lang.say(&words::DUE)) }
                        th scope="col" { (lang.say(&words::HELD_BY)) }
                    }
                }
                tbody {
                    @for item in items {
                        tr {
                            td data-label=(lang.say(&words::NAME_OF_THE_CASE)) {
                                a href=(format!("/applications/{}", item.reference)) {
                                    (item.display_name)
                                }
                            }
                            td data-label=(lang.say(&words::REFERENCE)) { bdi dir="ltr" { (item.reference) } }
                            td data-label=(lang.say(&words::STATE)) {
                                (state_label(state, lang, &item.state))
                                @if returned.contains(&item.state) {
                                    " " span class="tag returned" { (lang.say(&words::RETURNED)) }
                                }
                                @if let Some(back) = &item.returned {
                                    span class="returned-by told" {
                                        br;
                                        (lang.say(&words::RETURNED_BY)) " " bdi { (back.by) } (lang.say(&words::LIST_COMMA))
                                        bdi dir="ltr" { (moment(back.at)) }
                                        @if let Some(reason) = &back.reason {
                                            br;
                                            (lang.say(&words::REASON)) ": " q { bdi { (reason) } }
                                        }
                                    }
                                }
                            }
                            td data-label=(lang.say(&words::OFFICE)) {
                                (lang.say(&item.office_label))
                            }
                            td data-label=(lang.say(&words::DAYS_IN_STATE)) { (item.days_in_state) }
                            td data-label=(lang.say(&words::DUE)) {
                                @if let Some(due) = item.due_on {
                                    span class=[item.overdue.then_some("overdue")] {
                                        (date(due))
                                        @if item.overdue { " " (lang.say(&words::OVERDUE)) }
                                    }
                                } @else { "—" }
                            }
                            td data-label=(lang.say(&words::HELD_BY)) {
                                @match &item.assignee {
                                    Some(holder) => { bdi { (page.names.shown(holder)) } }
                                    None => {
                                        form method="post" action=(format!("/applications/{}/claim", item.reference)) class="inline" {
                                            input type="hidden" name="csrf_token" value=(user.csrf);
                                            input type="hidden" name="version" value=(item.version);
                                            button type="submit" class="secondary" {
                                                (lang.say(&words::CLAIM))
                                                span class="skip" { " " (item.reference) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An assignment or a release as the case page's forms post them.
#[derive(Deserialize)]
pub struct AssignForm {
    #[serde(default)]
    version: Version,
    #[serde(default)]
    user: String,
}

/// A supervisor gives the case to an officer; back to the case.
pub async fn assign(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    Posted { user, lang, form }: Posted<AssignForm>,
) -> Response {
    let assignment = Assignment::AssignTo(form.user.trim().to_string());
    change_holder(&state, &user, lang, &reference, &form, assignment).await
}

/// The holder (or a supervisor) lets go of the case; back to the case.
pub async fn release(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    Posted { user, lang, form }: Posted<AssignForm>,
) -> Response {
    change_holder(&state, &user, lang, &reference, &form, Assignment::Release).await
}

async fn change_holder(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    reference: &str,
    form: &AssignForm,
    assignment: Assignment,
) -> Response {
    let path = format!("/applications/{reference}");
    let header = Header {
        user: Some(user),
        path: &path,
    };
    let title = lang.say(&words::WHO_HOLDS_THE_CASE);
    let done = match assignment {
        Assignment::Release => "release",
        _ => "assign",
    };
    match assign::assign(
        &state.engine,
        reference,
        &user.actor,
        assignment,
        form.version.0,
        Utc::now(),
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/applications/{reference}?done={done}")).into_response(),
        Err(error) => {
            let error = ApiError::from(error);
            let body = html! {
                (notice("error", &problem_text(lang, &error)))
                p { a href=(path) { (lang.say(&words::BACK_TO_THE_CASE)) } }
            };
            page_with_status(error.status(), lang, &header, title, body)
        }
    }
}

/// A claim as the queue's button posts it.
#[derive(Deserialize)]
pub struct ClaimForm {
    #[serde(default)]
    version: Version,
    /// `case` to come back to the case's page instead of the queue.
    #[serde(default)]
    back: String,
}

/// Claims a case for the caller, then back to the queue (or the case).
pub async fn claim(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    Posted { user, lang, form }: Posted<ClaimForm>,
) -> Response {
    let header = Header {
        user: Some(&user),
        path: "/",
    };
    let title = lang.say(&words::CLAIMING_A_CASE);
    match assign::assign(
        &state.engine,
        &reference,
        &user.actor,
        Assignment::Claim,
        form.version.0,
        Utc::now(),
    )
    .await
    {
        Ok(_) if form.back == "case" => {
            Redirect::to(&format!("/applications/{reference}?done=claim")).into_response()
        }
        Ok(_) => Redirect::to("/?done=claimed").into_response(),
        Err(error) => {
            let error = ApiError::from(error);
            let body = html! {
                (notice("error", &problem_text(lang, &error)))
                p { a href=(format!("/applications/{reference}")) { (lang.say(&words::OPEN_THE_CASE)) } " · " a href="/" { (lang.say(&words::BACK_TO_MY_WORK)) } }
            };
            page_with_status(error.status(), lang, &header, title, body)
        }
    }
}
