//! The working calendar that deadlines are counted in.
//!
//! In Syria the working week runs from Sunday to Thursday; Friday and
//! Saturday are the weekend. Public holidays come from a calendar file (see
//! `workflows/holidays.toml`), because the dates of the religious feasts are
//! announced each year and the list itself changes by decree.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// Syria keeps UTC+3 all year (Asia/Damascus, no daylight saving since
/// 2022): working days, birthdays and reminder schedules are read in it.
pub const SYRIA_UTC_OFFSET_SECONDS: i32 = 3 * 3600;

/// Syria's time zone as an offset.
pub fn syria_time() -> FixedOffset {
    // The offset is a constant well inside ±24 h, so `east_opt` accepts it.
    FixedOffset::east_opt(SYRIA_UTC_OFFSET_SECONDS)
        .unwrap_or(FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()))
}

/// The day it is in Syria at `now`.
pub fn local_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&syria_time()).date_naive()
}

/// A public holiday: a day on which government offices are closed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holiday {
    pub date: NaiveDate,
    pub name_ar: String,
    pub name_en: String,
}

/// The days on which offices work: Sunday to Thursday, except public
/// holidays. Deadlines measured in working days are computed here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    /// Every holiday by date, including those that fall on a weekend.
    holidays: BTreeMap<NaiveDate, Holiday>,
}

impl WorkingCalendar {
    /// Builds a calendar from a list of holidays. When two holidays share a
    /// date, the later one in the list is kept.
    pub fn new(holidays: impl IntoIterator<Item = Holiday>) -> WorkingCalendar {
        WorkingCalendar {
            holidays: holidays
                .into_iter()
                .map(|holiday| (holiday.date, holiday))
                .collect(),
        }
    }

    /// Reads a holidays file: a TOML list of `[[holiday]]` tables, each with
    /// a `date` (`"YYYY-MM-DD"` or a TOML date), an Arabic name `ar` and an
    /// English name `en`. Errors name the entry, counting from 1.
    pub fn from_toml_str(text: &str) -> Result<WorkingCalendar, CalendarError> {
        let file: HolidaysFile =
            toml::from_str(text).map_err(|error| CalendarError::Syntax(error.to_string()))?;
        let mut holidays: BTreeMap<NaiveDate, (usize, Holiday)> = BTreeMap::new();
        for (position, raw) in file.holiday.into_iter().enumerate() {
            let index = position + 1;
            let date = raw
                .date
                .to_naive_date()
                .ok_or_else(|| CalendarError::BadDate {
                    index,
                    value: raw.date.to_string(),
                })?;
            for (language, name) in [("Arabic", &raw.ar), ("English", &raw.en)] {
                if name.trim().is_empty() {
                    return Err(CalendarError::EmptyName { index, language });
                }
            }
            let holiday = Holiday {
                date,
                name_ar: raw.ar.trim().to_string(),
                name_en: raw.en.trim().to_string(),
            };
            match holidays.entry(date) {
                Entry::Occupied(first) => {
                    return Err(CalendarError::DuplicateDate {
                        index,
                        date,
                        first_index: first.get().0,
                    });
                }
                Entry::Vacant(slot) => {
                    slot.insert((index, holiday));
                }
            }
        }
        Ok(WorkingCalendar::new(
            holidays.into_values().map(|(_, holiday)| holiday),
        ))
    }

