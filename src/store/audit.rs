//! The audit trail as stored: append-only and hash-chained per application
//! (the hashing itself is pure, in [`crate::domain::audit`]).
//!
//! The application row keeps the chain's head (`audit_seq`, `last_hash`),
//! so appending needs no extra query and a truncated chain is caught too.

use futures_util::StreamExt;
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryResult, Value};

use crate::domain::audit::{GENESIS, SealedEvent, event_hash};
use crate::domain::checkpoint::{ChainHead, ChainKind};
use crate::store::checkpoints::{self, ChainSeen, Coverage};
use crate::store::entities::audit_event;
use crate::store::{Store, StoreError, Tx, backend_of, statement};

pub(crate) fn active_model(application_id: i64, event: &SealedEvent) -> audit_event::ActiveModel {
    audit_event::ActiveModel {
        application_id: Set(application_id),
        seq: Set(event.seq),
        at: Set(event.draft.at),
        actor: Set(event.draft.actor.clone()),
        action: Set(event.draft.action.clone()),
        member: Set(event.draft.member.map(|m| m as i32)),
        from_state: Set(event.draft.from_state.clone()),
        to_state: Set(event.draft.to_state.clone()),
        payload: Set(event.payload_text.clone()),
        prev_hash: Set(event.prev_hash.clone()),
        hash: Set(event.hash.clone()),
        ..Default::default()
    }
}

/// Appends sealed events (inside the caller's transaction).
pub async fn append(
    tx: &Tx,
    application_id: i64,
    events: &[SealedEvent],
) -> Result<(), StoreError> {
    insert_models(
        tx,
        events
            .iter()
            .map(|e| active_model(application_id, e))
            .collect(),
    )
    .await
}

pub(crate) async fn insert_models(
    tx: &Tx,
    models: Vec<audit_event::ActiveModel>,
) -> Result<(), StoreError> {
    // 12 columns per row; stay well under SQLite's 32,766 bound parameters.
    let mut models = models;
    while !models.is_empty() {
        let rest = models.split_off(models.len().min(2000));
        audit_event::Entity::insert_many(models)
            .exec_without_returning(&tx.inner)
            .await?;
        models = rest;
    }
    Ok(())
}

/// A broken link found by [`verify`]: the first one of its chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenLink {
    pub reference: String,
    pub seq: i64,
    pub problem: String,
}

/// What a verification found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    pub applications: u64,
    /// The events read and checked (after the checkpoint's heads only,
    /// on an incremental walk).
    pub events: u64,
    /// The first broken link met (of [`VerifyReport::broken`]).
    pub first_broken: Option<BrokenLink>,
    /// Every broken chain, one entry each (its first problem), in id
    /// order, then the chains a checkpoint covered that are gone.
    pub broken: Vec<BrokenLink>,
    /// How the intact chains stand against the checkpoint compared with
    /// (all "not yet covered" without one).
    pub coverage: Coverage,
}

impl VerifyReport {
    fn empty() -> VerifyReport {
        VerifyReport {
            applications: 0,
            events: 0,
            first_broken: None,
            broken: Vec::new(),
            coverage: Coverage::default(),
        }
    }
}

/// How to walk the chains: against which checkpoint, whether only what
/// came after its heads, and on how many connections at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Walk {
    /// The checkpoint the chains are compared with.
    pub checkpoint: Option<i64>,
    /// Read each covered chain from the event the checkpoint covered on
    /// (that event's stored hash must still be the signed one) instead of
    /// from its first event. Needs `checkpoint`.
    pub incremental: bool,
    /// Parts of the history read and checked at once (each on a
    /// connection of its own).
    pub jobs: usize,
}

impl Walk {
    /// Every event of every chain, on `jobs` connections.
    pub fn full(checkpoint: Option<i64>, jobs: usize) -> Walk {
        Walk {
            checkpoint,
            incremental: false,
            jobs,
        }
    }

    fn reads_from_covered(&self) -> bool {
        self.incremental && self.checkpoint.is_some()
    }
}

/// Applications per part of the walk (one query for their events).
const APPLICATIONS_PER_PART: i64 = 2000;

/// Walks every application's chain and names the first broken link of
/// each: an edited row, a removed or inserted row, or a chain cut short.
pub async fn verify(store: &Store) -> Result<VerifyReport, StoreError> {
    verify_with(store, Walk::full(None, 4)).await
}

