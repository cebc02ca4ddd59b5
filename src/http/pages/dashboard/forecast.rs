//! The panel's centre: when the backlog clears (P10, P50 and P90 for
//! families, persons and cards, the stage it waits in longest, and the
//! backtest in one line) and the what-if form beside it; and the what-if's
//! answer, which `/dashboard/what-if` shows on a page of its own.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::format::{date, decimal, digits, label, number, place_name};
use crate::app::stats::{
    Clearance, Forecast, MAX_CARD_OFFICES, MAX_OFFICERS, Outlook, StageWait, WhatIf,
};
use crate::domain::language::Locale;
use crate::domain::places::Places;
use crate::domain::roles::Role;
use crate::workflow::definition::Labels;
use crate::workflow::definition::Workflow;

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
    fn get(&self, locale: Locale) -> &'static str {
        locale.pick(self.0, self.1)
    }
}

/// A sentence of the app's in the page's digits; a percentile's name
/// (P10) keeps its own.
fn sentence(labels: &Labels, locale: Locale) -> String {
    let mut after_p = false;
    label(labels, locale)
        .chars()
        .map(|c| {
            let written = if c.is_ascii_digit() && !after_p {
                digits(c.to_string(), locale).chars().next().unwrap_or(c)
            } else {
                c
            };
            after_p = c == 'P' || (after_p && c.is_ascii_digit());
            written
        })
        .collect()
}

fn when(d: Option<NaiveDate>, locale: Locale) -> Markup {
    html! {
        @match d {
            Some(d) => (date(d, locale)),
            None => (locale.pick("ليس خلال عشر سنوات", "not within ten years")),
        }
    }
}

fn percent(share: f64, locale: Locale) -> String {
    format!(
        "{}{}",
        decimal(share * 100.0, locale),
        locale.pick("٪", " %")
    )
}

/// The rows of one outlook: measure, waiting today, P10, P50, P90.
fn clearance_rows(o: &Outlook, place: Option<&Labels>, locale: Locale) -> Markup {
    html! {
        @for (key, c, ar, en) in measures(o, place) {
            tr data-forecast=(key) data-backlog=(c.backlog) data-p50=(c.p50.map_or(String::new(), |d| d.to_string())) {
                th scope="row" { (locale.pick(&ar, &en)) }
                td data-label=(COLUMNS[0].get(locale)) { (number(c.backlog, locale)) }
                td data-label=(COLUMNS[1].get(locale)) { (when(c.p10, locale)) }
                td data-label=(COLUMNS[2].get(locale)) { (when(c.p50, locale)) }
                td data-label=(COLUMNS[3].get(locale)) { (when(c.p90, locale)) }
            }
        }
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

/// An outlook's table: the measures by when they clear.
fn band(o: &Outlook, place: Option<&Labels>, locale: Locale) -> Markup {
    html! {
        div class="table-wrap" {
            table class="data band" {
                thead {
                    tr {
                        th scope="col" { (locale.pick("المقياس", "Measure")) }
                        @for h in &COLUMNS { th scope="col" { (h.get(locale)) } }
                    }
                }
                tbody { (clearance_rows(o, place, locale)) }
            }
        }
    }
}

fn bottleneck_line(b: &Option<StageWait>, locale: Locale) -> Markup {
    html! {
        @if let Some(b) = b {
            p class="callout" data-forecast-bottleneck=(b.state) {
                (locale.pick(
                    "أطول انتظار لما ينتظر اليوم سيكون في مرحلة:",
                    "What waits today will wait longest in:"
                ))
                " " strong { (label(&b.state_label, locale)) }
            }
        }
    }
}

/// The forecast card's body.
pub(super) fn forecast_card(f: &Forecast, locale: Locale) -> Markup {
    let outlook = Outlook {
        families: f.families.clone(),
        persons: f.persons.clone(),
        cards: f.cards.clone(),
        bottleneck: f.bottleneck.clone(),
        district: None,
        district_bottleneck: None,
    };
    html! {
        (band(&outlook, None, locale))
        (bottleneck_line(&outlook.bottleneck, locale))
        p class="backtest" data-backtest-points=(f.backtest.points) data-backtest-inside=(f.backtest.inside) data-coverage=(f.backtest.coverage.map_or(String::new(), |c| format!("{c:.3}"))) {
            (sentence(&f.backtest.summary, locale))
        }
        @if f.waiting_on_applicant > 0 {
            p class="method" data-waiting-on-applicant=(f.waiting_on_applicant) {
                (locale.pick(
                    "طلبات معادة إلى أصحابها وغير محسوبة:",
                    "Applications sent back to the applicant, left out:"
                ))
                " " (number(f.waiting_on_applicant, locale))
            }
        }
        p class="method" { (label(&f.method, locale)) }
    }
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
    /// What is wrong with `field`, if anything.
    fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, message)| message.as_str())
    }

    /// The id of the message about `field` shown as the control `id`,
    /// when there is one (for `aria-describedby`).
    fn described_by(&self, field: &str, id: &str) -> Option<String> {
        self.error(field).map(|_| format!("{id}-error"))
    }

    /// The message about `field` after the control `id`: nothing when the
    /// field is right.
    fn message(&self, field: &str, id: &str) -> Markup {
        html! {
            @if let Some(message) = self.error(field) {
                span class="field-error" id={ (id) "-error" } { (message) }
            }
        }
    }

    fn invalid(&self, field: &str) -> Option<&'static str> {
        self.error(field).map(|_| "true")
    }
}

