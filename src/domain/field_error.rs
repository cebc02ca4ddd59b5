//! A problem with one field of some input, named by the field's path, in
//! the two languages the pages and the API answer in; and the shapes of
//! the simplest fields (a code, an e-mail address).

use serde::Serialize;

use crate::domain::language::Lang;

/// A problem with one field of the input, named by its path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The path of the field, e.g. `members[2].birth_date`.
    pub field: String,
    /// What is wrong, in English.
    pub message: String,
    /// What is wrong, in Arabic.
    pub message_ar: String,
}

impl FieldError {
    /// A problem described in English only (operator-facing messages).
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        let message = message.into();
        FieldError {
            field: field.into(),
            message_ar: message.clone(),
            message,
        }
    }

    /// A problem said in both languages, as a message catalogue words it.
    pub fn said(
        field: impl Into<String>,
        message: impl Into<crate::domain::language::Text>,
    ) -> FieldError {
        let message = message.into();
        FieldError::bilingual(field, message.ar, message.en)
    }

    /// A problem described in Arabic and English.
    pub fn bilingual(
        field: impl Into<String>,
        ar: impl Into<String>,
        en: impl Into<String>,
    ) -> FieldError {
        FieldError {
            field: field.into(),
            message: en.into(),
            message_ar: ar.into(),
        }
    }

    /// What is wrong, in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ar => &self.message_ar,
            Lang::En => &self.message,
        }
    }
}

/// A lowercase code such as `al_hasakah` or `qamishli_1`.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 40
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && text.len() <= 254
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}
