//! Signed checkpoints of every hash chain, and verifying the chains
//! against them.
//!
//! A checkpoint is one Merkle root over the heads of all chains (each
//! case's audit trail and each agency's access log), numbered, timed and
//! signed with an Ed25519 key read from a file (`CASEWORK_AUDIT_KEY_FILE`)
//! that is never in the database. Someone who can write the database but
//! does not hold the key can rewrite an event and recompute every later
//! hash and the head, and the plain chain check passes; the chain's hash
//! at the event the checkpoint covered then differs from the signed one,
//! and altering the stored heads to match breaks the signed root.
//! Checkpoints may also be appended to a file outside the database
//! (`CASEWORK_AUDIT_CHECKPOINT_LOG`), one JSON line each, so that deleting
//! the newest ones from the database shows too.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
pub use ed25519_dalek::{SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::app::{AppError, Engine};
use crate::domain::audit::{audit_time, chain_time};
use crate::domain::checkpoint::{
    self, ChainHead, ChainKind, CheckpointBody, MerkleBuilder, signature_holds,
};
use crate::store::StoreError;
use crate::store::audit::{self, VerifyReport, Walk};
use crate::store::checkpoints::{self, CheckpointRow};
use crate::store::partitions::{self, Made, Partition};
use crate::store::portal::{self, AccessReport};

/// The lease that makes the scheduled checkpoint once across servers.
const LEASE: &str = "audit_checkpoint";
/// Heads read per query.
const PAGE: u64 = 5000;

/// What the server needs to make checkpoints: the key, how often, and the
/// file they are also appended to.
#[derive(Clone)]
pub struct CheckpointSettings {
    pub key: Arc<SigningKey>,
    /// How long after the newest checkpoint the scheduler makes another.
    pub every: Duration,
    /// An append-only file outside the database (one JSON line each).
    pub log: Option<PathBuf>,
}

impl std::fmt::Debug for CheckpointSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key itself: only the name of its public half.
        f.debug_struct("CheckpointSettings")
            .field("key_id", &checkpoint::key_id(&self.key.verifying_key()))
            .field("every", &self.every)
            .field("log", &self.log)
            .finish()
    }
}

/// Why a key file cannot be used or written. The key is never in it.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("{path} already exists; a key is never overwritten (move it away first)")]
    Exists { path: String },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} {problem}")]
    Malformed { path: String, problem: String },
    #[error("no randomness for a new key: {0}")]
    Random(String),
}

/// Writes a new signing key to `path` (mode 0600, never over an existing
/// file) and returns its public half, to be printed for safekeeping.
pub fn keygen(path: &Path) -> Result<VerifyingKey, KeyFileError> {
    let shown = path.display().to_string();
    let mut secret = [0_u8; 32];
    getrandom::fill(&mut secret).map_err(|e| KeyFileError::Random(e.to_string()))?;
    let key = SigningKey::from_bytes(&secret);
    secret.fill(0);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AlreadyExists {
            KeyFileError::Exists {
                path: shown.clone(),
            }
        } else {
            KeyFileError::Write {
                path: shown.clone(),
                source,
            }
        }
    })?;
    file.write_all(checkpoint::signing_key_text(&key).as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|source| KeyFileError::Write {
            path: shown,
            source,
        })?;
    Ok(key.verifying_key())
}

/// Reads the signing key `keygen` wrote.
pub fn read_key(path: &Path) -> Result<SigningKey, KeyFileError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| KeyFileError::Read {
        path: shown.clone(),
        source,
    })?;
    checkpoint::parse_signing_key(&text).map_err(|problem| KeyFileError::Malformed {
        path: shown,
        problem,
    })
}

/// A checkpoint as the log file holds it, one JSON object a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointLine {
    pub number: i64,
    /// The time exactly as signed (UTC, microseconds).
    pub at: String,
    pub chains: i64,
    pub root: String,
    pub key_id: String,
    pub public_key: String,
    pub signature: String,
}

impl From<&CheckpointRow> for CheckpointLine {
    fn from(row: &CheckpointRow) -> CheckpointLine {
        CheckpointLine {
            number: row.number,
            at: chain_time(row.at),
            chains: row.chains,
            root: row.root.clone(),
            key_id: row.key_id.clone(),
            public_key: row.public_key.clone(),
            signature: row.signature.clone(),
        }
    }
}

fn body_of(row: &CheckpointRow) -> CheckpointBody {
    CheckpointBody {
        number: row.number,
        at: row.at,
        chains: row.chains,
        root: row.root.clone(),
    }
}

