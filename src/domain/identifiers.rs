//! Numbers that identify people and files: entries in the Hasakah
//! foreigners' register, national numbers, and our own reference numbers.
//!
//! Each type is parsed once from what an officer typed (Arabic-Indic and
//! Persian digits are accepted and stored as ASCII digits) and is kept in
//! its canonical written form, which is also how it is serialised.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize, Serializer};

use crate::domain::language::Text;
use crate::domain::words::fields;

/// The most digits a register book number has.
pub const MAX_BOOK_DIGITS: usize = 4;
/// The most digits a register entry number has.
pub const MAX_ENTRY_DIGITS: usize = 6;
/// The number of digits in a national number.
pub const NATIONAL_NUMBER_DIGITS: usize = 11;
/// The earliest year a reference number may carry.
pub const MIN_REFERENCE_YEAR: i32 = 2000;
/// The latest year a reference number may carry.
pub const MAX_REFERENCE_YEAR: i32 = 2100;
/// The largest sequence a reference number may carry.
pub const MAX_REFERENCE_SEQUENCE: u32 = 999_999;

/// An entry in the Hasakah foreigners' register, written `BOOK/ENTRY`: a
/// book of 1 to 4 digits and an entry of 1 to 6 digits, such as `1203/45877`.
/// Leading zeros are kept as typed, because the register writes them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct RegisterNumber {
    text: String,
    slash: usize,
}

impl RegisterNumber {
    /// Parses `BOOK/ENTRY`, allowing surrounding spaces, spaces around the
    /// slash, and Arabic-Indic or Persian digits.
    pub fn parse(text: &str) -> Result<RegisterNumber, IdentifierError> {
        let folded = fold_digits(text.trim());
        if folded.is_empty() {
            return Err(IdentifierError::Empty);
        }
        let (book, entry) = folded
            .split_once('/')
            .map(|(book, entry)| (book.trim(), entry.trim()))
            .ok_or(IdentifierError::RegisterNumberForm)?;
        if !is_digits(book, 1..=MAX_BOOK_DIGITS) || !is_digits(entry, 1..=MAX_ENTRY_DIGITS) {
            return Err(IdentifierError::RegisterNumberForm);
        }
        Ok(RegisterNumber {
            text: format!("{book}/{entry}"),
            slash: book.len(),
        })
    }

    /// The canonical form, `BOOK/ENTRY`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The book number, as written (leading zeros kept).
    pub fn book(&self) -> &str {
        &self.text[..self.slash]
    }

    /// The entry number within the book, as written (leading zeros kept).
    pub fn entry(&self) -> &str {
        &self.text[self.slash + 1..]
    }
}

/// A Syrian national number: exactly 11 digits, the first of which is not 0.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct NationalNumber(String);

impl NationalNumber {
    /// Parses a national number, allowing surrounding spaces and
    /// Arabic-Indic or Persian digits.
    pub fn parse(text: &str) -> Result<NationalNumber, IdentifierError> {
        let folded = fold_digits(text.trim());
        if folded.is_empty() {
            return Err(IdentifierError::Empty);
        }
        if !folded.chars().all(|c| c.is_ascii_digit()) {
            return Err(IdentifierError::NationalNumberNotDigits);
        }
        if folded.len() != NATIONAL_NUMBER_DIGITS {
            return Err(IdentifierError::NationalNumberLength {
                found: folded.len(),
            });
        }
        if folded.starts_with('0') {
            return Err(IdentifierError::NationalNumberLeadingZero);
        }
        Ok(NationalNumber(folded))
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A reference number this system gives an application, such as
/// `HSK-2011-000123`: a 3-letter office or province code, the year, and a
/// sequence from 1 to 999999 written with 6 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct ReferenceNumber {
    text: String,
    year: i32,
    sequence: u32,
}

impl ReferenceNumber {
    /// Builds a reference number from its parts.
    pub fn new(prefix: &str, year: i32, sequence: u32) -> Result<ReferenceNumber, IdentifierError> {
        if prefix.len() != 3 || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(IdentifierError::ReferencePrefix {
                prefix: prefix.to_string(),
            });
        }
        if !(MIN_REFERENCE_YEAR..=MAX_REFERENCE_YEAR).contains(&year) {
            return Err(IdentifierError::ReferenceYear { year });
        }
        if !(1..=MAX_REFERENCE_SEQUENCE).contains(&sequence) {
            return Err(IdentifierError::ReferenceSequence { sequence });
        }
        Ok(ReferenceNumber {
            text: format!("{prefix}-{year:04}-{sequence:06}"),
            year,
            sequence,
        })
    }

