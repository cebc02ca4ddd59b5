//! Personal names as officers type them at the counter, and the normalised
//! form used to search for them.
//!
//! Arabic names are kept exactly as typed (after tidying whitespace), so a
//! printed card shows the spelling the family gave. Search never compares
//! those spellings directly: it compares [`normalise_for_search`] forms, in
//! which the common spelling variants of one name (أحمد / احمد, فاطمة /
//! فاطمه, مصطفى / مصطفي, vowel marks, tatweel, and the Kurdish letters
//! and the Arabic ones typed for them) become the same text.
//!
//! This file holds the name types and their checks; `search.rs` the
//! search form, its version and the readings of a typed name as name parts.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::domain::language::Text;
use crate::domain::text::{Lines, forbidden_character};
use crate::domain::words::fields;

mod search;

pub use search::{
    FOLDING_VERSION, MAX_SEARCH_WORDS, PartsQuery, normalise_for_search, parts_queries,
};

/// The longest name, in characters, that either name type accepts.
pub const MAX_NAME_CHARS: usize = crate::domain::text::limit::NAME;

/// A name written in Arabic script: Arabic letters, diacritics, tatweel,
/// single spaces and hyphens, with at least one Arabic letter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct ArabicName(String);

impl ArabicName {
    /// Parses a name field: trims it, turns every run of whitespace into one
    /// space, and refuses anything that is not a plausible Arabic name.
    pub fn parse(field_value: &str) -> Result<ArabicName, NameError> {
        let text = tidy(field_value)?;
        if !text.chars().any(is_arabic_letter) {
            return Err(NameError::NoArabicLetter);
        }
        if let Some(character) = text.chars().find(|&c| !is_allowed_in_arabic_name(c)) {
            return Err(NameError::NotAllowedInArabicName { character });
        }
        Ok(ArabicName(text))
    }

    /// The name as typed, with whitespace tidied.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form of this name used for searching; see [`normalise_for_search`].
    pub fn search_form(&self) -> String {
        normalise_for_search(&self.0)
    }
}

/// A name written in Latin letters, as on a passport: ASCII letters, single
/// spaces, hyphens, apostrophes and periods, with at least one letter.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct LatinName(String);

impl LatinName {
    /// Parses a name field: trims it, turns every run of whitespace into one
    /// space, and refuses anything but the characters a passport name uses.
    pub fn parse(field_value: &str) -> Result<LatinName, NameError> {
        let text = tidy(field_value)?;
        if !text.chars().any(|c| c.is_ascii_alphabetic()) {
            return Err(NameError::NoLatinLetter);
        }
        if let Some(character) = text.chars().find(|&c| !is_allowed_in_latin_name(c)) {
            return Err(NameError::NotAllowedInLatinName { character });
        }
        Ok(LatinName(text))
    }

    /// The name as typed, with whitespace tidied.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a name field was refused. Each message completes a sentence that
/// starts with the field's name, for example "first name is empty".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong,
    ControlCharacter { character: char },
    Digit,
    NoArabicLetter,
    NoLatinLetter,
    NotAllowedInArabicName { character: char },
    NotAllowedInLatinName { character: char },
}

impl NameError {
    /// The message in both languages.
    pub fn said(&self) -> Text {
        match self {
            NameError::Empty => fields::EMPTY.text(),
            NameError::TooLong => fields::name_too_long(MAX_NAME_CHARS),
            NameError::ControlCharacter { character } => {
                fields::control_character(&describe_character(*character))
            }
            NameError::Digit => fields::CONTAINS_A_DIGIT.text(),
            NameError::NoArabicLetter => fields::NO_ARABIC_LETTER.text(),
            NameError::NoLatinLetter => fields::NO_LATIN_LETTER.text(),
            NameError::NotAllowedInArabicName { character } => {
                fields::not_allowed_in_arabic_name(&describe_character(*character))
            }
            NameError::NotAllowedInLatinName { character } => {
                fields::not_allowed_in_latin_name(&describe_character(*character))
            }
        }
    }

    /// The message in Arabic.
    pub fn arabic(&self) -> String {
        self.said().ar
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.said().en)
    }
}

impl std::error::Error for NameError {}

impl fmt::Display for ArabicName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for LatinName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ArabicName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for LatinName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for ArabicName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl Serialize for LatinName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl TryFrom<String> for ArabicName {
    type Error = NameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        ArabicName::parse(&value)
    }
}

impl TryFrom<String> for LatinName {
    type Error = NameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        LatinName::parse(&value)
    }
}

impl std::str::FromStr for ArabicName {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ArabicName::parse(s)
    }
}

