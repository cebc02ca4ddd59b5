//! A PostgreSQL streaming replica for reads that may be a moment behind
//! (statistics, searches, lists, the portal's look-ups), set by
//! `CASEWORK_READ_DATABASE_URL`. Everything that writes, or must read its
//! own write, stays on the primary. The replica is used only while a check
//! (every second, by the server) finds it answering, in recovery, and no
//! further behind than `CASEWORK_READ_MAX_LAG_MS`; otherwise reads go to
//! the primary until a check finds it good again.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::{Duration, Instant};

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

use crate::store::StoreError;

/// The replica's connection and what the last check found.
pub struct Replica {
    db: DatabaseConnection,
    max_lag_ms: i64,
    usable: AtomicBool,
    /// The lag the last check measured (ms); -1 when it did not answer.
    lag_ms: AtomicI64,
    /// Callers (a digest of their credentials) who changed something
    /// lately, and when: their reads go to the primary for a while.
    writers: Mutex<HashMap<u64, Instant>>,
}

tokio::task_local! {
    /// Set for the reads of a request that must see its caller's own
    /// writes: they go to the primary.
    static OWN_WRITES: bool;
}

/// Runs `work` with its reads sent to the primary when `primary`.
pub async fn reading_own_writes<F: std::future::Future>(primary: bool, work: F) -> F::Output {
    OWN_WRITES.scope(primary, work).await
}

/// Whether the current request must read its own writes.
pub(crate) fn must_read_own_writes() -> bool {
    OWN_WRITES.try_with(|v| *v).unwrap_or(false)
}

/// What the last check of the replica found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReplicaStatus {
    /// Whether reads go to it.
    pub usable: bool,
    /// Its lag at the last check (ms); none when it did not answer.
    pub lag_ms: Option<i64>,
    pub max_lag_ms: i64,
}

impl std::fmt::Debug for Replica {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replica")
            .field("status", &self.status())
            .finish()
    }
}

impl Replica {
    /// A lazy pool on the replica: the server starts whether or not the
    /// replica answers, and reads go to it only once a check has found it
    /// good.
    pub async fn connect(
        url: &str,
        max_lag_ms: u32,
        max_connections: u32,
    ) -> Result<Replica, StoreError> {
        let mut options = ConnectOptions::new(url.to_string());
        options
            .max_connections(max_connections)
            .min_connections(0)
            .connect_lazy(true)
            .connect_timeout(Duration::from_secs(2))
            .acquire_timeout(Duration::from_secs(2))
            .sqlx_logging(false);
        let db = Database::connect(options).await?;
        if db.get_database_backend() != DbBackend::Postgres {
            return Err(StoreError::Corrupt(
                "CASEWORK_READ_DATABASE_URL must name a PostgreSQL replica".into(),
            ));
        }
        Ok(Replica {
            db,
            max_lag_ms: i64::from(max_lag_ms),
            usable: AtomicBool::new(false),
            lag_ms: AtomicI64::new(-1),
            writers: Mutex::default(),
        })
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    /// How long after a change its caller's reads stay on the primary: as
    /// long as the replica may lag and still be read, and a second more.
    fn own_writes_window(&self) -> Duration {
        Duration::from_millis(self.max_lag_ms as u64 + 1000)
    }

    /// Notes that `caller` changed something now.
    pub fn note_write(&self, caller: u64) {
        let now = Instant::now();
        let window = self.own_writes_window();
        if let Ok(mut writers) = self.writers.lock() {
            if writers.len() > 10_000 {
                writers.retain(|_, at| now.duration_since(*at) < window);
            }
            writers.insert(caller, now);
        }
    }

    /// Whether `caller` changed something within the window.
    pub fn wrote_lately(&self, caller: u64) -> bool {
        let window = self.own_writes_window();
        self.writers
            .lock()
            .ok()
            .and_then(|w| w.get(&caller).map(|at| at.elapsed() < window))
            .unwrap_or(false)
    }

    pub fn usable(&self) -> bool {
        self.usable.load(Ordering::Relaxed)
    }

    pub fn status(&self) -> ReplicaStatus {
        let lag = self.lag_ms.load(Ordering::Relaxed);
        ReplicaStatus {
            usable: self.usable(),
            lag_ms: (lag >= 0).then_some(lag),
            max_lag_ms: self.max_lag_ms,
        }
    }

    /// Measures the replica's lag: 0 when it has replayed all it received,
    /// else the time since the last transaction it replayed was committed.
    /// A server that is not in recovery (not a replica) or does not answer
    /// within a second is not used.
    pub async fn check(&self) -> ReplicaStatus {
        const LAG: &str = "SELECT pg_is_in_recovery() AS standby, \
             CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 \
             ELSE COALESCE(CAST(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) * 1000 AS BIGINT), 0) \
             END AS lag_ms";
        let answer = tokio::time::timeout(
            Duration::from_secs(1),
            self.db
                .query_one_raw(sea_orm::Statement::from_string(DbBackend::Postgres, LAG)),
        )
        .await;
        let lag = match answer {
            Ok(Ok(Some(row))) => {
                let standby: bool = row.try_get("", "standby").unwrap_or(false);
                let lag: i64 = row.try_get("", "lag_ms").unwrap_or(i64::MAX);
                standby.then_some(lag)
            }
            _ => None,
        };
        let usable = lag.is_some_and(|l| l <= self.max_lag_ms);
        let was = self.usable.swap(usable, Ordering::Relaxed);
        self.lag_ms.store(lag.unwrap_or(-1), Ordering::Relaxed);
        if was != usable {
            if usable {
                tracing::info!(lag_ms = lag, "the read replica is used again");
            } else {
                tracing::warn!(
                    lag_ms = lag,
                    max_lag_ms = self.max_lag_ms,
                    "the read replica is skipped: reads go to the primary"
                );
            }
        }
        self.status()
    }
}