    /// Parses `PREFIX-YEAR-SEQUENCE`, allowing surrounding spaces, a
    /// lowercase prefix and Arabic-Indic or Persian digits. The sequence must
    /// be written with exactly 6 digits.
    pub fn parse(text: &str) -> Result<ReferenceNumber, IdentifierError> {
        let folded = fold_digits(text.trim()).to_ascii_uppercase();
        if folded.is_empty() {
            return Err(IdentifierError::Empty);
        }
        let mut parts = folded.split('-');
        let (Some(prefix), Some(year), Some(sequence), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(IdentifierError::ReferenceForm);
        };
        if !is_digits(year, 4..=4) || !is_digits(sequence, 6..=6) {
            return Err(IdentifierError::ReferenceForm);
        }
        let year = year
            .parse::<i32>()
            .map_err(|_| IdentifierError::ReferenceForm)?;
        let sequence = sequence
            .parse::<u32>()
            .map_err(|_| IdentifierError::ReferenceForm)?;
        ReferenceNumber::new(prefix, year, sequence)
    }

    /// The canonical form, such as `HSK-2011-000123`.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The 3-letter office or province code.
    pub fn prefix(&self) -> &str {
        &self.text[..3]
    }

    /// The year the number was given in.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The sequence within the office and year.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

/// Why an identifier was refused. Each message completes a sentence that
/// starts with the field's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdentifierError {
    Empty,
    RegisterNumberForm,
    NationalNumberNotDigits,
    NationalNumberLength { found: usize },
    NationalNumberLeadingZero,
    ReferenceForm,
    ReferencePrefix { prefix: String },
    ReferenceYear { year: i32 },
    ReferenceSequence { sequence: u32 },
}

impl IdentifierError {
    /// The message in both languages.
    pub fn said(&self) -> Text {
        match self {
            IdentifierError::Empty => fields::EMPTY.text(),
            IdentifierError::RegisterNumberForm => fields::REGISTER_NUMBER_FORM.text(),
            IdentifierError::NationalNumberNotDigits => fields::NATIONAL_NUMBER_NOT_DIGITS.text(),
            IdentifierError::NationalNumberLength { found } => {
                fields::national_number_length(*found)
            }
            IdentifierError::NationalNumberLeadingZero => {
                fields::NATIONAL_NUMBER_LEADING_ZERO.text()
            }
            IdentifierError::ReferenceForm => fields::REFERENCE_FORM.text(),
            IdentifierError::ReferencePrefix { prefix } => fields::reference_prefix(prefix),
            IdentifierError::ReferenceYear { year } => fields::reference_year(*year),
            IdentifierError::ReferenceSequence { sequence } => {
                fields::reference_sequence(*sequence)
            }
        }
    }

    /// The message in Arabic.
    pub fn arabic(&self) -> String {
        self.said().ar
    }
}

impl fmt::Display for IdentifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.said().en)
    }
}

impl std::error::Error for IdentifierError {}

macro_rules! string_identifier_impls {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdentifierError;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl FromStr for $name {
            type Err = IdentifierError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s)
            }
        }
    };
}

string_identifier_impls!(RegisterNumber);
string_identifier_impls!(NationalNumber);
string_identifier_impls!(ReferenceNumber);

/// Replaces Arabic-Indic (٠-٩) and Persian (۰-۹) digits with ASCII digits.
fn fold_digits(text: &str) -> String {
    text.chars()
        .map(|c| {
            let offset = match c {
                '\u{0660}'..='\u{0669}' => u32::from(c) - 0x0660,
                '\u{06F0}'..='\u{06F9}' => u32::from(c) - 0x06F0,
                _ => return c,
            };
            char::from_digit(offset, 10).unwrap_or(c)
        })
        .collect()
}

