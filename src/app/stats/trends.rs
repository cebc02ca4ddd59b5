//! The headline as it stood a week and four weeks ago, computed back from
//! today's headline and what flowed since: the tallies keep the day each
//! application was received, each member registered and each card handed
//! over, and the day each case closed (a terminal state is never left), so
//! subtracting what happened after a day gives that day's figure exactly.
//! One `GROUP BY` over the last 28 days of tallies, whatever the number of
//! cases. An application counts from the day it was received as recorded
//! (`submitted_on`), so one received on paper before that past day and
//! entered after it counts in the past figure: the figures are as the
//! record now knows those days, which is what a trend should compare.
//!
//! Cards still due and SLA breaches cannot be read back this way (a
//! member's card stage and a case's due date are kept only as they are
//! now), so they have no past figure: the page says "not kept".

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::position::Headline;
use super::scope::{Applied, Scope};
use crate::app::{AppError, Engine};
use crate::store::tallies::{self, Read, Sum, from_day_number, kind};

/// The headline figures on a past day (at its end).
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Past {
    /// The day the figures stood on.
    pub as_of: NaiveDate,
    pub applications_received: i64,
    pub persons_covered: i64,
    pub persons_registered: i64,
    pub cards_collected: i64,
    pub applications_completed: i64,
    pub applications_open: i64,
}

/// The headline a week and four weeks ago.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Trends {
    pub filter: Applied,
    pub week_ago: Past,
    pub four_weeks_ago: Past,
}

/// What flowed after a past day, up to today.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Since {
    received_families: i64,
    received_persons: i64,
    registered: i64,
    collected: i64,
    completed: i64,
    closed: i64,
}

/// The headline `days` ago from today's (`head`, read without a period)
/// and what flowed since.
fn past(head: &Headline, since: Since, as_of: NaiveDate) -> Past {
    Past {
        as_of,
        applications_received: head.applications_received - since.received_families,
        persons_covered: head.persons_covered - since.received_persons,
        persons_registered: head.persons_registered - since.registered,
        cards_collected: head.cards_collected - since.collected,
        applications_completed: head.applications_completed - since.completed,
        applications_open: head.applications_open - since.received_families + since.closed,
    }
}

/// The flows after `today - days` out of the summed rows: `extra` holds,
/// per window, the families and the persons of rows after its first day.
fn since_of(scope: &Scope, sums: &[Sum], window: usize) -> Since {
    let mut s = Since::default();
    for row in sums {
        let (families, persons) = (row.extra[2 * window], row.extra[2 * window + 1]);
        match row.kind.as_str() {
            k if k == kind::RECEIVED => {
                s.received_families += families;
                s.received_persons += persons;
            }
            k if k == kind::REGISTERED => s.registered += persons,
            k if k == kind::MEMBER_ENTERED => s.collected += persons,
            k if k == kind::ENTERED => {
                s.closed += families;
                if scope.is_completed(&row.name) {
                    s.completed += families;
                }
            }
            _ => {}
        }
    }
    s
}

/// The headline a week and four weeks ago, from today's `head` (read
/// without a period).
pub async fn trends(engine: &Engine, scope: &Scope, head: &Headline) -> Result<Trends, AppError> {
    let today = scope.today;
    let windows = [7, 28];
    let mut extra = Vec::new();
    for days in windows {
        // After the end of day `today - days`.
        let first = today - days + 1;
        extra.push(format!("CASE WHEN day >= {first} THEN families ELSE 0 END"));
        extra.push(format!("CASE WHEN day >= {first} THEN persons ELSE 0 END"));
    }
    let mut read = scope.read();
    read.filter.from_day = Some(today - 27);
    read.filter.to_day = None;
    let sums = tallies::sums(
        &engine.store,
        &Read {
            kinds: scope.kinds(vec![
                (kind::RECEIVED, None),
                (kind::REGISTERED, None),
                (kind::MEMBER_ENTERED, Some(scope.collected_states())),
                (kind::ENTERED, Some(scope.terminal_states())),
            ]),
            group_name: true,
            by_day: true,
            extra,
            ..read
        },
    )
    .await?;
    let day = |days: i32| from_day_number(today) - Duration::days(i64::from(days));
    Ok(Trends {
        filter: scope.applied.clone(),
        week_ago: past(head, since_of(scope, &sums, 0), day(windows[0])),
        four_weeks_ago: past(head, since_of(scope, &sums, 1), day(windows[1])),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_past_is_today_less_what_flowed_since() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
        let head = Headline {
            filter: Applied {
                workflow: "w".into(),
                district: None,
                office: None,
                from: None,
                to: None,
                as_of: day,
            },
            applications_received: 100,
            persons_covered: 500,
            persons_registered: 200,
            cards_collected: 150,
            applications_completed: 30,
            applications_open: 60,
            cards_due: Default::default(),
        };
        let since = Since {
            received_families: 10,
            received_persons: 50,
            registered: 20,
            collected: 15,
            completed: 3,
            closed: 4,
        };
        let p = past(&head, since, day);
        assert_eq!(
            (
                p.applications_received,
                p.persons_covered,
                p.persons_registered,
                p.cards_collected,
                p.applications_completed,
                p.applications_open
            ),
            (90, 450, 180, 135, 27, 54)
        );
        // Open then = received then − closed then = (100 − 10) − (40 − 4).
        assert_eq!(p.applications_open, 90 - (100 - 60 - 4));
    }
}
