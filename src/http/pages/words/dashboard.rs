//! The leadership dashboard's words: its panels, charts, tables, the
//! forecast and the what-if form.

#[allow(unused_imports)]
pub use super::*;
use crate::domain::language::{Digits, Gender, Lang, Locale, Noun, count};
use crate::domain::roles::Role;

pub const THE_FIGURES_AS_A_TABLE: Words = Words::new("الأرقام في جدول", "The figures as a table");
pub const DISTRICT: Words = Words::new("المنطقة", "District");
pub const TOTAL: Words = Words::new("المجموع", "Total");
pub const OPEN_APPLICATIONS_FAMILIES_IN_EACH_DISTRICT: Words = Words::new(
    "الطلبات المفتوحة (عائلات) في كل منطقة حسب المرحلة",
    "Open applications (families) in each district by stage",
);
pub const FAMILIES_WITH_AN_OPEN_APPLICATION: Words = Words::new(
    "عدد العائلات ذات الطلبات المفتوحة",
    "families with an open application",
);
pub const STAGE: Words = Words::new("المرحلة", "Stage");
pub const MEAN_DAYS: Words = Words::new("متوسط الأيام", "Mean days");
pub const FAMILIES_BY_DAYS_SPENT_IN_THEIR: Words = Words::new(
    "العائلات حسب الأيام التي أمضتها في مرحلتها الحالية",
    "Families by days spent in their current stage",
);
pub const FAMILIES_AXIS: Words = Words::new("عائلات", "families");
pub const DAYS_IN_THE_CURRENT_STAGE_AXIS: Words =
    Words::new("أيام في المرحلة الحالية", "days in the current stage");
pub const MEAN: Words = Words::new("متوسط", "mean");
pub const WEEK_OF: Words = Words::new("أسبوع ", "Week of ");
pub const WEEK_BEGINNING: Words = Words::new("الأسبوع الذي يبدأ", "Week beginning");
pub const SO_FAR: Words = Words::new("جارٍ", "so far");
pub const WEEK_SO_FAR: Words = Words::new("أسبوع جارٍ", "week so far");
pub const WEEK_BEGINNING_SUNDAY: Words =
    Words::new("الأسبوع (يبدأ يوم الأحد)", "week beginning (Sunday)");
pub const RECEIVED_SERIES: Words = Words::new("طلبات واردة", "Received");
pub const COMPLETED: Words = Words::new("طلبات منجزة", "Completed");
pub const FAMILIES_PER_WEEK: Words = Words::new("عائلات في الأسبوع", "families per week");
pub const APPLICATIONS_RECEIVED_AND_COMPLETED_EACH_WEEK: Words = Words::new(
    "الطلبات الواردة والمنجزة في كل أسبوع",
    "Applications received and completed each week",
);
pub const OPEN_AT_THE_WEEKS_END: Words =
    Words::new("طلبات مفتوحة في نهاية الأسبوع", "Open at the week's end");
pub const OPEN_APPLICATIONS_AT_THE_END_OF: Words = Words::new(
    "الطلبات المفتوحة في نهاية كل أسبوع",
    "Open applications at the end of each week",
);
pub const LTR: Words = Words::new("rtl", "ltr");
pub const THE_WORKFLOWS_STAGES_WITH_TODAYS_FAMILIES: Words = Words::new(
    "مراحل مسار العمل وعدد العائلات في كل منها اليوم",
    "The workflow's stages with today's families in each",
);
pub const FAMILIES: Words = Words::new("العائلات", "Families");
pub const PERSONS: Words = Words::new("الأشخاص", "Persons");
pub const IN_THE_WORKBENCH: Words = Words::new("في منضدة العمل", "In the workbench");
pub const APPLICATIONS_THAT_HAVE_SPENT: Words =
    Words::new("الطلبات التي أمضت", "Applications that have spent");
