//! The API's and the portal's problems (RFC 9457 problem+json): each
//! status's title, the details the plumbing gives (a body, a query, a
//! header), and what is wrong with a route's own parameters.

use crate::domain::language::{Locale, Text, Words, count, isolate, nouns};

// Titles.

pub const BAD_REQUEST: Words = Words::new("طلب غير صالح", "Bad request");
pub const UNAUTHORIZED: Words = Words::new("غير مصادق", "Unauthorized");
pub const TOO_MANY_REQUESTS: Words = Words::new("طلبات كثيرة", "Too many requests");
pub const NOT_FOUND: Words = Words::new("غير موجود", "Not found");
pub const VALIDATION_FAILED: Words = Words::new("بيانات غير صالحة", "Validation failed");
pub const FORBIDDEN: Words = Words::new("غير مسموح", "Forbidden");
pub const ACTION_REFUSED: Words = Words::new("الإجراء مرفوض", "Action refused");
pub const PRECONDITION_FAILED: Words = Words::new("نسخة قديمة", "Precondition failed");
pub const CONFLICT: Words = Words::new("تعارض", "Conflict");
pub const ALREADY_EXISTS: Words = Words::new("موجود مسبقاً", "Already exists");
pub const IDEMPOTENCY_KEY_REUSED: Words = Words::new("مفتاح مستخدم", "Idempotency-Key reused");
pub const PAYLOAD_TOO_LARGE: Words = Words::new("الملف كبير جداً", "Payload too large");
pub const UNSUPPORTED_FILE_TYPE: Words = Words::new("نوع ملف غير مقبول", "Unsupported media type");
pub const SERVICE_UNAVAILABLE: Words = Words::new("الخدمة غير متاحة", "Service unavailable");
pub const UNEXPECTED_ERROR: Words = Words::new("خطأ غير متوقع", "Unexpected error");
pub const UNSUPPORTED_MEDIA_TYPE: Words =
    Words::new("نوع محتوى غير مدعوم", "Unsupported media type");
pub const INVALID_BODY: Words = Words::new("محتوى غير صالح", "Invalid body");
pub const BODY_TOO_LARGE: Words = Words::new("الجسم كبير جداً", "Body too large");
pub const REQUEST_REFUSED: Words = Words::new("طلب مرفوض", "Request refused");

// Details.

pub const SEND_A_VALID_TOKEN: Words = Words::new(
    "أرسل رمز دخول صالحاً في الترويسة \u{2068}Authorization: Bearer\u{2069}",
    "send a valid token in the header Authorization: Bearer",
);

pub fn rate_limited(retry_after: u64) -> Text {
    Text::new(
        format!(
            "بلغت الجهة حدها من الاستعلامات؛ أعد المحاولة بعد {}",
            count(retry_after, &nouns::SECONDS_AFTER, Locale::ARABIC_WESTERN)
        ),
        format!("the agency's rate limit is reached; retry in {retry_after} s"),
    )
}

// What was not found, each naming it in both languages; a reference (a
// case's number, a user's or an agency's name, a code) is isolated.

pub fn no_case(reference: &str) -> Text {
    Text::new(
        format!("لا يوجد طلب برقم {}", isolate(reference)),
        format!("application {reference} does not exist"),
    )
}

pub fn no_member(ordinal: u32, reference: &str) -> Text {
    Text::new(
        format!("ليس في الطلب {} فرد برقم {ordinal}", isolate(reference)),
        format!("application {reference} has no member {ordinal}"),
    )
}

/// No scan of `document` for the family (`member` is `None`) or a member.
pub fn no_scan(document: &Text, member: Option<u32>, reference: &str) -> Text {
    let reference_ar = isolate(reference);
    match member {
        None => Text::new(
            format!(
                "لا توجد صورة {} للعائلة في الطلب {reference_ar}",
                document.ar
            ),
            format!(
                "a scan of the family's {} does not exist in application {reference}",
                document.en
            ),
        ),
        Some(n) => Text::new(
            format!(
                "لا توجد صورة {} للفرد {n} في الطلب {reference_ar}",
                document.ar
            ),
            format!(
                "a scan of member {n}'s {} does not exist in application {reference}",
                document.en
            ),
        ),
    }
}

