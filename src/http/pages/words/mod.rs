//! The pages' message catalogue: every fixed phrase the workbench and the
//! dashboard show, in Arabic and English, named. A page says a phrase with
//! `lang.say(&words::NAME)` (or `locale.say(…)` on the dashboard), so that
//! the Arabic of the pages is written here and nowhere else in their code.
//! Phrases one page uses live in that page's module, which re-exports the
//! phrases several pages share (those below); sentences with values are
//! functions taking the reader's language and the values.

pub use crate::domain::language::{Text, Words};

use crate::domain::language::{Gender, Locale, Noun};

pub mod case;
pub mod dashboard;
pub mod family;
pub mod scans;
pub mod search;
pub mod signin;
pub mod team;
pub mod work;

pub const STATE: Words = Words::new("الحالة", "State");
pub const REFERENCE: Words = Words::new("الرقم المرجعي", "Reference");
pub const SUBMITTED_ON: Words = Words::new("تاريخ التقديم", "Submitted on");
pub const DUE: Words = Words::new("تاريخ الاستحقاق", "Due");
pub const DAYS: Words = Words::new("يوماً", "days");
pub const HELD_BY: Words = Words::new("في عهدة", "Held by");
pub const NOBODY: Words = Words::new("لا أحد", "Nobody");
pub const FIELD: Words = Words::new("حقل", "Field");
pub const MEMBER: Words = Words::new("الفرد", "Member");
pub const ADD_THE_PERSON_TO_THE_FAMILY: Words =
    Words::new("ضم الشخص إلى العائلة", "Add the person to the family");
pub const THE_CASES: Words = Words::new("الطلبات", "The cases");
pub const OFFICE: Words = Words::new("المكتب", "Office");
pub const LIST_COMMA: Words = Words::new("، ", ", ");
pub const SIGN_OUT: Words = Words::new("خروج", "Sign out");
pub const SHOW: Words = Words::new("اعرض", "Show");
pub const OFFICER: Words = Words::new("الموظف", "Officer");
pub const NEW_APPLICATION: Words = Words::new("طلب جديد", "New application");
pub const THE_FORM_WAS_NOT_ACCEPTED: Words =
    Words::new("لم يُقبل النموذج", "The form was not accepted");
pub const NATURALIZATION_CASEWORK: Words = Words::new("أعمال التجنيس", "Naturalization casework");
pub const SKIP_TO_CONTENT: Words = Words::new("انتقل إلى المحتوى", "Skip to content");
pub const NAVIGATION: Words = Words::new("التنقل", "Navigation");
pub const MY_WORK: Words = Words::new("عملي", "My work");
pub const SEARCH: Words = Words::new("بحث", "Search");
pub const DASHBOARD: Words = Words::new("لوحة المتابعة", "Dashboard");
pub const THE_TEAMS_WORK: Words = Words::new("عمل الفريق", "The team's work");
pub const BACK_TO_MY_WORK: Words = Words::new("عد إلى عملي", "Back to my work");
/// Whom a case is named by in a list: the head of a family, or the one
/// person of a one-person case.
pub const NAME_OF_THE_CASE: Words = Words::new("الاسم", "Name");
pub const DAYS_IN_STATE: Words = Words::new("أيام في الحالة", "Days in state");

pub const PAGE_NOT_FOUND: Words = Words::new("الصفحة غير موجودة", "Page not found");
pub const THERE_IS_NO_PAGE_AT_THIS_ADDRESS: Words = Words::new(
    "لا توجد صفحة بهذا العنوان.",
    "There is no page at this address.",
);
pub const GO_TO_THE_HOME_PAGE: Words = Words::new("اذهب إلى الصفحة الأولى", "Go to the home page");

pub const INVALID_FORM: Words = Words::new("نموذج غير صالح", "Invalid form");

/// Cases (applications), as the subject or a predicate (طلب واحد، طلبان،
/// ٣ طلبات، ١١ طلباً).
pub const CASES: Noun = Noun {
    singular: "طلب",
    dual: "طلبان",
    plural: "طلبات",
    accusative: "طلباً",
    gender: Gender::Masculine,
};

/// "N cases" as `locale` reads it, the noun agreeing with its number.
pub fn cases(locale: Locale, n: i64) -> String {
    locale.count(n, &CASES, ("case", "cases"))
}

/// A form's version field that is not a number.
pub fn not_a_version_number(text: &str) -> Text {
    Text::new(
        format!("{} ليس رقم نسخة", crate::domain::language::isolate(text)),
        format!("`{text}` is not a version number"),
    )
}

