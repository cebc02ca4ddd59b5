//! Why the engine refuses a command, in words an officer understands, in
//! Arabic and English. A refusal carries what it names (states, actions,
//! roles, districts) with their labels, so that its texts name them as a
//! person reads them, never by code.

use std::fmt;

use crate::domain::language::{LRI, PDI, Text};
use crate::domain::roles::Role;

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
        reason: String,
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
            Refusal::UnknownAction { action } => Text::new(
                format!("الإجراء '{action}' غير معروف في هذا المسار"),
                format!("there is no action '{action}' in this workflow"),
            ),
            Refusal::CaseClosed { state } => Text::new(
                format!("الطلب مغلق (الحالة «{}») ولا يقبل أي إجراء", state.label.ar),
                format!(
                    "the case is closed ({}) and accepts no action",
                    state.label.en
                ),
            ),
            Refusal::NotAvailable { action, state } => Text::new(
                format!(
                    "لا يمكن تنفيذ «{}» والطلب في الحالة «{}»",
                    action.label.ar, state.label.ar
                ),
                format!(
                    "'{}' cannot be taken while the case is in '{}'",
                    action.label.en, state.label.en
                ),
            ),
            Refusal::MemberRequired { action } => Text::new(
                format!(
                    "الإجراء «{}» يخص فرداً من العائلة: حدد رقم الفرد",
                    action.label.ar
                ),
                format!(
                    "'{}' concerns one family member: say which member",
                    action.label.en
                ),
            ),
            Refusal::MemberNotExpected { action } => Text::new(
                format!("الإجراء «{}» يخص الطلب كله لا فرداً منه", action.label.ar),
                format!(
                    "'{}' concerns the whole application, not one member",
                    action.label.en
                ),
            ),
            Refusal::UnknownMember { ordinal } => Text::new(
                format!("لا يوجد فرد برقم {ordinal} في هذه العائلة"),
                format!("this family has no member {ordinal}"),
            ),
            Refusal::MemberNotAvailable {
                action,
                ordinal,
                name,
                member_state,
            } => Text::new(
                format!(
                    "لا يمكن تنفيذ «{}» على الفرد {ordinal}، {name}، وهو في الحالة «{}»",
                    action.label.ar, member_state.label.ar
                ),
                format!(
                    "'{}' cannot be taken for member {ordinal}, {name}, who is '{}'",
                    action.label.en, member_state.label.en
                ),
            ),
            Refusal::RoleNotAllowed { action, roles } => Text::new(
                format!(
                    "الإجراء «{}» مسموح فقط لـ: {}",
                    action.label.ar,
                    roles
                        .iter()
                        .map(|r| r.label.ar.as_str())
                        .collect::<Vec<_>>()
                        .join("، ")
                ),
                format!(
                    "'{}' may only be taken by: {}",
                    action.label.en,
                    roles
                        .iter()
                        .map(|r| r.label.en.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            Refusal::OutsideDistrict { district } => Text::new(
                format!("الطلب يتبع منطقة «{}» وهي خارج صلاحيتك", district.label.ar),
                format!(
                    "the case belongs to district '{}', outside yours",
                    district.label.en
                ),
            ),
            Refusal::MissingField { field } => Text::new(
                format!("الحقل '{field}' مطلوب لهذا الإجراء"),
                format!("the field '{field}' is required for this action"),
            ),
            Refusal::InvalidField { field, reason } => Text::new(
                format!("قيمة الحقل '{field}' غير صالحة: {reason}"),
                format!("the field '{field}' {reason}"),
            ),
            Refusal::UnexpectedField { field } => Text::new(
                format!("الحقل '{field}' لا يخص هذا الإجراء"),
                format!("the field '{field}' does not belong to this action"),
            ),
            Refusal::GuardFailed { reasons, .. } => Text::new(
                reasons
                    .iter()
                    .map(|r| r.ar.as_str())
                    .collect::<Vec<_>>()
                    .join("؛ "),
                reasons
                    .iter()
                    .map(|r| r.en.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Refusal::NothingToDo => Text::new(
                "لا يوجد ما يمكن تنفيذه تلقائياً",
                "there is nothing for the engine to do",
            ),
            Refusal::HeldByAnother { holder } => Text::new(
                format!("الطلب في عهدة {LRI}{holder}{PDI}: لا يعمل عليه غيره إلا مشرف يتسلّمه"),
                format!(
                    "the case is held by {holder}: only they, or a supervisor taking it over, \
                     may act on it"
                ),
            ),
            Refusal::SeparationOfDuties(s) => Text::new(
                format!(
                    "بموجب قاعدة «{}» لا يجوز لـ {} تنفيذ «{}» ({}) لأنه سبق أن نفّذ «{}» ({}) على هذا الطلب",
                    s.rule.label.ar,
                    s.actor,
                    s.action.label.ar,
                    s.duty.label.ar,
                    s.earlier_action.label.ar,
                    s.earlier_duty.label.ar
                ),
                format!(
                    "under the rule '{}', {} may not take '{}' ({}): they took '{}' ({}) on this case",
                    s.rule.label.en,
                    s.actor,
                    s.action.label.en,
                    s.duty.label.en,
                    s.earlier_action.label.en,
                    s.earlier_duty.label.en
                ),
            ),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for Refusal {}
