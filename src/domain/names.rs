//! Personal names as officers type them at the counter, and the normalised
//! form used to search for them.
//!
//! Arabic names are kept exactly as typed (after tidying whitespace), so a
//! printed card shows the spelling the family gave. Search never compares
//! those spellings directly: it compares [`normalise_for_search`] forms, in
//! which the common spelling variants of one name (أحمد / احمد, فاطمة /
//! فاطمه, مصطفى / مصطفي, vowel marks, tatweel) become the same text.

use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use crate::domain::text::{Lines, forbidden_character};

/// The longest name, in characters, that either name type accepts.
pub const MAX_NAME_CHARS: usize = 100;

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
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {MAX_NAME_CHARS} characters")]
    TooLong,
    #[error(
        "contains {}, a control or text-direction character that no field accepts (remove it)",
        describe_character(*.character)
    )]
    ControlCharacter { character: char },
    #[error("contains a digit")]
    Digit,
    #[error("contains no Arabic letter")]
    NoArabicLetter,
    #[error("contains no Latin letter")]
    NoLatinLetter,
    #[error(
        "contains {}, which is not allowed in an Arabic name (use Arabic letters, spaces and hyphens)",
        describe_character(*.character)
    )]
    NotAllowedInArabicName { character: char },
    #[error(
        "contains {}, which is not allowed in a Latin name (use the letters A to Z, spaces, hyphens, apostrophes and periods)",
        describe_character(*.character)
    )]
    NotAllowedInLatinName { character: char },
}

impl NameError {
    /// The same message in Arabic.
    pub fn arabic(&self) -> String {
        match self {
            NameError::Empty => "فارغ".into(),
            NameError::TooLong => format!("أطول من {MAX_NAME_CHARS} محرفاً"),
            NameError::ControlCharacter { character } => format!(
                "يحوي {}، وهو محرف تحكم أو محرف اتجاه نص لا يقبله أي حقل (احذفه)",
                describe_character(*character)
            ),
            NameError::Digit => "يحوي رقماً".into(),
            NameError::NoArabicLetter => "لا يحوي أي حرف عربي".into(),
            NameError::NoLatinLetter => "لا يحوي أي حرف لاتيني".into(),
            NameError::NotAllowedInArabicName { character } => format!(
                "يحوي {} وهو غير مسموح في الاسم العربي (استخدم الحروف العربية والمسافات والشرطات)",
                describe_character(*character)
            ),
            NameError::NotAllowedInLatinName { character } => format!(
                "يحوي {} وهو غير مسموح في الاسم اللاتيني (استخدم الحروف A إلى Z والمسافات والشرطات)",
                describe_character(*character)
            ),
        }
    }
}

/// The version of [`normalise_for_search`]'s folding. The search forms of
/// stored names were made by some version of it; whenever a change makes it
/// give another form for some name, this number goes up, and
/// `app::system::migrate` refolds the stored names (version 1 had the Arabic
/// rules, version 2 added the Kurdish letters).
pub const FOLDING_VERSION: i32 = 2;

