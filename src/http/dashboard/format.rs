//! Numbers, dates and labels as read in the panel's language: for Arabic,
//! Arabic-Indic or Western digits as the setting `CASEWORK_DASHBOARD_DIGITS`
//! chooses (one system on the whole page), the Arabic separators, and dates
//! written one way (`3 تشرين الثاني 2026`, `3 Nov 2026`) and isolated with
//! `<bdi>` so that they never flip inside a right-to-left sentence.

use std::cell::Cell;

use chrono::{Datelike, NaiveDate};

use crate::domain::language::Digits;
use crate::domain::language::Lang;
use crate::domain::places::Places;
use crate::workflow::definition::Labels;

thread_local! {
    /// The digits Arabic text is written in while a panel is rendered
    /// (rendering is synchronous: set around it by [`with_digits`]).
    static ARABIC_DIGITS: Cell<Digits> = const { Cell::new(Digits::Arabic) };
}

/// Runs `render` with Arabic text written in `digits`.
pub fn with_digits<T>(digits: Digits, render: impl FnOnce() -> T) -> T {
    let before = ARABIC_DIGITS.with(|d| d.replace(digits));
    let out = render();
    ARABIC_DIGITS.with(|d| d.set(before));
    out
}

fn arabic_indic() -> bool {
    ARABIC_DIGITS.with(Cell::get) == Digits::Arabic
}

/// Arabic-Indic digits for Arabic (unless the setting says Western), the
/// text as is for English.
pub(super) fn digits(text: String, lang: Lang) -> String {
    match lang {
        Lang::Ar if arabic_indic() => text
            .chars()
            .map(|c| match c {
                '.' => '٫',
                c => c
                    .to_digit(10)
                    .and_then(|d| char::from_u32(0x0660 + d))
                    .unwrap_or(c),
            })
            .collect(),
        _ => text,
    }
}

/// A number as read in the language: Arabic-Indic digits and the Arabic
/// thousands separator (or Western digits with commas when the setting
/// says so), or Western digits with commas in English.
pub fn number(value: i64, lang: Lang) -> String {
    let text = value.unsigned_abs().to_string();
    let separator = if lang == Lang::Ar && arabic_indic() {
        '٬'
    } else {
        ','
    };
    let mut grouped = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(c);
    }
    let sign = if value < 0 { "-" } else { "" };
    digits(format!("{sign}{grouped}"), lang)
}

pub(super) fn decimal(value: f64, lang: Lang) -> String {
    digits(format!("{value:.1}"), lang)
}

/// A share in percent, one decimal, with the language's percent sign.
pub(super) fn percent(value: f64, lang: Lang) -> String {
    let sign = if lang == Lang::Ar && arabic_indic() {
        "٪"
    } else {
        "%"
    };
    format!("{}{sign}", decimal(value, lang))
}

/// The months as Syria names them, and in English.
const MONTHS_AR: [&str; 12] = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A day as text, the one way the panel writes dates: `3 تشرين الثاني 2026`
/// or `3 Nov 2026` (no markup: for SVG `<title>`s and attributes).
pub(super) fn date_text(day: NaiveDate, lang: Lang) -> String {
    let month = day.month0() as usize;
    let name = pick(lang, MONTHS_AR[month], MONTHS_EN[month]);
    format!(
        "{} {name} {}",
        digits(day.day().to_string(), lang),
        digits(day.year().to_string(), lang)
    )
}

/// A day and month only, for a chart's axis (`3 Nov`).
pub(super) fn day_month(day: NaiveDate, lang: Lang) -> String {
    let month = day.month0() as usize;
    format!(
        "{} {}",
        digits(day.day().to_string(), lang),
        pick(lang, MONTHS_AR[month], MONTHS_EN[month])
    )
}

/// A day in HTML: the text of [`date_text`] isolated in `<bdi>`, with the
/// machine-readable day in a `<time>`.
pub(super) fn date(day: NaiveDate, lang: Lang) -> String {
    format!(
        r#"<bdi><time datetime="{day}">{}</time></bdi>"#,
        date_text(day, lang)
    )
}

/// A period `from – to` in HTML, each end isolated.
pub(super) fn period(from: NaiveDate, to: NaiveDate, lang: Lang) -> String {
    format!("{} – {}", date(from, lang), date(to, lang))
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

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn numbers_read_in_the_language() {
        assert_eq!(number(48000, Lang::En), "48,000");
        assert_eq!(number(48000, Lang::Ar), "٤٨٬٠٠٠");
        assert_eq!(number(7, Lang::Ar), "٧");
        assert_eq!(number(-1234567, Lang::En), "-1,234,567");
        assert_eq!(decimal(12.5, Lang::Ar), "١٢٫٥");
        assert_eq!(percent(90.0, Lang::Ar), "٩٠٫٠٪");
    }

    #[test]
    fn arabic_may_be_written_in_western_digits() {
        with_digits(Digits::Western, || {
            assert_eq!(number(48000, Lang::Ar), "48,000");
            assert_eq!(percent(90.0, Lang::Ar), "90.0%");
            assert_eq!(date_text(day(2026, 11, 3), Lang::Ar), "3 تشرين الثاني 2026");
        });
        // The setting holds only while the panel is rendered.
        assert_eq!(number(48000, Lang::Ar), "٤٨٬٠٠٠");
    }

    #[test]
    fn dates_are_written_one_way_and_isolated() {
        assert_eq!(date_text(day(2026, 11, 3), Lang::En), "3 Nov 2026");
        assert_eq!(date_text(day(2026, 11, 3), Lang::Ar), "٣ تشرين الثاني ٢٠٢٦");
        assert_eq!(
            date(day(2027, 6, 30), Lang::En),
            r#"<bdi><time datetime="2027-06-30">30 Jun 2027</time></bdi>"#
        );
        assert_eq!(day_month(day(2026, 1, 4), Lang::En), "4 Jan");
    }
}
