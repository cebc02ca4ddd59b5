//! The targets leadership steers by, set by admins, and where each stands:
//! met, on track or behind, with the figure behind the verdict.
//!
//! Two kinds:
//! - `closed_by`: every application received before `received_before`
//!   closed (completed, rejected or withdrawn) by `deadline`. The figure is
//!   how many of them are still open (the `waiting` tallies: cases by
//!   state and intake day). On track when, at the closing rate of the last
//!   four full weeks (the running week is left out), they would all be
//!   closed by the deadline.
//! - `within_time_limit`: `percent` of the open applications within their
//!   stage's time limit (not past their due date), by `deadline` when one
//!   is given. Met or behind: how the share stood in the past is not kept.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::scope::{Scope, StatsQuery, scope};
use crate::app::{AppError, Engine, refused};
use crate::domain::field_error::FieldError;
use crate::domain::roles::Role;
use crate::domain::words::statistics;
use crate::store::tallies::{self, Read, day_number, from_day_number, kind};
use crate::store::targets::{self as store, TargetRow};
use crate::workflow::Actor;

/// What a target asks for.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    /// Every application received before a day closed by a deadline.
    ClosedBy,
    /// A share of the open applications within their stage's time limit.
    WithinTimeLimit,
}

impl TargetKind {
    fn as_str(self) -> &'static str {
        match self {
            TargetKind::ClosedBy => "closed_by",
            TargetKind::WithinTimeLimit => "within_time_limit",
        }
    }

    fn parse(text: &str) -> Option<TargetKind> {
        match text {
            "closed_by" => Some(TargetKind::ClosedBy),
            "within_time_limit" => Some(TargetKind::WithinTimeLimit),
            _ => None,
        }
    }
}

/// A target as set.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Target {
    /// Its short name (`a-z`, digits, `-` and `_`).
    pub name: String,
    pub kind: TargetKind,
    /// The workflow whose applications it counts.
    pub workflow: String,
    /// `closed_by`: the applications received before this day.
    pub received_before: Option<NaiveDate>,
    /// The day it is to be met by (`closed_by` always has one).
    pub deadline: Option<NaiveDate>,
    /// `within_time_limit`: the share to reach, 1 to 100.
    pub percent: Option<i32>,
    /// The admin who set it, and when.
    pub set_by: String,
    pub set_at: DateTime<Utc>,
}

/// A target as an admin sends it.
#[derive(Clone, Debug, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TargetRequest {
    pub kind: TargetKind,
    /// The workflow whose applications it counts (the default workflow
    /// when absent).
    #[schema(max_length = 100)]
    pub workflow: Option<String>,
    /// Required for `closed_by`, not allowed for `within_time_limit`.
    pub received_before: Option<NaiveDate>,
    /// Required for `closed_by`, optional for `within_time_limit`.
    pub deadline: Option<NaiveDate>,
    /// Required for `within_time_limit` (1 to 100), not allowed for
    /// `closed_by`.
    #[schema(minimum = 1, maximum = 100)]
    pub percent: Option<i32>,
}

/// Where a target stands.
#[derive(Clone, Copy, Debug, Serialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    /// Not met yet, but at the recent rate it will be by its deadline.
    OnTrack,
    /// Not met, and not on course to be by its deadline (or past it).
    Behind,
}

/// A target with where it stands today.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Standing {
    pub target: Target,
    pub status: Status,
    /// `closed_by`: the applications received before the day that are
    /// still open; `within_time_limit`: the open applications past their
    /// due date.
    pub remaining: i64,
    /// `closed_by`: the applications received before the day;
    /// `within_time_limit`: the open applications.
    pub total: i64,
    /// `within_time_limit`: the share within the time limit now, in
    /// percent (100 when nothing is open).
    pub share: Option<f64>,
    /// `closed_by`: applications closed per week over the last four full
    /// weeks (all applications, the running week left out).
    pub weekly_rate: Option<f64>,
    /// `closed_by`: the day the remaining ones would all be closed at that
    /// rate; none when nothing is closing.
    pub projected: Option<NaiveDate>,
}

