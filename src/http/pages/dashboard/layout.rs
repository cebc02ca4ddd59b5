//! The panel's HTML: the heading, the KPI tiles and the cards in their
//! order, each card filled by a chart, the diagram or a table.

use maud::{Markup, html};

use super::Figures;
use super::charts::{ageing_chart, backlog_line, district_bars, throughput_chart};
use super::diagram::diagram;
use super::drill::{Links, drill_card};
use super::format::{date, decimal, label, number, percent, place_name};
use super::tables::{bottleneck_block, portal_table, versions_table, workload_table};
use crate::app::stats::{Backlog, Past, Standing, Status, TargetKind};
use crate::domain::language::Locale;
use crate::domain::places::Places;
use crate::http::pages::words::dashboard::{self as words, Words};
use crate::workflow::definition::Workflow;

/// The panel's HTML.
pub fn render(
    f: &Figures,
    all: &Backlog,
    workflow: &Workflow,
    places: &Places,
    links: &Links,
    locale: Locale,
) -> Markup {
    let h = &f.headline;
    let mut districts: Vec<&str> = all.rows.iter().map(|r| r.district.as_str()).collect();
    districts.sort();
    districts.dedup();
    let district_names: Vec<String> = districts
        .iter()
        .map(|d| place_name(places, d, locale).replace(',', " "))
        .collect();
    let place = h
        .filter
        .office
        .as_ref()
        .map(|o| (locale.say(&words::OFFICE_OF_A_FILTER), o))
        .or(h
            .filter
            .district
            .as_ref()
            .map(|d| (locale.say(&words::DISTRICT_OF_A_FILTER), d)));
    // Closing a stage's or an age's drill keeps the place; closing a
    // place's goes back to every district.
    let close = if links.drill.state.is_some() || links.drill.age.is_some() {
        links.dashboard(&[])
    } else {
        "/dashboard".to_string()
    };
    let portal_title = words::portal_title(locale);
    html! {
        section class="panel" data-lang=(locale.code()) data-as-of=(h.filter.as_of) data-districts=(districts.join(",")) data-district-names=(district_names.join(",")) data-district=(h.filter.district.as_deref().unwrap_or("")) {
            p class="asof" {
                (locale.say(&words::POSITION_ON)) " " (date(h.filter.as_of, locale))
                @if let Some((what, code)) = place {
                    " — " (what) " " (place_name(places, code, locale)) " "
                    a class="noprint" href="/dashboard" { (locale.say(&words::ALL_DISTRICTS_LINK)) }
                }
            }
            @if let Some((title, body)) = drill_card(&f.backlog, &f.ageing, workflow, places, links, locale) {
                article class="card drill-card" id="drill" {
                    header {
                        h2 { (title) }
                        a class="noprint" href=(close) { (locale.say(&words::CLOSE)) }
                    }
                    (body)
                }
            }
            (kpis(f, locale))
            (targets(&f.targets, locale))
            (super::forecast::centre(&f.forecast, workflow, places, locale))
            div class="grid" {
                (card(
                    locale.say(&words::OPEN_APPLICATIONS_BY_DISTRICT),
                    "backlog",
                    district_bars(&f.backlog, workflow, places, links, locale),
                ))
                (card(
                    locale.say(&words::DAYS_IN_THE_CURRENT_STAGE),
                    "ageing",
                    ageing_chart(&f.ageing, links, locale),
                ))
                (card(
                    locale.say(&words::WEEKLY_INTAKE_AND_COMPLETIONS),
                    "throughput",
                    throughput_chart(&f.throughput, locale),
                ))
                (card(
                    locale.say(&words::OPEN_APPLICATIONS_OVER_TIME),
                    "throughput",
                    backlog_line(&f.throughput, locale),
                ))
                (card(
                    locale.say(&words::BOTTLENECK_AND_SLA_BREACHES),
                    "sla-breaches",
                    bottleneck_block(&f.bottleneck, &f.breaches, locale),
                ))
            }
            (card(
                locale.say(&words::THE_WORKFLOW_WITH_TODAYS_COUNTS),
                "backlog",
                diagram(&f.backlog, workflow, links, locale),
            ))
            (card(
                locale.say(&words::APPLICATIONS_BY_WORKFLOW),
                "headline",
                workflows_table(f, locale),
            ))
            (card(
                locale.say(&words::APPLICATIONS_BY_WORKFLOW_VERSION),
                "versions",
                versions_table(&f.versions, locale),
            ))
            (card(
                locale.say(&words::WORKLOAD_PER_OFFICER_COUNTS_ONLY),
                "workload",
                workload_table(&f.workload, locale),
            ))
            (card(&portal_title, "agencies", portal_table(&f.portal, locale)))
        }
    }
}