/// The what-if form: a plain GET form to `/dashboard/what-if`.
pub fn what_if_form(
    roles: &[Role],
    places: &Places,
    districts: &[String],
    values: &FormValues,
    locale: Locale,
) -> Markup {
    let add = if values.add.is_empty() {
        "1"
    } else {
        &values.add
    };
    let card_offices = if values.card_offices.is_empty() {
        "0"
    } else {
        &values.card_offices
    };
    html! {
        form class="whatif-form" method="get" action="/dashboard/what-if" id="what-if" {
            input type="hidden" name="lang" value=(locale.code());
            // The role.
            div {
                label for="wi-role" { (locale.pick("الموظفون", "Officers")) }
                select id="wi-role" name="role" aria-invalid=[values.invalid("role")] aria-describedby=[values.described_by("role", "wi-role")] {
                    option value="" { (locale.pick("— بلا موظفين —", "— no officers —")) }
                    @for r in roles {
                        option value=(r.as_str()) selected[values.role == r.as_str()] {
                            (label(&crate::app::stats::officers_of(*r), locale))
                        }
                    }
                }
                (values.message("role", "wi-role"))
            }
            // How many.
            div {
                label for="wi-add" { (locale.pick("عددهم", "How many")) }
                input id="wi-add" name="add" type="number" inputmode="numeric" min={ "-" (MAX_OFFICERS) } max=(MAX_OFFICERS) step="1" value=(add) aria-invalid=[values.invalid("add")] aria-describedby=[values.described_by("add", "wi-add")];
                span class="hint" {
                    (locale.pick("سالب: يُنقلون من المنطقة", "negative: moved away from the district"))
                }
                (values.message("add", "wi-add"))
            }
            // Where.
            div {
                label for="wi-district" { (locale.pick("المنطقة أو المركز", "District or office")) }
                select id="wi-district" name="district" aria-invalid=[values.invalid("district")] aria-describedby=[values.described_by("district", "wi-district")] {
                    @for code in districts {
                        @if let Some(d) = places.district(code) {
                            @let name = place_name(places, code, locale);
                            optgroup label=(name) {
                                option value=(code) selected[values.district == *code] { (name) }
                                @for o in &d.offices {
                                    option value=(o.code) selected[values.district == o.code] {
                                        (name) " — " (locale.pick(&o.names.ar, &o.names.en))
                                    }
                                }
                            }
                        }
                    }
                }
                (values.message("district", "wi-district"))
            }
            // Card offices.
            div {
                label for="wi-offices" { (locale.pick("مكاتب بطاقات جديدة", "New card offices")) }
                input id="wi-offices" name="card_offices" type="number" inputmode="numeric" min="0" max=(MAX_CARD_OFFICES) step="1" value=(card_offices) aria-invalid=[values.invalid("card_offices")] aria-describedby=[values.described_by("card_offices", "wi-offices")];
                (values.message("card_offices", "wi-offices"))
            }
            div { button type="submit" { (locale.pick("احسب موعد الإنجاز الجديد", "Work out the new dates")) } }
        }
    }
}