/// Makes a checkpoint now: every chain's current head under one signed
/// root, stored with the heads that changed since the one before and
/// appended to the log file when there is one.
pub async fn checkpoint(
    engine: &Engine,
    settings: &CheckpointSettings,
    now: DateTime<Utc>,
) -> Result<CheckpointRow, AppError> {
    let at = audit_time(now);
    // Two makers at once collide on the number; the loser reads again.
    let mut attempts = 0;
    let row = loop {
        attempts += 1;
        let previous = checkpoints::latest(&engine.store).await?;
        let number = previous.as_ref().map_or(1, |p| p.number + 1);
        let (root, chains, changed) =
            current_root(engine, previous.as_ref().map(|p| p.number)).await?;
        let body = CheckpointBody {
            number,
            at,
            chains,
            root,
        };
        let public = settings.key.verifying_key();
        let row = CheckpointRow {
            number,
            at,
            chains,
            root: body.root.clone(),
            key_id: checkpoint::key_id(&public),
            public_key: checkpoint::public_key_hex(&public),
            signature: checkpoint::sign(&settings.key, &body),
        };
        let tx = engine.store.begin().await?;
        match checkpoints::insert(&tx, &row, &changed).await {
            Ok(()) => {
                tx.commit().await?;
                break row;
            }
            Err(StoreError::Duplicate(_)) if attempts < 5 => continue,
            Err(error) => return Err(error.into()),
        }
    };
    if let Some(path) = &settings.log {
        append_line(path, &CheckpointLine::from(&row)).map_err(|e| {
            AppError::unexpected(format!(
                "checkpoint {} is stored but cannot be appended to {}: {e}",
                row.number,
                path.display()
            ))
        })?;
    }
    Ok(row)
}

