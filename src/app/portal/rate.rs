//! The portal's rate limit: one token bucket per agency, kept in the
//! database so that every server on it spends from the same budget.

use chrono::{DateTime, Utc};

use crate::app::Engine;
use crate::store::StoreError;
use crate::store::portal::rate;

/// Takes `cost` persons from the agency's budget: an agency may name
/// `rate_per_minute` persons a minute, in bursts of up to as many. The
/// clock is the caller's, so tests set it. `Err(seconds)` says how many
/// whole seconds to wait until they are there.
pub(super) async fn take(
    engine: &Engine,
    agency_id: i64,
    rate_per_minute: u32,
    cost: u32,
    now: DateTime<Utc>,
) -> Result<Result<(), u64>, StoreError> {
    let capacity = f64::from(rate_per_minute.max(1));
    let cost = f64::from(cost).min(capacity);
    Ok(
        match rate::take(&engine.store, agency_id, capacity, cost, now).await? {
            None => Ok(()),
            Some(wait) => Err(wait),
        },
    )
}
