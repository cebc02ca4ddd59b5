//! What is wrong with one field of some input ([`FieldError`]'s message):
//! a family as typed at the counter, an identifier, a name, free text, a
//! scan's file name, a place code, a password, and the use cases' own
//! fields.
//!
//! [`FieldError`]: crate::domain::field_error::FieldError

use crate::domain::language::{Locale, Text, Words, count, isolate, nouns};

const WESTERN: Locale = Locale::ARABIC_WESTERN;

// A decision on a possible duplicate (`app::duplicates`).

/// A decision taken on the pages without saying why.
pub const WRITE_WHY_YOU_DECIDE_SO: Words = Words::new(
    "اكتب سبب القرار: ما الذي رأيته في الطلبين",
    "write why you decide so: what you saw in the two applications",
);

/// A decision that is neither of the two.
pub const NOT_A_DECISION: Words = Words::new(
    "لم يُختر قرار: شخصان مختلفان أو الشخص نفسه",
    "no decision chosen: different people or the same person",
);

// A family as typed (`domain::family`).

/// A one-person case that lists `members` persons.
pub fn not_one_person(members: usize) -> Text {
    Text::new(
        format!(
            "يذكر الطلب {}: طلب القيد لشخص واحد فقط",
            count(members as u64, &nouns::MEMBERS_OBJECT, WESTERN)
        ),
        format!(
            "the application lists {members} persons: a registration covers exactly one person"
        ),
    )
}

pub const UNREGISTERED_HAS_NO_NUMBER: Words = Words::new(
    "لشخص غير مقيد في أي سجل لا يكون رقم قيد: يعطيه هذا الطلب",
    "a person never entered in any register has no register number: this case gives one",
);

pub fn member_number_range(max: usize) -> Text {
    Text::new(
        format!("رقم الفرد يبدأ من 1 ولا يتجاوز {max}"),
        format!("a member is numbered from 1 to at most {max}"),
    )
}

pub const MEMBER_NUMBER_NOT_WHOLE: Words = Words::new(
    "رقم الفرد يجب أن يكون عدداً صحيحاً",
    "the member number must be a whole number",
);

pub const NO_HEAD: Words = Words::new(
    "لا رب للأسرة: يجب أن يكون فرد واحد فقط بصلة «رب الأسرة»",
    "the family has no head: exactly one member must be the head of the family",
);

/// A family with several heads, the members who are named by `ordinals`.
pub fn several_heads(ordinals: &[usize]) -> Text {
    let listed = super::list(ordinals);
    Text::new(
        format!(
            "للأسرة {} (الأفراد {}): يجب أن يكون فرد واحد فقط بصلة «رب الأسرة»",
            count(ordinals.len() as u64, &nouns::HEADS, WESTERN),
            listed.ar
        ),
        format!(
            "the family has {} heads (members {}): exactly one member must be the head of the family",
            ordinals.len(),
            listed.en
        ),
    )
}

pub fn birth_date_in_future(date: impl std::fmt::Display) -> Text {
    Text::new(
        format!("تاريخ الولادة \u{2068}{date}\u{2069} في المستقبل"),
        format!("birth date {date} is in the future"),
    )
}

pub fn birth_date_too_early(date: impl std::fmt::Display) -> Text {
    Text::new(
        format!("تاريخ الولادة \u{2068}{date}\u{2069} مبكر على نحو غير معقول"),
        format!("birth date {date} is implausibly early"),
    )
}

pub fn listed_twice(number: &str, first: usize) -> Text {
    Text::new(
        format!("رقم القيد {number} مسجل للفرد {first}: الفرد مذكور مرتين"),
        format!(
            "register entry {number} is already listed for member {first}: a member is listed twice"
        ),
    )
}

pub const NOT_A_DISTRICT_CODE: Words = Words::new(
    "يجب أن يكون رمز منطقة بحروف لاتينية صغيرة وأرقام وشرطة سفلية",
    "must be a district code in lowercase letters, digits and underscores",
);

pub const NOT_AN_OFFICE_CODE: Words = Words::new(
    "يجب أن يكون رمز مركز بحروف لاتينية صغيرة وأرقام وشرطة سفلية",
    "must be an office code in lowercase letters, digits and underscores",
);

pub fn submitted_before_2000(date: impl std::fmt::Display) -> Text {
    Text::new(
        format!("تاريخ التقديم \u{2068}{date}\u{2069} أقدم من عام 2000"),
        format!("submission date {date} is before 2000"),
    )
}

pub fn submitted_in_future(date: impl std::fmt::Display) -> Text {
    Text::new(
        format!("تاريخ التقديم \u{2068}{date}\u{2069} في المستقبل"),
        format!("submission date {date} is in the future"),
    )
}

pub const NOT_AN_EMAIL: Words = Words::new("ليس عنوان بريد إلكتروني", "is not an email address");

