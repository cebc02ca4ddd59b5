//! The search page's words.

#[allow(unused_imports)]
pub use super::*;

pub const FIND_A_FAMILY: Words = Words::new("البحث عن عائلة", "Find a family");
pub const NAME_REGISTER_ENTRY_OR_NATIONAL_NUMBER: Words = Words::new(
    "الاسم أو رقم القيد أو الرقم الوطني",
    "Name, register entry or national number",
);
pub const FOR_EXAMPLE_OR_1203_45877: Words = Words::new(
    "مثال: محمد العلي، أو 1203/45877",
    "For example: محمد العلي, or 1203/45877",
);
pub const SEARCH: Words = Words::new("ابحث", "Search");
pub const TYPE_AT_MOST_SIX_WORDS_OF: Words = Words::new(
    "اكتب ست كلمات على الأكثر من الاسم.",
    "Type at most six words of the name.",
);
pub const NO_APPLICATION_WAS_FOUND: Words =
    Words::new("لم يُعثر على أي طلب.", "No application was found.");
/// How many applications were found, oldest first; `more`: the list
/// stops there and more were found.
pub fn found(digits: crate::domain::language::Digits, n: i64, more: bool) -> Text {
    use crate::domain::language::{Lang, Locale};
    let say = |lang| super::cases(Locale { lang, digits }, n);
    let (ar, en) = (say(Lang::Ar), say(Lang::En));
    if more {
        Text::new(
            format!("أكثر من {ar}، الأقدم أولاً"),
            format!("more than {en}, oldest first"),
        )
    } else {
        Text::new(format!("{ar}، الأقدم أولاً"), format!("{en}, oldest first"))
    }
}
