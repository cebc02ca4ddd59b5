//! The figures: what is wrong with a target or a what-if, the what-if's
//! change in words, and how the forecast and its backtest are made.

use crate::domain::language::{Locale, Text, Words, count, nouns};

const WESTERN: Locale = Locale::ARABIC_WESTERN;

// Targets (`app::stats::targets`).

pub const BAD_TARGET_NAME: Words = Words::new(
    "اسم الهدف من ١ إلى ٦٤ حرفاً: أحرف لاتينية صغيرة وأرقام و- و_، يبدأ بحرف أو رقم",
    "a target's name is 1 to 64 of a-z, digits, '-' and '_', beginning with a letter or digit",
);
pub const YEAR_OUT_OF_RANGE: Words = Words::new(
    "يوم بين عامي ٢٠٠٠ و٢١٠٠",
    "must be a day between the years 2000 and 2100",
);
pub const CLOSED_BY_NEEDS_RECEIVED_BEFORE: Words = Words::new(
    "مطلوب لهدف من نوع \u{2068}closed_by\u{2069}: الطلبات الواردة قبل أي يوم",
    "is required for a closed_by target: the applications received before which day",
);
pub const CLOSED_BY_NEEDS_DEADLINE: Words = Words::new(
    "مطلوب لهدف من نوع \u{2068}closed_by\u{2069}: اليوم الذي تغلق فيه",
    "is required for a closed_by target: the day they are to be closed by",
);
pub const DEADLINE_BEFORE_RECEIVED: Words = Words::new(
    "لا يسبق يوم \u{2068}received_before\u{2069}",
    "must not be before received_before",
);
pub const NOT_TAKEN_BY_CLOSED_BY: Words = Words::new(
    "لا يُقبل في هدف من نوع \u{2068}closed_by\u{2069}",
    "is not taken by a closed_by target",
);
pub const SHARE_OUT_OF_RANGE: Words =
    Words::new("نسبة من ١ إلى ١٠٠", "must be a share from 1 to 100");
pub const WITHIN_TIME_LIMIT_NEEDS_SHARE: Words = Words::new(
    "مطلوب لهدف من نوع \u{2068}within_time_limit\u{2069}: النسبة المطلوبة من ١ إلى ١٠٠",
    "is required for a within_time_limit target: the share to reach, 1 to 100",
);
pub const NOT_TAKEN_BY_WITHIN_TIME_LIMIT: Words = Words::new(
    "لا يُقبل في هدف من نوع \u{2068}within_time_limit\u{2069}",
    "is not taken by a within_time_limit target",
);

// The what-if (`app::stats::what_if`).

pub fn officers_out_of_range(max: i64) -> Text {
    Text::new(
        format!(
            "يجب أن يكون بين -{max} و{}",
            count(max.unsigned_abs(), &nouns::OFFICERS_AFTER, WESTERN)
        ),
        format!("must be between -{max} and {max} officers"),
    )
}

pub fn card_offices_out_of_range(max: i64) -> Text {
    Text::new(
        format!("يجب أن يكون بين 0 و{max} مكتباً جديداً للبطاقات"),
        format!("must be between 0 and {max} new card offices"),
    )
}

/// A role that works no stage; `roles` lists those that do, by their
/// names and by their codes.
pub fn role_works_no_stage(name: &str, names: &Text, codes: &Text) -> Text {
    Text::new(
        format!(
            "{} لا يعمل في أي مرحلة من هذا المسار؛ أحد: {}",
            crate::domain::language::isolate(name),
            names.ar
        ),
        format!(
            "'{name}' works no stage of this workflow; one of: {}",
            codes.en
        ),
    )
}

pub const NAME_THE_ROLE: Words = Words::new(
    "اذكر دور الموظفين المضافين أو المنقولين",
    "name the role of the officers added or moved",
);
pub const OUTSIDE_THE_FORECAST: Words = Words::new(
    "خارج المنطقة التي يغطيها هذا التوقع",
    "is outside the district this forecast covers",
);
pub const NAME_THE_DISTRICT: Words = Words::new(
    "اذكر المنطقة (أو المركز) التي يجري فيها التغيير",
    "name the district (or office) the change is in",
);

