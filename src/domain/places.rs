//! The districts and their offices: reference data read from
//! `workflows/places.toml` (or the file `CASEWORK_PLACES_FILE` names), and
//! the checks every district or office code that enters the system passes.
//!
//! Pure: the text is read by the caller; an unknown code is refused with a
//! [`FieldError`] naming the field, the nearest valid code and every valid
//! one, in Arabic and English.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use crate::domain::field_error::{FieldError, is_slug};
use crate::domain::language::{Text, Words};
use crate::domain::words::{self, fields};

/// An office where applications are filed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Office {
    pub code: String,
    pub names: Text,
}

/// A district and its offices.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct District {
    pub code: String,
    pub names: Text,
    pub offices: Vec<Office>,
}

/// Every district and office, in file order.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Places {
    districts: Vec<District>,
    /// Office code → (district index, office index).
    offices: HashMap<String, (usize, usize)>,
}

/// A problem in a places file, at a line; every problem of one file.
pub use crate::domain::line_errors::{LineError as PlacesError, LineErrors as PlacesErrors};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    district: Vec<RawDistrict>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    code: Spanned<String>,
    ar: Spanned<String>,
    en: Spanned<String>,
    #[serde(default)]
    office: Vec<RawOffice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffice {
    code: Spanned<String>,
    ar: Spanned<String>,
    en: Spanned<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |head| head.matches('\n').count() + 1)
}

impl Places {
    /// Reads and checks a places file; `file` names it in the errors, which
    /// are all reported at once, each with its line.
    pub fn from_toml(file: &str, text: &str) -> Result<Places, PlacesErrors> {
        let raw: RawFile = toml::from_str(text).map_err(|error| {
            PlacesErrors(vec![PlacesError {
                file: file.to_string(),
                line: error.span().map_or(1, |span| line_of(text, span.start)),
                message: error.message().trim().to_string(),
            }])
        })?;
        let mut errors = Vec::new();
        let mut error = |span: std::ops::Range<usize>, message: String| {
            errors.push(PlacesError {
                file: file.to_string(),
                line: line_of(text, span.start),
                message,
            });
        };
        let mut places = Places::default();
        let mut district_lines: HashMap<String, usize> = HashMap::new();
        let mut office_lines: HashMap<String, usize> = HashMap::new();
        if raw.district.is_empty() {
            error(
                0..0,
                "no [[district]] is listed: at least one is needed".into(),
            );
        }
        for raw_district in raw.district {
            let code = raw_district.code.get_ref().trim().to_string();
            let code_line = line_of(text, raw_district.code.span().start);
            if !is_slug(&code) {
                error(
                    raw_district.code.span(),
                    format!(
                        "district code '{code}' must be lowercase Latin letters, digits and underscores"
                    ),
                );
            } else if let Some(first) = district_lines.insert(code.clone(), code_line) {
                error(
                    raw_district.code.span(),
                    format!("district '{code}' is listed twice (first on line {first})"),
                );
            }
            for (name, language) in [(&raw_district.ar, "ar"), (&raw_district.en, "en")] {
                if name.get_ref().trim().is_empty() {
                    error(
                        name.span(),
                        format!("district '{code}' has an empty {language} name"),
                    );
                }
            }
            if raw_district.office.is_empty() {
                error(
                    raw_district.code.span(),
                    format!("district '{code}' has no [[district.office]]: at least one is needed"),
                );
            }
            let district_index = places.districts.len();
            let mut offices = Vec::new();
            for raw_office in raw_district.office {
                let office = raw_office.code.get_ref().trim().to_string();
                let office_line = line_of(text, raw_office.code.span().start);
                if !is_slug(&office) {
                    error(
                        raw_office.code.span(),
                        format!(
                            "office code '{office}' must be lowercase Latin letters, digits and underscores"
                        ),
                    );
                } else if let Some(first) = office_lines.insert(office.clone(), office_line) {
                    error(
                        raw_office.code.span(),
                        format!(
                            "office '{office}' is listed twice (first on line {first}); an office belongs to one district"
                        ),
                    );
                } else {
                    places
                        .offices
                        .insert(office.clone(), (district_index, offices.len()));
                }
                for (name, language) in [(&raw_office.ar, "ar"), (&raw_office.en, "en")] {
                    if name.get_ref().trim().is_empty() {
                        error(
                            name.span(),
                            format!("office '{office}' has an empty {language} name"),
                        );
                    }
                }
                offices.push(Office {
                    code: office,
                    names: Text {
                        ar: raw_office.ar.into_inner().trim().to_string(),
                        en: raw_office.en.into_inner().trim().to_string(),
                    },
                });
            }
            places.districts.push(District {
                code,
                names: Text {
                    ar: raw_district.ar.into_inner().trim().to_string(),
                    en: raw_district.en.into_inner().trim().to_string(),
                },
                offices,
            });
        }
        if errors.is_empty() {
            Ok(places)
        } else {
            Err(PlacesErrors(errors))
        }
    }

