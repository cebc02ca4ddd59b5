//! The bilingual vocabulary: the two languages a person reads casework in
//! (Arabic first, English), a sentence in both ([`Text`]), how a reader
//! wants numbers written ([`Locale`], [`Digits`]), and Arabic's grammar of
//! counting ([`Noun`], [`count`]): the counted noun takes one form after 1,
//! another after 2, a plural after 3 to 10 and a singular accusative after
//! 11 to 99, so that "N things" is never a number glued to one fixed word.

use serde::{Deserialize, Serialize};

/// The language of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ar,
    En,
}

impl Lang {
    /// `ar` or `en`, as a request or a command line names the language.
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ar" => Some(Lang::Ar),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ar => "ar",
            Lang::En => "en",
        }
    }
}

/// A sentence in both languages: a message, or the names a definition or
/// the places file gives a state, an action, a district or an office. The
/// OpenAPI documents call it `Labels`, as they always have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = Labels, description = "An Arabic and an English label.")]
pub struct Text {
    pub ar: String,
    pub en: String,
}

impl Text {
    pub fn new(ar: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ar: ar.into(),
            en: en.into(),
        }
    }

    /// The names of something that has none of its own: its code, in both
    /// languages.
    pub fn of_code(code: &str) -> Text {
        Text::new(code, code)
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ar => &self.ar,
            Lang::En => &self.en,
        }
    }
}

/// A fixed phrase in both languages, as a message catalogue writes it: the
/// static twin of [`Text`], which a `const` can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    pub ar: &'static str,
    pub en: &'static str,
}

impl Words {
    pub const fn new(ar: &'static str, en: &'static str) -> Words {
        Words { ar, en }
    }

    /// The phrase as an owned [`Text`].
    pub fn text(self) -> Text {
        Text::new(self.ar, self.en)
    }
}

impl From<Words> for Text {
    fn from(words: Words) -> Text {
        words.text()
    }
}

/// Something said in both languages, of which a reader reads one: a
/// catalogue's [`Words`] or a [`Text`] made at run time (a state's labels,
/// a place's names).
pub trait Said {
    /// The words in `lang`.
    fn in_lang(&self, lang: Lang) -> &str;
}

impl Said for Words {
    fn in_lang(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ar => self.ar,
            Lang::En => self.en,
        }
    }
}

impl<S: Said + ?Sized> Said for &S {
    fn in_lang(&self, lang: Lang) -> &str {
        (**self).in_lang(lang)
    }
}

impl Said for Text {
    fn in_lang(&self, lang: Lang) -> &str {
        self.get(lang)
    }
}

impl Lang {
    /// `said` in this language: the one way a reader's language picks a
    /// phrase.
    pub fn say<S: Said + ?Sized>(self, said: &S) -> &str {
        said.in_lang(self)
    }
}

/// The digits Arabic text is written in: Arabic-Indic (٠١٢…, the default)
/// or Western (012…), one system on a whole page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Digits {
    #[default]
    Arabic,
    Western,
}

/// How one reader reads: the language, and the digits Arabic is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Locale {
    pub lang: Lang,
    pub digits: Digits,
}

impl Locale {
    /// Arabic in Western digits: how the workbench and the API's problems
    /// write numbers.
    pub const ARABIC_WESTERN: Locale = Locale {
        lang: Lang::Ar,
        digits: Digits::Western,
    };

    /// `said` in the reader's language.
    pub fn say<S: Said + ?Sized>(self, said: &S) -> &str {
        self.lang.say(said)
    }

    /// The text in the reader's language.
    pub fn pick<'a>(self, ar: &'a str, en: &'a str) -> &'a str {
        match self.lang {
            Lang::Ar => ar,
            Lang::En => en,
        }
    }