/// The targets with where they stand.
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq)]
pub struct Targets {
    /// The day they are read on (Damascus time).
    pub as_of: NaiveDate,
    /// Only this district's applications (a caller bound to a district).
    pub district: Option<String>,
    pub targets: Vec<Standing>,
}

fn may_set(actor: &Actor) -> Result<(), AppError> {
    if actor.roles.contains(&Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Refused(refused::role_not_allowed(
            "set_targets",
            &[Role::Admin],
        )))
    }
}

/// A target's name: 1 to 64 of `a-z`, digits, `-`, `_`, a letter or digit
/// first.
pub fn check_name(name: &str) -> Result<(), AppError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && name
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![FieldError::said(
            "name",
            statistics::BAD_TARGET_NAME,
        )]))
    }
}

/// The checks of a target as sent, every broken one named by its field.
fn check(request: &TargetRequest) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let year = |field: &str, day: Option<NaiveDate>, errors: &mut Vec<FieldError>| {
        if day.is_some_and(|d| !(2000..=2100).contains(&d.year())) {
            errors.push(FieldError::said(field, statistics::YEAR_OUT_OF_RANGE));
        }
    };
    year("received_before", request.received_before, &mut errors);
    year("deadline", request.deadline, &mut errors);
    match request.kind {
        TargetKind::ClosedBy => {
            if request.received_before.is_none() {
                errors.push(FieldError::said(
                    "received_before",
                    statistics::CLOSED_BY_NEEDS_RECEIVED_BEFORE,
                ));
            }
            if request.deadline.is_none() {
                errors.push(FieldError::said(
                    "deadline",
                    statistics::CLOSED_BY_NEEDS_DEADLINE,
                ));
            }
            if let (Some(before), Some(deadline)) = (request.received_before, request.deadline)
                && deadline < before
            {
                errors.push(FieldError::said(
                    "deadline",
                    statistics::DEADLINE_BEFORE_RECEIVED,
                ));
            }
            if request.percent.is_some() {
                errors.push(FieldError::said(
                    "percent",
                    statistics::NOT_TAKEN_BY_CLOSED_BY,
                ));
            }
        }
        TargetKind::WithinTimeLimit => {
            match request.percent {
                Some(p) if (1..=100).contains(&p) => {}
                Some(_) => errors.push(FieldError::said("percent", statistics::SHARE_OUT_OF_RANGE)),
                None => errors.push(FieldError::said(
                    "percent",
                    statistics::WITHIN_TIME_LIMIT_NEEDS_SHARE,
                )),
            }
            if request.received_before.is_some() {
                errors.push(FieldError::said(
                    "received_before",
                    statistics::NOT_TAKEN_BY_WITHIN_TIME_LIMIT,
                ));
            }
        }
    }
    errors
}

fn target_of(row: TargetRow) -> Result<Target, AppError> {
    let kind = TargetKind::parse(&row.kind)
        .ok_or_else(|| AppError::unexpected(format!("a target of kind '{}'", row.kind)))?;
    Ok(Target {
        name: row.name,
        kind,
        workflow: row.workflow,
        received_before: row.received_before,
        deadline: row.deadline,
        percent: row.percent,
        set_by: row.set_by,
        set_at: row.set_at,
    })
}

/// Sets the target `name` (admins); true when it is new.
pub async fn put_target(
    engine: &Engine,
    actor: &Actor,
    name: &str,
    request: TargetRequest,
    now: DateTime<Utc>,
) -> Result<(Target, bool), AppError> {
    may_set(actor)?;
    check_name(name)?;
    let errors = check(&request);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let workflow = crate::app::cases::workflow_to_open(engine, request.workflow.as_deref())?;
    let row = TargetRow {
        name: name.to_string(),
        kind: request.kind.as_str().to_string(),
        workflow: workflow.name.clone(),
        received_before: request.received_before,
        deadline: request.deadline,
        percent: request.percent,
        set_by: actor.id.clone(),
        set_at: now,
    };
    let tx = engine.store.begin().await?;
    let new = store::put(&tx, &row).await?;
    tx.commit().await?;
    Ok((target_of(row)?, new))
}

