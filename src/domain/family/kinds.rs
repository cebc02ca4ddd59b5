//! The closed lists a family member is described by: sex, relationship to
//! the head of the family, and the documents on a family's or a member's
//! checklist, each with its code and its Arabic and English names.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::language::{Text, Words};
use crate::domain::names::normalise_for_search;
use crate::domain::words::labels;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn parse(text: &str) -> Option<Sex> {
        match text {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }
}

/// A member's relationship to the head of the family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    Head,
    Spouse,
    Son,
    Daughter,
    Father,
    Mother,
    Brother,
    Sister,
    Other,
}

impl Relationship {
    pub const ALL: [Relationship; 9] = [
        Relationship::Head,
        Relationship::Spouse,
        Relationship::Son,
        Relationship::Daughter,
        Relationship::Father,
        Relationship::Mother,
        Relationship::Brother,
        Relationship::Sister,
        Relationship::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Head => "head",
            Relationship::Spouse => "spouse",
            Relationship::Son => "son",
            Relationship::Daughter => "daughter",
            Relationship::Father => "father",
            Relationship::Mother => "mother",
            Relationship::Brother => "brother",
            Relationship::Sister => "sister",
            Relationship::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Relationship> {
        Relationship::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// The relationship's name in both languages.
    pub fn words(self) -> Words {
        match self {
            Relationship::Head => labels::RELATIONSHIP_HEAD,
            Relationship::Spouse => labels::RELATIONSHIP_SPOUSE,
            Relationship::Son => labels::RELATIONSHIP_SON,
            Relationship::Daughter => labels::RELATIONSHIP_DAUGHTER,
            Relationship::Father => labels::RELATIONSHIP_FATHER,
            Relationship::Mother => labels::RELATIONSHIP_MOTHER,
            Relationship::Brother => labels::RELATIONSHIP_BROTHER,
            Relationship::Sister => labels::RELATIONSHIP_SISTER,
            Relationship::Other => labels::RELATIONSHIP_OTHER,
        }
    }

    /// Other Arabic words a clerk writes for the relationship, beside its
    /// name.
    pub fn other_words(self) -> &'static [&'static str] {
        match self {
            Relationship::Spouse => labels::SPOUSE_OTHER_WORDS,
            Relationship::Daughter => labels::DAUGHTER_OTHER_WORDS,
            Relationship::Other => labels::OTHER_RELATIVE_OTHER_WORDS,
            Relationship::Head
            | Relationship::Son
            | Relationship::Father
            | Relationship::Mother
            | Relationship::Brother
            | Relationship::Sister => &[],
        }
    }

    /// The relationship as an Arabic reader reads it in a message.
    pub fn label_ar(self) -> &'static str {
        self.words().ar
    }

    /// The relationship as an English reader reads it in a message.
    pub fn label_en(self) -> &'static str {
        self.words().en
    }

    /// Parses a relationship written in Arabic as a clerk writes it: its
    /// label, or a common other word for it (`زوج`, `زوجة`, `بنت`, `آخر`),
    /// compared in their search form so that hamza and spacing do not matter.
    pub fn parse_arabic(text: &str) -> Option<Relationship> {
        let folded = normalise_for_search(text);
        Relationship::ALL
            .into_iter()
            .map(|r| (r.label_ar(), r))
            .chain(
                Relationship::ALL
                    .into_iter()
                    .flat_map(|r| r.other_words().iter().map(move |word| (*word, r))),
            )
            .find(|(word, _)| normalise_for_search(word) == folded)
            .map(|(_, r)| r)
    }
}

/// A document on the checklist of a family or of one member.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The application form signed by the head of the family (family level).
    ApplicationForm,
    /// The individual extract from the foreigners' register (per member).
    RegisterExtract,
    /// Personal photographs (per member).
    Photos,
    /// The parents' entries in the register (a person never entered in any
    /// register: whose child they are).
    ParentsRegisterEntries,
    /// The mukhtar's attestation of the person's birth and residence.
    MukhtarAttestation,
    /// The statements of two witnesses.
    WitnessStatements,
    /// A court decision proving the person's descent, needed for an adult.
    CourtDecision,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 7] = [
        DocumentKind::ApplicationForm,
        DocumentKind::RegisterExtract,
        DocumentKind::Photos,
        DocumentKind::ParentsRegisterEntries,
        DocumentKind::MukhtarAttestation,
        DocumentKind::WitnessStatements,
        DocumentKind::CourtDecision,
    ];
    /// Documents every family must file.
    pub const FAMILY_REQUIRED: [DocumentKind; 1] = [DocumentKind::ApplicationForm];
    /// Documents every member must file.
    pub const MEMBER_REQUIRED: [DocumentKind; 2] =
        [DocumentKind::RegisterExtract, DocumentKind::Photos];
    /// The evidence a person never entered in any register files (the
    /// `evidence_complete` guard); a court decision only when one is needed
    /// (`court_decision_if_adult`).
    pub const EVIDENCE_REQUIRED: [DocumentKind; 4] = [
        DocumentKind::ParentsRegisterEntries,
        DocumentKind::MukhtarAttestation,
        DocumentKind::WitnessStatements,
        DocumentKind::Photos,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::ApplicationForm => "application_form",
            DocumentKind::RegisterExtract => "register_extract",
            DocumentKind::Photos => "photos",
            DocumentKind::ParentsRegisterEntries => "parents_register_entries",
            DocumentKind::MukhtarAttestation => "mukhtar_attestation",
            DocumentKind::WitnessStatements => "witness_statements",
            DocumentKind::CourtDecision => "court_decision",
        }
    }

    pub fn parse(text: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|d| d.as_str() == text)
    }

    /// The document's name in both languages.
    pub fn words(self) -> Words {
        match self {
            DocumentKind::ApplicationForm => labels::DOCUMENT_APPLICATION_FORM,
            DocumentKind::RegisterExtract => labels::DOCUMENT_REGISTER_EXTRACT,
            DocumentKind::Photos => labels::DOCUMENT_PHOTOS,
            DocumentKind::ParentsRegisterEntries => labels::DOCUMENT_PARENTS_REGISTER_ENTRIES,
            DocumentKind::MukhtarAttestation => labels::DOCUMENT_MUKHTAR_ATTESTATION,
            DocumentKind::WitnessStatements => labels::DOCUMENT_WITNESS_STATEMENTS,
            DocumentKind::CourtDecision => labels::DOCUMENT_COURT_DECISION,
        }
    }

    pub fn label_en(self) -> &'static str {
        self.words().en
    }

    pub fn label_ar(self) -> &'static str {
        self.words().ar
    }

    /// The document's name in both languages.
    pub fn label(self) -> Text {
        self.words().text()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_relationship_and_document_is_named_in_both_languages() {
        for relationship in Relationship::ALL {
            assert!(!relationship.words().ar.is_empty());
        }
        for kind in DocumentKind::ALL {
            assert!(!kind.words().ar.is_empty());
        }
    }
}