    /// Whether offices work on `date`: it is Sunday to Thursday and not a
    /// public holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        is_working_weekday(date.weekday()) && !self.holidays.contains_key(&date)
    }

    /// The date `n` working days after `start`: the first date `d` after
    /// `start` such that there are exactly `n` working days in `(start, d]`.
    /// With `n = 0` this is `start` itself, whether or not it is a working
    /// day. A date past the end of chrono's range gives `NaiveDate::MAX`.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let target = i64::from(n);
        let mut date = start;
        let mut counted: i64 = 0;
        // Each week holds at most five working days, so jumping by
        // `(remaining - 1) / 5` weeks leaves at least one working day to
        // find. The last steps then go day by day, which makes the result
        // the first date that completes the count: a working day.
        while target - counted > WORKING_DAYS_PER_WEEK {
            let weeks = (target - counted - 1) / WORKING_DAYS_PER_WEEK;
            let Some(next) = add_days(date, weeks.saturating_mul(7)) else {
                return NaiveDate::MAX;
            };
            counted += self.working_days_between(date, next);
            date = next;
        }
        while counted < target {
            let Some(next) = date.succ_opt() else {
                return NaiveDate::MAX;
            };
            date = next;
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        date
    }

    /// The number of working days `d` with `from < d <= to`, or 0 when `to`
    /// is not after `from`. It takes time in proportion to the holidays in
    /// the range, not to its length.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        let days = (to - from).num_days();
        let full_weeks = days / 7;
        let mut count = full_weeks * WORKING_DAYS_PER_WEEK;
        // The remaining days (fewer than seven) start with the weekday after
        // `from`, because full weeks do not change the weekday.
        let mut weekday = from.weekday();
        for _ in 0..days % 7 {
            weekday = weekday.succ();
            if is_working_weekday(weekday) {
                count += 1;
            }
        }
        let holidays_on_working_weekdays = self
            .holidays
            .range(from.succ_opt().unwrap_or(NaiveDate::MAX)..=to)
            .filter(|(date, _)| is_working_weekday(date.weekday()))
            .count();
        count - i64::try_from(holidays_on_working_weekdays).unwrap_or(i64::MAX)
    }

    /// The holiday on `date`, if there is one (even on a weekend).
    pub fn holiday_on(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays.get(&date)
    }

    /// Every holiday, in date order.
    pub fn holidays(&self) -> impl Iterator<Item = &Holiday> {
        self.holidays.values()
    }
}

/// Why a holidays file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the holidays file is not valid: {0}")]
    Syntax(String),
    #[error("holiday entry {index}: the date {value} is not a calendar date written YYYY-MM-DD")]
    BadDate { index: usize, value: String },
    #[error(
        "holiday entry {index}: the date {date} is already used by entry {first_index}; put both names in one entry"
    )]
    DuplicateDate {
        index: usize,
        date: NaiveDate,
        first_index: usize,
    },
    #[error("holiday entry {index}: the {language} name is empty")]
    EmptyName {
        index: usize,
        language: &'static str,
    },
}

const WORKING_DAYS_PER_WEEK: i64 = 5;

/// Whether `weekday` is in the Syrian working week, Sunday to Thursday.
fn is_working_weekday(weekday: Weekday) -> bool {
    !matches!(weekday, Weekday::Fri | Weekday::Sat)
}

fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_days(Days::new(u64::try_from(days).ok()?))
}

/// The holidays file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidaysFile {
    #[serde(default)]
    holiday: Vec<RawHoliday>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    date: RawDate,
    ar: String,
    en: String,
}

/// A date written either as a string or as a TOML date.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawDate {
    Text(String),
    Toml(toml::value::Datetime),
}

impl RawDate {
    fn to_naive_date(&self) -> Option<NaiveDate> {
        match self {
            RawDate::Text(text) => NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok(),
            RawDate::Toml(datetime) => match (datetime.date, datetime.time, datetime.offset) {
                (Some(date), None, None) => NaiveDate::from_ymd_opt(
                    i32::from(date.year),
                    u32::from(date.month),
                    u32::from(date.day),
                ),
                _ => None,
            },
        }
    }
}

