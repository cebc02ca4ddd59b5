//! Lists of cases: the search and filter list with keyset pagination, the
//! work queue (what the caller works, most overdue first), how many cases
//! each officer holds, and a district's work by stage (each state's cases,
//! those nobody holds, those overdue) with the cases nobody holds.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use crate::app::access::may_read_cases;
use crate::app::case_view::state_labels;
use crate::app::{AppError, Engine, refused};
use crate::domain::identifiers::{NationalNumber, RegisterNumber};
use crate::domain::language::Text;
use crate::domain::names::PartsQuery;
use crate::domain::roles::Role;
use crate::domain::words::{self, fields};
use crate::store::queries::{self, CaseFilter, SortValue};
use crate::workflow::machine::local_date;
use crate::workflow::{Actor, Workflow};

pub use crate::store::cases::{CaseRecord, PersonRecord};
pub use crate::store::queries::{AuditRecord, StageCount};

/// How a list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Oldest submission first.
    #[default]
    Age,
    /// Earliest due date first; cases without one last.
    Due,
    /// The longest in their state first.
    OldestInState,
    /// The latest to enter their state first (a case just returned leads).
    NewestInState,
}

impl SortKey {
    /// `age` or `due`, as the API names them.
    pub fn parse(text: &str) -> Option<SortKey> {
        match text {
            "age" => Some(SortKey::Age),
            "due" => Some(SortKey::Due),
            _ => None,
        }
    }
}

/// Where the next page of a list starts: the sort value and id of the
/// last row shown, written `YYYYMMDD.id` for a day and `tN.id` for a
/// moment (N nanoseconds since 1970).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub sort_value: SortValue,
    pub id: i64,
}

impl Cursor {
    /// A cursor as [`Cursor::to_text`] wrote it; `None` for anything else.
    pub fn parse(text: &str) -> Option<Cursor> {
        let (value, id) = text.split_once('.')?;
        let sort_value = match value.strip_prefix('t') {
            Some(nanos) => SortValue::At(DateTime::from_timestamp_nanos(nanos.parse().ok()?)),
            None => SortValue::Day(NaiveDate::parse_from_str(value, "%Y%m%d").ok()?),
        };
        Some(Cursor {
            sort_value,
            id: id.parse().ok()?,
        })
    }

    pub fn to_text(self) -> String {
        match self.sort_value {
            SortValue::Day(day) => format!("{}.{}", day.format("%Y%m%d"), self.id),
            SortValue::At(at) => format!(
                "t{}.{}",
                at.timestamp_nanos_opt().unwrap_or(i64::MAX),
                self.id
            ),
        }
    }
}

/// What an officer asks a list for; every filter optional.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub state: Option<String>,
    pub district: Option<String>,
    pub office: Option<String>,
    pub assignee: Option<String>,
    /// Only cases past their due date.
    pub overdue: bool,
    /// The ways of reading a typed name as name parts (see
    /// `domain::names::parts_queries`); a member matching any matches.
    pub name_parts: Vec<PartsQuery>,
    /// As typed (Arabic-Indic digits and spaces are read too).
    pub register_number: Option<String>,
    /// As typed.
    pub national_number: Option<String>,
    pub sort: SortKey,
    pub after: Option<Cursor>,
    /// 1 to 200.
    pub limit: u64,
}

/// A row of a case list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseSummary {
    pub reference: String,
    pub district: String,
    /// The district's Arabic and English names.
    pub district_label: Text,
    pub office: String,
    /// The office's Arabic and English names.
    pub office_label: Text,
    pub state: String,
    pub assignee: Option<String>,
    pub submitted_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    pub version: i64,
    /// The head of the family's first, father's and family name.
    pub head_name: Option<String>,
    /// Whom the case is named by: the head of the family's name, else the
    /// person's own (a one-person case has no head), else its reference.
    pub display_name: String,
    /// Calendar days since the case entered its state (Syria's dates).
    pub days_in_state: i64,
    /// For a case returned to its applicant (in a state that pauses the
    /// clock): who returned it, when and why, until it is resubmitted.
    pub returned: Option<Returned>,
}