/// Removes the target `name` (admins).
pub async fn remove_target(engine: &Engine, actor: &Actor, name: &str) -> Result<(), AppError> {
    may_set(actor)?;
    check_name(name)?;
    let tx = engine.store.begin().await?;
    let removed = store::remove(&tx, name).await?;
    tx.commit().await?;
    if removed {
        Ok(())
    } else {
        Err(AppError::NotFound(
            crate::domain::words::problems::no_target(name),
        ))
    }
}

/// Every target with where it stands, in the caller's district: for
/// leadership and supervisors, and for admins, who set them (counts only).
pub async fn targets(
    engine: &Engine,
    actor: &Actor,
    query: &StatsQuery,
    today: NaiveDate,
) -> Result<Targets, AppError> {
    // Admins read where their targets stand as leadership reads figures.
    let reader = if actor.roles.contains(&Role::Admin) {
        Actor {
            roles: vec![Role::Leadership],
            ..actor.clone()
        }
    } else {
        actor.clone()
    };
    let any = scope(engine, &reader, query, today)?;
    let mut standings = Vec::new();
    for row in store::list(&engine.store).await? {
        let target = target_of(row)?;
        let of = scope(
            engine,
            &reader,
            &StatsQuery {
                workflow: Some(target.workflow.clone()),
                ..query.clone()
            },
            today,
        );
        // A target of a workflow no longer loaded is left out.
        let Ok(of) = of else { continue };
        standings.push(standing(engine, &of, target).await?);
    }
    Ok(Targets {
        as_of: today,
        district: any.applied.district,
        targets: standings,
    })
}

/// The targets of the scope's workflow with where they stand (the panel).
pub async fn targets_of(engine: &Engine, scope: &Scope) -> Result<Vec<Standing>, AppError> {
    let mut out = Vec::new();
    for row in store::list(&engine.store).await? {
        if row.workflow == scope.workflow.name {
            out.push(standing(engine, scope, target_of(row)?).await?);
        }
    }
    Ok(out)
}

async fn standing(engine: &Engine, scope: &Scope, target: Target) -> Result<Standing, AppError> {
    let today = scope.today;
    match target.kind {
        TargetKind::ClosedBy => {
            let before = target.received_before.map_or(today, day_number);
            let mut read = scope.read();
            read.filter.from_day = None;
            read.filter.to_day = Some(before - 1);
            let waiting = tallies::sums(
                &engine.store,
                &Read {
                    kinds: vec![(kind::WAITING, vec![])],
                    group_name: true,
                    by_day: true,
                    ..read
                },
            )
            .await?;
            let total: i64 = waiting.iter().map(|s| s.families).sum();
            let remaining: i64 = waiting
                .iter()
                .filter(|s| scope.is_open(&s.name))
                .map(|s| s.families)
                .sum();
            // Closed per week over the last four full weeks (Sunday to
            // Saturday), the running week left out.
            let this_week = today - (today - 3).rem_euclid(7);
            let mut read = scope.read();
            read.filter.from_day = Some(this_week - 28);
            read.filter.to_day = Some(this_week - 1);
            let closed = tallies::sums(
                &engine.store,
                &Read {
                    kinds: scope.kinds(vec![(kind::ENTERED, Some(scope.terminal_states()))]),
                    by_day: true,
                    ..read
                },
            )
            .await?;
            let rate = closed.iter().map(|s| s.families).sum::<i64>() as f64 / 4.0;
            let projected = project(remaining, rate, from_day_number(today));
            let deadline = target.deadline.unwrap_or_else(|| from_day_number(today));
            let status = judge(remaining, projected, deadline, from_day_number(today));
            Ok(Standing {
                target,
                status,
                remaining,
                total,
                share: None,
                weekly_rate: Some((rate * 10.0).round() / 10.0),
                projected,
            })
        }
        TargetKind::WithinTimeLimit => {
            let breached = tallies::sums(
                &engine.store,
                &Read {
                    kinds: vec![(kind::ENTERED, scope.open_states())],
                    due_before: Some(today),
                    ..scope.read()
                },
            )
            .await?;
            let open = tallies::sums(
                &engine.store,
                &Read {
                    kinds: vec![(kind::STATE, scope.open_states())],
                    ..scope.read()
                },
            )
            .await?;
            let remaining: i64 = breached.iter().map(|s| s.families).sum();
            let total: i64 = open.iter().map(|s| s.families).sum();
            let share = share_within(remaining, total);
            let goal = f64::from(target.percent.unwrap_or(100));
            Ok(Standing {
                status: if share + 1e-9 >= goal {
                    Status::Met
                } else {
                    Status::Behind
                },
                target,
                remaining,
                total,
                share: Some(share),
                weekly_rate: None,
                projected: None,
            })
        }
    }
}

