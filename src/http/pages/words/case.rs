//! The case page's words: its sections, the family and its members, the
//! history and the actions.

#[allow(unused_imports)]
pub use super::*;

pub const APPLICATION: Words = Words::new("طلب", "Application");
pub const DONE: Words = Words::new("تم:", "Done:");
pub const FAMILY_DOCUMENTS: Words = Words::new("وثائق العائلة", "Family documents");
pub const WHAT_YOU_CAN_DO: Words = Words::new("الإجراءات المتاحة لك", "What you can do");
pub const POSSIBLE_DUPLICATES: Words = Words::new("التكرارات المحتملة", "Possible duplicates");
pub const HISTORY: Words = Words::new("السجل", "History");
pub const CHANGED_BY: Words = Words::new("غيّر", "Changed by");
pub const AT: Words = Words::new("هذا الطلب في", "at");
pub const HERE_IS_THE_CASE_AS_IT: Words = Words::new(
    "، وهذه حاله الآن. ما كتبته محفوظ أدناه: راجعه ثم أعد الإرسال.",
    ": here is the case as it is now. What you typed is kept below: check it and send it again.",
);
pub const THE_CASE_CHANGED_MEANWHILE_WHAT_YOU: Words = Words::new(
    "تغيّر الطلب في أثناء عملك. ما كتبته محفوظ أدناه.",
    "The case changed meanwhile. What you typed is kept below.",
);
pub const WHAT_YOU_TYPED_KEPT_FOR_YOU: Words =
    Words::new("ما كتبته، محفوظ لك:", "What you typed, kept for you:");
pub const COMMENT: Words = Words::new("ملاحظة", "Comment");
pub const DISTRICT_AND_OFFICE: Words = Words::new("المنطقة والمكتب", "District and office");
pub const OVERDUE: Words = Words::new("متأخر", "overdue");
pub const CLAIM_THE_CASE: Words = Words::new("خذ الطلب", "Claim the case");
pub const RELEASE_THE_CASE: Words = Words::new("اترك الطلب", "Release the case");
pub const ASSIGN_TO: Words = Words::new("أسند إلى", "Assign to");
pub const ASSIGN: Words = Words::new("أسند", "Assign");
pub const THE_FAMILY: Words = Words::new("بيانات العائلة", "The family");
pub const WORKFLOW: Words = Words::new("المسار", "Workflow");
pub const VERSION: Words = Words::new("النسخة", "version");
pub const LINKED_FAMILY_CASE: Words = Words::new("طلب العائلة المرتبط", "Linked family case");
pub const JOINED_THE_FAMILY_AS_MEMBER: Words =
    Words::new("ضُمّ إلى العائلة فرداً برقم", "joined the family as member");
pub const LINKED_REGISTRATION_CASES: Words =
    Words::new("طلبات قيد مرتبطة", "Linked registration cases");
pub const MEMBER_IN_A_LINE: Words = Words::new("الفرد", "member");
pub const ADD_THE_REGISTERED_PERSON_TO_THE: Words = Words::new(
    "ضمّ الشخص المقيد إلى العائلة",
    "Add the registered person to the family",
);
pub const POSSIBLE_DUPLICATES_TERM: Words = Words::new("تكرارات محتملة", "Possible duplicates");
pub const AWAITING_A_DECISION: Words = Words::new("بانتظار القرار", "awaiting a decision");
pub const NAME: Words = Words::new("الاسم", "Name");
pub const RELATIONSHIP: Words = Words::new("الصلة", "Relationship");
pub const BORN: Words = Words::new("تاريخ الميلاد", "Born");
pub const STATE_OF_A_MEMBER: Words = Words::new("الوضع", "State");
pub const DOCUMENTS: Words = Words::new("الوثائق", "Documents");
pub const REGISTER_NUMBER: Words = Words::new("رقم القيد", "Register number");
pub const NATIONAL_NUMBER: Words = Words::new("الرقم الوطني", "National number");
pub const ABROAD: Words = Words::new("خارج البلاد", "abroad");
pub const MISSING: Words = Words::new("ناقصة", "missing");
pub const REASON: Words = Words::new("السبب", "Reason");
pub const NATIONAL_NUMBER_11_DIGITS: Words =
    Words::new("الرقم الوطني (11 رقماً)", "National number (11 digits)");
pub const CARD_NUMBER: Words = Words::new("رقم البطاقة", "Card number");
pub const COLLECTORS_IDENTITY_DOCUMENT: Words =
    Words::new("وثيقة هوية المستلم", "Collector's identity document");
pub const NEW_REGISTER_ENTRY_NUMBER_BOOK_ENTRY: Words = Words::new(
    "رقم القيد الجديد (الخانة/الرقم)",
    "New register entry number (BOOK/ENTRY)",
);
pub const NO_ACTION_IN_THIS_STATE: Words =
    Words::new("لا إجراء في هذه الحالة.", "No action in this state.");
pub const ON_THE_WHOLE_APPLICATION: Words = Words::new("على الطلب كله", "On the whole application");
pub const THE_ACTION_WAS_NOT_TAKEN: Words =
    Words::new("لم يُنفذ الإجراء", "The action was not taken");
