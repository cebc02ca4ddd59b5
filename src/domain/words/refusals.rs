//! Why the engine or a use case refuses: the refusals' sentences, the
//! reasons a guard gives, and the names of the actions that no definition
//! holds (the case's own and the app's).

use crate::domain::language::Locale;
use crate::domain::language::{FSI, PDI, Text, Words, count, nouns};

// The case's own actions a duty may name (`workflow::duties`).

pub const OPEN_THE_APPLICATION: Words = Words::new("فتح الطلب", "Open the application");
pub const EDIT_THE_FAMILY: Words = Words::new("تعديل بيانات العائلة", "Edit the family");
pub const MOVED_TO_A_NEWER_VERSION: Words = Words::new(
    "نقل الطلب إلى نسخة أحدث من المسار",
    "Moved to a newer version of the workflow",
);
pub const ADD_THE_REGISTERED_PERSON: Words = Words::new(
    "ضم الشخص المقيد إلى العائلة",
    "Add the registered person to the family",
);
pub const JOINED_THE_FAMILY: Words =
    Words::new("انضمام الشخص إلى طلب العائلة", "Joined the family's case");

// The app's own actions (`app::refused::action`).

pub const OPEN_AN_APPLICATION: Words = Words::new("فتح طلب جديد", "Open an application");
pub const IMPORTED: Words = Words::new("استيراد من السجل القديم", "Imported from the old register");
pub const CLAIM: Words = Words::new("استلام الطلب للعمل عليه", "Claim the case");
pub const ASSIGN: Words = Words::new("إسناد الطلب إلى موظف", "Assign the case");
pub const RELEASE: Words = Words::new("ترك الطلب", "Release the case");
pub const SEE_THE_TEAM: Words = Words::new("الاطلاع على عمل الفريق", "See the team's work");
pub const TAKE_OVER: Words = Words::new("تسلّم الطلب من موظف آخر", "Take the case over");
pub const READ_THE_CASE: Words = Words::new("الاطلاع على الطلب", "Read the case");
pub const READ_THE_STATISTICS: Words = Words::new("الاطلاع على الإحصاءات", "Read the statistics");
pub const SET_THE_TARGETS: Words = Words::new("تحديد الأهداف", "Set the targets");
pub const READ_THE_ACCESS_LOG: Words =
    Words::new("الاطلاع على سجل اطلاع الجهات", "Read the agencies' access log");
pub const MANAGE_THE_OUTBOX: Words = Words::new("إدارة البريد الصادر", "Manage the outbox");
pub const IMPORT_THE_BACKLOG: Words = Words::new("استيراد الطلبات المتراكمة", "Import the backlog");
pub const DISMISS_THE_DUPLICATE: Words =
    Words::new("نفي التكرار المحتمل", "Dismiss the possible duplicate");
pub const LINK_THE_DUPLICATE: Words = Words::new("تأكيد التكرار", "Link the duplicate");
pub const ATTACH_A_SCAN: Words = Words::new("إرفاق صورة مستند", "Attach a scan");
pub const REPLACE_A_SCAN: Words = Words::new("استبدال صورة مستند", "Replace a scan");
pub const REMOVE_A_SCAN: Words = Words::new("حذف صورة مستند", "Remove a scan");
pub const VIEW_A_SCAN: Words = Words::new("الاطلاع على صورة مستند", "View a scan");
pub const SCANS_PURGED: Words = Words::new(
    "حذف صور المستندات بانتهاء مدة حفظها",
    "Scans deleted at the end of their retention period",
);

/// Those who may read cases, as a refusal names them.
pub const CASE_OFFICERS: Words = Words::new(
    "موظفو الطلبات (القيادة تطلع على الإحصاءات فقط، والمراقب على سجلات التدقيق وسجل اطلاع الجهات فقط)",
    "officers (leadership reads statistics only, auditors audit trails and the agencies' access log only)",
);
pub const THE_ASSIGNEE: Words = Words::new("الموظف المسند إليه الطلب", "the assignee");

// The engine's refusals (`workflow::refusal`), each naming what it is
// about by its labels.

pub fn unknown_action(action: &str) -> Text {
    Text::new(
        format!("الإجراء {FSI}{action}{PDI} غير معروف في هذا المسار"),
        format!("there is no action '{action}' in this workflow"),
    )
}

pub fn case_closed(state: &Text) -> Text {
    Text::new(
        format!("الطلب مغلق (الحالة «{}») ولا يقبل أي إجراء", state.ar),
        format!("the case is closed ({}) and accepts no action", state.en),
    )
}

pub fn not_available(action: &Text, state: &Text) -> Text {
    Text::new(
        format!(
            "لا يمكن تنفيذ «{}» والطلب في الحالة «{}»",
            action.ar, state.ar
        ),
        format!(
            "'{}' cannot be taken while the case is in '{}'",
            action.en, state.en
        ),
    )
}

pub fn member_required(action: &Text) -> Text {
    Text::new(
        format!("الإجراء «{}» يخص فرداً من العائلة: حدد رقم الفرد", action.ar),
        format!(
            "'{}' concerns one family member: say which member",
            action.en
        ),
    )
}

