//! What operators and their monitoring read of a running server: whether
//! it is ready to serve, and the counts the metrics report.

use crate::app::Engine;
use crate::store::cases;

/// Whether the server can serve requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readiness {
    /// The database answered a ping.
    pub database_reachable: bool,
    /// Migrations not yet applied (`unknown` when they could not be read).
    pub pending_migrations: Vec<String>,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.database_reachable && self.pending_migrations.is_empty()
    }
}

pub async fn readiness(engine: &Engine) -> Readiness {
    let database_reachable = engine.store.ping().await.is_ok();
    let pending_migrations = engine
        .store
        .pending_migrations()
        .await
        .unwrap_or_else(|_| vec!["unknown".into()]);
    Readiness {
        database_reachable,
        pending_migrations,
    }
}

/// The counts `/metrics` reports beside the request metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gauges {
    /// Mail waiting in the outbox; -1 when the database did not answer.
    pub outbox_pending: i64,
    /// Officers' token lookups answered from memory.
    pub token_cache_hits: u64,
}

pub async fn gauges(engine: &Engine) -> Gauges {
    Gauges {
        outbox_pending: cases::count_outbox_pending(&engine.store)
            .await
            .map_or(-1, |n| n as i64),
        token_cache_hits: engine.store.token_cache_hits(),
    }
}
