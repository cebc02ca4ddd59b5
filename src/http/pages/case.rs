//! A case's page (`/applications/{reference}`): the family with each
//! member's state, the documents, the due date, who holds it, the possible
//! duplicates, the history in plain words, and every action the caller
//! could take now — a small form when it is allowed, a disabled button with
//! the engine's reason when it is not. Acting posts the form with the
//! version the officer saw; if someone changed the case meanwhile, the page
//! says who and when, shows the case as it is now and keeps what the
//! officer typed.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use crate::app::case_view::{self, CaseView, PersonRecord};
use crate::app::duplicates::{self, Pair};
use crate::app::pages;
use crate::domain::calendar::{local_date, syria_time};
use crate::domain::family::{DocumentKind, Persons, Relationship};
use crate::domain::roles::Role;
use crate::http::AppState;
use crate::http::pages::case_actions::{actions, field_label};
use crate::http::pages::case_history::{history_list, why_here};
use crate::http::pages::error_page;
use crate::http::pages::layout::{Header, PageLang, date, notice, page_with_status};
use crate::http::pages::words::case as words;
use crate::http::problem::ApiError;
use crate::http::session::WebUser;

/// What the last attempt to act left to show: the officer's own words
/// kept, and why the action was not taken.
#[derive(Default)]
pub(super) struct Attempt {
    pub(super) action: String,
    pub(super) member: Option<u32>,
    /// The members ticked, for a member action (their fields are kept as
    /// `N.field`).
    pub(super) members: Vec<u32>,
    pub(super) fields: BTreeMap<String, String>,
    pub(super) comment: String,
    /// The refusal, in the reader's language.
    pub(super) message: String,
    /// Per field, what is wrong with it.
    pub(super) field_errors: BTreeMap<String, String>,
}

#[derive(Deserialize, Default)]
pub struct CaseParams {
    #[serde(default)]
    done: String,
    /// For how many members it was done, when more than one.
    #[serde(default)]
    n: String,
}

/// The page.
pub async fn case_page(
    State(state): State<AppState>,
    user: WebUser,
    lang: PageLang,
    Path(reference): Path<String>,
    Query(params): Query<CaseParams>,
) -> Response {
    let done = (!params.done.is_empty()).then(|| Done {
        action: params.done.as_str(),
        members: params.n.parse().ok().filter(|n| *n > 1),
    });
    render(
        &state,
        &user,
        lang,
        &reference,
        done,
        None,
        Meanwhile::Unchanged,
        StatusCode::OK,
    )
    .await
}

/// What was just done, announced at the top of the page.
#[derive(Clone, Copy)]
pub(super) struct Done<'a> {
    pub(super) action: &'a str,
    /// For how many members, when more than one.
    pub(super) members: Option<u32>,
}

/// Whether someone else changed the case while the officer worked on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Meanwhile {
    Unchanged,
    Changed,
}

