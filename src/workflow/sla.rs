//! The SLA clock of a case: a due date per state, counted in working days,
//! that stops while the case waits on the applicant.

use chrono::NaiveDate;

use crate::domain::calendar::WorkingCalendar;
use crate::workflow::definition::Workflow;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clock {
    /// When the current state's SLA runs out, if it has one.
    pub due_on: Option<NaiveDate>,
    /// Set while the case is in a state that pauses the clock.
    pub paused_since: Option<NaiveDate>,
    /// Working days spent paused so far, over the case's whole life.
    pub paused_working_days: i32,
}

/// What a decision needs to know of time besides the moment: the working
/// calendar and the case's clock as it stands.
#[derive(Clone, Copy, Debug)]
pub struct Timing<'a> {
    pub calendar: &'a WorkingCalendar,
    pub clock: &'a Clock,
}

impl Clock {
    /// The clock of a case that enters `state` on `today`.
    pub fn enter(
        &self,
        workflow: &Workflow,
        calendar: &WorkingCalendar,
        state: &str,
        today: NaiveDate,
    ) -> Clock {
        let mut clock = self.clone();
        if let Some(since) = clock.paused_since.take() {
            let paused = calendar.working_days_between(since, today);
            clock.paused_working_days = clock
                .paused_working_days
                .saturating_add(paused.clamp(0, i32::MAX as i64) as i32);
        }
        let definition = workflow.state(state);
        if definition.is_some_and(|s| s.pauses_clock) {
            clock.paused_since = Some(today);
            clock.due_on = None;
        } else {
            clock.due_on = definition
                .and_then(|s| s.sla_days)
                .map(|days| calendar.add_working_days(today, days));
        }
        clock
    }

    /// Working days a case has been open on `today`, not counting pauses.
    pub fn working_days_open(
        &self,
        calendar: &WorkingCalendar,
        submitted_on: NaiveDate,
        today: NaiveDate,
    ) -> i64 {
        let paused_now = self
            .paused_since
            .map_or(0, |since| calendar.working_days_between(since, today));
        calendar.working_days_between(submitted_on, today)
            - self.paused_working_days as i64
            - paused_now
    }
}
