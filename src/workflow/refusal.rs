//! Why the engine refuses a command, in words an officer understands, in
//! Arabic and English.

use std::fmt;

use serde::Serialize;

/// A sentence in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Text {
    pub ar: String,
    pub en: String,
}

impl Text {
    pub fn new(ar: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ar: ar.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ar => &self.ar,
            Lang::En => &self.en,
        }
    }
}

/// The language of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ar,
    En,
}

/// A command the engine will not carry out. A refusal changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    UnknownAction {
        action: String,
    },
    CaseClosed {
        state: String,
    },
    NotAvailable {
        action: String,
        state: String,
    },
    MemberRequired {
        action: String,
    },
    MemberNotExpected {
        action: String,
    },
    UnknownMember {
        ordinal: u32,
    },
    MemberNotAvailable {
        action: String,
        ordinal: u32,
        name: String,
        member_state: String,
    },
    RoleNotAllowed {
        action: String,
        roles: Vec<String>,
    },
    OutsideDistrict {
        district: String,
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
        }
    }

    /// True when the refusal is about who acts rather than about the case.
    pub fn is_forbidden(&self) -> bool {
        matches!(
            self,
            Refusal::RoleNotAllowed { .. } | Refusal::OutsideDistrict { .. }
        )
    }

    pub fn text(&self) -> Text {
        match self {
            Refusal::UnknownAction { action } => Text::new(
                format!("الإجراء '{action}' غير معروف في هذا المسار"),
                format!("there is no action '{action}' in this workflow"),
            ),
            Refusal::CaseClosed { state } => Text::new(
                format!("الطلب مغلق (الحالة '{state}') ولا يقبل أي إجراء"),
                format!("the case is closed ({state}) and accepts no action"),
            ),
            Refusal::NotAvailable { action, state } => Text::new(
                format!("لا يمكن تنفيذ '{action}' والطلب في الحالة '{state}'"),
                format!("'{action}' cannot be taken while the case is in '{state}'"),
            ),
            Refusal::MemberRequired { action } => Text::new(
                format!("الإجراء '{action}' يخص فرداً من العائلة: حدد رقم الفرد"),
                format!("'{action}' concerns one family member: say which member"),
            ),
            Refusal::MemberNotExpected { action } => Text::new(
                format!("الإجراء '{action}' يخص الطلب كله لا فرداً منه"),
                format!("'{action}' concerns the whole application, not one member"),
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
                    "لا يمكن تنفيذ '{action}' على الفرد {ordinal}، {name}، وهو في الحالة '{member_state}'"
                ),
                format!(
                    "'{action}' cannot be taken for member {ordinal}, {name}, who is '{member_state}'"
                ),
            ),
            Refusal::RoleNotAllowed { action, roles } => Text::new(
                format!("الإجراء '{action}' مسموح فقط لـ: {}", roles.join("، ")),
                format!("'{action}' may only be taken by: {}", roles.join(", ")),
            ),
            Refusal::OutsideDistrict { district } => Text::new(
                format!("الطلب يتبع منطقة '{district}' وهي خارج صلاحيتك"),
                format!("the case belongs to district '{district}', outside yours"),
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
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().en)
    }
}

impl std::error::Error for Refusal {}
