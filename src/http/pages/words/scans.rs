//! The scans page's words: the documents scanned for a case.

#[allow(unused_imports)]
pub use super::*;

pub const SCANNED_DOCUMENTS: Words = Words::new("صور المستندات", "Scanned documents");
pub const THIS_CASES_SCANS_WERE_DELETED_ON: Words = Words::new(
    "حُذفت صور مستندات هذا الطلب في ",
    "This case's scans were deleted on ",
);
pub const AT_THE_END_OF_THEIR_RETENTION: Words = Words::new(
    " بانتهاء مدة حفظها بعد إغلاقه؛ بصمة كل صورة (\u{2068}SHA-256\u{2069}) باقية في السجل.",
    " at the end of their retention period after it closed; each scan's SHA-256 stays in the history.",
);
pub const NO_DOCUMENT_HAS_A_SCAN_STORED: Words = Words::new(
    "لم تحفظ صورة لأي مستند بعد.",
    "No document has a scan stored yet.",
);
pub const WHOSE: Words = Words::new("صاحب المستند", "Whose");
pub const DOCUMENT: Words = Words::new("المستند", "Document");
pub const TYPE_AND_SIZE: Words = Words::new("النوع والحجم", "Type and size");
pub const STORED_BY: Words = Words::new("حفظها", "Stored by");
pub const SCAN: Words = Words::new("الصورة", "Scan");
pub const OPEN_THE_SCAN: Words = Words::new("فتح الصورة", "Open the scan");
pub const THE_FAMILY: Words = Words::new("العائلة", "The family");
pub const LIST_COMMA_TIGHT: Words = Words::new("،", ",");
pub const ATTACH_A_SCAN: Words = Words::new("إرفاق صورة مستند", "Attach a scan");
pub const THE_FILE_PDF_JPEG_PNG_OR: Words = Words::new(
    "الملف (\u{2068}PDF\u{2069} أو \u{2068}JPEG\u{2069} أو \u{2068}PNG\u{2069} أو \u{2068}TIFF\u{2069})",
    "The file (PDF, JPEG, PNG or TIFF)",
);
pub const STORE_THE_SCAN: Words = Words::new("احفظ الصورة", "Store the scan");
pub const BACK_TO_THE_APPLICATION: Words = Words::new("عد إلى الطلب", "Back to the application");
pub const NO_FILE_WAS_CHOSEN: Words = Words::new("لم يختر ملف", "No file was chosen");
