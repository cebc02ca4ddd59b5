//! Persistence: sea-orm entities and the queries casework needs.
//!
//! Architecture invariant: `DbErr` never leaves this module; callers see
//! [`StoreError`]. Functions take a [`Tx`] (or the [`Store`] for reads), and
//! only the `app` layer opens and commits transactions.

pub mod audit;
pub mod bench;
pub mod case_links;
pub mod cases;
pub mod checkpoints;
pub mod documents;
pub mod duplicates;
pub mod entities;
pub mod headline_days;
pub mod idempotency;
pub mod leases;
pub mod moves;
pub mod outbox;
pub mod partitions;
pub mod portal;
mod nodelay;
pub mod queries;
pub mod reminders;
pub mod replica;
pub mod sessions;
pub mod tallies;
pub mod targets;
mod token_cache;
pub mod users;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::PgSslMode;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, RuntimeErr, SqlErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// An error kept as the cause of a catch-all.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What can go wrong in the store, in terms callers act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Someone else changed the row first (optimistic concurrency).
    #[error("the record was changed by someone else")]
    Conflict,
    /// A unique constraint refused the write; it holds the constraint's
    /// name as the migrations give it (see [`unique_constraint`]).
    #[error("already exists (constraint {0})")]
    Duplicate(String),
    #[error("cannot reach the database")]
    Unavailable(#[source] DbErr),
    #[error("the stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error("unexpected database error")]
    Unexpected(#[source] BoxError),
}

/// The unique constraints as SQLite names them (`table.columns`, since it
/// does not report an index's name) with the names the migrations give
/// them, which PostgreSQL reports.
const UNIQUE_CONSTRAINTS: &[(&str, &str)] = &[
    ("members.national_number", "ux_members_national_number"),
    (
        "members.application_id, members.ordinal",
        "ux_members_application_ordinal",
    ),
    (
        "audit_events.application_id, audit_events.seq",
        "ux_audit_events_application_seq",
    ),
    ("applications.reference", "applications_reference_key"),
    ("users.name", "users_name_key"),
    ("users.token_hash", "users_token_hash_key"),
    ("agencies.name", "agencies_name_key"),
    ("agency_keys.key_hash", "agency_keys_key_hash_key"),
    ("outbox.dedupe_key", "ux_outbox_dedupe_key"),
    (
        "duplicate_flags.application_id, duplicate_flags.ordinal, duplicate_flags.other_application_id, duplicate_flags.other_ordinal, duplicate_flags.reason",
        "ux_duplicate_flags_pair",
    ),
    (
        "agency_access.agency_id, agency_access.seq",
        "ux_agency_access_agency_seq",
    ),
];

/// The unique constraint that gives a national number to one person only.
pub const NATIONAL_NUMBER_TAKEN: &str = "ux_members_national_number";

/// The name of the unique constraint a database error broke, whichever
/// database reported it; `None` when it broke no unique constraint.
fn unique_constraint(error: &DbErr) -> Option<String> {
    let Some(SqlErr::UniqueConstraintViolation(message)) = error.sql_err() else {
        return None;
    };
    if let DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) = error
        && let sea_orm::sqlx::Error::Database(e) = e.as_ref()
        && let Some(name) = e.constraint()
    {
        return Some(name.to_string());
    }
    // SQLite: "UNIQUE constraint failed: members.national_number".
    let columns = message.rsplit(": ").next().unwrap_or(&message);
    Some(
        UNIQUE_CONSTRAINTS
            .iter()
            .find(|(sqlite, _)| *sqlite == columns)
            .map_or_else(|| columns.to_string(), |(_, name)| name.to_string()),
    )
}

impl From<DbErr> for StoreError {
    fn from(error: DbErr) -> StoreError {
        if let Some(constraint) = unique_constraint(&error) {
            return StoreError::Duplicate(constraint);
        }
        match error {
            DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => StoreError::Unavailable(error),
            other => StoreError::Unexpected(Box::new(other)),
        }
    }
}

/// Cases bulk-loaded before the first statistics refresh.
const FIRST_ANALYZE: u64 = 400;

