//! The database's own limit for one case transition, for `casework bench`:
//! the same row read, version-guarded UPDATE and audit INSERT that a
//! transition makes, through the same driver, with no engine.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, backend_of, statement};

pub async fn transition(
    store: &Store,
    reference: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let tx = store.begin().await?;
    let conn = &tx.inner;
    let backend = backend_of(conn);
    let row = conn
        .query_one_raw(statement(
            backend,
            "SELECT id, version FROM applications WHERE reference = $1",
            vec![reference.into()],
        ))
        .await?
        .ok_or(StoreError::NotFound)?;
    let id: i64 = row.try_get_by_index(0)?;
    let version: i64 = row.try_get_by_index(1)?;
    let updated = conn
        .execute_raw(statement(
            backend,
            "UPDATE applications SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4",
            vec![(version + 1).into(), now.into(), id.into(), version.into()],
        ))
        .await?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    conn.execute_raw(statement(
        backend,
        "INSERT INTO audit_events (application_id, seq, at, actor, action, member, from_state, to_state, payload, prev_hash, hash) \
         VALUES ($1, $2, $3, 'bench', 'raw', 1, 'verification', 'verification', '{}', '', '')",
        vec![id.into(), (1_000_000 + version).into(), now.into()],
    ))
    .await?;
    tx.commit().await
}
