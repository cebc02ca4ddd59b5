//! The serde mirror of a workflow file: every name it holds keeps its
//! span, so that the checks in `check.rs` can say on which line it stands.
//! Unknown keys are refused here, by serde.

use serde::Deserialize;
use toml::Spanned;

use crate::domain::language::Text;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWorkflow {
    pub(super) name: Spanned<String>,
    pub(super) version: u32,
    pub(super) initial: Spanned<String>,
    pub(super) card_age: Option<u32>,
    /// Whom one case covers: `family` (the default) or `one` person.
    pub(super) persons: Option<Spanned<String>>,
    pub(super) title: Text,
    pub(super) states: Vec<RawState>,
    #[serde(default)]
    pub(super) transitions: Vec<RawTransition>,
    #[serde(default)]
    pub(super) automatic: Vec<RawAutomatic>,
    pub(super) member: RawMember,
    #[serde(default)]
    pub(super) reminders: Vec<RawReminder>,
    #[serde(default)]
    pub(super) duties: Vec<RawDuty>,
    #[serde(default)]
    pub(super) separation: Vec<RawSeparation>,
    /// What the checklist asks of each document kind.
    #[serde(default)]
    pub(super) documents: Vec<RawDocument>,
    /// Days after a case closed rejected or withdrawn that its scans are
    /// deleted (kept for ever when absent).
    pub(super) scan_retention_days: Option<Spanned<u32>>,
    /// What the intake form and the case page call things and ask for.
    pub(super) form: RawForm,
}

/// The `[form]` table: the titles and sections of the form that opens and
/// edits a case and of the case page, and what they ask of each person.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawForm {
    pub(super) new: Text,
    pub(super) edit: Text,
    pub(super) persons: Text,
    pub(super) person: Text,
    pub(super) register_number: Spanned<bool>,
    #[serde(default)]
    pub(super) case_documents: Vec<Spanned<String>>,
    pub(super) member_documents: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) member_documents_if_needed: Vec<Spanned<String>>,
}

/// One document kind of the checklist: `needs_scan` makes it count as
/// present only once a scan of it is stored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDocument {
    pub(super) kind: Spanned<String>,
    #[serde(default)]
    pub(super) needs_scan: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawState {
    pub(super) name: Spanned<String>,
    pub(super) ar: String,
    pub(super) en: String,
    pub(super) sla_days: Option<u32>,
    #[serde(default)]
    pub(super) terminal: bool,
    #[serde(default)]
    pub(super) pauses_clock: bool,
    #[serde(default)]
    pub(super) worked_by: Vec<Spanned<String>>,
    /// A family case in this state takes a person from a linked one-person
    /// case as a new member.
    #[serde(default)]
    pub(super) takes_members: bool,
    /// A one-person case in this state has done its work: its person may
    /// join the family case it is linked to.
    #[serde(default)]
    pub(super) joins_family: bool,
    // What the state means (`meanings.rs`).
    pub(super) closes: Option<Spanned<String>>,
    pub(super) importable: Option<Spanned<bool>>,
    pub(super) import_members: Option<Spanned<String>>,
    pub(super) granted: Option<Spanned<bool>>,
    pub(super) card: Option<Spanned<String>>,
    pub(super) verified: Option<Spanned<bool>>,
    pub(super) excluded: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTransition {
    pub(super) action: Spanned<String>,
    /// What a button says for the action, in Arabic and English; the
    /// action's name stands in for a missing one.
    pub(super) ar: Option<String>,
    pub(super) en: Option<String>,
    pub(super) from: Vec<Spanned<String>>,
    pub(super) to: Spanned<String>,
    pub(super) roles: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) guards: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) fields: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) notify: Vec<RawNotify>,
    #[serde(default)]
    pub(super) case_states: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAutomatic {
    pub(super) from: Spanned<String>,
    pub(super) to: Spanned<String>,
    #[serde(default)]
    pub(super) guards: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) notify: Vec<RawNotify>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNotify {
    pub(super) to: Spanned<String>,
    pub(super) template: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMember {
    pub(super) initial: Spanned<String>,
    pub(super) states: Vec<RawState>,
    #[serde(default)]
    pub(super) transitions: Vec<RawTransition>,
    #[serde(default)]
    pub(super) automatic: Vec<RawAutomatic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReminder {
    pub(super) name: Spanned<String>,
    pub(super) schedule: Spanned<String>,
    pub(super) concerns: Spanned<String>,
    pub(super) state: Option<Spanned<String>>,
    pub(super) after_working_days: Option<u32>,
    pub(super) after_days: Option<u32>,
    pub(super) notify: Vec<Spanned<String>>,
    pub(super) template: String,
}

/// A duty: actions that count for it while the case is in one of `states`
/// (in any state when empty).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDuty {
    pub(super) name: Spanned<String>,
    pub(super) ar: String,
    pub(super) en: String,
    #[serde(default)]
    pub(super) actions: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) states: Vec<Spanned<String>>,
}

/// A separation-of-duties rule: the duties one person may not mix on a case.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSeparation {
    pub(super) name: Spanned<String>,
    pub(super) ar: String,
    pub(super) en: String,
    #[serde(default)]
    pub(super) duties: Vec<Spanned<String>>,
}
