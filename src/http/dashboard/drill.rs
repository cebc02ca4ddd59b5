//! Drill-down: from a district, an office, a stage or an age bucket to the
//! counts beneath it, by links to the dashboard with `?district=`,
//! `?office=`, `?state=` or `?age=` (the panel reads the same parameters).
//! Supervisors, who may see cases, get a link on to the workbench's list
//! of those cases (`/team?state=…&district=…&office=…`); leadership only
//! ever sees counts.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::charts::bucket_name;
use super::format::{label, number, pick, place_name};
use crate::app::stats::{AGE_BUCKETS, Ageing, Backlog};
use crate::domain::places::Places;
// The same HTML escaping as the mail templates.
use crate::domain::language::Lang;
use crate::mail::templates::escape as esc;
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
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
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

    fn cases_cell(
        &self,
        lang: Lang,
        state: Option<&str>,
        district: Option<&str>,
        office: Option<&str>,
    ) -> String {
        match self.cases(state, district, office) {
            Some(href) => format!(
                r#"<td><a class="cases" href="{}">{}</a></td>"#,
                esc(&href),
                pick(lang, "الطلبات", "The cases")
            ),
            None => String::new(),
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
    lang: Lang,
) -> Option<(String, String)> {
    let d = &links.drill;
    let state_name = |s: &str| {
        workflow
            .state(s)
            .map_or(s.to_string(), |st| label(&st.labels, lang))
    };
    let cases_head = if links.supervisor {
        format!(
            r#"<th scope="col">{}</th>"#,
            pick(lang, "في منضدة العمل", "In the workbench")
        )
    } else {
        String::new()
    };
    let mut out = String::new();
    if let Some(age) = &d.age {
        let i = AGE_BUCKETS.iter().position(|b| b.2 == age)?;
        let title = format!(
            "{} {} {}",
            pick(lang, "الطلبات التي أمضت", "Applications that have spent"),
            bucket_name(i, lang),
            pick(
                lang,
                "يوماً في مرحلتها، حسب المرحلة",
                "days in their stage, by stage"
            )
        );
        let _ = write!(
            out,
            r#"<div class="table-wrap"><table class="data drill" data-drill="age"><thead><tr><th scope="col">{}</th><th scope="col">{}</th>{cases_head}</tr></thead><tbody>"#,
            pick(lang, "المرحلة", "Stage"),
            pick(lang, "العائلات", "Families"),
        );
        for r in a.rows.iter().filter(|r| r.counts[i] > 0) {
            let _ = write!(
                out,
                r#"<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td>{}</tr>"#,
                esc(&links.dashboard(&[("state", &r.state)])),
                esc(&label(&r.state_label, lang)),
                number(r.counts[i], lang),
                links.cases_cell(lang, Some(&r.state), None, None),
            );
        }
        out.push_str("</tbody></table></div>");
        return Some((title, out));
    }
    if let Some(state) = &d.state {
        let title = format!(
            "{} {} {}",
            pick(lang, "مرحلة", "The stage"),
            esc(&state_name(state)),
            pick(lang, "حسب المنطقة والمكتب", "by district and office")
        );
        let rows: Vec<_> = b.rows.iter().filter(|r| &r.state == state).collect();
        let _ = write!(
            out,
            r#"<div class="table-wrap"><table class="data drill" data-drill="state"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>{cases_head}</tr></thead><tbody>"#,
            pick(lang, "المنطقة", "District"),
            pick(lang, "المكتب", "Office"),
            pick(lang, "العائلات", "Families"),
            pick(lang, "الأشخاص", "Persons"),
        );
        if rows.is_empty() {
            let _ = write!(
                out,
                r#"<tr><td colspan="4">{}</td></tr>"#,
                pick(
                    lang,
                    "لا طلبات مفتوحة في هذه المرحلة.",
                    "No open application in this stage."
                )
            );
        }
        for r in rows {
            let _ = write!(
                out,
                r#"<tr><th scope="row"><a href="{}">{}</a></th><td><a href="{}">{}</a></td><td>{}</td><td>{}</td>{}</tr>"#,
                esc(&links.dashboard(&[("district", &r.district)])),
                esc(&place_name(places, &r.district, lang)),
                esc(&links.dashboard(&[("district", &r.district), ("office", &r.office)])),
                esc(&place_name(places, &r.office, lang)),
                number(r.families, lang),
                number(r.persons, lang),
                links.cases_cell(lang, Some(state), Some(&r.district), Some(&r.office)),
            );
        }
        out.push_str("</tbody></table></div>");
        return Some((title, out));
    }
    if let Some(office) = &d.office {
        let title = format!(
            "{} {} {}",
            pick(lang, "مكتب", "The office"),
            esc(&place_name(places, office, lang)),
            pick(lang, "حسب المرحلة", "by stage")
        );
        let _ = write!(
            out,
            r#"<div class="table-wrap"><table class="data drill" data-drill="office"><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>{cases_head}</tr></thead><tbody>"#,
            pick(lang, "المرحلة", "Stage"),
            pick(lang, "العائلات", "Families"),
            pick(lang, "الأشخاص", "Persons"),
        );
        for r in b.rows.iter().filter(|r| &r.office == office) {
            let _ = write!(
                out,
                r#"<tr><th scope="row"><a href="{}">{}</a></th><td>{}</td><td>{}</td>{}</tr>"#,
                esc(&links.dashboard(&[("state", &r.state)])),
                esc(&state_name(&r.state)),
                number(r.families, lang),
                number(r.persons, lang),
                links.cases_cell(lang, Some(&r.state), Some(&r.district), Some(office)),
            );
        }
        out.push_str("</tbody></table></div>");
        return Some((title, out));
    }
    if let Some(district) = &d.district {
        let title = format!(
            "{} {} {}",
            pick(lang, "منطقة", "The district"),
            esc(&place_name(places, district, lang)),
            pick(lang, "حسب المكتب والمرحلة", "by office and stage")
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
        let _ = write!(
            out,
            r#"<div class="table-wrap"><table class="data drill" data-drill="district"><thead><tr><th scope="col">{}</th>"#,
            pick(lang, "المكتب", "Office"),
        );
        for s in &open {
            let _ = write!(
                out,
                r#"<th scope="col"><a href="{}">{}</a></th>"#,
                esc(&links.dashboard(&[("state", s)])),
                esc(&state_name(s))
            );
        }
        let _ = write!(
            out,
            r#"<th scope="col">{}</th>{cases_head}</tr></thead><tbody>"#,
            pick(lang, "المجموع", "Total")
        );
        for (office, counts) in &offices {
            let _ = write!(
                out,
                r#"<tr><th scope="row"><a href="{}">{}</a></th>"#,
                esc(&links.dashboard(&[("district", district), ("office", office)])),
                esc(&place_name(places, office, lang)),
            );
            for s in &open {
                let _ = write!(
                    out,
                    "<td>{}</td>",
                    number(counts.get(s).copied().unwrap_or(0), lang)
                );
            }
            let _ = write!(
                out,
                "<td>{}</td>{}</tr>",
                number(counts.values().sum(), lang),
                links.cases_cell(lang, None, Some(district), Some(office)),
            );
        }
        out.push_str("</tbody></table></div>");
        return Some((title, out));
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
