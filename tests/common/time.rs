//! Moments and dates written the way the tests think of them.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

/// A moment given in UTC.
pub fn utc(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .expect("a valid time")
}

/// A moment given on the wall clocks of Damascus, as UTC.
pub fn damascus(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    casework::app::reminders::damascus()
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .single()
        .expect("a valid time")
        .with_timezone(&Utc)
}

/// A moment `day` days after 1 March 2026, 09:00 UTC, the day most
/// engine tests open their cases on.
pub fn at(day: i64) -> DateTime<Utc> {
    utc(2026, 3, 1, 9, 0) + chrono::Duration::days(day)
}

/// A calendar date.
pub fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

/// No holidays, and a clock that has not started: what a decision in a
/// test of the pure engine takes as its timing.
pub fn no_timing() -> casework::workflow::Timing<'static> {
    static CALENDAR: std::sync::LazyLock<casework::domain::calendar::WorkingCalendar> =
        std::sync::LazyLock::new(Default::default);
    static CLOCK: casework::workflow::sla::Clock = casework::workflow::sla::Clock {
        due_on: None,
        paused_since: None,
        paused_working_days: 0,
    };
    casework::workflow::Timing {
        calendar: &CALENDAR,
        clock: &CLOCK,
    }
}