pub const DAYS_IN_THEIR_STAGE_BY_STAGE: Words = Words::new(
    "يوماً في مرحلتها، حسب المرحلة",
    "days in their stage, by stage",
);
pub const THE_STAGE: Words = Words::new("مرحلة", "The stage");
pub const BY_DISTRICT_AND_OFFICE: Words =
    Words::new("حسب المنطقة والمكتب", "by district and office");
pub const NO_OPEN_APPLICATION_IN_THIS_STAGE: Words = Words::new(
    "لا طلبات مفتوحة في هذه المرحلة.",
    "No open application in this stage.",
);
pub const THE_OFFICE: Words = Words::new("مكتب", "The office");
pub const BY_STAGE: Words = Words::new("حسب المرحلة", "by stage");
pub const THE_DISTRICT: Words = Words::new("منطقة", "The district");
pub const BY_OFFICE_AND_STAGE: Words = Words::new("حسب المكتب والمرحلة", "by office and stage");
pub const NOT_WITHIN_TEN_YEARS: Words = Words::new("ليس خلال عشر سنوات", "not within ten years");
pub const PERCENT_SIGN: Words = Words::new("٪", " %");
pub const MEASURE: Words = Words::new("المقياس", "Measure");
pub const WHAT_WAITS_TODAY_WILL_WAIT_LONGEST: Words = Words::new(
    "أطول انتظار لما ينتظر اليوم سيكون في مرحلة:",
    "What waits today will wait longest in:",
);
pub const APPLICATIONS_SENT_BACK_TO_THE_APPLICANT: Words = Words::new(
    "طلبات معادة إلى أصحابها وغير محسوبة:",
    "Applications sent back to the applicant, left out:",
);
pub const OFFICERS: Words = Words::new("الموظفون", "Officers");
pub const NO_OFFICERS: Words = Words::new("— بلا موظفين —", "— no officers —");
pub const HOW_MANY: Words = Words::new("عددهم", "How many");
pub const NEGATIVE_MOVED_AWAY_FROM_THE_DISTRICT: Words = Words::new(
    "سالب: يُنقلون من المنطقة",
    "negative: moved away from the district",
);
pub const DISTRICT_OR_OFFICE: Words = Words::new("المنطقة أو المركز", "District or office");
pub const NEW_CARD_OFFICES: Words = Words::new("مكاتب بطاقات جديدة", "New card offices");
pub const WORK_OUT_THE_NEW_DATES: Words =
    Words::new("احسب موعد الإنجاز الجديد", "Work out the new dates");
pub const WHEN_TODAYS_BACKLOG_CLEARS_AND_HOW: Words = Words::new(
    "متى ينتهي ما ينتظر اليوم، وبأي قدر من اليقين",
    "When today's backlog clears, and how sure that is",
);
pub const WHAT_IF_WE_CHANGE_THE_STAFF: Words = Words::new(
    "ماذا لو غيّرنا عدد الموظفين؟",
    "What if we change the staff?",
);
pub const ADD_OFFICERS_TO_A_DISTRICT_OR: Words = Words::new(
    "أضف موظفين إلى منطقة أو انقلهم منها، أو افتح مكتب بطاقات جديداً، لترى المواعيد الجديدة والمرحلة التي تصبح عنق الزجاجة.",
    "Add officers to a district or move them away, or open a new card office, to see the new dates and the stage that becomes the bottleneck.",
);
pub const THE_CHANGE: Words = Words::new("التغيير:", "The change:");
pub const STAGES_IT_TOUCHES: Words = Words::new("المراحل المعنية:", "Stages it touches:");
pub const IN: Words = Words::new("وفي", "In");
pub const SHARE_OF_RUNS_THAT_HAD_NOT: Words = Words::new(
    "نسبة التشغيلات التي لم ينتهِ فيها العمل خلال عشر سنوات:",
    "Share of runs that had not cleared within ten years:",
);
pub const OFFICE_OF_A_FILTER: Words = Words::new("مكتب", "office");
pub const DISTRICT_OF_A_FILTER: Words = Words::new("منطقة", "district");
pub const POSITION_ON: Words = Words::new("الوضع في", "Position on");
pub const ALL_DISTRICTS_LINK: Words = Words::new("(كل المناطق)", "(all districts)");
pub const CLOSE: Words = Words::new("إغلاق", "Close");
pub const OPEN_APPLICATIONS_BY_DISTRICT: Words = Words::new(
    "الطلبات المفتوحة حسب المنطقة",
    "Open applications by district",
);
pub const DAYS_IN_THE_CURRENT_STAGE: Words =
    Words::new("مدة البقاء في المرحلة (أيام)", "Days in the current stage");
