//! The panel's HTML: the heading, the KPI tiles and the cards in their
//! order, each card filled by a chart, the diagram or a table.

use std::fmt::Write as _;

use super::Figures;
use super::charts::{ageing_chart, backlog_line, district_bars, throughput_chart};
use super::diagram::diagram;
use super::drill::{Links, drill_card};
use super::format::{date, decimal, digits, number, percent, pick, place_name};
use super::tables::{bottleneck_block, portal_table, versions_table, workload_table};
use crate::app::stats::{Backlog, Past, Standing, Status, TargetKind};
use crate::domain::places::Places;
// The same HTML escaping as the mail templates.
use crate::domain::language::Lang;
use crate::mail::templates::escape as esc;
use crate::workflow::definition::Workflow;

/// The panel's HTML.
pub fn render(
    f: &Figures,
    all: &Backlog,
    workflow: &Workflow,
    places: &Places,
    links: &Links,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let h = &f.headline;
    let mut districts: Vec<&str> = all.rows.iter().map(|r| r.district.as_str()).collect();
    districts.sort();
    districts.dedup();
    let _ = write!(
        out,
        r#"<section class="panel" data-lang="{}" data-as-of="{}" data-districts="{}" data-district-names="{}" data-district="{}">"#,
        pick(lang, "ar", "en"),
        h.filter.as_of,
        esc(&districts.join(",")),
        esc(&districts
            .iter()
            .map(|d| place_name(places, d, lang).replace(',', " "))
            .collect::<Vec<_>>()
            .join(",")),
        esc(h.filter.district.as_deref().unwrap_or("")),
    );
    let place = h
        .filter
        .office
        .as_ref()
        .map(|o| (pick(lang, "مكتب", "office"), o))
        .or(h
            .filter
            .district
            .as_ref()
            .map(|d| (pick(lang, "منطقة", "district"), d)));
    let _ = write!(
        out,
        r#"<p class="asof">{} {}{}</p>"#,
        pick(lang, "الوضع في", "Position on"),
        date(h.filter.as_of, lang),
        place.map_or(String::new(), |(what, code)| format!(
            " — {what} {} <a class=\"noprint\" href=\"/dashboard\">{}</a>",
            esc(&place_name(places, code, lang)),
            pick(lang, "(كل المناطق)", "(all districts)")
        )),
    );
    if let Some((title, body)) = drill_card(&f.backlog, &f.ageing, workflow, places, links, lang) {
        let _ = write!(
            out,
            r#"<article class="card drill-card" id="drill"><header><h2>{title}</h2><a class="noprint" href="{}">{}</a></header>{body}</article>"#,
            // Closing a stage's or an age's drill keeps the place; closing
            // a place's goes back to every district.
            esc(
                &if links.drill.state.is_some() || links.drill.age.is_some() {
                    links.dashboard(&[])
                } else {
                    "/dashboard".to_string()
                }
            ),
            pick(lang, "إغلاق", "Close")
        );
    }
    kpis(&mut out, f, lang);
    targets(&mut out, &f.targets, lang);
    out.push_str(&super::forecast::centre(
        &f.forecast,
        workflow,
        places,
        lang,
    ));
    out.push_str(r#"<div class="grid">"#);
    card(
        &mut out,
        pick(
            lang,
            "الطلبات المفتوحة حسب المنطقة",
            "Open applications by district",
        ),
        "backlog",
        &district_bars(&f.backlog, workflow, places, links, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "مدة البقاء في المرحلة (أيام)",
            "Days in the current stage",
        ),
        "ageing",
        &ageing_chart(&f.ageing, links, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "الوارد والمنجز أسبوعياً",
            "Weekly intake and completions",
        ),
        "throughput",
        &throughput_chart(&f.throughput, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "الطلبات المفتوحة عبر الزمن",
            "Open applications over time",
        ),
        "throughput",
        &backlog_line(&f.throughput, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "عنق الزجاجة وتجاوز المهل",
            "Bottleneck and SLA breaches",
        ),
        "sla-breaches",
        &bottleneck_block(&f.bottleneck, &f.breaches, lang),
    );
    out.push_str("</div>");
    card(
        &mut out,
        pick(
            lang,
            "مسار العمل مع الأعداد الحالية",
            "The workflow with today's counts",
        ),
        "backlog",
        &diagram(&f.backlog, workflow, links, lang),
    );
    card(
        &mut out,
        pick(lang, "الطلبات حسب مسار العمل", "Applications by workflow"),
        "headline",
        &workflows_table(f, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "الطلبات حسب نسخة مسار العمل",
            "Applications by workflow version",
        ),
        "versions",
        &versions_table(&f.versions, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "عبء العمل لكل موظف (أعداد فقط)",
            "Workload per officer (counts only)",
        ),
        "workload",
        &workload_table(&f.workload, lang),
    );
    card(
        &mut out,
        &match lang {
            Lang::Ar => format!(
                "بوابة الجهات: الأشخاص المستعلم عنهم (آخر {} يوماً)",
                digits("30".to_string(), lang)
            ),
            Lang::En => "Agency portal: persons asked about (last 30 days)".to_string(),
        },
        "agencies",
        &portal_table(&f.portal, lang),
    );
    out.push_str("</section>");
    out
}

/// Every workflow's cases: received, persons, open and closed.
fn workflows_table(f: &Figures, lang: Lang) -> String {
    let mut out = format!(
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        pick(lang, "مسار العمل", "Workflow"),
        pick(lang, "الطلبات الواردة", "Received"),
        pick(lang, "الأشخاص", "Persons"),
        pick(lang, "المفتوحة", "Open"),
        pick(lang, "المغلقة", "Closed"),
    );
    for w in &f.per_workflow {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(pick(lang, &w.title.ar, &w.title.en)),
            number(w.received, lang),
            number(w.persons, lang),
            number(w.open, lang),
            number(w.received - w.open, lang),
        );
    }
    out.push_str("</tbody></table>");
    out
}