    /// The language's code: `ar` or `en`.
    pub fn code(self) -> &'static str {
        self.lang.code()
    }

    /// Whether numbers are written in Arabic-Indic digits for this reader.
    pub fn arabic_indic(self) -> bool {
        self.lang == Lang::Ar && self.digits == Digits::Arabic
    }

    /// A whole number as this reader reads it, its thousands grouped
    /// (`١٬٢٣٤` or `1,234`).
    pub fn integer(self, value: i64) -> String {
        let text = value.unsigned_abs().to_string();
        let separator = if self.arabic_indic() { '٬' } else { ',' };
        let mut grouped = String::new();
        for (i, c) in text.chars().enumerate() {
            if i > 0 && (text.len() - i).is_multiple_of(3) {
                grouped.push(separator);
            }
            grouped.push(c);
        }
        let sign = if value < 0 { "-" } else { "" };
        self.number(&format!("{sign}{grouped}"))
    }

    /// "N things" in the reader's language: Arabic by [`count`], English
    /// with `english`'s singular for one and its plural otherwise.
    pub fn count(self, n: i64, noun: &Noun, english: (&str, &str)) -> String {
        match self.lang {
            Lang::Ar => count(n.unsigned_abs(), noun, self),
            Lang::En if n == 1 => format!("1 {}", english.0),
            Lang::En => format!("{} {}", self.integer(n), english.1),
        }
    }

    /// A number as this reader reads it: Arabic-Indic digits and the Arabic
    /// decimal separator for Arabic (unless the reader wants Western
    /// digits), as written for English.
    pub fn number(self, text: &str) -> String {
        match self.arabic_indic() {
            true => text
                .chars()
                .map(|c| match c {
                    '.' => '٫',
                    c => c
                        .to_digit(10)
                        .and_then(|d| char::from_u32(0x0660 + d))
                        .unwrap_or(c),
                })
                .collect(),
            false => text.to_string(),
        }
    }
}

/// Right-to-left mark: starts an Arabic line so that a terminal which lays
/// out bidirectional text takes the whole line as right-to-left.
pub const RLM: char = '\u{200F}';
/// Left-to-right isolate and its end, around a file name, a code or a
/// column, so their slashes and colons keep their order inside an Arabic
/// line.
pub const LRI: char = '\u{2066}';
pub const PDI: char = '\u{2069}';
/// First-strong isolate: around a reference whose direction is its own (a
/// person's name in either script, a case number, a date), so that inside
/// a sentence it keeps its order and lends none to the words around it.
/// Ends with [`PDI`].
pub const FSI: char = '\u{2068}';

/// `reference` isolated by [`FSI`] … [`PDI`]: how a sentence in either
/// language holds a name, a number or a code that is not its own words.
pub fn isolate(reference: &str) -> String {
    format!("{FSI}{reference}{PDI}")
}

/// The grammatical gender of an Arabic noun, which the number one agrees
/// with (طلب واحد, دقيقة واحدة).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Masculine,
    Feminine,
}

/// An Arabic noun in the forms counting needs, in the grammatical case of
/// the sentence it is used in (after a preposition such as بعد, the dual
/// is دقيقتين, not دقيقتان): the singular, the dual, the plural (3 to 10)
/// and the accusative singular (11 to 99, التمييز المنصوب).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Noun {
    pub singular: &'static str,
    pub dual: &'static str,
    pub plural: &'static str,
    pub accusative: &'static str,
    pub gender: Gender,
}

/// "N nouns" in Arabic, the number in digits (as `locale` writes them) and
/// the noun in the form the number calls for:
/// 1 → the noun and واحد/واحدة agreeing with it; 2 → the dual alone;
/// 3–10 → the plural; 11–99 → the accusative singular; 0, 100, 1000 … and
/// hundreds ending in 01 or 02 → the singular; otherwise by the last two
/// digits, as for the small numbers.
pub fn count(n: u64, noun: &Noun, locale: Locale) -> String {
    let number = locale.integer(i64::try_from(n).unwrap_or(i64::MAX));
    match n {
        1 => format!("{} {}", noun.singular, one(noun.gender)),
        2 => noun.dual.to_string(),
        _ => {
            let form = match n % 100 {
                3..=10 => noun.plural,
                11..=99 => noun.accusative,
                _ => noun.singular,
            };
            format!("{number} {form}")
        }
    }
}

/// The word for one, agreeing with a noun of `gender`.
pub fn one(gender: Gender) -> &'static str {
    match gender {
        Gender::Masculine => "واحد",
        Gender::Feminine => "واحدة",
    }
}

