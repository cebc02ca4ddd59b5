//! The panel's centre: when the backlog clears (P10, P50 and P90 for
//! families, persons and cards, the stage it waits in longest, and the
//! backtest in one line) and the what-if form beside it; and the what-if's
//! answer, which `/dashboard/what-if` shows on a page of its own.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::format::{date, decimal, digits, label, number, place_name};
use crate::app::stats::{
    Clearance, Forecast, MAX_CARD_OFFICES, MAX_OFFICERS, Outlook, StageWait, Unmoved,
    UnmovedReason, WhatIf,
};
use crate::domain::language::Locale;
use crate::domain::language::Text;
use crate::domain::places::Places;
use crate::domain::roles::Role;
use crate::http::pages::words::dashboard::{self as words, Words};
use crate::workflow::definition::Workflow;

/// The columns after the measure, also each cell's label on a phone.
const COLUMNS: [Words; 4] = [
    words::WAITING_TODAY,
    words::P10_EARLY,
    words::P50_LIKELY,
    words::P90_LATE,
];

/// A sentence of the app's in the page's digits; a percentile's name
/// (P10) keeps its own.
fn sentence(labels: &Text, locale: Locale) -> String {
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
            None => (locale.say(&words::NOT_WITHIN_TEN_YEARS)),
        }
    }
}

fn percent(share: f64, locale: Locale) -> String {
    format!(
        "{}{}",
        decimal(share * 100.0, locale),
        locale.say(&words::PERCENT_SIGN)
    )
}

/// The rows of one outlook: measure, waiting today, P10, P50, P90.
fn clearance_rows(o: &Outlook, place: Option<&Text>, locale: Locale) -> Markup {
    html! {
        @for (key, c, measure) in measures(o, place) {
            tr data-forecast=(key) data-backlog=(c.backlog) data-p50=(c.p50.map_or(String::new(), |d| d.to_string())) {
                th scope="row" { (locale.say(&measure)) }
                td data-label=(locale.say(&COLUMNS[0])) { (number(c.backlog, locale)) }
                td data-label=(locale.say(&COLUMNS[1])) { (when(c.p10, locale)) }
                td data-label=(locale.say(&COLUMNS[2])) { (when(c.p50, locale)) }
                td data-label=(locale.say(&COLUMNS[3])) { (when(c.p90, locale)) }
            }
        }
    }
}

fn measures<'a>(o: &'a Outlook, place: Option<&Text>) -> Vec<(&'static str, &'a Clearance, Text)> {
    let mut rows = vec![
        ("families", &o.families, words::FAMILIES.text()),
        ("persons", &o.persons, words::PERSONS.text()),
        (
            "cards",
            &o.cards,
            words::CARDS_THAT_CAN_BE_ISSUED_NOW.text(),
        ),
    ];
    if let (Some(d), Some(place)) = (&o.district, place) {
        rows.push(("district", d, words::families_in(place)));
    }
    rows
}