    /// Every district, in file order.
    pub fn districts(&self) -> &[District] {
        &self.districts
    }

    pub fn district(&self, code: &str) -> Option<&District> {
        self.districts.iter().find(|d| d.code == code)
    }

    /// An office and the district it belongs to.
    pub fn office(&self, code: &str) -> Option<(&District, &Office)> {
        let (d, o) = *self.offices.get(code)?;
        let district = &self.districts[d];
        Some((district, &district.offices[o]))
    }

    /// A district's or an office's names, if the code is one.
    pub fn names(&self, code: &str) -> Option<&Text> {
        self.district(code)
            .map(|d| &d.names)
            .or_else(|| self.office(code).map(|(_, o)| &o.names))
    }

    /// Refuses a district code that is not listed, naming `field`.
    pub fn check_district(&self, field: &str, code: &str) -> Result<(), FieldError> {
        if self.district(code).is_some() {
            return Ok(());
        }
        Err(unknown(
            field,
            code,
            fields::DISTRICT,
            self.districts.iter().map(|d| d.code.as_str()),
        ))
    }

    /// Refuses an office code that is not listed or, when `district` is
    /// given, that belongs to another district; names `field`.
    pub fn check_office(
        &self,
        field: &str,
        district: Option<&str>,
        code: &str,
    ) -> Result<(), FieldError> {
        let known = self.office(code);
        let choices: Vec<&str> = match district.and_then(|d| self.district(d)) {
            Some(d) => d.offices.iter().map(|o| o.code.as_str()).collect(),
            None => self
                .districts
                .iter()
                .flat_map(|d| &d.offices)
                .map(|o| o.code.as_str())
                .collect(),
        };
        match (known, district) {
            (None, _) => Err(unknown(field, code, fields::OFFICE, choices)),
            (Some((of, _)), Some(district)) if of.code != district => Err(FieldError::said(
                field,
                fields::office_of_another_district(
                    code,
                    &of.names,
                    &of.code,
                    district,
                    &words::list(&choices),
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Refuses a query's filters: a district that is not listed, an office
    /// that is not, or one outside the district asked for.
    pub fn check_filter(&self, district: Option<&str>, office: Option<&str>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let district = match district {
            Some(d) => match self.check_district("district", d) {
                Ok(()) => Some(d),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
            None => None,
        };
        if let Some(office) = office {
            errors.extend(self.check_office("office", district, office).err());
        }
        errors
    }

    /// Refuses a district and office that are not listed, or an office of
    /// another district; the errors name `district` and `office`.
    pub fn check_district_and_office(&self, district: &str, office: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        match self.check_district("district", district) {
            Ok(()) => {
                errors.extend(self.check_office("office", Some(district), office).err());
            }
            Err(e) => {
                errors.push(e);
                errors.extend(self.check_office("office", None, office).err());
            }
        }
        errors
    }
}

/// The refusal of an unknown code: the nearest valid one when one is close,
/// and every valid one.
fn unknown<'a>(
    field: &str,
    code: &str,
    kind: Words,
    choices: impl IntoIterator<Item = &'a str>,
) -> FieldError {
    let choices: Vec<&str> = choices.into_iter().collect();
    let nearest = nearest(code, &choices);
    FieldError::said(
        field,
        fields::unknown_code(code, kind, nearest, &words::list(&choices)),
    )
}

/// The choice nearest to `code` by edit distance, if it is close enough to
/// be a typo (at most a third of its length, and at least one edit); the
/// Arabic article `al_` may be left out (`qamishli` for `al_qamishli`).
fn nearest<'a>(code: &str, choices: &[&'a str]) -> Option<&'a str> {
    choices
        .iter()
        .map(|c| {
            let bare = c.strip_prefix("al_").unwrap_or(c);
            (edit_distance(code, c).min(edit_distance(code, bare)), *c)
        })
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != *cb))
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHIPPED: &str = include_str!("../../workflows/places.toml");

