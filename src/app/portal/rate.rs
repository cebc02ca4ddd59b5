//! The portal's rate limit: a token bucket per agency, kept in memory.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// A token bucket per agency, kept in this process: an agency may ask about
/// `rate` persons per minute, in bursts of up to `rate`. The clock is the
/// caller's, so tests set it.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<i64, Bucket>>,
}

/// An agency's tokens as they stood at `at`.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: DateTime<Utc>,
}

impl RateLimiter {
    pub fn new() -> RateLimiter {
        RateLimiter::default()
    }

    /// Takes `cost` persons from the agency's bucket, or says how many
    /// whole seconds to wait until they are there.
    pub fn take(
        &self,
        agency_id: i64,
        rate_per_minute: u32,
        cost: u32,
        now: DateTime<Utc>,
    ) -> Result<(), u64> {
        let capacity = f64::from(rate_per_minute.max(1));
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(agency_id).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        // A clock that went back refills nothing.
        let elapsed = (now - bucket.at).num_milliseconds().max(0) as f64 / 1000.0;
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.at = bucket.at.max(now);
        let cost = f64::from(cost);
        if bucket.tokens >= cost {
            bucket.tokens -= cost;
            Ok(())
        } else {
            Err((((cost - bucket.tokens) / per_second).ceil() as u64).max(1))
        }
    }
}
