//! Fields an actor must supply with a transition, named in the definition.

use crate::domain::field_error::FieldError;
use crate::domain::identifiers::{NationalNumber, RegisterNumber};
use crate::domain::text::{Lines, check_text, forbidden_character, limit};

/// A kind of field a transition may require.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldKind {
    /// Why: required to return, reject, exclude or withdraw.
    Reason,
    /// The national number assigned at civil-registry entry.
    NationalNumber,
    /// The number printed on the ID card.
    CardNumber,
    /// The identity document of whoever collected the card.
    CollectorDocument,
    /// The register entry number (`BOOK/ENTRY`) a person never entered in
    /// any register is given.
    RegisterNumber,
}

impl FieldKind {
    pub const ALL: [FieldKind; 5] = [
        FieldKind::Reason,
        FieldKind::NationalNumber,
        FieldKind::CardNumber,
        FieldKind::CollectorDocument,
        FieldKind::RegisterNumber,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Reason => "reason",
            FieldKind::NationalNumber => "national_number",
            FieldKind::CardNumber => "card_number",
            FieldKind::CollectorDocument => "collector_document",
            FieldKind::RegisterNumber => "register_number",
        }
    }

    pub fn parse(name: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// A well-formed value, used to ask the engine whether an action would be
    /// allowed before the actor has typed anything.
    pub fn example(self) -> &'static str {
        match self {
            FieldKind::Reason => "reason to be given",
            FieldKind::NationalNumber => "10000000000",
            FieldKind::CardNumber => "SY000000",
            FieldKind::CollectorDocument => "identity document",
            FieldKind::RegisterNumber => "1/1",
        }
    }

    /// Whether the value may hold several lines: only a reason may.
    pub fn lines(self) -> Lines {
        match self {
            FieldKind::Reason => Lines::Many,
            _ => Lines::One,
        }
    }

    /// The longest value, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            FieldKind::Reason => limit::REASON,
            FieldKind::NationalNumber => 11,
            FieldKind::CardNumber => 20,
            FieldKind::CollectorDocument => limit::DOCUMENT,
            FieldKind::RegisterNumber => 20,
        }
    }

    /// Checks the characters and the length of the value of the field named
    /// `name` (`fields.reason`, or an unknown name) before anything else
    /// looks at it; see [`crate::domain::text`].
    pub fn check_characters(name: &str, value: &str) -> Result<(), FieldError> {
        let (lines, max_chars) = match FieldKind::parse(name) {
            Some(kind) => (kind.lines(), kind.max_chars()),
            None => (Lines::One, limit::FIELD_VALUE),
        };
        // Values are trimmed before use, like every one-line field.
        check_text(&format!("fields.{name}"), value.trim(), lines, max_chars)
    }

    /// Checks a supplied value and returns its canonical form, or a reason
    /// (an English sentence fragment) why it is refused.
    pub fn check(self, value: &str) -> Result<String, String> {
        let value = value.trim();
        if let Some(c) = forbidden_character(value, self.lines()) {
            return Err(format!(
                "contains the invisible character U+{:04X}, which no field accepts",
                u32::from(c)
            ));
        }
        match self {
            FieldKind::Reason => {
                let length = value.chars().count();
                if length < 3 {
                    Err("must say why in at least 3 characters".into())
                } else if length > limit::REASON {
                    Err(format!("must be at most {} characters", limit::REASON))
                } else {
                    Ok(value.to_string())
                }
            }
            FieldKind::NationalNumber => NationalNumber::parse(value)
                .map(|n| n.as_str().to_string())
                .map_err(|e| e.to_string()),
            FieldKind::CardNumber => {
                if (6..=20).contains(&value.len())
                    && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    Ok(value.to_ascii_uppercase())
                } else {
                    Err("must be 6 to 20 letters, digits or hyphens".into())
                }
            }
            FieldKind::RegisterNumber => RegisterNumber::parse(value)
                .map(|n| n.as_str().to_string())
                .map_err(|e| e.to_string()),
            FieldKind::CollectorDocument => {
                let length = value.chars().count();
                if (3..=limit::DOCUMENT).contains(&length) {
                    Ok(value.to_string())
                } else {
                    Err("must name the collector's identity document in 3 to 100 characters".into())
                }
            }
        }
    }
}
