//! The outbox as a queue: mails queued with the step that caused them
//! (once per dedupe key), claimed by one sender at a time, recorded as
//! sent, skipped or failed, listed and retried.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::store::entities::outbox;
use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// A message in the outbox, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxRecord {
    pub id: i64,
    pub application_id: Option<i64>,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// A reminder's identity; unique, so it is never queued twice.
    pub dedupe_key: Option<String>,
    pub recipient: Option<String>,
}

impl From<outbox::Model> for OutboxRecord {
    fn from(row: outbox::Model) -> OutboxRecord {
        OutboxRecord {
            id: row.id,
            application_id: row.application_id,
            kind: row.kind,
            payload: row.payload,
            status: row.status,
            attempts: row.attempts,
            created_at: row.created_at,
            next_attempt_at: row.next_attempt_at,
            sent_at: row.sent_at,
            last_error: row.last_error,
            dedupe_key: row.dedupe_key,
            recipient: row.recipient,
        }
    }
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

/// Outbox rows ready to be (re)tried: pending, or claimed by a sender whose
/// claim ran out (it died between sending and recording).
pub async fn outbox_ready(
    store: &Store,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<OutboxRecord>, StoreError> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.is_in(["pending", "sending"]))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .all(store.conn())
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
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
) -> Result<Vec<OutboxRecord>, StoreError> {
    let mut query = outbox::Entity::find();
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status));
    }
    Ok(query
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(store.conn())
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
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