/// An outlook's table: the measures by when they clear.
fn band(o: &Outlook, place: Option<&Text>, locale: Locale) -> Markup {
    html! {
        div class="table-wrap" {
            table class="data band" {
                thead {
                    tr {
                        th scope="col" { (locale.say(&words::MEASURE)) }
                        @for h in &COLUMNS { th scope="col" { (locale.say(h)) } }
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
                (locale.say(&words::WHAT_WAITS_TODAY_WILL_WAIT_LONGEST))
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
                (locale.say(&words::APPLICATIONS_SENT_BACK_TO_THE_APPLICANT))
                " " (number(f.waiting_on_applicant, locale))
            }
        }
        p class="method" { (sentence(&f.method, locale)) }
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
                label for="wi-role" { (locale.say(&words::OFFICERS)) }
                select id="wi-role" name="role" aria-invalid=[values.invalid("role")] aria-describedby=[values.described_by("role", "wi-role")] {
                    option value="" { (locale.say(&words::NO_OFFICERS)) }
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
                label for="wi-add" { (locale.say(&words::HOW_MANY)) }
                input id="wi-add" name="add" type="number" inputmode="numeric" min={ "-" (MAX_OFFICERS) } max=(MAX_OFFICERS) step="1" value=(add) aria-invalid=[values.invalid("add")] aria-describedby=[values.described_by("add", "wi-add")];
                span class="hint" {
                    (locale.say(&words::NEGATIVE_MOVED_AWAY_FROM_THE_DISTRICT))
                }
                (values.message("add", "wi-add"))
            }
            // Where.
            div {
                label for="wi-district" { (locale.say(&words::DISTRICT_OR_OFFICE)) }
                select id="wi-district" name="district" aria-invalid=[values.invalid("district")] aria-describedby=[values.described_by("district", "wi-district")] {
                    @for code in districts {
                        @if let Some(d) = places.district(code) {
                            @let name = place_name(places, code, locale);
                            optgroup label=(name) {
                                option value=(code) selected[values.district == *code] { (name) }
                                @for o in &d.offices {
                                    option value=(o.code) selected[values.district == o.code] {
                                        (name) " — " (locale.say(&o.names))
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
                label for="wi-offices" { (locale.say(&words::NEW_CARD_OFFICES)) }
                input id="wi-offices" name="card_offices" type="number" inputmode="numeric" min="0" max=(MAX_CARD_OFFICES) step="1" value=(card_offices) aria-invalid=[values.invalid("card_offices")] aria-describedby=[values.described_by("card_offices", "wi-offices")];
                (values.message("card_offices", "wi-offices"))
            }
            div { button type="submit" { (locale.say(&words::WORK_OUT_THE_NEW_DATES)) } }
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
                        (locale.say(&words::WHEN_TODAYS_BACKLOG_CLEARS_AND_HOW))
                    }
                    button type="button" class="csv noprint" data-csv="forecast" { "CSV" }
                }
                (forecast_card(f, locale))
            }
            article class="card noprint" id="what-if-card" {
                header {
                    h2 { (locale.say(&words::WHAT_IF_WE_CHANGE_THE_STAFF)) }
                }
                p {
                    (locale.say(&words::ADD_OFFICERS_TO_A_DISTRICT_OR))
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
            (locale.say(&words::THE_CHANGE)) " " strong { (sentence(&w.change, locale)) }
        }
        @if !w.stages_changed.is_empty() {
            p {
                (locale.say(&words::STAGES_IT_TOUCHES)) " "
                (w.stages_changed
                    .iter()
                    .map(|l| label(l, locale))
                    .collect::<Vec<_>>()
                    .join(locale.say(&words::LIST_COMMA)))
            }
        }
        @if let (Some(unmoved), Some(place)) = (&w.unmoved, place) {
            p class="callout" data-unmoved=(reason_code(unmoved.reason)) {
                (locale.say(&why_unmoved(unmoved, place)))
            }
        }
        @for (id, title, o) in [
            ("scenario", words::WITH_THE_CHANGE, &w.scenario),
            ("baseline", words::AS_THINGS_ARE, &w.baseline),
        ] {
            section data-outlook=(id) {
                h2 { (locale.say(&title)) }
                (band(o, place, locale))
                (bottleneck_line(&o.bottleneck, locale))
                @if let (Some(b), Some(place)) = (&o.district_bottleneck, place) {
                    p class="callout" data-district-bottleneck=(b.state) {
                        (locale.say(&words::IN)) " " (label(place, locale)) ": "
                        strong { (label(&b.state_label, locale)) }
                    }
                }
                @let shares = not_cleared(o, place, locale);
                @if !shares.is_empty() {
                    p class="method" {
                        (locale.say(&words::SHARE_OF_RUNS_THAT_HAD_NOT))
                        " " (shares.join(locale.say(&words::LIST_COMMA)))
                    }
                }
            }
        }
    }
}

/// Why a change moved no date, naming the stage that holds the flow back
/// in `place`.
fn why_unmoved(unmoved: &Unmoved, place: &Text) -> Text {
    match (&unmoved.bottleneck, unmoved.reason) {
        (Some(b), UnmovedReason::BottleneckElsewhere) => {
            words::no_date_moves_held_back_elsewhere(&b.state_label, place)
        }
        (Some(b), UnmovedReason::TooSmall) => words::no_date_moves_too_small(&b.state_label, place),
        _ => words::no_date_moves_nothing_waits(place),
    }
}

/// The reason's name, as the page marks it for a script or a test.
fn reason_code(reason: UnmovedReason) -> &'static str {
    match reason {
        UnmovedReason::BottleneckElsewhere => "bottleneck_elsewhere",
        UnmovedReason::TooSmall => "too_small",
        UnmovedReason::NothingWaits => "nothing_waits",
    }
}

/// Each measure that did not clear in some runs, with the share of them.
fn not_cleared(o: &Outlook, place: Option<&Text>, locale: Locale) -> Vec<String> {
    measures(o, place)
        .iter()
        .filter(|(_, c, _)| c.not_cleared_share > 0.0)
        .map(|(_, c, measure)| {
            format!(
                "{}: {}",
                locale.say(measure),
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
        let text = Text {
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
