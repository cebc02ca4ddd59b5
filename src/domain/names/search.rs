//! The form names are compared in when searching: the folding of the usual
//! spellings of one Arabic or Kurdish name into one text, the version of
//! that folding (stored forms are refolded when it changes), and the ways
//! of reading what an officer typed as whole name parts.

use super::{TATWEEL, collapse_whitespace, is_arabic_diacritic};

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

/// What search normalisation does with one character.
enum Folded {
    Drop,
    Char(char),
    Lowercase,
}

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

/// The value of an Arabic-Indic (٠-٩) or Persian (۰-۹) digit.
fn eastern_digit_value(c: char) -> Option<u8> {
    let value = match c {
        '\u{0660}'..='\u{0669}' => u32::from(c) - 0x0660,
        '\u{06F0}'..='\u{06F9}' => u32::from(c) - 0x06F0,
        _ => return None,
    };
    u8::try_from(value).ok()
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

    }
}
