//! Bringing in what was kept elsewhere: the backlog's CSV rows
//! (`app::import`), the back-scanned documents of a folder
//! (`app::backscan`) and pages scanned one file each (`files::pages`).

use crate::domain::language::{Locale, Text, Words, count, isolate, nouns};

// The backlog's CSV.

pub fn not_csv(error: impl std::fmt::Display) -> Text {
    Text::new(
        "لا يمكن قراءة السطر سطراً من ملف \u{2068}CSV\u{2069}".to_string(),
        format!("cannot be read as CSV: {error}"),
    )
}

pub fn field_count(fields: usize, header: usize) -> Text {
    Text::new(
        format!(
            "في السطر {} والترويسة فيها {header}",
            count(fields as u64, &nouns::FIELDS, Locale::ARABIC_WESTERN)
        ),
        format!("has {fields} fields; the header has {header}"),
    )
}

/// A cell that is not UTF-8, from its byte `at` (counted from 1).
pub fn not_utf8(at: usize) -> Text {
    Text::new(
        format!("ليس نصاً بترميز \u{2068}UTF-8\u{2069} صالح (البايت {at})"),
        format!("is not valid UTF-8 (byte {at})"),
    )
}

/// A reference already used by the family at `file:line`.
pub fn reference_reused(key: &str, file: &str, line: u64) -> Text {
    Text::new(
        format!(
            "المرجع {} مستخدم لأسرة في {}؛ أسطر الأسرة الواحدة متتالية",
            isolate(key),
            isolate(&format!("{file}:{line}"))
        ),
        format!(
            "reference {key} was already used by the family at {file}:{line}; the rows of one family must be consecutive"
        ),
    )
}

pub const NO_HEADER: Words = Words::new(
    "الملف فارغ: لا ترويسة فيه",
    "the file is empty: it has no header",
);
pub const COLUMN_TWICE: Words =
    Words::new("العمود مكرر في الترويسة", "appears twice in the header");
pub const UNKNOWN_COLUMN: Words = Words::new(
    "عمود غير معروف (الأعمدة في دليل التشغيل \u{2068}README.md\u{2069})",
    "is not a known column (README.md lists the columns)",
);
pub const REQUIRED_COLUMN_MISSING: Words = Words::new(
    "عمود مطلوب غائب عن الترويسة",
    "is a required column missing from the header",
);

/// A family's cell that differs from the same column of its first row.
pub fn differs_in_family(value: &str, first_line: u64, first_value: &str) -> Text {
    Text::new(
        format!(
            "{} يخالف ما في السطر {first_line} ({}) للأسرة نفسها",
            isolate(value),
            isolate(first_value)
        ),
        format!("'{value}' differs from line {first_line} ('{first_value}') of the same family"),
    )
}

pub const NOT_A_DATE: Words = Words::new(
    "ليس تاريخاً بالشكل سنة-شهر-يوم، مثل \u{2068}2026-05-01\u{2069}",
    "is not a date written YYYY-MM-DD",
);

/// A state cases cannot be imported in: `typed` as the Arabic reader
/// knows it and as it was typed, and the states that can be, by their
/// Arabic names and by their codes.
pub fn not_importable(typed_ar: &str, typed: &str, importable_ar: &Text, codes: &Text) -> Text {
    Text::new(
        format!(
            "{} ليست حالة يمكن الاستيراد فيها ({})",
            isolate(typed_ar),
            importable_ar.ar
        ),
        format!(
            "'{typed}' is not a state cases can be imported in ({})",
            codes.en
        ),
    )
}

pub fn before_submission(day: impl std::fmt::Display) -> Text {
    Text::new(
        format!("\u{2068}{day}\u{2069} أقدم من تاريخ التقديم"),
        format!("{day} is before the submission date"),
    )
}

pub fn in_the_future(day: impl std::fmt::Display) -> Text {
    Text::new(
        format!("\u{2068}{day}\u{2069} في المستقبل"),
        format!("{day} is in the future"),
    )
}

pub fn outside_your_district(district: &Text) -> Text {
    Text::new(
        format!("«{}» خارج منطقتك", district.ar),
        format!("'{}' is outside your district", district.en),
    )
}

pub fn not_a_document_kind(unknown: &str) -> Text {
    Text::new(
        format!("\u{2068}{unknown}\u{2069} ليس نوع وثيقة"),
        format!("'{unknown}' is not a document kind"),
    )
}

