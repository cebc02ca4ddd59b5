//! Numbers and labels as read in the panel's language: Arabic-Indic digits
//! and separators for Arabic, the Arabic or English label of a state.

use crate::domain::places::Places;
use crate::workflow::definition::Labels;
use crate::workflow::refusal::Lang;

/// Arabic-Indic digits for Arabic, the text as is for English.
fn digits(text: String, lang: Lang) -> String {
    match lang {
        Lang::En => text,
        Lang::Ar => text
            .chars()
            .map(|c| match c {
                '.' => '٫',
                c => c
                    .to_digit(10)
                    .and_then(|d| char::from_u32(0x0660 + d))
                    .unwrap_or(c),
            })
            .collect(),
    }
}

/// A number as read in the language: Arabic-Indic digits and the Arabic
/// thousands separator, or Western digits with commas.
pub fn number(value: i64, lang: Lang) -> String {
    let text = value.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i).is_multiple_of(3) {
            grouped.push(if lang == Lang::Ar { '٬' } else { ',' });
        }
        grouped.push(c);
    }
    let sign = if value < 0 { "-" } else { "" };
    digits(format!("{sign}{grouped}"), lang)
}

pub(super) fn decimal(value: f64, lang: Lang) -> String {
    digits(format!("{value:.1}"), lang)
}

pub(super) fn pick<'a>(lang: Lang, ar: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ar => ar,
        Lang::En => en,
    }
}

pub(super) fn label(labels: &Labels, lang: Lang) -> String {
    pick(lang, &labels.ar, &labels.en).to_string()
}

/// A district's or an office's name in `lang`; the code itself only when
/// the places file does not list it (a case stored before the file did).
pub(super) fn place_name(places: &Places, code: &str, lang: Lang) -> String {
    places
        .names(code)
        .map_or(code.to_string(), |n| pick(lang, &n.ar, &n.en).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_in_the_language() {
        assert_eq!(number(48000, Lang::En), "48,000");
        assert_eq!(number(48000, Lang::Ar), "٤٨٬٠٠٠");
        assert_eq!(number(7, Lang::Ar), "٧");
        assert_eq!(number(-1234567, Lang::En), "-1,234,567");
        assert_eq!(decimal(12.5, Lang::Ar), "١٢٫٥");
    }
}
