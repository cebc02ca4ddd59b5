//! The panel's tables: the bottleneck with the SLA breaches, officers' workload, and the agency portal's use.

use std::fmt::Write as _;

use super::format::{label, number, period, pick};
use crate::app::portal;
use crate::app::stats::{Bottleneck, Breaches, Workload};
// The same HTML escaping as the mail templates.
use crate::domain::language::Lang;
use crate::mail::templates::escape as esc;

pub(super) fn bottleneck_block(b: &Bottleneck, s: &Breaches, lang: Lang) -> String {
    let mut out = String::new();
    match (&b.state, &b.state_label, b.ranking.first()) {
        (Some(state), Some(l), Some(top)) => {
            let _ = write!(
                out,
                r#"<p class="callout" data-bottleneck="{}">{} <strong>{}</strong>: {} {}، {} {} {}</p>"#,
                esc(state),
                pick(lang, "عنق الزجاجة:", "The bottleneck is"),
                esc(&label(l, lang)),
                number(top.families, lang),
                pick(lang, "عائلة", "families"),
                pick(lang, "بمتوسط", "waiting on average"),
                number(top.mean_days, lang),
                pick(lang, "يوماً", "days")
            );
        }
        _ => out.push_str(pick(
            lang,
            "<p>لا شيء ينتظر.</p>",
            "<p>Nothing is waiting.</p>",
        )),
    }
    let _ = write!(
        out,
        r#"<table class="data"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        pick(lang, "المرحلة", "Stage"),
        pick(lang, "المكتب", "Office"),
        pick(lang, "تجاوزت المهلة", "Past due"),
        pick(lang, "مفتوحة", "Open")
    );
    for r in s.rows.iter().take(12) {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&label(&r.state_label, lang)),
            esc(&label(&r.office_label, lang)),
            number(r.breached_families, lang),
            number(r.open_families, lang)
        );
    }
    out.push_str("</tbody></table>");
    out
}

pub(super) fn workload_table(w: &Workload, lang: Lang) -> String {
    let mut out = format!(
        r#"<p class="method">{} {}. {}: {}</p><div class="table-wrap"><table class="data"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        pick(lang, "الإجراءات في الفترة", "Actions from"),
        period(w.from, w.to, lang),
        pick(lang, "خطوات تلقائية", "Automatic steps"),
        number(w.automatic_actions, lang),
        pick(lang, "الموظف", "Officer"),
        pick(lang, "المنطقة", "District"),
        pick(lang, "طلبات بعهدته", "Holding"),
        pick(lang, "إجراءات", "Actions")
    );
    for o in w.officers.iter().take(15) {
        let _ = write!(
            out,
            r#"<tr><td dir="ltr">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&o.officer),
            esc(&label(&o.district_label, lang)),
            number(o.holding, lang),
            number(o.actions, lang)
        );
    }
    out.push_str("</tbody></table></div>");
    out
}

pub(super) fn versions_table(v: &crate::app::stats::Versions, lang: Lang) -> String {
    let mut out = format!(
        r#"<table class="data"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        pick(lang, "مسار العمل", "Workflow"),
        pick(lang, "النسخة", "Version"),
        pick(lang, "الطلبات", "Applications"),
        pick(lang, "الأشخاص", "Persons")
    );
    for row in &v.versions {
        let _ = write!(
            out,
            r#"<tr data-version="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            row.version,
            esc(&label(&row.title, lang)),
            number(row.version as i64, lang),
            number(row.families, lang),
            number(row.persons, lang)
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// A scope's or an access-log result's name in `lang`; the code itself
/// only for one this version does not know.
fn portal_name(code: &str, lang: Lang) -> String {
    portal::Scope::parse(code)
        .map(portal::Scope::names)
        .or_else(|| portal::result::names(code))
        .map_or(code.to_string(), |(ar, en)| pick(lang, ar, en).to_string())
}

pub(super) fn portal_table(p: &portal::PortalStatistics, lang: Lang) -> String {
    let named = |list: &[(String, i64)]| {
        if list.is_empty() {
            return "—".to_string();
        }
        list.iter()
            .map(|(code, count)| {
                format!(
                    r#"<span data-name="{}">{}</span> {}"#,
                    esc(code),
                    esc(&portal_name(code, lang)),
                    number(*count, lang)
                )
            })
            .collect::<Vec<_>>()
            .join("، ")
    };
    let mut out = format!(
        r#"<p class="method">{} {}. {}: {}. {}: {}</p><div class="table-wrap"><table class="data portal"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>"#,
        pick(lang, "الفترة", "From"),
        period(p.from, p.to, lang),
        pick(lang, "النطاقات الأكثر طلباً", "Busiest scopes"),
        named(&p.scopes),
        pick(lang, "الرفض حسب السبب", "Refusals by kind"),
        named(&p.refusals),
        pick(lang, "الجهة", "Agency"),
        pick(lang, "استعلامات", "Queries"),
        pick(lang, "أجيبت", "Answered"),
        pick(lang, "رُفضت", "Refused"),
    );
    if p.agencies.is_empty() {
        let _ = write!(
            out,
            r#"<tr><td colspan="4">{}</td></tr>"#,
            pick(
                lang,
                "لا استعلامات في هذه الفترة",
                "No queries in this period"
            )
        );
    }
    for a in &p.agencies {
        let _ = write!(
            out,
            r#"<tr data-agency="{}" data-queries="{}" data-refused="{}"><td dir="ltr">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
            esc(&a.agency),
            a.queries,
            a.refused,
            esc(&a.agency),
            number(a.queries, lang),
            number(a.answered, lang),
            number(a.refused, lang)
        );
    }
    out.push_str("</tbody></table></div>");
    out
}
