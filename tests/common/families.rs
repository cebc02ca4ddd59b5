//! Families as typed at the counter: the five-member family most tests open
//! a case for, and a small builder for the families a test needs instead.

use casework::domain::family::{ApplicationDraft, DocumentKind, MemberDraft, Relationship, Sex};
use serde_json::Value;

use super::time::date;

/// A family being built: where it applies, where its members were born,
/// the applicant's email, and its members in order.
pub struct Family {
    district: String,
    office: String,
    birth_place: String,
    email: Option<String>,
    members: Vec<MemberDraft>,
}

/// Head, spouse, a son to be excluded, a daughter under the card age and a
/// son abroad, in al_qamishli, born in القامشلي, with no email.
pub fn family() -> Family {
    Family::empty()
        .head("أحمد", (1970, 5, 1), "1203/45877")
        .spouse("عائشة", (1975, 7, 9), "1203/45878")
        .son("عمر", (1998, 1, 20), "1203/45879")
        .daughter("ليلى", (2016, 9, 3), "1203/45880")
        .son_abroad("يوسف", (2000, 2, 11), "1203/45881")
}

impl Family {
    /// A family with no members yet, submitted on 1 March 2026 at office
    /// qamishli_1 of al_qamishli, its members born in القامشلي.
    pub fn empty() -> Self {
        Family {
            district: "al_qamishli".into(),
            office: "qamishli_1".into(),
            birth_place: "القامشلي".into(),
            email: None,
            members: Vec::new(),
        }
    }

    /// The head of the family (male).
    pub fn head(self, first: &str, birth: (i32, u32, u32), entry: &str) -> Self {
        self.member(first, Relationship::Head, Sex::Male, birth, entry, false)
    }

    /// The head's wife.
    pub fn spouse(self, first: &str, birth: (i32, u32, u32), entry: &str) -> Self {
        self.member(
            first,
            Relationship::Spouse,
            Sex::Female,
            birth,
            entry,
            false,
        )
    }

    /// A son living in the country.
    pub fn son(self, first: &str, birth: (i32, u32, u32), entry: &str) -> Self {
        self.member(first, Relationship::Son, Sex::Male, birth, entry, false)
    }

    /// A daughter living in the country.
    pub fn daughter(self, first: &str, birth: (i32, u32, u32), entry: &str) -> Self {
        self.member(
            first,
            Relationship::Daughter,
            Sex::Female,
            birth,
            entry,
            false,
        )
    }

    /// A son living abroad.
    pub fn son_abroad(self, first: &str, birth: (i32, u32, u32), entry: &str) -> Self {
        self.member(first, Relationship::Son, Sex::Male, birth, entry, true)
    }

    /// The district and office the family applies at.
    pub fn at_office(mut self, district: &str, office: &str) -> Self {
        self.district = district.into();
        self.office = office.into();
        self
    }

    /// The father's and family name of every member added so far.
    pub fn surnamed(mut self, father: &str, family: &str) -> Self {
        for member in &mut self.members {
            member.father_name = father.into();
            member.family_name = family.into();
        }
        self
    }

    /// Where every member was born.
    pub fn born_in(mut self, place: &str) -> Self {
        self.birth_place = place.into();
        self
    }

    /// The applicant's email, if they gave one.
    pub fn email(mut self, email: Option<&str>) -> Self {
        self.email = email.map(str::to_string);
        self
    }

    /// The family as the engine takes it.
    pub fn draft(self) -> ApplicationDraft {
        let birth_place = self.birth_place;
        ApplicationDraft {
            district: self.district,
            office: self.office,
            submitted_on: date(2026, 3, 1),
            applicant_email: self.email,
            family_documents: vec![DocumentKind::ApplicationForm],
            members: self
                .members
                .into_iter()
                .map(|member| MemberDraft {
                    birth_place: birth_place.clone(),
                    ..member
                })
                .collect(),
        }
    }

    /// The family as a clerk's form posts it: no key for what was not given.
    pub fn json(self) -> Value {
        let mut body = serde_json::to_value(self.draft()).expect("a draft serializes");
        drop_nulls(&mut body);
        for member in body["members"].as_array_mut().expect("members") {
            drop_nulls(member);
        }
        body
    }

    fn member(
        mut self,
        first: &str,
        relationship: Relationship,
        sex: Sex,
        birth: (i32, u32, u32),
        entry: &str,
        abroad: bool,
    ) -> Self {
        self.members.push(MemberDraft {
            first_name: first.into(),
            father_name: "محمد".into(),
            mother_name: "فاطمة الحسن".into(),
            family_name: "العلي".into(),
            latin_first_name: None,
            latin_family_name: None,
            sex,
            birth_date: date(birth.0, birth.1, birth.2),
            birth_place: String::new(),
            relationship,
            register_number: Some(entry.into()),
            abroad,
            documents: vec![DocumentKind::RegisterExtract, DocumentKind::Photos],
        });
        self
    }
}

/// Removes the keys whose value is null from a JSON object.
fn drop_nulls(object: &mut Value) {
    if let Some(map) = object.as_object_mut() {
        map.retain(|_, value| !value.is_null());
    }
}

/// A person never entered in any register, as a clerk types them for the
/// `unregistered-persons` workflow: a son of the head of [`family`] (same
/// father's and family name), born in القامشلي, applying at qamishli_1 of
/// al_qamishli on 1 March 2026, with the parents' register entries, the
/// mukhtar's attestation, the witnesses' statements and photos, and a
/// court decision when `court_decision`.
pub fn unregistered_person(
    first: &str,
    birth: (i32, u32, u32),
    court_decision: bool,
) -> ApplicationDraft {
    let mut documents = vec![
        DocumentKind::ParentsRegisterEntries,
        DocumentKind::MukhtarAttestation,
        DocumentKind::WitnessStatements,
        DocumentKind::Photos,
    ];
    if court_decision {
        documents.push(DocumentKind::CourtDecision);
    }
    ApplicationDraft {
        district: "al_qamishli".into(),
        office: "qamishli_1".into(),
        submitted_on: date(2026, 3, 1),
        applicant_email: None,
        family_documents: Vec::new(),
        members: vec![MemberDraft {
            first_name: first.into(),
            father_name: "أحمد".into(),
            mother_name: "عائشة الحسن".into(),
            family_name: "العلي".into(),
            latin_first_name: None,
            latin_family_name: None,
            sex: Sex::Male,
            birth_date: date(birth.0, birth.1, birth.2),
            birth_place: "القامشلي".into(),
            relationship: Relationship::Son,
            register_number: None,
            abroad: false,
            documents,
        }],
    }
}

/// [`unregistered_person`] as a clerk's program posts it.
pub fn unregistered_person_json(
    first: &str,
    birth: (i32, u32, u32),
    court_decision: bool,
) -> Value {
    let mut body =
        serde_json::to_value(unregistered_person(first, birth, court_decision)).expect("a draft");
    drop_nulls(&mut body);
    for member in body["members"].as_array_mut().expect("members") {
        drop_nulls(member);
    }
    body
}