/// "N things" in English: the singular for exactly one.
pub fn count_en(n: u64, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// Nouns the engine counts, each in the case its sentences need.
pub mod nouns {
    use super::{Gender, Noun};

    /// Minutes, after a preposition (بعد دقيقتين، بعد ٥ دقائق).
    pub const MINUTES_AFTER: Noun = Noun {
        singular: "دقيقة",
        dual: "دقيقتين",
        plural: "دقائق",
        accusative: "دقيقة",
        gender: Gender::Feminine,
    };

    /// Seconds, after a preposition (بعد ثانيتين، بعد ٣٠ ثانية).
    pub const SECONDS_AFTER: Noun = Noun {
        singular: "ثانية",
        dual: "ثانيتين",
        plural: "ثوانٍ",
        accusative: "ثانية",
        gender: Gender::Feminine,
    };

    /// Persons, as the object of a verb (تجاوز ١٢ شخصاً).
    pub const PERSONS_OBJECT: Noun = Noun {
        singular: "شخص",
        dual: "شخصين",
        plural: "أشخاص",
        accusative: "شخصاً",
        gender: Gender::Masculine,
    };

    /// Families, as the subject or a predicate (٥١ عائلة، ٣ عائلات).
    pub const FAMILIES: Noun = Noun {
        singular: "عائلة",
        dual: "عائلتان",
        plural: "عائلات",
        accusative: "عائلة",
        gender: Gender::Feminine,
    };

    /// Days, after a preposition (بمتوسط يومين، بمتوسط ٥ أيام، ١٦٩ يوماً).
    pub const DAYS_AFTER: Noun = Noun {
        singular: "يوم",
        dual: "يومين",
        plural: "أيام",
        accusative: "يوماً",
        gender: Gender::Masculine,
    };

    /// Years of age, after سن (دون سن ١٤ عاماً، دون سن ١٠ أعوام).
    pub const YEARS: Noun = Noun {
        singular: "عام",
        dual: "عامين",
        plural: "أعوام",
        accusative: "عاماً",
        gender: Gender::Masculine,
    };

    /// Members of a family, as the object of a verb (يذكر الطلب ٣ أفراد،
    /// أكثر من ٤٠ فرداً).
    pub const MEMBERS_OBJECT: Noun = Noun {
        singular: "فرد",
        dual: "فردين",
        plural: "أفراد",
        accusative: "فرداً",
        gender: Gender::Masculine,
    };

    /// Members of a family, as a predicate (٤ أفراد، فردان، ١٢ فرداً).
    pub const MEMBERS: Noun = Noun {
        singular: "فرد",
        dual: "فردان",
        plural: "أفراد",
        accusative: "فرداً",
        gender: Gender::Masculine,
    };

    /// Heads of a family, as the subject (للأسرة ربّان، للأسرة ٣ أرباب).
    pub const HEADS: Noun = Noun {
        singular: "رب",
        dual: "ربّان",
        plural: "أرباب",
        accusative: "ربّاً",
        gender: Gender::Masculine,
    };

    /// Fields of a row, as the subject (في السطر حقلان، في السطر ٣ حقول).
    pub const FIELDS: Noun = Noun {
        singular: "حقل",
        dual: "حقلان",
        plural: "حقول",
        accusative: "حقلاً",
        gender: Gender::Masculine,
    };

    /// Weeks, after a preposition (من آخر ١٢ أسبوعاً، في ٣ من ٥ أسابيع).
    pub const WEEKS: Noun = Noun {
        singular: "أسبوع",
        dual: "أسبوعين",
        plural: "أسابيع",
        accusative: "أسبوعاً",
        gender: Gender::Masculine,
    };

    /// Runs of a simulation, as the subject (٥٠٠ تشغيل).
    pub const RUNS: Noun = Noun {
        singular: "تشغيل",
        dual: "تشغيلان",
        plural: "تشغيلات",
        accusative: "تشغيلاً",
        gender: Gender::Masculine,
    };

    /// Officers, after a preposition (بين -٢٠٠ و٢٠٠ موظف).
    pub const OFFICERS_AFTER: Noun = Noun {
        singular: "موظف",
        dual: "موظفَين",
        plural: "موظفين",
        accusative: "موظفاً",
        gender: Gender::Masculine,
    };

    /// Characters, as a predicate or after a preposition (طوله ١٢ محرفاً).
    pub const CHARACTERS: Noun = Noun {
        singular: "محرف",
        dual: "محرفين",
        plural: "محارف",
        accusative: "محرفاً",
        gender: Gender::Masculine,
    };
}

#[cfg(test)]
mod tests {
    use super::nouns::*;
    use super::*;

    const WESTERN: Locale = Locale::ARABIC_WESTERN;

    #[test]
    fn an_arabic_count_puts_the_noun_in_the_form_its_number_calls_for() {
        let check =
            |n: u64, expected: &str| assert_eq!(count(n, &MINUTES_AFTER, WESTERN), expected, "{n}");
        check(0, "0 دقيقة");
        check(1, "دقيقة واحدة");
        check(2, "دقيقتين");
        check(3, "3 دقائق");
        check(10, "10 دقائق");
        check(11, "11 دقيقة");
        check(99, "99 دقيقة");
        check(100, "100 دقيقة");
        check(101, "101 دقيقة");
        check(103, "103 دقائق");
        check(1000, "1,000 دقيقة");
        let persons = |n: u64| count(n, &PERSONS_OBJECT, WESTERN);
        assert_eq!(persons(1), "شخص واحد");
        assert_eq!(persons(2), "شخصين");
        assert_eq!(persons(5), "5 أشخاص");
        assert_eq!(persons(12), "12 شخصاً");
        assert_eq!(persons(200), "200 شخص");
        assert_eq!(persons(211), "211 شخصاً");
    }

    #[test]
    fn one_agrees_with_the_gender_of_its_noun() {
        assert_eq!(count(1, &PERSONS_OBJECT, WESTERN), "شخص واحد");
        assert_eq!(count(1, &SECONDS_AFTER, WESTERN), "ثانية واحدة");
        assert_eq!(one(Gender::Masculine), "واحد");
        assert_eq!(one(Gender::Feminine), "واحدة");
    }

    #[test]
    fn arabic_digits_are_arabic_indic_unless_the_reader_wants_western() {
        let arabic = Locale {
            lang: Lang::Ar,
            digits: Digits::Arabic,
        };
        assert_eq!(count(25, &SECONDS_AFTER, arabic), "٢٥ ثانية");
        assert_eq!(arabic.number("12.5"), "١٢٫٥");
        assert_eq!(WESTERN.number("12.5"), "12.5");
        let english = Locale {
            lang: Lang::En,
            digits: Digits::Arabic,
        };
        assert_eq!(english.number("12.5"), "12.5");
    }

    #[test]
    fn a_count_is_said_in_the_reader_s_language_with_thousands_grouped() {
        let arabic = Locale {
            lang: Lang::Ar,
            digits: Digits::Arabic,
        };
        let english = Locale {
            lang: Lang::En,
            digits: Digits::Arabic,
        };
        let families = ("family", "families");
        assert_eq!(arabic.count(3, &FAMILIES, families), "٣ عائلات");
        assert_eq!(arabic.count(51, &FAMILIES, families), "٥١ عائلة");
        assert_eq!(arabic.count(2, &FAMILIES, families), "عائلتان");
        assert_eq!(arabic.count(1, &FAMILIES, families), "عائلة واحدة");
        assert_eq!(arabic.count(1_203, &FAMILIES, families), "١٬٢٠٣ عائلات");
        assert_eq!(english.count(1, &FAMILIES, families), "1 family");
        assert_eq!(english.count(1_203, &FAMILIES, families), "1,203 families");
        assert_eq!(WESTERN.integer(-48_000), "-48,000");
    }

    #[test]
    fn an_english_count_is_singular_for_one_only() {
        assert_eq!(count_en(1, "minute", "minutes"), "1 minute");
        assert_eq!(count_en(0, "minute", "minutes"), "0 minutes");
        assert_eq!(count_en(2, "minute", "minutes"), "2 minutes");
    }

    #[test]
    fn a_language_is_named_by_its_code() {
        assert_eq!(Lang::parse("ar"), Some(Lang::Ar));
        assert_eq!(Lang::parse(" EN "), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::En.code(), "en");
    }
}