/// Turns text into the form used to compare names when searching, so that
/// the usual ways of spelling one Arabic or Kurdish name give the same
/// result.
///
/// The folding is: the hamza forms of alef (أ إ آ ٱ) become ا; taa marbuta ة
/// becomes ه; alef maqsura ى becomes ي; hamza on waw ؤ becomes و and on yaa
/// ئ becomes ي; a lone hamza ء is removed; tatweel and all Arabic diacritics
/// are removed; Arabic-Indic and Persian digits become ASCII digits; the
/// Persian and Kurdish forms of yeh, keheh and heh become their Arabic
/// letters; the Kurdish letters become the Arabic letters a clerk types for
/// them (ڤ ف, چ ج, گ ك, پ ب, ژ ز, ڕ ر, ڵ ل, ۆ and ۇ و, ێ ي, ە ه); a word
/// that begins with the hamza seat ئ, as Kurdish writes a word beginning
/// with a vowel, begins with ا instead (ئازاد is ازاد, as آزاد is); letters
/// are lowercased; whitespace is collapsed and trimmed. Applying it twice
/// gives the same text as applying it once.
pub fn normalise_for_search(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    // Whether no letter of the current word has been written yet, and
    // whether the word began with a hamza seat already written as alef.
    let mut at_word_start = true;
    let mut after_initial_seat = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            folded.push(' ');
            at_word_start = true;
            after_initial_seat = false;
            continue;
        }
        let seat =
            c == YEH_WITH_HAMZA || (is_yeh(c) && chars.peek() == Some(&COMBINING_HAMZA_ABOVE));
        if at_word_start && seat {
            folded.push(ALEF);
            at_word_start = false;
            after_initial_seat = true;
            continue;
        }
        let folded_char = fold_for_search(c);
        let is_alef = c == ALEF || matches!(folded_char, Folded::Char(ALEF));
        if after_initial_seat && is_alef {
            // An alef after the word's initial seat is the seat's own vowel.
            after_initial_seat = false;
            continue;
        }
        match folded_char {
            Folded::Drop => continue,
            Folded::Char(mapped) => folded.push(mapped),
            Folded::Lowercase => folded.extend(c.to_lowercase()),
        }
        at_word_start = false;
        after_initial_seat = false;
    }
    join_compounds(collapse_whitespace(&folded))
}

/// The first word of the compound names written both joined and apart
/// (عبد الله / عبدالله): its search form is joined to the next word.
const COMPOUND_HEAD: &str = "عبد";

fn join_compounds(text: String) -> String {
    if !text.contains("عبد ") {
        return text;
    }
    let mut joined = String::with_capacity(text.len());
    let mut words = text.split(' ').peekable();
    while let Some(word) = words.next() {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(word);
        if word == COMPOUND_HEAD
            && let Some(next) = words.next()
        {
            joined.push_str(next);
        }
    }
    joined
}

/// The most words a name search may hold: enough for three compound name
/// parts, few enough that the ways of reading them stay a short list.
pub const MAX_SEARCH_WORDS: usize = 6;

/// One way of reading what an officer typed as the parts of a name, each in
/// search form. A part left `None` is not constrained.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartsQuery {
    pub first: Option<String>,
    pub father: Option<String>,
    pub family: Option<String>,
}

/// Every way of reading `typed` as whole name parts, in any order: the
/// words (after normalisation) are cut into one to three runs, and each run
/// is taken as the first, the father's or the family name, each part at
/// most once. So "الحسن محمد" finds محمد ... الحسن whichever part each word
/// is, and "محمد احمد الحسن" finds the person whose three parts those are in
/// any order. Empty when nothing searchable was typed.
pub fn parts_queries(typed: &str) -> Vec<PartsQuery> {
    let normalised = normalise_for_search(typed);
    let words: Vec<&str> = normalised.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out = std::collections::BTreeSet::new();
    let n = words.len();
    if n == 0 || n > MAX_SEARCH_WORDS {
        return Vec::new();
    }
    // Each bit of `cuts` says whether a run ends after that word.
    for cuts in 0u32..(1 << (n - 1)) {
        if cuts.count_ones() > 2 {
            continue;
        }
        let mut runs: Vec<String> = vec![String::new()];
        for (i, word) in words.iter().enumerate() {
            let run = runs.last_mut().expect("at least one run");
            if !run.is_empty() {
                run.push(' ');
            }
            run.push_str(word);
            if i + 1 < n && cuts & (1 << i) != 0 {
                runs.push(String::new());
            }
        }
        for parts in assignments(runs.len()) {
            let mut query = PartsQuery::default();
            for (run, part) in runs.iter().zip(parts) {
                let slot = match part {
                    0 => &mut query.first,
                    1 => &mut query.father,
                    _ => &mut query.family,
                };
                *slot = Some(run.clone());
            }
            out.insert(query);
        }
    }
    out.into_iter().collect()
}

/// The injective maps from `k` runs to the three parts (0 first, 1 father,
/// 2 family).
fn assignments(k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    for a in 0..3 {
        if k == 1 {
            out.push(vec![a]);
            continue;
        }
        for b in (0..3).filter(|&b| b != a) {
            if k == 2 {
                out.push(vec![a, b]);
                continue;
            }
            for c in (0..3).filter(|&c| c != a && c != b) {
                out.push(vec![a, b, c]);
            }
        }
    }
    out
}

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