pub const NO_MEMBER: Words = Words::new("لا يذكر الطلب أي فرد", "the family lists no member");

pub fn too_many_members(max: usize) -> Text {
    Text::new(
        format!(
            "لا يجوز أن يذكر الطلب أكثر من {}",
            count(max as u64, &nouns::MEMBERS_OBJECT, WESTERN)
        ),
        format!("a family may list at most {max} members"),
    )
}

pub fn birth_place_empty(limit: usize) -> Text {
    Text::new(
        format!("فارغ: اكتب مكان الولادة (حتى {limit} محرف)"),
        format!("is empty: write the place of birth (up to {limit} characters)"),
    )
}

// Identifiers (`domain::identifiers`): each completes a sentence that
// starts with the field's name.

pub const REGISTER_NUMBER_FORM: Words = Words::new(
    "ليس رقم قيد: الصيغة المتوقعة دفتر/خانة، مثل 1203/45877",
    "is not a register number: expected BOOK/ENTRY, for example 1203/45877 (a book of 1 to 4 digits and an entry of 1 to 6 digits)",
);

pub const NATIONAL_NUMBER_NOT_DIGITS: Words = Words::new(
    "يجب أن يحوي أرقاماً فقط (الرقم الوطني 11 رقماً)",
    "must contain only digits (a national number has 11 digits)",
);

/// A national number of `found` digits.
pub fn national_number_length(found: usize) -> Text {
    Text::new(
        format!("يجب أن يكون 11 رقماً تماماً، وفيه {found}"),
        format!("must have exactly 11 digits, but has {found}"),
    )
}

pub const NATIONAL_NUMBER_LEADING_ZERO: Words =
    Words::new("يجب ألا يبدأ بالصفر", "must not start with 0");

pub const REFERENCE_FORM: Words = Words::new(
    "ليس رقماً مرجعياً: الصيغة المتوقعة رمز-سنة-تسلسل، مثل \u{2068}HSK-2011-000123\u{2069}",
    "is not a reference number: expected PREFIX-YEAR-SEQUENCE, for example HSK-2011-000123",
);

/// A reference number whose office code is `prefix`, not 3 capitals.
pub fn reference_prefix(prefix: &str) -> Text {
    Text::new(
        format!(
            "رمز المركز {} يجب أن يكون 3 أحرف لاتينية كبيرة، مثل \u{2068}HSK\u{2069}",
            isolate(prefix)
        ),
        format!(
            "has the office code \u{201C}{prefix}\u{201D}, but the code must be 3 capital letters A to Z, for example HSK"
        ),
    )
}

/// A reference number whose year is out of range.
pub fn reference_year(year: i32) -> Text {
    Text::new(
        format!("السنة {year} يجب أن تكون بين 2000 و2100"),
        format!("has the year {year}, but the year must be between 2000 and 2100"),
    )
}

/// A reference number whose sequence is out of range.
pub fn reference_sequence(sequence: u32) -> Text {
    Text::new(
        format!("التسلسل {sequence} يجب أن يكون بين 1 و999999"),
        format!("has the sequence {sequence}, but the sequence must be between 1 and 999999"),
    )
}

/// An empty field.
pub const EMPTY: Words = Words::new("فارغ", "is empty");

// Names (`domain::names`): each completes a sentence that starts with the
// field's name. `character` is the offending character as described for
// a reader (its code point, and the character when it is visible).

/// A name longer than `max_chars` characters.
pub fn name_too_long(max_chars: usize) -> Text {
    Text::new(
        format!(
            "أطول من {}",
            count(max_chars as u64, &nouns::CHARACTERS, WESTERN)
        ),
        format!("is longer than {max_chars} characters"),
    )
}

pub fn control_character(character: &str) -> Text {
    Text::new(
        format!(
            "يحوي {}، وهو محرف تحكم أو محرف اتجاه نص لا يقبله أي حقل (احذفه)",
            isolate(character)
        ),
        format!(
            "contains {character}, a control or text-direction character that no field accepts (remove it)"
        ),
    )
}

pub const CONTAINS_A_DIGIT: Words = Words::new("يحوي رقماً", "contains a digit");

pub const NO_ARABIC_LETTER: Words = Words::new("لا يحوي أي حرف عربي", "contains no Arabic letter");

pub const NO_LATIN_LETTER: Words = Words::new("لا يحوي أي حرف لاتيني", "contains no Latin letter");

pub fn not_allowed_in_arabic_name(character: &str) -> Text {
    Text::new(
        format!(
            "يحوي {character} وهو غير مسموح في الاسم العربي (استخدم الحروف العربية والمسافات والشرطات)"
        ),
        format!(
            "contains {character}, which is not allowed in an Arabic name (use Arabic letters, spaces and hyphens)"
        ),
    )
}

