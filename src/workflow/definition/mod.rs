//! The workflow definition: a serde mirror of `workflows/*.toml` and the
//! validation that turns it into a [`Workflow`] the engine can trust.
//!
//! Loading never panics and never stops at the first problem: it returns
//! every error it finds, each naming the file, the line and the offending
//! name, so that `casework workflow check` can print them all at once.
//!
//! This file holds the validated definition the engine reads; `raw.rs` the
//! serde mirror of the file with spans, `check.rs` the validation between
//! them, and `diagram.rs` the state diagrams drawn from a definition.

mod check;
mod diagram;
mod meanings;
mod raw;

use crate::domain::family::Persons;
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::workflow::fields::FieldKind;
use crate::workflow::guards::Guard;

pub use check::{DefinitionError, DefinitionErrors};
pub use meanings::{CardStage, Meaning, Outcome};

/// A validated workflow definition.
#[derive(Clone, Debug)]
pub struct Workflow {
    pub name: String,
    pub version: u32,
    pub title: Text,
    pub initial: String,
    /// Members this old or older must appear in person for a card.
    pub card_age: u32,
    /// Whom one case covers: a family, or one person.
    pub persons: Persons,
    pub states: Vec<StateDef>,
    pub transitions: Vec<TransitionDef>,
    pub automatic: Vec<AutomaticDef>,
    pub member: MemberTrack,
    pub reminders: Vec<ReminderRule>,
    /// The duties the separation rules name (see [`crate::workflow::duties`]).
    pub duties: Vec<DutyDef>,
    /// The separation-of-duties rules.
    pub separation: Vec<SeparationRule>,
    /// The document kinds the checklist counts as present only once a scan
    /// of them is stored (`[[documents]] kind = …, needs_scan = true`).
    pub needs_scan: std::collections::BTreeSet<crate::domain::family::DocumentKind>,
    /// Days after a case closed rejected or withdrawn that its scans are
    /// deleted (`scan_retention_days`); kept for ever when none.
    pub scan_retention_days: Option<u32>,
    /// What the form that opens and edits a case and the case page call
    /// things and ask for (`[form]`).
    pub form: FormDef,
}

/// The words and the checklist of a workflow's form and case page: a
/// family's form asks for the members of a family, a person's for one
/// person and their evidence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormDef {
    /// The title of the form that opens a case.
    pub new: Text,
    /// The title of the form that edits a case (and the case page's link).
    pub edit: Text,
    /// The heading over the persons a case covers ("Family members").
    pub persons: Text,
    /// One of them ("Member", numbered on a family's form; "The person").
    pub person: Text,
    /// Whether each person's foreigners' register entry is asked for (a
    /// person never entered in any register has none).
    pub register_number: bool,
    /// The documents the case files as a whole, in checklist order.
    pub case_documents: Vec<crate::domain::family::DocumentKind>,
    /// The documents every person files, in checklist order: the case page
    /// lists each as present or missing.
    pub member_documents: Vec<crate::domain::family::DocumentKind>,
    /// Documents a person files only when needed (a court decision for an
    /// adult): offered on the form, listed on the case page once filed.
    pub member_documents_if_needed: Vec<crate::domain::family::DocumentKind>,
}

/// A duty: a set of actions, which count for it only while the case is in
/// one of `states` (in any state when `states` is empty).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DutyDef {
    pub name: String,
    pub labels: Text,
    pub actions: Vec<String>,
    pub states: Vec<String>,
}

impl DutyDef {
    /// Whether `action` taken while the case is in `state` counts for this duty.
    pub fn covers(&self, action: &str, state: &str) -> bool {
        self.actions.iter().any(|a| a == action)
            && (self.states.is_empty() || self.states.iter().any(|s| s == state))
    }
}

/// A separation-of-duties rule: on one case, one person performs actions
/// of at most one of its duties (two or more, named in `duties`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeparationRule {
    pub name: String,
    pub labels: Text,
    pub duties: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct StateDef {
    pub name: String,
    pub labels: Text,
    /// Working days an officer has for a case in this state, if any.
    pub sla_days: Option<u32>,
    pub terminal: bool,
    /// The SLA clock stops while a case is in this state (it waits on the applicant).
    pub pauses_clock: bool,
    /// The roles that work a case in this state: those whose action moves
    /// it on, in whose work queues it is listed. Empty for terminal states
    /// and member states.
    pub worked_by: Vec<Role>,
    /// A family case in this state takes a person from a linked one-person
    /// case as a new member (`takes_members`).
    pub takes_members: bool,
    /// A one-person case in this state may have its person join the family
    /// case it is linked to (`joins_family`).
    pub joins_family: bool,
    /// What the state means to the rest of the code (`meanings.rs`).
    pub meaning: Meaning,
}