/// Officers of `role` added (or, negative, moved away) in `place`.
pub fn officers_added(role: &Text, add: i64, place: &Text) -> Text {
    Text::new(
        format!("{}: {add:+} في {}", role.ar, place.ar),
        format!("{}: {add:+} in {}", role.en, place.en),
    )
}

pub fn card_offices_added(place: &Text, offices: i64) -> Text {
    Text::new(
        format!("مكاتب بطاقات جديدة في {}: {offices}", place.ar),
        format!("New card offices in {}: {offices}", place.en),
    )
}

pub const NO_CHANGE: Words = Words::new("بلا تغيير", "No change");

// The forecast and its backtest (`app::stats::forecast`, `backtest`).

pub fn forecast_method(runs: u32, history_weeks: i32) -> Text {
    Text::new(
        format!(
            "محاكاة مونت كارلو ({}): كل أسبوع قادم يُسحب عشوائياً من أسابيع مسجلة كاملة من آخر {}، فتنتقل من كل مرحلة في كل منطقة أعدادُ ما انتقل منها في ذلك الأسبوع، الأقدم أولاً، وتصل الطلبات الجديدة خلف ما ينتظر اليوم. \u{2068}P10\u{2069} و\u{2068}P50\u{2069} و\u{2068}P90\u{2069}: الموعد الذي يكون قد انتهى فيه ما ينتظر اليوم في 10 و50 و90 بالمئة من التشغيلات. الطلبات المعادة إلى أصحابها لا تُحسب، والبطاقات هي بطاقات الحاضرين ممن بلغوا السن.",
            count(u64::from(runs), &nouns::RUNS, WESTERN),
            count(history_weeks.unsigned_abs().into(), &nouns::WEEKS, WESTERN)
        ),
        format!(
            "Monte-Carlo simulation ({runs} runs): each future week is a whole recorded week drawn at random from the last {history_weeks} full weeks; each stage of each district moves on as many cases as left it that week, oldest first, and new applications arrive behind what waits today. P10, P50 and P90: the day by which what waits today has cleared in 10, 50 and 90 % of the runs. Applications sent back to the applicant are left out; cards are those of members present and of card age."
        ),
    )
}

pub fn backtest(inside: i64, points: i64, percent: i64) -> Text {
    Text::new(
        format!(
            "اختبار رجعي: التوقعات التي كانت ستُعطى قبل 4 و8 و12 أسبوعاً أصابت نطاق \u{2068}P10–P90\u{2069} للطلبات المفتوحة في {inside} من {} ({percent}%).",
            count(points.unsigned_abs(), &nouns::WEEKS, WESTERN)
        ),
        format!(
            "Backtest: the forecasts made 4, 8 and 12 weeks ago had the open applications inside their P10–P90 band in {inside} of {points} weeks ({percent} %)."
        ),
    )
}

pub const BACKTEST_NO_HISTORY: Words = Words::new(
    "اختبار رجعي: لا يوجد بعد تاريخ كافٍ للمقارنة.",
    "Backtest: not enough history yet to compare.",
);

// Reminders (`app::reminders`).

/// The last line of a long digest, after the count of the cases left out.
pub const MORE_CASES: Words = Words::new("طلبات أخرى", "more cases");

pub const DAY_OUT_OF_RANGE: Words = Words::new(
    "يجب أن يكون يوماً بين عامي 1900 و2200",
    "must be a day between the years 1900 and 2200",
);

pub const NOT_A_DISTRICT_OR_OFFICE: Words =
    Words::new("ليس منطقة ولا مركزاً", "is not a district or office");

/// A filter that takes one of `values` (codes, isolated in Arabic).
pub fn one_of(values: &[&str]) -> Text {
    Text::new(
        format!(
            "يجب أن يكون أحد: {}",
            crate::domain::language::isolate(&values.join("، "))
        ),
        format!("must be one of {}", values.join(", ")),
    )
}
