//! The engine's message catalogue: every phrase a person reads from the
//! domain, the engine, the use cases, the API, the command line and the
//! mail, in Arabic and English, one module per area. A fixed phrase is a
//! [`Words`] constant; a sentence with values is a function returning a
//! [`Text`], counting with [`count`](crate::domain::language::count) so
//! that Arabic's number agreement is right. The pages have their own
//! catalogue (`http::pages::words`); the grammar of counting and the nouns
//! it counts are in [`language`](crate::domain::language).
//!
//! A tidy rule keeps Arabic out of every other file (`tests/tidy.rs`,
//! "Arabic is written in the vocabulary").

use std::fmt::Display;

use crate::domain::language::{Text, Words};

pub mod cases;
pub mod cli;
pub mod fields;
pub mod import;
pub mod labels;
pub mod mail;
pub mod portal;
pub mod problems;
pub mod refusals;
pub mod statistics;

/// How a list's items are separated in a sentence: the Arabic comma, or
/// the English one.
pub const LIST: Words = Words::new("، ", ", ");

/// How a sentence's clauses are separated: the Arabic semicolon, or the
/// English one.
pub const CLAUSES: Words = Words::new("؛ ", "; ");

/// `items` as a list in both languages, each item written as it is.
pub fn list<I: Display>(items: impl IntoIterator<Item = I>) -> Text {
    let items: Vec<String> = items.into_iter().map(|i| i.to_string()).collect();
    Text::new(items.join(LIST.ar), items.join(LIST.en))
}

/// `items`, each said in both languages, as a list.
pub fn list_said<'a>(items: impl IntoIterator<Item = &'a Text>) -> Text {
    let items: Vec<&Text> = items.into_iter().collect();
    Text::new(
        items
            .iter()
            .map(|t| t.ar.as_str())
            .collect::<Vec<_>>()
            .join(LIST.ar),
        items
            .iter()
            .map(|t| t.en.as_str())
            .collect::<Vec<_>>()
            .join(LIST.en),
    )
}

/// Sentences joined as the clauses of one: by `؛ ` and `; `.
pub fn clauses<'a>(items: impl IntoIterator<Item = &'a Text>) -> Text {
    let items: Vec<&Text> = items.into_iter().collect();
    Text::new(
        items
            .iter()
            .map(|t| t.ar.as_str())
            .collect::<Vec<_>>()
            .join(CLAUSES.ar),
        items
            .iter()
            .map(|t| t.en.as_str())
            .collect::<Vec<_>>()
            .join(CLAUSES.en),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_and_clauses_are_separated_as_each_language_writes_them() {
        assert_eq!(list([1, 2, 3]), Text::new("1، 2، 3", "1, 2, 3"));
        let two = [Text::new("أ", "a"), Text::new("ب", "b")];
        assert_eq!(list_said(&two), Text::new("أ، ب", "a, b"));
        assert_eq!(clauses(&two), Text::new("أ؛ ب", "a; b"));
    }

    #[test]
    fn how_many_fields_are_invalid_agrees_with_its_number() {
        let said = |n| problems::fields_invalid(n);
        assert_eq!(
            said(1),
            Text::new("حقل واحد غير صالح", "1 field is invalid")
        );
        assert_eq!(said(2).ar, "حقلان غير صالحين");
        assert_eq!(
            said(3),
            Text::new("3 حقول غير صالحة", "3 fields are invalid")
        );
        assert_eq!(said(12).ar, "12 حقلاً غير صالح");
    }

    #[test]
    fn a_family_problem_names_the_member_never_the_field_s_path_in_arabic() {
        let problem = Text::new("تاريخ الولادة في المستقبل", "is in the future");
        assert_eq!(
            refusals::field_problem("members[1].birth_date", &problem),
            Text::new(
                "الفرد 2: تاريخ الولادة في المستقبل",
                "members[1].birth_date: is in the future"
            )
        );
        assert_eq!(
            refusals::field_problem("members", &problem).ar,
            "تاريخ الولادة في المستقبل"
        );
    }

    #[test]
    fn a_counted_noun_agrees_with_its_number_in_every_sentence_that_counts() {
        let check = |said: Text, ar: &str| assert_eq!(said.ar, ar);
        check(
            fields::not_one_person(2),
            "يذكر الطلب فردين: طلب القيد لشخص واحد فقط",
        );
        check(
            fields::not_one_person(3),
            "يذكر الطلب 3 أفراد: طلب القيد لشخص واحد فقط",
        );
        check(
            fields::too_many_members(40),
            "لا يجوز أن يذكر الطلب أكثر من 40 فرداً",
        );
        check(
            fields::several_heads(&[1, 2]),
            "للأسرة ربّان (الأفراد 1، 2): يجب أن يكون فرد واحد فقط بصلة «رب الأسرة»",
        );
        check(
            fields::several_heads(&[1, 2, 5]),
            "للأسرة 3 أرباب (الأفراد 1، 2، 5): يجب أن يكون فرد واحد فقط بصلة «رب الأسرة»",
        );
        check(fields::name_too_long(100), "أطول من 100 محرف");
        check(
            fields::password_too_short(10),
            "كلمة المرور قصيرة: يجب ألا تقل عن 10 محارف",
        );
        check(import::field_count(2, 3), "في السطر حقلان والترويسة فيها 3");
        check(
            import::field_count(12, 3),
            "في السطر 12 حقلاً والترويسة فيها 3",
        );
        check(portal::batch_size(500), "حدد من 1 إلى 500 شخص");
        check(portal::purpose_too_long(500), "يجب ألا يتجاوز 500 محرف");
        check(
            statistics::officers_out_of_range(200),
            "يجب أن يكون بين -200 و200 موظف",
        );
        assert!(
            statistics::backtest(3, 5, 60)
                .ar
                .contains("في 3 من 5 أسابيع (60%)")
        );
        assert!(
            statistics::backtest(9, 12, 75)
                .ar
                .contains("في 9 من 12 أسبوعاً (75%)")
        );
        assert!(
            statistics::forecast_method(500, 12)
                .ar
                .starts_with("محاكاة مونت كارلو (500 تشغيل)")
        );
        check(
            refusals::under_card_age(2, "ليلى", 14),
            "الفرد 2، ليلى، دون سن 14 عاماً",
        );
        check(
            refusals::under_card_age(2, "ليلى", 10),
            "الفرد 2، ليلى، دون سن 10 أعوام",
        );
    }
}