/// A form body that could not be read as the form.
pub fn form_not_understood(detail: &str) -> Text {
    Text::new(
        "لم يُفهم النموذج المرسل: أعد تحميل الصفحة وحاول مجدداً".to_string(),
        format!("the form sent was not understood: {detail}"),
    )
}

/// A form (or an upload) that could not be read, and why.
pub fn invalid_form(detail: &str) -> Text {
    Text::new(
        "نموذج غير صالح: أعد تحميل الصفحة وحاول مجدداً".to_string(),
        format!("invalid form: {detail}"),
    )
}

// A date typed in three boxes (day, month and year).
pub const DAY: Words = Words::new("اليوم", "Day");
pub const MONTH: Words = Words::new("الشهر", "Month");
pub const YEAR: Words = Words::new("السنة", "Year");
/// The example is not isolated: in an Arabic line its numbers run right to
/// left, the day rightmost, as the boxes stand.
pub const FOR_EXAMPLE_A_DATE: Words = Words::new(
    "مثال: 27 3 2007 (اليوم ثم الشهر ثم السنة)",
    "For example, 27 3 2007 (day, month, year)",
);
pub const A_DAY: Words = Words::new("اليوم", "a day");
pub const A_MONTH: Words = Words::new("الشهر", "a month");
pub const A_YEAR: Words = Words::new("السنة", "a year");

/// A date's label as it reads inside an English sentence ("the date of
/// birth"); Arabic's label reads the same anywhere.
fn inside(label: Words) -> Text {
    let mut chars = label.en.chars();
    let en = match chars.next() {
        Some(first) => format!("the {}{}", first.to_lowercase(), chars.as_str()),
        None => String::new(),
    };
    Text::new(label.ar, en)
}

/// A date left wholly blank.
pub fn write_the_date(label: Words) -> Text {
    let field = inside(label);
    Text::new(
        format!("اكتب {}: اليوم والشهر والسنة", field.ar),
        format!("enter {}: the day, the month and the year", field.en),
    )
}

/// A date with one of its boxes blank (`part` is [`A_DAY`], [`A_MONTH`]
/// or [`A_YEAR`]).
pub fn the_date_lacks(label: Words, part: Words) -> Text {
    let field = inside(label);
    Text::new(
        format!("{} ينقصه {}", field.ar, part.ar),
        format!("{} must include {}", capital(&field.en), part.en),
    )
}

/// A date whose boxes are not all numbers.
pub fn the_date_in_numbers(label: Words) -> Text {
    let field = inside(label);
    Text::new(
        format!(
            "اكتب {} بالأرقام: اليوم ثم الشهر ثم السنة، مثل 27 3 2007",
            field.ar
        ),
        format!(
            "enter {} in numbers: the day, the month and the year, like 27 3 2007",
            field.en
        ),
    )
}

/// A date whose year is not written in full.
pub fn the_year_in_full(label: Words) -> Text {
    let field = inside(label);
    Text::new(
        format!("اكتب سنة {} كاملةً بأربعة أرقام، مثل 2007", field.ar),
        format!(
            "enter the year of {} in full, four digits like 2007",
            field.en
        ),
    )
}

/// A date no calendar has (31/2): named as it was typed, day first.
pub fn no_such_date(label: Words, day: u32, month: u32, year: i32) -> Text {
    let field = inside(label);
    Text::new(
        format!(
            "{} يجب أن يكون تاريخاً حقيقياً: لا يوجد يوم \u{2066}{day}/{month}/{year}\u{2069}",
            field.ar
        ),
        format!(
            "{} must be a real date: there is no {day}/{month}/{year} (day/month/year)",
            capital(&field.en)
        ),
    )
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Arabic's own name, on the link that switches a page to it.
pub const ARABIC_LANGUAGE: &str = "العربية";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::language::{Digits, Lang};

    #[test]
    fn a_count_of_cases_agrees_with_its_number_in_the_reader_s_digits() {
        let arabic = Locale {
            lang: Lang::Ar,
            digits: Digits::Arabic,
        };
        let check = |n: i64, expected: &str| assert_eq!(cases(arabic, n), expected, "{n}");
        check(1, "طلب واحد");
        check(2, "طلبان");
        check(3, "٣ طلبات");
        check(11, "١١ طلباً");
        check(100, "١٠٠ طلب");
        assert_eq!(cases(Locale::ARABIC_WESTERN, 3), "3 طلبات");
        let english = Locale {
            lang: Lang::En,
            digits: Digits::Western,
        };
        assert_eq!(cases(english, 1), "1 case");
        assert_eq!(cases(english, 1203), "1,203 cases");
    }
}