pub const WEEKLY_INTAKE_AND_COMPLETIONS: Words =
    Words::new("الوارد والمنجز أسبوعياً", "Weekly intake and completions");
pub const OPEN_APPLICATIONS_OVER_TIME: Words =
    Words::new("الطلبات المفتوحة عبر الزمن", "Open applications over time");
pub const BOTTLENECK_AND_SLA_BREACHES: Words =
    Words::new("عنق الزجاجة وتجاوز المهل", "Bottleneck and SLA breaches");
pub const THE_WORKFLOW_WITH_TODAYS_COUNTS: Words = Words::new(
    "مسار العمل مع الأعداد الحالية",
    "The workflow with today's counts",
);
pub const APPLICATIONS_BY_WORKFLOW: Words =
    Words::new("الطلبات حسب مسار العمل", "Applications by workflow");
pub const APPLICATIONS_BY_WORKFLOW_VERSION: Words = Words::new(
    "الطلبات حسب نسخة مسار العمل",
    "Applications by workflow version",
);
pub const WORKLOAD_PER_OFFICER_COUNTS_ONLY: Words = Words::new(
    "عبء العمل لكل موظف (أعداد فقط)",
    "Workload per officer (counts only)",
);
pub const WORKFLOW: Words = Words::new("مسار العمل", "Workflow");
pub const RECEIVED: Words = Words::new("الطلبات الواردة", "Received");
pub const OPEN: Words = Words::new("المفتوحة", "Open");
pub const CLOSED: Words = Words::new("المغلقة", "Closed");
pub const CARDS_STILL_DUE: Words = Words::new("البطاقات المستحقة", "Cards still due");
pub const THE_RECORD_DOES_NOT_KEEP_THIS: Words = Words::new(
    "لا يحفظ السجل هذا الرقم لذلك اليوم",
    "The record does not keep this figure for that day",
);
pub const NO_PAST_VALUES_KEPT: Words = Words::new("لا قيم سابقة محفوظة", "no past values kept");
pub const A_WEEK_AGO: Words = Words::new("قبل أسبوع:", "A week ago:");
pub const TARGETS_AND_WHERE_THEY_STAND: Words =
    Words::new("الأهداف وأين تقف", "Targets and where they stand");