/// A document named by a path that names no owner or kind of document.
pub fn no_document(path: &str, reference: &str) -> Text {
    Text::new(
        format!(
            "لا يوجد مستند {} في الطلب {}",
            isolate(path),
            isolate(reference)
        ),
        format!("document {path} of application {reference} does not exist"),
    )
}

pub fn no_active_user(name: &str) -> Text {
    Text::new(
        format!("لا يوجد مستخدم فعّال باسم {}", isolate(name)),
        format!("active user {name} does not exist"),
    )
}

/// No possible duplicate `flag` on the case.
pub fn no_duplicate_flag(flag: i64, reference: &str) -> Text {
    Text::new(
        format!(
            "لا يوجد تشابه محتمل برقم {flag} في الطلب {}",
            isolate(reference)
        ),
        format!("possible duplicate {flag} of application {reference} does not exist"),
    )
}

pub fn no_workflow(key: &str) -> Text {
    Text::new(
        format!("لا يوجد مسار عمل {}", isolate(key)),
        format!("workflow {key} does not exist"),
    )
}

pub fn no_workflow_version(name: &str, version: &str) -> Text {
    Text::new(
        format!(
            "لا توجد النسخة {} من مسار العمل {}",
            isolate(version),
            isolate(name)
        ),
        format!("workflow {name} version {version} does not exist"),
    )
}

pub fn no_migration_map(from: &str, to: &str) -> Text {
    Text::new(
        format!("لا توجد خريطة نقل من {} إلى {}", isolate(from), isolate(to)),
        format!("migration map from {from} to {to} does not exist"),
    )
}

pub fn no_possible_duplicate(flag: i64, reference: &str) -> Text {
    Text::new(
        format!(
            "لا يوجد تكرار محتمل برقم {flag} للطلب {}",
            isolate(reference)
        ),
        format!("possible duplicate {flag} of {reference} does not exist"),
    )
}

pub fn no_target(name: &str) -> Text {
    Text::new(
        format!("لا يوجد هدف باسم {}", isolate(name)),
        format!("target '{name}' does not exist"),
    )
}

pub fn no_agency(name: &str) -> Text {
    Text::new(
        format!("لا توجد جهة باسم {}", isolate(name)),
        format!("agency {name} does not exist"),
    )
}

pub fn no_active_agency(name: &str) -> Text {
    Text::new(
        format!("لا توجد جهة فعّالة باسم {}", isolate(name)),
        format!("active agency {name} does not exist"),
    )
}

pub fn no_active_key(prefix: &str, agency: &str) -> Text {
    Text::new(
        format!(
            "ليس للجهة {} مفتاح فعّال يبدأ بـ {}",
            isolate(agency),
            isolate(prefix)
        ),
        format!("active key {prefix} of agency {agency} does not exist"),
    )
}

pub fn no_failed_mail(id: i64) -> Text {
    Text::new(
        format!("لا توجد رسالة متعثرة برقم {id}"),
        format!("failed mail {id} does not exist"),
    )
}

pub const NO_RECORD: Words = Words::new("السجل المطلوب غير موجود", "the record does not exist");

pub const NOTHING_AT_THIS_ADDRESS: Words = Words::new(
    "لا يوجد شيء بهذا العنوان",
    "nothing is served at this address",
);

/// How many fields are invalid, the noun agreeing with its number
/// (حقل واحد غير صالح، حقلان غير صالحين، 3 حقول غير صالحة، 12 حقلاً غير
/// صالح), the adjective agreeing with the noun's form.
pub fn fields_invalid(n: usize) -> Text {
    let ar = match n {
        1 => "حقل واحد غير صالح".to_string(),
        2 => "حقلان غير صالحين".to_string(),
        n => format!(
            "{} {}",
            count(n as u64, &nouns::FIELDS, Locale::ARABIC_WESTERN),
            if (3..=10).contains(&(n % 100)) {
                "غير صالحة"
            } else {
                "غير صالح"
            }
        ),
    };
    let en = if n == 1 {
        "1 field is invalid".to_string()
    } else {
        format!("{n} fields are invalid")
    };
    Text::new(ar, en)
}

