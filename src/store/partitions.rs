//! The history's monthly partitions on PostgreSQL: `audit_events` and
//! `agency_access` are partitioned by RANGE on their time (`at`), one
//! partition a month (`audit_events_p2026_12`) and a DEFAULT partition
//! (`audit_events_default`) so that a write never fails for want of a
//! partition (migration 32 made them). The scheduler makes the partitions
//! of this month and the next ones ahead of time; rows that already landed
//! in DEFAULT for such a month are moved into it in the same transaction.
//! SQLite keeps one plain table each: nothing to do there.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend};

use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// The partitioned tables of the history.
pub const TABLES: [&str; 2] = ["audit_events", "agency_access"];

/// One partition as PostgreSQL holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    pub table: String,
    pub name: String,
    /// `FOR VALUES FROM (…) TO (…)` or `DEFAULT`.
    pub bound: String,
    /// Rows as the planner estimates them (`reltuples`; -1 never analysed).
    pub estimated_rows: i64,
}

/// The first day of the month `months` after the one `at` is in (UTC).
pub fn month_start(at: DateTime<Utc>, months: u32) -> NaiveDate {
    let index = at.year() * 12 + at.month0() as i32 + months as i32;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)
        .expect("the first of a month is a date")
}

/// The name of `table`'s partition for the month starting on `month`.
pub fn partition_name(table: &str, month: NaiveDate) -> String {
    format!("{table}_p{:04}_{:02}", month.year(), month.month())
}

/// Whether the history is partitioned here (PostgreSQL after migration 32).
pub fn partitioned(store: &Store) -> bool {
    backend_of(store.conn()) == DbBackend::Postgres
}

/// Every partition of the history's tables, by table and name.
pub async fn list(store: &Store) -> Result<Vec<Partition>, StoreError> {
    if !partitioned(store) {
        return Ok(Vec::new());
    }
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(
            DbBackend::Postgres,
            "SELECT p.relname::text AS parent, c.relname::text AS name, \
             pg_get_expr(c.relpartbound, c.oid) AS bound, c.reltuples::bigint AS estimated \
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
             JOIN pg_class p ON p.oid = i.inhparent \
             JOIN pg_namespace n ON n.oid = p.relnamespace AND n.nspname = current_schema() \
             WHERE p.relname IN ('audit_events', 'agency_access') AND p.relkind = 'p' \
             ORDER BY p.relname, c.relname",
            vec![],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(Partition {
                table: row.try_get("", "parent")?,
                name: row.try_get("", "name")?,
                bound: row.try_get("", "bound")?,
                estimated_rows: row.try_get("", "estimated")?,
            })
        })
        .collect()
}

/// A partition made, with the rows moved into it from the DEFAULT
/// partition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Made {
    pub name: String,
    pub moved_from_default: u64,
}

/// The partitions missing of the month `now` is in and of the `ahead`
/// months after it, as (table, first day of the month), for each history
/// table. None on SQLite.
pub async fn missing(
    store: &Store,
    now: DateTime<Utc>,
    ahead: u32,
) -> Result<Vec<(&'static str, NaiveDate)>, StoreError> {
    if !partitioned(store) {
        return Ok(Vec::new());
    }
    let existing: Vec<String> = list(store).await?.into_iter().map(|p| p.name).collect();
    let mut wanted = Vec::new();
    for table in TABLES {
        for months in 0..=ahead {
            let month = month_start(now, months);
            if !existing.contains(&partition_name(table, month)) {
                wanted.push((table, month));
            }
        }
    }
    Ok(wanted)
}

/// Creates `table`'s partition for `month` in the caller's transaction
/// (its own: it locks the DEFAULT partition until it ends), first moving
/// the rows DEFAULT holds for that month out (PostgreSQL refuses a
/// partition whose range has rows in the default) and then into the new
/// partition. Idempotent (`IF NOT EXISTS`).
pub async fn create(tx: &Tx, table: &str, month: NaiveDate) -> Result<Made, StoreError> {
    let name = partition_name(table, month);
    let next = month
        .checked_add_months(chrono::Months::new(1))
        .expect("a month after is a date");
    let (from, to) = (
        format!("{month} 00:00:00+00"),
        format!("{next} 00:00:00+00"),
    );
    let default = format!("{table}_default");
    let conn = &tx.inner;
    let run = |sql: String| statement(DbBackend::Postgres, &sql, vec![]);
    // Writers of that month wait here rather than land in DEFAULT while
    // its rows are moved (creating the partition needs this lock anyway,
    // to check DEFAULT holds none of its range; other months go on).
    conn.execute_raw(run(format!(
        "LOCK TABLE {default} IN ACCESS EXCLUSIVE MODE"
    )))
    .await?;
    let range = format!("at >= '{from}' AND at < '{to}'");
    conn.execute_raw(run(format!(
        "CREATE TEMPORARY TABLE moving_rows ON COMMIT DROP AS SELECT * FROM {default} WHERE {range}"
    )))
    .await?;
    let moved = conn
        .execute_raw(run(format!("DELETE FROM {default} WHERE {range}")))
        .await?
        .rows_affected();
    conn.execute_raw(run(format!(
        "CREATE TABLE IF NOT EXISTS {name} PARTITION OF {table} FOR VALUES FROM ('{from}') TO ('{to}')"
    )))
    .await?;
    conn.execute_raw(run(format!(
        "INSERT INTO {table} SELECT * FROM moving_rows"
    )))
    .await?;
    Ok(Made {
        name,
        moved_from_default: moved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(at: &str, months: u32, expected: &str) {
        let at: DateTime<Utc> = at.parse().expect("a time");
        assert_eq!(month_start(at, months).to_string(), expected);
    }

    #[test]
    fn months_ahead_cross_the_year() {
        check("2026-12-31T23:59:59Z", 0, "2026-12-01");
        check("2026-12-31T23:59:59Z", 1, "2027-01-01");
        check("2026-11-01T00:00:00Z", 3, "2027-02-01");
        check("2026-01-15T00:00:00Z", 24, "2028-01-01");
    }

    #[test]
    fn partitions_are_named_by_table_and_month() {
        let month = NaiveDate::from_ymd_opt(2027, 3, 1).expect("a date");
        assert_eq!(
            partition_name("audit_events", month),
            "audit_events_p2027_03"
        );
    }
}
