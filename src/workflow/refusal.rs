//! Why the engine refuses a command, in words an officer understands, in
//! Arabic and English. A refusal carries what it names (states, actions,
//! roles, districts) with their labels, so that its texts name them as a
//! person reads them, never by code.

use std::fmt;

use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::domain::words::{self, refusals};
use crate::workflow::fields::FieldKind;

/// Something a refusal names, such as a state, an action, a role or a
/// district: its code, which programs and logs read, and the words a
/// person reads. A refusal's texts use only the words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub code: String,
    /// Boxed, so that a refusal stays small enough to return by value.
    pub label: Box<Text>,
}

impl Named {
    pub fn new(code: impl Into<String>, label: Text) -> Named {
        Named {
            code: code.into(),
            label: Box::new(label),
        }
    }

    /// A name from a definition's Arabic and English labels.
    pub fn labelled(code: impl Into<String>, labels: &Text) -> Named {
        Named::new(code, labels.clone())
    }

    /// A name whose labels are not known where the refusal is made: its
    /// code stands for itself in both languages.
    pub fn unlabelled(code: &str) -> Named {
        Named::new(code, Text::new(code, code))
    }

    /// A role, named by its labels.
    pub fn role(role: Role) -> Named {
        Named::new(role.as_str(), Text::new(role.label_ar(), role.label_en()))
    }
}

/// A separation-of-duties rule crossed: who, the rule, the action refused
/// and the duty it counts for, and the person's earlier action on the case
/// and its duty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Separation {
    pub actor: String,
    pub rule: Named,
    pub action: Named,
    pub duty: Named,
    pub earlier_action: Named,
    pub earlier_duty: Named,
}

/// A command the engine will not carry out. A refusal changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// An action the definition does not know, named as it was asked for.
    UnknownAction {
        action: String,
    },
    CaseClosed {
        state: Named,
    },
    NotAvailable {
        action: Named,
        state: Named,
    },
    MemberRequired {
        action: Named,
    },
    MemberNotExpected {
        action: Named,
    },
    UnknownMember {
        ordinal: u32,
    },
    MemberNotAvailable {
        action: Named,
        ordinal: u32,
        name: String,
        /// The words agree with the member.
        female: bool,
        member_state: Named,
    },
    /// Who may take the action: roles, or someone described (the assignee).
    RoleNotAllowed {
        action: Named,
        roles: Vec<Named>,
    },
    OutsideDistrict {
        district: Named,
    },
    MissingField {
        field: String,
    },
    InvalidField {
        field: String,
        /// Why, in both languages, completing a sentence that starts with
        /// the field's name.
        reason: Text,
    },
    UnexpectedField {
        field: String,
    },
    GuardFailed {
        guard: String,
        reasons: Vec<Text>,
    },
    NothingToDo,
    /// Another officer holds the case: only they, or a supervisor taking it
    /// over, act on it.
    HeldByAnother {
        holder: String,
    },
    /// A case given to an officer none of whose roles works its state (the
    /// roles that do are named).
    NotWorkedBy {
        officer: String,
        state: Named,
        roles: Vec<Named>,
    },
    /// The actor performed, on this case, a duty that a rule of the
    /// definition separates from the one this action counts for.
    SeparationOfDuties(Box<Separation>),
}

impl Refusal {
    /// A stable code for clients and metrics.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::UnknownAction { .. } => "unknown_action",
            Refusal::CaseClosed { .. } => "case_closed",
            Refusal::NotAvailable { .. } => "not_available_in_state",
            Refusal::MemberRequired { .. } => "member_required",
            Refusal::MemberNotExpected { .. } => "member_not_expected",
            Refusal::UnknownMember { .. } => "unknown_member",
            Refusal::MemberNotAvailable { .. } => "member_not_available",
            Refusal::RoleNotAllowed { .. } => "role_not_allowed",
            Refusal::OutsideDistrict { .. } => "outside_district",
            Refusal::MissingField { .. } => "missing_field",
            Refusal::InvalidField { .. } => "invalid_field",
            Refusal::UnexpectedField { .. } => "unexpected_field",
            Refusal::GuardFailed { .. } => "guard_failed",
            Refusal::NothingToDo => "nothing_to_do",
            Refusal::HeldByAnother { .. } => "held_by_another",
            Refusal::NotWorkedBy { .. } => "state_not_worked_by_assignee",
            Refusal::SeparationOfDuties(_) => "separation_of_duties",
        }
    }

    /// True when the refusal is about who acts rather than about the case.
    pub fn is_forbidden(&self) -> bool {
        matches!(
            self,
            Refusal::RoleNotAllowed { .. }
                | Refusal::OutsideDistrict { .. }
                | Refusal::SeparationOfDuties(_)
        )
    }

    pub fn text(&self) -> Text {
        match self {
            Refusal::UnknownAction { action } => refusals::unknown_action(action),
            Refusal::CaseClosed { state } => refusals::case_closed(&state.label),
            Refusal::NotAvailable { action, state } => {
                refusals::not_available(&action.label, &state.label)
            }
            Refusal::MemberRequired { action } => refusals::member_required(&action.label),
            Refusal::MemberNotExpected { action } => refusals::member_not_expected(&action.label),
            Refusal::UnknownMember { ordinal } => refusals::unknown_member(*ordinal),
            Refusal::MemberNotAvailable {
                action,
                ordinal,
                name,
                female,
                member_state,
            } => refusals::member_not_available(
                &action.label,
                *ordinal,
                name,
                *female,
                &member_state.label,
            ),
            Refusal::RoleNotAllowed { action, roles } => refusals::role_not_allowed(
                &action.label,
                &words::list_said(roles.iter().map(|r| &*r.label)),
            ),
            Refusal::OutsideDistrict { district } => refusals::outside_district(&district.label),
            Refusal::MissingField { field } => refusals::missing_field(&FieldKind::label_of(field)),
            Refusal::InvalidField { field, reason } => {
                refusals::invalid_field(&FieldKind::label_of(field), reason)
            }
            Refusal::UnexpectedField { field } => {
                refusals::unexpected_field(&FieldKind::label_of(field))
            }
            Refusal::GuardFailed { reasons, .. } => words::clauses(reasons),
            Refusal::NothingToDo => refusals::NOTHING_TO_DO.text(),
            Refusal::HeldByAnother { holder } => refusals::held_by_another(holder),
            Refusal::NotWorkedBy {
                officer,
                state,
                roles,
            } => refusals::not_worked_by(
                officer,
                &state.label,
                &words::list_said(roles.iter().map(|r| &*r.label)),
            ),
            Refusal::SeparationOfDuties(s) => refusals::separation_of_duties(refusals::Separated {
                rule: &s.rule.label,
                actor: &s.actor,
                action: &s.action.label,
                duty: &s.duty.label,
                earlier_action: &s.earlier_action.label,
                earlier_duty: &s.earlier_duty.label,
            }),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for Refusal {}
