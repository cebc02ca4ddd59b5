//! The names of the domain's kinds as a person reads them in a message:
//! roles, the officers of a role, relationships in a family and the
//! documents of the checklist; and the Arabic words a clerk may write for
//! a relationship besides its name.

use crate::domain::family::{DocumentKind, Relationship};
use crate::domain::language::Words;
use crate::domain::roles::Role;

/// A role's name (an officer of it, in the singular).
pub fn role(role: Role) -> Words {
    match role {
        Role::IntakeClerk => Words::new("موظف الاستلام", "intake clerk"),
        Role::Verifier => Words::new("المدقق", "verifier"),
        Role::Approver => Words::new("موظف الموافقة", "approver"),
        Role::Registrar => Words::new("أمين السجل المدني", "registrar"),
        Role::CardOfficer => Words::new("موظف البطاقات", "card officer"),
        Role::Supervisor => Words::new("المشرف", "supervisor"),
        Role::Leadership => Words::new("القيادة", "leadership"),
        Role::Admin => Words::new("مدير النظام", "administrator"),
        Role::Auditor => Words::new("المراقب", "auditor"),
        Role::System => Words::new("النظام", "the system"),
    }
}

/// The officers of a role, as a heading or a choice names them; a role
/// that has no plural of its own is named as [`role`] names it.
pub fn officers(role: Role) -> Words {
    match role {
        Role::IntakeClerk => Words::new("موظفو الاستلام", "Intake clerks"),
        Role::Verifier => Words::new("المدققون", "Verifiers"),
        Role::Approver => Words::new("موظفو الموافقة", "Approvers"),
        Role::Registrar => Words::new("أمناء السجل المدني", "Registrars"),
        Role::CardOfficer => Words::new("موظفو البطاقات", "Card officers"),
        other => self::role(other),
    }
}

/// A member's relationship to the head of the family.
pub fn relationship(relationship: Relationship) -> Words {
    match relationship {
        Relationship::Head => Words::new("رب الأسرة", "head of the family"),
        Relationship::Spouse => Words::new("زوج أو زوجة", "spouse"),
        Relationship::Son => Words::new("ابن", "son"),
        Relationship::Daughter => Words::new("ابنة", "daughter"),
        Relationship::Father => Words::new("أب", "father"),
        Relationship::Mother => Words::new("أم", "mother"),
        Relationship::Brother => Words::new("أخ", "brother"),
        Relationship::Sister => Words::new("أخت", "sister"),
        Relationship::Other => Words::new("قريب آخر", "other relative"),
    }
}

/// Other Arabic words a clerk writes for a relationship, beside its name.
pub const RELATIONSHIP_OTHER_WORDS: &[(&str, Relationship)] = &[
    ("زوج", Relationship::Spouse),
    ("زوجة", Relationship::Spouse),
    ("بنت", Relationship::Daughter),
    ("آخر", Relationship::Other),
];

/// A document of the checklist.
pub fn document(kind: DocumentKind) -> Words {
    match kind {
        DocumentKind::ApplicationForm => Words::new("طلب التجنيس", "application form"),
        DocumentKind::RegisterExtract => {
            Words::new("إخراج القيد الفردي من سجل الأجانب", "register extract")
        }
        DocumentKind::Photos => Words::new("الصور الشخصية", "photos"),
        DocumentKind::ParentsRegisterEntries => {
            Words::new("إخراجا قيد الوالدين", "parents' register entries")
        }
        DocumentKind::MukhtarAttestation => Words::new("شهادة المختار", "mukhtar's attestation"),
        DocumentKind::WitnessStatements => Words::new("إفادات الشهود", "witnesses' statements"),
        DocumentKind::CourtDecision => Words::new("قرار المحكمة", "court decision"),
    }
}
