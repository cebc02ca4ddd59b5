//! The case page's actions: what the reader can do now, each member action
//! once for the whole family (a checkbox per member, one POST), and what
//! they cannot do folded under one line with the engine's reasons.

use maud::{Markup, html};

use crate::app::case_view::{self, CaseView};
use crate::http::pages::case::{Attempt, full_name, label};
use crate::http::pages::layout::PageLang;
use crate::http::pages::words::case as words;
use crate::http::session::WebUser;
use crate::workflow::Refusal;
use crate::workflow::fields::FieldKind;
use crate::workflow::machine::ActionOption;

/// The words of a field's label.
pub(super) fn field_label(lang: PageLang, field: &str) -> &'static str {
    match FieldKind::parse(field) {
        Some(FieldKind::Reason) => lang.say(&words::REASON),
        Some(FieldKind::NationalNumber) => lang.say(&words::NATIONAL_NUMBER_11_DIGITS),
        Some(FieldKind::CardNumber) => lang.say(&words::CARD_NUMBER),
        Some(FieldKind::CollectorDocument) => lang.say(&words::COLLECTORS_IDENTITY_DOCUMENT),
        Some(FieldKind::RegisterNumber) => lang.say(&words::NEW_REGISTER_ENTRY_NUMBER_BOOK_ENTRY),
        None => lang.say(&words::FIELD),
    }
}

/// What a refusal says, in words shared by every action it bars alike: a
/// separation rule bars a whole stage for one earlier action, so its reason
/// is said without the action; any other refusal as the engine words it.
fn reason(refusal: &Refusal, lang: PageLang) -> String {
    match refusal {
        Refusal::SeparationOfDuties(s) => lang.say(&words::barred_by_separation(s)).to_string(),
        other => other.text().get(lang.lang).to_string(),
    }
}

/// The actions the reader can take now: those on the whole application,
/// then each member action once, for every member it is open to (a
/// checkbox each, ticked, with the fields that are each member's own), so
/// that a family is verified, registered or handed its cards in one
/// submission. What the reader cannot do is folded under one line, each
/// with the engine's reason (a reason shared by several said once).
pub(super) fn actions(
    user: &WebUser,
    lang: PageLang,
    view: &CaseView,
    attempt: Option<&Attempt>,
) -> Markup {
    let open: Vec<(usize, &ActionOption)> = view
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.refusal.is_none())
        .collect();
    let on_case: Vec<&(usize, &ActionOption)> =
        open.iter().filter(|(_, o)| o.member.is_none()).collect();
    let mut member_actions: Vec<&str> = Vec::new();
    for (_, o) in open.iter().filter(|(_, o)| o.member.is_some()) {
        if !member_actions.contains(&o.action.as_str()) {
            member_actions.push(&o.action);
        }
    }
    let refused: Vec<&ActionOption> = view
        .options
        .iter()
        .filter(|o| o.refusal.is_some())
        .collect();
    html! {
        @if open.is_empty() {
            p { (lang.say(&words::NOTHING_YOU_CAN_DO_NOW)) }
        }
        @if !on_case.is_empty() {
            h3 { (lang.say(&words::ON_THE_WHOLE_APPLICATION)) }
            div class="actions" {
                @for (i, option) in &on_case {
                    (action(user, lang, view, *i, option, attempt))
                }
            }
        }
        @for (n, name) in member_actions.iter().enumerate() {
            @let members: Vec<&ActionOption> = open
                .iter()
                .map(|(_, o)| *o)
                .filter(|o| o.action == *name && o.member.is_some())
                .collect();
            (members_action(user, lang, view, n, &members, attempt))
        }
        @if !refused.is_empty() {
            (why_not(lang, view, &refused))
        }
    }
}

/// What the reader cannot do now, and why: folded under one line.
fn why_not(lang: PageLang, view: &CaseView, refused: &[&ActionOption]) -> Markup {
    // Each reason once, with the actions (and members) it bars.
    let mut reasons: Vec<(String, Vec<String>)> = Vec::new();
    for o in refused {
        let Some(refusal) = &o.refusal else { continue };
        let text = reason(refusal, lang);
        let mut what = label(lang, &case_view::action_labels(&view.workflow, &o.action));
        if let Some(m) = o.member {
            what = format!("{what} ({} {m})", lang.say(&words::MEMBER_IN_A_LINE));
        }
        match reasons.iter_mut().find(|(t, _)| *t == text) {
            Some((_, actions)) => {
                if !actions.contains(&what) {
                    actions.push(what)
                }
            }
            None => reasons.push((text, vec![what])),
        }
    }
    html! {
        details class="why-not" {
            summary { (lang.say(&words::OTHER_ACTIONS_AND_WHY_NOT)) " (" (refused.len()) ")" }
            ul {
                @for (text, actions) in &reasons {
                    li {
                        strong { (actions.join(lang.say(&words::LIST_SEPARATOR))) } ": " (text)
                    }
                }
            }
        }
    }
}

/// The fields the kept attempt holds for `member` (`N.field` keys).
fn member_value(attempt: Option<&Attempt>, member: u32, field: &str) -> String {
    attempt
        .and_then(|a| a.fields.get(&format!("{member}.{field}")))
        .cloned()
        .unwrap_or_default()
}