/// A transition an actor takes, on the application or on one member.
#[derive(Clone, Debug)]
pub struct TransitionDef {
    pub action: String,
    /// What a person reads for the action (a button, a refusal): the
    /// file's `ar` and `en`, or the action's name where it gives none.
    pub labels: Text,
    pub from: Vec<String>,
    pub to: String,
    pub roles: Vec<Role>,
    pub guards: Vec<Guard>,
    pub fields: Vec<FieldKind>,
    pub notify: Vec<NotifyDef>,
    /// For member transitions: the application states in which they may be taken.
    pub case_states: Vec<String>,
}

/// A transition the engine takes by itself as soon as its guards hold.
#[derive(Clone, Debug)]
pub struct AutomaticDef {
    pub from: String,
    pub to: String,
    pub guards: Vec<Guard>,
    pub notify: Vec<NotifyDef>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotifyDef {
    pub to: Recipient,
    pub template: String,
}

/// Who a notification or reminder goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Applicant,
    Assignee,
    DistrictSupervisors,
    LeadershipDigest,
}

impl Recipient {
    pub const ALL: [Recipient; 4] = [
        Recipient::Applicant,
        Recipient::Assignee,
        Recipient::DistrictSupervisors,
        Recipient::LeadershipDigest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Recipient::Applicant => "applicant",
            Recipient::Assignee => "assignee",
            Recipient::DistrictSupervisors => "district_supervisors",
            Recipient::LeadershipDigest => "leadership_digest",
        }
    }

    pub fn parse(name: &str) -> Option<Recipient> {
        Recipient::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

#[derive(Clone, Debug)]
pub struct MemberTrack {
    pub initial: String,
    pub states: Vec<StateDef>,
    pub transitions: Vec<TransitionDef>,
    pub automatic: Vec<AutomaticDef>,
}

/// A reminder rule: parsed and validated here, run by the scheduler.
#[derive(Clone, Debug)]
pub struct ReminderRule {
    pub name: String,
    pub schedule_text: String,
    pub schedule: cron::Schedule,
    pub concerns: Concern,
    pub notify: Vec<Recipient>,
    pub template: String,
}

/// Which cases a reminder rule concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Concern {
    /// A case in `state` (any state with an SLA when `None`) overdue by more
    /// than `after_working_days` working days.
    StateOverdue {
        state: Option<String>,
        after_working_days: u32,
    },
    /// A member whose card falls due on their birthday at the card age.
    CardDueBirthday,
    /// A card printed but not collected after `after_days` days.
    CardNotCollected { after_days: u32 },
    /// A case returned to the applicant with no answer after `after_days` days.
    ReturnedNoAnswer { after_days: u32 },
}

impl Workflow {
    pub fn state(&self, name: &str) -> Option<&StateDef> {
        self.states.iter().find(|s| s.name == name)
    }

    pub fn member_state(&self, name: &str) -> Option<&StateDef> {
        self.member.states.iter().find(|s| s.name == name)
    }

    /// A case state's labels; an unknown name stands for itself.
    pub fn state_labels(&self, name: &str) -> Text {
        self.state(name)
            .map_or_else(|| Text::of_code(name), |s| s.labels.clone())
    }

    /// A member state's labels; an unknown name stands for itself.
    pub fn member_state_labels(&self, name: &str) -> Text {
        self.member_state(name)
            .map_or_else(|| Text::of_code(name), |s| s.labels.clone())
    }

    /// An action's labels, application or member action or one of the
    /// case's own actions (opening it, editing the family); an unknown name
    /// stands for itself.
    pub fn action_labels(&self, action: &str) -> Text {
        self.transitions
            .iter()
            .chain(&self.member.transitions)
            .find(|t| t.action == action)
            .map(|t| t.labels.clone())
            .or_else(|| crate::workflow::duties::case_action_labels(action))
            .unwrap_or_else(|| Text::of_code(action))
    }

    pub fn duty(&self, name: &str) -> Option<&DutyDef> {
        self.duties.iter().find(|d| d.name == name)
    }

    /// The key a case pins: `name` and `version`.
    pub fn key(&self) -> String {
        format!("{}.v{}", self.name, self.version)
    }
}
