//! The panel's centre: when the backlog clears (P10, P50 and P90 for
//! families, persons and cards, the stage it waits in longest, and the
//! backtest in one line) and the what-if form beside it; and the what-if's
//! answer, which `/dashboard/what-if` shows on a page of its own.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::format::{date, decimal, digits, label, number, pick, place_name};
use crate::app::stats::{
    Clearance, Forecast, MAX_CARD_OFFICES, MAX_OFFICERS, Outlook, StageWait, WhatIf,
};
use crate::domain::places::Places;
use crate::domain::roles::Role;
// The same HTML escaping as the mail templates.
use crate::domain::language::Lang;
use crate::mail::templates::escape as esc;
use crate::workflow::definition::Labels;
use crate::workflow::definition::Workflow;

/// The styles of the centre (the page allows inline styles), kept here so
/// the page's own style sheet need not know the centre.
const STYLE: &str = "<style>\
.centre { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 480px), 1fr)); gap: 14px; margin-top: 14px; }\
.centre .card { margin-top: 0; }\
\
.centre .table-wrap { overflow-x: auto; }\
.whatif-form { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 200px), 1fr)); gap: 10px 14px; align-items: end; }\
.whatif-form label { display: block; font-weight: bold; margin-bottom: 2px; }\
.whatif-form .hint { display: block; color: var(--muted, #5b6775); font-size: .85rem; }\
.whatif-form .field-error { display: block; color: #b23a48; font-weight: bold; font-size: .9rem; }\
.whatif-form [aria-invalid=\"true\"] { border: 2px solid #b23a48; }\
.whatif-form select, .whatif-form input { width: 100%; }\
.whatif-form button { background: var(--accent, #1f6f8b); color: #fff; border-color: var(--accent, #1f6f8b); padding: 6px 14px; }\
.backtest { font-weight: bold; }\
@media (max-width: 560px) {\
 .band thead { display: none; }\
 .band tr { display: block; border-bottom: 1px solid var(--line, #d9dee4); padding: 4px 0; }\
 .band th, .band td { display: flex; justify-content: space-between; gap: 10px; border: 0 !important; padding: 2px 4px !important; }\
 .band td::before { content: attr(data-label); color: var(--muted, #5b6775); }\
}\
</style>";

/// The columns after the measure, also each cell's label on a phone.
const COLUMNS: [Word; 4] = [
    Word("ينتظر اليوم", "Waiting today"),
    Word("P10 (مبكر)", "P10 (early)"),
    Word("P50 (مرجّح)", "P50 (likely)"),
    Word("P90 (متأخر)", "P90 (late)"),
];

/// A word in Arabic and English.
struct Word(&'static str, &'static str);

impl Word {
    fn get(&self, lang: Lang) -> &'static str {
        pick(lang, self.0, self.1)
    }
}

/// A sentence of the app's in the page's digits; a percentile's name
/// (P10) keeps its own.
fn sentence(labels: &Labels, lang: Lang) -> String {
    let text = label(labels, lang);
    let mut out = String::with_capacity(text.len() * 2);
    let mut run = String::new();
    let mut after_p = false;
    for c in text.chars() {
        if c.is_ascii_digit() && !after_p {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            out.push_str(&digits(std::mem::take(&mut run), lang));
        }
        after_p = c == 'P' || (after_p && c.is_ascii_digit());
        out.push(c);
    }
    if !run.is_empty() {
        out.push_str(&digits(run, lang));
    }
    out
}

fn when(d: Option<NaiveDate>, lang: Lang) -> String {
    match d {
        Some(d) => date(d, lang),
        None => pick(lang, "ليس خلال عشر سنوات", "not within ten years").to_string(),
    }
}

fn percent(share: f64, lang: Lang) -> String {
    format!("{}{}", decimal(share * 100.0, lang), pick(lang, "٪", " %"))
}

/// The rows of one outlook: measure, waiting today, P10, P50, P90.
fn clearance_rows(out: &mut String, o: &Outlook, place: Option<&Labels>, lang: Lang) {
    for (key, c, ar, en) in measures(o, place) {
        let _ = write!(
            out,
            r#"<tr data-forecast="{key}" data-backlog="{}" data-p50="{}"><th scope="row">{}</th><td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td><td data-label="{}">{}</td></tr>"#,
            c.backlog,
            c.p50.map_or(String::new(), |d| d.to_string()),
            esc(pick(lang, &ar, &en)),
            COLUMNS[0].get(lang),
            number(c.backlog, lang),
            COLUMNS[1].get(lang),
            when(c.p10, lang),
            COLUMNS[2].get(lang),
            when(c.p50, lang),
            COLUMNS[3].get(lang),
            when(c.p90, lang),
        );
    }
}