/// A connection pool to SQLite or PostgreSQL.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    slots: Arc<Slots>,
    /// Officers' token lookups (PostgreSQL, while listening; see
    /// [`Store::watch_users`]).
    tokens: Arc<token_cache::TokenCache>,
    /// Cases stored by bulk loads in this process, and the count at which
    /// the planner's statistics are refreshed next (see [`Store::bulk_loaded`]).
    bulk: Arc<(AtomicU64, AtomicU64)>,
    /// The read replica, when one is set (`CASEWORK_READ_DATABASE_URL`),
    /// shared by every clone of the store.
    replica: Arc<std::sync::OnceLock<Arc<replica::Replica>>>,
    /// Whether steps decided outside a transaction on PostgreSQL are
    /// written by the committer, in batches (see [`cases::group`]).
    group_commit: Arc<std::sync::atomic::AtomicBool>,
    /// The committer, started on first use.
    committer: Arc<std::sync::OnceLock<cases::group::Committer>>,
}

/// An open transaction. Dropping it without [`Tx::commit`] rolls back.
pub struct Tx {
    pub(crate) inner: DatabaseTransaction,
    /// The tally slot this transaction writes its statistics to.
    pub(crate) slot: SlotLease,
}

/// Tally slots: each open transaction of this process holds a different one
/// (the lowest free), so concurrent transitions add to different tally rows
/// instead of queueing behind one hot counter row.
#[derive(Debug, Default)]
pub(crate) struct Slots {
    taken: AtomicU64,
    overflow: AtomicU64,
}

/// A slot held until the transaction ends.
#[derive(Debug)]
pub(crate) struct SlotLease {
    slots: Arc<Slots>,
    /// The slot, 0..64.
    pub(crate) slot: i16,
    held: bool,
}

impl Slots {
    fn lease(self: &Arc<Slots>) -> SlotLease {
        let mut taken = self.taken.load(Ordering::Relaxed);
        loop {
            let free = !taken;
            if free == 0 {
                // More than 64 writers at once: share a slot.
                let slot = (self.overflow.fetch_add(1, Ordering::Relaxed) % 64) as i16;
                return SlotLease {
                    slots: self.clone(),
                    slot,
                    held: false,
                };
            }
            let bit = free.trailing_zeros();
            match self.taken.compare_exchange_weak(
                taken,
                taken | (1 << bit),
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    return SlotLease {
                        slots: self.clone(),
                        slot: bit as i16,
                        held: true,
                    };
                }
                Err(now) => taken = now,
            }
        }
    }
}

impl Drop for SlotLease {
    fn drop(&mut self) {
        if self.held {
            self.slots
                .taken
                .fetch_and(!(1_u64 << self.slot), Ordering::AcqRel);
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.inner.commit().await?)
    }

    /// Undoes everything the transaction wrote (a dry run's rehearsal).
    pub async fn rollback(self) -> Result<(), StoreError> {
        Ok(self.inner.rollback().await?)
    }
}

/// Connection settings.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    pub url: String,
    /// Pool size; SQLite writers serialise anyway, readers benefit from WAL.
    pub max_connections: u32,
}