pub fn stale_version(expected: i64, current: i64) -> Text {
    Text::new(
        format!("الطلب في النسخة {current} لا {expected}: أعد تحميله ثم حاول مجدداً"),
        format!("the case is at version {current}, not {expected}: reload it and try again"),
    )
}

pub const CONCURRENT_CHANGE: Words = Words::new(
    "غيّر موظف آخر هذا الطلب في اللحظة نفسها: أعد تحميله ثم حاول مجدداً",
    "someone else changed the case at the same moment: reload it and try again",
);

// What exists already.

pub fn user_exists(name: &str) -> Text {
    Text::new(
        format!("يوجد مستخدم باسم {} مسبقاً", isolate(name)),
        format!("already exists: user {name}"),
    )
}

pub fn agency_exists(name: &str) -> Text {
    Text::new(
        format!("توجد جهة باسم {} مسبقاً", isolate(name)),
        format!("already exists: agency {name}"),
    )
}

/// National numbers one of which is another person's already (`numbers`
/// as the request gave them).
pub fn national_number_taken(numbers: &[&str]) -> Text {
    match numbers {
        [] => Text::new(
            "الرقم الوطني لأحد الأفراد معطى لشخص آخر",
            "a member's national number is given to another person",
        ),
        [number] => Text::new(
            format!("الرقم الوطني {} معطى لشخص آخر", isolate(number)),
            format!("national number {number} is given to another person"),
        ),
        many => {
            let list = many.join(", ");
            Text::new(
                format!("أحد الأرقام الوطنية {} معطى لشخص آخر", isolate(&list)),
                format!("one of the national numbers {list} is given to another person"),
            )
        }
    }
}

/// A row that a unique constraint (named for the log and for English
/// readers) keeps from being stored twice.
pub fn already_stored(constraint: &str) -> Text {
    Text::new(
        "يوجد سجل بالقيمة نفسها مسبقاً",
        format!("already exists: {constraint}"),
    )
}

pub const KEY_USED_FOR_ANOTHER_REQUEST: Words = Words::new(
    "استُخدم مفتاح \u{2068}Idempotency-Key\u{2069} هذا لطلب مختلف",
    "this Idempotency-Key was already used for a different request",
);

pub fn largest_file(limit: u64) -> Text {
    Text::new(
        format!("أكبر ملف مقبول {limit} بايت"),
        format!("the largest file accepted is {limit} bytes"),
    )
}

pub const FILE_TYPES_ACCEPTED: Words = Words::new(
    "يقبل ملف \u{2068}PDF\u{2069} أو \u{2068}JPEG\u{2069} أو \u{2068}PNG\u{2069} أو \u{2068}TIFF\u{2069} فقط، ويعرف نوعه من محتواه",
    "only PDF, JPEG, PNG or TIFF files are accepted, recognised by their content",
);

pub const DATABASE_UNAVAILABLE: Words = Words::new(
    "قاعدة البيانات غير متاحة حالياً",
    "the database is unavailable right now",
);

pub const UNEXPECTED_LOGGED: Words = Words::new(
    "حدث خطأ غير متوقع؛ أُبلغ عنه برقم الطلب",
    "an unexpected error occurred; it was logged under the request id",
);

pub const SEND_JSON: Words = Words::new(
    "أرسل الجسم بصيغة \u{2068}JSON\u{2069} مع الترويسة \u{2068}Content-Type: application/json\u{2069}",
    "send the body as JSON with Content-Type: application/json",
);

/// The body's JSON does not fit the schema; `detail` is the parser's
/// words, in English.
pub fn json_does_not_fit(detail: &str) -> Text {
    Text::new(
        "محتوى \u{2068}JSON\u{2069} لا يطابق المخطط: انظر وصف الواجهة",
        detail,
    )
}

pub fn malformed_json(detail: &str) -> Text {
    Text::new("الجسم ليس \u{2068}JSON\u{2069} سليماً", detail)
}

