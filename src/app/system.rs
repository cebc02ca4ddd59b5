//! Keeping a server's database current, and what operators and their
//! monitoring read of a running server: whether it is ready to serve, and
//! the counts the metrics report.

use chrono::{DateTime, Utc};

use crate::app::Engine;
use crate::domain::names::FOLDING_VERSION;
use crate::store::cases::NameFolding;
use crate::store::{Store, StoreError, cases, duplicates, tallies};

/// Applies every pending migration, then brings what the migrations cannot
/// compute up to date: the name parts' search forms (refolded by
/// [`refold_names`] when the normaliser's [`FOLDING_VERSION`] is newer than
/// the stored forms') and the tallies (counted once, when a database has
/// cases but none).
pub async fn migrate(store: &Store, now: DateTime<Utc>) -> Result<(), StoreError> {
    store.migrate_schema().await?;
    let refold = refold_names(store, now, |r| {
        if r.members_read % 50_000 < REFOLD_BATCH {
            tracing::info!(
                members_read = r.members_read,
                members_changed = r.members_changed,
                "refolding the stored names' search forms"
            );
        }
    })
    .await?;
    if refold.members_read > 0 {
        tracing::info!(
            members_read = refold.members_read,
            members_changed = refold.members_changed,
            duplicates_flagged = refold.duplicates_flagged,
            version = FOLDING_VERSION,
            "refolded the stored names' search forms"
        );
    }
    if !tallies::any(store).await? && cases::count_applications(store).await? > 0 {
        let tally = tallies::recount(store).await?;
        let tx = store.begin().await?;
        tallies::replace_all(&tx, tally).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// How many members one refold batch reads (and at most writes).
const REFOLD_BATCH: u64 = 2000;

/// What a refold of the stored names did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Refold {
    /// Members read.
    pub members_read: u64,
    /// Members whose stored search forms changed.
    pub members_changed: u64,
    /// Possible duplicates the new forms revealed.
    pub duplicates_flagged: u64,
}

/// Refolds the stored search forms of every member whose forms were made
/// by an older version of the normaliser: walks the members by id in
/// batches, writes the forms that differ, and flags the possible duplicates
/// the new forms reveal (ڤيان and فيان of one birth year in two
/// applications), each batch in its own transaction together with the
/// progress, so a refold that is cut short goes on where it stopped and a
/// second server starting at the same time does no harm. `progress` hears
/// the running totals after each batch of members. Nothing is read when the stored
/// forms are current.
pub async fn refold_names(
    store: &Store,
    now: DateTime<Utc>,
    mut progress: impl FnMut(&Refold),
) -> Result<Refold, StoreError> {
    let mut done = Refold::default();
    loop {
        let state = cases::name_folding(store).await?;
        if state.version >= FOLDING_VERSION {
            return Ok(done);
        }
        let members = cases::members_after(store, state.after_member, REFOLD_BATCH).await?;
        let next = match members.last() {
            Some(last) => NameFolding {
                version: state.version,
                after_member: last.member_id,
            },
            None => NameFolding {
                version: FOLDING_VERSION,
                after_member: 0,
            },
        };
        let changed: Vec<_> = members
            .into_iter()
            .inspect(|_| done.members_read += 1)
            .filter(|m| m.current_forms() != m.forms)
            .collect();
        let mut applications: Vec<i64> = changed.iter().map(|m| m.application_id).collect();
        applications.sort_unstable();
        applications.dedup();
        let tx = store.begin().await?;
        if !cases::record_name_folding(&tx, state, next).await? {
            // Another server recorded this batch first; read the state again.
            tx.rollback().await?;
            continue;
        }
        cases::fill_name_parts(&tx, &changed).await?;
        done.duplicates_flagged += duplicates::detect(&tx, &applications, now).await?;
        tx.commit().await?;
        done.members_changed += changed.len() as u64;
        if next.version == state.version {
            progress(&done);
        }
    }
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

pub use crate::store::replica::ReplicaStatus;

/// What the last check of the read replica found; none when no replica
/// is set.
pub fn read_replica(engine: &Engine) -> Option<ReplicaStatus> {
    engine.store.replica().map(|r| r.status())
}

/// Serves one request whose caller is known by `caller` (a digest of the
/// credentials it came with; none for a visitor): a request that may
/// change something marks its caller, and for as long as the read replica
/// may lag, that caller's reads come from the primary, so that an officer
/// sees in the lists what they have just done. Without a replica it only
/// runs `work`.
pub async fn serve_request<F: std::future::Future>(
    engine: &Engine,
    caller: Option<u64>,
    changes: bool,
    work: F,
) -> F::Output {
    let (Some(replica), Some(caller)) = (engine.store.replica(), caller) else {
        return work.await;
    };
    if changes {
        replica.note_write(caller);
    }
    let own = replica.wrote_lately(caller);
    let output = crate::store::replica::reading_own_writes(own, work).await;
    if changes {
        // The window runs from the commit, which came after the start.
        replica.note_write(caller);
    }
    output
}
