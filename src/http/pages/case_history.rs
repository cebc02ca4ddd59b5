//! The case page's history and, at its top, why the case is where it is.

use chrono::Utc;
use maud::{Markup, html};

use crate::app::case_view::{self, AuditRecord, CaseView};
use crate::app::pages;
use crate::domain::calendar::syria_time;
use crate::http::pages::case::label;
use crate::http::pages::layout::PageLang;
use crate::http::pages::words::case as words;

/// The history, newest first: who did what, when, with the reason and the
/// comment they gave, and every move of the case, the engine's own
/// included.
pub(super) fn history_list(
    lang: PageLang,
    view: &CaseView,
    history: &[AuditRecord],
    names: &pages::Names,
) -> Markup {
    html! {
        ol class="history" {
            @for event in history.iter().rev() {
                @let told = pages::told(event);
                li {
                    bdi dir="ltr" { (moment(event.at)) }
                    " — " strong { bdi { (names.shown(&event.actor)) } } ": "
                    (label(lang, &case_view::action_labels(&view.workflow, &event.action)))
                    @if let Some(m) = event.member { " (" (lang.say(&words::MEMBER_IN_A_LINE)) " " (m) ")" }
                    @if event.from_state != event.to_state && told.automatic.is_empty() {
                        " → " (label(lang, &view.workflow.state_labels(&event.to_state)))
                    }
                    @for state in &told.automatic {
                        br;
                        span class="automatic" {
                            (lang.say(&words::THEN_BY_ITSELF)) " → "
                            (label(lang, &view.workflow.state_labels(state)))
                        }
                    }
                    @if let Some(reason) = &told.reason {
                        br; span class="told" { (lang.say(&words::REASON)) ": " q { bdi { (reason) } } }
                    }
                    @if let Some(comment) = &told.comment {
                        br; span class="told" { (lang.say(&words::COMMENT)) ": " q { bdi { (comment) } } }
                    }
                }
            }
        }
    }
}

/// A moment as the office reads it: Syrian time, to the minute.
pub(super) fn moment(at: chrono::DateTime<Utc>) -> String {
    at.with_timezone(&syria_time())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Why the case is where it is, at the top of its page: who moved it
/// here, when, and the reason they gave.
pub(super) fn why_here(lang: PageLang, view: &CaseView, case: &pages::CasePage) -> Markup {
    let Some((event, told)) = case.why_here() else {
        return html! {};
    };
    html! {
        div class="notice warn why-here" role="note" {
            strong { (label(lang, &case_view::action_labels(&view.workflow, &event.action))) }
            " — " bdi { (case.names.shown(&event.actor)) } ", " bdi dir="ltr" { (moment(event.at)) }
            @if let Some(reason) = &told.reason {
                p { (lang.say(&words::REASON)) ": " q { bdi { (reason) } } }
            }
            @if let Some(comment) = &told.comment {
                p { (lang.say(&words::COMMENT)) ": " q { bdi { (comment) } } }
            }
        }
    }
}
