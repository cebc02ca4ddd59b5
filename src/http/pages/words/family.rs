//! The family form's words: opening a case and editing its family.

#[allow(unused_imports)]
pub use super::*;

pub const EDIT_THE_FAMILY: Words = Words::new("تعديل بيانات العائلة", "Edit the family");
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
pub const ADD_A_MEMBER: Words = Words::new("أضف فرداً", "Add a member");
pub const RELATIONSHIP: Words = Words::new("صلة القرابة", "Relationship");
pub const E_MAIL: Words = Words::new("البريد الإلكتروني", "E-mail");
