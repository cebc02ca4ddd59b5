//! The portal's use for leadership, supervisors, auditors and
//! administrators: persons asked about per agency and day, answered or
//! refused, the busiest scopes and the refusals, read from the tallies.
//! Counts only, never a person.

use chrono::NaiveDate;

use crate::app::portal::result;
use crate::app::{AppError, Engine};
use crate::domain::roles::Role;
use crate::store::portal::{self as stored, AccessTally};
use crate::workflow::Actor;

/// Persons asked about by one agency on one day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgencyDay {
    pub agency: String,
    pub day: NaiveDate,
    /// Every person named, answered or refused.
    pub queries: i64,
    /// Answered: found, or answered as not found.
    pub answered: i64,
    /// Refused: bad key, scope not granted, invalid request, rate limit.
    pub refused: i64,
}

/// The portal's use over a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortalStatistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<AgencyDay>,
    /// Per agency over the period: (agency, queries, answered, refused).
    pub agencies: Vec<AgencyDay>,
    /// Scopes by persons asked about, busiest first.
    pub scopes: Vec<(String, i64)>,
    /// Refusals by kind, most frequent first.
    pub refusals: Vec<(String, i64)>,
}

/// Leadership, supervisors, auditors and administrators read the portal's
/// counts; no person is named in them.
fn may_read_portal_statistics(actor: &Actor) -> Result<(), AppError> {
    if actor.roles.iter().any(|r| {
        matches!(
            r,
            Role::Leadership | Role::Supervisor | Role::Auditor | Role::Admin
        )
    }) {
        Ok(())
    } else {
        Err(AppError::Refused(crate::app::refused::role_not_allowed(
            "read_statistics",
            &[Role::Leadership, Role::Supervisor, Role::Auditor],
        )))
    }
}

/// Counts the portal's use in the days `from..=to` (Syria's dates).
pub async fn statistics(
    engine: &Engine,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<PortalStatistics, AppError> {
    may_read_portal_statistics(actor)?;
    if from > to {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said(
                "from",
                crate::domain::words::portal::FROM_AFTER_TO,
            ),
        ]));
    }
    let rows = stored::tallies(&engine.store, from, to).await?;
    Ok(summarise(from, to, &rows))
}

/// Folds tally rows into the statistics.
pub fn summarise(from: NaiveDate, to: NaiveDate, rows: &[AccessTally]) -> PortalStatistics {
    use std::collections::BTreeMap;
    let mut days: BTreeMap<(NaiveDate, String), AgencyDay> = BTreeMap::new();
    let mut per_agency: BTreeMap<String, AgencyDay> = BTreeMap::new();
    let mut scopes: BTreeMap<String, i64> = BTreeMap::new();
    let mut refusals: BTreeMap<String, i64> = BTreeMap::new();
    for row in rows {
        let answered = result::is_answered(&row.result);
        for entry in [
            days.entry((row.day, row.agency.clone()))
                .or_insert_with(|| AgencyDay {
                    agency: row.agency.clone(),
                    day: row.day,
                    ..AgencyDay::default()
                }),
            per_agency
                .entry(row.agency.clone())
                .or_insert_with(|| AgencyDay {
                    agency: row.agency.clone(),
                    day: from,
                    ..AgencyDay::default()
                }),
        ] {
            entry.queries += row.count;
            if answered {
                entry.answered += row.count;
            } else {
                entry.refused += row.count;
            }
        }
        *scopes.entry(row.scope.clone()).or_default() += row.count;
        if !answered {
            *refusals.entry(row.result.clone()).or_default() += row.count;
        }
    }
    let by_count = |map: BTreeMap<String, i64>| {
        let mut list: Vec<(String, i64)> = map.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    let mut agencies: Vec<AgencyDay> = per_agency.into_values().collect();
    agencies.sort_by(|a, b| {
        b.queries
            .cmp(&a.queries)
            .then_with(|| a.agency.cmp(&b.agency))
    });
    PortalStatistics {
        from,
        to,
        days: days.into_values().collect(),
        agencies,
        scopes: by_count(scopes),
        refusals: by_count(refusals),
    }
}
