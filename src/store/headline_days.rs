//! The headline figures the tallies keep only as they are now (cards still
//! due, applications past their due date), noted for each day
//! (`headline_days`, migration 29) so that a later day can show them.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// One day's figures in one place ('' for every district or office).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayFigures {
    pub day: NaiveDate,
    pub workflow: String,
    pub district: String,
    pub office: String,
    pub cards_due: i64,
    pub sla_breaches: i64,
}

/// When the figures of `day` were last noted, if ever.
pub async fn noted_at(store: &Store, day: NaiveDate) -> Result<Option<DateTime<Utc>>, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT MAX(noted_at) AS noted_at FROM headline_days WHERE day = $1",
            vec![day.into()],
        ))
        .await?;
    match row {
        Some(row) => Ok(row.try_get::<Option<DateTime<Utc>>>("", "noted_at")?),
        None => Ok(None),
    }
}

/// Notes (or notes again) the figures of their days.
pub async fn note(tx: &Tx, rows: &[DayFigures], now: DateTime<Utc>) -> Result<(), StoreError> {
    let conn = &tx.inner;
    let backend = backend_of(conn);
    for r in rows {
        conn.execute_raw(statement(
            backend,
            "INSERT INTO headline_days (day, workflow, district, office, cards_due, sla_breaches, \
             noted_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (day, workflow, district, office) DO UPDATE SET \
             cards_due = excluded.cards_due, sla_breaches = excluded.sla_breaches, \
             noted_at = excluded.noted_at",
            vec![
                r.day.into(),
                r.workflow.clone().into(),
                r.district.clone().into(),
                r.office.clone().into(),
                r.cards_due.into(),
                r.sla_breaches.into(),
                now.into(),
            ],
        ))
        .await?;
    }
    Ok(())
}

/// The figures noted for `day` in one workflow and place, if any.
pub async fn read(
    store: &Store,
    day: NaiveDate,
    workflow: &str,
    district: &str,
    office: &str,
) -> Result<Option<(i64, i64)>, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT cards_due, sla_breaches FROM headline_days \
             WHERE day = $1 AND workflow = $2 AND district = $3 AND office = $4",
            vec![
                day.into(),
                workflow.to_string().into(),
                district.to_string().into(),
                office.to_string().into(),
            ],
        ))
        .await?;
    match row {
        Some(row) => Ok(Some((
            row.try_get("", "cards_due")?,
            row.try_get("", "sla_breaches")?,
        ))),
        None => Ok(None),
    }
}
