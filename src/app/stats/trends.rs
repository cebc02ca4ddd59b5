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
//! now): [`note_day`], called by the scheduler, notes them once an hour
//! for the day (`headline_days`), per workflow, district and office, and a
//! later day reads them back; for a day before the server noted anything
//! the page says "not kept".

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use chrono::{DateTime, Utc};

use super::position::{Headline, breaches, headline};
use super::scope::{Applied, Scope, StatsQuery, scope};
use crate::app::{AppError, Engine};
use crate::domain::roles::Role;
use crate::store::headline_days::{self, DayFigures};
use crate::store::tallies::{self, Read, Sum, from_day_number, kind};
use crate::workflow::Actor;
use crate::workflow::machine::local_date;

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
    /// Cards still due then, when the server noted it that day.
    pub cards_due: Option<i64>,
    /// Applications past their due date then, when the server noted it.
    pub sla_breaches: Option<i64>,
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
        cards_due: None,
        sla_breaches: None,
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
    let mut week_ago = past(head, since_of(scope, &sums, 0), day(windows[0]));
    let mut four_weeks_ago = past(head, since_of(scope, &sums, 1), day(windows[1]));
    for p in [&mut week_ago, &mut four_weeks_ago] {
        let noted = headline_days::read(
            &engine.store,
            p.as_of,
            &scope.applied.workflow,
            scope.applied.district.as_deref().unwrap_or(""),
            scope.applied.office.as_deref().unwrap_or(""),
        )
        .await?;
        if let Some((cards_due, sla_breaches)) = noted {
            p.cards_due = Some(cards_due);
            p.sla_breaches = Some(sla_breaches);
        }
    }
    Ok(Trends {
        filter: scope.applied.clone(),
        week_ago,
        four_weeks_ago,
    })
}

/// Notes today's cards still due and applications past their due date,
/// per workflow and for every district and office and each one, when they
/// were not noted in the last hour: the day's row ends up holding the
/// day's last hour. Returns whether it noted them.
pub async fn note_day(engine: &Engine, now: DateTime<Utc>) -> Result<bool, AppError> {
    let today = local_date(now);
    if headline_days::noted_at(&engine.store, today)
        .await?
        .is_some_and(|at| now - at < Duration::hours(1))
    {
        return Ok(false);
    }
    // Counts only, read as leadership reads them.
    let reader = Actor {
        id: Actor::system().id,
        roles: vec![Role::Leadership],
        district: None,
    };
    let mut workflows: Vec<String> = engine
        .workflows
        .all()
        .iter()
        .map(|w| w.name.clone())
        .collect();
    workflows.sort();
    workflows.dedup();
    let mut places: Vec<(String, String)> = vec![(String::new(), String::new())];
    for d in engine.places.districts() {
        places.push((d.code.clone(), String::new()));
        for o in &d.offices {
            places.push((d.code.clone(), o.code.clone()));
        }
    }
    let mut rows = Vec::new();
    for workflow in &workflows {
        for (district, office) in &places {
            let query = StatsQuery {
                workflow: Some(workflow.clone()),
                district: (!district.is_empty()).then(|| district.clone()),
                office: (!office.is_empty()).then(|| office.clone()),
                ..StatsQuery::default()
            };
            let of = scope(engine, &reader, &query, today)?;
            rows.push(DayFigures {
                day: today,
                workflow: workflow.clone(),
                district: district.clone(),
                office: office.clone(),
                cards_due: headline(engine, &of).await?.cards_due.total,
                sla_breaches: breaches(engine, &of).await?.total_breached,
            });
        }
    }
    let tx = engine.store.begin().await?;
    headline_days::note(&tx, &rows, now).await?;
    tx.commit().await?;
    Ok(true)
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