/// Who moved a case into the state where it waits on its applicant, when,
/// and the reason they gave (read from the event that moved it, as the
/// case page's "why here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Returned {
    pub by: String,
    pub at: DateTime<Utc>,
    pub reason: Option<String>,
}

/// The states in which a case waits on its applicant (they pause the
/// clock), across the definitions.
pub fn returned_states(engine: &Engine) -> BTreeSet<String> {
    engine
        .workflows
        .all()
        .iter()
        .flat_map(|w| w.states.iter())
        .filter(|s| s.pauses_clock)
        .map(|s| s.name.clone())
        .collect()
}

/// Who returned each of the returned cases among `rows`, by case id: one
/// query for the page, none when no row is returned.
async fn returns_of(
    engine: &Engine,
    rows: &[queries::CaseSummary],
) -> Result<HashMap<i64, Returned>, AppError> {
    let waiting = returned_states(engine);
    let ids: Vec<i64> = rows
        .iter()
        .filter(|r| waiting.contains(&r.state))
        .map(|r| r.id)
        .collect();
    let events = queries::entering_events(&engine.store, &ids).await?;
    Ok(events
        .into_iter()
        .filter(|e| {
            rows.iter()
                .any(|r| r.id == e.application_id && r.state == e.to_state)
        })
        .map(|e| {
            let told = crate::app::pages::told(&e);
            (
                e.application_id,
                Returned {
                    by: e.actor,
                    at: e.at,
                    reason: told.reason,
                },
            )
        })
        .collect())
}

/// One page of a list, with the cursor of the next page.
pub struct Page {
    pub items: Vec<CaseSummary>,
    pub next: Option<Cursor>,
}

pub async fn list(
    engine: &Engine,
    actor: &Actor,
    query: ListQuery,
    now: DateTime<Utc>,
) -> Result<Page, AppError> {
    may_read_cases(actor)?;
    let today = local_date(now);
    let mut filter = CaseFilter {
        states: query.state.into_iter().collect(),
        district: query.district,
        office: query.office,
        assignee: query.assignee,
        due_before: query.overdue.then_some(today),
        name_parts: query.name_parts,
        // Typed the way officers type them (Arabic-Indic digits, spaces).
        register_number: query
            .register_number
            .map(|n| RegisterNumber::parse(&n).map_or(n, |p| p.as_str().to_string())),
        national_number: query
            .national_number
            .map(|n| NationalNumber::parse(&n).map_or(n, |p| p.as_str().to_string())),
        unassigned: false,
    };
    page(
        engine,
        actor,
        &mut filter,
        query.sort,
        query.after,
        query.limit,
        today,
    )
    .await
}

/// A page of the cases `filter` selects, within the actor's district.
async fn page(
    engine: &Engine,
    actor: &Actor,
    filter: &mut CaseFilter,
    sort: SortKey,
    after: Option<Cursor>,
    limit: u64,
    today: NaiveDate,
) -> Result<Page, AppError> {
    let unknown = engine
        .places
        .check_filter(filter.district.as_deref(), filter.office.as_deref());
    if !unknown.is_empty() {
        return Err(AppError::Invalid(unknown));
    }
    if let Some(district) = &actor.district {
        if filter.district.as_ref().is_some_and(|d| d != district) {
            return Err(AppError::Refused(refused::outside_district(
                engine,
                filter.district.as_deref().unwrap_or_default(),
            )));
        }
        filter.district = Some(district.clone());
    }
    let sort = match sort {
        SortKey::Age => queries::SortKey::Age,
        SortKey::Due => queries::SortKey::Due,
        SortKey::OldestInState => queries::SortKey::EnteredFirst,
        SortKey::NewestInState => queries::SortKey::EnteredLast,
    };
    let after = after.map(|c| (c.sort_value, c.id));
    let mut rows = queries::list_cases(&engine.store, filter, sort, after, limit + 1).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|last| Cursor {
            sort_value: last.sort_value,
            id: last.id,
        })
    } else {
        None
    };
    let mut returns = returns_of(engine, &rows).await?;
    let items = rows
        .into_iter()
        .map(|c| CaseSummary {
            returned: returns.remove(&c.id),
            display_name: c.display_name.unwrap_or_else(|| c.reference.clone()),
            overdue: c.due_on.is_some_and(|d| d < today),
            reference: c.reference,
            district_label: engine.place_label(&c.district),
            district: c.district,
            office_label: engine.place_label(&c.office),
            office: c.office,
            state: c.state,
            assignee: c.assignee,
            submitted_on: c.submitted_on,
            due_on: c.due_on,
            version: c.version,
            head_name: c.head_name,
            days_in_state: (today - local_date(c.state_entered_at)).num_days().max(0),
        })
        .collect();
    Ok(Page { items, next })
}

