//! Fields an actor must supply with a transition, named in the definition.

use crate::domain::field_error::FieldError;
use crate::domain::identifiers::{NationalNumber, RegisterNumber};
use crate::domain::language::Text;
use crate::domain::text::{Lines, check_text, forbidden_character, limit};
use crate::domain::words::fields;

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

    /// The field's name as a person reads it, in both languages.
    pub fn label(self) -> Text {
        match self {
            FieldKind::Reason => fields::FIELD_REASON,
            FieldKind::NationalNumber => fields::FIELD_NATIONAL_NUMBER,
            FieldKind::CardNumber => fields::FIELD_CARD_NUMBER,
            FieldKind::CollectorDocument => fields::FIELD_COLLECTOR_DOCUMENT,
            FieldKind::RegisterNumber => fields::FIELD_REGISTER_NUMBER,
        }
        .text()
    }

    /// The name of the field called `name` in a command: its label for
    /// one of the engine's fields, else the name as sent, isolated (a
    /// field no action has).
    pub fn label_of(name: &str) -> Text {
        FieldKind::parse(name).map_or_else(|| fields::field_named(name), FieldKind::label)
    }

    /// Checks a supplied value and returns its canonical form, or why it is
    /// refused, in both languages (completing a sentence that starts with
    /// the field's name).
    pub fn check(self, value: &str) -> Result<String, Text> {
        let value = value.trim();
        if let Some(c) = forbidden_character(value, self.lines()) {
            return Err(fields::invisible_character(&format!(
                "U+{:04X}",
                u32::from(c)
            )));
        }
        match self {
            FieldKind::Reason => {
                let length = value.chars().count();
                if length < 3 {
                    Err(fields::reason_too_short(3))
                } else if length > limit::REASON {
                    Err(fields::at_most_characters(limit::REASON))
                } else {
                    Ok(value.to_string())
                }
            }
            FieldKind::NationalNumber => NationalNumber::parse(value)
                .map(|n| n.as_str().to_string())
                .map_err(|e| e.said()),
            FieldKind::CardNumber => {
                if (6..=20).contains(&value.len())
                    && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    Ok(value.to_ascii_uppercase())
                } else {
                    Err(fields::CARD_NUMBER_FORM.text())
                }
            }
            FieldKind::RegisterNumber => RegisterNumber::parse(value)
                .map(|n| n.as_str().to_string())
                .map_err(|e| e.said()),
            FieldKind::CollectorDocument => {
                let length = value.chars().count();
                if (3..=limit::DOCUMENT).contains(&length) {
                    Ok(value.to_string())
                } else {
                    Err(fields::COLLECTOR_DOCUMENT_LENGTH.text())
                }
            }
        }
    }
}