fn measures<'a>(
    o: &'a Outlook,
    place: Option<&Labels>,
) -> Vec<(&'static str, &'a Clearance, String, String)> {
    let mut rows = vec![
        ("families", &o.families, "العائلات".into(), "Families".into()),
        ("persons", &o.persons, "الأشخاص".into(), "Persons".into()),
        (
            "cards",
            &o.cards,
            "البطاقات الممكن إصدارها الآن".into(),
            "Cards that can be issued now".into(),
        ),
    ];
    if let (Some(d), Some(place)) = (&o.district, place) {
        rows.push((
            "district",
            d,
            format!("العائلات في {}", place.ar),
            format!("Families in {}", place.en),
        ));
    }
    rows
}

fn head(out: &mut String, lang: Lang) {
    out.push_str(r#"<div class="table-wrap"><table class="data band"><thead><tr>"#);
    let _ = write!(
        out,
        r#"<th scope="col">{}</th>"#,
        pick(lang, "المقياس", "Measure")
    );
    for h in &COLUMNS {
        let _ = write!(out, r#"<th scope="col">{}</th>"#, h.get(lang));
    }
    out.push_str("</tr></thead><tbody>");
}

fn bottleneck_line(b: &Option<StageWait>, lang: Lang) -> String {
    match b {
        Some(b) => format!(
            r#"<p class="callout" data-forecast-bottleneck="{}">{} <strong>{}</strong></p>"#,
            esc(&b.state),
            pick(
                lang,
                "أطول انتظار لما ينتظر اليوم سيكون في مرحلة:",
                "What waits today will wait longest in:"
            ),
            esc(&label(&b.state_label, lang)),
        ),
        None => String::new(),
    }
}

/// The forecast card's body.
pub(super) fn forecast_card(f: &Forecast, lang: Lang) -> String {
    let mut out = String::new();
    head(&mut out, lang);
    let outlook = Outlook {
        families: f.families.clone(),
        persons: f.persons.clone(),
        cards: f.cards.clone(),
        bottleneck: f.bottleneck.clone(),
        district: None,
        district_bottleneck: None,
    };
    clearance_rows(&mut out, &outlook, None, lang);
    out.push_str("</tbody></table></div>");
    out.push_str(&bottleneck_line(&outlook.bottleneck, lang));
    let _ = write!(
        out,
        r#"<p class="backtest" data-backtest-points="{}" data-backtest-inside="{}" data-coverage="{}">{}</p>"#,
        f.backtest.points,
        f.backtest.inside,
        f.backtest
            .coverage
            .map_or(String::new(), |c| format!("{c:.3}")),
        esc(&sentence(&f.backtest.summary, lang)),
    );
    if f.waiting_on_applicant > 0 {
        let _ = write!(
            out,
            r#"<p class="method" data-waiting-on-applicant="{}">{} {}</p>"#,
            f.waiting_on_applicant,
            pick(
                lang,
                "طلبات معادة إلى أصحابها وغير محسوبة:",
                "Applications sent back to the applicant, left out:"
            ),
            number(f.waiting_on_applicant, lang),
        );
    }
    let _ = write!(
        out,
        r#"<p class="method">{}</p>"#,
        esc(&label(&f.method, lang))
    );
    out
}

/// What the what-if form shows as chosen (what the reader typed).
#[derive(Clone, Debug, Default)]
pub struct FormValues {
    pub role: String,
    pub district: String,
    pub add: String,
    pub card_offices: String,
    /// What is wrong with a field (its name, the message in the reader's
    /// language), shown beside it.
    pub errors: Vec<(String, String)>,
}

impl FormValues {
    /// A control's attributes and the message after it, for `field` shown
    /// as the control `id`: nothing when the field is right.
    fn error(&self, field: &str, id: &str) -> (String, String) {
        match self.errors.iter().find(|(f, _)| f == field) {
            Some((_, message)) => (
                format!(r#" aria-invalid="true" aria-describedby="{id}-error""#),
                format!(
                    r#"<span class="field-error" id="{id}-error">{}</span>"#,
                    esc(message)
                ),
            ),
            None => (String::new(), String::new()),
        }
    }
}

/// The what-if form: a plain GET form to `/dashboard/what-if`.
pub fn what_if_form(
    roles: &[Role],
    places: &Places,
    districts: &[String],
    values: &FormValues,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<form class="whatif-form" method="get" action="/dashboard/what-if" id="what-if"><input type="hidden" name="lang" value="{}">"#,
        pick(lang, "ar", "en")
    );
    // The role.
    let (invalid, role_error) = values.error("role", "wi-role");
    let _ = write!(
        out,
        r#"<div><label for="wi-role">{}</label><select id="wi-role" name="role"{invalid}><option value="">{}</option>"#,
        pick(lang, "الموظفون", "Officers"),
        pick(lang, "— بلا موظفين —", "— no officers —"),
    );
    for r in roles {
        let _ = write!(
            out,
            r#"<option value="{}"{}>{}</option>"#,
            r.as_str(),
            if values.role == r.as_str() {
                " selected"
            } else {
                ""
            },
            esc(&label(&crate::app::stats::officers_of(*r), lang)),
        );
    }
    let _ = write!(out, "</select>{role_error}</div>");
    // How many.
    let (invalid, add_error) = values.error("add", "wi-add");
    let _ = write!(
        out,
        r#"<div><label for="wi-add">{}</label><input id="wi-add" name="add" type="number" inputmode="numeric" min="-{MAX_OFFICERS}" max="{MAX_OFFICERS}" step="1" value="{}"{invalid}><span class="hint">{}</span>{add_error}</div>"#,
        pick(lang, "عددهم", "How many"),
        esc(if values.add.is_empty() {
            "1"
        } else {
            &values.add
        }),
        pick(
            lang,
            "سالب: يُنقلون من المنطقة",
            "negative: moved away from the district"
        ),
    );
    // Where.
    let (invalid, district_error) = values.error("district", "wi-district");
    let _ = write!(
        out,
        r#"<div><label for="wi-district">{}</label><select id="wi-district" name="district"{invalid}>"#,
        pick(lang, "المنطقة أو المركز", "District or office"),
    );
    for code in districts {
        let Some(d) = places.district(code) else {
            continue;
        };
        let _ = write!(
            out,
            r#"<optgroup label="{}"><option value="{}"{}>{}</option>"#,
            esc(&place_name(places, code, lang)),
            esc(code),
            if values.district == *code {
                " selected"
            } else {
                ""
            },
            esc(&place_name(places, code, lang)),
        );
        for o in &d.offices {
            let _ = write!(
                out,
                r#"<option value="{}"{}>{} — {}</option>"#,
                esc(&o.code),
                if values.district == o.code {
                    " selected"
                } else {
                    ""
                },
                esc(&place_name(places, code, lang)),
                esc(pick(lang, &o.names.ar, &o.names.en)),
            );
        }
        out.push_str("</optgroup>");
    }
    let _ = write!(out, "</select>{district_error}</div>");
    // Card offices.
    let (invalid, offices_error) = values.error("card_offices", "wi-offices");
    let _ = write!(
        out,
        r#"<div><label for="wi-offices">{}</label><input id="wi-offices" name="card_offices" type="number" inputmode="numeric" min="0" max="{MAX_CARD_OFFICES}" step="1" value="{}"{invalid}>{offices_error}</div>"#,
        pick(lang, "مكاتب بطاقات جديدة", "New card offices"),
        esc(if values.card_offices.is_empty() {
            "0"
        } else {
            &values.card_offices
        }),
    );
    let _ = write!(
        out,
        r#"<div><button type="submit">{}</button></div></form>"#,
        pick(lang, "احسب موعد الإنجاز الجديد", "Work out the new dates"),
    );
    out
}

/// The panel's centre: the forecast card and the what-if form.
pub(super) fn centre(f: &Forecast, workflow: &Workflow, places: &Places, lang: Lang) -> String {
    let roles = crate::app::stats::worked_roles(workflow);
    let districts: Vec<String> = match &f.filter.district {
        Some(d) => vec![d.clone()],
        None => places.districts().iter().map(|d| d.code.clone()).collect(),
    };
    let mut out = String::from(STYLE);
    out.push_str(r#"<div class="centre">"#);
    let _ = write!(
        out,
        r#"<article class="card" id="forecast"><header><h2>{}</h2><button type="button" class="csv noprint" data-csv="forecast">CSV</button></header>{}</article>"#,
        pick(
            lang,
            "متى ينتهي ما ينتظر اليوم، وبأي قدر من اليقين",
            "When today's backlog clears, and how sure that is"
        ),
        forecast_card(f, lang),
    );
    let values = FormValues {
        district: f
            .filter
            .district
            .clone()
            .or_else(|| districts.first().cloned())
            .unwrap_or_default(),
        ..FormValues::default()
    };
    let _ = write!(
        out,
        r#"<article class="card noprint" id="what-if-card"><header><h2>{}</h2></header><p>{}</p>{}</article>"#,
        pick(
            lang,
            "ماذا لو غيّرنا عدد الموظفين؟",
            "What if we change the staff?"
        ),
        pick(
            lang,
            "أضف موظفين إلى منطقة أو انقلهم منها، أو افتح مكتب بطاقات جديداً، لترى المواعيد الجديدة والمرحلة التي تصبح عنق الزجاجة.",
            "Add officers to a district or move them away, or open a new card office, to see the new dates and the stage that becomes the bottleneck."
        ),
        what_if_form(&roles, places, &districts, &values, lang),
    );
    out.push_str("</div>");
    out
}

/// The what-if's answer: both outlooks side by side.
pub fn what_if_answer(w: &WhatIf, lang: Lang) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<p class="change" data-change>{} <strong>{}</strong></p>"#,
        pick(lang, "التغيير:", "The change:"),
        esc(&sentence(&w.change, lang)),
    );
    if !w.stages_changed.is_empty() {
        let _ = write!(
            out,
            "<p>{} {}</p>",
            pick(lang, "المراحل المعنية:", "Stages it touches:"),
            esc(&w
                .stages_changed
                .iter()
                .map(|l| label(l, lang))
                .collect::<Vec<_>>()
                .join(pick(lang, "، ", ", "))),
        );
    }
    for (id, title_ar, title_en, o) in [
        ("scenario", "مع التغيير", "With the change", &w.scenario),
        ("baseline", "كما هو الحال", "As things are", &w.baseline),
    ] {
        let _ = write!(
            out,
            r#"<section data-outlook="{id}"><h2>{}</h2>"#,
            pick(lang, title_ar, title_en)
        );
        head(&mut out, lang);
        clearance_rows(&mut out, o, w.district_label.as_ref(), lang);
        out.push_str("</tbody></table></div>");
        out.push_str(&bottleneck_line(&o.bottleneck, lang));
        if let (Some(b), Some(place)) = (&o.district_bottleneck, &w.district_label) {
            let _ = write!(
                out,
                r#"<p class="callout" data-district-bottleneck="{}">{} {}: <strong>{}</strong></p>"#,
                esc(&b.state),
                pick(lang, "وفي", "In"),
                esc(&label(place, lang)),
                esc(&label(&b.state_label, lang)),
            );
        }
        let shares: Vec<String> = measures(o, w.district_label.as_ref())
            .iter()
            .filter(|(_, c, _, _)| c.not_cleared_share > 0.0)
            .map(|(_, c, ar, en)| {
                format!(
                    "{}: {}",
                    pick(lang, ar, en),
                    percent(c.not_cleared_share, lang)
                )
            })
            .collect();
        if !shares.is_empty() {
            let _ = write!(
                out,
                r#"<p class="method">{} {}</p>"#,
                pick(
                    lang,
                    "نسبة التشغيلات التي لم ينتهِ فيها العمل خلال عشر سنوات:",
                    "Share of runs that had not cleared within ten years:"
                ),
                esc(&shares.join(pick(lang, "، ", ", "))),
            );
        }
        out.push_str("</section>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_take_the_page_digits_but_percentiles_keep_their_names() {
        let text = Labels {
            ar: "في 6 من 24 أسبوعاً (25%) داخل P10–P90".into(),
            en: "in 6 of 24 weeks (25 %) inside P10–P90".into(),
        };
        assert_eq!(
            sentence(&text, Lang::Ar),
            "في ٦ من ٢٤ أسبوعاً (٢٥%) داخل P10–P90"
        );
        assert_eq!(sentence(&text, Lang::En), text.en);
    }
}
