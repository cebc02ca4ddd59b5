//! Keeping a server's database current, and what operators and their
//! monitoring read of a running server: whether it is ready to serve, and
//! the counts the metrics report.

use crate::app::Engine;
use crate::store::{Store, StoreError, cases, tallies};

/// Applies every pending migration, then fills in what a database from
/// before a migration lacks: the name parts' search forms (in batches of
/// 2,000, each its own transaction) and the tallies (counted once).
pub async fn migrate(store: &Store) -> Result<(), StoreError> {
    store.migrate_schema().await?;
    let mut after = 0_i64;
    loop {
        let members = cases::members_without_name_parts(store, after, 2000).await?;
        let Some(last) = members.last() else { break };
        after = last.member_id;
        let tx = store.begin().await?;
        cases::fill_name_parts(&tx, &members).await?;
        tx.commit().await?;
    }
    if !tallies::any(store).await? && cases::count_applications(store).await? > 0 {
        let tally = tallies::recount(store).await?;
        let tx = store.begin().await?;
        tallies::replace_all(&tx, tally).await?;
        tx.commit().await?;
    }
    Ok(())
}

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
