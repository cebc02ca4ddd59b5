//! Fields an actor must supply with a transition, named in the definition.

use crate::domain::identifiers::NationalNumber;

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
}

impl FieldKind {
    pub const ALL: [FieldKind; 4] = [
        FieldKind::Reason,
        FieldKind::NationalNumber,
        FieldKind::CardNumber,
        FieldKind::CollectorDocument,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::Reason => "reason",
            FieldKind::NationalNumber => "national_number",
            FieldKind::CardNumber => "card_number",
            FieldKind::CollectorDocument => "collector_document",
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
        }
    }

    /// Checks a supplied value and returns its canonical form, or a reason
    /// (an English sentence fragment) why it is refused.
    pub fn check(self, value: &str) -> Result<String, String> {
        let value = value.trim();
        match self {
            FieldKind::Reason => {
                let length = value.chars().count();
                if length < 3 {
                    Err("must say why in at least 3 characters".into())
                } else if length > 2000 {
                    Err("must be at most 2000 characters".into())
                } else if value.chars().any(|c| c.is_control() && c != '\n') {
                    Err("must not contain control characters".into())
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
            FieldKind::CollectorDocument => {
                let length = value.chars().count();
                if (3..=100).contains(&length) && !value.chars().any(char::is_control) {
                    Ok(value.to_string())
                } else {
                    Err("must name the collector's identity document in 3 to 100 characters".into())
                }
            }
        }
    }
}
