//! The words of My work and of claiming and assigning a case.

#[allow(unused_imports)]
pub use super::*;

pub const THE_CASE_IS_NOW_YOURS: Words =
    Words::new("أصبح الطلب في عهدتك.", "The case is now yours.");
pub const NO_CASE_AWAITS_YOUR_WORK_HERE: Words =
    Words::new("لا طلبات تنتظر عملك هنا.", "No case awaits your work here.");
pub const NEXT_PAGE: Words = Words::new("الصفحة التالية", "Next page");
pub const ALL_MY_STATES: Words = Words::new("كل حالاتي", "All my states");
pub const ALL_OFFICES: Words = Words::new("كل المكاتب", "All offices");
pub const ANYONE: Words = Words::new("أي أحد", "Anyone");
pub const ME: Words = Words::new("أنا", "Me");
pub const OVERDUE_ONLY: Words = Words::new("المتأخرة فقط", "Overdue only");
pub const MOST_OVERDUE_FIRST: Words = Words::new("الأكثر تأخراً أولاً", "Most overdue first");
pub const OVERDUE: Words = Words::new("(متأخر)", "(overdue)");
pub const CLAIM: Words = Words::new("خذ الطلب", "Claim");
pub const WHO_HOLDS_THE_CASE: Words = Words::new("من يعمل على الطلب", "Who holds the case");
pub const BACK_TO_THE_CASE: Words = Words::new("عد إلى الطلب", "Back to the case");
pub const CLAIMING_A_CASE: Words = Words::new("أخذ الطلب", "Claiming a case");
pub const OPEN_THE_CASE: Words = Words::new("افتح الطلب", "Open the case");
pub const ORDER: Words = Words::new("الترتيب", "Order");
pub const NEWEST_IN_STATE_FIRST: Words =
    Words::new("الأحدث في حالته أولاً", "Newest in its state first");
pub const OLDEST_IN_STATE_FIRST: Words =
    Words::new("الأقدم في حالته أولاً", "Oldest in its state first");
pub const RETURNED: Words = Words::new("معاد", "Returned");
pub const RESULTS: Words = Words::new("النتائج:", "Results:");
pub const RETURNED_BY: Words = Words::new("أعاده", "Returned by");
pub const REASON: Words = Words::new("السبب", "Reason");