pub const NO_TARGET_IS_SET_YET_AN: Words = Words::new(
    "لم تحدَّد أهداف بعد؛ يحددها مسؤول النظام.",
    "No target is set yet; the system administrator sets them.",
);
pub const MET: Words = Words::new("تحقق", "Met");
pub const ON_TRACK: Words = Words::new("على المسار", "On track");
pub const BEHIND: Words = Words::new("متأخر", "Behind");
pub const EVERY_APPLICATION_RECEIVED_BEFORE: Words = Words::new(
    "إغلاق كل الطلبات الواردة قبل",
    "Every application received before",
);
pub const CLOSED_COMPLETED_REJECTED_OR_WITHDRAWN_BY: Words = Words::new(
    "(بالإنجاز أو الرفض أو السحب) بحلول",
    "closed (completed, rejected or withdrawn) by",
);
pub const OF_OPEN_APPLICATIONS_WITHIN_THEIR_STAGES: Words = Words::new(
    "من الطلبات المفتوحة ضمن مهلة مرحلتها",
    "of open applications within their stage's time limit",
);
pub const BY: Words = Words::new("بحلول", "by");
pub const NOW: Words = Words::new("الآن", "now");
pub const PAST_DUE_OF: Words = Words::new("متجاوزة من", "past due of");
pub const NATURALIZATION_BACKLOG_DASHBOARD: Words = Words::new(
    "لوحة متابعة طلبات التجنيس",
    "Naturalization backlog dashboard",
);
pub const THIS_DASHBOARD_IS_FOR_MINISTRY_LEADERSHIP: Words = Words::new(
    "هذه اللوحة لقيادة الوزارة والمشرفين فقط",
    "This dashboard is for ministry leadership and supervisors only",
);
pub const PRINT: Words = Words::new("طباعة", "Print");
pub const YOU_ARE_NOT_SIGNED_IN_OR: Words = Words::new(
    "انتهت الجلسة أو لم تسجّل الدخول بعد",
    "You are not signed in, or your session has ended",
);
pub const COULD_NOT_LOAD_THE_FIGURES_RETRYING: Words = Words::new(
    "تعذر تحميل الأرقام؛ ستعاد المحاولة",
    "Could not load the figures; retrying",
);
pub const SIGN_IN_TO_SEE_THE_FIGURES: Words =
    Words::new("سجّل الدخول لرؤية الأرقام", "Sign in to see the figures");
pub const ALL_DISTRICTS: Words = Words::new("كل المناطق", "All districts");
pub const THE_BOTTLENECK_IS: Words = Words::new("عنق الزجاجة:", "The bottleneck is");
pub const WAITING_ON_AVERAGE: Words = Words::new("بمتوسط", "waiting on average");
pub const NOTHING_IS_WAITING: Words = Words::new("لا شيء ينتظر.", "Nothing is waiting.");
pub const PAST_DUE: Words = Words::new("تجاوزت المهلة", "Past due");
pub const OPEN_COLUMN: Words = Words::new("مفتوحة", "Open");
pub const ACTIONS_FROM: Words = Words::new("الإجراءات في الفترة", "Actions from");
pub const AUTOMATIC_STEPS: Words = Words::new("خطوات تلقائية", "Automatic steps");
pub const HOLDING: Words = Words::new("طلبات بعهدته", "Holding");
pub const ACTIONS: Words = Words::new("إجراءات", "Actions");
pub const VERSION: Words = Words::new("النسخة", "Version");
pub const APPLICATIONS: Words = Words::new("الطلبات", "Applications");
pub const FROM: Words = Words::new("الفترة", "From");
pub const BUSIEST_SCOPES: Words = Words::new("النطاقات الأكثر طلباً", "Busiest scopes");
pub const REFUSALS_BY_KIND: Words = Words::new("الرفض حسب السبب", "Refusals by kind");
pub const AGENCY: Words = Words::new("الجهة", "Agency");
pub const QUERIES: Words = Words::new("استعلامات", "Queries");
pub const ANSWERED: Words = Words::new("أجيبت", "Answered");
pub const REFUSED: Words = Words::new("رُفضت", "Refused");
pub const NO_QUERIES_IN_THIS_PERIOD: Words =
    Words::new("لا استعلامات في هذه الفترة", "No queries in this period");
