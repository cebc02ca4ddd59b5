//! Office hours: the demo's officers act from 08:00 to 15:00, Syria's
//! time, on working days (Sunday to Thursday, public holidays excepted).
//! A moment of office hours is a working day and the minutes since the
//! office opened that day; time moves on in office minutes, so that a
//! gap which would end at night or on a Friday ends the next working
//! morning instead, with the rest of the gap after it.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::calendar::{WorkingCalendar, local_date, syria_time};

/// When offices open, in hours of Syria's day.
pub const OPENS_AT_HOUR: u32 = 8;
/// When offices close, in hours of Syria's day.
pub const CLOSES_AT_HOUR: u32 = 15;
/// The minutes an office is open on a working day.
pub const DAY_MINUTES: i64 = (CLOSES_AT_HOUR - OPENS_AT_HOUR) as i64 * 60;

/// A moment of office hours: a working day and the minutes since its
/// office opened (`0..DAY_MINUTES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct OfficeTime {
    date: NaiveDate,
    minute: i64,
}

impl OfficeTime {
    /// `minute` minutes after opening on `date`, or on the first working
    /// day after it when `date` is not one.
    pub(super) fn on(calendar: &WorkingCalendar, date: NaiveDate, minute: i64) -> OfficeTime {
        OfficeTime {
            date: working_day_from(calendar, date),
            minute: minute.clamp(0, DAY_MINUTES - 1),
        }
    }

    /// The last moment of office hours at or before `t`: `t` itself when
    /// offices are open then, else the minute before the close of the
    /// last working day before it.
    pub(super) fn at_or_before(calendar: &WorkingCalendar, t: DateTime<Utc>) -> OfficeTime {
        let date = local_date(t);
        let minute = (t - opening(date)).num_minutes();
        if calendar.is_working_day(date) && minute >= 0 {
            return OfficeTime {
                date,
                minute: minute.min(DAY_MINUTES - 1),
            };
        }
        let mut day = date;
        loop {
            day = day.pred_opt().unwrap_or(NaiveDate::MIN);
            if day == NaiveDate::MIN || calendar.is_working_day(day) {
                return OfficeTime {
                    date: day,
                    minute: DAY_MINUTES - 1,
                };
            }
        }
    }

    /// The moment `minutes` office minutes later.
    pub(super) fn later(self, calendar: &WorkingCalendar, minutes: i64) -> OfficeTime {
        let total = self.minute + minutes.max(0);
        let days = u32::try_from(total / DAY_MINUTES).unwrap_or(u32::MAX);
        OfficeTime {
            date: calendar.add_working_days(self.date, days),
            minute: total % DAY_MINUTES,
        }
    }

    /// The office minutes from `self` to `later` (0 when it is not later).
    pub(super) fn minutes_until(self, calendar: &WorkingCalendar, later: OfficeTime) -> i64 {
        (calendar.working_days_between(self.date, later.date) * DAY_MINUTES + later.minute
            - self.minute)
            .max(0)
    }

    pub(super) fn date(self) -> NaiveDate {
        self.date
    }

    /// The moment as a time.
    pub(super) fn utc(self) -> DateTime<Utc> {
        opening(self.date) + Duration::minutes(self.minute)
    }
}

/// `date` when it is a working day, else the first working day after it.
pub(super) fn working_day_from(calendar: &WorkingCalendar, date: NaiveDate) -> NaiveDate {
    if calendar.is_working_day(date) {
        date
    } else {
        calendar.add_working_days(date, 1)
    }
}

/// `date` when it is a working day, else the last working day before it.
pub(super) fn working_day_until(calendar: &WorkingCalendar, date: NaiveDate) -> NaiveDate {
    let mut day = date;
    while !calendar.is_working_day(day) {
        match day.pred_opt() {
            Some(before) => day = before,
            None => return date,
        }
    }
    day
}

/// When offices open on `date`.
fn opening(date: NaiveDate) -> DateTime<Utc> {
    let local = date
        .and_hms_opt(OPENS_AT_HOUR, 0, 0)
        .unwrap_or_default()
        .and_utc();
    local - Duration::seconds(i64::from(syria_time().local_minus_utc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_office_hours(calendar: &WorkingCalendar, t: DateTime<Utc>) -> bool {
        let date = local_date(t);
        let since = t - opening(date);
        calendar.is_working_day(date)
            && since >= Duration::zero()
            && since < Duration::minutes(DAY_MINUTES)
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("a time")
            .with_timezone(&Utc)
    }

    #[test]
    fn a_moment_outside_office_hours_goes_back_to_the_last_one_open() {
        let calendar = WorkingCalendar::default();
        // Tuesday 8 December 2026, 03:21 in Syria: Monday, 14:59.
        let t = OfficeTime::at_or_before(&calendar, at("2026-12-08T00:21:00Z"));
        assert_eq!(t.utc(), at("2026-12-07T11:59:00Z"));
        // Saturday noon: Thursday, 14:59.
        let t = OfficeTime::at_or_before(&calendar, at("2026-12-12T09:00:00Z"));
        assert_eq!(t.utc(), at("2026-12-10T11:59:00Z"));
        // Wednesday 10:00 in Syria: itself.
        let t = OfficeTime::at_or_before(&calendar, at("2026-12-09T07:00:00Z"));
        assert_eq!(t.utc(), at("2026-12-09T07:00:00Z"));
        assert!(in_office_hours(&calendar, t.utc()));
        assert!(!in_office_hours(&calendar, at("2026-12-09T12:00:00Z")));
    }

    #[test]
    fn office_minutes_run_over_into_the_next_working_morning() {
        let calendar = WorkingCalendar::default();
        // Thursday 10 December 2026, 14:00 in Syria, and two hours more:
        // Sunday 09:00.
        let thursday = NaiveDate::from_ymd_opt(2026, 12, 10).expect("a date");
        let t = OfficeTime::on(&calendar, thursday, 6 * 60).later(&calendar, 120);
        assert_eq!(t.utc(), at("2026-12-13T06:00:00Z"));
        assert!(in_office_hours(&calendar, t.utc()));
        let start = OfficeTime::on(&calendar, thursday, 6 * 60);
        assert_eq!(start.minutes_until(&calendar, t), 120);
        // A Friday is moved to the Sunday.
        let friday = thursday.succ_opt().expect("a date");
        assert_eq!(
            OfficeTime::on(&calendar, friday, 30).utc(),
            at("2026-12-13T05:30:00Z")
        );
    }
}
