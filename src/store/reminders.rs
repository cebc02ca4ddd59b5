//! What reminder rules look at, the outbox as a queue, and leases.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Value,
};

use crate::store::entities::outbox;
use crate::store::{Store, StoreError, Tx, backend_of, statement};

pub use outbox::Model as OutboxRow;

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

/// A mail to queue.
#[derive(Clone, Debug, PartialEq)]
pub struct QueuedMail {
    pub dedupe_key: String,
    pub recipient: String,
    pub payload: serde_json::Value,
}

/// Queues mails; one whose dedupe key is already queued is skipped.
/// Returns how many were new.
pub async fn queue_mails(
    tx: &Tx,
    mails: &[QueuedMail],
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut inserted = 0;
    for mail in mails {
        let model = outbox::ActiveModel {
            application_id: Set(None),
            kind: Set("email".into()),
            payload: Set(mail.payload.to_string()),
            status: Set("pending".into()),
            attempts: Set(0),
            created_at: Set(now),
            next_attempt_at: Set(now),
            sent_at: Set(None),
            last_error: Set(None),
            dedupe_key: Set(Some(mail.dedupe_key.clone())),
            recipient: Set(Some(mail.recipient.clone())),
            ..Default::default()
        };
        inserted += outbox::Entity::insert(model)
            .on_conflict(
                OnConflict::column(outbox::Column::DedupeKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&tx.inner)
            .await?;
    }
    Ok(inserted)
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

/// Takes or renews the lease `name` for `holder` until `until`, if it is
/// free, lapsed, or already `holder`'s. True when `holder` has it.
pub async fn try_lease(
    store: &Store,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let conn = store.conn();
    let result = conn
        .execute_raw(statement(
            backend_of(conn),
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.expires_at < $4 OR leases.holder = $5",
            vec![name.into(), holder.into(), until.into(), now.into(), holder.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Lets go of a lease early.
pub async fn release_lease(store: &Store, name: &str, holder: &str) -> Result<(), StoreError> {
    let conn = store.conn();
    conn.execute_raw(statement(
        backend_of(conn),
        "DELETE FROM leases WHERE name = $1 AND holder = $2",
        vec![name.into(), holder.into()],
    ))
    .await?;
    Ok(())
}

/// Outbox rows ready to be (re)tried: pending, or claimed by a sender whose
/// claim ran out (it died between sending and recording).
pub async fn outbox_ready(
    store: &Store,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<OutboxRow>, StoreError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.is_in(["pending", "sending"]))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(store.conn())
        .await?)
}

/// Claims a row until `until`; false when someone else claimed it first.
pub async fn claim(
    store: &Store,
    id: i64,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value("sending"))
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        )
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(until))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.is_in(["pending", "sending"]))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .exec(store.conn())
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records the end of an attempt: `sent`, `skipped` or `failed` for good,
/// or back to `pending` at `retry_at`.
///
/// With `claimed_until`, only if the row is still held by that claim: a
/// dispatcher whose claim ran out (and was taken over) records nothing.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    store: &Store,
    id: i64,
    claimed_until: Option<DateTime<Utc>>,
    status: &str,
    retry_at: Option<DateTime<Utc>>,
    error: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status))
        .col_expr(outbox::Column::LastError, Expr::value(error));
    if status == "sent" {
        update = update.col_expr(outbox::Column::SentAt, Expr::value(Some(now)));
    }
    if let Some(at) = retry_at {
        update = update.col_expr(outbox::Column::NextAttemptAt, Expr::value(at));
    }
    update = update.filter(outbox::Column::Id.eq(id));
    if let Some(until) = claimed_until {
        update = update
            .filter(outbox::Column::Status.eq("sending"))
            .filter(outbox::Column::NextAttemptAt.eq(until));
    }
    update.exec(store.conn()).await?;
    Ok(())
}

/// Outbox rows, newest first, optionally of one status.
pub async fn list(
    store: &Store,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<OutboxRow>, StoreError> {
    let mut query = outbox::Entity::find();
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status));
    }
    Ok(query
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(store.conn())
        .await?)
}

/// Puts failed rows (all, or the one with `id`) back in the queue.
pub async fn retry_failed(
    store: &Store,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value("pending"))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::Status.eq("failed"));
    if let Some(id) = id {
        update = update.filter(outbox::Column::Id.eq(id));
    }
    Ok(update.exec(store.conn()).await?.rows_affected)
}

/// Marks the pending rows of demo cases as skipped with `note`: the demo's
/// history happened in a simulated past and is not mailed.
pub async fn skip_demo_history(store: &Store, note: &str) -> Result<u64, StoreError> {
    let conn = store.conn();
    let result = conn
        .execute_raw(statement(
            backend_of(conn),
            "UPDATE outbox SET status = 'skipped', last_error = $1 WHERE status = 'pending' \
             AND application_id IN (SELECT id FROM applications WHERE origin = 'demo')",
            vec![note.into()],
        ))
        .await?;
    Ok(result.rows_affected())
}