/// The panel's centre: the forecast card and the what-if form.
pub(super) fn centre(f: &Forecast, workflow: &Workflow, places: &Places, locale: Locale) -> Markup {
    let roles = crate::app::stats::worked_roles(workflow);
    let districts: Vec<String> = match &f.filter.district {
        Some(d) => vec![d.clone()],
        None => places.districts().iter().map(|d| d.code.clone()).collect(),
    };
    let values = FormValues {
        district: f
            .filter
            .district
            .clone()
            .or_else(|| districts.first().cloned())
            .unwrap_or_default(),
        ..FormValues::default()
    };
    html! {
        div class="centre" {
            article class="card" id="forecast" {
                header {
                    h2 {
                        (locale.pick(
                            "متى ينتهي ما ينتظر اليوم، وبأي قدر من اليقين",
                            "When today's backlog clears, and how sure that is"
                        ))
                    }
                    button type="button" class="csv noprint" data-csv="forecast" { "CSV" }
                }
                (forecast_card(f, locale))
            }
            article class="card noprint" id="what-if-card" {
                header {
                    h2 { (locale.pick("ماذا لو غيّرنا عدد الموظفين؟", "What if we change the staff?")) }
                }
                p {
                    (locale.pick(
                        "أضف موظفين إلى منطقة أو انقلهم منها، أو افتح مكتب بطاقات جديداً، لترى المواعيد الجديدة والمرحلة التي تصبح عنق الزجاجة.",
                        "Add officers to a district or move them away, or open a new card office, to see the new dates and the stage that becomes the bottleneck."
                    ))
                }
                (what_if_form(&roles, places, &districts, &values, locale))
            }
        }
    }
}

/// The what-if's answer: both outlooks side by side.
pub fn what_if_answer(w: &WhatIf, locale: Locale) -> Markup {
    let place = w.district_label.as_ref();
    html! {
        p class="change" data-change {
            (locale.pick("التغيير:", "The change:")) " " strong { (sentence(&w.change, locale)) }
        }
        @if !w.stages_changed.is_empty() {
            p {
                (locale.pick("المراحل المعنية:", "Stages it touches:")) " "
                (w.stages_changed
                    .iter()
                    .map(|l| label(l, locale))
                    .collect::<Vec<_>>()
                    .join(locale.pick("، ", ", ")))
            }
        }
        @for (id, title_ar, title_en, o) in [
            ("scenario", "مع التغيير", "With the change", &w.scenario),
            ("baseline", "كما هو الحال", "As things are", &w.baseline),
        ] {
            section data-outlook=(id) {
                h2 { (locale.pick(title_ar, title_en)) }
                (band(o, place, locale))
                (bottleneck_line(&o.bottleneck, locale))
                @if let (Some(b), Some(place)) = (&o.district_bottleneck, place) {
                    p class="callout" data-district-bottleneck=(b.state) {
                        (locale.pick("وفي", "In")) " " (label(place, locale)) ": "
                        strong { (label(&b.state_label, locale)) }
                    }
                }
                @let shares = not_cleared(o, place, locale);
                @if !shares.is_empty() {
                    p class="method" {
                        (locale.pick(
                            "نسبة التشغيلات التي لم ينتهِ فيها العمل خلال عشر سنوات:",
                            "Share of runs that had not cleared within ten years:"
                        ))
                        " " (shares.join(locale.pick("، ", ", ")))
                    }
                }
            }
        }
    }
}

/// Each measure that did not clear in some runs, with the share of them.
fn not_cleared(o: &Outlook, place: Option<&Labels>, locale: Locale) -> Vec<String> {
    measures(o, place)
        .iter()
        .filter(|(_, c, _, _)| c.not_cleared_share > 0.0)
        .map(|(_, c, ar, en)| {
            format!(
                "{}: {}",
                locale.pick(ar, en),
                percent(c.not_cleared_share, locale)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::language::Digits;
    use crate::domain::language::Lang;

    #[test]
    fn sentences_take_the_page_digits_but_percentiles_keep_their_names() {
        let text = Labels {
            ar: "في 6 من 24 أسبوعاً (25%) داخل P10–P90".into(),
            en: "in 6 of 24 weeks (25 %) inside P10–P90".into(),
        };
        assert_eq!(
            sentence(
                &text,
                Locale {
                    lang: Lang::Ar,
                    digits: Digits::Arabic
                }
            ),
            "في ٦ من ٢٤ أسبوعاً (٢٥%) داخل P10–P90"
        );
        let english = Locale {
            lang: Lang::En,
            digits: Digits::Arabic,
        };
        assert_eq!(sentence(&text, english), text.en);
    }
}