pub fn member_not_expected(action: &Text) -> Text {
    Text::new(
        format!("الإجراء «{}» يخص الطلب كله لا فرداً منه", action.ar),
        format!(
            "'{}' concerns the whole application, not one member",
            action.en
        ),
    )
}

pub fn unknown_member(ordinal: u32) -> Text {
    Text::new(
        format!("لا يوجد فرد برقم {ordinal} في هذه العائلة"),
        format!("this family has no member {ordinal}"),
    )
}

/// `female`: the Arabic agrees with the member (وهو / وهي).
pub fn member_not_available(
    action: &Text,
    ordinal: u32,
    name: &str,
    female: bool,
    member_state: &Text,
) -> Text {
    Text::new(
        format!(
            "لا يمكن تنفيذ «{}» على الفرد {ordinal}، {name}، {} في الحالة «{}»",
            action.ar,
            if female { "وهي" } else { "وهو" },
            member_state.ar
        ),
        format!(
            "'{}' cannot be taken for member {ordinal}, {name}, who is '{}'",
            action.en, member_state.en
        ),
    )
}

/// `roles` is the list of those who may, said by [`super::list_said`].
pub fn role_not_allowed(action: &Text, roles: &Text) -> Text {
    Text::new(
        format!("الإجراء «{}» مسموح فقط لـ: {}", action.ar, roles.ar),
        format!("'{}' may only be taken by: {}", action.en, roles.en),
    )
}

pub fn outside_district(district: &Text) -> Text {
    Text::new(
        format!("الطلب يتبع منطقة «{}» وهي خارج صلاحيتك", district.ar),
        format!(
            "the case belongs to district '{}', outside yours",
            district.en
        ),
    )
}

// An action's fields, each named by its label (`FieldKind::label_of`).

pub fn missing_field(field: &Text) -> Text {
    Text::new(
        format!("يلزم ذكر {} لهذا الإجراء", field.ar),
        format!("{} is required for this action", field.en),
    )
}

/// `reason` completes a sentence that starts with the field's name.
pub fn invalid_field(field: &Text, reason: &Text) -> Text {
    Text::new(
        format!("{}: {}", field.ar, reason.ar),
        format!("{} {}", field.en, reason.en),
    )
}

pub fn unexpected_field(field: &Text) -> Text {
    Text::new(
        format!("{} لا يخص هذا الإجراء", field.ar),
        format!("{} does not belong to this action", field.en),
    )
}

pub const NOTHING_TO_DO: Words = Words::new(
    "لا يوجد ما يمكن تنفيذه تلقائياً",
    "there is nothing for the engine to do",
);

pub fn held_by_another(holder: &str) -> Text {
    Text::new(
        format!("الطلب في عهدة {FSI}{holder}{PDI}: لا يعمل عليه غيره إلا مشرف يتسلّمه"),
        format!(
            "the case is held by {holder}: only they, or a supervisor taking it over, \
             may act on it"
        ),
    )
}

/// A case given to `officer`, none of whose roles works its `state`;
/// `roles`, said by [`super::list_said`], are those that do.
pub fn not_worked_by(officer: &str, state: &Text, roles: &Text) -> Text {
    Text::new(
        format!(
            "لا يُسند الطلب إلى {FSI}{officer}{PDI}: الطلب في الحالة «{}» ولا يعمل عليها إلا {}",
            state.ar, roles.ar
        ),
        format!(
            "the case cannot be given to {officer}: in '{}' it is worked by {} only",
            state.en, roles.en
        ),
    )
}

/// What a separation-of-duties refusal names, by their labels.
pub struct Separated<'a> {
    pub rule: &'a Text,
    pub actor: &'a str,
    pub action: &'a Text,
    pub duty: &'a Text,
    pub earlier_action: &'a Text,
    pub earlier_duty: &'a Text,
}

pub fn separation_of_duties(s: Separated<'_>) -> Text {
    Text::new(
        format!(
            "بموجب قاعدة «{}» لا يجوز لـ {FSI}{}{PDI} تنفيذ «{}» ({}) لأنه سبق أن نفّذ «{}» ({}) على هذا الطلب",
            s.rule.ar, s.actor, s.action.ar, s.duty.ar, s.earlier_action.ar, s.earlier_duty.ar
        ),
        format!(
            "under the rule '{}', {} may not take '{}' ({}): they took '{}' ({}) on this case",
            s.rule.en, s.actor, s.action.en, s.duty.en, s.earlier_action.en, s.earlier_duty.en
        ),
    )
}

// The reasons a guard gives (`workflow::guards`), each about a member
// named by their number and name.

pub fn adult_needs_court_decision(ordinal: u32, name: &str) -> Text {
    Text::new(
        format!("الفرد {ordinal}، {name}، بالغ: يلزم قرار المحكمة بإثبات نسبه"),
        format!(
            "member {ordinal}, {name}, is an adult: a court decision proving their descent is needed"
        ),
    )
}

pub fn member_not_settled(ordinal: u32, name: &str, female: bool) -> Text {
    Text::new(
        format!(
            "الفرد {ordinal}، {name}، لم ينته {} بعد",
            if female { "أمرها" } else { "أمره" }
        ),
        format!("member {ordinal}, {name}, is not yet settled"),
    )
}

