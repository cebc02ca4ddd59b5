//! Flows over time: every week's intake, completions and backlog, the
//! period's throughput, and the forecast of when today's backlog clears.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::position::{Headline, headline};
use super::scope::{Applied, Scope};
use crate::app::{AppError, Engine};
use crate::store::tallies::{self, Filter, Read, Sum, day_number, from_day_number, kind};
use crate::workflow::definition::Labels;

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

// ------------------------------------------------------------ forecast --

/// When one backlog clears at the recent rate.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Clearance {
    /// What is waiting today.
    pub backlog: i64,
    /// Per week, over the last 4 full weeks.
    pub rate_4_weeks: f64,
    /// Per week, over the last 12 full weeks.
    pub rate_12_weeks: f64,
    /// Weeks to clear at the faster and at the slower of the two rates;
    /// none when that rate is zero.
    pub weeks_low: Option<f64>,
    pub weeks_high: Option<f64>,
    /// The day the backlog clears at the faster and at the slower rate.
    pub clears_earliest: Option<NaiveDate>,
    pub clears_latest: Option<NaiveDate>,
}

#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Forecast {
    pub filter: Applied,
    /// How the forecast is made, in Arabic and English.
    pub method: Labels,
    /// Open applications, cleared by closing them (completed, rejected or
    /// withdrawn).
    pub families: Clearance,
    /// Persons in open applications.
    pub persons: Clearance,
    /// Cards due that can be issued now (members under the card age wait
    /// for their birthday and are left out), cleared by handing cards over.
    pub cards: Clearance,
}

fn clearance(backlog: i64, weekly: &[i64], today: NaiveDate) -> Clearance {
    // `weekly` holds the last 12 full weeks, oldest first.
    let rate = |n: usize| {
        let tail = &weekly[weekly.len().saturating_sub(n)..];
        tail.iter().sum::<i64>() as f64 / n as f64
    };
    let (r4, r12) = (rate(4), rate(12));
    let weeks = |r: f64| {
        if backlog <= 0 {
            Some(0.0)
        } else if r > 0.0 {
            Some(((backlog as f64 / r) * 10.0).round() / 10.0)
        } else {
            None
        }
    };
    let (fast, slow) = if r4 >= r12 { (r4, r12) } else { (r12, r4) };
    let (low, high) = (weeks(fast), weeks(slow));
    let day = |w: Option<f64>| {
        w.and_then(|w| today.checked_add_signed(Duration::days((w * 7.0).ceil().min(1e7) as i64)))
    };
    Clearance {
        backlog,
        rate_4_weeks: (r4 * 10.0).round() / 10.0,
        rate_12_weeks: (r12 * 10.0).round() / 10.0,
        weeks_low: low,
        weeks_high: high,
        clears_earliest: day(low),
        clears_latest: day(high),
    }
}

pub async fn forecast(engine: &Engine, scope: &Scope) -> Result<Forecast, AppError> {
    // The backlog is today's, whatever the period.
    let today_only = Scope {
        applied: Applied {
            from: None,
            to: None,
            ..scope.applied.clone()
        },
        filter: Filter {
            from_day: None,
            to_day: None,
            ..scope.filter.clone()
        },
        workflow: scope.workflow.clone(),
        today: scope.today,
    };
    let head = headline(engine, &today_only).await?;
    Ok(forecast_of(scope, &head, &weekly(engine, scope).await?))
}

/// The forecast from today's headline (no period) and the weeks.
pub fn forecast_of(scope: &Scope, head: &Headline, weeks: &Weeks) -> Forecast {
    let this_week = week_of(scope.today);
    // The last 12 full weeks, oldest first (weeks with nothing count as 0).
    let last12 = |f: &dyn Fn(&Week) -> i64| -> Vec<i64> {
        (this_week - 12..this_week)
            .map(|w| weeks.get(&w).map_or(0, f))
            .collect()
    };
    let closed = last12(&|w| w.completed_families + w.closed_otherwise_families);
    let persons_closed = last12(&|w| w.completed_persons + w.closed_otherwise_persons);
    let cards = last12(&|w| w.cards_collected);
    let open_persons = weeks.get(&this_week).map_or(0, |w| w.backlog_persons);
    let today = from_day_number(scope.today);
    let due_now = head.cards_due.total - head.cards_due.under_age;
    Forecast {
        filter: scope.applied.clone(),
        method: Labels {
            ar: "ما ينتظر اليوم مقسوماً على المعدل الأسبوعي للإنجاز في آخر 4 أسابيع كاملة وفي آخر 12 أسبوعاً كاملة؛ المدى بين المعدلين. الطلبات تنتهي بالإنجاز أو الرفض أو السحب، والبطاقات بالتسليم، وبطاقات من لم يبلغوا السن غير محسوبة.".into(),
            en: "What waits today divided by the weekly completion rate over the last 4 and the last 12 full weeks; the range lies between the two rates. Applications clear by completion, rejection or withdrawal, cards by hand-over; cards of members under the card age are left out.".into(),
        },
        families: clearance(head.applications_open, &closed, today),
        persons: clearance(open_persons, &persons_closed, today),
        cards: clearance(due_now, &cards, today),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backlog_clears_between_the_two_rates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        // 8 slow weeks then 4 fast ones.
        let weekly = [10, 10, 10, 10, 10, 10, 10, 10, 40, 40, 40, 40];
        let c = clearance(400, &weekly, today);
        assert_eq!(c.rate_4_weeks, 40.0);
        assert_eq!(c.rate_12_weeks, 20.0);
        assert_eq!(c.weeks_low, Some(10.0));
        assert_eq!(c.weeks_high, Some(20.0));
        assert_eq!(c.clears_earliest, Some(today + Duration::days(70)));
        assert_eq!(c.clears_latest, Some(today + Duration::days(140)));
    }

    #[test]
    fn no_recent_completions_means_no_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        let c = clearance(5, &[0; 12], today);
        assert_eq!((c.weeks_low, c.clears_latest), (None, None));
        let empty = clearance(0, &[0; 12], today);
        assert_eq!(empty.weeks_low, Some(0.0));
    }

    #[test]
    fn weeks_start_on_sunday() {
        let sunday = NaiveDate::from_ymd_opt(2026, 11, 29).expect("date");
        let saturday = NaiveDate::from_ymd_opt(2026, 12, 5).expect("date");
        assert_eq!(week_of(day_number(sunday)), week_of(day_number(saturday)));
        assert_eq!(week_start(week_of(day_number(saturday))), sunday);
    }
}
