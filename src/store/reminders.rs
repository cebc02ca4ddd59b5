//! What reminder rules look at (overdue cases, cards due or waiting,
//! cases paused on the applicant) and when each rule last ran.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, Value};

use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// A case (or one member of it) a reminder is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Concerned {
    pub reference: String,
    pub district: String,
    pub state: String,
    pub assignee: Option<String>,
    pub applicant_email: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// The member concerned, with their name, for member reminders.
    pub member: Option<(i32, String)>,
    /// The day the reminder's clock started (due date, printed on, returned on).
    pub since: Option<NaiveDate>,
}

const CASE_COLUMNS: &str =
    "a.reference, a.district, a.state, a.assignee, a.applicant_email, a.due_on";

fn concerned(
    row: &sea_orm::QueryResult,
    with_member: bool,
    since: &str,
) -> Result<Concerned, StoreError> {
    Ok(Concerned {
        reference: row.try_get("", "reference")?,
        district: row.try_get("", "district")?,
        state: row.try_get("", "state")?,
        assignee: row.try_get("", "assignee")?,
        applicant_email: row.try_get("", "applicant_email")?,
        due_on: row.try_get("", "due_on")?,
        member: if with_member {
            let ordinal: i32 = row.try_get("", "ordinal")?;
            let first: String = row.try_get("", "first_name")?;
            let father: String = row.try_get("", "father_name")?;
            let family: String = row.try_get("", "family_name")?;
            Some((ordinal, format!("{first} {father} {family}")))
        } else {
            None
        },
        since: row.try_get("", since)?,
    })
}

async fn query(
    store: &Store,
    sql: &str,
    values: Vec<Value>,
    with_member: bool,
    since: &str,
) -> Result<Vec<Concerned>, StoreError> {
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(backend_of(conn), sql, values))
        .await?;
    rows.iter()
        .map(|r| concerned(r, with_member, since))
        .collect()
}

fn in_list(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Cases in one of `states` whose due date is before `due_before`, most overdue first.
pub async fn overdue_cases(
    store: &Store,
    states: &[String],
    due_before: NaiveDate,
    limit: u64,
) -> Result<Vec<Concerned>, StoreError> {
    if states.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {CASE_COLUMNS}, a.due_on AS since FROM applications a WHERE a.state IN ({}) AND a.due_on < ${} ORDER BY a.due_on, a.id LIMIT {limit}",
        in_list(1, states.len()),
        states.len() + 1
    );
    let mut values: Vec<Value> = states.iter().map(|s| s.clone().into()).collect();
    values.push(due_before.into());
    query(store, &sql, values, false, "since").await
}

/// Overdue cases per state (no limit): what leadership digests count.
pub async fn count_overdue_by_state(
    store: &Store,
    states: &[String],
    due_before: NaiveDate,
) -> Result<Vec<(String, i64)>, StoreError> {
    if states.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT state, COUNT(*) FROM applications WHERE state IN ({}) AND due_on < ${} GROUP BY state ORDER BY state",
        in_list(1, states.len()),
        states.len() + 1
    );
    let mut values: Vec<Value> = states.iter().map(|s| s.clone().into()).collect();
    values.push(due_before.into());
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(backend_of(conn), &sql, values))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push((
            row.try_get_by_index::<String>(0)?,
            row.try_get_by_index::<i64>(1)?,
        ));
    }
    Ok(out)
}

/// Members in `state` whose `since_column` date is on or before `day`.
async fn members_since(
    store: &Store,
    state: &str,
    since_column: &str,
    day: NaiveDate,
    limit: u64,
) -> Result<Vec<Concerned>, StoreError> {
    let sql = format!(
        "SELECT {CASE_COLUMNS}, m.ordinal, m.first_name, m.father_name, m.family_name, m.{since_column} AS since \
         FROM members m JOIN applications a ON a.id = m.application_id \
         WHERE m.state = $1 AND m.{since_column} <= $2 ORDER BY m.{since_column}, m.id LIMIT {limit}"
    );
    query(store, &sql, vec![state.into(), day.into()], true, "since").await
}

/// Members in `state` (the definition's card due at the card age) whose
/// card fell due on or before `day` and whose task is not open yet.
pub async fn cards_due(
    store: &Store,
    state: &str,
    day: NaiveDate,
    limit: u64,
) -> Result<Vec<Concerned>, StoreError> {
    members_since(store, state, "card_due_on", day, limit).await
}

/// Members in `state` (the definition's card printed) since `printed_by`
/// or earlier, their card not collected.
pub async fn cards_waiting(
    store: &Store,
    state: &str,
    printed_by: NaiveDate,
    limit: u64,
) -> Result<Vec<Concerned>, StoreError> {
    members_since(store, state, "state_changed_on", printed_by, limit).await
}

/// Cases waiting on the applicant (paused) since `paused_by` or earlier.
pub async fn waiting_on_applicant(
    store: &Store,
    paused_by: NaiveDate,
    limit: u64,
) -> Result<Vec<Concerned>, StoreError> {
    let sql = format!(
        "SELECT {CASE_COLUMNS}, a.paused_since AS since FROM applications a \
         WHERE a.paused_since IS NOT NULL AND a.paused_since <= $1 ORDER BY a.paused_since, a.id LIMIT {limit}"
    );
    query(store, &sql, vec![paused_by.into()], false, "since").await
}

/// When `rule` last ran.
pub async fn last_run(store: &Store, rule: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT last_run_at FROM reminder_runs WHERE rule = $1",
            vec![rule.into()],
        ))
        .await?;
    match row {
        Some(row) => Ok(Some(row.try_get_by_index(0)?)),
        None => Ok(None),
    }
}

pub async fn set_last_run(tx: &Tx, rule: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
    tx.inner
        .execute_raw(statement(
            backend_of(&tx.inner),
            "INSERT INTO reminder_runs (rule, last_run_at) VALUES ($1, $2) \
             ON CONFLICT (rule) DO UPDATE SET last_run_at = excluded.last_run_at",
            vec![rule.into(), at.into()],
        ))
        .await?;
    Ok(())
}