/// An unknown relationship; `known` lists the relationships, by their
/// Arabic names and by their codes.
pub fn not_a_relationship(typed: &str, known: &Text) -> Text {
    Text::new(
        format!("\u{2068}{typed}\u{2069} ليست صلة معروفة ({})", known.ar),
        format!("'{typed}' is not a relationship ({})", known.en),
    )
}

pub const NOT_A_SEX: Words = Words::new(
    "يجب أن يكون ذكر أو أنثى (أو \u{2068}male\u{2069} أو \u{2068}female\u{2069})",
    "must be male or female (or ذكر or أنثى)",
);

pub const NOT_A_FLAG: Words = Words::new(
    "يجب أن يكون نعم أو لا (أو \u{2068}yes\u{2069} أو \u{2068}no\u{2069})",
    "must be yes or no (or نعم or لا)",
);

/// The Arabic words a cell may give for a sex, beside `male` and
/// `female`, as they are compared.
pub const MALE_WORDS: &[&str] = &["ذكر"];
pub const FEMALE_WORDS: &[&str] = &["أنثى", "انثى"];
/// The Arabic words a yes-or-no cell may give, in search form.
pub const NO_WORDS: &[&str] = &["لا"];
pub const YES_WORDS: &[&str] = &["نعم"];

// Back-scanned documents.

pub fn unreadable_folder(folder: impl std::fmt::Display, error: impl std::fmt::Display) -> Text {
    Text::new(
        format!("لا يمكن قراءة المجلد {folder}: {error}"),
        format!("cannot read the folder {folder}: {error}"),
    )
}

pub const ONE_FILE_AND_PAGES: Words = Words::new(
    "المستند نفسه جاء ملفاً واحداً وصفحاتٍ معاً",
    "the same document comes both as one file and as pages",
);

pub fn page_twice(page: u32) -> Text {
    Text::new(
        format!("الصفحة {page} مكررة"),
        format!("page {page} comes twice"),
    )
}

pub fn page_missing(page: u32) -> Text {
    Text::new(
        format!("الصفحة {page} ناقصة، فلم يُرفق المستند"),
        format!("page {page} is missing, so the document is not attached"),
    )
}

pub const NOT_A_SCAN_FILE: Words = Words::new(
    "ليس ملف \u{2068}PDF\u{2069} أو \u{2068}JPEG\u{2069} أو \u{2068}PNG\u{2069} أو \u{2068}TIFF\u{2069}",
    "not a PDF, JPEG, PNG or TIFF file",
);

pub fn larger_than(megabytes: u64) -> Text {
    Text::new(
        format!("أكبر من الحد ({megabytes} ميغابايت)"),
        format!("larger than the limit of {megabytes} MB"),
    )
}

/// An owner (a member's number) the application does not have.
pub fn no_such_member(reference: &str, owner: &str) -> Text {
    Text::new(
        format!(
            "الطلب {} ليس فيه فرد برقم {}",
            isolate(reference),
            isolate(owner)
        ),
        format!("application {reference} has no member {owner}"),
    )
}

pub fn no_such_application(reference: &str) -> Text {
    Text::new(
        format!("لا يوجد طلب برقم {}", isolate(reference)),
        format!("no application has the reference {reference}"),
    )
}

// Pages made into one PDF.

pub fn page_not_an_image(page: u32) -> Text {
    Text::new(
        format!(
            "الصفحة {page} ليست صورة \u{2068}JPEG\u{2069} أو \u{2068}PNG\u{2069} (مستند \u{2068}PDF\u{2069} أو \u{2068}TIFF\u{2069} يأتي ملفاً واحداً)"
        ),
        format!(
            "page {page} is not a JPEG or PNG image (PDF and TIFF documents must come as one file)"
        ),
    )
}

pub fn page_damaged(page: u32, what: &str) -> Text {
    Text::new(
        format!("الصفحة {page} صورة تالفة"),
        format!("page {page} is a damaged image ({what})"),
    )
}

pub fn page_unsupported(page: u32, what: &str) -> Text {
    Text::new(
        format!("الصفحة {page} صورة \u{2068}PNG\u{2069} لا يمكن ضمها"),
        format!("page {page} is a PNG image this store does not combine ({what})"),
    )
}
