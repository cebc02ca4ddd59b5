//! The names of the domain's kinds as a person reads them in a message:
//! roles, the officers of a role, relationships in a family and the
//! documents of the checklist; and the Arabic words a clerk may write for
//! a relationship besides its name. Each kind says which of these names it
//! goes by (`Role::words`, `Relationship::words`, `DocumentKind::words`).

use crate::domain::language::Words;

// A role's name (an officer of it, in the singular).

pub const ROLE_INTAKE_CLERK: Words = Words::new("موظف الاستلام", "intake clerk");
pub const ROLE_VERIFIER: Words = Words::new("المدقق", "verifier");
pub const ROLE_APPROVER: Words = Words::new("موظف الموافقة", "approver");
pub const ROLE_REGISTRAR: Words = Words::new("أمين السجل المدني", "registrar");
pub const ROLE_CARD_OFFICER: Words = Words::new("موظف البطاقات", "card officer");
pub const ROLE_SUPERVISOR: Words = Words::new("المشرف", "supervisor");
pub const ROLE_LEADERSHIP: Words = Words::new("القيادة", "leadership");
pub const ROLE_ADMIN: Words = Words::new("مدير النظام", "administrator");
pub const ROLE_AUDITOR: Words = Words::new("المراقب", "auditor");
pub const ROLE_SYSTEM: Words = Words::new("النظام", "the system");

// The officers of a role, as a heading or a choice names them; a role
// that has no plural of its own is named by its `ROLE_` name.

pub const OFFICERS_INTAKE_CLERK: Words = Words::new("موظفو الاستلام", "Intake clerks");
pub const OFFICERS_VERIFIER: Words = Words::new("المدققون", "Verifiers");
pub const OFFICERS_APPROVER: Words = Words::new("موظفو الموافقة", "Approvers");
pub const OFFICERS_REGISTRAR: Words = Words::new("أمناء السجل المدني", "Registrars");
pub const OFFICERS_CARD_OFFICER: Words = Words::new("موظفو البطاقات", "Card officers");

// A member's relationship to the head of the family.

pub const RELATIONSHIP_HEAD: Words = Words::new("رب الأسرة", "head of the family");
pub const RELATIONSHIP_SPOUSE: Words = Words::new("زوج أو زوجة", "spouse");
pub const RELATIONSHIP_SON: Words = Words::new("ابن", "son");
pub const RELATIONSHIP_DAUGHTER: Words = Words::new("ابنة", "daughter");
pub const RELATIONSHIP_FATHER: Words = Words::new("أب", "father");
pub const RELATIONSHIP_MOTHER: Words = Words::new("أم", "mother");
pub const RELATIONSHIP_BROTHER: Words = Words::new("أخ", "brother");
pub const RELATIONSHIP_SISTER: Words = Words::new("أخت", "sister");
pub const RELATIONSHIP_OTHER: Words = Words::new("قريب آخر", "other relative");

// Other Arabic words a clerk writes for a relationship, beside its name.

pub const SPOUSE_OTHER_WORDS: &[&str] = &["زوج", "زوجة"];
pub const DAUGHTER_OTHER_WORDS: &[&str] = &["بنت"];
pub const OTHER_RELATIVE_OTHER_WORDS: &[&str] = &["آخر"];

// A document of the checklist.

pub const DOCUMENT_APPLICATION_FORM: Words = Words::new("طلب التجنيس", "application form");
pub const DOCUMENT_REGISTER_EXTRACT: Words =
    Words::new("إخراج القيد الفردي من سجل الأجانب", "register extract");
pub const DOCUMENT_PHOTOS: Words = Words::new("الصور الشخصية", "photos");
pub const DOCUMENT_PARENTS_REGISTER_ENTRIES: Words =
    Words::new("إخراجا قيد الوالدين", "parents' register entries");
pub const DOCUMENT_MUKHTAR_ATTESTATION: Words =
    Words::new("شهادة المختار", "mukhtar's attestation");
pub const DOCUMENT_WITNESS_STATEMENTS: Words = Words::new("إفادات الشهود", "witnesses' statements");
pub const DOCUMENT_COURT_DECISION: Words = Words::new("قرار المحكمة", "court decision");