/// Every workflow's cases: received, persons, open and closed.
fn workflows_table(f: &Figures, locale: Locale) -> Markup {
    html! {
        table {
            thead {
                tr {
                    th { (locale.say(&words::WORKFLOW)) }
                    th { (locale.say(&words::RECEIVED)) }
                    th { (locale.say(&words::PERSONS)) }
                    th { (locale.say(&words::OPEN)) }
                    th { (locale.say(&words::CLOSED)) }
                }
            }
            tbody {
                @for w in &f.per_workflow {
                    tr {
                        td { (label(&w.title, locale)) }
                        td { (number(w.received, locale)) }
                        td { (number(w.persons, locale)) }
                        td { (number(w.open, locale)) }
                        td { (number(w.received - w.open, locale)) }
                    }
                }
            }
        }
    }
}

/// A card: its title, the button that downloads its figures as CSV, and
/// its body.
fn card(title: &str, csv: &str, body: Markup) -> Markup {
    html! {
        article class="card" {
            header {
                h2 { (title) }
                button type="button" class="csv noprint" data-csv=(csv) { "CSV" }
            }
            (body)
        }
    }
}

/// A headline tile: its key, today's value, the values a week and four
/// weeks ago (when the record keeps them), its Arabic and English labels.
type Tile<'a> = (&'a str, i64, (Option<i64>, Option<i64>), Words);

fn kpis(f: &Figures, locale: Locale) -> Markup {
    let h = &f.headline;
    let due = &h.cards_due;
    let t = &f.trends;
    let past = |get: fn(&Past) -> i64| (Some(get(&t.week_ago)), Some(get(&t.four_weeks_ago)));
    let noted = |get: fn(&Past) -> Option<i64>| (get(&t.week_ago), get(&t.four_weeks_ago));
    let tiles: [Tile; 7] = [
        (
            "applications_received",
            h.applications_received,
            past(|p| p.applications_received),
            words::APPLICATIONS_RECEIVED,
        ),
        (
            "persons_covered",
            h.persons_covered,
            past(|p| p.persons_covered),
            words::PERSONS_COVERED,
        ),
        (
            "persons_registered",
            h.persons_registered,
            past(|p| p.persons_registered),
            words::PERSONS_REGISTERED,
        ),
        (
            "cards_collected",
            h.cards_collected,
            past(|p| p.cards_collected),
            words::CARDS_COLLECTED,
        ),
        (
            "cards_due",
            due.total,
            noted(|p| p.cards_due),
            words::CARDS_STILL_DUE,
        ),
        (
            "applications_open",
            h.applications_open,
            past(|p| p.applications_open),
            words::OPEN_APPLICATIONS,
        ),
        (
            "sla_breaches",
            f.breaches.total_breached,
            noted(|p| p.sla_breaches),
            words::PAST_THEIR_DUE_DATE,
        ),
    ];
    let parts: [(&str, i64, Words); 4] = [
        ("under_age", due.under_age, words::UNDER_THE_CARD_AGE),
        ("abroad", due.abroad, words::ABROAD),
        (
            "awaiting_appearance",
            due.awaiting_appearance,
            words::AWAITING_APPEARANCE,
        ),
        (
            "in_production",
            due.in_production,
            words::BEING_PRINTED_OR_HANDED_OVER,
        ),
    ];
    html! {
        div class="kpis" {
            @for (key, value, before, said) in tiles {
                div class="kpi" data-kpi=(key) data-value=(value) {
                    span class="v" { (number(value, locale)) }
                    span class="l" { (locale.say(&said)) }
                    (trend(value, before, locale))
                }
            }
        }
        p class="split" {
            (locale.say(&words::CARDS_STILL_DUE)) ": "
            @for (i, (key, value, said)) in parts.into_iter().enumerate() {
                @if i > 0 { (locale.say(&words::LIST_COMMA)) }
                span data-due=(key) data-value=(value) { (locale.say(&said)) " " (number(value, locale)) }
            }
        }
    }
}