/// The share of `total` open applications not among the `breached`, in
/// percent to one decimal (100 when nothing is open).
fn share_within(breached: i64, total: i64) -> f64 {
    if total <= 0 {
        100.0
    } else {
        (((total - breached) as f64 / total as f64) * 1000.0).round() / 10.0
    }
}

/// The day `remaining` applications are closed at `rate` a week.
fn project(remaining: i64, rate: f64, today: NaiveDate) -> Option<NaiveDate> {
    if remaining <= 0 {
        return Some(today);
    }
    if rate <= 0.0 {
        return None;
    }
    let days = (remaining as f64 / rate * 7.0).ceil().min(1e6) as i64;
    today.checked_add_signed(Duration::days(days))
}

fn judge(
    remaining: i64,
    projected: Option<NaiveDate>,
    deadline: NaiveDate,
    today: NaiveDate,
) -> Status {
    if remaining <= 0 {
        Status::Met
    } else if today > deadline {
        Status::Behind
    } else if projected.is_some_and(|p| p <= deadline) {
        Status::OnTrack
    } else {
        Status::Behind
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_target_is_met_on_track_or_behind() {
        let today = day(2026, 12, 4);
        let deadline = day(2027, 6, 30);
        // Nothing left: met, whatever the rate.
        assert_eq!(judge(0, None, deadline, today), Status::Met);
        // 100 left at 10 a week: 70 days, well before the deadline.
        let p = project(100, 10.0, today);
        assert_eq!(p, Some(today + Duration::days(70)));
        assert_eq!(judge(100, p, deadline, today), Status::OnTrack);
        // Nothing closing: behind.
        assert_eq!(
            judge(100, project(100, 0.0, today), deadline, today),
            Status::Behind
        );
        // 10,000 left at 10 a week: years late.
        assert_eq!(
            judge(10_000, project(10_000, 10.0, today), deadline, today),
            Status::Behind
        );
        // Past the deadline with any left: behind.
        assert_eq!(
            judge(1, Some(today), day(2026, 12, 1), today),
            Status::Behind
        );
    }

    #[test]
    fn the_share_within_the_time_limit() {
        assert_eq!(share_within(0, 0), 100.0);
        assert_eq!(share_within(1, 3), 66.7);
        assert_eq!(share_within(10, 100), 90.0);
    }

    #[test]
    fn a_target_as_sent_is_checked_field_by_field() {
        let fields =
            |r: TargetRequest| -> Vec<String> { check(&r).into_iter().map(|e| e.field).collect() };
        let closed = TargetRequest {
            kind: TargetKind::ClosedBy,
            workflow: None,
            received_before: Some(day(2026, 1, 1)),
            deadline: Some(day(2027, 6, 30)),
            percent: None,
        };
        assert!(fields(closed.clone()).is_empty());
        assert_eq!(
            fields(TargetRequest {
                deadline: Some(day(2025, 1, 1)),
                percent: Some(5),
                ..closed.clone()
            }),
            ["deadline", "percent"]
        );
        assert_eq!(
            fields(TargetRequest {
                received_before: None,
                deadline: None,
                ..closed.clone()
            }),
            ["received_before", "deadline"]
        );
        let within = TargetRequest {
            kind: TargetKind::WithinTimeLimit,
            workflow: None,
            received_before: None,
            deadline: None,
            percent: Some(90),
        };
        assert!(fields(within.clone()).is_empty());
        assert_eq!(
            fields(TargetRequest {
                percent: Some(0),
                received_before: Some(day(2026, 1, 1)),
                ..within
            }),
            ["percent", "received_before"]
        );
        assert!(check_name("backlog-2026").is_ok());
        for bad in ["", "-x", "Backlog", "a b", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
