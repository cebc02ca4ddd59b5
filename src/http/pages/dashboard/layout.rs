//! The panel's HTML: the heading, the KPI tiles and the cards in their
//! order, each card filled by a chart, the diagram or a table.

use maud::{Markup, html};

use super::Figures;
use super::charts::{ageing_chart, backlog_line, district_bars, throughput_chart};
use super::diagram::diagram;
use super::drill::{Links, drill_card};
use super::format::{date, decimal, digits, label, number, percent, place_name};
use super::tables::{bottleneck_block, portal_table, versions_table, workload_table};
use crate::app::stats::{Backlog, Past, Standing, Status, TargetKind};
use crate::domain::language::Lang;
use crate::domain::language::Locale;
use crate::domain::places::Places;
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
        .map(|o| (locale.pick("مكتب", "office"), o))
        .or(h
            .filter
            .district
            .as_ref()
            .map(|d| (locale.pick("منطقة", "district"), d)));
    // Closing a stage's or an age's drill keeps the place; closing a
    // place's goes back to every district.
    let close = if links.drill.state.is_some() || links.drill.age.is_some() {
        links.dashboard(&[])
    } else {
        "/dashboard".to_string()
    };
    let portal_title = match locale.lang {
        Lang::Ar => format!(
            "بوابة الجهات: الأشخاص المستعلم عنهم (آخر {} يوماً)",
            digits("30".to_string(), locale)
        ),
        Lang::En => "Agency portal: persons asked about (last 30 days)".to_string(),
    };
    html! {
        section class="panel" data-lang=(locale.code()) data-as-of=(h.filter.as_of) data-districts=(districts.join(",")) data-district-names=(district_names.join(",")) data-district=(h.filter.district.as_deref().unwrap_or("")) {
            p class="asof" {
                (locale.pick("الوضع في", "Position on")) " " (date(h.filter.as_of, locale))
                @if let Some((what, code)) = place {
                    " — " (what) " " (place_name(places, code, locale)) " "
                    a class="noprint" href="/dashboard" { (locale.pick("(كل المناطق)", "(all districts)")) }
                }
            }
            @if let Some((title, body)) = drill_card(&f.backlog, &f.ageing, workflow, places, links, locale) {
                article class="card drill-card" id="drill" {
                    header {
                        h2 { (title) }
                        a class="noprint" href=(close) { (locale.pick("إغلاق", "Close")) }
                    }
                    (body)
                }
            }
            (kpis(f, locale))
            (targets(&f.targets, locale))
            (super::forecast::centre(&f.forecast, workflow, places, locale))
            div class="grid" {
                (card(
                    locale.pick("الطلبات المفتوحة حسب المنطقة", "Open applications by district"),
                    "backlog",
                    district_bars(&f.backlog, workflow, places, links, locale),
                ))
                (card(
                    locale.pick("مدة البقاء في المرحلة (أيام)", "Days in the current stage"),
                    "ageing",
                    ageing_chart(&f.ageing, links, locale),
                ))
                (card(
                    locale.pick("الوارد والمنجز أسبوعياً", "Weekly intake and completions"),
                    "throughput",
                    throughput_chart(&f.throughput, locale),
                ))
                (card(
                    locale.pick("الطلبات المفتوحة عبر الزمن", "Open applications over time"),
                    "throughput",
                    backlog_line(&f.throughput, locale),
                ))
                (card(
                    locale.pick("عنق الزجاجة وتجاوز المهل", "Bottleneck and SLA breaches"),
                    "sla-breaches",
                    bottleneck_block(&f.bottleneck, &f.breaches, locale),
                ))
            }
            (card(
                locale.pick("مسار العمل مع الأعداد الحالية", "The workflow with today's counts"),
                "backlog",
                diagram(&f.backlog, workflow, links, locale),
            ))
            (card(
                locale.pick("الطلبات حسب مسار العمل", "Applications by workflow"),
                "headline",
                workflows_table(f, locale),
            ))
            (card(
                locale.pick("الطلبات حسب نسخة مسار العمل", "Applications by workflow version"),
                "versions",
                versions_table(&f.versions, locale),
            ))
            (card(
                locale.pick("عبء العمل لكل موظف (أعداد فقط)", "Workload per officer (counts only)"),
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
                    th { (locale.pick("مسار العمل", "Workflow")) }
                    th { (locale.pick("الطلبات الواردة", "Received")) }
                    th { (locale.pick("الأشخاص", "Persons")) }
                    th { (locale.pick("المفتوحة", "Open")) }
                    th { (locale.pick("المغلقة", "Closed")) }
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
type Tile<'a> = (&'a str, i64, (Option<i64>, Option<i64>), &'a str, &'a str);

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
            "الطلبات الواردة",
            "Applications received",
        ),
        (
            "persons_covered",
            h.persons_covered,
            past(|p| p.persons_covered),
            "الأشخاص المشمولون",
            "Persons covered",
        ),
        (
            "persons_registered",
            h.persons_registered,
            past(|p| p.persons_registered),
            "المقيدون في السجل المدني",
            "Persons registered",
        ),
        (
            "cards_collected",
            h.cards_collected,
            past(|p| p.cards_collected),
            "البطاقات المسلّمة",
            "Cards collected",
        ),
        (
            "cards_due",
            due.total,
            noted(|p| p.cards_due),
            "البطاقات المستحقة",
            "Cards still due",
        ),
        (
            "applications_open",
            h.applications_open,
            past(|p| p.applications_open),
            "الطلبات المفتوحة",
            "Open applications",
        ),
        (
            "sla_breaches",
            f.breaches.total_breached,
            noted(|p| p.sla_breaches),
            "تجاوزت المهلة",
            "Past their due date",
        ),
    ];
    let parts: [(&str, i64, &str, &str); 4] = [
        (
            "under_age",
            due.under_age,
            "دون سن البطاقة",
            "Under the card age",
        ),
        ("abroad", due.abroad, "خارج البلاد", "Abroad"),
        (
            "awaiting_appearance",
            due.awaiting_appearance,
            "بانتظار الحضور",
            "Awaiting appearance",
        ),
        (
            "in_production",
            due.in_production,
            "قيد الطباعة أو التسليم",
            "Being printed or handed over",
        ),
    ];
    html! {
        div class="kpis" {
            @for (key, value, before, ar, en) in tiles {
                div class="kpi" data-kpi=(key) data-value=(value) {
                    span class="v" { (number(value, locale)) }
                    span class="l" { (locale.pick(ar, en)) }
                    (trend(value, before, locale))
                }
            }
        }
        p class="split" {
            (locale.pick("البطاقات المستحقة", "Cards still due")) ": "
            @for (i, (key, value, ar, en)) in parts.into_iter().enumerate() {
                @if i > 0 { (locale.pick("، ", ", ")) }
                span data-due=(key) data-value=(value) { (locale.pick(ar, en)) " " (number(value, locale)) }
            }
        }
    }
}

