//! Opening a case, acting on it and joining a person to a family: what
//! the use cases of `app::cases` say when they refuse.

use crate::domain::language::{Text, Words, isolate};

/// The engine's own action that takes the transitions come due.
pub const REFRESH_THE_CASE: Words = Words::new("تحديث الطلب تلقائياً", "Refresh the case");

pub const ONLY_ONE_PERSON_JOINS: Words = Words::new(
    "لا يرتبط بطلب عائلة إلا طلب شخص واحد",
    "only a one-person case is linked to a family's case",
);

// A command for several members (`workflow::Command::each`), from the API
// and the pages alike.

pub const MEMBER_OR_MEMBERS: Words = Words::new(
    "اذكر فرداً واحداً أو عدة أفراد، لا الاثنين معاً",
    "name one member or several members, not both",
);
pub const A_MEMBER_TWICE: Words = Words::new(
    "ذُكر أحد الأفراد أكثر من مرة",
    "a member is named more than once",
);
pub const FIELDS_OF_A_MEMBER_NOT_NAMED: Words = Words::new(
    "قيم لفرد لم يُذكر بين الأفراد",
    "values for a member who is not among the members named",
);
pub const ONE_NUMBER_TWICE: Words = Words::new(
    "أُعطي الرقم الوطني نفسه لأكثر من فرد",
    "the same national number is given to more than one member",
);

pub fn no_such_workflow(name: &str, known: &[String]) -> Text {
    Text::new(
        format!(
            "لا يوجد مسار عمل باسم {}؛ المسارات: {}",
            isolate(name),
            isolate(&known.join("، "))
        ),
        format!(
            "there is no workflow '{name}'; the workflows are: {}",
            known.join(", ")
        ),
    )
}

pub fn no_move_between_districts(district: &str) -> Text {
    Text::new(
        format!(
            "لا ينتقل الطلب بين المناطق (هو تابع لـ {})",
            isolate(district)
        ),
        format!("a case cannot move between districts (it belongs to {district})"),
    )
}

pub fn not_linked(person: &str, family: &str) -> Text {
    Text::new(
        format!(
            "طلب القيد {} غير مرتبط بطلب العائلة {}",
            isolate(person),
            isolate(family)
        ),
        format!("the case {person} is not linked to the family case {family}"),
    )
}

pub fn already_joined(person: &str, ordinal: i32) -> Text {
    Text::new(
        format!(
            "صاحب الطلب {} مضموم إلى العائلة من قبل (الفرد {ordinal})",
            isolate(person)
        ),
        format!("the person of {person} has already joined the family (member {ordinal})"),
    )
}

pub fn not_yet_registered(person: &str, state: &Text) -> Text {
    Text::new(
        format!(
            "صاحب الطلب {} لم يقيد في السجل بعد (الحالة «{}»)",
            isolate(person),
            state.ar
        ),
        format!(
            "the person of {person} is not yet entered in the register ('{}')",
            state.en
        ),
    )
}

pub fn not_a_family_case(family: &str) -> Text {
    Text::new(
        format!("الطلب {} ليس طلب عائلة", isolate(family)),
        format!("{family} is not a family's case"),
    )
}
