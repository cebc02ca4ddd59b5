//! A family application as it is entered at the counter, and its validation
//! with field-level messages. `kinds` holds the closed lists a member is
//! described by (sex, relationship to the head, the documents on the
//! checklist).

mod kinds;

pub use kinds::{DocumentKind, Relationship, Sex};

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::field_error::{FieldError, is_slug, looks_like_email};
use crate::domain::identifiers::RegisterNumber;
use crate::domain::names::{ArabicName, LatinName};
use crate::domain::places::Places;
use crate::domain::text::{Lines, check_text, limit};
use crate::domain::words::fields;

/// A family member as typed at the counter (unchecked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberDraft {
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub first_name: String,
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub father_name: String,
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub mother_name: String,
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub family_name: String,
    #[serde(default)]
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub latin_first_name: Option<String>,
    #[serde(default)]
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub latin_family_name: Option<String>,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub birth_place: String,
    pub relationship: Relationship,
    #[serde(default)]
    pub register_number: Option<String>,
    #[serde(default)]
    pub abroad: bool,
    #[serde(default)]
    pub documents: Vec<DocumentKind>,
}

/// A family application as typed at the counter (unchecked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationDraft {
    pub district: String,
    pub office: String,
    pub submitted_on: NaiveDate,
    #[serde(default)]
    #[schema(
        max_length = 254,
        pattern = r"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$"
    )]
    pub applicant_email: Option<String>,
    #[serde(default)]
    pub family_documents: Vec<DocumentKind>,
    /// One to 40 members, exactly one of them the head of the family.
    #[schema(min_items = 1, max_items = 40)]
    pub members: Vec<MemberDraft>,
}

/// A checked family member.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub first_name: ArabicName,
    pub father_name: ArabicName,
    pub mother_name: ArabicName,
    pub family_name: ArabicName,
    pub latin_first_name: Option<LatinName>,
    pub latin_family_name: Option<LatinName>,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub relationship: Relationship,
    pub register_number: Option<RegisterNumber>,
    pub abroad: bool,
    pub documents: BTreeSet<DocumentKind>,
}

impl Member {
    /// The name as an officer reads it: first, father's and family name.
    pub fn full_name(&self) -> String {
        format!(
            "{} {} {}",
            self.first_name.as_str(),
            self.father_name.as_str(),
            self.family_name.as_str()
        )
    }
}

/// A checked family application, ready to be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    pub district: String,
    pub office: String,
    pub submitted_on: NaiveDate,
    pub applicant_email: Option<String>,
    pub family_documents: BTreeSet<DocumentKind>,
    pub members: Vec<Member>,
}

/// Whom one case of a workflow covers (the definition's `persons`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Persons {
    /// A family: one to 40 members, exactly one of them its head.
    #[default]
    Family,
    /// One person, never entered in any register: no register number yet
    /// (the case gives one), and no head of a family (the relationship
    /// says what the person is to the head of the family they belong to).
    One,
}

impl Persons {
    pub fn as_str(self) -> &'static str {
        match self {
            Persons::Family => "family",
            Persons::One => "one",
        }
    }

    pub fn parse(text: &str) -> Option<Persons> {
        [Persons::Family, Persons::One]
            .into_iter()
            .find(|p| p.as_str() == text)
    }
}

/// The rules of a one-person case: exactly one person, with no register
/// number. The field paths are those of the draft (`members`,
/// `members[0].register_number`).
pub fn one_person_problems(members: &[MemberFacts<'_>]) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if members.len() != 1 {
        problems.push(FieldError::said(
            "members",
            fields::not_one_person(members.len()),
        ));
    }
    for m in members.iter().filter(|m| m.register_number.is_some()) {
        problems.push(FieldError::said(
            format!("members[{}].register_number", m.ordinal - 1),
            fields::UNREGISTERED_HAS_NO_NUMBER,
        ));
    }
    problems
}

/// A member's number in the family: 1 for the first listed, up to
/// [`MAX_MEMBERS`]. The API's `member` and the pages' `member` field are
/// both read through it, so a number that is not one is refused the same
/// way everywhere (never taken as "no member").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MemberNumber(u32);

impl MemberNumber {
    /// The number `n`, if a family can have a member numbered so.
    pub fn new(n: u32) -> Result<MemberNumber, FieldError> {
        if n >= 1 && n as usize <= MAX_MEMBERS {
            Ok(MemberNumber(n))
        } else {
            Err(FieldError::said(
                "member",
                fields::member_number_range(MAX_MEMBERS),
            ))
        }
    }