impl Store {
    /// Connects, creating a SQLite file if it does not exist yet.
    pub async fn connect(options: &StoreOptions) -> Result<Store, StoreError> {
        let mut connect = ConnectOptions::new(options.url.clone());
        let plain_loopback = loopback_without_sslmode(&options.url);
        connect
            .max_connections(options.max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30))
            .sqlx_logging(false)
            // sqlx pings every connection it hands out by default: one more
            // round trip per query outside a transaction (a read made three
            // queries and three pings). Only a connection idle this long,
            // which a restarted server or a firewall may have dropped, is
            // pinged; a hot one that broke fails its query and is closed.
            .test_before_acquire_if_idle_for(Duration::from_secs(10))
            // TLS to a server on this machine protects nothing and cost a
            // fifth of the read rate (BENCHMARKS.md); an `sslmode` in the
            // URL is always obeyed.
            .map_sqlx_postgres_opts(move |o| {
                if plain_loopback {
                    o.ssl_mode(PgSslMode::Disable)
                } else {
                    o
                }
            })
            .map_sqlx_postgres_pool_opts(|pool| {
                pool.after_connect(|_, _| {
                    Box::pin(async {
                        nodelay::set_on_open_sockets();
                        Ok(())
                    })
                })
            })
            .map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(30))
                    .foreign_keys(true)
            });
        let db = Database::connect(connect).await?;
        Ok(Store {
            db,
            slots: Arc::default(),
            tokens: Arc::default(),
            bulk: Arc::new((AtomicU64::new(0), AtomicU64::new(FIRST_ANALYZE))),
            replica: Arc::default(),
            group_commit: Arc::new(std::sync::atomic::AtomicBool::new(true)),
            committer: Arc::default(),
        })
    }

    /// Whether steps on PostgreSQL are written by group commit (on unless
    /// switched off; `CASEWORK_GROUP_COMMIT=off`), for every clone of this
    /// store.
    pub fn set_group_commit(&self, on: bool) {
        self.group_commit.store(on, Ordering::Relaxed);
    }

    pub fn group_commit(&self) -> bool {
        self.group_commit.load(Ordering::Relaxed)
    }

    /// What the committer has done since this store was opened (steps
    /// handed to it, batches, steps in them).
    pub fn group_commit_figures(&self) -> cases::group::GroupCommitFigures {
        self.committer
            .get()
            .map(cases::group::Committer::figures)
            .unwrap_or_default()
    }

    /// Keeps the committer from starting a batch until the result is
    /// dropped, so that the steps handed to it meanwhile are written
    /// together (tests of batches; nothing else should call it).
    pub async fn hold_group_commits(&self) -> cases::group::HeldCommits {
        self.committer().hold().await
    }

    /// The committer of grouped steps, started on the current runtime the
    /// first time it is needed.
    pub(crate) fn committer(&self) -> &cases::group::Committer {
        self.committer
            .get_or_init(|| cases::group::Committer::start(self.db.clone(), self.slots.clone()))
    }

    /// This store with reads that may be a moment behind sent to
    /// `replica` while it is usable.
    pub fn with_replica(self, replica: replica::Replica) -> Store {
        self.attach_replica(replica);
        self
    }

    /// Sends reads that may be a moment behind to `replica` while it is
    /// usable, for every clone of this store; a store has one replica at
    /// most (a second is ignored).
    pub fn attach_replica(&self, replica: replica::Replica) {
        let _ = self.replica.set(Arc::new(replica));
    }

    /// The read replica, when one is set.
    pub fn replica(&self) -> Option<&replica::Replica> {
        self.replica.get().map(|r| r.as_ref())
    }

    /// Checks the read replica every second (a task of its own), so that
    /// reads leave it as soon as it lags or stops and come back when it
    /// catches up. `serve` calls it.
    pub fn watch_replica(&self) {
        let Some(replica) = self.replica.get().cloned() else {
            return;
        };
        tokio::spawn(async move {
            loop {
                replica.check().await;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    /// Where a read that may be a moment behind goes: the replica while
    /// the last check found it usable and the request's caller changed
    /// nothing lately (see [`replica::reading_own_writes`]), else the
    /// primary.
    pub(crate) fn reader(&self) -> &DatabaseConnection {
        match self.replica.get() {
            Some(replica) if replica.usable() && !replica::must_read_own_writes() => replica.conn(),
            _ => &self.db,
        }
    }

    /// On PostgreSQL, starts listening for changes to `users` (a task of
    /// its own, reconnecting after a second when the connection is lost)
    /// and serves officers' token lookups from memory while it listens.
    /// `serve` calls it; without it every lookup reads the database.
    pub fn watch_users(&self) {
        if self.is_sqlite() {
            return;
        }
        let pool = self.db.get_postgres_connection_pool().clone();
        let tokens = self.tokens.clone();
        tokio::spawn(async move {
            use sea_orm::sqlx::postgres::PgListener;
            loop {
                match PgListener::connect_with(&pool).await {
                    Ok(mut listener) => match listener.listen(token_cache::USERS_CHANNEL).await {
                        Ok(()) => {
                            tokens.set_live(true);
                            // `None`: the connection was lost.
                            while let Ok(Some(_)) = listener.try_recv().await {
                                tokens.invalidate();
                            }
                            tracing::warn!(
                                "lost the users listener; tokens are read from the database until it is back"
                            );
                        }
                        Err(error) => tracing::warn!(%error, "cannot listen for users changes"),
                    },
                    Err(error) => tracing::warn!(%error, "cannot open the users listener"),
                }
                tokens.set_live(false);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        });
    }

    /// Token lookups answered from memory since the process started.
    pub fn token_cache_hits(&self) -> u64 {
        self.tokens.hits()
    }

    /// Records that a bulk load stored `cases` more cases. On PostgreSQL,
    /// each time the cases bulk-loaded by this process double, the planner's
    /// statistics of the tables they fill are refreshed: a load into nearly
    /// empty tables otherwise keeps plans made for empty tables (a sequential
    /// scan per duplicate check) long after autovacuum would catch up.
    pub async fn bulk_loaded(&self, cases: u64) -> Result<(), StoreError> {
        let (loaded, next) = &*self.bulk;
        let total = loaded.fetch_add(cases, Ordering::Relaxed) + cases;
        let due = next.load(Ordering::Relaxed);
        if total < due
            || self.db.get_database_backend() != DbBackend::Postgres
            || next
                .compare_exchange(due, total * 2, Ordering::AcqRel, Ordering::Relaxed)
                .is_err()
        {
            return Ok(());
        }
        self.db
            .execute_unprepared("ANALYZE applications, members, duplicate_flags")
            .await?;
        Ok(())
    }

    /// Applies every pending migration (`app::system::migrate` also fills
    /// what older databases lack).
    pub async fn migrate_schema(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// The names of migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StoreError> {
        Ok(Migrator::get_pending_migrations(&self.db)
            .await?
            .iter()
            .map(|m| m.name().to_string())
            .collect())
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        Ok(self.db.ping().await?)
    }

    /// Begins a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the
    /// write lock is taken at once, so concurrent writers wait their turn
    /// (up to the busy timeout) instead of failing when a read lock cannot
    /// be upgraded.
    pub async fn begin(&self) -> Result<Tx, StoreError> {
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        let inner = self.db.begin_with_options(options).await?;
        Ok(Tx {
            inner,
            slot: self.slots.lease(),
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.db.get_database_backend() == DbBackend::Sqlite
    }

    pub fn backend_name(&self) -> &'static str {
        match self.db.get_database_backend() {
            DbBackend::Sqlite => "sqlite",
            DbBackend::Postgres => "postgres",
            _ => "other",
        }
    }

    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// A PostgreSQL URL naming this machine (`127.0.0.1`, `localhost`, `[::1]`)
/// that does not choose an `sslmode`.
fn loopback_without_sslmode(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("postgres://")
        .or_else(|| url.strip_prefix("postgresql://"))
    else {
        return false;
    };
    if url.contains("sslmode=") {
        return false;
    }
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.split(']').next().map(|h| &h[1..]).unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}

/// Makes `$1, $2…` placeholders into `?` for SQLite; raw statements are
/// written once in PostgreSQL style.
pub(crate) fn statement(
    backend: DbBackend,
    sql: &str,
    values: Vec<sea_orm::Value>,
) -> sea_orm::Statement {
    let sql = if backend == DbBackend::Sqlite {
        let mut out = String::with_capacity(sql.len());
        let mut chars = sql.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push('?');
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_string()
    };
    sea_orm::Statement::from_sql_and_values(backend, sql, values)
}

pub(crate) fn backend_of(conn: &impl ConnectionTrait) -> DbBackend {
    conn.get_database_backend()
}

#[cfg(test)]
mod url_tests {
    use super::loopback_without_sslmode;

    #[test]
    fn tls_is_left_off_only_for_this_machine_and_only_when_not_chosen() {
        assert!(loopback_without_sslmode(
            "postgres://postgres@127.0.0.1:5432/db"
        ));
        assert!(loopback_without_sslmode(
            "postgresql://u:p@localhost/db?application_name=x"
        ));
        assert!(loopback_without_sslmode("postgres://u@[::1]:5432/db"));
        assert!(!loopback_without_sslmode(
            "postgres://u@127.0.0.1/db?sslmode=require"
        ));
        assert!(!loopback_without_sslmode("postgres://u@db.example.org/db"));
        assert!(!loopback_without_sslmode(
            "postgres://u:127.0.0.1@db.example.org/db"
        ));
        assert!(!loopback_without_sslmode("sqlite://./casework.db"));
    }
}