pub fn not_allowed_in_latin_name(character: &str) -> Text {
    Text::new(
        format!(
            "يحوي {character} وهو غير مسموح في الاسم اللاتيني (استخدم الحروف من \u{2068}A\u{2069} إلى \u{2068}Z\u{2069} والمسافات والشرطات)"
        ),
        format!(
            "contains {character}, which is not allowed in a Latin name (use the letters A to Z, spaces, hyphens, apostrophes and periods)"
        ),
    )
}

// Free text (`domain::text`).

pub fn too_long(length: usize, max_chars: usize) -> Text {
    Text::new(
        format!(
            "طوله {}، والحد {}: اختصره",
            count(length as u64, &nouns::CHARACTERS, WESTERN),
            count(max_chars as u64, &nouns::CHARACTERS, WESTERN)
        ),
        format!("is {length} characters long; shorten it to at most {max_chars}"),
    )
}

/// A character no field accepts, named by its code point (`U+200F`).
pub fn invisible_character(code: &str) -> Text {
    Text::new(
        format!(
            "يحوي المحرف غير المرئي {}، وهو محرف تحكم أو محرف اتجاه نص لا يقبله أي حقل: احذفه وأعد كتابة النص",
            isolate(code)
        ),
        format!(
            "contains the invisible character {code}, a control or text-direction character that no field accepts: remove it and type the text again"
        ),
    )
}

// A scan's file name (`domain::scans`).

pub const SCAN_NAME_FORM: Words = Words::new(
    "الاسم ليس على الصيغة \u{2068}REFERENCE_OWNER_KIND[_pPAGE].EXT\u{2069} (مثل \u{2068}HSK-2011-000123_2_register_extract_p1.jpg\u{2069})",
    "the name is not REFERENCE_OWNER_KIND[_pPAGE].EXT (for example HSK-2011-000123_2_register_extract_p1.jpg)",
);

pub const SCAN_NAME_REFERENCE: Words = Words::new(
    "الاسم لا يبدأ برقم طلب مثل \u{2068}HSK-2011-000123\u{2069}",
    "the name does not start with a reference number such as HSK-2011-000123",
);

pub const SCAN_NAME_OWNER: Words = Words::new(
    "صاحب المستند ليس \u{2068}family\u{2069} ولا رقم فرد في الطلب",
    "the owner is neither `family` nor a member's number",
);

pub const SCAN_NAME_KIND: Words = Words::new(
    "نوع المستند ليس من أنواع قائمة المستندات",
    "the document kind is not one of the checklist's",
);

pub const SCAN_NAME_PAGE: Words = Words::new(
    "رقم الصفحة ليس عدداً من 1 إلى 999",
    "the page number is not a number from 1 to 999",
);

// Places (`domain::places`).

pub const DISTRICT: Words = Words::new("منطقة", "district");
pub const OFFICE: Words = Words::new("مركز", "office");

/// An office of another district than the one given; `choices` lists
/// that district's offices.
pub fn office_of_another_district(
    code: &str,
    its_district: &Text,
    its_district_code: &str,
    district: &str,
    choices: &Text,
) -> Text {
    Text::new(
        format!(
            "المركز {} تابع لمنطقة {} ({}) لا لمنطقة {}؛ مراكز هذه المنطقة: {}",
            isolate(code),
            its_district.ar,
            isolate(its_district_code),
            isolate(district),
            isolate(&choices.ar)
        ),
        format!(
            "office '{code}' belongs to {} ({its_district_code}), not to district '{district}'; this district's offices are: {}",
            its_district.en, choices.en
        ),
    )
}

/// An unknown code of a `kind` ([`DISTRICT`], [`OFFICE`]), with the
/// nearest valid one when one is close, and every valid one.
pub fn unknown_code(code: &str, kind: Words, nearest: Option<&str>, choices: &Text) -> Text {
    let (hint_ar, hint_en) = match nearest {
        Some(near) => (
            format!("هل تقصد {}؟ ", isolate(near)),
            format!("did you mean '{near}'? "),
        ),
        None => (String::new(), String::new()),
    };
    Text::new(
        format!(
            "{} ليس رمز {} معروفاً؛ {hint_ar}الرموز الصالحة: {}",
            isolate(code),
            kind.ar,
            isolate(&choices.ar)
        ),
        format!(
            "'{code}' is not a known {} code; {hint_en}valid codes: {}",
            kind.en, choices.en
        ),
    )
}

pub fn office_needs_a_district(office: &str, office_names: &Text) -> Text {
    Text::new(
        format!(
            "المركز «{}» يحتاج إلى منطقة واحدة: اذكر المنطقة التي يتبعها المركز",
            office_names.ar
        ),
        format!("office '{office}' needs one district: give the district the office belongs to"),
    )
}

// Passwords (`app::passwords`).