    /// A member number as a form sends it: blank for none (an action on
    /// the whole case), else a whole number from 1 to [`MAX_MEMBERS`].
    pub fn parse(text: &str) -> Result<Option<MemberNumber>, FieldError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<u32>() {
            Ok(n) => MemberNumber::new(n).map(Some),
            Err(_) => Err(FieldError::said("member", fields::MEMBER_NUMBER_NOT_WHOLE)),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// The oldest birth year accepted as plausible.
const OLDEST_BIRTH_YEAR: i32 = 1900;
/// The most members one family application may list.
pub const MAX_MEMBERS: usize = 40;

/// The few facts about a member that the family-level rules look at. Both
/// intake validation and the engine's `family_is_valid` guard use them, so
/// the rules live in one place.
pub struct MemberFacts<'a> {
    pub ordinal: usize,
    pub relationship: Relationship,
    pub birth_date: NaiveDate,
    pub register_number: Option<&'a str>,
}

/// Family-level rules: exactly one head, plausible birth dates, no member
/// listed twice. `field_prefix` names the list (`members`).
pub fn family_problems(members: &[MemberFacts<'_>], today: NaiveDate) -> Vec<FieldError> {
    let mut problems = Vec::new();
    let heads: Vec<usize> = members
        .iter()
        .filter(|m| m.relationship == Relationship::Head)
        .map(|m| m.ordinal)
        .collect();
    match heads.len() {
        1 => {}
        0 => problems.push(FieldError::said("members", fields::NO_HEAD)),
        _ => problems.push(FieldError::said("members", fields::several_heads(&heads))),
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for m in members {
        let field = format!("members[{}]", m.ordinal - 1);
        if m.birth_date > today {
            problems.push(FieldError::said(
                format!("{field}.birth_date"),
                fields::birth_date_in_future(m.birth_date),
            ));
        } else if m.birth_date.year() < OLDEST_BIRTH_YEAR {
            problems.push(FieldError::said(
                format!("{field}.birth_date"),
                fields::birth_date_too_early(m.birth_date),
            ));
        }
        if let Some(number) = m.register_number
            && let Some(first) = seen.insert(number, m.ordinal)
        {
            problems.push(FieldError::said(
                format!("{field}.register_number"),
                fields::listed_twice(number, first),
            ));
        }
    }
    problems
}

impl ApplicationDraft {
    /// [`ApplicationDraft::validate`], and the district and office checked
    /// against the reference `places` (an office must be one of its
    /// district's).
    pub fn validate_in(
        &self,
        today: NaiveDate,
        places: &Places,
    ) -> Result<Application, Vec<FieldError>> {
        self.validate_as(today, places, Persons::Family)
    }

    /// [`ApplicationDraft::validate_in`] for a workflow whose cases cover
    /// `persons`.
    pub fn validate_as(
        &self,
        today: NaiveDate,
        places: &Places,
        persons: Persons,
    ) -> Result<Application, Vec<FieldError>> {
        let place_errors = places.check_district_and_office(&self.district, &self.office);
        match self.validate_persons(today, persons) {
            Ok(application) if place_errors.is_empty() => Ok(application),
            Ok(_) => Err(place_errors),
            Err(mut errors) => {
                // A place error replaces the shape error of the same field.
                errors.retain(|e| !place_errors.iter().any(|p| p.field == e.field));
                let mut all = place_errors;
                all.append(&mut errors);
                Err(all)
            }
        }
    }

    /// Checks every field and the family-level rules, and returns either the
    /// checked application or every problem found.
    pub fn validate(&self, today: NaiveDate) -> Result<Application, Vec<FieldError>> {
        self.validate_persons(today, Persons::Family)
    }

    /// [`ApplicationDraft::validate`] with the rules of `persons`.
    pub fn validate_persons(
        &self,
        today: NaiveDate,
        persons: Persons,
    ) -> Result<Application, Vec<FieldError>> {
        let mut problems = Vec::new();
        if !is_slug(&self.district) {
            problems.push(FieldError::said("district", fields::NOT_A_DISTRICT_CODE));
        }
        if !is_slug(&self.office) {
            problems.push(FieldError::said("office", fields::NOT_AN_OFFICE_CODE));
        }
        if self.submitted_on.year() < 2000 {
            problems.push(FieldError::said(
                "submitted_on",
                fields::submitted_before_2000(self.submitted_on),
            ));
        }
        if self.submitted_on > today {
            problems.push(FieldError::said(
                "submitted_on",
                fields::submitted_in_future(self.submitted_on),
            ));
        }
        if let Some(email) = &self.applicant_email
            && let Err(error) = check_text("applicant_email", email, Lines::One, limit::EMAIL)
        {
            problems.push(error);
        } else if let Some(email) = &self.applicant_email
            && !looks_like_email(email)
        {
            problems.push(FieldError::said("applicant_email", fields::NOT_AN_EMAIL));
        }
        if self.members.is_empty() {
            problems.push(FieldError::said("members", fields::NO_MEMBER));
        }
        if self.members.len() > MAX_MEMBERS {
            problems.push(FieldError::said(
                "members",
                fields::too_many_members(MAX_MEMBERS),
            ));
        }
        let mut members = Vec::new();
        for (index, draft) in self.members.iter().enumerate() {
            match draft.validate(&format!("members[{index}]")) {
                Ok(member) => members.push(member),
                Err(mut errors) => problems.append(&mut errors),
            }
        }
        let facts: Vec<MemberFacts<'_>> = self
            .members
            .iter()
            .enumerate()
            .map(|(index, m)| MemberFacts {
                ordinal: index + 1,
                relationship: m.relationship,
                birth_date: m.birth_date,
                register_number: m.register_number.as_deref().map(str::trim),
            })
            .collect();
        match persons {
            Persons::Family => problems.extend(family_problems(&facts, today)),
            Persons::One => {
                problems.extend(one_person_problems(&facts));
                // The birth-date rules of a family hold for one person too.
                problems.extend(
                    family_problems(&facts, today)
                        .into_iter()
                        .filter(|p| p.field != "members"),
                );
            }
        }
        if problems.is_empty() {
            Ok(Application {
                district: self.district.clone(),
                office: self.office.clone(),
                submitted_on: self.submitted_on,
                applicant_email: self.applicant_email.clone(),
                family_documents: self.family_documents.iter().copied().collect(),
                members,
            })
        } else {
            Err(problems)
        }
    }
}

impl MemberDraft {
    /// Checks one member's fields; `field` is its path (`members[0]`).
    pub fn validate(&self, field: &str) -> Result<Member, Vec<FieldError>> {
        let mut problems = Vec::new();
        let mut arabic = |name: &str, value: &str| match ArabicName::parse(value) {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                problems.push(FieldError::said(format!("{field}.{name}"), error.said()));
                None
            }
        };
        let first_name = arabic("first_name", &self.first_name);
        let father_name = arabic("father_name", &self.father_name);
        let mother_name = arabic("mother_name", &self.mother_name);
        let family_name = arabic("family_name", &self.family_name);
        let mut latin = |name: &str, value: &Option<String>| match value.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match LatinName::parse(text) {
                Ok(parsed) => Some(parsed),
                Err(error) => {
                    problems.push(FieldError::said(format!("{field}.{name}"), error.said()));
                    None
                }
            },
        };
        let latin_first_name = latin("latin_first_name", &self.latin_first_name);
        let latin_family_name = latin("latin_family_name", &self.latin_family_name);
        let birth_place = self.birth_place.trim().to_string();
        let place_field = format!("{field}.birth_place");
        if let Err(error) = check_text(&place_field, &birth_place, Lines::One, limit::PLACE) {
            problems.push(error);
        } else if birth_place.is_empty() {
            problems.push(FieldError::said(
                place_field,
                fields::birth_place_empty(limit::PLACE),
            ));
        }
        let register_number = match self.register_number.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => match RegisterNumber::parse(text) {
                Ok(number) => Some(number),
                Err(error) => {
                    problems.push(FieldError::said(
                        format!("{field}.register_number"),
                        error.said(),
                    ));
                    None
                }
            },
        };
        match (first_name, father_name, mother_name, family_name) {
            (Some(first_name), Some(father_name), Some(mother_name), Some(family_name))
                if problems.is_empty() =>
            {
                Ok(Member {
                    first_name,
                    father_name,
                    mother_name,
                    family_name,
                    latin_first_name,
                    latin_family_name,
                    sex: self.sex,
                    birth_date: self.birth_date,
                    birth_place,
                    relationship: self.relationship,
                    register_number,
                    abroad: self.abroad,
                    documents: self.documents.iter().copied().collect(),
                })
            }
            _ => Err(problems),
        }
    }
}