impl std::str::FromStr for LatinName {
    type Err = NameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LatinName::parse(s)
    }
}

/// Tatweel, the stretching stroke: no letter, ignored by search.
pub(super) const TATWEEL: char = '\u{0640}';

/// Trims the text and replaces every run of whitespace with one space.
pub(super) fn collapse_whitespace(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// The field as typed, trimmed and refused if it holds a character no field
/// accepts (see [`crate::domain::text`]; a name is one line, so a tab or a
/// line end inside it is refused too), then with its whitespace collapsed
/// and checked by [`check_common`].
fn tidy(field_value: &str) -> Result<String, NameError> {
    if let Some(character) = forbidden_character(field_value.trim(), Lines::One) {
        return Err(NameError::ControlCharacter { character });
    }
    let text = collapse_whitespace(field_value);
    check_common(&text)?;
    Ok(text)
}

/// The checks both name types share, in the order an officer fixes them.
fn check_common(text: &str) -> Result<(), NameError> {
    if text.is_empty() {
        return Err(NameError::Empty);
    }
    if text.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong);
    }
    if text.chars().any(char::is_numeric) {
        return Err(NameError::Digit);
    }
    Ok(())
}

fn is_allowed_in_arabic_name(c: char) -> bool {
    is_arabic_letter(c) || is_name_mark(c) || c == TATWEEL || c == ' ' || c == '-'
}

/// Whether `c` is a diacritic a name may carry: every Arabic diacritic except
/// the Quranic end-of-verse, section and prostration signs, which are symbols.
fn is_name_mark(c: char) -> bool {
    is_arabic_diacritic(c) && !matches!(c, '\u{06DD}' | '\u{06DE}' | '\u{06E9}')
}

fn is_allowed_in_latin_name(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '\'' | '.')
}

/// Whether `c` is a letter from one of the Arabic blocks (Arabic, Arabic
/// Supplement and the two presentation-form blocks). Digits, punctuation,
/// diacritics and tatweel are not letters.
fn is_arabic_letter(c: char) -> bool {
    let in_arabic_block = matches!(
        c,
        '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}'
    );
    in_arabic_block && c.is_alphabetic() && c != TATWEEL && !is_arabic_diacritic(c)
}

/// Whether `c` is an Arabic vowel mark, shadda, sukun, superscript alef or
/// Quranic annotation mark: the marks search ignores.
pub(super) fn is_arabic_diacritic(c: char) -> bool {
    matches!(
        c,
        '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}'
    )
}

/// Shows a refused character so an officer can find it: visible characters
/// in quotes, invisible ones by their code point.
fn describe_character(c: char) -> String {
    if c.is_whitespace() || c.is_control() || is_invisible_format_character(c) {
        format!("the invisible character U+{:04X}", u32::from(c))
    } else {
        format!("\u{201C}{c}\u{201D}")
    }
}

