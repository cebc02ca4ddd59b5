//! The family form's words: opening a case and editing its family.

#[allow(unused_imports)]
pub use super::*;

/// An error page's title before the case's workflow is known (the form's
/// own title comes from the definition).
pub const EDIT_THE_APPLICATION: Words = Words::new("تعديل بيانات الطلب", "Edit the application");
pub const THERE_IS_A_PROBLEM: Words = Words::new("يوجد ما يجب تصحيحه", "There is a problem");
pub const THE_APPLICATION: Words = Words::new("الطلب", "The application");
pub const KIND_OF_APPLICATION: Words = Words::new("نوع الطلب", "Kind of application");
pub const LINKED_FAMILY_CASE_OPTIONAL_FOR_THE: Words = Words::new(
    "طلب العائلة المرتبط (لطلب قيد شخص واحد، اختياري)",
    "Linked family case (optional, for the registration of one person)",
);
pub const OFFICE_OF_FILING: Words = Words::new("مكتب التقديم", "Office of filing");
pub const CHOOSE: Words = Words::new("— اختر —", "— choose —");
pub const DATE_OF_FILING: Words = Words::new("تاريخ التقديم", "Date of filing");
pub const APPLICANTS_E_MAIL_OPTIONAL: Words = Words::new(
    "البريد الإلكتروني لمقدم الطلب (اختياري)",
    "Applicant's e-mail (optional)",
);
pub const SEX: Words = Words::new("الجنس", "Sex");
pub const MALE: Words = Words::new("ذكر", "Male");
pub const FEMALE: Words = Words::new("أنثى", "Female");
pub const RELATIONSHIP_TO_THE_HEAD: Words =
    Words::new("صلة القرابة برب الأسرة", "Relationship to the head");
pub const LIVES_ABROAD: Words = Words::new("مقيم خارج البلاد", "Lives abroad");
pub const REMOVE_THIS_MEMBER: Words = Words::new("احذف هذا الفرد", "Remove this member");
pub const RELATIONSHIP: Words = Words::new("صلة القرابة", "Relationship");
pub const E_MAIL: Words = Words::new("البريد الإلكتروني", "E-mail");

pub const OPEN_THE_APPLICATION: Words = Words::new("افتح الطلب", "Open the application");
pub const SAVE_THE_CHANGES: Words = Words::new("احفظ التعديلات", "Save the changes");
/// Before the title of another kind of application's form, as a link.
pub const OPEN_INSTEAD: Words = Words::new("أو افتح:", "Or open:");

// A member's fields, as the form labels them.
pub const FIRST_NAME: Words = Words::new("الاسم", "First name");
pub const FATHERS_NAME: Words = Words::new("اسم الأب", "Father's name");
pub const MOTHERS_FULL_NAME: Words = Words::new("اسم الأم ونسبتها", "Mother's full name");
pub const FAMILY_NAME: Words = Words::new("النسبة (الكنية)", "Family name");
pub const LATIN_FIRST_NAME_OPTIONAL: Words = Words::new(
    "الاسم بالأحرف اللاتينية (اختياري)",
    "First name in Latin letters (optional)",
);
pub const LATIN_FAMILY_NAME_OPTIONAL: Words = Words::new(
    "النسبة بالأحرف اللاتينية (اختياري)",
    "Family name in Latin letters (optional)",
);
pub const DATE_OF_BIRTH: Words = Words::new("تاريخ الميلاد", "Date of birth");
pub const PLACE_OF_BIRTH: Words = Words::new("مكان الولادة", "Place of birth");
pub const FOREIGNERS_REGISTER_ENTRY: Words = Words::new(
    "رقم القيد في سجل الأجانب (الخانة/القيد)",
    "Foreigners' register entry (book/entry)",
);

// What the form says of a field it could not even read.
pub const CHOOSE_THE_OFFICE_OF_FILING: Words = Words::new(
    "اختر المكتب الذي قُدّم فيه الطلب",
    "choose the office the application was filed at",
);
pub const CHOOSE_THE_SEX: Words = Words::new("اختر الجنس", "choose the sex");
pub const CHOOSE_THE_RELATIONSHIP_TO_THE_HEAD: Words = Words::new(
    "اختر صلة القرابة برب الأسرة",
    "choose the relationship to the head of the family",
);

// Adding a member: the kind of member decides what is filled in for them.
pub const ADD_THE_SPOUSE: Words = Words::new("أضف الزوج أو الزوجة", "Add the spouse");
pub const ADD_A_SON: Words = Words::new("أضف ابناً", "Add a son");
pub const ADD_A_DAUGHTER: Words = Words::new("أضف ابنة", "Add a daughter");
pub const HOW_MANY_TO_ADD: Words = Words::new("عدد من يُضاف", "How many to add");
pub const ADD_ANOTHER_MEMBER: Words = Words::new("أضف فرداً آخر", "Add another member");

// An edit saved on a family someone else changed meanwhile.
pub const CHANGED_SINCE_YOU_OPENED_IT: Words = Words::new(
    "تغيّرت بيانات هذا الطلب بعد أن فتحتَ النموذج",
    "This case was changed after you opened the form",
);
pub const WHAT_CHANGED_SINCE: Words = Words::new(
    "ما جرى عليه منذ ذلك الحين:",
    "What was done to it since then:",
);
pub const YOUR_TYPING_IS_KEPT: Words = Words::new(
    "ما كتبتَه محفوظ أدناه، فوق بيانات الطلب كما هي الآن. راجِعه ثم احفظ مرة أخرى.",
    "What you typed is kept below, on top of the case as it is now. Check it and save again.",
);
pub const FIELDS_CHANGED_MEANWHILE: Words = Words::new(
    "حقول غيّرها غيرك ولم تغيّرها أنت، فأُخذت قيمتها الحالية:",
    "Fields someone else changed and you did not, now showing their current value:",
);
pub const BOTH_CHANGED: Words = Words::new(
    "حقول غيّرتَها أنت وغيّرها غيرك: اختر القيمة التي تبقى",
    "Fields you and someone else both changed: choose the value to keep",
);
pub const YOUR_VALUE: Words = Words::new("قيمتك", "Your value");
pub const THE_VALUE_NOW: Words = Words::new("القيمة الحالية", "The value now");
pub const CHOOSE_ONE_OF_THE_TWO_VALUES: Words = Words::new(
    "اختر إحدى القيمتين: قيمتك أو القيمة الحالية",
    "choose one of the two values: yours or the one now",
);
pub const EMPTY: Words = Words::new("(فارغ)", "(empty)");
pub const YES: Words = Words::new("نعم", "Yes");
pub const NO: Words = Words::new("لا", "No");