/// As [`verify`], and compares each intact chain with the head checkpoint
/// `walk.checkpoint` covered: a chain rewritten with every later hash and
/// its head recomputed no longer has the signed hash at the covered
/// event, and a chain cut back or deleted no longer reaches it. The
/// applications are walked in parts of consecutive ids, `walk.jobs` parts
/// at once, and the parts' findings joined in id order (the report is the
/// same whatever `jobs`).
pub async fn verify_with(store: &Store, walk: Walk) -> Result<VerifyReport, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let bounds = conn
        .query_one_raw(statement(
            backend,
            "SELECT MIN(id) AS low, MAX(id) AS high FROM applications",
            vec![],
        ))
        .await?;
    let (mut low, mut high) = match &bounds {
        Some(row) => (
            row.try_get::<Option<i64>>("", "low")?.unwrap_or(1),
            row.try_get::<Option<i64>>("", "high")?.unwrap_or(0),
        ),
        None => (1, 0),
    };
    if let Some(number) = walk.checkpoint {
        // Chains covered whose application is gone may lie outside.
        let covered = conn
            .query_one_raw(statement(
                backend,
                "SELECT MIN(chain_id) AS low, MAX(chain_id) AS high FROM audit_checkpoint_heads \
                 WHERE kind = $1 AND checkpoint <= $2",
                vec![ChainKind::Case.as_str().into(), number.into()],
            ))
            .await?;
        if let Some(row) = covered
            && let (Some(l), Some(h)) = (
                row.try_get::<Option<i64>>("", "low")?,
                row.try_get::<Option<i64>>("", "high")?,
            )
        {
            low = low.min(l);
            high = high.max(h);
        }
    }
    let mut parts = Vec::new();
    let mut first = low;
    while first <= high {
        let last = first.saturating_add(APPLICATIONS_PER_PART - 1).min(high);
        parts.push((first, last));
        first = last + 1;
    }
    let mut results = futures_util::stream::iter(parts.into_iter().map(|(first, last)| {
        let store = store.clone();
        tokio::spawn(async move { verify_part(&store, walk, first, last).await })
    }))
    .buffered(walk.jobs.max(1));
    let mut report = VerifyReport::empty();
    while let Some(part) = results.next().await {
        let part = part.map_err(|e| StoreError::Unexpected(Box::new(e)))??;
        report.applications += part.applications;
        report.events += part.events;
        report.broken.extend(part.broken);
        report.coverage.intact += part.coverage.intact;
        report.coverage.not_yet_covered_chains += part.coverage.not_yet_covered_chains;
        report.coverage.not_yet_covered_links += part.coverage.not_yet_covered_links;
    }
    report.first_broken = report.broken.first().cloned();
    Ok(report)
}

/// An application's chain head and state as its row keeps them.
struct ChainRow {
    id: i64,
    reference: String,
    audit_seq: i64,
    last_hash: String,
    state: String,
}

/// One stored event, as verification reads it.
struct EventRow {
    application_id: i64,
    seq: i64,
    at: chrono::DateTime<chrono::Utc>,
    actor: String,
    action: String,
    member: Option<i32>,
    from_state: String,
    to_state: String,
    payload: String,
    prev_hash: String,
    hash: String,
}

const EVENT_COLUMNS: &str = "e.application_id, e.seq, e.at, e.actor, e.action, e.member, \
    e.from_state, e.to_state, e.payload, e.prev_hash, e.hash";

fn event_of(row: &QueryResult) -> Result<EventRow, StoreError> {
    Ok(EventRow {
        application_id: row.try_get("", "application_id")?,
        seq: row.try_get("", "seq")?,
        at: row.try_get("", "at")?,
        actor: row.try_get("", "actor")?,
        action: row.try_get("", "action")?,
        member: row.try_get("", "member")?,
        from_state: row.try_get("", "from_state")?,
        to_state: row.try_get("", "to_state")?,
        payload: row.try_get("", "payload")?,
        prev_hash: row.try_get("", "prev_hash")?,
        hash: row.try_get("", "hash")?,
    })
}