pub const COMMENT_OPTIONAL: Words = Words::new("ملاحظة (اختيارية)", "Comment (optional)");
pub const NO_LONGER_THERE: Words = Words::new("لم يعد موجوداً", "no longer there");
pub const SAME_REGISTER_ENTRY: Words = Words::new("رقم القيد نفسه", "Same register entry");
pub const SAME_NAME_BIRTH_YEAR_WITHIN_ONE: Words = Words::new(
    "الاسم نفسه وسنة ميلاد متقاربة",
    "Same name, birth year within one",
);
pub const IN_THIS_APPLICATION: Words = Words::new("في هذا الطلب", "In this application");
pub const LOOKS_LIKE: Words = Words::new("يشبه", "Looks like");
pub const WHY: Words = Words::new("لماذا", "Why");
pub const DECISION: Words = Words::new("القرار", "Decision");
pub const AWAITING_A_VERIFIERS_DECISION: Words =
    Words::new("بانتظار قرار المدقق", "Awaiting a verifier's decision");
pub const DIFFERENT_PEOPLE: Words = Words::new("شخصان مختلفان", "Different people");
pub const THE_SAME_PERSON: Words = Words::new("الشخص نفسه", "The same person");

/// Why a separation rule bars a whole stage to an officer, without the
/// action tried: the earlier action and its duty say why.
pub fn barred_by_separation(s: &crate::workflow::refusal::Separation) -> Text {
    Text::new(
        format!(
            "بموجب قاعدة «{}» لا يجوز لـ {} تنفيذ أعمال «{}» لأنه سبق أن نفّذ «{}» ({}) على هذا الطلب",
            s.rule.label.ar,
            crate::domain::language::isolate(&s.actor),
            s.duty.label.ar,
            s.earlier_action.label.ar,
            s.earlier_duty.label.ar
        ),
        format!(
            "Under the rule '{}', {} may not take the actions of '{}': they took '{}' ({}) on this case.",
            s.rule.label.en,
            s.actor,
            s.duty.label.en,
            s.earlier_action.label.en,
            s.earlier_duty.label.en
        ),
    )
}
pub const NOTHING_YOU_CAN_DO_NOW: Words = Words::new(
    "لا إجراء لك على هذا الطلب الآن.",
    "There is nothing for you to do on this case now.",
);
pub const OTHER_ACTIONS_AND_WHY_NOT: Words = Words::new(
    "إجراءات أخرى، ولماذا لا تستطيعها",
    "Other actions, and why not",
);
pub const TICK_THE_MEMBERS: Words = Words::new(
    "الأفراد المؤشَّر عليهم يُنفَّذ لهم الإجراء معاً، أو لا يُنفَّذ لأحد منهم.",
    "The ticked members are done together, or none of them is.",
);
pub const ALL_TICKED: Words = Words::new("للمؤشَّر عليهم", "all ticked");
pub const TICK_A_MEMBER: Words =
    Words::new("أشّر على فرد واحد على الأقل", "tick at least one member");

/// "4 members", for the notice of an action taken for several members.
pub fn members(lang: crate::domain::language::Lang, n: u32) -> String {
    use crate::domain::language::{Digits, Locale, nouns};
    let locale = Locale {
        lang,
        digits: Digits::Western,
    };
    locale.count(i64::from(n), &nouns::MEMBERS, ("member", "members"))
}
/// Between the items of a list in a sentence.
pub const LIST_SEPARATOR: Words = Words::new("، ", ", ");
/// A move the engine made on its own, after an officer's action.
pub const THEN_BY_ITSELF: Words = Words::new("ثم تلقائياً", "then by itself");

// Deciding a possible duplicate: a confirmation with a required comment.
pub const DECIDE_A_POSSIBLE_DUPLICATE: Words =
    Words::new("البت في تشابه محتمل", "Decide a possible duplicate");
pub const ABOUT_TO_DECIDE_DIFFERENT: Words = Words::new(
    "أنت على وشك أن تقرر أنهما شخصان مختلفان: يُغلق التنبيه ويبقى كل منهما في طلبه.",
    "You are about to decide that they are two different people: the flag is closed and each stays in their own application.",
);
pub const ABOUT_TO_DECIDE_SAME: Words = Words::new(
    "أنت على وشك أن تقرر أنهما الشخص نفسه في طلبين: يُسجَّل الربط بينهما.",
    "You are about to decide that they are the same person in two applications: the two are linked.",
);
pub const WHY_YOU_DECIDE_SO: Words = Words::new(
    "سبب القرار (مطلوب، يُحفظ في سجل الطلب)",
    "Why you decide so (required; kept in the case's history)",
);
pub const CONFIRM_DIFFERENT_PEOPLE: Words =
    Words::new("أؤكد: شخصان مختلفان", "Confirm: two different people");
pub const CONFIRM_THE_SAME_PERSON: Words =
    Words::new("أؤكد: الشخص نفسه", "Confirm: the same person");
pub const CANCEL_BACK_TO_THE_CASE: Words =
    Words::new("إلغاء، والعودة إلى الطلب", "Cancel, back to the case");
pub const ALREADY_DECIDED: Words = Words::new(
    "سبق البت في هذا التشابه",
    "This possible duplicate is already decided",
);
pub const REGISTER_A_MISSING_MEMBER: Words = Words::new(
    "سجّل فرداً مكتوم القيد من هذه العائلة",
    "Register a missing member of this family",
);
