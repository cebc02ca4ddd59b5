//! Who may read which statistics: the query as asked, the filter as
//! applied (a caller bound to a district sees that district), and the
//! [`Scope`] every read runs in.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::{AppError, Engine, refused};
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::store::tallies::{Filter, Read, day_number};
use crate::workflow::Actor;
use crate::workflow::definition::{CardStage, Outcome, Workflow};

/// What a statistics read asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatsQuery {
    /// One workflow's figures (the default workflow's when `None`).
    pub workflow: Option<String>,
    pub district: Option<String>,
    pub office: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The filter as applied (the caller's district imposed).
#[derive(Clone, Debug, Serialize, ToSchema, PartialEq, Eq)]
pub struct Applied {
    /// The workflow whose cases are counted.
    pub workflow: String,
    pub district: Option<String>,
    pub office: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The day the position is read on (Damascus time).
    pub as_of: NaiveDate,
}

/// A read with its filter and workflow vocabulary.
pub struct Scope {
    pub applied: Applied,
    pub(super) filter: Filter,
    pub workflow: Arc<Workflow>,
    pub(super) today: i32,
}

impl Scope {
    /// Tally kinds with the names to read of each, leaving out a kind whose
    /// names this workflow has none of (an empty list would read every name).
    pub(super) fn kinds(
        &self,
        kinds: Vec<(&'static str, Option<Vec<String>>)>,
    ) -> Vec<(&'static str, Vec<String>)> {
        kinds
            .into_iter()
            .filter_map(|(kind, names)| match names {
                None => Some((kind, Vec::new())),
                Some(names) if names.is_empty() => None,
                Some(names) => Some((kind, names)),
            })
            .collect()
    }

    pub(super) fn read(&self) -> Read {
        Read {
            filter: self.filter.clone(),
            ..Read::default()
        }
    }

    pub(super) fn open_states(&self) -> Vec<String> {
        self.workflow
            .states
            .iter()
            .filter(|s| !s.terminal)
            .map(|s| s.name.clone())
            .collect()
    }

    pub(super) fn terminal_states(&self) -> Vec<String> {
        self.workflow
            .states
            .iter()
            .filter(|s| s.terminal)
            .map(|s| s.name.clone())
            .collect()
    }

    /// The states that close a case as completed (the definition's `closes`).
    pub(super) fn completed_states(&self) -> Vec<String> {
        self.workflow
            .states_closing(Outcome::Completed)
            .map(str::to_string)
            .collect()
    }

    pub(super) fn is_completed(&self, state: &str) -> bool {
        self.workflow.outcome(state) == Some(Outcome::Completed)
    }

    /// The member state of a card handed over.
    pub(super) fn collected_states(&self) -> Vec<String> {
        self.workflow
            .card_state(CardStage::Collected)
            .map(str::to_string)
            .into_iter()
            .collect()
    }

    pub(super) fn is_open(&self, state: &str) -> bool {
        self.workflow.state(state).is_none_or(|s| !s.terminal)
    }

    /// A state's labels (the name itself for a state of an older version).
    pub fn label(&self, state: &str) -> Text {
        self.workflow.state(state).map_or_else(
            || Text {
                ar: state.to_string(),
                en: state.to_string(),
            },
            |s| s.labels.clone(),
        )
    }

    pub(super) fn order(&self, state: &str) -> usize {
        self.workflow
            .states
            .iter()
            .position(|s| s.name == state)
            .unwrap_or(usize::MAX)
    }
}

/// Checks the caller may read statistics and fixes the filter: leadership
/// and supervisors only; a caller bound to a district sees that district.
pub fn scope(
    engine: &Engine,
    actor: &Actor,
    query: &StatsQuery,
    today: NaiveDate,
) -> Result<Scope, AppError> {
    if !actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Leadership | Role::Supervisor))
    {
        return Err(AppError::Refused(refused::role_not_allowed(
            "read_statistics",
            &[Role::Leadership, Role::Supervisor],
        )));
    }
    let unknown = engine
        .places
        .check_filter(query.district.as_deref(), query.office.as_deref());
    if !unknown.is_empty() {
        return Err(AppError::Invalid(unknown));
    }
    let district = match (&actor.district, &query.district) {
        (Some(own), Some(asked)) if own != asked => {
            return Err(AppError::Refused(refused::outside_district(engine, asked)));
        }
        (Some(own), _) => Some(own.clone()),
        (None, asked) => asked.clone(),
    };
    for (name, day) in [("from", query.from), ("to", query.to)] {
        if day.is_some_and(|d| !(1900..=2200).contains(&d.year())) {
            return Err(AppError::Invalid(vec![
                crate::domain::field_error::FieldError::said(
                    name,
                    crate::domain::words::statistics::DAY_OUT_OF_RANGE,
                ),
            ]));
        }
    }
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said(
                "from",
                crate::domain::words::portal::FROM_AFTER_TO,
            ),
        ]));
    }
    let workflow = crate::app::cases::workflow_to_open(engine, query.workflow.as_deref())?;
    // The states the figures name: the newest version's and the older
    // versions' own (cases not yet migrated).
    let workflow = vocabulary(engine, workflow);
    // Every version of the workflow: its cases keep the version they began
    // under, and versions of one workflow may share state names (two
    // workflows never do: the registry refuses it).
    let versions = || {
        engine
            .workflows
            .all()
            .iter()
            .filter(|w| w.name == workflow.name)
    };
    let names = |states: &mut dyn Iterator<Item = &String>| -> Vec<String> {
        states
            .map(String::clone)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let filter = Filter {
        district: district.clone(),
        office: query.office.clone(),
        from_day: query.from.map(day_number),
        to_day: query.to.map(day_number),
        case_states: names(&mut versions().flat_map(|w| w.states.iter().map(|s| &s.name))),
        member_states: names(&mut versions().flat_map(|w| w.member.states.iter().map(|s| &s.name))),
        workflow: Some(workflow.name.clone()),
    };
    Ok(Scope {
        applied: Applied {
            workflow: workflow.name.clone(),
            district,
            office: query.office.clone(),
            from: query.from,
            to: query.to,
            as_of: today,
        },
        filter,
        workflow,
        today: day_number(today),
    })
}

/// The states the statistics name: the newest version's, with the states
/// only older versions have (cases not yet migrated) each placed after the
/// state before it in its own version.
fn vocabulary(engine: &Engine, latest: Arc<Workflow>) -> Arc<Workflow> {
    let name = &latest.name;
    let mut older: Vec<&Arc<Workflow>> = engine
        .workflows
        .all()
        .iter()
        .filter(|w| w.name == *name && w.version < latest.version)
        .collect();
    if older
        .iter()
        .all(|w| w.states.iter().all(|s| latest.state(&s.name).is_some()))
    {
        return latest;
    }
    older.sort_by_key(|w| std::cmp::Reverse(w.version));
    let mut merged = (*latest).clone();
    for w in older {
        for (i, s) in w.states.iter().enumerate() {
            if merged.state(&s.name).is_some() {
                continue;
            }
            let at = w.states[..i]
                .iter()
                .rev()
                .find_map(|p| merged.states.iter().position(|m| m.name == p.name))
                .map_or(0, |p| p + 1);
            merged.states.insert(at, s.clone());
        }
    }
    Arc::new(merged)
}