/// A family-level problem given as a guard's reason: the field, then what
/// is wrong with it. In Arabic the field's path is not said: a member's
/// field (`members[1].birth_date`) is named by the member's number
/// (الفرد 2), the family's by the problem alone.
pub fn field_problem(field: &str, problem: &Text) -> Text {
    let member = field
        .strip_prefix("members[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|n| n.parse::<u32>().ok());
    Text::new(
        match member {
            // Paths count from 0, members from 1.
            Some(n) => format!("الفرد {}: {}", n + 1, problem.ar),
            None => problem.ar.clone(),
        },
        format!("{field}: {}", problem.en),
    )
}

pub fn member_without_register_number(ordinal: u32, name: &str, female: bool) -> Text {
    Text::new(
        format!(
            "الفرد {ordinal}، {name}، ليس {} رقم قيد في سجل الأجانب",
            if female { "لها" } else { "له" }
        ),
        format!("member {ordinal}, {name}, has no register entry number"),
    )
}

pub fn family_lacks(document: &Text) -> Text {
    Text::new(
        format!("ينقص العائلة: {}", document.ar),
        format!("the family has no {}", document.en),
    )
}

pub fn family_document_not_scanned(document: &Text) -> Text {
    Text::new(
        format!("لم تحفظ صورة {} للعائلة", document.ar),
        format!("the family's {} has no scan stored", document.en),
    )
}

pub fn member_not_decided(ordinal: u32, name: &str, female: bool) -> Text {
    Text::new(
        format!(
            "الفرد {ordinal}، {name}، لم {} بعد",
            if female { "تدقق" } else { "يدقق" }
        ),
        format!("member {ordinal}, {name}, is not yet verified or excluded"),
    )
}

pub const NO_MEMBER_VERIFIED: Words = Words::new(
    "لم يثبت أي فرد من العائلة بعد التدقيق",
    "no member of the family has been verified",
);

pub fn member_not_registered(ordinal: u32, name: &str) -> Text {
    Text::new(
        format!("الفرد {ordinal}، {name}، لم يقيد في السجل المدني بعد"),
        format!("member {ordinal}, {name}, is not yet registered"),
    )
}

pub fn card_not_collected(ordinal: u32, name: &str) -> Text {
    Text::new(
        format!("الفرد {ordinal}، {name}، لم يستلم بطاقته بعد"),
        format!("member {ordinal}, {name}, has not collected a card"),
    )
}

pub fn biometrics_not_taken(ordinal: u32, name: &str) -> Text {
    Text::new(
        format!("الفرد {ordinal}، {name}، لم تؤخذ صورته وبصماته بعد"),
        format!("member {ordinal}, {name}, has not given photo and fingerprints"),
    )
}

/// The member is younger than the card age, in years (دون سن ١٤ عاماً).
pub fn under_card_age(ordinal: u32, name: &str, card_age: u32) -> Text {
    Text::new(
        format!(
            "الفرد {ordinal}، {name}، دون سن {}",
            count(u64::from(card_age), &nouns::YEARS, Locale::ARABIC_WESTERN)
        ),
        format!("member {ordinal}, {name}, is under {card_age}"),
    )
}

pub fn reached_card_age(ordinal: u32, name: &str) -> Text {
    Text::new(
        format!("الفرد {ordinal}، {name}، بلغ سن البطاقة"),
        format!("member {ordinal}, {name}, has reached the card age"),
    )
}

pub fn member_document_not_scanned(ordinal: u32, name: &str, document: &Text) -> Text {
    Text::new(
        format!("الفرد {ordinal}، {name}، لم تحفظ صورة {}", document.ar),
        format!(
            "member {ordinal}, {name}, has no scan of the {} stored",
            document.en
        ),
    )
}

pub fn member_lacks(ordinal: u32, name: &str, document: &Text) -> Text {
    Text::new(
        format!("الفرد {ordinal}، {name}، ينقصه {}", document.ar),
        format!("member {ordinal}, {name}, has no {}", document.en),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_is_spoken_of_as_he_or_she_in_arabic() {
        let state = Text::new("مدقق".to_string(), "verified".to_string());
        let action = Text::new("قيد الفرد".to_string(), "register".to_string());
        for (female, her, his) in [(true, "لها", "له "), (false, "له ", "لها")] {
            let said = member_without_register_number(3, "مريم", female).ar;
            assert!(said.contains(her) && !said.contains(his), "{said}");
        }
        assert!(member_not_settled(2, "مريم", true).ar.contains("أمرها"));
        assert!(member_not_settled(2, "علي", false).ar.contains("أمره "));
        assert!(member_not_decided(2, "مريم", true).ar.contains("لم تدقق"));
        assert!(member_not_decided(2, "علي", false).ar.contains("لم يدقق"));
        assert!(
            member_not_available(&action, 2, "مريم", true, &state)
                .ar
                .contains("وهي")
        );
        assert!(
            member_not_available(&action, 2, "علي", false, &state)
                .ar
                .contains("وهو")
        );
    }
}