    fn shipped() -> Places {
        Places::from_toml("workflows/places.toml", SHIPPED).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_shipped_places_load_with_their_names() {
        let places = shipped();
        let hasakah = places.district("al_hasakah").map(|d| d.names.ar.as_str());
        assert_eq!(hasakah, Some("الحسكة"));
        let amuda = places
            .office("amuda")
            .map(|(d, o)| (d.code.as_str(), o.names.en.as_str()));
        assert_eq!(amuda, Some(("al_qamishli", "Amuda")));
        assert_eq!(
            places.names("qamishli_2").map(|n| n.en.as_str()),
            Some("Qamishli 2")
        );
    }

    /// Each case: the district and office typed, and the fields refused
    /// with a word of the English message each must contain.
    #[test]
    fn unknown_codes_and_offices_of_another_district_are_refused_with_a_suggestion() {
        let places = shipped();
        let check = |district: &str, office: &str, expected: &[(&str, &str)]| {
            let errors = places.check_district_and_office(district, office);
            let got: Vec<(&str, &str)> = errors
                .iter()
                .map(|e| (e.field.as_str(), e.message.as_str()))
                .collect();
            assert_eq!(got.len(), expected.len(), "{district}/{office}: {got:?}");
            for ((field, message), (want_field, want)) in got.iter().zip(expected) {
                assert_eq!(field, want_field);
                assert!(message.contains(want), "{message} lacks {want}");
            }
        };
        check("al_hasakah", "hasakah_centre", &[]);
        check("al_qamishli", "amuda", &[]);
        // A typo: the nearest code is suggested.
        check(
            "al_hasaka",
            "hasakah_centre",
            &[("district", "did you mean 'al_hasakah'?")],
        );
        check(
            "al_hasakah",
            "hasakah_centr",
            &[("office", "did you mean 'hasakah_centre'?")],
        );
        // Nothing near: every valid code is listed.
        check(
            "atlantis",
            "hasakah_centre",
            &[("district", "valid codes: al_hasakah, al_qamishli")],
        );
        // An office of another district: its district is named.
        check(
            "al_hasakah",
            "amuda",
            &[("office", "belongs to Qamishli (al_qamishli)")],
        );
        check(
            "",
            "",
            &[("district", "valid codes"), ("office", "valid codes")],
        );
    }

    #[test]
    fn a_broken_places_file_is_reported_line_by_line() {
        let check = |text: &str, expected: &[&str]| {
            let got = match Places::from_toml("p.toml", text) {
                Ok(_) => Vec::new(),
                Err(errors) => errors.0.iter().map(|e| e.to_string()).collect(),
            };
            assert_eq!(got, expected, "reading {text:?}");
        };
        let office = "[[district.office]]\ncode = \"o1\"\nar = \"م\"\nen = \"O\"\n";
        check(
            &format!("[[district]]\ncode = \"d1\"\nar = \"م\"\nen = \"D\"\n{office}"),
            &[],
        );
        check(
            "",
            &["p.toml:1: no [[district]] is listed: at least one is needed"],
        );
        check(
            &format!(
                "[[district]]\ncode = \"D 1\"\nar = \"\"\nen = \"D\"\n{office}\
                 [[district]]\ncode = \"d2\"\nar = \"م\"\nen = \"D\"\n{office}"
            ),
            &[
                "p.toml:2: district code 'D 1' must be lowercase Latin letters, digits and underscores",
                "p.toml:3: district 'D 1' has an empty ar name",
                "p.toml:14: office 'o1' is listed twice (first on line 6); an office belongs to one district",
            ],
        );
        check(
            "[[district]]\ncode = \"d1\"\nar = \"م\"\nen = \"D\"\n\n[[district]]\ncode = \"d1\"\nar = \"م\"\nen = \"D\"\n",
            &[
                "p.toml:2: district 'd1' has no [[district.office]]: at least one is needed",
                "p.toml:7: district 'd1' is listed twice (first on line 2)",
                "p.toml:7: district 'd1' has no [[district.office]]: at least one is needed",
            ],
        );
        check(
            "[[district]]\ncode = \"d1\"\nname = \"x\"\n",
            &["p.toml:3: unknown field `name`, expected one of `code`, `ar`, `en`, `office`"],
        );
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("al_hasaka", "al_hasakah"), 1);
        assert_eq!(edit_distance("qamishli_1", "qamishli_2"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(nearest("atlantis", &["al_hasakah", "ras_al_ayn"]), None);
        assert_eq!(
            nearest("qamishly", &["al_hasakah", "al_qamishli"]),
            Some("al_qamishli")
        );
    }
}
