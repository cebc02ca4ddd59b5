//! The panel's tables: the bottleneck with the SLA breaches, officers' workload, and the agency portal's use.

use maud::{Markup, html};

use super::format::{label, number, period};
use crate::app::portal;
use crate::app::stats::{Bottleneck, Breaches, Workload};
use crate::domain::language::{Locale, nouns};
use crate::http::pages::words::dashboard as words;

pub(super) fn bottleneck_block(b: &Bottleneck, s: &Breaches, locale: Locale) -> Markup {
    html! {
        @match (&b.state, &b.state_label, b.ranking.first()) {
            (Some(state), Some(l), Some(top)) => {
                p class="callout" data-bottleneck=(state) {
                    (locale.say(&words::THE_BOTTLENECK_IS)) " "
                    strong { (label(l, locale)) } ": "
                    (locale.count(top.families, &nouns::FAMILIES, ("family", "families")))
                    (locale.say(&words::LIST_COMMA))
                    (locale.say(&words::WAITING_ON_AVERAGE)) " "
                    (locale.count(top.mean_days, &nouns::DAYS_AFTER, ("day", "days")))
                }
            }
            _ => p { (locale.say(&words::NOTHING_IS_WAITING)) },
        }
        table class="data" {
            thead {
                tr {
                    th { (locale.say(&words::STAGE)) }
                    th { (locale.say(&words::OFFICE)) }
                    th { (locale.say(&words::PAST_DUE)) }
                    th { (locale.say(&words::OPEN_COLUMN)) }
                }
            }
            tbody {
                @for r in s.rows.iter().take(12) {
                    tr {
                        td { (label(&r.state_label, locale)) }
                        td { (label(&r.office_label, locale)) }
                        td { (number(r.breached_families, locale)) }
                        td { (number(r.open_families, locale)) }
                    }
                }
            }
        }
    }
}

pub(super) fn workload_table(w: &Workload, locale: Locale) -> Markup {
    html! {
        p class="method" {
            (locale.say(&words::ACTIONS_FROM)) " " (period(w.from, w.to, locale)) ". "
            (locale.say(&words::AUTOMATIC_STEPS)) ": " (number(w.automatic_actions, locale))
        }
        div class="table-wrap" {
            table class="data" {
                thead {
                    tr {
                        th { (locale.say(&words::OFFICER)) }
                        th { (locale.say(&words::DISTRICT)) }
                        th { (locale.say(&words::HOLDING)) }
                        th { (locale.say(&words::ACTIONS)) }
                    }
                }
                tbody {
                    @for o in w.officers.iter().take(15) {
                        tr {
                            td dir="ltr" { (o.officer) }
                            td { (label(&o.district_label, locale)) }
                            td { (number(o.holding, locale)) }
                            td { (number(o.actions, locale)) }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn versions_table(v: &crate::app::stats::Versions, locale: Locale) -> Markup {
    html! {
        table class="data" {
            thead {
                tr {
                    th { (locale.say(&words::WORKFLOW)) }
                    th { (locale.say(&words::VERSION)) }
                    th { (locale.say(&words::APPLICATIONS)) }
                    th { (locale.say(&words::PERSONS)) }
                }
            }
            tbody {
                @for row in &v.versions {
                    tr data-version=(row.version) {
                        td { (label(&row.title, locale)) }
                        td { (number(row.version as i64, locale)) }
                        td { (number(row.families, locale)) }
                        td { (number(row.persons, locale)) }
                    }
                }
            }
        }
    }
}

/// A scope's or an access-log result's name in the reader's language; the
/// code itself only for one this version does not know.
fn portal_name(code: &str, locale: Locale) -> String {
    portal::Scope::parse(code)
        .map(portal::Scope::names)
        .or_else(|| portal::result::names(code))
        .map_or(code.to_string(), |(ar, en)| locale.pick(ar, en).to_string())
}

/// Scopes or refusals by name with their counts, or a dash for none.
fn named(list: &[(String, i64)], locale: Locale) -> Markup {
    html! {
        @if list.is_empty() {
            "—"
        }
        @for (i, (code, count)) in list.iter().enumerate() {
            @if i > 0 { (locale.say(&words::LIST_COMMA)) }
            span data-name=(code) { (portal_name(code, locale)) } " " (number(*count, locale))
        }
    }
}

pub(super) fn portal_table(p: &portal::PortalStatistics, locale: Locale) -> Markup {
    html! {
        p class="method" {
            (locale.say(&words::FROM)) " " (period(p.from, p.to, locale)) ". "
            (locale.say(&words::BUSIEST_SCOPES)) ": " (named(&p.scopes, locale)) ". "
            (locale.say(&words::REFUSALS_BY_KIND)) ": " (named(&p.refusals, locale))
        }
        div class="table-wrap" {
            table class="data portal" {
                thead {
                    tr {
                        th { (locale.say(&words::AGENCY)) }
                        th { (locale.say(&words::QUERIES)) }
                        th { (locale.say(&words::ANSWERED)) }
                        th { (locale.say(&words::REFUSED)) }
                    }
                }
                tbody {
                    @if p.agencies.is_empty() {
                        tr {
                            td colspan="4" {
                                (locale.say(&words::NO_QUERIES_IN_THIS_PERIOD))
                            }
                        }
                    }
                    @for a in &p.agencies {
                        tr data-agency=(a.agency) data-queries=(a.queries) data-refused=(a.refused) {
                            td dir="ltr" { (a.agency) }
                            td { (number(a.queries, locale)) }
                            td { (number(a.answered, locale)) }
                            td { (number(a.refused, locale)) }
                        }
                    }
                }
            }
        }
    }
}
