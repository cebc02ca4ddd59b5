//! The team page's words: a supervisor's officers and what each holds.

#[allow(unused_imports)]
pub use super::*;

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
