//! The access log's per-day tallies: read for the statistics, and
//! recounted from the log itself for checks.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, backend_of, statement};
use crate::workflow::machine::local_date;

/// One tally row: persons asked about by an agency on a day, in a scope,
/// with a result (a request refused as a whole counts every person it
/// named, though it is one entry of the log).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessTally {
    pub agency: String,
    pub day: NaiveDate,
    pub scope: String,
    pub result: String,
    pub count: i64,
}

/// The tallies of the days `from..=until`.
pub async fn tallies(
    store: &Store,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<AccessTally>, StoreError> {
    let conn = store.reader();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT g.name AS agency, t.day, t.scope, t.result, t.count FROM agency_tallies t \
             JOIN agencies g ON g.id = t.agency_id WHERE t.day >= $1 AND t.day <= $2",
            vec![from.into(), until.into()],
        ))
        .await?;
    let mut list = rows
        .iter()
        .map(|row| {
            Ok(AccessTally {
                agency: row.try_get("", "agency")?,
                day: row.try_get("", "day")?,
                scope: row.try_get("", "scope")?,
                result: row.try_get("", "result")?,
                count: row.try_get("", "count")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // Byte order, whatever the database's collation.
    list.sort_by(|a, b| {
        (a.day, &a.agency, &a.scope, &a.result).cmp(&(b.day, &b.agency, &b.scope, &b.result))
    });
    Ok(list)
}

/// The tallies recounted from the access log, in the order of
/// [`tallies`], for checks.
pub async fn recount(store: &Store) -> Result<Vec<AccessTally>, StoreError> {
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT g.name AS agency, x.at, x.scope, x.result, x.persons FROM agency_access x \
             JOIN agencies g ON g.id = x.agency_id",
            vec![],
        ))
        .await?;
    let mut counts: BTreeMap<(NaiveDate, String, String, String), i64> = BTreeMap::new();
    for row in &rows {
        let at: DateTime<Utc> = row.try_get("", "at")?;
        let persons: Option<i32> = row.try_get("", "persons")?;
        *counts
            .entry((
                local_date(at),
                row.try_get("", "agency")?,
                row.try_get("", "scope")?,
                row.try_get("", "result")?,
            ))
            .or_default() += i64::from(persons.unwrap_or(1));
    }
    Ok(counts
        .into_iter()
        .map(|((day, agency, scope, result), count)| AccessTally {
            agency,
            day,
            scope,
            result,
            count,
        })
        .collect())
}