/// Age in whole years on `today`.
pub fn age_on(birth_date: NaiveDate, today: NaiveDate) -> u32 {
    let mut years = today.year() - birth_date.year();
    if (today.month(), today.day()) < (birth_date.month(), birth_date.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// The date a person born on `birth_date` reaches `age` (29 February births
/// reach it on 1 March in common years).
pub fn birthday_at(birth_date: NaiveDate, age: u32) -> NaiveDate {
    let year = birth_date.year() + age as i32;
    NaiveDate::from_ymd_opt(year, birth_date.month(), birth_date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .unwrap_or(birth_date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_number_is_blank_or_one_to_the_most_members() {
        let check = |text: &str, expected: Result<Option<u32>, &str>| {
            let got = MemberNumber::parse(text).map(|m| m.map(MemberNumber::get));
            match expected {
                Ok(n) => assert_eq!(got, Ok(n), "{text:?}"),
                Err(part) => {
                    let error = got.expect_err(text);
                    assert_eq!(error.field, "member");
                    assert!(error.message.contains(part), "{text:?}: {}", error.message);
                }
            }
        };
        check("", Ok(None));
        check("  ", Ok(None));
        check("1", Ok(Some(1)));
        check(" 3 ", Ok(Some(3)));
        check("40", Ok(Some(40)));
        check("0", Err("from 1 to at most 40"));
        check("41", Err("from 1 to at most 40"));
        check("2x", Err("whole number"));
        check("-1", Err("whole number"));
        check("١", Err("whole number"));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    fn member(relationship: Relationship, birth: NaiveDate, register: &str) -> MemberDraft {
        MemberDraft {
            first_name: "أحمد".into(),
            father_name: "محمد".into(),
            mother_name: "فاطمة الحسن".into(),
            family_name: "العلي".into(),
            latin_first_name: Some("Ahmad".into()),
            latin_family_name: None,
            sex: Sex::Male,
            birth_date: birth,
            birth_place: "القامشلي".into(),
            relationship,
            register_number: Some(register.into()),
            abroad: false,
            documents: vec![DocumentKind::RegisterExtract, DocumentKind::Photos],
        }
    }

    #[test]
    fn a_relationship_written_in_arabic_is_read_as_a_clerk_means_it() {
        let cases = [
            ("رب الأسرة", Some(Relationship::Head)),
            ("رب الاسرة", Some(Relationship::Head)),
            ("زوجة", Some(Relationship::Spouse)),
            ("زوج", Some(Relationship::Spouse)),
            ("ابن", Some(Relationship::Son)),
            ("بنت", Some(Relationship::Daughter)),
            ("ابنة", Some(Relationship::Daughter)),
            ("اب", Some(Relationship::Father)),
            ("أم", Some(Relationship::Mother)),
            ("آخر", Some(Relationship::Other)),
            ("ابن عم", None),
            ("head", None),
        ];
        for (text, expected) in cases {
            assert_eq!(Relationship::parse_arabic(text), expected, "{text}");
        }
        for r in Relationship::ALL {
            assert_eq!(Relationship::parse_arabic(r.label_ar()), Some(r));
        }
    }

    fn draft(members: Vec<MemberDraft>) -> ApplicationDraft {
        ApplicationDraft {
            district: "al_qamishli".into(),
            office: "qamishli_1".into(),
            submitted_on: date(2011, 5, 2),
            applicant_email: None,
            family_documents: vec![DocumentKind::ApplicationForm],
            members,
        }
    }

    fn fields(result: Result<Application, Vec<FieldError>>) -> Vec<String> {
        match result {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.field).collect(),
        }
    }

    #[test]
    fn a_well_formed_family_validates() {
        let d = draft(vec![
            member(Relationship::Head, date(1970, 1, 1), "12/345"),
            member(Relationship::Son, date(2000, 1, 1), "12/346"),
        ]);
        assert_eq!(fields(d.validate(date(2011, 6, 1))), Vec::<String>::new());
    }

    #[test]
    fn each_family_rule_names_the_field_it_concerns() {
        let today = date(2011, 6, 1);
        let check = |members: Vec<MemberDraft>, expected: &[&str]| {
            assert_eq!(fields(draft(members).validate(today)), expected);
        };
        check(
            vec![member(Relationship::Son, date(2000, 1, 1), "1/1")],
            &["members"],
        );
        check(
            vec![
                member(Relationship::Head, date(1970, 1, 1), "1/1"),
                member(Relationship::Head, date(1971, 1, 1), "1/2"),
            ],
            &["members"],
        );
        check(
            vec![member(Relationship::Head, date(2012, 1, 1), "1/1")],
            &["members[0].birth_date"],
        );
        check(
            vec![member(Relationship::Head, date(1850, 1, 1), "1/1")],
            &["members[0].birth_date"],
        );
        check(
            vec![
                member(Relationship::Head, date(1970, 1, 1), "1/1"),
                member(Relationship::Son, date(2001, 1, 1), "1/1"),
            ],
            &["members[1].register_number"],
        );
        check(
            vec![member(Relationship::Head, date(1970, 1, 1), "twelve")],
            &["members[0].register_number"],
        );
        let mut latin_only = member(Relationship::Head, date(1970, 1, 1), "1/1");
        latin_only.first_name = "Ahmad".into();
        check(vec![latin_only], &["members[0].first_name"]);
    }

    #[test]
    fn age_counts_whole_years_and_leap_day_birthdays() {
        assert_eq!(age_on(date(2000, 6, 15), date(2014, 6, 14)), 13);
        assert_eq!(age_on(date(2000, 6, 15), date(2014, 6, 15)), 14);
        assert_eq!(birthday_at(date(2008, 2, 29), 14), date(2022, 3, 1));
        assert_eq!(birthday_at(date(2008, 2, 29), 16), date(2024, 2, 29));
    }
}