/// The states in which the actor's roles have some action to take.
pub fn actionable_states(workflow: &Workflow, actor: &Actor) -> BTreeSet<String> {
    let mine = |roles: &[Role]| roles.iter().any(|r| actor.roles.contains(r));
    let mut states = BTreeSet::new();
    for t in workflow.transitions.iter().filter(|t| mine(&t.roles)) {
        states.extend(t.from.iter().cloned());
    }
    for t in workflow
        .member
        .transitions
        .iter()
        .filter(|t| mine(&t.roles))
    {
        states.extend(t.case_states.iter().cloned());
    }
    states
}

/// The states whose cases the actor works: those whose `worked_by` names
/// one of the actor's roles (the roles whose action moves the case on).
pub fn worked_states(workflow: &Workflow, actor: &Actor) -> BTreeSet<String> {
    workflow
        .states
        .iter()
        .filter(|s| s.worked_by.iter().any(|r| actor.roles.contains(r)))
        .map(|s| s.name.clone())
        .collect()
}

/// Whose cases a work queue lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Holder {
    /// Held by anyone or nobody.
    #[default]
    Anyone,
    /// Held by the caller.
    Me,
    /// Held by nobody: free to claim.
    Nobody,
}

/// The orders a work queue offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum QueueOrder {
    /// The earliest due first; cases without a due date last.
    #[default]
    MostOverdue,
    /// The latest to enter their state first.
    NewestInState,
    /// The longest in their state first.
    OldestInState,
}

/// What an officer asks the work queue for; every filter optional.
#[derive(Clone, Debug, Default)]
pub struct QueueQuery {
    pub order: QueueOrder,
    /// One of the states the caller works.
    pub state: Option<String>,
    pub office: Option<String>,
    /// Only cases past their due date.
    pub overdue: bool,
    pub holder: Holder,
    pub after: Option<Cursor>,
    /// 1 to 200.
    pub limit: u64,
}

/// The caller's work: the cases in the states the caller works, in the
/// caller's district, most overdue first (earliest due date; cases with
/// none last) unless the query asks for another order, a page at a time.
pub async fn queue(
    engine: &Engine,
    actor: &Actor,
    query: QueueQuery,
    now: DateTime<Utc>,
) -> Result<Page, AppError> {
    let today = local_date(now);
    let Some(mut filter) = queue_filter(engine, actor, &query, today)? else {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    };
    let sort = match query.order {
        QueueOrder::MostOverdue => SortKey::Due,
        QueueOrder::NewestInState => SortKey::NewestInState,
        QueueOrder::OldestInState => SortKey::OldestInState,
    };
    page(
        engine,
        actor,
        &mut filter,
        sort,
        query.after,
        query.limit,
        today,
    )
    .await
}

/// How many cases the caller's queue holds as `query` filters it (all of
/// its pages).
pub async fn queue_count(
    engine: &Engine,
    actor: &Actor,
    query: &QueueQuery,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let Some(mut filter) = queue_filter(engine, actor, query, local_date(now))? else {
        return Ok(0);
    };
    if let Some(district) = &actor.district {
        filter.district = Some(district.clone());
    }
    Ok(queries::count_cases(&engine.store, &filter).await?)
}