fn card(out: &mut String, title: &str, csv: &str, body: &str) {
    let _ = write!(
        out,
        r#"<article class="card"><header><h2>{}</h2><button type="button" class="csv noprint" data-csv="{csv}">CSV</button></header>{body}</article>"#,
        esc(title)
    );
}

/// A headline tile: its key, today's value, the values a week and four
/// weeks ago (when the record keeps them), its Arabic and English labels.
type Tile<'a> = (&'a str, i64, (Option<i64>, Option<i64>), &'a str, &'a str);

fn kpis(out: &mut String, f: &Figures, lang: Lang) {
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
    out.push_str(r#"<div class="kpis">"#);
    for (key, value, before, ar, en) in tiles {
        let _ = write!(
            out,
            r#"<div class="kpi" data-kpi="{key}" data-value="{value}"><span class="v">{}</span><span class="l">{}</span>{}</div>"#,
            number(value, lang),
            pick(lang, ar, en),
            trend(value, before, lang)
        );
    }
    out.push_str("</div>");
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
    let _ = write!(
        out,
        r#"<p class="split">{}: "#,
        pick(lang, "البطاقات المستحقة", "Cards still due")
    );
    for (i, (key, value, ar, en)) in parts.into_iter().enumerate() {
        if i > 0 {
            out.push_str(pick(lang, "، ", ", "));
        }
        let _ = write!(
            out,
            r#"<span data-due="{key}" data-value="{value}">{} {}</span>"#,
            pick(lang, ar, en),
            number(value, lang)
        );
    }
    out.push_str("</p>");
}

/// A tile's figures a week and four weeks ago, with the change since; a
/// figure the record does not keep for that day is said to be so.
fn trend(now: i64, before: (Option<i64>, Option<i64>), lang: Lang) -> String {
    let not_kept = pick(
        lang,
        "لا يحفظ السجل هذا الرقم لذلك اليوم",
        "The record does not keep this figure for that day",
    );
    if before == (None, None) {
        return format!(
            r#"<span class="trend none" title="{not_kept}">{}</span>"#,
            pick(lang, "لا قيم سابقة محفوظة", "no past values kept")
        );
    }
    let then = |value: Option<i64>| match value {
        Some(then) => {
            let d = now - then;
            let sign = match d.signum() {
                1 => "+",
                -1 => "−",
                _ => "±",
            };
            format!(
                "<b>{}</b> <bdi>({sign}{})</bdi>",
                number(then, lang),
                number(d.abs(), lang)
            )
        }
        None => format!(r#"<span title="{not_kept}">—</span>"#),
    };
    let data = |value: Option<i64>| value.map_or(String::new(), |v| v.to_string());
    format!(
        r#"<span class="trend" data-week-ago="{}" data-four-weeks-ago="{}"><span>{} {}</span><span>{} {}</span></span>"#,
        data(before.0),
        data(before.1),
        pick(lang, "قبل أسبوع:", "A week ago:"),
        then(before.0),
        match lang {
            Lang::Ar => format!("قبل {} أسابيع:", digits("4".to_string(), lang)),
            Lang::En => "4 weeks ago:".to_string(),
        },
        then(before.1),
    )
}

/// The targets and where each stands, or how to set one.
fn targets(out: &mut String, list: &[Standing], lang: Lang) {
    let _ = write!(
        out,
        r#"<article class="card targets" id="targets"><header><h2>{}</h2></header>"#,
        pick(lang, "الأهداف وأين تقف", "Targets and where they stand")
    );
    if list.is_empty() {
        let _ = write!(
            out,
            r#"<p class="method">{}</p></article>"#,
            pick(
                lang,
                "لم تحدَّد أهداف بعد؛ يحددها المسؤول عبر PUT /api/statistics/targets/{name}.",
                "No target is set yet; an admin sets them with PUT /api/statistics/targets/{name}."
            )
        );
        return;
    }
    out.push_str(r#"<ul class="target-list">"#);
    for s in list {
        let t = &s.target;
        let (class, status) = match s.status {
            Status::Met => ("met", pick(lang, "تحقق", "Met")),
            Status::OnTrack => ("on-track", pick(lang, "على المسار", "On track")),
            Status::Behind => ("behind", pick(lang, "متأخر", "Behind")),
        };
        let goal = match t.kind {
            TargetKind::ClosedBy => format!(
                "{} {} {} {}",
                pick(
                    lang,
                    "إغلاق كل الطلبات الواردة قبل",
                    "Every application received before"
                ),
                t.received_before.map_or(String::new(), |d| date(d, lang)),
                pick(
                    lang,
                    "(بالإنجاز أو الرفض أو السحب) بحلول",
                    "closed (completed, rejected or withdrawn) by"
                ),
                t.deadline.map_or(String::new(), |d| date(d, lang)),
            ),
            TargetKind::WithinTimeLimit => format!(
                "{} {}{}",
                percent(f64::from(t.percent.unwrap_or(100)), lang),
                pick(
                    lang,
                    "من الطلبات المفتوحة ضمن مهلة مرحلتها",
                    "of open applications within their stage's time limit"
                ),
                t.deadline.map_or(String::new(), |d| format!(
                    " {} {}",
                    pick(lang, "بحلول", "by"),
                    date(d, lang)
                )),
            ),
        };
        let figure = match t.kind {
            TargetKind::ClosedBy => {
                let four = digits("4".to_string(), lang);
                let mut text = match lang {
                    Lang::Ar => format!(
                        "{} مفتوحة من {}",
                        number(s.remaining, lang),
                        number(s.total, lang)
                    ),
                    Lang::En => format!(
                        "{} still open of {}",
                        number(s.remaining, lang),
                        number(s.total, lang)
                    ),
                };
                match (s.projected, s.weekly_rate) {
                    _ if s.remaining == 0 => {}
                    (Some(p), Some(rate)) => {
                        let _ = match lang {
                            Lang::Ar => write!(
                                text,
                                "؛ بمعدل الإغلاق في آخر {four} أسابيع كاملة ({} في الأسبوع) تُغلق في {}",
                                decimal(rate, lang),
                                date(p, lang)
                            ),
                            Lang::En => write!(
                                text,
                                "; at the closing rate of the last {four} full weeks ({} a week) they are closed by {}",
                                decimal(rate, lang),
                                date(p, lang)
                            ),
                        };
                    }
                    _ => {
                        let _ = match lang {
                            Lang::Ar => write!(text, "؛ لم يُغلق شيء في آخر {four} أسابيع كاملة"),
                            Lang::En => {
                                write!(text, "; nothing closed in the last {four} full weeks")
                            }
                        };
                    }
                }
                text
            }
            TargetKind::WithinTimeLimit => format!(
                "{} {} ({} {} {})",
                percent(s.share.unwrap_or(100.0), lang),
                pick(lang, "الآن", "now"),
                number(s.remaining, lang),
                pick(lang, "متجاوزة من", "past due of"),
                number(s.total, lang),
            ),
        };
        let _ = write!(
            out,
            r#"<li class="target {class}" data-target="{}" data-status="{}"><span class="badge">{status}</span> <span class="goal">{goal}</span><br><span class="figure">{figure}</span></li>"#,
            esc(&t.name),
            match s.status {
                Status::Met => "met",
                Status::OnTrack => "on_track",
                Status::Behind => "behind",
            }
        );
    }
    out.push_str("</ul></article>");
}