fn is_invisible_format_character(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_arabic(input: &str, expected: Result<&str, NameError>) {
        let actual = ArabicName::parse(input);
        assert_eq!(
            actual.as_ref().map(ArabicName::as_str),
            expected.as_ref().map(|s| *s),
            "parsing {input:?} as an Arabic name"
        );
    }

    #[test]
    fn arabic_names_are_tidied_and_checked() {
        check_arabic("أحمد", Ok("أحمد"));
        check_arabic("  عبد   الرحمن  ", Ok("عبد الرحمن"));
        check_arabic(
            "عبد\tالله",
            Err(NameError::ControlCharacter { character: '\t' }),
        );
        check_arabic("مُحَمَّد", Ok("مُحَمَّد"));
        check_arabic("محـــمد", Ok("محـــمد"));
        check_arabic("آل-حسن", Ok("آل-حسن"));
        check_arabic("کریم", Ok("کریم"));
        check_arabic("", Err(NameError::Empty));
        check_arabic(" \t\n ", Err(NameError::Empty));
        check_arabic("أحمد\n", Ok("أحمد"));
        check_arabic(
            "أحمد\nعلي",
            Err(NameError::ControlCharacter { character: '\n' }),
        );
        check_arabic(
            "\u{202E}أحمد",
            Err(NameError::ControlCharacter {
                character: '\u{202E}',
            }),
        );
        check_arabic("أحمد2", Err(NameError::Digit));
        check_arabic("أحمد٢", Err(NameError::Digit));
        check_arabic("أحمد۲", Err(NameError::Digit));
        check_arabic(
            "أحمد\u{0007}",
            Err(NameError::ControlCharacter {
                character: '\u{0007}',
            }),
        );
        check_arabic("Ahmad", Err(NameError::NoArabicLetter));
        check_arabic("ـــ", Err(NameError::NoArabicLetter));
        check_arabic("-", Err(NameError::NoArabicLetter));
        check_arabic("\u{064E}\u{0651}", Err(NameError::NoArabicLetter));
        check_arabic(
            "Ahmad أحمد",
            Err(NameError::NotAllowedInArabicName { character: 'A' }),
        );
        check_arabic(
            "أحمد، محمد",
            Err(NameError::NotAllowedInArabicName { character: '،' }),
        );
        check_arabic(
            "أحمد\u{200F}",
            Err(NameError::NotAllowedInArabicName {
                character: '\u{200F}',
            }),
        );
        check_arabic(
            "أحمد۞",
            Err(NameError::NotAllowedInArabicName { character: '۞' }),
        );
        check_arabic(&"م".repeat(100), Ok(&"م".repeat(100)));
        check_arabic(&"م".repeat(101), Err(NameError::TooLong));
        // Length is counted after whitespace is collapsed.
        let padded = format!("   {}   ", "م".repeat(100));
        check_arabic(&padded, Ok(&"م".repeat(100)));
    }

    fn check_latin(input: &str, expected: Result<&str, NameError>) {
        let actual = LatinName::parse(input);
        assert_eq!(
            actual.as_ref().map(LatinName::as_str),
            expected.as_ref().map(|s| *s),
            "parsing {input:?} as a Latin name"
        );
    }

    #[test]
    fn latin_names_are_tidied_and_checked() {
        check_latin("Ahmad", Ok("Ahmad"));
        check_latin("  Abd   al-Rahman ", Ok("Abd al-Rahman"));
        check_latin("O'Neil", Ok("O'Neil"));
        check_latin("St. John", Ok("St. John"));
        check_latin("", Err(NameError::Empty));
        check_latin("   ", Err(NameError::Empty));
        check_latin("Ali2", Err(NameError::Digit));
        check_latin(
            "Ali\u{0000}",
            Err(NameError::ControlCharacter { character: '\0' }),
        );
        check_latin("'.-", Err(NameError::NoLatinLetter));
        check_latin(
            "José",
            Err(NameError::NotAllowedInLatinName { character: 'é' }),
        );
        check_latin("أحمد", Err(NameError::NoLatinLetter));
        check_latin(
            "Ali_Hasan",
            Err(NameError::NotAllowedInLatinName { character: '_' }),
        );
        check_latin(&"a".repeat(100), Ok(&"a".repeat(100)));
        check_latin(&"a".repeat(101), Err(NameError::TooLong));
    }

    #[test]
    fn error_messages_read_as_sentences_for_an_officer() {
        let cases = [
            (NameError::Empty, "is empty"),
            (NameError::TooLong, "is longer than 100 characters"),
            (NameError::Digit, "contains a digit"),
            (NameError::NoArabicLetter, "contains no Arabic letter"),
            (
                NameError::NotAllowedInArabicName { character: 'A' },
                "contains \u{201C}A\u{201D}, which is not allowed in an Arabic name \
                 (use Arabic letters, spaces and hyphens)",
            ),
            (
                NameError::NotAllowedInArabicName {
                    character: '\u{200F}',
                },
                "contains the invisible character U+200F, which is not allowed in an \
                 Arabic name (use Arabic letters, spaces and hyphens)",
            ),
        ];
        for (error, message) in cases {
            assert_eq!(error.to_string(), message);
        }
    }

    #[test]
    fn names_serialise_as_plain_strings_and_deserialise_through_parse() {
        let name = ArabicName::parse(" فاطمة  الزهراء ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&name).ok(),
            Some("\"فاطمة الزهراء\"".to_string())
        );
        let back: ArabicName =
            serde_json::from_str("\"  فاطمة  الزهراء\"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, name);
        assert!(serde_json::from_str::<ArabicName>("\"Fatima\"").is_err());

        let latin = LatinName::parse("Fatima al-Zahra").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&latin).ok(),
            Some("\"Fatima al-Zahra\"".to_string())
        );
        assert_eq!(latin.to_string(), "Fatima al-Zahra");
        assert_eq!(name.to_string(), "فاطمة الزهراء");
        assert_eq!(name.search_form(), "فاطمه الزهرا");
    }

    proptest! {
        #[test]
        fn a_parsed_arabic_name_parses_to_itself(text in "\\PC{0,120}") {
            if let Ok(name) = ArabicName::parse(&text) {
                prop_assert_eq!(ArabicName::parse(name.as_str()), Ok(name.clone()));
            }
        }
    }
}