/// What search normalisation does with one character.
enum Folded {
    Drop,
    Char(char),
    Lowercase,
}

const TATWEEL: char = '\u{0640}';
const ALEF: char = '\u{0627}';
const YEH_WITH_HAMZA: char = '\u{0626}';
const COMBINING_HAMZA_ABOVE: char = '\u{0654}';

/// Whether `c` is a yeh that a combining hamza above turns into the hamza
/// seat ئ: the Arabic, Farsi and Kurdish yehs.
fn is_yeh(c: char) -> bool {
    matches!(c, '\u{064A}' | '\u{06CC}' | '\u{0649}')
}

fn fold_for_search(c: char) -> Folded {
    match c {
        // Alef with hamza above or below, with madda, with wasla, and the
        // rarer wavy-hamza and high-hamza alefs.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}'
        | '\u{0675}' => Folded::Char(ALEF),
        // Taa marbuta, and the Persian, Urdu and Kurdish forms of heh (the
        // Kurdish ە is the vowel a clerk writes as ه).
        '\u{0629}' | '\u{06BE}' | '\u{06C0}' | '\u{06C1}' | '\u{06D5}' => Folded::Char('\u{0647}'),
        // Alef maqsura, yeh with hamza, the Persian yeh and the Kurdish ێ.
        '\u{0649}' | '\u{0626}' | '\u{06CC}' | '\u{06CE}' => Folded::Char('\u{064A}'),
        // Waw with hamza above, and the Kurdish vowels ۆ (o) and ۇ (u).
        '\u{0624}' | '\u{06C6}' | '\u{06C7}' => Folded::Char('\u{0648}'),
        // Keheh, the Persian kaf, and the Kurdish and Persian gaf گ.
        '\u{06A9}' | '\u{06AF}' => Folded::Char('\u{0643}'),
        // The Kurdish ڤ (v), written ف in Arabic letters.
        '\u{06A4}' => Folded::Char('\u{0641}'),
        // چ (ch), written ج.
        '\u{0686}' => Folded::Char('\u{062C}'),
        // پ (p), written ب.
        '\u{067E}' => Folded::Char('\u{0628}'),
        // ژ (zh), written ز.
        '\u{0698}' => Folded::Char('\u{0632}'),
        // The rolled ڕ, in both of the forms keyboards give it, written ر.
        '\u{0695}' | '\u{0692}' => Folded::Char('\u{0631}'),
        // The velarised ڵ, written ل.
        '\u{06B5}' => Folded::Char('\u{0644}'),
        // A lone hamza and a high hamza carry no letter of their own.
        '\u{0621}' | '\u{0674}' => Folded::Drop,
        c if c == TATWEEL || is_arabic_diacritic(c) => Folded::Drop,
        c => match eastern_digit_value(c) {
            Some(value) => Folded::Char(char::from(b'0' + value)),
            None => Folded::Lowercase,
        },
    }
}

