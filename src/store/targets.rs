//! The targets leadership steers by (`targets`, migration 29): one row per
//! target, named by its short name, written by admins.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// A stored target, as the table holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetRow {
    pub name: String,
    /// `closed_by` or `within_time_limit`.
    pub kind: String,
    pub workflow: String,
    pub received_before: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub percent: Option<i32>,
    pub set_by: String,
    pub set_at: DateTime<Utc>,
}

/// Every target, by name.
pub async fn list(store: &Store) -> Result<Vec<TargetRow>, StoreError> {
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT name, kind, workflow, received_before, deadline, percent, set_by, set_at \
             FROM targets",
            vec![],
        ))
        .await?;
    let mut list = rows
        .iter()
        .map(|row| {
            Ok(TargetRow {
                name: row.try_get("", "name")?,
                kind: row.try_get("", "kind")?,
                workflow: row.try_get("", "workflow")?,
                received_before: row.try_get("", "received_before")?,
                deadline: row.try_get("", "deadline")?,
                percent: row.try_get("", "percent")?,
                set_by: row.try_get("", "set_by")?,
                set_at: row.try_get("", "set_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // Byte order, whatever the database's collation.
    list.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(list)
}

/// Sets a target (a new one, or the one of that name replaced); true when
/// it is new.
pub async fn put(tx: &Tx, target: &TargetRow) -> Result<bool, StoreError> {
    let conn = &tx.inner;
    let backend = backend_of(conn);
    let removed = conn
        .execute_raw(statement(
            backend,
            "DELETE FROM targets WHERE name = $1",
            vec![target.name.clone().into()],
        ))
        .await?
        .rows_affected();
    conn.execute_raw(statement(
        backend,
        "INSERT INTO targets (name, kind, workflow, received_before, deadline, percent, \
         set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        vec![
            target.name.clone().into(),
            target.kind.clone().into(),
            target.workflow.clone().into(),
            target.received_before.into(),
            target.deadline.into(),
            target.percent.into(),
            target.set_by.clone().into(),
            target.set_at.into(),
        ],
    ))
    .await?;
    Ok(removed == 0)
}

/// Removes a target; false when there was none of that name.
pub async fn remove(tx: &Tx, name: &str) -> Result<bool, StoreError> {
    let conn = &tx.inner;
    let removed = conn
        .execute_raw(statement(
            backend_of(conn),
            "DELETE FROM targets WHERE name = $1",
            vec![name.to_string().into()],
        ))
        .await?
        .rows_affected();
    Ok(removed > 0)
}