/// The filter of the caller's queue as `query` asks for it; `None` when
/// the caller works no state.
fn queue_filter(
    engine: &Engine,
    actor: &Actor,
    query: &QueueQuery,
    today: NaiveDate,
) -> Result<Option<CaseFilter>, AppError> {
    may_read_cases(actor)?;
    let mut worked = BTreeSet::new();
    for workflow in engine.workflows.all() {
        worked.extend(worked_states(workflow, actor));
    }
    if let Some(state) = &query.state
        && !worked.contains(state)
    {
        let labels: Vec<Text> = worked.iter().map(|s| state_labels(engine, s)).collect();
        let yours = if labels.is_empty() {
            fields::NONE.text()
        } else {
            words::list_said(&labels)
        };
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said(
                "state",
                fields::not_a_state_you_work(&yours),
            ),
        ]));
    }
    let states: Vec<String> = match &query.state {
        Some(state) => vec![state.clone()],
        None => worked.into_iter().collect(),
    };
    if states.is_empty() {
        return Ok(None);
    }
    Ok(Some(CaseFilter {
        states,
        office: query.office.clone(),
        due_before: query.overdue.then_some(today),
        assignee: (query.holder == Holder::Me).then(|| actor.id.clone()),
        unassigned: query.holder == Holder::Nobody,
        ..CaseFilter::default()
    }))
}

/// How many cases each officer holds in the actor's district (everywhere
/// for an actor of all districts), by officer.
pub async fn held_counts(
    engine: &Engine,
    actor: &Actor,
) -> Result<std::collections::HashMap<String, i64>, AppError> {
    may_read_cases(actor)?;
    Ok(
        queries::held_counts(&engine.store, actor.district.as_deref())
            .await?
            .into_iter()
            .collect(),
    )
}

/// The states somebody works (their `worked_by` names a role), across the
/// definitions, in the order their files list them, each once.
pub fn states_at_work(engine: &Engine) -> Vec<String> {
    let mut states: Vec<String> = Vec::new();
    for workflow in engine.workflows.all() {
        for state in workflow.states.iter().filter(|s| !s.worked_by.is_empty()) {
            if !states.contains(&state.name) {
                states.push(state.name.clone());
            }
        }
    }
    states
}

/// The work of the actor's district (everywhere for an actor of all
/// districts) by stage: for each state somebody works, in the
/// definitions' order, its cases, those nobody holds and those overdue
/// at `now` (a state with none is listed with zeros).
pub async fn stage_counts(
    engine: &Engine,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Vec<StageCount>, AppError> {
    may_read_cases(actor)?;
    let states = states_at_work(engine);
    let counted = queries::stage_counts(
        &engine.store,
        actor.district.as_deref(),
        &states,
        local_date(now),
    )
    .await?;
    Ok(states
        .into_iter()
        .map(|state| {
            counted
                .iter()
                .find(|c| c.state == state)
                .cloned()
                .unwrap_or(StageCount {
                    state,
                    cases: 0,
                    unassigned: 0,
                    overdue: 0,
                })
        })
        .collect())
}

/// The first `limit` cases nobody holds in the states somebody works, in
/// the actor's district, most overdue first.
pub async fn unassigned(
    engine: &Engine,
    actor: &Actor,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Page, AppError> {
    may_read_cases(actor)?;
    let states = states_at_work(engine);
    if states.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    }
    let today = local_date(now);
    let mut filter = CaseFilter {
        states,
        unassigned: true,
        ..CaseFilter::default()
    };
    page(engine, actor, &mut filter, SortKey::Due, None, limit, today).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_what_it_wrote_for_a_day_and_for_a_moment() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 9).expect("a day");
        let at = DateTime::from_timestamp_nanos(1_773_047_123_456_789_012);
        for cursor in [
            Cursor {
                sort_value: SortValue::Day(day),
                id: 42,
            },
            Cursor {
                sort_value: SortValue::At(at),
                id: 7,
            },
        ] {
            assert_eq!(Cursor::parse(&cursor.to_text()), Some(cursor));
        }
        assert_eq!(
            Cursor {
                sort_value: SortValue::Day(day),
                id: 42
            }
            .to_text(),
            "20260309.42"
        );
        for bad in ["", "20260309", "t.1", "tx.1", "2026-03-09.1", "20260309.x"] {
            assert_eq!(Cursor::parse(bad), None, "{bad}");
        }
    }
}