/// One member action for every member it is open to: one form, a row per
/// member with its checkbox and its own fields.
fn members_action(
    user: &WebUser,
    lang: PageLang,
    view: &CaseView,
    n: usize,
    members: &[&ActionOption],
    attempt: Option<&Attempt>,
) -> Markup {
    let Some(first) = members.first() else {
        return html! {};
    };
    let name = label(
        lang,
        &case_view::action_labels(&view.workflow, &first.action),
    );
    let this_attempt = attempt.filter(|a| a.action == first.action);
    // Ticked at first for every member, unless the action excludes: a
    // member is excluded on purpose, one by one.
    let excludes = view
        .workflow
        .member
        .transitions
        .iter()
        .any(|t| t.action == first.action && view.workflow.excluded(&t.to));
    let ticked = |m: u32| match this_attempt {
        Some(a) => a.members.contains(&m),
        None => !excludes,
    };
    let person = |m: u32| view.people.iter().find(|p| p.ordinal == m);
    let id = format!("do-{}", first.action);
    html! {
        form method="post" action=(format!("/applications/{}/act", view.record.reference)) class="members-action" id=(id) {
            input type="hidden" name="csrf_token" value=(user.csrf);
            input type="hidden" name="version" value=(view.record.version);
            input type="hidden" name="action" value=(first.action);
            fieldset {
                legend { h3 { (name) } }
                @if let Some(a) = this_attempt && !a.message.is_empty() {
                    div class="error-summary" role="alert" tabindex="-1" id=(format!("{id}-error")) {
                        h4 { (lang.say(&words::THE_ACTION_WAS_NOT_TAKEN)) }
                        p { (a.message) }
                        @for (field, error) in &a.field_errors {
                            p { (field_label(lang, field)) ": " (error) }
                        }
                    }
                }
                @if members.len() > 1 {
                    p class="hint" { (lang.say(&words::TICK_THE_MEMBERS)) }
                }
                @for option in members {
                    @let Some(m) = option.member else { continue };
                    @let row = format!("{id}-{m}");
                    div class="member-row" {
                        div class="check" {
                            input type="checkbox" name="members" value=(m) id=(row) checked[ticked(m)];
                            label for=(row) {
                                (lang.say(&words::MEMBER)) " " (m)
                                @if let Some(p) = person(m) {
                                    " — " (full_name(p))
                                    " " span class="tag" { (label(lang, &view.workflow.member_state_labels(&p.state))) }
                                }
                            }
                        }
                        @for field in &option.fields {
                            @let input = format!("{row}-{field}");
                            div class="field" {
                                label for=(input) { (field_label(lang, field)) }
                                @if *field == "reason" {
                                    textarea id=(input) name=(format!("field.{m}.{field}")) rows="2" { (member_value(this_attempt, m, field)) }
                                } @else {
                                    input id=(input) name=(format!("field.{m}.{field}")) value=(member_value(this_attempt, m, field)) autocomplete="off";
                                }
                            }
                        }
                    }
                }
                div class="field" {
                    label for=(format!("{id}-comment")) { (lang.say(&words::COMMENT_OPTIONAL)) }
                    textarea id=(format!("{id}-comment")) name="comment" rows="2" {
                        (this_attempt.map(|a| a.comment.as_str()).unwrap_or(""))
                    }
                }
                button type="submit" data-n=(n) {
                    (name)
                    @if members.len() > 1 { " — " (lang.say(&words::ALL_TICKED)) }
                }
            }
        }
    }
}

/// An action on the whole application that the reader may take: its
/// button, or its small form when it needs fields.
fn action(
    user: &WebUser,
    lang: PageLang,
    view: &CaseView,
    i: usize,
    option: &ActionOption,
    attempt: Option<&Attempt>,
) -> Markup {
    let words = label(
        lang,
        &case_view::action_labels(&view.workflow, &option.action),
    );
    let this_attempt = attempt.filter(|a| a.action == option.action && a.members.is_empty());
    let form = |open: bool| {
        html! {
            form method="post" action=(format!("/applications/{}/act", view.record.reference)) {
                input type="hidden" name="csrf_token" value=(user.csrf);
                input type="hidden" name="version" value=(view.record.version);
                input type="hidden" name="action" value=(option.action);
                @if let Some(a) = this_attempt && !a.message.is_empty() {
                    div class="error-summary" role="alert" {
                        h4 { (lang.say(&words::THE_ACTION_WAS_NOT_TAKEN)) }
                        p { (a.message) }
                    }
                }
                @for field in &option.fields {
                    @let id = format!("a{i}-{field}");
                    @let error = this_attempt.and_then(|a| a.field_errors.get(*field));
                    @let value = this_attempt.and_then(|a| a.fields.get(*field)).cloned().unwrap_or_default();
                    div class=(if error.is_some() { "field has-error" } else { "field" }) {
                        label for=(id) { (field_label(lang, field)) }
                        @if let Some(error) = error { span class="error-text" id=(format!("{id}-error")) { (error) } }
                        @if *field == "reason" {
                            textarea id=(id) name=(format!("field.{field}")) rows="3" required autofocus[open] { (value) }
                        } @else {
                            input id=(id) name=(format!("field.{field}")) value=(value) required autocomplete="off" autofocus[open];
                        }
                    }
                }
                @if !option.fields.is_empty() || this_attempt.is_some_and(|a| !a.comment.is_empty()) {
                    div class="field" {
                        label for=(format!("a{i}-comment")) { (lang.say(&words::COMMENT_OPTIONAL)) }
                        textarea id=(format!("a{i}-comment")) name="comment" rows="2" {
                            (this_attempt.map(|a| a.comment.as_str()).unwrap_or(""))
                        }
                    }
                }
                button type="submit" { (words) }
            }
        }
    };
    html! {
        div class="action" id=(format!("action-{i}")) {
            @if option.fields.is_empty() && this_attempt.is_none() {
                (form(false))
            } @else {
                details open[this_attempt.is_some()] {
                    summary { (words) }
                    (form(this_attempt.is_some()))
                }
            }
        }
    }
}
