//! Numbers, dates and labels as read in the panel's language: for Arabic,
//! Arabic-Indic or Western digits as the setting `CASEWORK_DASHBOARD_DIGITS`
//! chooses (one system on the whole page), the Arabic separators, and dates
//! written one way (`3 تشرين الثاني 2026`, `3 Nov 2026`) and isolated with
//! `<bdi>` so that they never flip inside a right-to-left sentence.
//!
//! The language and the digits travel together as a [`Locale`], passed as
//! an argument down every rendering function.

use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};

use crate::domain::language::Locale;
use crate::domain::language::Text;
use crate::domain::places::Places;
use crate::http::pages::words::dashboard as words;

/// Arabic-Indic digits for Arabic (unless the setting says Western), the
/// text as is for English.
pub(super) fn digits(text: String, locale: Locale) -> String {
    locale.number(&text)
}

/// A number as read in the language: Arabic-Indic digits and the Arabic
/// thousands separator (or Western digits with commas when the setting
/// says so), or Western digits with commas in English.
pub fn number(value: i64, locale: Locale) -> String {
    locale.integer(value)
}

pub(super) fn decimal(value: f64, locale: Locale) -> String {
    digits(format!("{value:.1}"), locale)
}

/// A share in percent, one decimal, with the language's percent sign.
pub(super) fn percent(value: f64, locale: Locale) -> String {
    let sign = if locale.arabic_indic() {
        words::ARABIC_PERCENT
    } else {
        "%"
    };
    format!("{}{sign}", decimal(value, locale))
}

/// A day as text, the one way the panel writes dates: `3 تشرين الثاني 2026`
/// or `3 Nov 2026` (no markup: for SVG `<title>`s and attributes).
pub(super) fn date_text(day: NaiveDate, locale: Locale) -> String {
    let month = day.month0() as usize;
    let name = locale.say(&words::MONTHS[month]);
    format!(
        "{} {name} {}",
        digits(day.day().to_string(), locale),
        digits(day.year().to_string(), locale)
    )
}

/// A day and month only, for a chart's axis (`3 Nov`).
pub(super) fn day_month(day: NaiveDate, locale: Locale) -> String {
    let month = day.month0() as usize;
    format!(
        "{} {}",
        digits(day.day().to_string(), locale),
        locale.say(&words::MONTHS[month])
    )
}

/// A day in HTML: the text of [`date_text`] isolated in `<bdi>`, with the
/// machine-readable day in a `<time>`.
pub(super) fn date(day: NaiveDate, locale: Locale) -> Markup {
    html! {
        bdi { time datetime=(day) { (date_text(day, locale)) } }
    }
}

/// A period `from – to` in HTML, each end isolated.
pub(super) fn period(from: NaiveDate, to: NaiveDate, locale: Locale) -> Markup {
    html! { (date(from, locale)) " – " (date(to, locale)) }
}

pub(super) fn label(labels: &Text, locale: Locale) -> String {
    locale.say(&labels).to_string()
}

/// A district's or an office's name in the reader's language; the code
/// itself only when the places file does not list it (a case stored
/// before the file did).
pub(super) fn place_name(places: &Places, code: &str, locale: Locale) -> String {
    places
        .names(code)
        .map_or(code.to_string(), |n| locale.say(&n).to_string())
}

/// A bucket's name in the language's digits (`8–30`, `181+`).
pub(super) fn bucket_name(i: usize, locale: Locale) -> String {
    let (low, high, _) = crate::app::stats::AGE_BUCKETS[i];
    match high {
        Some(high) => format!(
            "{}–{}",
            digits(low.to_string(), locale),
            digits(high.to_string(), locale)
        ),
        None => format!("{}+", digits(low.to_string(), locale)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::language::{Digits, Lang};

    const AR: Locale = Locale {
        lang: Lang::Ar,
        digits: Digits::Arabic,
    };
    const AR_WESTERN: Locale = Locale {
        lang: Lang::Ar,
        digits: Digits::Western,
    };
    const EN: Locale = Locale {
        lang: Lang::En,
        digits: Digits::Arabic,
    };

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn numbers_read_in_the_language() {
        assert_eq!(number(48000, EN), "48,000");
        assert_eq!(number(48000, AR), "٤٨٬٠٠٠");
        assert_eq!(number(7, AR), "٧");
        assert_eq!(number(-1234567, EN), "-1,234,567");
        assert_eq!(decimal(12.5, AR), "١٢٫٥");
        assert_eq!(percent(90.0, AR), "٩٠٫٠٪");
        assert_eq!(percent(90.0, EN), "90.0%");
    }

    #[test]
    fn arabic_may_be_written_in_western_digits() {
        assert_eq!(number(48000, AR_WESTERN), "48,000");
        assert_eq!(percent(90.0, AR_WESTERN), "90.0%");
        assert_eq!(
            date_text(day(2026, 11, 3), AR_WESTERN),
            "3 تشرين الثاني 2026"
        );
        // English ignores the setting.
        let en_western = Locale {
            digits: Digits::Western,
            ..EN
        };
        assert_eq!(number(48000, en_western), number(48000, EN));
    }

    #[test]
    fn dates_are_written_one_way_and_isolated() {
        assert_eq!(date_text(day(2026, 11, 3), EN), "3 Nov 2026");
        assert_eq!(date_text(day(2026, 11, 3), AR), "٣ تشرين الثاني ٢٠٢٦");
        assert_eq!(
            date(day(2027, 6, 30), EN).into_string(),
            r#"<bdi><time datetime="2027-06-30">30 Jun 2027</time></bdi>"#
        );
        assert_eq!(
            period(day(2027, 6, 1), day(2027, 6, 30), EN).into_string(),
            r#"<bdi><time datetime="2027-06-01">1 Jun 2027</time></bdi> – <bdi><time datetime="2027-06-30">30 Jun 2027</time></bdi>"#
        );
        assert_eq!(day_month(day(2026, 1, 4), EN), "4 Jan");
    }
}
