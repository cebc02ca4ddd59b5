//! Officers' token lookups kept in memory while PostgreSQL tells this
//! process of every change to `users`.
//!
//! Every request checks its bearer token; without a cache that is one query
//! per request, half of what reading one case costs (BENCHMARKS.md). An
//! entry is served only while a `LISTEN casework_users` connection is up:
//! a trigger (migration 18) notifies on every insert, update or delete of
//! `users`, from this process, the CLI or a hand-written statement, and
//! each notification empties the cache. A lost listener empties it and
//! turns it off until it listens again. This process's own writes empty it
//! at once. On SQLite (one process, no notifications) nothing is cached.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::store::users::UserRecord;

/// The notification channel the `users` trigger sends on.
pub const USERS_CHANNEL: &str = "casework_users";

/// How long an entry may be served at most, notifications or not.
const TTL: Duration = Duration::from_secs(30);

/// More entries than this: start again (one per active officer is usual).
const MAX_ENTRIES: usize = 10_000;

#[derive(Debug, Default)]
pub(crate) struct TokenCache {
    entries: Mutex<HashMap<String, (UserRecord, Instant)>>,
    /// Bumped by every invalidation: a lookup that read the database
    /// before one must not store what it read.
    generation: AtomicU64,
    /// Whether a listener is subscribed right now.
    live: AtomicBool,
    hits: AtomicU64,
}

impl TokenCache {
    /// The user of `token_hash` if cached, fresh and the cache is live.
    pub(crate) fn get(&self, token_hash: &str) -> Option<UserRecord> {
        if !self.live.load(Ordering::Acquire) {
            return None;
        }
        let entries = self.entries.lock().ok()?;
        let (row, at) = entries.get(token_hash)?;
        if at.elapsed() >= TTL {
            return None;
        }
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(row.clone())
    }

    /// The generation to pass to [`TokenCache::put`] after reading.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Keeps `row`, read at `generation`, unless the cache was emptied
    /// since or is not live.
    pub(crate) fn put(&self, token_hash: &str, row: &UserRecord, generation: u64) {
        if !self.live.load(Ordering::Acquire) {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(token_hash.to_string(), (row.clone(), Instant::now()));
    }

    /// Forgets every entry.
    pub(crate) fn invalidate(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            self.generation.fetch_add(1, Ordering::AcqRel);
            entries.clear();
        }
    }

    pub(crate) fn set_live(&self, live: bool) {
        self.invalidate();
        self.live.store(live, Ordering::Release);
    }

    pub(crate) fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn row() -> UserRecord {
        UserRecord {
            id: 1,
            name: "clerk.one".into(),
            roles: "intake_clerk".into(),
            district: None,
            office: None,
            token_hash: "h".into(),
            created_at: Utc
                .with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
                .single()
                .expect("a time"),
            revoked_at: None,
            email: None,
            password_hash: None,
            full_name: None,
        }
    }

    #[test]
    fn serves_only_while_live_and_never_what_was_read_before_an_invalidation() {
        let cache = TokenCache::default();
        let g = cache.generation();
        cache.put("h", &row(), g);
        assert_eq!(cache.get("h"), None, "not live: nothing kept");
        cache.set_live(true);
        let g = cache.generation();
        cache.put("h", &row(), g);
        assert_eq!(cache.get("h"), Some(row()));
        assert_eq!(cache.hits(), 1);
        // A lookup read the database, then a notification came: its row
        // may be stale and is not kept.
        let g = cache.generation();
        cache.invalidate();
        assert_eq!(cache.get("h"), None);
        cache.put("h", &row(), g);
        assert_eq!(cache.get("h"), None);
        // The listener is lost: off, and empty.
        let g = cache.generation();
        cache.put("h", &row(), g);
        cache.set_live(false);
        assert_eq!(cache.get("h"), None);
    }
}