pub const BACK_TO_THE_DASHBOARD: Words = Words::new("العودة إلى اللوحة", "Back to the dashboard");
pub const THIS_CHANGE_CANNOT_BE_WORKED_OUT: Words = Words::new(
    "لا يمكن حساب هذا التغيير",
    "This change cannot be worked out",
);
pub const APPLICATIONS_RECEIVED: Words = Words::new("الطلبات الواردة", "Applications received");
pub const PERSONS_COVERED: Words = Words::new("الأشخاص المشمولون", "Persons covered");
pub const PERSONS_REGISTERED: Words = Words::new("المقيدون في السجل المدني", "Persons registered");
pub const CARDS_COLLECTED: Words = Words::new("البطاقات المسلّمة", "Cards collected");
pub const OPEN_APPLICATIONS: Words = Words::new("الطلبات المفتوحة", "Open applications");
pub const PAST_THEIR_DUE_DATE: Words = Words::new("تجاوزت المهلة", "Past their due date");
pub const UNDER_THE_CARD_AGE: Words = Words::new("دون سن البطاقة", "Under the card age");
pub const BEING_PRINTED_OR_HANDED_OVER: Words =
    Words::new("قيد الطباعة أو التسليم", "Being printed or handed over");
pub const AWAITING_APPEARANCE: Words = Words::new("بانتظار الحضور", "Awaiting appearance");
pub const ABROAD: Words = Words::new("خارج البلاد", "Abroad");
pub const WAITING_TODAY: Words = Words::new("ينتظر اليوم", "Waiting today");
pub const P10_EARLY: Words =
    Words::new("\u{2068}P10\u{2069} (مبكر)", "\u{2068}P10\u{2069} (early)");
pub const P50_LIKELY: Words =
    Words::new("\u{2068}P50\u{2069} (مرجّح)", "\u{2068}P50\u{2069} (likely)");
pub const P90_LATE: Words = Words::new("\u{2068}P90\u{2069} (متأخر)", "\u{2068}P90\u{2069} (late)");
pub const WITH_THE_CHANGE: Words = Words::new("مع التغيير", "With the change");
pub const AS_THINGS_ARE: Words = Words::new("كما هو الحال", "As things are");
pub const CARDS_THAT_CAN_BE_ISSUED_NOW: Words = Words::new(
    "البطاقات الممكن إصدارها الآن",
    "Cards that can be issued now",
);

/// The families of one district, as a forecast's measure.
pub fn families_in(place: &Text) -> Text {
    Text::new(
        format!("العائلات في {}", place.ar),
        format!("Families in {}", place.en),
    )
}

/// The months as Syria names them, and in English (short).
pub const MONTHS: [Words; 12] = [
    Words::new("كانون الثاني", "Jan"),
    Words::new("شباط", "Feb"),
    Words::new("آذار", "Mar"),
    Words::new("نيسان", "Apr"),
    Words::new("أيار", "May"),
    Words::new("حزيران", "Jun"),
    Words::new("تموز", "Jul"),
    Words::new("آب", "Aug"),
    Words::new("أيلول", "Sep"),
    Words::new("تشرين الأول", "Oct"),
    Words::new("تشرين الثاني", "Nov"),
    Words::new("كانون الأول", "Dec"),
];

/// The Arabic percent sign, after a number in Arabic-Indic digits.
pub const ARABIC_PERCENT: &str = "٪";

pub const MUST_BE_A_WHOLE_NUMBER: Words =
    Words::new("يجب أن يكون عدداً صحيحاً", "must be a whole number");
pub const THE_SEED_IS_A_NUMBER_FROM_0: Words =
    Words::new("البذرة عدد غير سالب", "the seed is a number from 0");
pub const IS_NOT_A_STAGE_OF_THE_WORKFLOW: Words =
    Words::new("ليست من مراحل مسار العمل", "is not a stage of the workflow");

/// An age group that is not one of `names`.
pub fn one_of_the_age_groups(names: &[&str]) -> Text {
    Text::new(
        format!("إحدى الفئات: {}", names.join("، ")),
        format!("must be one of {}", names.join(", ")),
    )
}

/// "Agency portal: persons asked about (last 30 days)".
pub fn portal_title(locale: Locale) -> String {
    match locale.lang {
        Lang::Ar => format!(
            "بوابة الجهات: الأشخاص المستعلم عنهم (آخر {} يوماً)",
            locale.number("30")
        ),
        Lang::En => "Agency portal: persons asked about (last 30 days)".to_string(),
    }
}

