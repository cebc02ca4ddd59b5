//! Leases: a named lock held until a time, so that one of several servers
//! does a periodic job (reminders, audit checkpoints, partitions).

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, backend_of, statement};

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
