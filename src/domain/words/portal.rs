//! The agencies' portal: the results its access log records, the scopes a
//! key may be granted, and what is wrong with a query.

use crate::domain::language::{Locale, Text, Words, count, nouns};

const WESTERN: Locale = Locale::ARABIC_WESTERN;

// The results of a query, as the access log names them.

pub const ANSWERED: Words = Words::new("أجيب", "Answered");
pub const NO_RECORD: Words = Words::new("لا قيد له", "Not in the registers");
pub const NOT_VISIBLE: Words = Words::new("غير مرئي للجهة", "Not visible to the agency");
pub const KEY_REVOKED: Words = Words::new("مفتاح ملغى", "Revoked key");
pub const KEY_EXPIRED: Words = Words::new("مفتاح منتهي الصلاحية", "Expired key");
pub const SCOPE_NOT_GRANTED: Words = Words::new("نطاق غير ممنوح", "Scope not granted");
pub const RATE_LIMITED: Words = Words::new("تجاوز حد الاستعلامات", "Rate limit reached");
pub const INVALID: Words = Words::new("طلب غير صالح", "Invalid request");

// The scopes a key may be granted.

pub const NATURALIZATION_STATUS: Words = Words::new("حالة التجنيس", "Naturalization status");
pub const CARD_STATUS: Words = Words::new("حالة البطاقة الشخصية", "ID card status");

// What is wrong with a query.

pub const NOT_A_DATE: Words = Words::new(
    "يجب أن يكون تاريخاً بالصيغة سنة-شهر-يوم، مثل \u{2068}2026-05-01\u{2069}",
    "must be a date YYYY-MM-DD",
);

pub const NAME_THE_PERSON: Words = Words::new(
    "حدد الشخص بالرقم الوطني وحده، أو برقم القيد مع تاريخ الولادة",
    "name the person by national_number alone, or by register_number and birth_date",
);

pub fn state_the_purpose(min: usize, max: usize) -> Text {
    Text::new(
        format!(
            "اذكر الغاية من الاستعلام (من {min} إلى {})",
            count(max as u64, &nouns::CHARACTERS, WESTERN)
        ),
        format!("state the purpose of the query ({min} to {max} characters)"),
    )
}

pub fn purpose_too_long(max: usize) -> Text {
    Text::new(
        format!(
            "يجب ألا يتجاوز {}",
            count(max as u64, &nouns::CHARACTERS, WESTERN)
        ),
        format!("must be at most {max} characters"),
    )
}

pub fn batch_size(max: usize) -> Text {
    Text::new(
        format!(
            "حدد من 1 إلى {}",
            count(max as u64, &nouns::PERSONS_OBJECT, WESTERN)
        ),
        format!("name 1 to {max} persons"),
    )
}

pub fn batch_over_rate(rate: u64) -> Text {
    Text::new(
        format!(
            "لا يجوز أن تتجاوز الدفعة {}، وهو حد الجهة في الدقيقة",
            count(rate, &nouns::PERSONS_OBJECT, WESTERN)
        ),
        format!("a batch may name at most {rate} persons, the agency's rate per minute"),
    )
}

// The portal's own problems over HTTP.

pub const SEND_A_VALID_KEY: Words = Words::new(
    "أرسل مفتاح جهة صالحاً في الترويسة \u{2068}Authorization: Bearer\u{2069} (المفتاح غير معروف أو ملغى أو منتهي الصلاحية)",
    "send a valid agency key in the header Authorization: Bearer (the key is unknown, revoked or expired)",
);

pub fn scope_not_granted(scope: &str) -> Text {
    Text::new(
        format!(
            "لم يُمنح مفتاح هذه الجهة نطاق {}",
            crate::domain::language::isolate(scope)
        ),
        format!("this agency's key is not granted the scope {scope}"),
    )
}

pub const FROM_AFTER_TO: Words = Words::new(
    "يجب ألا يكون \u{2068}from\u{2069} بعد \u{2068}to\u{2069}؛ اختر يوماً قبله",
    "must not be after 'to': choose an earlier day",
);

pub const PERIOD_TOO_LONG: Words = Words::new(
    "الفترة أطول من عشر سنوات (3660 يوماً)؛ اختر \u{2068}from\u{2069} أقرب إلى \u{2068}to\u{2069}",
    "the period is longer than ten years (3660 days): choose a 'from' closer to 'to'",
);