/// "This week so far: 3 of 7 days; left out of every rate."
pub fn partial_week(days: i64, locale: Locale) -> String {
    match locale.lang {
        Lang::Ar => format!(
            "الأسبوع الجاري حتى الآن: {} من {} أيام؛ غير محسوب في أي معدل",
            locale.number(&days.to_string()),
            locale.number("7")
        ),
        Lang::En => format!("This week so far: {days} of 7 days; left out of every rate"),
    }
}

/// Officers of `role` as counted after a preposition or as an object (the
/// genitive: نقل ٥ مدققين، سوى مدققَين), with English's singular and
/// plural.
fn officers_counted(role: Role) -> (Noun, (&'static str, &'static str)) {
    let noun = |singular, dual, plural, accusative| Noun {
        singular,
        dual,
        plural,
        accusative,
        gender: Gender::Masculine,
    };
    match role {
        Role::IntakeClerk => (
            noun("موظف استلام", "موظفَي استلام", "موظفي استلام", "موظف استلام"),
            ("intake clerk", "intake clerks"),
        ),
        Role::Verifier => (
            noun("مدقق", "مدققَين", "مدققين", "مدققاً"),
            ("verifier", "verifiers"),
        ),
        Role::Approver => (
            noun("موظف موافقة", "موظفَي موافقة", "موظفي موافقة", "موظف موافقة"),
            ("approver", "approvers"),
        ),
        Role::Registrar => (
            noun(
                "أمين سجل مدني",
                "أمينَي سجل مدني",
                "أمناء سجل مدني",
                "أمين سجل مدني",
            ),
            ("registrar", "registrars"),
        ),
        Role::CardOfficer => (
            noun("موظف بطاقات", "موظفَي بطاقات", "موظفي بطاقات", "موظف بطاقات"),
            ("card officer", "card officers"),
        ),
        _ => (
            noun("موظف", "موظفَين", "موظفين", "موظفاً"),
            ("officer", "officers"),
        ),
    }
}

/// Weeks after آخر (في آخر ١٢ أسبوعاً).
const WEEKS_AFTER_LAST: Noun = Noun {
    singular: "أسبوع",
    dual: "أسبوعين",
    plural: "أسابيع",
    accusative: "أسبوعاً",
    gender: Gender::Masculine,
};

/// The what-if asked to move `asked` officers of `role` away from `place`,
/// where only `present` worked in the last `weeks` weeks: why it cannot,
/// its Arabic numbers in `digits`.
pub fn cannot_move_more_officers(
    role: Role,
    asked: i64,
    present: i64,
    weeks: i32,
    place: &Text,
    digits: Digits,
) -> Text {
    let (noun, english) = officers_counted(role);
    let arabic = Locale {
        lang: Lang::Ar,
        digits,
    };
    let ar_weeks = count(u64::from(weeks.unsigned_abs()), &WEEKS_AFTER_LAST, arabic);
    let en = Locale {
        lang: Lang::En,
        digits,
    };
    if present <= 0 {
        return Text::new(
            format!(
                "لم يعمل أي {} في {} في آخر {ar_weeks}، فلا يمكن نقل أحد منها",
                noun.singular, place.ar
            ),
            format!(
                "no {} worked in {} in the last {}: none can be moved away",
                english.0,
                place.en,
                en.count(i64::from(weeks), &WEEKS_AFTER_LAST, ("week", "weeks")),
            ),
        );
    }
    Text::new(
        format!(
            "لا يمكن نقل {} من {}، فلم يعمل فيها في آخر {ar_weeks} سوى {}",
            count(asked.unsigned_abs(), &noun, arabic),
            place.ar,
            count(present.unsigned_abs(), &noun, arabic),
        ),
        format!(
            "{} cannot be moved away from {}: only {} worked there in the last {}",
            en.count(asked, &noun, english),
            place.en,
            en.count(present, &noun, english),
            en.count(i64::from(weeks), &WEEKS_AFTER_LAST, ("week", "weeks")),
        ),
    )
}

