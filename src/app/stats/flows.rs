//! Flows over time: every week's intake, completions and backlog, and the
//! period's throughput.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::scope::{Applied, Scope};
use crate::app::{AppError, Engine};
use crate::store::tallies::{self, Read, Sum, day_number, from_day_number, kind};

// ---------------------------------------------------------- throughput --

/// One week (Sunday to Saturday).
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Week {
    pub week_start: NaiveDate,
    pub received_families: i64,
    pub received_persons: i64,
    pub completed_families: i64,
    pub completed_persons: i64,
    /// Rejected or withdrawn.
    pub closed_otherwise_families: i64,
    pub closed_otherwise_persons: i64,
    pub cards_collected: i64,
    /// Open families at the end of the week.
    pub backlog_families: i64,
    pub backlog_persons: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Throughput {
    pub filter: Applied,
    pub weeks: Vec<Week>,
}

impl Week {
    fn empty(week: i32) -> Week {
        Week {
            week_start: week_start(week),
            received_families: 0,
            received_persons: 0,
            completed_families: 0,
            completed_persons: 0,
            closed_otherwise_families: 0,
            closed_otherwise_persons: 0,
            cards_collected: 0,
            backlog_families: 0,
            backlog_persons: 0,
        }
    }
}

fn week_of(day: i32) -> i32 {
    (day - 3).div_euclid(7)
}

fn week_start(week: i32) -> NaiveDate {
    from_day_number(week * 7 + 3)
}

/// Every week's flows, by week number, from the first on record to this
/// week (whatever the period: the backlog line needs all before it).
pub type Weeks = BTreeMap<i32, Week>;

/// Reads [`Weeks`] (one `GROUP BY` over the tallies).
pub async fn weekly(engine: &Engine, scope: &Scope) -> Result<Weeks, AppError> {
    let sums: Vec<Sum> = tallies::sums(
        &engine.store,
        &Read {
            kinds: scope.kinds(vec![
                (kind::RECEIVED, None),
                (kind::ENTERED, Some(scope.terminal_states())),
                (kind::MEMBER_ENTERED, Some(scope.collected_states())),
            ]),
            group_name: true,
            group_week: true,
            ..scope.read()
        },
    )
    .await?;
    let mut weeks: BTreeMap<i32, Week> = BTreeMap::new();
    for s in &sums {
        let w = weeks.entry(s.day).or_insert_with(|| Week::empty(s.day));
        match s.kind.as_str() {
            k if k == kind::RECEIVED => {
                w.received_families += s.families;
                w.received_persons += s.persons;
            }
            k if k == kind::ENTERED && scope.is_completed(&s.name) => {
                w.completed_families += s.families;
                w.completed_persons += s.persons;
            }
            k if k == kind::ENTERED => {
                w.closed_otherwise_families += s.families;
                w.closed_otherwise_persons += s.persons;
            }
            _ => w.cards_collected += s.persons,
        }
    }
    let (mut families, mut persons) = (0, 0);
    let first = weeks.keys().next().copied();
    let last = week_of(scope.today);
    if let Some(first) = first {
        for week in first..=last.max(first) {
            let w = weeks.entry(week).or_insert_with(|| Week::empty(week));
            families += w.received_families - w.completed_families - w.closed_otherwise_families;
            persons += w.received_persons - w.completed_persons - w.closed_otherwise_persons;
            w.backlog_families = families;
            w.backlog_persons = persons;
        }
    }
    Ok(weeks)
}

pub async fn throughput(engine: &Engine, scope: &Scope) -> Result<Throughput, AppError> {
    Ok(throughput_of(scope, &weekly(engine, scope).await?))
}

/// The period's weeks (the last 26 unless a period is given).
pub fn throughput_of(scope: &Scope, weeks: &Weeks) -> Throughput {
    let to = scope
        .applied
        .to
        .map_or(week_of(scope.today), |d| week_of(day_number(d)));
    let from = scope
        .applied
        .from
        .map_or(to - 25, |d| week_of(day_number(d)));
    Throughput {
        filter: scope.applied.clone(),
        // A period after today (`from` in the future, no `to`) has no weeks yet.
        weeks: if from > to {
            Vec::new()
        } else {
            weeks.range(from..=to).map(|(_, w)| w.clone()).collect()
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_sunday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        let saturday = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        assert_eq!(week_of(day_number(sunday)), week_of(day_number(saturday)));
        assert_eq!(week_start(week_of(day_number(saturday))), sunday);
    }
}