fn append_line(path: &Path, line: &CheckpointLine) -> std::io::Result<()> {
    let mut text = serde_json::to_string(line).map_err(std::io::Error::other)?;
    text.push('\n');
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// The root over every chain's current head, how many chains, and the
/// heads that differ from what checkpoint `previous` covered.
async fn current_root(
    engine: &Engine,
    previous: Option<i64>,
) -> Result<(String, i64, Vec<ChainHead>), AppError> {
    let mut tree = MerkleBuilder::new();
    let mut changed = Vec::new();
    for kind in ChainKind::ALL {
        let mut after_id = 0_i64;
        loop {
            let heads = checkpoints::current_heads(&engine.store, kind, after_id, PAGE).await?;
            let Some(last) = heads.last() else { break };
            let covered = match previous {
                Some(number) => {
                    checkpoints::covered_heads(
                        &engine.store,
                        kind,
                        number,
                        after_id,
                        Some(last.chain_id),
                        PAGE,
                    )
                    .await?
                }
                None => Vec::new(),
            };
            after_id = last.chain_id;
            let mut covered = covered.into_iter().peekable();
            for head in heads {
                tree.push(&head);
                while covered.next_if(|c| c.chain_id < head.chain_id).is_some() {}
                if covered.next_if(|c| *c == head).is_none() {
                    changed.push(head);
                }
            }
        }
    }
    Ok((tree.root(), tree.leaves() as i64, changed))
}

/// The root over the heads checkpoint `number` covered, and how many.
async fn covered_root(engine: &Engine, number: i64) -> Result<(String, i64), AppError> {
    let mut tree = MerkleBuilder::new();
    for kind in ChainKind::ALL {
        let mut after_id = 0_i64;
        loop {
            let heads =
                checkpoints::covered_heads(&engine.store, kind, number, after_id, None, PAGE)
                    .await?;
            let Some(last) = heads.last() else { break };
            after_id = last.chain_id;
            heads.iter().for_each(|h| tree.push(h));
        }
    }
    Ok((tree.root(), tree.leaves() as i64))
}

/// The scheduler's part: a checkpoint when the newest is `every` old (or
/// there is none), by one server at a time. `None` when none was due,
/// another server holds the lease, or no key is configured.
pub async fn checkpoint_due(
    engine: &Engine,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Option<CheckpointRow>, AppError> {
    let Some(settings) = &engine.settings.checkpoints else {
        return Ok(None);
    };
    if let Some(latest) = checkpoints::latest(&engine.store).await?
        && now < latest.at + settings.every
    {
        return Ok(None);
    }
    let store = &engine.store;
    if !crate::store::leases::try_lease(store, LEASE, holder, now, now + Duration::minutes(30))
        .await?
    {
        return Ok(None);
    }
    // Another server may have made one between the look and the lease.
    let due = match checkpoints::latest(store).await? {
        Some(latest) => now >= latest.at + settings.every,
        None => true,
    };
    let made = if due {
        checkpoint(engine, settings, now).await.map(Some)
    } else {
        Ok(None)
    };
    crate::store::leases::release_lease(store, LEASE, holder).await?;
    made
}

/// Everything `casework audit verify` found.
#[derive(Clone, Debug)]
pub struct AuditReport {
    pub cases: VerifyReport,
    pub access: AccessReport,
    /// How many checkpoints are stored.
    pub checkpoints: usize,
    /// The checkpoint the chains were compared with: the newest whose
    /// signature holds (the newest at all without a public key).
    pub compared_with: Option<CheckpointRow>,
    /// Whether only what came after that checkpoint's heads was read
    /// (`false`: every event of every chain).
    pub incremental: bool,
    /// Whether the signatures were checked (a public key was given).
    pub signatures_checked: bool,
    /// Problems of the checkpoints themselves: forged, missing, altered
    /// heads, or differing from the log file.
    pub checkpoint_problems: Vec<String>,
}

impl AuditReport {
    /// Whether anything at all is broken.
    pub fn broken(&self) -> bool {
        !self.cases.broken.is_empty()
            || !self.access.broken.is_empty()
            || !self.checkpoint_problems.is_empty()
    }
}

/// How `verify` walks the chains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Every event of every chain, even where a trusted checkpoint covers
    /// them. Otherwise, when a checkpoint's signature holds, each chain it
    /// covered is read from the event it covered on: that event's stored
    /// hash must still be the signed one, and the events after it must
    /// link to it. What that cannot see: an event before the covered one
    /// altered or removed without the later hashes recomputed (the
    /// covered event's hash is unchanged then); only a full walk finds it.
    pub full: bool,
    /// Parts of the history read and checked at once, each on its own
    /// connection.
    pub jobs: usize,
}

impl Default for VerifyOptions {
    fn default() -> VerifyOptions {
        VerifyOptions {
            full: true,
            jobs: 4,
        }
    }
}

/// Verifies every chain, and each against the newest checkpoint whose
/// signature `public_key` verifies; checks every checkpoint's signature,
/// their numbering, the stored heads against the signed root, and, with
/// `log`, the checkpoints of that file against the database's. Every
/// event is read (see [`verify_with`] for the incremental walk).
pub async fn verify(
    engine: &Engine,
    public_key: Option<&VerifyingKey>,
    log: Option<&Path>,
) -> Result<AuditReport, AppError> {
    verify_with(engine, public_key, log, VerifyOptions::default()).await
}

/// As [`verify`], walking the chains as `options` say: incremental when
/// `options.full` is off and a trusted checkpoint exists.
pub async fn verify_with(
    engine: &Engine,
    public_key: Option<&VerifyingKey>,
    log: Option<&Path>,
    options: VerifyOptions,
) -> Result<AuditReport, AppError> {
    let stored = checkpoints::all(&engine.store).await?;
    let mut problems = Vec::new();
    let mut trusted: Option<&CheckpointRow> = None;
    let mut next = 1;
    for row in &stored {
        if row.number != next {
            problems.push(format!(
                "checkpoints {next} to {} are missing: checkpoints were deleted",
                row.number - 1
            ));
        }
        next = row.number + 1;
        let holds = match public_key {
            Some(key) => signature_holds(key, &body_of(row), &row.signature),
            None => true,
        };
        if holds {
            trusted = Some(row);
        } else {
            problems.push(format!(
                "checkpoint {} of {}: its signature does not verify with the given public key: the checkpoint is forged",
                row.number,
                chain_time(row.at)
            ));
        }
    }
    if let Some(path) = log {
        problems.extend(compare_log(path, &stored, public_key)?);
    }
    let number = trusted.map(|c| c.number);
    if let Some(row) = trusted {
        let (root, chains) = covered_root(engine, row.number).await?;
        if root != row.root || chains != row.chains {
            problems.push(format!(
                "checkpoint {}: the {chains} chain heads stored for it do not hash to its signed root over {} chains: the stored heads were altered",
                row.number, row.chains
            ));
        }
    }
    let walk = Walk {
        checkpoint: number,
        incremental: !options.full && number.is_some(),
        jobs: options.jobs.max(1),
    };
    let cases = audit::verify_with(&engine.store, walk).await?;
    let access = portal::verify_with(&engine.store, walk).await?;
    Ok(AuditReport {
        cases,
        access,
        checkpoints: stored.len(),
        compared_with: trusted.cloned(),
        incremental: walk.incremental,
        signatures_checked: public_key.is_some(),
        checkpoint_problems: problems,
    })
}

/// The lease that makes the history's partitions once across servers.
const PARTITIONS_LEASE: &str = "audit_partitions";

/// How many months ahead of this one the history's partitions are made.
pub const PARTITION_MONTHS_AHEAD: u32 = 3;

/// The history's partitions (PostgreSQL; none on SQLite), making those of
/// this month and the `ahead` after it first when they are missing.
pub async fn partitions(
    engine: &Engine,
    now: DateTime<Utc>,
    ahead: u32,
) -> Result<(Vec<Made>, Vec<Partition>), AppError> {
    let made = make_partitions(engine, now, ahead).await?;
    Ok((made, partitions::list(&engine.store).await?))
}

/// The missing partitions of this month and the `ahead` after it made,
/// each in a transaction of its own (it locks the DEFAULT partition).
pub async fn make_partitions(
    engine: &Engine,
    now: DateTime<Utc>,
    ahead: u32,
) -> Result<Vec<Made>, AppError> {
    let mut made = Vec::new();
    for (table, month) in partitions::missing(&engine.store, now, ahead).await? {
        let tx = engine.store.begin().await?;
        made.push(partitions::create(&tx, table, month).await?);
        tx.commit().await?;
    }
    Ok(made)
}

/// The scheduler's part: the partitions of this month and the next
/// [`PARTITION_MONTHS_AHEAD`] made when one is missing, by one server at a
/// time. Returns what was made (nothing on SQLite, or when another server
/// holds the lease).
pub async fn partitions_due(
    engine: &Engine,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Made>, AppError> {
    let store = &engine.store;
    if !partitions::partitioned(store) {
        return Ok(Vec::new());
    }
    let missing = !partitions::missing(store, now, PARTITION_MONTHS_AHEAD)
        .await?
        .is_empty();
    if !missing
        || !crate::store::leases::try_lease(
            store,
            PARTITIONS_LEASE,
            holder,
            now,
            now + Duration::minutes(10),
        )
        .await?
    {
        return Ok(Vec::new());
    }
    let made = make_partitions(engine, now, PARTITION_MONTHS_AHEAD).await;
    crate::store::leases::release_lease(store, PARTITIONS_LEASE, holder).await?;
    made
}

/// The log file's checkpoints against the database's: each line's
/// signature, and the same checkpoint stored.
fn compare_log(
    path: &Path,
    stored: &[CheckpointRow],
    public_key: Option<&VerifyingKey>,
) -> Result<Vec<String>, AppError> {
    let shown = path.display();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        // Nothing signed yet, so nothing written yet.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && stored.is_empty() => {
            return Ok(Vec::new());
        }
        Err(e) => {
            return Ok(vec![format!(
                "the checkpoint log {shown} cannot be read: {e} ({} checkpoints are stored)",
                stored.len()
            )]);
        }
    };
    let mut problems = Vec::new();
    for (index, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let place = format!("{shown}:{}", index + 1);
        let Ok(line) = serde_json::from_str::<CheckpointLine>(line) else {
            problems.push(format!("{place}: not a checkpoint line"));
            continue;
        };
        let Ok(at) = DateTime::parse_from_rfc3339(&line.at) else {
            problems.push(format!("{place}: its time '{}' is not a time", line.at));
            continue;
        };
        let body = CheckpointBody {
            number: line.number,
            at: at.with_timezone(&Utc),
            chains: line.chains,
            root: line.root.clone(),
        };
        if let Some(key) = public_key
            && !signature_holds(key, &body, &line.signature)
        {
            problems.push(format!(
                "{place}: checkpoint {}'s signature does not verify with the given public key: the line is forged",
                line.number
            ));
            continue;
        }
        match stored.iter().find(|c| c.number == line.number) {
            None => problems.push(format!(
                "{place}: checkpoint {} of {} is not in the database: it was deleted",
                line.number, line.at
            )),
            Some(row) if CheckpointLine::from(row) != line => problems.push(format!(
                "{place}: checkpoint {} in the database differs from the log file's: it was altered",
                line.number
            )),
            Some(_) => {}
        }
    }
    Ok(problems)
}