/// A change that moves no date because the stage that holds the flow back
/// in `place` is `stage`, which the change does not touch.
pub fn no_date_moves_held_back_elsewhere(stage: &Text, place: &Text) -> Text {
    Text::new(
        format!(
            "لا يتغير أي موعد: ما يحدّ من سير الطلبات في {} هو مرحلة «{}»، وهذا التغيير لا يمسّها.",
            place.ar, stage.ar
        ),
        format!(
            "No date moves: what holds the flow of applications back in {} is the stage “{}”, which this change does not touch.",
            place.en, stage.en
        ),
    )
}

/// A change that moves no date although it touches `stage`, the stage
/// that holds the flow back in `place`: too small to move one by a week.
pub fn no_date_moves_too_small(stage: &Text, place: &Text) -> Text {
    Text::new(
        format!(
            "لا يتغير أي موعد: يمسّ التغيير مرحلة «{}» التي تحدّ من سير الطلبات في {}، لكنه أصغر من أن يقدّم موعداً أو يؤخره أسبوعاً.",
            stage.ar, place.ar
        ),
        format!(
            "No date moves: the change reaches the stage “{}”, which holds the flow of applications back in {}, but too little to move any date by a week.",
            stage.en, place.en
        ),
    )
}

/// A change that moves no date because nothing waits in `place`.
pub fn no_date_moves_nothing_waits(place: &Text) -> Text {
    Text::new(
        format!(
            "لا يتغير أي موعد: لا شيء ينتظر في {} مما يمكن لهذا التغيير أن يحرّكه.",
            place.ar
        ),
        format!(
            "No date moves: nothing waits in {} that this change could move.",
            place.en
        ),
    )
}

/// "4 weeks ago:", before a tile's figure four weeks back.
pub fn four_weeks_ago(locale: Locale) -> String {
    match locale.lang {
        Lang::Ar => format!("قبل {} أسابيع:", locale.number("4")),
        Lang::En => "4 weeks ago:".to_string(),
    }
}

/// What a "closed by" target still has open: "2 still open of 3", the
/// numbers already written as the reader reads them.
pub fn still_open_of(remaining: &str, total: &str, locale: Locale) -> String {
    match locale.lang {
        Lang::Ar => format!("{remaining} مفتوحة من {total}"),
        Lang::En => format!("{remaining} still open of {total}"),
    }
}

/// The lead-in to the day a "closed by" target's open cases would all be
/// closed at the closing rate of the last four full weeks (`rate` a week,
/// written as the reader reads it); the day follows it.
pub fn closed_at_the_rate_by(rate: &str, locale: Locale) -> String {
    let four = locale.number("4");
    match locale.lang {
        Lang::Ar => format!("؛ بمعدل الإغلاق في آخر {four} أسابيع كاملة ({rate} في الأسبوع) تُغلق في "),
        Lang::En => format!(
            "; at the closing rate of the last {four} full weeks ({rate} a week) they are closed by "
        ),
    }
}

