//! The team page's words: a supervisor's home (the district's work by
//! stage, the officers and what each holds, giving out several cases at
//! once).

#[allow(unused_imports)]
pub use super::*;

use crate::domain::language::{LRI, Lang, Locale, PDI};

pub const THIS_PAGE_IS_FOR_SUPERVISORS: Words =
    Words::new("هذه الصفحة للمشرفين.", "This page is for supervisors.");
pub const BACK_TO_THE_DASHBOARD: Words =
    Words::new("العودة إلى لوحة المتابعة", "Back to the dashboard");
pub const THE_FIRST_200_CASES_THE_EARLIEST: Words = Words::new(
    "أول ٢٠٠ طلب، الأقدم استحقاقاً أولاً.",
    "The first 200 cases, the earliest due first.",
);
pub const THE_WHOLE_TEAM: Words = Words::new("كل الفريق", "The whole team");
pub const WHAT_IS_HELD_BY: Words = Words::new("ما في عهدة", "Held by");
pub const ROLE: Words = Words::new("الدور", "Role");
pub const CASES_HELD: Words = Words::new("الطلبات في عهدته", "Cases held");
pub const NOTHING: Words = Words::new("لا شيء.", "Nothing.");
pub const THE_WORK_BY_STAGE: Words = Words::new("العمل حسب المرحلة", "The work by stage");
pub const CASES_COLUMN: Words = Words::new("الطلبات", "Cases");
pub const UNASSIGNED: Words = Words::new("بلا موظف", "Unassigned");
pub const OVERDUE: Words = Words::new("المتأخرة", "Overdue");
pub const THE_OFFICERS: Words = Words::new("الموظفون", "The officers");
pub const CASES_NOBODY_HOLDS: Words = Words::new("طلبات لا يعمل عليها أحد", "Cases nobody holds");
pub const NO_CASE_WAITS_FOR_AN_OFFICER: Words =
    Words::new("لا طلب ينتظر موظفاً.", "No case is waiting for an officer.");
pub const CHOOSE: Words = Words::new("اختيار", "Choose");
pub const CHOOSE_THE_CASE: Words = Words::new("اختر الطلب", "Choose the case");
pub const ASSIGN_THE_CHOSEN_CASES_TO: Words =
    Words::new("أسند الطلبات المختارة إلى", "Assign the chosen cases to");
pub const CHOOSE_AN_OFFICER: Words = Words::new("اختر موظفاً", "Choose an officer");
pub const ASSIGN_THE_CHOSEN_CASES: Words =
    Words::new("أسند الطلبات المختارة", "Assign the chosen cases");
pub const NO_OFFICER_WAS_CHOSEN: Words = Words::new(
    "لم يُختر موظف تُسند إليه الطلبات.",
    "No officer was chosen to assign the cases to.",
);
pub const NO_CASE_WAS_CHOSEN: Words = Words::new("لم يُختر أي طلب.", "No case was chosen.");
pub const NOT_ASSIGNED_AND_WHY: Words = Words::new("ما لم يُسند، ولماذا:", "Not assigned, and why:");

/// The cases given to an officer at once: "أُسند ١٠ طلبات إلى …".
pub fn assigned_to(locale: Locale, n: i64, officer: &str) -> String {
    match locale.lang {
        Lang::Ar => {
            format!("أُسند {} إلى {LRI}{officer}{PDI}.", cases(locale, n))
        }
        Lang::En => {
            format!("Assigned {} to {officer}.", cases(locale, n))
        }
    }
}

/// More cases picked than one assignment takes.
pub fn too_many_at_once(locale: Locale, max: i64) -> String {
    match locale.lang {
        Lang::Ar => format!(
            "لا يُسند في المرة الواحدة أكثر من {}؛ لم يُسند شيء.",
            cases(locale, max)
        ),
        Lang::En => format!(
            "At most {} can be assigned at once; nothing was assigned.",
            cases(locale, max)
        ),
    }
}

/// The first cases nobody holds that the page lists.
pub fn the_first_shown(locale: Locale, n: i64) -> String {
    match locale.lang {
        Lang::Ar => {
            format!("أول {}، الأكثر تأخراً أولاً.", cases(locale, n))
        }
        Lang::En => {
            format!("The first {}, the most overdue first.", cases(locale, n))
        }
    }
}
