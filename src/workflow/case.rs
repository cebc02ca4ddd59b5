//! The snapshot of a case that the engine decides on. The store builds it
//! from rows; the engine never sees a database.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::family::{DocumentKind, Relationship, Sex};
use crate::domain::roles::Role;
use crate::workflow::duties::Duties;

/// A family application as the engine sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Case {
    pub reference: String,
    pub district: String,
    pub state: String,
    pub version: i64,
    /// Who performed which duty on the case, which the definition's
    /// separation rules are checked against.
    pub duties: Duties,
    pub family_documents: BTreeSet<DocumentKind>,
    pub members: Vec<CaseMember>,
    /// The documents with a scan stored: (0 for the family or the member's
    /// ordinal, kind).
    pub scans: BTreeSet<(u32, DocumentKind)>,
    /// The officer who holds the case (its assignee), if anyone: only they,
    /// or a supervisor taking it over, act on it.
    pub holder: Option<String>,
}

/// One family member as the engine sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseMember {
    /// 1-based position in the family list; how officers name a member.
    pub ordinal: u32,
    /// First, father's and family name, for messages.
    pub name: String,
    pub relationship: Relationship,
    /// For the words said about the member (Arabic agrees with it).
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub abroad: bool,
    pub register_number: Option<String>,
    pub documents: BTreeSet<DocumentKind>,
    pub state: String,
    pub national_number: Option<String>,
    pub card_number: Option<String>,
    pub collector_document: Option<String>,
    pub exclusion_reason: Option<String>,
    /// For a member under the card age: the birthday the card falls due.
    pub card_due_on: Option<NaiveDate>,
    /// The day the member entered the current state.
    pub state_changed_on: Option<NaiveDate>,
    /// The day the member was entered in the civil registry.
    pub registered_on: Option<NaiveDate>,
}

impl Case {
    pub fn member(&self, ordinal: u32) -> Option<&CaseMember> {
        self.members.iter().find(|m| m.ordinal == ordinal)
    }
}

/// Who acts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The user name (or `system` for jobs); recorded on every change.
    pub id: String,
    pub roles: Vec<Role>,
    /// An officer bound to one district may act only on its cases.
    pub district: Option<String>,
}

impl Actor {
    /// The scheduler and other jobs.
    pub fn system() -> Actor {
        Actor {
            id: "system".into(),
            roles: vec![Role::System],
            district: None,
        }
    }
}

/// What an actor asks the engine to do.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Command {
    pub action: String,
    /// The member a member action concerns (1-based ordinal).
    #[serde(default)]
    pub member: Option<u32>,
    /// Values of the fields the transition requires, by field name.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default)]
    pub comment: Option<String>,
    /// A member action taken for several members in one step: each part
    /// names a member and the field values that are theirs alone (a
    /// national number each), on top of [`Command::fields`]. Empty for a
    /// command on the case or on one member.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub each: Vec<MemberPart>,
}

/// One member of a command for several ([`Command::each`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberPart {
    pub member: u32,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
}

impl Command {
    /// The commands this one stands for, in order: itself, or one per
    /// member of [`Command::each`] with the shared fields and the member's
    /// own, and the comment.
    pub fn one_by_one(&self) -> Vec<Command> {
        if self.each.is_empty() {
            return vec![self.clone()];
        }
        self.each
            .iter()
            .map(|part| {
                let mut fields = self.fields.clone();
                fields.extend(part.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                Command {
                    action: self.action.clone(),
                    member: Some(part.member),
                    fields,
                    comment: self.comment.clone(),
                    each: Vec::new(),
                }
            })
            .collect()
    }

    /// Every field value and the comment checked as free text (no control
    /// or text-direction character, each within its length; see
    /// [`crate::domain::text`]), before the engine looks at them.
    pub fn text_problems(&self) -> Vec<crate::domain::field_error::FieldError> {
        use crate::domain::text::{Lines, check_text, limit};
        let mut problems: Vec<_> = self
            .fields
            .iter()
            .chain(self.each.iter().flat_map(|part| part.fields.iter()))
            .filter_map(|(name, value)| {
                crate::workflow::fields::FieldKind::check_characters(name, value).err()
            })
            .collect();
        if let Some(comment) = &self.comment
            && let Err(error) = check_text("comment", comment, Lines::Many, limit::COMMENT)
        {
            problems.push(error);
        }
        problems
    }

    pub fn new(action: &str) -> Command {
        Command {
            action: action.to_string(),
            ..Command::default()
        }
    }

    pub fn on_member(action: &str, member: u32) -> Command {
        Command {
            action: action.to_string(),
            member: Some(member),
            ..Command::default()
        }
    }

    pub fn with(mut self, field: &str, value: &str) -> Command {
        self.fields.insert(field.to_string(), value.to_string());
        self
    }
}