/// Renders the case as it is now (its page model, read once), with a
/// notice of what was done, an attempt that was refused, or a change
/// someone else made meanwhile.
#[allow(clippy::too_many_arguments)]
pub(super) async fn render(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    reference: &str,
    done: Option<Done<'_>>,
    attempt: Option<&Attempt>,
    meanwhile: Meanwhile,
    status: StatusCode,
) -> Response {
    let path = format!("/applications/{reference}");
    let header = Header {
        user: Some(user),
        path: &path,
    };
    let case = match pages::case_page(&state.engine, reference, &user.actor, Utc::now()).await {
        Ok(case) => case,
        Err(error) => {
            let error = ApiError::from(error);
            return error_page(
                lang,
                &header,
                lang.say(&words::APPLICATION),
                &error,
                html! {},
            );
        }
    };
    let changed = (meanwhile == Meanwhile::Changed).then(|| changed_meanwhile(lang, &case));
    let view = &case.view;
    let history = &case.history;
    let pairs = &case.duplicates;
    let scans = case.scans.as_deref();
    let officers = &case.officers;
    // A family's case is named by its head; a one-person case by the person.
    let title = format!("{} — {}", view.display_name(), view.record.reference);
    let body = html! {
        @if let Some(done) = done {
            div id="done" tabindex="-1" {
                @let what = label(lang, &case_view::action_labels(&view.workflow, done.action));
                @let text = match done.members {
                    Some(n) => format!("{} {what} — {}", lang.say(&words::DONE), words::members(lang.lang, n)),
                    None => format!("{} {what}", lang.say(&words::DONE)),
                };
                (notice("ok", &text))
            }
        }
        @if let Some(changed) = changed { (changed) }
        @if let Some(attempt) = attempt
            && !view.options.iter().any(|o| o.action == attempt.action && o.member == attempt.member && o.refusal.is_none())
            && (!attempt.fields.is_empty() || !attempt.comment.is_empty())
        {
            (kept_text(lang, attempt))
        }
        @if let Some(attempt) = attempt && !attempt.message.is_empty() {
            (notice("error", &attempt.message))
        }
        (why_here(lang, view, &case))
        (summary(state, user, lang, view, officers, &case.names))
        @if let Some(workflow) = &case.register_missing {
            p class="no-print register-missing" {
                a class="button secondary" href=(format!("/applications/new?workflow={}&family={}", workflow.name, view.record.reference)) {
                    (lang.say(&words::REGISTER_A_MISSING_MEMBER))
                }
                " " span class="muted" { (lang.say(&workflow.form.new)) }
            }
        }
        h2 { (lang.say(&view.workflow.form.persons)) }
        (members(lang, view))
        // A one-person case files its evidence with the person, nothing
        // for the case as a whole.
        @if !view.workflow.form.case_documents.is_empty() {
            h2 { (lang.say(&words::FAMILY_DOCUMENTS)) }
            (family_documents(lang, view))
        }
        (crate::http::pages::scans::scans_section(lang, view, scans, case.purged_at()))
        @if case.takes_scans() { (crate::http::pages::scans::upload_form(user, lang, view)) }
        section class="no-print" aria-labelledby="what-you-can-do" {
            h2 id="what-you-can-do" { (lang.say(&words::WHAT_YOU_CAN_DO)) }
            (actions(user, lang, view, attempt))
        }
        @if !pairs.is_empty() {
            h2 id="possible-duplicates" { (lang.say(&words::POSSIBLE_DUPLICATES)) }
            (duplicates_table(user, lang, view, pairs))
        }
        h2 { (lang.say(&words::HISTORY)) }
        (history_list(lang, view, history, &case.names))
    };
    page_with_status(status, lang, &header, &title, body)
}

/// Who changed the case last, and when: the case as it is now is below,
/// what the officer typed is kept.
fn changed_meanwhile(lang: PageLang, case: &pages::CasePage) -> Markup {
    html! {
        div class="notice warn" role="alert" {
            @if let Some(last) = case.last_event() {
                (lang.say(&words::CHANGED_BY)) " " strong { (last.actor) } " "
                (lang.say(&words::AT)) " "
                bdi dir="ltr" { (last.at.with_timezone(&syria_time()).format("%Y-%m-%d %H:%M").to_string()) }
                (lang.say(&words::HERE_IS_THE_CASE_AS_IT))
            } @else {
                (lang.say(&words::THE_CASE_CHANGED_MEANWHILE_WHAT_YOU))
            }
        }
    }
}

/// What the officer typed for an action that can no longer be taken as it
/// was (the case moved on meanwhile): shown so that nothing is lost.
fn kept_text(lang: PageLang, attempt: &Attempt) -> Markup {
    html! {
        div class="notice warn" {
            p { strong { (lang.say(&words::WHAT_YOU_TYPED_KEPT_FOR_YOU)) } }
            @for (field, value) in &attempt.fields {
                @let id = format!("kept-{field}");
                label for=(id) { (field_label(lang, field)) }
                textarea id=(id) readonly rows="3" { (value) }
            }
            @if !attempt.comment.is_empty() {
                label for="kept-comment" { (lang.say(&words::COMMENT)) }
                textarea id="kept-comment" readonly rows="2" { (attempt.comment) }
            }
        }
    }
}

/// A label in the reader's language.
pub(super) fn label(lang: PageLang, labels: &crate::domain::language::Text) -> String {
    lang.say(labels).to_string()
}

pub(super) fn full_name(p: &PersonRecord) -> String {
    format!("{} {} {}", p.first_name, p.father_name, p.family_name)
}