impl std::fmt::Display for RawDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawDate::Text(text) => write!(f, "\u{201C}{text}\u{201D}"),
            RawDate::Toml(datetime) => write!(f, "{datetime}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn holiday(text: &str) -> Holiday {
        Holiday {
            date: date(text),
            name_ar: "عطلة".to_string(),
            name_en: "Holiday".to_string(),
        }
    }

    /// A calendar with New Year's Day 2026 (a Thursday) and Evacuation Day
    /// 2026 (a Friday) as holidays.
    fn sample_calendar() -> WorkingCalendar {
        WorkingCalendar::new([holiday("2026-01-01"), holiday("2026-04-17")])
    }

    #[test]
    fn the_working_week_is_sunday_to_thursday_without_holidays() {
        let calendar = sample_calendar();
        let cases = [
            ("2026-01-04", true),  // Sunday
            ("2026-01-05", true),  // Monday
            ("2026-01-08", true),  // Thursday
            ("2026-01-09", false), // Friday
            ("2026-01-10", false), // Saturday
            ("2026-01-01", false), // Thursday, New Year's Day
            ("2026-04-17", false), // Friday, Evacuation Day
            ("2026-04-16", true),  // Thursday
        ];
        for (day, expected) in cases {
            assert_eq!(calendar.is_working_day(date(day)), expected, "{day}");
        }
    }

    fn check_add(calendar: &WorkingCalendar, start: &str, n: u32, expected: &str) {
        assert_eq!(
            calendar.add_working_days(date(start), n),
            date(expected),
            "{n} working days after {start}"
        );
    }

    #[test]
    fn adding_working_days_skips_weekends_and_holidays() {
        let calendar = sample_calendar();
        // Adding nothing returns the start, even on a weekend or holiday.
        check_add(&calendar, "2026-01-09", 0, "2026-01-09");
        check_add(&calendar, "2026-01-01", 0, "2026-01-01");
        // Wednesday 31 December 2025 plus one skips the holiday and the weekend.
        check_add(&calendar, "2025-12-31", 1, "2026-01-04");
        // Thursday plus one is Sunday.
        check_add(&calendar, "2026-01-08", 1, "2026-01-11");
        // Friday and Saturday plus one are Sunday.
        check_add(&calendar, "2026-01-09", 1, "2026-01-11");
        check_add(&calendar, "2026-01-10", 1, "2026-01-11");
        // Sunday plus five is the next Sunday; plus twenty is four weeks on.
        check_add(&calendar, "2026-01-04", 5, "2026-01-11");
        check_add(&calendar, "2026-01-04", 20, "2026-02-01");
        // Four weeks across New Year: one day is lost to the holiday.
        check_add(&calendar, "2025-12-28", 20, "2026-01-26");
    }

    fn check_between(calendar: &WorkingCalendar, from: &str, to: &str, expected: i64) {
        assert_eq!(
            calendar.working_days_between(date(from), date(to)),
            expected,
            "working days after {from} up to {to}"
        );
    }

    #[test]
    fn counting_working_days_excludes_the_start_and_includes_the_end() {
        let calendar = sample_calendar();
        check_between(&calendar, "2026-01-04", "2026-01-04", 0);
        check_between(&calendar, "2026-01-05", "2026-01-04", 0);
        check_between(&calendar, "2026-01-04", "2026-01-05", 1);
        check_between(&calendar, "2026-01-04", "2026-01-11", 5);
        check_between(&calendar, "2026-01-08", "2026-01-10", 0);
        check_between(&calendar, "2025-12-31", "2026-01-01", 0);
        check_between(&calendar, "2025-12-31", "2026-01-04", 1);
        check_between(&calendar, "2025-12-28", "2026-01-26", 20);
        // A holiday on a Friday costs nothing.
        check_between(&calendar, "2026-04-12", "2026-04-19", 5);
        // A whole year of 2026 with its one working-day holiday.
        check_between(&calendar, "2025-12-31", "2026-12-31", 261 - 1);
    }

    #[test]
    fn counting_matches_a_day_by_day_count() {
        let calendar = sample_calendar();
        let start = date("2025-12-20");
        for length in 0..60 {
            let end = start + chrono::Duration::days(length);
            let slow = (1..=length)
                .map(|offset| start + chrono::Duration::days(offset))
                .filter(|day| calendar.is_working_day(*day))
                .count();
            assert_eq!(
                calendar.working_days_between(start, end),
                i64::try_from(slow).unwrap_or(-1),
                "{start} to {end}"
            );
        }
    }

    #[test]
    fn adding_many_working_days_lands_on_the_first_date_that_completes_the_count() {
        let calendar = shipped_calendar();
        for start in ["2025-01-01", "2025-03-28", "2026-03-19", "2026-12-31"] {
            for n in [1, 5, 6, 20, 261, 1000, 100_000] {
                let end = calendar.add_working_days(date(start), n);
                assert_eq!(
                    calendar.working_days_between(date(start), end),
                    i64::from(n)
                );
                assert!(calendar.is_working_day(end), "{n} after {start} is {end}");
            }
        }
    }

    #[test]
    fn adding_working_days_saturates_at_the_end_of_time() {
        let calendar = WorkingCalendar::default();
        assert_eq!(
            calendar.add_working_days(NaiveDate::MAX - chrono::Duration::days(3), 10),
            NaiveDate::MAX
        );
        assert_eq!(
            calendar.add_working_days(date("2026-01-01"), u32::MAX),
            NaiveDate::MAX
        );
    }

    fn check_file(text: &str, expected: Result<usize, CalendarError>) {
        let actual =
            WorkingCalendar::from_toml_str(text).map(|calendar| calendar.holidays().count());
        assert_eq!(actual, expected, "reading {text:?}");
    }

    #[test]
    fn holidays_files_are_read_and_checked_entry_by_entry() {
        check_file("", Ok(0));
        check_file(
            "[[holiday]]\ndate = \"2026-01-01\"\nar = \"رأس السنة\"\nen = \"New Year's Day\"\n",
            Ok(1),
        );
        check_file(
            "[[holiday]]\ndate = 2026-01-01\nar = \"رأس السنة\"\nen = \"New Year's Day\"\n",
            Ok(1),
        );
        check_file(
            "[[holiday]]\ndate = \"2026-01-01\"\nar = \"أ\"\nen = \"a\"\n\
             [[holiday]]\ndate = \"2026-02-30\"\nar = \"ب\"\nen = \"b\"\n",
            Err(CalendarError::BadDate {
                index: 2,
                value: "\u{201C}2026-02-30\u{201D}".into(),
            }),
        );
        check_file(
            "[[holiday]]\ndate = 2026-01-01T10:00:00\nar = \"أ\"\nen = \"a\"\n",
            Err(CalendarError::BadDate {
                index: 1,
                value: "2026-01-01T10:00:00".into(),
            }),
        );
        check_file(
            "[[holiday]]\ndate = \"2026-01-01\"\nar = \"أ\"\nen = \"a\"\n\
             [[holiday]]\ndate = \"2026-03-21\"\nar = \"ب\"\nen = \"b\"\n\
             [[holiday]]\ndate = \"2026-01-01\"\nar = \"ج\"\nen = \"c\"\n",
            Err(CalendarError::DuplicateDate {
                index: 3,
                date: date("2026-01-01"),
                first_index: 1,
            }),
        );
        check_file(
            "[[holiday]]\ndate = \"2026-01-01\"\nar = \" \"\nen = \"a\"\n",
            Err(CalendarError::EmptyName {
                index: 1,
                language: "Arabic",
            }),
        );
        assert!(matches!(
            WorkingCalendar::from_toml_str("[[holidays]]\ndate = \"2026-01-01\"\n"),
            Err(CalendarError::Syntax(_))
        ));
        assert!(matches!(
            WorkingCalendar::from_toml_str("[[holiday]]\ndate = \"2026-01-01\"\nar = \"أ\"\n"),
            Err(CalendarError::Syntax(_))
        ));
    }

    #[test]
    fn calendar_errors_name_the_entry_and_the_problem() {
        let error = CalendarError::DuplicateDate {
            index: 3,
            date: date("2026-01-01"),
            first_index: 1,
        };
        assert_eq!(
            error.to_string(),
            "holiday entry 3: the date 2026-01-01 is already used by entry 1; put both names in one entry"
        );
        let error = CalendarError::BadDate {
            index: 2,
            value: "\u{201C}2026-02-30\u{201D}".into(),
        };
        assert_eq!(
            error.to_string(),
            "holiday entry 2: the date \u{201C}2026-02-30\u{201D} is not a calendar date written YYYY-MM-DD"
        );
    }

    const SHIPPED_HOLIDAYS: &str = include_str!("../../workflows/holidays.toml");

    fn shipped_calendar() -> WorkingCalendar {
        WorkingCalendar::from_toml_str(SHIPPED_HOLIDAYS).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_shipped_holidays_file_loads_and_knows_the_fixed_holidays() {
        let calendar = shipped_calendar();
        for year in [2025, 2026, 2027] {
            for (month, day, english) in [
                (1, 1, "New Year"),
                (3, 21, "Mother's Day"),
                (4, 17, "Evacuation Day"),
                (5, 1, "Labour Day"),
                (12, 25, "Christmas"),
                (12, 8, "Liberation Day"),
            ] {
                let Some(day) = NaiveDate::from_ymd_opt(year, month, day) else {
                    panic!("bad test date {year}-{month}-{day}");
                };
                let found = calendar.holiday_on(day).map(|h| h.name_en.as_str());
                assert!(
                    found.is_some_and(|name| name.contains(english)),
                    "{day}: expected {english}, found {found:?}"
                );
            }
        }
        // Revolution Day was added by Decree 188 of 2025, after 18 March 2025.
        assert!(calendar.holiday_on(date("2025-03-18")).is_none());
        assert!(calendar.holiday_on(date("2026-03-18")).is_some());
        // The same decree abolished Tishreen War Day, the day after it was issued.
        assert!(calendar.holiday_on(date("2025-10-06")).is_none());
        assert!(calendar.holiday_on(date("2026-10-06")).is_none());
        assert!(calendar.holiday_on(date("2026-05-06")).is_none());
        // Every holiday has both names.
        for holiday in calendar.holidays() {
            assert!(!holiday.name_ar.is_empty() && !holiday.name_en.is_empty());
        }
    }

    #[test]
    fn the_shipped_holidays_file_knows_the_feasts_of_2026() {
        let calendar = shipped_calendar();
        let cases = [
            ("2026-03-20", "Eid al-Fitr"),
            ("2026-03-21", "Eid al-Fitr"),
            ("2026-03-22", "Eid al-Fitr"),
            ("2026-04-05", "Easter"),
            ("2026-04-12", "Easter"),
            ("2026-05-27", "Eid al-Adha"),
            ("2026-05-30", "Eid al-Adha"),
            ("2026-06-16", "Islamic New Year"),
            ("2026-08-25", "Prophet's Birthday"),
        ];
        for (day, english) in cases {
            let found = calendar.holiday_on(date(day)).map(|h| h.name_en.as_str());
            assert!(
                found.is_some_and(|name| name.contains(english)),
                "{day}: expected {english}, found {found:?}"
            );
        }
        // Eid al-Fitr 2026 begins on a Friday: Sunday 22 March is lost too.
        assert!(!calendar.is_working_day(date("2026-03-22")));
        assert!(calendar.is_working_day(date("2026-03-23")));
    }

    /// Easter Sunday in the Gregorian calendar (the anonymous Gregorian
    /// algorithm) and in the Julian calendar converted to Gregorian (Meeus),
    /// used to check the file's Easter dates.
    fn western_easter(year: i32) -> NaiveDate {
        let a = year % 19;
        let b = year / 100;
        let c = year % 100;
        let d = b / 4;
        let e = b % 4;
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let i = c / 4;
        let k = c % 4;
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = (h + l - 7 * m + 114) / 31;
        let day = (h + l - 7 * m + 114) % 31 + 1;
        NaiveDate::from_ymd_opt(year, month as u32, day as u32)
            .unwrap_or_else(|| panic!("Easter {year}"))
    }

    fn orthodox_easter(year: i32) -> NaiveDate {
        let a = year % 4;
        let b = year % 7;
        let c = year % 19;
        let d = (19 * c + 15) % 30;
        let e = (2 * a + 4 * b - d + 34) % 7;
        let month = (d + e + 114) / 31;
        let day = (d + e + 114) % 31 + 1;
        let julian = NaiveDate::from_ymd_opt(year, month as u32, day as u32)
            .unwrap_or_else(|| panic!("Orthodox Easter {year}"));
        // Between 1900 and 2099 the Julian calendar is 13 days behind.
        julian + chrono::Duration::days(13)
    }

    #[test]
    fn the_shipped_easter_dates_match_the_computus() {
        let calendar = shipped_calendar();
        for year in [2025, 2026, 2027] {
            for easter in [western_easter(year), orthodox_easter(year)] {
                let found = calendar.holiday_on(easter).map(|h| h.name_en.as_str());
                assert!(
                    found.is_some_and(|name| name.contains("Easter")),
                    "{easter}: expected Easter, found {found:?}"
                );
            }
        }
        assert_eq!(western_easter(2026), date("2026-04-05"));
        assert_eq!(orthodox_easter(2026), date("2026-04-12"));
    }

    fn holiday_sets() -> impl Strategy<Value = Vec<Holiday>> {
        // Days from 1 January 2024 onwards, so holidays fall near the dates tested.
        proptest::collection::vec(0u64..1500, 0..80).prop_map(|offsets| {
            offsets
                .into_iter()
                .filter_map(|offset| date("2024-01-01").checked_add_days(Days::new(offset)))
                .map(|day| Holiday {
                    date: day,
                    name_ar: "عطلة".to_string(),
                    name_en: "Holiday".to_string(),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn counting_undoes_adding(
            holidays in holiday_sets(),
            start_offset in 0u64..1000,
            n in 0u32..400,
        ) {
            let calendar = WorkingCalendar::new(holidays);
            let start = date("2024-01-01") + Days::new(start_offset);
            let end = calendar.add_working_days(start, n);
            prop_assert_eq!(calendar.working_days_between(start, end), i64::from(n));
            if n > 0 {
                // The result is the first such date, so it is a working day.
                prop_assert!(calendar.is_working_day(end));
            }
        }

        #[test]
        fn counting_agrees_with_checking_each_day(
            holidays in holiday_sets(),
            start_offset in 0u64..1000,
            length in 0i64..120,
        ) {
            let calendar = WorkingCalendar::new(holidays);
            let start = date("2024-01-01") + Days::new(start_offset);
            let end = start + chrono::Duration::days(length);
            let slow = (1..=length)
                .map(|offset| start + chrono::Duration::days(offset))
                .filter(|day| calendar.is_working_day(*day))
                .count();
            prop_assert_eq!(calendar.working_days_between(start, end), i64::try_from(slow).unwrap_or(-1));
        }
    }
}
