//! The panel's HTML: the heading, the KPI tiles and the cards in their
//! order, each card filled by a chart, the diagram or a table.

use std::fmt::Write as _;

use super::Figures;
use super::charts::{ageing_chart, backlog_line, district_bars, throughput_chart};
use super::diagram::diagram;
use super::format::{number, pick, place_name};
use super::tables::{bottleneck_block, portal_table, versions_table, workload_table};
use crate::app::stats::Backlog;
use crate::domain::places::Places;
// The same HTML escaping as the mail templates.
use crate::mail::templates::escape as esc;
use crate::workflow::definition::Workflow;
use crate::workflow::refusal::Lang;

/// The panel's HTML.
pub fn render(
    f: &Figures,
    all: &Backlog,
    workflow: &Workflow,
    places: &Places,
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
    let _ = write!(
        out,
        r#"<p class="asof">{} {}{}</p>"#,
        pick(lang, "الوضع في", "Position on"),
        h.filter.as_of,
        h.filter
            .district
            .as_ref()
            .map_or(String::new(), |d| format!(
                " — {} {}",
                pick(lang, "منطقة", "district"),
                esc(&place_name(places, d, lang))
            )),
    );
    kpis(&mut out, f, lang);
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
        &district_bars(&f.backlog, workflow, places, lang),
    );
    card(
        &mut out,
        pick(
            lang,
            "مدة البقاء في المرحلة (أيام)",
            "Days in the current stage",
        ),
        "ageing",
        &ageing_chart(&f.ageing, lang),
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
        &diagram(&f.backlog, workflow, lang),
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
        pick(
            lang,
            "بوابة الجهات: الأشخاص المستعلم عنهم (آخر ٣٠ يوماً)",
            "Agency portal: persons asked about (last 30 days)",
        ),
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

fn kpis(out: &mut String, f: &Figures, lang: Lang) {
    let h = &f.headline;
    let due = &h.cards_due;
    let tiles: [(&str, i64, &str, &str); 7] = [
        (
            "applications_received",
            h.applications_received,
            "الطلبات الواردة",
            "Applications received",
        ),
        (
            "persons_covered",
            h.persons_covered,
            "الأشخاص المشمولون",
            "Persons covered",
        ),
        (
            "persons_registered",
            h.persons_registered,
            "المقيدون في السجل المدني",
            "Persons registered",
        ),
        (
            "cards_collected",
            h.cards_collected,
            "البطاقات المسلّمة",
            "Cards collected",
        ),
        (
            "cards_due",
            due.total,
            "البطاقات المستحقة",
            "Cards still due",
        ),
        (
            "applications_open",
            h.applications_open,
            "الطلبات المفتوحة",
            "Open applications",
        ),
        (
            "sla_breaches",
            f.breaches.total_breached,
            "تجاوزت المهلة",
            "Past their due date",
        ),
    ];
    out.push_str(r#"<div class="kpis">"#);
    for (key, value, ar, en) in tiles {
        let _ = write!(
            out,
            r#"<div class="kpi" data-kpi="{key}" data-value="{value}"><span class="v">{}</span><span class="l">{}</span></div>"#,
            number(value, lang),
            pick(lang, ar, en)
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