fn summary(
    state: &AppState,
    user: &WebUser,
    lang: PageLang,
    view: &CaseView,
    officers: &[String],
    names: &crate::app::pages::Names,
) -> Markup {
    let r = &view.record;
    let places = &state.engine.places;
    let place = |code: &str| {
        places.names(code).map_or_else(
            || code.to_string(),
            |n| {
                if lang.ar() {
                    n.ar.clone()
                } else {
                    n.en.clone()
                }
            },
        )
    };
    let today = local_date(Utc::now());
    html! {
        dl class="summary-list" {
            dt { (lang.say(&words::STATE)) }
            dd { strong { (label(lang, &view.workflow.state_labels(&r.state))) } }
            dt { (lang.say(&words::REFERENCE)) }
            dd { bdi dir="ltr" { (r.reference) } }
            dt { (lang.say(&words::DISTRICT_AND_OFFICE)) }
            dd { (place(&r.district)) " — " (place(&r.office)) }
            dt { (lang.say(&words::SUBMITTED_ON)) }
            dd { (date(r.submitted_on)) }
            dt { (lang.say(&words::DUE)) }
            dd {
                @if let Some(due) = r.due_on {
                    (date(due))
                    @if view.overdue {
                        " " span class="overdue" {
                            (lang.say(&words::OVERDUE)) " "
                            ((today - due).num_days()) " " (lang.say(&words::DAYS))
                        }
                    }
                } @else { "—" }
            }
            dt { (lang.say(&words::HELD_BY)) }
            dd {
                @match &r.assignee {
                    Some(holder) => { bdi { (names.shown(holder)) } " " }
                    None => { (lang.say(&words::NOBODY)) " " }
                }
                @if r.assignee.is_none() && !view.workflow.state(&r.state).is_some_and(|s| s.terminal) && view.may_work {
                    form method="post" action=(format!("/applications/{}/claim", r.reference)) class="inline" {
                        input type="hidden" name="csrf_token" value=(user.csrf);
                        input type="hidden" name="version" value=(r.version);
                        input type="hidden" name="back" value="case";
                        button type="submit" class="secondary" { (lang.say(&words::CLAIM_THE_CASE)) }
                    }
                }
                @if r.assignee.as_deref() == Some(user.actor.id.as_str()) || (r.assignee.is_some() && user.actor.roles.contains(&Role::Supervisor)) {
                    form method="post" action=(format!("/applications/{}/release", r.reference)) class="inline" {
                        input type="hidden" name="csrf_token" value=(user.csrf);
                        input type="hidden" name="version" value=(r.version);
                        button type="submit" class="secondary" { (lang.say(&words::RELEASE_THE_CASE)) }
                    }
                }
                @if !officers.is_empty() {
                    form method="post" action=(format!("/applications/{}/assign", r.reference)) class="inline assign" {
                        input type="hidden" name="csrf_token" value=(user.csrf);
                        input type="hidden" name="version" value=(r.version);
                        label for="assign-to" class="inline-label" { (lang.say(&words::ASSIGN_TO)) }
                        " "
                        select id="assign-to" name="user" {
                            @for name in officers {
                                option value=(name) selected[r.assignee.as_deref() == Some(name.as_str())] { (names.shown(name)) }
                            }
                        }
                        " "
                        button type="submit" class="secondary" { (lang.say(&words::ASSIGN)) }
                    }
                }
            }
            @if view.record.state == view.workflow.initial
                || view.workflow.state(&r.state).is_some_and(|s| s.pauses_clock)
            {
                dt { (lang.say(&view.workflow.form.persons)) }
                dd { a href=(format!("/applications/{}/edit", r.reference)) { (lang.say(&view.workflow.form.edit)) } }
            }
            dt { (lang.say(&words::WORKFLOW)) }
            dd { (label(lang, &view.workflow.title)) " · " (lang.say(&words::VERSION)) " " (view.workflow.version) }
            @if let Some(link) = &view.linked_family {
                dt { (lang.say(&words::LINKED_FAMILY_CASE)) }
                dd {
                    a href=(format!("/applications/{}", link.reference)) { (link.reference) }
                    " · " (label(lang, &link.state_label))
                    @if let Some(ordinal) = link.joined_ordinal {
                        " · " (lang.say(&words::JOINED_THE_FAMILY_AS_MEMBER)) " " (ordinal)
                    }
                }
            }
            @if !view.linked_persons.is_empty() {
                dt { (lang.say(&words::LINKED_REGISTRATION_CASES)) }
                dd {
                    ul {
                        @for link in &view.linked_persons {
                            li {
                                a href=(format!("/applications/{}", link.reference)) { (link.reference) }
                                " · " (label(lang, &link.state_label))
                                @if let Some(ordinal) = link.joined_ordinal {
                                    " · " (lang.say(&words::MEMBER_IN_A_LINE)) " " (ordinal)
                                }
                                @if link.may_join && view.workflow.state(&r.state).is_some_and(|s| s.takes_members) {
                                    form method="post" action=(format!("/applications/{}/members/from/{}", r.reference, link.reference)) class="inline" {
                                        input type="hidden" name="csrf_token" value=(user.csrf);
                                        input type="hidden" name="version" value=(r.version);
                                        button type="submit" { (lang.say(&words::ADD_THE_REGISTERED_PERSON_TO_THE)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if view.open_duplicates > 0 {
                dt { (lang.say(&words::POSSIBLE_DUPLICATES_TERM)) }
                dd class="overdue" { (view.open_duplicates) " " (lang.say(&words::AWAITING_A_DECISION)) }
            }
        }
    }
}

fn document_label(lang: PageLang, kind: DocumentKind) -> String {
    lang.say(&kind.words()).to_string()
}

fn relationship_label(lang: PageLang, code: &str) -> String {
    match Relationship::parse(code) {
        Some(r) => lang.say(&r.words()).to_string(),
        None => code.to_string(),
    }
}

fn members(lang: PageLang, view: &CaseView) -> Markup {
    // A person never registered gets a register number, not yet a national one.
    let one_person = view.workflow.persons == Persons::One;
    // Card numbers once a card is printed for anyone in the case.
    let cards = view.people.iter().any(|p| p.card_number.is_some());
    html! {
        div class="table-wrap" {
            table class="stack" {
                thead {
                    tr {
                        th scope="col" { "#" }
                        th scope="col" { (lang.say(&words::NAME)) }
                        th scope="col" { (lang.say(&words::RELATIONSHIP)) }
                        th scope="col" { (lang.say(&words::BORN)) }
                        th scope="col" { (lang.say(&words::STATE_OF_A_MEMBER)) }
                        th scope="col" { (lang.say(&words::DOCUMENTS)) }
                        @if one_person {
                            th scope="col" { (lang.say(&words::REGISTER_NUMBER)) }
                        } @else {
                            th scope="col" { (lang.say(&words::NATIONAL_NUMBER)) }
                        }
                        @if cards {
                            th scope="col" { (lang.say(&words::CARD_NUMBER)) }
                        }
                    }
                }
                tbody {
                    @for p in &view.people {
                        tr {
                            td data-label="#" { (p.ordinal) }
                            td data-label=(lang.say(&words::NAME)) {
                                (full_name(p))
                                @if p.abroad { " " span class="tag" { (lang.say(&words::ABROAD)) } }
                            }
                            td data-label=(lang.say(&words::RELATIONSHIP)) { (relationship_label(lang, &p.relationship)) }
                            td data-label=(lang.say(&words::BORN)) { (date(p.birth_date)) }
                            td data-label=(lang.say(&words::STATE_OF_A_MEMBER)) {
                                (label(lang, &view.workflow.member_state_labels(&p.state)))
                                @if let Some(reason) = &p.exclusion_reason { br; span class="muted" { (reason) } }
                            }
                            td data-label=(lang.say(&words::DOCUMENTS)) {
                                @for kind in member_kinds(view, p) {
                                    @let present = p.documents.contains(&kind);
                                    span class="tag" {
                                        (if present { "✓ " } else { "✗ " })
                                        (document_label(lang, kind))
                                        @if !present { span class="skip" { " " (lang.say(&words::MISSING)) } }
                                    }
                                    " "
                                }
                            }
                            @if one_person {
                                td data-label=(lang.say(&words::REGISTER_NUMBER)) {
                                    @match &p.register_number { Some(n) => { bdi dir="ltr" { (n) } } None => { "—" } }
                                }
                            } @else {
                                td data-label=(lang.say(&words::NATIONAL_NUMBER)) {
                                    @match &p.national_number { Some(n) => { bdi dir="ltr" { (n) } } None => { "—" } }
                                }
                            }
                            @if cards {
                                td data-label=(lang.say(&words::CARD_NUMBER)) {
                                    @match &p.card_number { Some(n) => { bdi dir="ltr" { (n) } } None => { "—" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The documents a member's row lists: what the workflow's form asks of
/// every person (a family's member files a register extract and photos; a
/// person never registered files the evidence), and any other kind filed
/// (a court decision, asked only of an adult, once filed).
fn member_kinds(view: &CaseView, person: &PersonRecord) -> Vec<DocumentKind> {
    let mut kinds: Vec<DocumentKind> = view.workflow.form.member_documents.clone();
    for kind in &person.documents {
        if !kinds.contains(kind) {
            kinds.push(*kind);
        }
    }
    kinds
}

fn family_documents(lang: PageLang, view: &CaseView) -> Markup {
    html! {
        @for kind in view.workflow.form.case_documents.iter().copied() {
            @let present = view.family_documents.contains(&kind);
            p {
                span class="tag" {
                    (if present { "✓ " } else { "✗ " })
                    (document_label(lang, kind))
                }
                " "
                @if !present { span class="overdue" { (lang.say(&words::MISSING)) } }
            }
        }
    }
}

fn duplicates_table(user: &WebUser, lang: PageLang, view: &CaseView, pairs: &[Pair]) -> Markup {
    let decides = user
        .actor
        .roles
        .iter()
        .any(|r| duplicates::DECIDERS.contains(r));
    let person = |p: &Option<duplicates::Person>| -> Markup {
        match p {
            Some(p) => html! {
                (format!("{} {} {}", p.first_name, p.father_name, p.family_name)) br;
                span class="muted" { (date(p.birth_date)) " · " (p.birth_place) }
                @if let Some(n) = &p.register_number { br; bdi dir="ltr" { (n) } }
                br; a href=(format!("/applications/{}", p.reference)) { bdi dir="ltr" { (p.reference) } }
            },
            None => html! { span class="muted" { (lang.say(&words::NO_LONGER_THERE)) } },
        }
    };
    let reason = |r: &str| match r {
        "same_register_number" => lang.say(&words::SAME_REGISTER_ENTRY),
        _ => lang.say(&words::SAME_NAME_BIRTH_YEAR_WITHIN_ONE),
    };
    html! {
        div class="table-wrap" {
            table class="stack" {
                thead { tr {
                    th scope="col" { (lang.say(&words::IN_THIS_APPLICATION)) }
                    th scope="col" { (lang.say(&words::LOOKS_LIKE)) }
                    th scope="col" { (lang.say(&words::WHY)) }
                    th scope="col" { (lang.say(&words::DECISION)) }
                } }
                tbody {
                    @for pair in pairs {
                        tr {
                            td data-label=(lang.say(&words::IN_THIS_APPLICATION)) { (person(&pair.member)) }
                            td data-label=(lang.say(&words::LOOKS_LIKE)) { (person(&pair.candidate)) }
                            td data-label=(lang.say(&words::WHY)) { (reason(&pair.flag.reason)) }
                            td data-label=(lang.say(&words::DECISION)) {
                                @if pair.flag.status == "open" && !decides {
                                    (lang.say(&words::AWAITING_A_VERIFIERS_DECISION))
                                } @else if pair.flag.status == "open" {
                                    // A confirmation with a comment comes first.
                                    form method="get" action=(format!("/applications/{}/duplicates/{}", view.record.reference, pair.flag.id)) {
                                        button type="submit" name="decision" value="dismiss" class="secondary" { (lang.say(&words::DIFFERENT_PEOPLE)) }
                                        " "
                                        button type="submit" name="decision" value="link" class="secondary" { (lang.say(&words::THE_SAME_PERSON)) }
                                    }
                                } @else {
                                    (if pair.flag.status == "linked" { lang.say(&words::THE_SAME_PERSON) } else { lang.say(&words::DIFFERENT_PEOPLE) })
                                    @if let Some(by) = &pair.flag.decided_by { " — " (by) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