/// The applications with ids `first..=last` (and the chains a checkpoint
/// covered there): their events read in one query and checked.
async fn verify_part(
    store: &Store,
    walk: Walk,
    first: i64,
    last: i64,
) -> Result<VerifyReport, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let mut report = VerifyReport::empty();
    let apps = conn
        .query_all_raw(statement(
            backend,
            "SELECT id, reference, audit_seq, last_hash, state FROM applications \
             WHERE id BETWEEN $1 AND $2 ORDER BY id",
            vec![first.into(), last.into()],
        ))
        .await?
        .iter()
        .map(|row| {
            Ok(ChainRow {
                id: row.try_get("", "id")?,
                reference: row.try_get("", "reference")?,
                audit_seq: row.try_get("", "audit_seq")?,
                last_hash: row.try_get("", "last_hash")?,
                state: row.try_get("", "state")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let covered = match walk.checkpoint {
        Some(number) => {
            checkpoints::covered_heads(
                store,
                ChainKind::Case,
                number,
                first - 1,
                Some(last),
                u64::MAX >> 1,
            )
            .await?
        }
        None => Vec::new(),
    };
    // Where each chain's walk starts: its first event, or (incremental)
    // the event the checkpoint covered.
    let starts: std::collections::HashMap<i64, i64> = if walk.reads_from_covered() {
        covered.iter().map(|h| (h.chain_id, h.seq.max(1))).collect()
    } else {
        std::collections::HashMap::new()
    };
    let start_of = |app: &ChainRow| -> i64 { starts.get(&app.id).copied().unwrap_or(1) };
    // Incremental: the chains still ending where the checkpoint covered
    // them (the row's head is the signed one and no event lies beyond it)
    // are not read at all.
    let unchanged: std::collections::HashSet<i64> = if walk.reads_from_covered() {
        unchanged_since(store, &apps, &covered, first, last).await?
    } else {
        std::collections::HashSet::new()
    };
    let to_read: Vec<&ChainRow> = apps.iter().filter(|a| !unchanged.contains(&a.id)).collect();
    let events = if to_read.is_empty() {
        Vec::new()
    } else if walk.reads_from_covered() {
        let mut rows = Vec::new();
        for chunk in to_read.chunks(1000) {
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 2);
            let mut tuples = Vec::with_capacity(chunk.len());
            for app in chunk {
                tuples.push(format!("(${}, ${})", values.len() + 1, values.len() + 2));
                values.push(app.id.into());
                values.push(start_of(app).into());
            }
            rows.extend(
                conn.query_all_raw(statement(
                    backend,
                    &format!(
                        "WITH v(id, s) AS (VALUES {}) SELECT {EVENT_COLUMNS} FROM v \
                         JOIN audit_events e ON e.application_id = v.id AND e.seq >= v.s \
                         ORDER BY e.application_id, e.seq",
                        tuples.join(", ")
                    ),
                    values,
                ))
                .await?,
            );
        }
        rows
    } else {
        conn.query_all_raw(statement(
            backend,
            &format!(
                "SELECT {EVENT_COLUMNS} FROM audit_events e WHERE e.application_id BETWEEN $1 AND $2 \
                 ORDER BY e.application_id, e.seq"
            ),
            vec![first.into(), last.into()],
        ))
        .await?
    };
    let mut events = events
        .iter()
        .map(event_of)
        .collect::<Result<Vec<_>, StoreError>>()?
        .into_iter()
        .peekable();
    let mut covered = covered.into_iter().peekable();
    for app in &apps {
        report.applications += 1;
        // Chains a checkpoint covered whose application is gone.
        while let Some(gone) = covered.next_if(|h| h.chain_id < app.id) {
            report.broken.push(deleted(&gone, walk.checkpoint));
        }
        let covered_head = covered.next_if(|h| h.chain_id == app.id);
        if unchanged.contains(&app.id) {
            report.coverage.intact += 1;
            continue;
        }
        let covered_seq = covered_head.as_ref().map(|h| h.seq);
        let start = start_of(app);
        let mut hash_at_covered = (covered_seq == Some(0)).then(|| GENESIS.to_string());
        let mut problem: Option<(i64, String)> = None;
        let mut prev_seq = start - 1;
        // From the covered event on, its predecessor is not read: its
        // own hash is compared with the signed one instead.
        let mut prev_hash = (start == 1).then(|| GENESIS.to_string());
        let mut last_state = String::new();
        while let Some(event) = events.next_if(|e| e.application_id == app.id) {
            report.events += 1;
            if problem.is_some() {
                continue;
            }
            problem = if event.seq != prev_seq + 1 {
                Some(format!(
                    "expected event {} but found event {}: an event is missing or was inserted",
                    prev_seq + 1,
                    event.seq
                ))
            } else if prev_hash.as_ref().is_some_and(|p| *p != event.prev_hash) {
                Some("its predecessor hash does not match the previous event".to_string())
            } else if event.hash
                != event_hash(
                    &app.reference,
                    event.seq,
                    event.at,
                    &event.actor,
                    &event.action,
                    event.member,
                    &event.from_state,
                    &event.to_state,
                    &event.payload,
                    &event.prev_hash,
                )
            {
                Some("its hash does not match its contents: the row was altered".to_string())
            } else {
                None
            }
            .map(|p| (event.seq, p));
            if Some(event.seq) == covered_seq {
                hash_at_covered = Some(event.hash.clone());
            }
            prev_seq = event.seq;
            prev_hash = Some(event.hash);
            last_state = event.to_state;
        }
        // Incremental: the covered event was not found. With the head
        // set back below it, the comparison with the checkpoint names it.
        let covered_gone = start > 1 && prev_seq < start;
        let head_matches = prev_seq == app.audit_seq
            && prev_hash
                .as_deref()
                .is_none_or(|hash| hash == app.last_hash);
        if problem.is_none() && covered_gone && app.audit_seq >= start {
            problem = Some((
                start,
                format!(
                    "event {start}, the last one checkpoint {} covered, is gone but the application records {} events: events were removed",
                    walk.checkpoint.unwrap_or_default(),
                    app.audit_seq
                ),
            ));
        } else if problem.is_none() && !covered_gone && !head_matches {
            problem = Some((
                prev_seq + 1,
                format!(
                    "the chain ends at event {prev_seq} but the application records {} events: events were removed",
                    app.audit_seq
                ),
            ));
        }
        let length = if covered_gone {
            app.audit_seq.min(start - 1)
        } else {
            prev_seq
        };
        if problem.is_none() && !covered_gone && prev_seq > 0 && last_state != app.state {
            problem = Some((
                prev_seq,
                format!(
                    "the application is in '{}' but its audit trail ends in '{last_state}': the state was changed outside the engine",
                    app.state
                ),
            ));
        }
        if problem.is_none() {
            let seen = ChainSeen {
                kind: ChainKind::Case,
                chain_id: app.id,
                name: &app.reference,
                length,
                hash_at_covered: hash_at_covered.as_deref(),
            };
            problem = checkpoints::compare_with_covered(
                store,
                covered_head.as_ref().filter(|_| walk.checkpoint.is_some()),
                &seen,
                walk.checkpoint.unwrap_or_default(),
                &mut report.coverage,
            )
            .await?;
        }
        if let Some((seq, problem)) = problem {
            report.broken.push(BrokenLink {
                reference: app.reference.clone(),
                seq,
                problem,
            });
        }
    }
    for gone in covered {
        report.broken.push(deleted(&gone, walk.checkpoint));
    }
    Ok(report)
}

/// The applications of `apps` (ids `first..=last`) whose chain has not
/// moved since the checkpoint covered it: the row's head (length, hash,
/// reference) is the covered one, and the highest event stored is that
/// length (nothing appended without the head, nothing cut off below it).
async fn unchanged_since(
    store: &Store,
    apps: &[ChainRow],
    covered: &[ChainHead],
    first: i64,
    last: i64,
) -> Result<std::collections::HashSet<i64>, StoreError> {
    let conn = store.conn();
    let tops: std::collections::HashMap<i64, i64> = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT application_id, MAX(seq) AS top FROM audit_events \
             WHERE application_id BETWEEN $1 AND $2 GROUP BY application_id",
            vec![first.into(), last.into()],
        ))
        .await?
        .iter()
        .map(|row| Ok((row.try_get("", "application_id")?, row.try_get("", "top")?)))
        .collect::<Result<_, StoreError>>()?;
    let heads: std::collections::HashMap<i64, &ChainHead> =
        covered.iter().map(|h| (h.chain_id, h)).collect();
    Ok(apps
        .iter()
        .filter(|app| {
            heads.get(&app.id).is_some_and(|h| {
                h.seq == app.audit_seq
                    && h.hash == app.last_hash
                    && h.name == app.reference
                    && tops.get(&app.id).copied().unwrap_or(0) == app.audit_seq
            })
        })
        .map(|app| app.id)
        .collect())
}

/// A chain a checkpoint covered whose application is no longer stored.
fn deleted(head: &ChainHead, checkpoint: Option<i64>) -> BrokenLink {
    BrokenLink {
        reference: head.name.clone(),
        seq: 1,
        problem: format!(
            "checkpoint {} covered this chain ({} events) but its application is gone: the case was deleted",
            checkpoint.unwrap_or_default(),
            head.seq
        ),
    }
}