/// Whether `text` is only ASCII digits and its length is in `lengths`.
fn is_digits(text: &str, lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_register(input: &str, expected: Result<&str, IdentifierError>) {
        let actual = RegisterNumber::parse(input);
        assert_eq!(
            actual.as_ref().map(RegisterNumber::as_str),
            expected.as_ref().map(|s| *s),
            "parsing {input:?} as a register number"
        );
    }

    #[test]
    fn register_numbers_are_book_slash_entry() {
        check_register("1203/45877", Ok("1203/45877"));
        check_register("  1203/45877 ", Ok("1203/45877"));
        check_register("1203 / 45877", Ok("1203/45877"));
        check_register("١٢٠٣/٤٥٨٧٧", Ok("1203/45877"));
        check_register("۱۲۰۳/۴۵۸۷۷", Ok("1203/45877"));
        check_register("1/1", Ok("1/1"));
        check_register("0012/000345", Ok("0012/000345"));
        check_register("9999/999999", Ok("9999/999999"));
        check_register("", Err(IdentifierError::Empty));
        check_register("   ", Err(IdentifierError::Empty));
        check_register("12345/1", Err(IdentifierError::RegisterNumberForm));
        check_register("1/1234567", Err(IdentifierError::RegisterNumberForm));
        check_register("1203", Err(IdentifierError::RegisterNumberForm));
        check_register("1203/", Err(IdentifierError::RegisterNumberForm));
        check_register("/45877", Err(IdentifierError::RegisterNumberForm));
        check_register("1203/45/877", Err(IdentifierError::RegisterNumberForm));
        check_register("1203-45877", Err(IdentifierError::RegisterNumberForm));
        check_register("12 03/45877", Err(IdentifierError::RegisterNumberForm));
        check_register("+123/45", Err(IdentifierError::RegisterNumberForm));
        check_register("a123/45", Err(IdentifierError::RegisterNumberForm));
    }

    #[test]
    fn register_numbers_expose_book_and_entry() {
        let number = RegisterNumber::parse("٠١٢/٣٤٥").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(number.book(), "012");
        assert_eq!(number.entry(), "345");
        assert_eq!(number.to_string(), "012/345");
    }

    fn check_national(input: &str, expected: Result<&str, IdentifierError>) {
        let actual = NationalNumber::parse(input);
        assert_eq!(
            actual.as_ref().map(NationalNumber::as_str),
            expected.as_ref().map(|s| *s),
            "parsing {input:?} as a national number"
        );
    }

    #[test]
    fn national_numbers_are_eleven_digits_not_starting_with_zero() {
        check_national("12345678901", Ok("12345678901"));
        check_national(" 12345678901\n", Ok("12345678901"));
        check_national("١٢٣٤٥٦٧٨٩٠١", Ok("12345678901"));
        check_national("۱۲۳۴۵۶۷۸۹۰۱", Ok("12345678901"));
        check_national("", Err(IdentifierError::Empty));
        check_national(
            "01234567890",
            Err(IdentifierError::NationalNumberLeadingZero),
        );
        check_national(
            "1234567890",
            Err(IdentifierError::NationalNumberLength { found: 10 }),
        );
        check_national(
            "123456789012",
            Err(IdentifierError::NationalNumberLength { found: 12 }),
        );
        check_national("1234567890a", Err(IdentifierError::NationalNumberNotDigits));
        check_national(
            "123 456 789 01",
            Err(IdentifierError::NationalNumberNotDigits),
        );
        check_national("-1234567890", Err(IdentifierError::NationalNumberNotDigits));
    }

    fn check_reference(input: &str, expected: Result<&str, IdentifierError>) {
        let actual = ReferenceNumber::parse(input);
        assert_eq!(
            actual.as_ref().map(ReferenceNumber::as_str),
            expected.as_ref().map(|s| *s),
            "parsing {input:?} as a reference number"
        );
    }

    #[test]
    fn reference_numbers_are_prefix_year_sequence() {
        check_reference("HSK-2011-000123", Ok("HSK-2011-000123"));
        check_reference(" hsk-2011-000123 ", Ok("HSK-2011-000123"));
        check_reference("HSK-٢٠١١-٠٠٠١٢٣", Ok("HSK-2011-000123"));
        check_reference("DAM-2000-999999", Ok("DAM-2000-999999"));
        check_reference("ALP-2100-000001", Ok("ALP-2100-000001"));
        check_reference("", Err(IdentifierError::Empty));
        check_reference("HSK-2011-123", Err(IdentifierError::ReferenceForm));
        check_reference("HSK-2011-0000123", Err(IdentifierError::ReferenceForm));
        check_reference("HSK-11-000123", Err(IdentifierError::ReferenceForm));
        check_reference("HSK2011000123", Err(IdentifierError::ReferenceForm));
        check_reference("HSK-2011-000123-1", Err(IdentifierError::ReferenceForm));
        check_reference("HSK-2011-+00123", Err(IdentifierError::ReferenceForm));
        check_reference(
            "HS-2011-000123",
            Err(IdentifierError::ReferencePrefix {
                prefix: "HS".to_string(),
            }),
        );
        check_reference(
            "H5K-2011-000123",
            Err(IdentifierError::ReferencePrefix {
                prefix: "H5K".to_string(),
            }),
        );
        check_reference(
            "HSK-1999-000123",
            Err(IdentifierError::ReferenceYear { year: 1999 }),
        );
        check_reference(
            "HSK-2101-000123",
            Err(IdentifierError::ReferenceYear { year: 2101 }),
        );
        check_reference(
            "HSK-2011-000000",
            Err(IdentifierError::ReferenceSequence { sequence: 0 }),
        );
    }

    #[test]
    fn reference_numbers_are_built_from_their_parts() {
        let cases: [(&str, i32, u32, Result<&str, IdentifierError>); 6] = [
            ("HSK", 2011, 123, Ok("HSK-2011-000123")),
            ("DAM", 2026, 999_999, Ok("DAM-2026-999999")),
            (
                "hsk",
                2011,
                1,
                Err(IdentifierError::ReferencePrefix {
                    prefix: "hsk".into(),
                }),
            ),
            (
                "HSKA",
                2011,
                1,
                Err(IdentifierError::ReferencePrefix {
                    prefix: "HSKA".into(),
                }),
            ),
            (
                "HSK",
                2011,
                1_000_000,
                Err(IdentifierError::ReferenceSequence {
                    sequence: 1_000_000,
                }),
            ),
            (
                "HSK",
                -5,
                1,
                Err(IdentifierError::ReferenceYear { year: -5 }),
            ),
        ];
        for (prefix, year, sequence, expected) in cases {
            let actual = ReferenceNumber::new(prefix, year, sequence);
            assert_eq!(
                actual.as_ref().map(ReferenceNumber::as_str),
                expected.as_ref().map(|s| *s),
                "building {prefix} {year} {sequence}"
            );
        }
        let number = ReferenceNumber::new("RAQ", 2026, 42).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(number.prefix(), "RAQ");
        assert_eq!(number.year(), 2026);
        assert_eq!(number.sequence(), 42);
        assert_eq!(number.to_string(), "RAQ-2026-000042");
    }

    #[test]
    fn identifiers_serialise_as_strings_and_deserialise_through_parse() {
        let register: RegisterNumber =
            serde_json::from_str("\" ١٢٠٣ / ٤٥٨٧٧ \"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&register).ok().as_deref(),
            Some("\"1203/45877\"")
        );

        let national: NationalNumber =
            serde_json::from_str("\"12345678901\"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&national).ok().as_deref(),
            Some("\"12345678901\"")
        );

        let reference: ReferenceNumber =
            serde_json::from_str("\"hsk-2011-000123\"").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            serde_json::to_string(&reference).ok().as_deref(),
            Some("\"HSK-2011-000123\"")
        );

        let refused = serde_json::from_str::<NationalNumber>("\"0123\"");
        let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("must have exactly 11 digits"), "{message}");
    }

    #[test]
    fn error_messages_name_the_expected_form() {
        assert!(
            IdentifierError::RegisterNumberForm
                .to_string()
                .contains("expected BOOK/ENTRY, for example 1203/45877")
        );
        assert!(
            IdentifierError::ReferenceForm
                .to_string()
                .contains("expected PREFIX-YEAR-SEQUENCE, for example HSK-2011-000123")
        );
    }

    proptest! {
        #[test]
        fn a_register_number_round_trips_through_its_canonical_form(
            book in "[0-9]{1,4}", entry in "[0-9]{1,6}"
        ) {
            let typed = format!(" {book} / {entry} ");
            let canonical = format!("{book}/{entry}");
            let parsed = RegisterNumber::parse(&typed);
            prop_assert_eq!(parsed.as_ref().map(RegisterNumber::as_str), Ok(canonical.as_str()));
            if let Ok(number) = parsed {
                prop_assert_eq!(RegisterNumber::parse(number.as_str()), Ok(number.clone()));
            }
        }

        #[test]
        fn a_reference_number_round_trips_through_its_canonical_form(
            prefix in "[A-Z]{3}", year in 2000i32..=2100, sequence in 1u32..=999_999
        ) {
            let built = ReferenceNumber::new(&prefix, year, sequence);
            prop_assert!(built.is_ok());
            if let Ok(number) = built {
                prop_assert_eq!(ReferenceNumber::parse(number.as_str()), Ok(number.clone()));
            }
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(text in "\\PC{0,30}") {
            let _ = RegisterNumber::parse(&text);
            let _ = NationalNumber::parse(&text);
            let _ = ReferenceNumber::parse(&text);
        }
    }
}
