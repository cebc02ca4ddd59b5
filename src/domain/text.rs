//! Free text as people type it: the characters no field may hold, and the
//! longest each kind of field may be. Every free-text field of the API, the
//! import, the portal and the command line is checked by [`check_text`],
//! so one rule holds everywhere and both databases see the same text.
//!
//! Refused in every field: the control characters (C0, U+0000–U+001F,
//! with NUL; DEL; C1, U+0080–U+009F) and the bidirectional embedding,
//! override and isolate characters (U+202A–U+202E, U+2066–U+2069), which
//! make text display in an order other than the one stored. A field of
//! several lines ([`Lines::Many`]: comments and reasons) may keep its line
//! ends, LF or CRLF; nothing else of C0, not even a tab. A field of one
//! line ([`Lines::One`]: names, places, purposes, everything else) keeps
//! none. Whitespace around a one-line value (a line end pasted after it)
//! is trimmed away before the check where the field is trimmed anyway.

use crate::domain::field_error::FieldError;
use crate::domain::words::fields;

/// Whether a field may hold several lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// Names, places, purposes, identifiers: no line end, no tab.
    One,
    /// Comments and reasons: LF and CRLF line ends are kept.
    Many,
}

/// The longest text, in characters, of each kind of free-text field.
pub mod limit {
    /// A personal name, Arabic or Latin (each of the four parts).
    pub const NAME: usize = 100;
    /// A place, such as a member's place of birth.
    pub const PLACE: usize = 100;
    /// An applicant's e-mail address (RFC 5321's longest path).
    pub const EMAIL: usize = 254;
    /// A reason given with an action (return, reject, exclude, withdraw).
    pub const REASON: usize = 2000;
    /// A comment on an action or on a decision about a possible duplicate.
    pub const COMMENT: usize = 2000;
    /// Why an agency asks the portal.
    pub const PURPOSE: usize = 500;
    /// The identity document of whoever collected a card.
    pub const DOCUMENT: usize = 100;
    /// A user's or an agency's name, and the name an import is recorded under.
    pub const ACCOUNT: usize = 64;
    /// The name of an imported file, as the audit trail records it.
    pub const FILE_NAME: usize = 200;
    /// A name typed to search the cases.
    pub const SEARCH: usize = 200;
    /// Any other value of an action's `fields`.
    pub const FIELD_VALUE: usize = 2000;
}

/// Whether `c` is refused in a field of `lines`. In [`Lines::Many`] a LF is
/// allowed, and a CR where a LF follows it (see [`forbidden_character`]).
fn is_forbidden(c: char, lines: Lines) -> bool {
    let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    let control = c.is_control() && !(lines == Lines::Many && c == '\n');
    bidi || control
}

/// The first character of `text` that a field of `lines` may not hold.
pub fn forbidden_character(text: &str, lines: Lines) -> Option<char> {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let crlf = lines == Lines::Many && c == '\r' && chars.peek() == Some(&'\n');
        if !crlf && is_forbidden(c, lines) {
            return Some(c);
        }
    }
    None
}

/// Checks one free-text field: no forbidden character, and at most
/// `max_chars` characters. `field` is the path the error names
/// (`members[0].birth_place`, `comment`, `purpose`, …).
pub fn check_text(
    field: &str,
    text: &str,
    lines: Lines,
    max_chars: usize,
) -> Result<(), FieldError> {
    if let Some(c) = forbidden_character(text, lines) {
        return Err(forbidden(field, c));
    }
    let length = text.chars().count();
    if length > max_chars {
        return Err(FieldError::said(field, fields::too_long(length, max_chars)));
    }
    Ok(())
}

/// The error for a forbidden character `c` in `field`.
pub fn forbidden(field: &str, c: char) -> FieldError {
    let code = format!("U+{:04X}", u32::from(c));
    FieldError::said(field, fields::invisible_character(&code))
}

/// `text` with each character no field accepts shown as its code point
/// (`<U+0000>`), for records that must keep refused input, such as the
/// portal's access log.
pub fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_forbidden(c, Lines::One) {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, lines: Lines, expected: Option<char>) {
        assert_eq!(
            forbidden_character(text, lines),
            expected,
            "{text:?} as {lines:?}"
        );
    }

    #[test]
    fn control_and_direction_characters_are_found_in_every_kind_of_field() {
        // (text, first character a one-line field refuses, first a many-line one refuses)
        let cases: &[(&str, Option<char>, Option<char>)] = &[
            ("القامشلي", None, None),
            ("Qamishli, Hasakah (north-east)", None, None),
            ("a\u{0}b", Some('\0'), Some('\0')),
            ("\u{1}", Some('\u{1}'), Some('\u{1}')),
            ("a\u{1F}", Some('\u{1F}'), Some('\u{1F}')),
            ("a\u{7F}", Some('\u{7F}'), Some('\u{7F}')),
            ("a\u{80}", Some('\u{80}'), Some('\u{80}')),
            ("a\u{85}", Some('\u{85}'), Some('\u{85}')),
            ("a\u{9F}", Some('\u{9F}'), Some('\u{9F}')),
            ("a\u{202A}b", Some('\u{202A}'), Some('\u{202A}')),
            ("a\u{202E}b", Some('\u{202E}'), Some('\u{202E}')),
            ("a\u{2066}b", Some('\u{2066}'), Some('\u{2066}')),
            ("a\u{2069}b", Some('\u{2069}'), Some('\u{2069}')),
            // A tab is refused everywhere; a line end only in a one-line field.
            ("a\tb", Some('\t'), Some('\t')),
            ("line one\nline two", Some('\n'), None),
            ("line one\r\nline two", Some('\r'), None),
            // A CR alone is not a line end.
            ("line one\rline two", Some('\r'), Some('\r')),
            ("ends in CR\r", Some('\r'), Some('\r')),
            // Marks that are not overrides or isolates stay allowed here
            // (names refuse them by their own rules).
            ("\u{200F}أحمد", None, None),
            ("\u{A0}no-break space", None, None),
        ];
        for (text, one, many) in cases {
            check(text, Lines::One, *one);
            check(text, Lines::Many, *many);
        }
    }

    #[test]
    fn a_refusal_names_the_field_and_the_character_in_both_languages() {
        let error = check_text("members[0].birth_place", "حلب\u{0}", Lines::One, 100)
            .expect_err("a NUL is refused");
        assert_eq!(error.field, "members[0].birth_place");
        assert!(error.message.contains("U+0000"), "{}", error.message);
        assert!(error.message_ar.contains("U+0000"), "{}", error.message_ar);
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(check_text("comment", &"م".repeat(2000), Lines::Many, 2000).is_ok());
        let error =
            check_text("comment", &"م".repeat(2001), Lines::Many, 2000).expect_err("too long");
        assert_eq!(error.field, "comment");
        assert!(error.message.contains("2001") && error.message.contains("2000"));
    }

    #[test]
    fn printable_shows_each_refused_character_by_its_code_point() {
        assert_eq!(printable("ok"), "ok");
        assert_eq!(printable("a\u{0}b\u{202E}"), "a<U+0000>b<U+202E>");
        assert_eq!(printable("a\nb"), "a<U+000A>b");
        assert_eq!(
            forbidden_character(&printable("\u{0}\u{9F}\t"), Lines::One),
            None
        );
    }
}
