//! The refusals the use cases give themselves rather than the engine: the
//! app's own actions, which no definition holds, named as a person reads
//! them; who may take them; and a district named by its place names.

use crate::app::Engine;
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::workflow::Refusal;
use crate::workflow::refusal::Named;

/// The audit action recorded when a case is opened.
pub const CREATED: &str = crate::workflow::duties::OPEN;
/// The audit action recorded when a case is brought in from an earlier register.
pub const IMPORTED: &str = "imported";

/// One of the app's own actions (opening a case, claiming it, reading the
/// statistics, ...) with its Arabic and English labels; an action it does
/// not know stands for itself.
pub(crate) fn action(code: &str) -> Named {
    let (ar, en) = match code {
        CREATED => ("فتح طلب جديد", "Open an application"),
        IMPORTED => ("استيراد من السجل القديم", "Imported from the old register"),
        "edit" => ("تعديل بيانات العائلة", "Edit the family"),
        "claim" => ("استلام الطلب للعمل عليه", "Claim the case"),
        "assign" => ("إسناد الطلب إلى موظف", "Assign the case"),
        "release" => ("ترك الطلب", "Release the case"),
        "team" => ("الاطلاع على عمل الفريق", "See the team's work"),
        "take_over" => ("تسلّم الطلب من موظف آخر", "Take the case over"),
        "read_case" => ("الاطلاع على الطلب", "Read the case"),
        "read_statistics" => ("الاطلاع على الإحصاءات", "Read the statistics"),
        "set_targets" => ("تحديد الأهداف", "Set the targets"),
        "read_access_log" => ("الاطلاع على سجل اطلاع الجهات", "Read the agencies' access log"),
        "outbox" => ("إدارة البريد الصادر", "Manage the outbox"),
        "import" => ("استيراد الطلبات المتراكمة", "Import the backlog"),
        "dismiss_duplicate" => ("نفي التكرار المحتمل", "Dismiss the possible duplicate"),
        "link_duplicate" => ("تأكيد التكرار", "Link the duplicate"),
        "attach_scan" => ("إرفاق صورة مستند", "Attach a scan"),
        "replace_scan" => ("استبدال صورة مستند", "Replace a scan"),
        "remove_scan" => ("حذف صورة مستند", "Remove a scan"),
        "view_scan" => ("الاطلاع على صورة مستند", "View a scan"),
        "purge_scan" => (
            "حذف صور المستندات بانتهاء مدة حفظها",
            "Scans deleted at the end of their retention period",
        ),
        other => (other, other),
    };
    Named::new(code, Text::new(ar, en))
}

/// A refusal of `code` to an actor who holds none of `roles`.
pub(crate) fn role_not_allowed(code: &str, roles: &[Role]) -> Refusal {
    Refusal::RoleNotAllowed {
        action: action(code),
        roles: roles.iter().copied().map(Named::role).collect(),
    }
}

/// Officers who read cases, as opposed to leadership, who reads counts,
/// and auditors, who read audit trails and the access log.
pub(crate) fn case_officers() -> Named {
    Named::new(
        "officers",
        Text::new(
            "موظفو الطلبات (القيادة تطلع على الإحصاءات فقط، والمراقب على سجلات التدقيق وسجل اطلاع الجهات فقط)",
            "officers (leadership reads statistics only, auditors audit trails and the agencies' access log only)",
        ),
    )
}

/// The officer a case is assigned to.
pub(crate) fn the_assignee() -> Named {
    Named::new(
        "assignee",
        Text::new("الموظف المسند إليه الطلب", "the assignee"),
    )
}

/// A refusal of a case, query or figure in a district outside the
/// actor's, the district named by its place names.
pub(crate) fn outside_district(engine: &Engine, district: &str) -> Refusal {
    let labels = engine.place_label(district);
    Refusal::OutsideDistrict {
        district: Named::labelled(district, &labels),
    }
}