/// Trims the text and replaces every run of whitespace with one space.
fn collapse_whitespace(text: &str) -> String {
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
fn is_arabic_diacritic(c: char) -> bool {
    matches!(
        c,
        '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}'
    )
}

/// The value of an Arabic-Indic (٠-٩) or Persian (۰-۹) digit.
fn eastern_digit_value(c: char) -> Option<u8> {
    let value = match c {
        '\u{0660}'..='\u{0669}' => u32::from(c) - 0x0660,
        '\u{06F0}'..='\u{06F9}' => u32::from(c) - 0x06F0,
        _ => return None,
    };
    u8::try_from(value).ok()
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

    fn check(input: &str, expected: &str) {
        assert_eq!(
            normalise_for_search(input),
            expected,
            "normalising {input:?}"
        );
    }

    #[test]
    fn search_normalisation_makes_spelling_variants_equal() {
        // Hamza forms of alef.
        check("أحمد", "احمد");
        check("احمد", "احمد");
        check("إحمد", "احمد");
        check("إبراهيم", "ابراهيم");
        check("آمنة", "امنه");
        check("ٱلله", "الله");
        // Taa marbuta.
        check("فاطمة", "فاطمه");
        check("فاطمه", "فاطمه");
        // Alef maqsura.
        check("مصطفى", "مصطفي");
        check("مصطفي", "مصطفي");
        check("موسى", "موسي");
        // Hamza on yaa and on waw.
        check("عائشة", "عايشه");
        check("عايشة", "عايشه");
        check("مؤمن", "مومن");
        check("مومن", "مومن");
        // A lone hamza disappears.
        check("علاء", "علا");
        check("آلاء", "الا");
        // Tatweel and diacritics.
        check("محـــمد", "محمد");
        check("مُحَمَّد", "محمد");
        check("عَبْدُ الرَّحْمٰن", "عبدالرحمن");
        // Compound names written apart or joined.
        check("عبد الله", "عبدالله");
        check("عبدالله", "عبدالله");
        check("محمد عبد  الكريم الحسن", "محمد عبدالكريم الحسن");
        check("عبد", "عبد");
        // Hamza written as a combining mark is the same as the precomposed letter.
        check("\u{0627}\u{0654}\u{062D}\u{0645}\u{062F}", "احمد");
        // Digits.
        check("١٢٣", "123");
        check("۱۲۳", "123");
        check("0123456789", "0123456789");
        check("١٢٠٣/٤٥٨٧٧", "1203/45877");
        // Persian and Kurdish letter forms.
        check("کریم", "كريم");
        check("ھەژار", "ههزار");
        // Latin case and whitespace.
        check("  Ahmad   AL-Hasan ", "ahmad al-hasan");
        check("أحمد\t\tمحمد\nعلي", "احمد محمد علي");
        check("", "");
        check("   ", "");
        // A word made only of removed marks leaves no empty word behind.
        check("احمد ء محمد", "احمد محمد");
    }

    /// Two spellings, whether search must take them for one name, and why.
    const SPELLINGS: &[(&str, &str, bool, &str)] = &[
        // The Kurdish letters and the Arabic letters a clerk types for them.
        ("ڤيان", "فيان", true, "ڤ (v) is typed ف"),
        ("چيا", "جيا", true, "چ (ch) is typed ج"),
        ("گولي", "كولي", true, "گ (g) is typed ك"),
        ("گولی", "كولي", true, "گ is typed ك and the Persian ی is ي"),
        ("پيروز", "بيروز", true, "پ (p) is typed ب"),
        ("ژيان", "زيان", true, "ژ (zh) is typed ز"),
        ("ڕۆژ", "روز", true, "ڕ, ۆ and ژ are typed ر, و and ز"),
        ("دڵشاد", "دلشاد", true, "ڵ (the dark l) is typed ل"),
        ("شێرین", "شيرين", true, "ێ and ی are typed ي"),
        (
            "هەڤال",
            "هفال",
            false,
            "ە is a vowel the Arabic spelling leaves out: not folded away",
        ),
        ("هەڤال", "ههفال", true, "ە is typed ه"),
        ("کاوە", "كاوه", true, "the Persian ک is ك and ە is ه"),
        ("ھۇزان", "هوزان", true, "the Urdu ھ is ه and ۇ is و"),
        (
            "ئازاد",
            "آزاد",
            true,
            "a word beginning with a vowel: the seat ئ as Kurdish writes it, آ in Arabic",
        ),
        (
            "ئازاد",
            "ازاد",
            true,
            "the seat ئ before alef is the alef itself",
        ),
        (
            "ئاراس",
            "اراس",
            true,
            "the seat ئ at the start of a word is alef",
        ),
        ("عائشة", "عايشه", true, "ئ inside a word is still yeh"),
        (
            "\u{064A}\u{0654}ازاد",
            "ئازاد",
            true,
            "the seat written as yeh and a combining hamza",
        ),
        // The Arabic rules are kept.
        ("أحمد", "احمد", true, "alef with hamza is alef"),
        ("فاطمة", "فاطمه", true, "taa marbuta is heh"),
        ("مصطفى", "مصطفي", true, "alef maqsura is yeh"),
        (
            "عبد الله",
            "عبدالله",
            true,
            "a compound name joined or apart",
        ),
        // Distinct names stay distinct.
        ("محمد", "محمود", false, "محمود has a waw: another name"),
        ("حسن", "حسين", false, "حسين has a yeh: another name"),
        (
            "علي",
            "عالي",
            false,
            "an alef inside a word is a letter of its own",
        ),
        ("كريم", "كرم", false, "كريم has a yeh: another name"),
        ("جيا", "جا", false, "no letter is dropped"),
        (
            "فيان",
            "بيان",
            false,
            "ف and ب stay apart: only پ folds to ب",
        ),
        ("زيان", "ريان", false, "ز and ر stay apart"),
        ("ئازاد", "يازاد", false, "the initial seat is not yeh"),
        ("شيرين", "شرين", false, "ێ folds to ي, it is not dropped"),
    ];

    #[test]
    fn spellings_of_one_name_fold_together_and_distinct_names_stay_apart() {
        for &(a, b, same, reason) in SPELLINGS {
            let (fa, fb) = (normalise_for_search(a), normalise_for_search(b));
            assert_eq!(
                fa == fb,
                same,
                "{a} ({fa}) and {b} ({fb}) should {}be one name: {reason}",
                if same { "" } else { "not " }
            );
        }
    }

    #[test]
    fn a_search_typed_in_arabic_letters_reads_kurdish_name_parts() {
        let query = parts_queries("فيان جيا");
        assert!(query.contains(&PartsQuery {
            first: part("فيان"),
            family: part("جيا"),
            ..Default::default()
        }));
        let stored = normalise_for_search("ڤیان");
        assert_eq!(stored, "فيان");
    }

    fn part(text: &str) -> Option<String> {
        Some(text.to_string())
    }

    #[test]
    fn a_typed_name_is_read_as_whole_parts_in_any_order() {
        let one = parts_queries("أحمد");
        assert_eq!(one.len(), 3, "{one:?}");
        assert!(one.contains(&PartsQuery {
            family: part("احمد"),
            ..Default::default()
        }));
        // Two words: as two parts (6 ways) or as one compound part (3 ways).
        let two = parts_queries("الحسن  محمد");
        assert_eq!(two.len(), 9, "{two:?}");
        assert!(two.contains(&PartsQuery {
            first: part("محمد"),
            family: part("الحسن"),
            ..Default::default()
        }));
        assert!(two.contains(&PartsQuery {
            father: part("الحسن محمد"),
            ..Default::default()
        }));
        // Three words in any order match the three parts.
        let three = parts_queries("الحسن فاطمة أحمد");
        assert!(three.contains(&PartsQuery {
            first: part("فاطمه"),
            father: part("احمد"),
            family: part("الحسن"),
        }));
        // A compound part typed apart is one word of the search form.
        let compound = parts_queries("عبد الله خليل");
        assert!(compound.contains(&PartsQuery {
            first: part("عبدالله"),
            family: part("خليل"),
            ..Default::default()
        }));
        assert!(parts_queries("  ").is_empty());
        assert!(parts_queries("ا ب ت ث ج ح خ").is_empty(), "too many words");
        assert_eq!(parts_queries("ا ب ت ث ج ح").len(), 10 * 6 + 5 * 6 + 3);
    }

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
        fn normalising_twice_changes_nothing(text in "\\PC{0,40}") {
            let once = normalise_for_search(&text);
            prop_assert_eq!(normalise_for_search(&once), once);
        }

        #[test]
        fn normalising_arabic_text_twice_changes_nothing(
            text in "[\u{0600}-\u{06FF}\u{0750}-\u{077F}\u{FB50}-\u{FDFF}\u{FE70}-\u{FEFF} \t]{0,40}"
        ) {
            let once = normalise_for_search(&text);
            prop_assert_eq!(normalise_for_search(&once), once);
        }

        #[test]
        fn a_parsed_arabic_name_parses_to_itself(text in "\\PC{0,120}") {
            if let Ok(name) = ArabicName::parse(&text) {
                prop_assert_eq!(ArabicName::parse(name.as_str()), Ok(name.clone()));
            }
        }
    }
}