pub fn password_too_short(min_chars: usize) -> Text {
    Text::new(
        format!(
            "كلمة المرور قصيرة: يجب ألا تقل عن {}",
            count(min_chars as u64, &nouns::CHARACTERS, WESTERN)
        ),
        format!("the password is too short: it needs at least {min_chars} characters"),
    )
}

pub fn password_too_long(max_bytes: usize) -> Text {
    Text::new(
        format!("كلمة المرور طويلة جداً: الحد {max_bytes} بايت"),
        format!("the password is too long: at most {max_bytes} bytes"),
    )
}

pub const PASSWORD_HAS_CONTROL: Words = Words::new(
    "كلمة المرور تحوي محرف تحكم",
    "the password contains a control character",
);
pub const PASSWORD_IS_THE_NAME: Words = Words::new(
    "كلمة المرور هي اسم المستخدم نفسه: اختر غيرها",
    "the password is the user's name: choose another",
);
pub const PASSWORD_IS_COMMON: Words = Words::new(
    "كلمة المرور من أكثر كلمات المرور شيوعاً: اختر غيرها",
    "the password is one of the most common passwords: choose another",
);

// The use cases' own fields.

pub const NOT_AN_OFFICER_FOR_THE_CASE: Words = Words::new(
    "ليس موظفاً فعالاً يستطيع العمل على هذا الطلب في منطقته وحالته",
    "is not an active officer who may act on this case in its district and state",
);

pub const GIVE_THE_REMOVAL_REASON: Words = Words::new(
    "اذكر سبب حذف المستند",
    "give the reason the scan is removed",
);

pub const IMPORTER_NAME_EMPTY: Words = Words::new(
    "فارغ: اذكر الاسم الذي يُسجَّل عليه الاستيراد",
    "is empty: give the name the import is recorded under",
);

/// No state at all, where a list of states is named.
pub const NONE: Words = Words::new("لا شيء", "none");

/// A state the officer does not work; `yours` lists those they do.
pub fn not_a_state_you_work(yours: &Text) -> Text {
    Text::new(
        format!("ليست من الحالات التي تعمل عليها؛ حالاتك: {}", yours.ar),
        format!("is not a state you work; yours are: {}", yours.en),
    )
}

// An action's fields (`workflow::fields::FieldKind`): their names, and
// what is wrong with a value, each completing a sentence that starts with
// the field's name.

pub const FIELD_REASON: Words = Words::new("السبب", "the reason");
pub const FIELD_NATIONAL_NUMBER: Words = Words::new("الرقم الوطني", "the national number");
pub const FIELD_CARD_NUMBER: Words = Words::new("رقم البطاقة", "the card number");
pub const FIELD_COLLECTOR_DOCUMENT: Words = Words::new(
    "وثيقة هوية مستلم البطاقة",
    "the collector's identity document",
);
pub const FIELD_REGISTER_NUMBER: Words = Words::new("رقم القيد", "the register number");

/// A field no action has, named as it was sent.
pub fn field_named(name: &str) -> Text {
    Text::new(
        format!("الحقل {}", isolate(name)),
        format!("the field '{name}'"),
    )
}

/// A reason of fewer than `min` characters.
pub fn reason_too_short(min: usize) -> Text {
    Text::new(
        format!(
            "يجب أن يبيّن السبب في {} على الأقل",
            count(min as u64, &nouns::CHARACTERS, WESTERN)
        ),
        format!("must say why in at least {min} characters"),
    )
}

/// A value longer than `max` characters.
pub fn at_most_characters(max: usize) -> Text {
    Text::new(
        format!(
            "يجب ألا يتجاوز {}",
            count(max as u64, &nouns::CHARACTERS, WESTERN)
        ),
        format!("must be at most {max} characters"),
    )
}

pub const CARD_NUMBER_FORM: Words = Words::new(
    "يجب أن يكون من 6 إلى 20 حرفاً أو رقماً أو شرطة",
    "must be 6 to 20 letters, digits or hyphens",
);

pub const COLLECTOR_DOCUMENT_LENGTH: Words = Words::new(
    "يجب أن يسمّي وثيقة هوية المستلم في 3 إلى 100 محرف",
    "must name the collector's identity document in 3 to 100 characters",
);

// Accounts (`app::accounts`, `app::users`).

pub const ACCOUNT_NAME_FORM: Words = Words::new(
    "يجب أن يكون من 1 إلى 64 حرفاً لاتينياً أو رقماً أو نقطة أو شرطة سفلية أو شرطة",
    "must be 1 to 64 letters, digits, dots, underscores or hyphens",
);
pub const A_ROLE_IS_REQUIRED: Words =
    Words::new("يلزم دور واحد على الأقل", "at least one role is required");
pub const NOT_AN_EMAIL_ADDRESS: Words =
    Words::new("ليس عنوان بريد إلكتروني", "is not an email address");
