//! Roles an actor can hold. Which role may take which transition comes from
//! the workflow definition; this module only names the vocabulary.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::language::Words;
use crate::domain::words::labels;

/// A role held by a user or by the scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    IntakeClerk,
    Verifier,
    Approver,
    Registrar,
    CardOfficer,
    Supervisor,
    Leadership,
    Admin,
    /// Reads the audit trails of cases and the agencies' access log, of
    /// every district, and never a person's record, a case, a list or a
    /// search.
    Auditor,
    System,
}

impl Role {
    /// Every role, in the order the design lists them.
    pub const ALL: [Role; 10] = [
        Role::IntakeClerk,
        Role::Verifier,
        Role::Approver,
        Role::Registrar,
        Role::CardOfficer,
        Role::Supervisor,
        Role::Leadership,
        Role::Admin,
        Role::Auditor,
        Role::System,
    ];

    /// Parses the snake_case name used in workflow files and on the command line.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == name)
    }

    /// Whether the role works the cases of one district: an officer who
    /// holds it is bound to a district unless told to serve all of them.
    pub fn works_in_a_district(self) -> bool {
        matches!(
            self,
            Role::IntakeClerk
                | Role::Verifier
                | Role::Approver
                | Role::Registrar
                | Role::CardOfficer
                | Role::Supervisor
        )
    }

    /// Whether the role reads cases and the persons in them (a case's
    /// view, lists, searches, the work queue): the officers who work cases,
    /// administrators and the scheduler. Leadership reads counts only;
    /// auditors read audit trails and the access log only.
    pub fn reads_cases(self) -> bool {
        !matches!(self, Role::Leadership | Role::Auditor)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::IntakeClerk => "intake_clerk",
            Role::Verifier => "verifier",
            Role::Approver => "approver",
            Role::Registrar => "registrar",
            Role::CardOfficer => "card_officer",
            Role::Supervisor => "supervisor",
            Role::Leadership => "leadership",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
            Role::System => "system",
        }
    }

    /// The role's name (an officer of it, in the singular) in both
    /// languages.
    pub fn words(self) -> Words {
        match self {
            Role::IntakeClerk => labels::ROLE_INTAKE_CLERK,
            Role::Verifier => labels::ROLE_VERIFIER,
            Role::Approver => labels::ROLE_APPROVER,
            Role::Registrar => labels::ROLE_REGISTRAR,
            Role::CardOfficer => labels::ROLE_CARD_OFFICER,
            Role::Supervisor => labels::ROLE_SUPERVISOR,
            Role::Leadership => labels::ROLE_LEADERSHIP,
            Role::Admin => labels::ROLE_ADMIN,
            Role::Auditor => labels::ROLE_AUDITOR,
            Role::System => labels::ROLE_SYSTEM,
        }
    }

    /// The officers of the role, as a heading or a choice names them; a
    /// role that has no plural of its own is named as [`Role::words`]
    /// names it.
    pub fn officers(self) -> Words {
        match self {
            Role::IntakeClerk => labels::OFFICERS_INTAKE_CLERK,
            Role::Verifier => labels::OFFICERS_VERIFIER,
            Role::Approver => labels::OFFICERS_APPROVER,
            Role::Registrar => labels::OFFICERS_REGISTRAR,
            Role::CardOfficer => labels::OFFICERS_CARD_OFFICER,
            other => other.words(),
        }
    }

    /// The role's name as an Arabic reader reads it in a message.
    pub fn label_ar(self) -> &'static str {
        self.words().ar
    }

    /// The role's name as an English reader reads it in a message.
    pub fn label_en(self) -> &'static str {
        self.words().en
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_parses_back_from_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("clerk"), None);
    }

    #[test]
    fn every_role_is_named_in_both_languages() {
        for role in Role::ALL {
            let words = role.words();
            assert!(!words.ar.is_empty() && !words.en.is_empty(), "{role:?}");
        }
        assert_eq!(Role::Verifier.officers().ar, "المدققون");
        assert_eq!(Role::Supervisor.officers(), Role::Supervisor.words());
    }

    #[test]
    fn every_role_has_an_arabic_label_without_latin_letters_and_an_english_one() {
        for role in Role::ALL {
            assert!(
                !role.label_ar().is_empty()
                    && !role.label_ar().chars().any(|c| c.is_ascii_alphabetic()),
                "{role}"
            );
            assert!(
                !role.label_en().is_empty() && !role.label_en().contains('_'),
                "{role}"
            );
        }
    }
}
