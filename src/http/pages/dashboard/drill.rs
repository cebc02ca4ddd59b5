//! Drill-down: from a district, an office, a stage or an age bucket to the
//! counts beneath it, by links to the dashboard with `?district=`,
//! `?office=`, `?state=` or `?age=` (the panel reads the same parameters).
//! Supervisors, who may see cases, get a link on to the workbench's list
//! of those cases (`/team?state=…&district=…&office=…`); leadership only
//! ever sees counts.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::format::{bucket_name, label, number, place_name};
use crate::app::stats::{AGE_BUCKETS, Ageing, Backlog};
use crate::domain::language::Locale;
use crate::domain::places::Places;
use crate::http::pages::words::dashboard as words;
use crate::workflow::definition::Workflow;

/// What the panel was asked to drill into, beyond its filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Drill {
    pub district: Option<String>,
    pub office: Option<String>,
    /// A state of the workflow.
    pub state: Option<String>,
    /// An age bucket's name (`8-30`).
    pub age: Option<String>,
}

/// How the panel links onward.
pub struct Links {
    /// The filter the panel shows (kept by every link).
    pub drill: Drill,
    /// Whether the reader may see cases (a supervisor).
    pub supervisor: bool,
}

/// A query string's value, percent-encoded.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn query(base: &str, pairs: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if pairs.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", pairs.join("&"))
    }
}

impl Links {
    /// The dashboard with the panel's district and office, and `pairs`
    /// (which replace those; a drill into a stage or an age keeps the
    /// place, a new place drops the stage and age).
    pub fn dashboard(&self, pairs: &[(&str, &str)]) -> String {
        let given = |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
        let place_given = given("district").is_some() || given("office").is_some();
        let district = given("district").or(self.drill.district.as_deref());
        let office = if given("district").is_some() {
            given("office")
        } else {
            given("office").or(self.drill.office.as_deref())
        };
        let mut all = vec![
            ("district", district.unwrap_or("")),
            ("office", office.unwrap_or("")),
        ];
        if !place_given {
            all.push(("state", given("state").unwrap_or("")));
            all.push(("age", given("age").unwrap_or("")));
        }
        query("/dashboard", &all)
    }

    /// The workbench's list of the cases behind a count, for a supervisor.
    pub fn cases(
        &self,
        state: Option<&str>,
        district: Option<&str>,
        office: Option<&str>,
    ) -> Option<String> {
        self.supervisor.then(|| {
            query(
                "/team",
                &[
                    ("state", state.unwrap_or("")),
                    (
                        "district",
                        district.or(self.drill.district.as_deref()).unwrap_or(""),
                    ),
                    (
                        "office",
                        office.or(self.drill.office.as_deref()).unwrap_or(""),
                    ),
                ],
            )
        })
    }

    /// A row's last cell: the link on to its cases, for a supervisor.
    fn cases_cell(
        &self,
        locale: Locale,
        state: Option<&str>,
        district: Option<&str>,
        office: Option<&str>,
    ) -> Markup {
        html! {
            @if let Some(href) = self.cases(state, district, office) {
                td { a class="cases" href=(href) { (locale.say(&words::THE_CASES)) } }
            }
        }
    }
}

