//! The API's and the portal's problems (RFC 9457 problem+json): each
//! status's title, the details the plumbing gives (a body, a query, a
//! header), and what is wrong with a route's own parameters.

use crate::domain::language::{Locale, Text, Words, count, nouns};

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
    "أرسل رمز دخول صالحاً في الترويسة Authorization: Bearer",
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

pub fn does_not_exist(what: &str) -> Text {
    Text::new(format!("لا يوجد {what}"), format!("{what} does not exist"))
}

pub fn fields_invalid(n: usize) -> Text {
    Text::new(
        format!("{n} من الحقول غير صالحة"),
        format!("{n} field(s) are invalid"),
    )
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

pub fn already_exists(what: &str) -> Text {
    Text::new(
        format!("موجود مسبقاً: {what}"),
        format!("already exists: {what}"),
    )
}

pub const KEY_USED_FOR_ANOTHER_REQUEST: Words = Words::new(
    "استُخدم مفتاح Idempotency-Key هذا لطلب مختلف",
    "this Idempotency-Key was already used for a different request",
);

pub fn largest_file(limit: u64) -> Text {
    Text::new(
        format!("أكبر ملف مقبول {limit} بايت"),
        format!("the largest file accepted is {limit} bytes"),
    )
}

pub const FILE_TYPES_ACCEPTED: Words = Words::new(
    "يقبل ملف PDF أو JPEG أو PNG أو TIFF فقط، ويعرف نوعه من محتواه",
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
    "أرسل الجسم بصيغة JSON مع Content-Type: application/json",
    "send the body as JSON with Content-Type: application/json",
);

/// The body's JSON does not fit the schema; `detail` is the parser's
/// words, in English.
pub fn json_does_not_fit(detail: &str) -> Text {
    Text::new(format!("محتوى JSON لا يطابق المخطط: {detail}"), detail)
}

pub fn malformed_json(detail: &str) -> Text {
    Text::new(format!("JSON غير سليم: {detail}"), detail)
}

pub const BODY_OVER_LIMIT: Words = Words::new(
    "حجم الطلب يتجاوز الحد المسموح (256 كيلوبايت)",
    "the request body exceeds the limit of 256 KiB",
);

pub fn unreadable_body(detail: &str) -> Text {
    Text::new(format!("تعذرت قراءة الجسم: {detail}"), detail)
}

pub fn invalid_query(detail: &str) -> Text {
    Text::new(format!("معاملات الاستعلام غير صالحة: {detail}"), detail)
}

pub fn invalid_path(detail: &str) -> Text {
    Text::new(format!("المسار غير صالح: {detail}"), detail)
}

pub const IF_MATCH_NAMES_NO_VERSION: Words = Words::new(
    "الترويسة If-Match يجب أن تحمل رقم النسخة كما في ETag، مثل \"3\"",
    "If-Match must carry the version from the ETag, e.g. \"3\"",
);

pub const BAD_IDEMPOTENCY_KEY: Words = Words::new(
    "Idempotency-Key يجب أن يكون من 1 إلى 128 محرفاً مرئياً",
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
        format!("limit يجب أن يكون بين 1 و{max}"),
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
    "الملف فارغ: أرسل صفوف CSV في جسم الطلب",
    "the file is empty: send the CSV rows in the request body",
);

pub const MIGRATION_VALUE_TOO_LONG: Words = Words::new(
    "قيمة أطول من 100 حرف",
    "a value is longer than 100 characters",
);

pub const ID_NOT_WHOLE: Words = Words::new("رقم غير صالح", "the id must be a whole number");

pub const BAD_CURSOR: Words = Words::new(
    "المؤشر cursor ليس مما أعطته هذه الواجهة: أرسل next_cursor كما ورد",
    "the cursor is not one this API gave: send next_cursor as it came",
);

pub const BAD_SORT: Words = Words::new("sort يقبل age أو due", "sort must be 'age' or 'due'");

pub fn too_many_name_words(max: usize) -> Text {
    Text::new(
        format!("اكتب {max} كلمات على الأكثر من الاسم"),
        format!("type at most {max} words of the name"),
    )
}

pub const BAD_ASSIGNED: Words = Words::new(
    "assigned يقبل me أو unassigned",
    "assigned must be 'me' or 'unassigned'",
);

pub const NEGATIVE_SEED: Words = Words::new("البذرة عدد غير سالب", "the seed is a number from 0");