/// A tile's figures a week and four weeks ago, with the change since; a
/// figure the record does not keep for that day is said to be so.
fn trend(now: i64, before: (Option<i64>, Option<i64>), locale: Locale) -> Markup {
    let not_kept = locale.pick(
        "لا يحفظ السجل هذا الرقم لذلك اليوم",
        "The record does not keep this figure for that day",
    );
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
    let four_weeks_ago = match locale.lang {
        Lang::Ar => format!("قبل {} أسابيع:", digits("4".to_string(), locale)),
        Lang::En => "4 weeks ago:".to_string(),
    };
    html! {
        @if before == (None, None) {
            span class="trend none" title=(not_kept) {
                (locale.pick("لا قيم سابقة محفوظة", "no past values kept"))
            }
        } @else {
            span class="trend" data-week-ago=(data(before.0)) data-four-weeks-ago=(data(before.1)) {
                span { (locale.pick("قبل أسبوع:", "A week ago:")) " " (then(before.0)) }
                span { (four_weeks_ago) " " (then(before.1)) }
            }
        }
    }
}

/// The targets and where each stands, or how to set one.
fn targets(list: &[Standing], locale: Locale) -> Markup {
    html! {
        article class="card targets" id="targets" {
            header { h2 { (locale.pick("الأهداف وأين تقف", "Targets and where they stand")) } }
            @if list.is_empty() {
                p class="method" {
                    (locale.pick(
                        "لم تحدَّد أهداف بعد؛ يحددها المسؤول عبر PUT /api/statistics/targets/{name}.",
                        "No target is set yet; an admin sets them with PUT /api/statistics/targets/{name}."
                    ))
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
        Status::Met => ("met", locale.pick("تحقق", "Met"), "met"),
        Status::OnTrack => (
            "on-track",
            locale.pick("على المسار", "On track"),
            "on_track",
        ),
        Status::Behind => ("behind", locale.pick("متأخر", "Behind"), "behind"),
    };
    let goal = match t.kind {
        TargetKind::ClosedBy => html! {
            (locale.pick("إغلاق كل الطلبات الواردة قبل", "Every application received before")) " "
            @if let Some(d) = t.received_before { (date(d, locale)) }
            " "
            (locale.pick(
                "(بالإنجاز أو الرفض أو السحب) بحلول",
                "closed (completed, rejected or withdrawn) by"
            ))
            " "
            @if let Some(d) = t.deadline { (date(d, locale)) }
        },
        TargetKind::WithinTimeLimit => html! {
            (percent(f64::from(t.percent.unwrap_or(100)), locale)) " "
            (locale.pick(
                "من الطلبات المفتوحة ضمن مهلة مرحلتها",
                "of open applications within their stage's time limit"
            ))
            @if let Some(d) = t.deadline {
                " " (locale.pick("بحلول", "by")) " " (date(d, locale))
            }
        },
    };
    let figure = match t.kind {
        TargetKind::ClosedBy => closed_by_figure(s, locale),
        TargetKind::WithinTimeLimit => html! {
            (percent(s.share.unwrap_or(100.0), locale)) " " (locale.pick("الآن", "now")) " ("
            (number(s.remaining, locale)) " " (locale.pick("متجاوزة من", "past due of")) " "
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
    let four = digits("4".to_string(), locale);
    let (remaining, total) = (number(s.remaining, locale), number(s.total, locale));
    html! {
        @match locale.lang {
            Lang::Ar => { (remaining) " مفتوحة من " (total) }
            Lang::En => { (remaining) " still open of " (total) }
        }
        @if s.remaining != 0 {
            @match (s.projected, s.weekly_rate, locale.lang) {
                (Some(p), Some(rate), Lang::Ar) => {
                    "؛ بمعدل الإغلاق في آخر " (four) " أسابيع كاملة (" (decimal(rate, locale))
                    " في الأسبوع) تُغلق في " (date(p, locale))
                }
                (Some(p), Some(rate), Lang::En) => {
                    "; at the closing rate of the last " (four) " full weeks ("
                    (decimal(rate, locale)) " a week) they are closed by " (date(p, locale))
                }
                (_, _, Lang::Ar) => { "؛ لم يُغلق شيء في آخر " (four) " أسابيع كاملة" }
                (_, _, Lang::En) => { "; nothing closed in the last " (four) " full weeks" }
            }
        }
    }
}
