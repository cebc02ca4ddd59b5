//! The agencies' rate budgets: one token bucket per agency in a row of
//! `agency_rates`, shared by every server on the database. A take refills
//! and spends in one `UPDATE … RETURNING` that only matches when the tokens
//! are there, so servers taking at once never spend the same token twice.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, backend_of, statement};

/// The tokens the bucket holds at `now`, refilled since `refilled_ms` at
/// `per_ms` and never above `capacity`, as SQL over the row's columns. The
/// placeholders are numbered from `first` in the order they appear (SQLite
/// reads them by position), taking `now`, `now`, `per_ms`, `capacity`,
/// `capacity`, `now`, `now`, `per_ms`.
fn available_sql(first: usize) -> String {
    let p = |i: usize| format!("${}", first + i);
    let refill = |a: usize, b: usize, c: usize| {
        format!(
            "tokens + (CASE WHEN {} > refilled_ms THEN {} - refilled_ms ELSE 0 END) * {}",
            p(a),
            p(b),
            p(c)
        )
    };
    format!(
        "(CASE WHEN {} > {} THEN {} ELSE {} END)",
        refill(0, 1, 2),
        p(3),
        p(4),
        refill(5, 6, 7)
    )
}

/// Takes `cost` tokens from the agency's bucket of `capacity` tokens that
/// refills `capacity` per minute, at `now`. `Ok(None)` when taken, else
/// `Ok(Some(seconds))` to wait until they are there (at least 1).
pub async fn take(
    store: &Store,
    agency_id: i64,
    capacity: f64,
    cost: f64,
    now: DateTime<Utc>,
) -> Result<Option<u64>, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let now_ms = now.timestamp_millis();
    let per_ms = capacity / 60_000.0;
    // A new agency starts with a full bucket.
    conn.execute_raw(statement(
        backend,
        "INSERT INTO agency_rates (agency_id, tokens, refilled_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (agency_id) DO NOTHING",
        vec![agency_id.into(), capacity.into(), now_ms.into()],
    ))
    .await?;
    let sql = format!(
        "UPDATE agency_rates SET tokens = {} - $9, \
         refilled_ms = CASE WHEN $10 > refilled_ms THEN $11 ELSE refilled_ms END \
         WHERE agency_id = $12 AND {} >= $21 RETURNING tokens",
        available_sql(1),
        available_sql(13),
    );
    let mut values: Vec<sea_orm::Value> = Vec::with_capacity(21);
    let bucket = |values: &mut Vec<sea_orm::Value>| {
        values.extend([
            now_ms.into(),
            now_ms.into(),
            per_ms.into(),
            capacity.into(),
            capacity.into(),
            now_ms.into(),
            now_ms.into(),
            per_ms.into(),
        ])
    };
    bucket(&mut values);
    values.extend([cost.into(), now_ms.into(), now_ms.into(), agency_id.into()]);
    bucket(&mut values);
    values.push(cost.into());
    let taken = conn
        .query_one_raw(statement(backend, &sql, values))
        .await?
        .is_some();
    if taken {
        return Ok(None);
    }
    // Not enough: how long until there is (read after the refusal, so only
    // the hint can be a moment off, never the budget).
    let row = conn
        .query_one_raw(statement(
            backend,
            "SELECT tokens, refilled_ms FROM agency_rates WHERE agency_id = $1",
            vec![agency_id.into()],
        ))
        .await?
        .ok_or(StoreError::NotFound)?;
    let tokens: f64 = row.try_get("", "tokens")?;
    let refilled_ms: i64 = row.try_get("", "refilled_ms")?;
    let now_tokens = (tokens + (now_ms - refilled_ms).max(0) as f64 * per_ms).min(capacity);
    let per_second = capacity / 60.0;
    Ok(Some(
        (((cost - now_tokens) / per_second).ceil().max(1.0)) as u64,
    ))
}