/// A tile's figures a week and four weeks ago, with the change since; a
/// figure the record does not keep for that day is said to be so.
fn trend(now: i64, before: (Option<i64>, Option<i64>), locale: Locale) -> Markup {
    let not_kept = locale.say(&words::THE_RECORD_DOES_NOT_KEEP_THIS);
    let then = |value: Option<i64>| {
        html! {
            @match value {
                Some(then) => {
                    @let d = now - then;
                    @let sign = match d.signum() {
                        1 => "+",
                        -1 => "−",
                        _ => "±",
                    };
                    b { (number(then, locale)) } " " bdi { "(" (sign) (number(d.abs(), locale)) ")" }
                }
                None => span title=(not_kept) { "—" },
            }
        }
    };
    let data = |value: Option<i64>| value.map_or(String::new(), |v| v.to_string());
    let four_weeks_ago = words::four_weeks_ago(locale);
    html! {
        @if before == (None, None) {
            span class="trend none" title=(not_kept) {
                (locale.say(&words::NO_PAST_VALUES_KEPT))
            }
        } @else {
            span class="trend" data-week-ago=(data(before.0)) data-four-weeks-ago=(data(before.1)) {
                span { (locale.say(&words::A_WEEK_AGO)) " " (then(before.0)) }
                span { (four_weeks_ago) " " (then(before.1)) }
            }
        }
    }
}

/// The targets and where each stands, or how to set one.
fn targets(list: &[Standing], locale: Locale) -> Markup {
    html! {
        article class="card targets" id="targets" {
            header { h2 { (locale.say(&words::TARGETS_AND_WHERE_THEY_STAND)) } }
            @if list.is_empty() {
                p class="method" {
                    (locale.say(&words::NO_TARGET_IS_SET_YET_AN))
                }
            } @else {
                ul class="target-list" {
                    @for s in list { (target(s, locale)) }
                }
            }
        }
    }
}

/// One target: its verdict, its goal and where it stands.
fn target(s: &Standing, locale: Locale) -> Markup {
    let t = &s.target;
    let (class, status, code) = match s.status {
        Status::Met => ("met", locale.say(&words::MET), "met"),
        Status::OnTrack => ("on-track", locale.say(&words::ON_TRACK), "on_track"),
        Status::Behind => ("behind", locale.say(&words::BEHIND), "behind"),
    };
    let goal = match t.kind {
        TargetKind::ClosedBy => html! {
            (locale.say(&words::EVERY_APPLICATION_RECEIVED_BEFORE)) " "
            @if let Some(d) = t.received_before { (date(d, locale)) }
            " "
            (locale.say(&words::CLOSED_COMPLETED_REJECTED_OR_WITHDRAWN_BY))
            " "
            @if let Some(d) = t.deadline { (date(d, locale)) }
        },
        TargetKind::WithinTimeLimit => html! {
            (percent(f64::from(t.percent.unwrap_or(100)), locale)) " "
            (locale.say(&words::OF_OPEN_APPLICATIONS_WITHIN_THEIR_STAGES))
            @if let Some(d) = t.deadline {
                " " (locale.say(&words::BY)) " " (date(d, locale))
            }
        },
    };
    let figure = match t.kind {
        TargetKind::ClosedBy => closed_by_figure(s, locale),
        TargetKind::WithinTimeLimit => html! {
            (percent(s.share.unwrap_or(100.0), locale)) " " (locale.say(&words::NOW)) " ("
            (number(s.remaining, locale)) " " (locale.say(&words::PAST_DUE_OF)) " "
            (number(s.total, locale)) ")"
        },
    };
    html! {
        li class={ "target " (class) } data-target=(t.name) data-status=(code) {
            span class="badge" { (status) } " "
            span class="goal" { (goal) }
            br;
            span class="figure" { (figure) }
        }
    }
}

/// Where a "closed by" target stands: what is still open, and when the
/// closing rate of the last four full weeks would close it.
fn closed_by_figure(s: &Standing, locale: Locale) -> Markup {
    let (remaining, total) = (number(s.remaining, locale), number(s.total, locale));
    html! {
        (words::still_open_of(&remaining, &total, locale))
        @if s.remaining != 0 {
            @match (s.projected, s.weekly_rate) {
                (Some(p), Some(rate)) => {
                    (words::closed_at_the_rate_by(&decimal(rate, locale), locale)) (date(p, locale))
                }
                _ => { (words::nothing_closed_in_four_weeks(locale)) }
            }
        }
    }
}