/// The drill-down card's title and body, when the panel was asked to
/// drill into something; `None` for the plain panel.
pub(super) fn drill_card(
    b: &Backlog,
    a: &Ageing,
    workflow: &Workflow,
    places: &Places,
    links: &Links,
    locale: Locale,
) -> Option<(String, Markup)> {
    let d = &links.drill;
    let state_name = |s: &str| {
        workflow
            .state(s)
            .map_or(s.to_string(), |st| label(&st.labels, locale))
    };
    let cases_head = html! {
        @if links.supervisor {
            th scope="col" { (locale.say(&words::IN_THE_WORKBENCH)) }
        }
    };
    if let Some(age) = &d.age {
        let i = AGE_BUCKETS.iter().position(|b| b.2 == age)?;
        let title = format!(
            "{} {} {}",
            locale.say(&words::APPLICATIONS_THAT_HAVE_SPENT),
            bucket_name(i, locale),
            locale.say(&words::DAYS_IN_THEIR_STAGE_BY_STAGE)
        );
        let body = html! {
            div class="table-wrap" {
                table class="data drill" data-drill="age" {
                    thead {
                        tr {
                            th scope="col" { (locale.say(&words::STAGE)) }
                            th scope="col" { (locale.say(&words::FAMILIES)) }
                            (cases_head)
                        }
                    }
                    tbody {
                        @for r in a.rows.iter().filter(|r| r.counts[i] > 0) {
                            tr {
                                th scope="row" {
                                    a href=(links.dashboard(&[("state", &r.state)])) { (label(&r.state_label, locale)) }
                                }
                                td { (number(r.counts[i], locale)) }
                                (links.cases_cell(locale, Some(&r.state), None, None))
                            }
                        }
                    }
                }
            }
        };
        return Some((title, body));
    }
    if let Some(state) = &d.state {
        let title = format!(
            "{} {} {}",
            locale.say(&words::THE_STAGE),
            state_name(state),
            locale.say(&words::BY_DISTRICT_AND_OFFICE)
        );
        let rows: Vec<_> = b.rows.iter().filter(|r| &r.state == state).collect();
        let body = html! {
            div class="table-wrap" {
                table class="data drill" data-drill="state" {
                    thead {
                        tr {
                            th scope="col" { (locale.say(&words::DISTRICT)) }
                            th scope="col" { (locale.say(&words::OFFICE)) }
                            th scope="col" { (locale.say(&words::FAMILIES)) }
                            th scope="col" { (locale.say(&words::PERSONS)) }
                            (cases_head)
                        }
                    }
                    tbody {
                        @if rows.is_empty() {
                            tr {
                                td colspan="4" {
                                    (locale.say(&words::NO_OPEN_APPLICATION_IN_THIS_STAGE))
                                }
                            }
                        }
                        @for r in &rows {
                            tr {
                                th scope="row" {
                                    a href=(links.dashboard(&[("district", &r.district)])) {
                                        (place_name(places, &r.district, locale))
                                    }
                                }
                                td {
                                    a href=(links.dashboard(&[("district", &r.district), ("office", &r.office)])) {
                                        (place_name(places, &r.office, locale))
                                    }
                                }
                                td { (number(r.families, locale)) }
                                td { (number(r.persons, locale)) }
                                (links.cases_cell(locale, Some(state), Some(&r.district), Some(&r.office)))
                            }
                        }
                    }
                }
            }
        };
        return Some((title, body));
    }
    if let Some(office) = &d.office {
        let title = format!(
            "{} {} {}",
            locale.say(&words::THE_OFFICE),
            place_name(places, office, locale),
            locale.say(&words::BY_STAGE)
        );
        let body = html! {
            div class="table-wrap" {
                table class="data drill" data-drill="office" {
                    thead {
                        tr {
                            th scope="col" { (locale.say(&words::STAGE)) }
                            th scope="col" { (locale.say(&words::FAMILIES)) }
                            th scope="col" { (locale.say(&words::PERSONS)) }
                            (cases_head)
                        }
                    }
                    tbody {
                        @for r in b.rows.iter().filter(|r| &r.office == office) {
                            tr {
                                th scope="row" {
                                    a href=(links.dashboard(&[("state", &r.state)])) { (state_name(&r.state)) }
                                }
                                td { (number(r.families, locale)) }
                                td { (number(r.persons, locale)) }
                                (links.cases_cell(locale, Some(&r.state), Some(&r.district), Some(office)))
                            }
                        }
                    }
                }
            }
        };
        return Some((title, body));
    }
    if let Some(district) = &d.district {
        let title = format!(
            "{} {} {}",
            locale.say(&words::THE_DISTRICT),
            place_name(places, district, locale),
            locale.say(&words::BY_OFFICE_AND_STAGE)
        );
        let open: Vec<&str> = workflow
            .states
            .iter()
            .filter(|s| !s.terminal)
            .map(|s| s.name.as_str())
            .collect();
        let mut offices: BTreeMap<&str, BTreeMap<&str, i64>> = BTreeMap::new();
        for r in b.rows.iter().filter(|r| &r.district == district) {
            *offices
                .entry(&r.office)
                .or_default()
                .entry(&r.state)
                .or_default() += r.families;
        }
        let body = html! {
            div class="table-wrap" {
                table class="data drill" data-drill="district" {
                    thead {
                        tr {
                            th scope="col" { (locale.say(&words::OFFICE)) }
                            @for s in &open {
                                th scope="col" {
                                    a href=(links.dashboard(&[("state", s)])) { (state_name(s)) }
                                }
                            }
                            th scope="col" { (locale.say(&words::TOTAL)) }
                            (cases_head)
                        }
                    }
                    tbody {
                        @for (office, counts) in &offices {
                            tr {
                                th scope="row" {
                                    a href=(links.dashboard(&[("district", district), ("office", office)])) {
                                        (place_name(places, office, locale))
                                    }
                                }
                                @for s in &open {
                                    td { (number(counts.get(s).copied().unwrap_or(0), locale)) }
                                }
                                td { (number(counts.values().sum(), locale)) }
                                (links.cases_cell(locale, None, Some(district), Some(office)))
                            }
                        }
                    }
                }
            }
        };
        return Some((title, body));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(district: Option<&str>, supervisor: bool) -> Links {
        Links {
            drill: Drill {
                district: district.map(str::to_string),
                ..Drill::default()
            },
            supervisor,
        }
    }

    #[test]
    fn links_keep_the_place_and_encode_their_values() {
        let l = links(Some("al_qamishli"), false);
        assert_eq!(
            l.dashboard(&[("age", "181+")]),
            "/dashboard?district=al_qamishli&age=181%2B"
        );
        assert_eq!(
            l.dashboard(&[("district", "amuda")]),
            "/dashboard?district=amuda"
        );
        assert_eq!(l.cases(Some("verification"), None, None), None);
        let s = links(None, true);
        assert_eq!(
            s.cases(Some("verification"), Some("amuda"), None)
                .as_deref(),
            Some("/team?state=verification&district=amuda")
        );
    }
}