/// A "closed by" target whose cases closed at no rate at all.
pub fn nothing_closed_in_four_weeks(locale: Locale) -> String {
    let four = locale.number("4");
    match locale.lang {
        Lang::Ar => format!("؛ لم يُغلق شيء في آخر {four} أسابيع كاملة"),
        Lang::En => format!("; nothing closed in the last {four} full weeks"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Text {
        Text::new("الحسكة", "al-Hasakah")
    }

    /// The refusal of moving `asked` verifiers away where `present` worked,
    /// in Arabic-Indic digits, is `ar` and `en`.
    fn check(asked: i64, present: i64, ar: &str, en: &str) {
        let said =
            cannot_move_more_officers(Role::Verifier, asked, present, 12, &place(), Digits::Arabic);
        assert_eq!(said.ar, ar, "{asked} of {present}");
        assert_eq!(said.en, en, "{asked} of {present}");
    }

    #[test]
    fn where_a_closed_by_target_stands_is_said_in_the_reader_s_digits() {
        let arabic = Locale {
            lang: Lang::Ar,
            digits: Digits::Arabic,
        };
        let english = Locale {
            lang: Lang::En,
            digits: Digits::Western,
        };
        assert_eq!(four_weeks_ago(arabic), "قبل ٤ أسابيع:");
        assert_eq!(four_weeks_ago(Locale::ARABIC_WESTERN), "قبل 4 أسابيع:");
        assert_eq!(four_weeks_ago(english), "4 weeks ago:");
        assert_eq!(still_open_of("٢", "٣", arabic), "٢ مفتوحة من ٣");
        assert_eq!(still_open_of("2", "3", english), "2 still open of 3");
        assert_eq!(
            closed_at_the_rate_by("١٫٥", arabic),
            "؛ بمعدل الإغلاق في آخر ٤ أسابيع كاملة (١٫٥ في الأسبوع) تُغلق في "
        );
        assert_eq!(
            closed_at_the_rate_by("1.5", english),
            "; at the closing rate of the last 4 full weeks (1.5 a week) they are closed by "
        );
        assert_eq!(
            nothing_closed_in_four_weeks(arabic),
            "؛ لم يُغلق شيء في آخر ٤ أسابيع كاملة"
        );
        assert_eq!(
            nothing_closed_in_four_weeks(english),
            "; nothing closed in the last 4 full weeks"
        );
    }

    #[test]
    fn moving_more_officers_than_worked_there_is_said_with_arabic_counting() {
        check(
            50,
            3,
            "لا يمكن نقل ٥٠ مدققاً من الحسكة، فلم يعمل فيها في آخر ١٢ أسبوعاً سوى ٣ مدققين",
            "50 verifiers cannot be moved away from al-Hasakah: only 3 verifiers worked there in the last 12 weeks",
        );
        check(
            3,
            2,
            "لا يمكن نقل ٣ مدققين من الحسكة، فلم يعمل فيها في آخر ١٢ أسبوعاً سوى مدققَين",
            "3 verifiers cannot be moved away from al-Hasakah: only 2 verifiers worked there in the last 12 weeks",
        );
        check(
            2,
            1,
            "لا يمكن نقل مدققَين من الحسكة، فلم يعمل فيها في آخر ١٢ أسبوعاً سوى مدقق واحد",
            "2 verifiers cannot be moved away from al-Hasakah: only 1 verifier worked there in the last 12 weeks",
        );
        check(
            1,
            0,
            "لم يعمل أي مدقق في الحسكة في آخر ١٢ أسبوعاً، فلا يمكن نقل أحد منها",
            "no verifier worked in al-Hasakah in the last 12 weeks: none can be moved away",
        );
    }

    #[test]
    fn the_refusal_in_arabic_is_wholly_arabic() {
        for role in [
            Role::IntakeClerk,
            Role::Verifier,
            Role::Approver,
            Role::Registrar,
            Role::CardOfficer,
            Role::Supervisor,
        ] {
            for (asked, present) in [(200, 12), (5, 0), (1, 0), (4, 2)] {
                let said =
                    cannot_move_more_officers(role, asked, present, 12, &place(), Digits::Arabic);
                assert!(
                    !said.ar.chars().any(|c| c.is_ascii_alphanumeric()),
                    "{role:?}: {}",
                    said.ar
                );
            }
        }
        let western =
            cannot_move_more_officers(Role::CardOfficer, 11, 4, 12, &place(), Digits::Western);
        assert_eq!(
            western.ar,
            "لا يمكن نقل 11 موظف بطاقات من الحسكة، فلم يعمل فيها في آخر 12 أسبوعاً سوى 4 موظفي بطاقات"
        );
    }
}
