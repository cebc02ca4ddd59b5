//! How an agency names a person: a national number, or a register entry
//! number with a birth date, checked into a [`PersonKey`] or refused with
//! field errors; and the subject the access log records for either.

use chrono::NaiveDate;

use crate::domain::field_error::FieldError;
use crate::domain::identifiers::{NationalNumber, RegisterNumber};
use crate::domain::words::portal as portal_words;

/// One person as the agency names them, before it is checked: a national
/// number, or a register entry number with a birth date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonInput {
    pub national_number: Option<String>,
    pub register_number: Option<String>,
    pub birth_date: Option<String>,
}

/// A person named well.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonKey {
    National(NationalNumber),
    Register(RegisterNumber, NaiveDate),
}

impl PersonKey {
    /// The person as the log records them.
    pub fn subject(&self) -> String {
        match self {
            PersonKey::National(n) => format!("NN {n}"),
            PersonKey::Register(r, born) => format!("REG {r} {born}"),
        }
    }
}

impl PersonInput {
    /// The person as the log records them when the input was not usable.
    pub(super) fn raw_subject(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = &self.national_number {
            parts.push(format!("NN {n}"));
        }
        if let Some(r) = &self.register_number {
            parts.push(format!("REG {r}"));
        }
        if let Some(b) = &self.birth_date {
            parts.push(b.clone());
        }
        let text = if parts.is_empty() {
            "-".to_string()
        } else {
            parts.join(" ")
        };
        crate::domain::text::printable(&text)
            .chars()
            .take(64)
            .collect()
    }

    /// Checks the person as named at `path` (`person` or `persons[i]`).
    pub(super) fn check(&self, path: &str) -> Result<PersonKey, Vec<FieldError>> {
        match (
            &self.national_number,
            &self.register_number,
            &self.birth_date,
        ) {
            (Some(n), None, None) => {
                NationalNumber::parse(n)
                    .map(PersonKey::National)
                    .map_err(|e| {
                        vec![FieldError::said(
                            format!("{path}.national_number"),
                            e.said(),
                        )]
                    })
            }
            (None, Some(r), Some(b)) => {
                let mut errors = Vec::new();
                let register = RegisterNumber::parse(r)
                    .map_err(|e| {
                        errors.push(FieldError::said(
                            format!("{path}.register_number"),
                            e.said(),
                        ))
                    })
                    .ok();
                let born = NaiveDate::parse_from_str(b, "%Y-%m-%d")
                    .map_err(|_| {
                        errors.push(FieldError::said(
                            format!("{path}.birth_date"),
                            portal_words::NOT_A_DATE,
                        ))
                    })
                    .ok();
                match (register, born) {
                    (Some(r), Some(b)) => Ok(PersonKey::Register(r, b)),
                    _ => Err(errors),
                }
            }
            _ => Err(vec![FieldError::said(path, portal_words::NAME_THE_PERSON)]),
        }
    }
}