pub const BODY_OVER_LIMIT: Words = Words::new(
    "حجم الطلب يتجاوز الحد المسموح (256 كيلوبايت)",
    "the request body exceeds the limit of 256 KiB",
);

pub fn unreadable_body(detail: &str) -> Text {
    Text::new("تعذرت قراءة الجسم", detail)
}

pub fn invalid_query(detail: &str) -> Text {
    Text::new("معاملات الاستعلام غير صالحة: انظر وصف الواجهة", detail)
}

pub fn invalid_path(detail: &str) -> Text {
    Text::new("العنوان غير صالح", detail)
}

pub const IF_MATCH_NAMES_NO_VERSION: Words = Words::new(
    "الترويسة \u{2068}If-Match\u{2069} يجب أن تحمل رقم النسخة كما في \u{2068}ETag\u{2069}، مثل \u{2068}\"3\"\u{2069}",
    "If-Match must carry the version from the ETag, e.g. \"3\"",
);

pub const BAD_IDEMPOTENCY_KEY: Words = Words::new(
    "المفتاح \u{2068}Idempotency-Key\u{2069} يجب أن يكون من 1 إلى 128 محرفاً مرئياً",
    "Idempotency-Key must be 1 to 128 visible ASCII characters",
);

pub const FORGED: Words = Words::new(
    "لم يأتِ هذا الطلب من صفحة هذا الخادم أو انتهت صلاحية النموذج: أعد تحميل الصفحة وحاول مجدداً؛ لم يتغير شيء",
    "this request did not come from this server's own page, or the form is stale: reload the page and try again; nothing changed",
);

// A route's own parameters.

/// `limit` outside 1 to `max`.
pub fn limit_between(max: u64) -> Text {
    Text::new(
        format!("المعامل \u{2068}limit\u{2069} يجب أن يكون بين 1 و{max}"),
        format!("limit must be between 1 and {max}"),
    )
}

pub const BAD_PAGE: Words = Words::new(
    "الحد من 1 إلى 1000، وما بعده عدد غير سالب",
    "limit is from 1 to 1000, and after is not negative",
);

pub const BAD_FILE_NAME: Words = Words::new(
    "اسم الملف: حروف لاتينية وأرقام و . - _ فقط (100 على الأكثر)",
    "file: letters, digits, '.', '-' and '_' only (at most 100)",
);

pub const IMPORT_OVER_LIMIT: Words = Words::new(
    "ملف الاستيراد يتجاوز 64 ميغابايت: قسّمه إلى ملفات أصغر",
    "the import file exceeds 64 MiB: split it into smaller files",
);

pub const IMPORT_FILE_EMPTY: Words = Words::new(
    "الملف فارغ: أرسل صفوف \u{2068}CSV\u{2069} في جسم الطلب",
    "the file is empty: send the CSV rows in the request body",
);

pub const MIGRATION_VALUE_TOO_LONG: Words = Words::new(
    "قيمة أطول من 100 حرف",
    "a value is longer than 100 characters",
);

pub const ID_NOT_WHOLE: Words = Words::new("رقم غير صالح", "the id must be a whole number");

pub const BAD_CURSOR: Words = Words::new(
    "المؤشر \u{2068}cursor\u{2069} ليس مما أعطته هذه الواجهة: أرسل \u{2068}next_cursor\u{2069} كما ورد",
    "the cursor is not one this API gave: send next_cursor as it came",
);

pub const BAD_SORT: Words = Words::new(
    "المعامل \u{2068}sort\u{2069} يقبل \u{2068}age\u{2069} أو \u{2068}due\u{2069}",
    "sort must be 'age' or 'due'",
);

pub fn too_many_name_words(max: usize) -> Text {
    Text::new(
        format!("اكتب {max} كلمات على الأكثر من الاسم"),
        format!("type at most {max} words of the name"),
    )
}

pub const BAD_ASSIGNED: Words = Words::new(
    "المعامل \u{2068}assigned\u{2069} يقبل \u{2068}me\u{2069} أو \u{2068}unassigned\u{2069}",
    "assigned must be 'me' or 'unassigned'",
);

pub const NEGATIVE_SEED: Words = Words::new("البذرة عدد غير سالب", "the seed is a number from 0");
