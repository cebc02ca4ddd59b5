//! Group commit of decided steps on PostgreSQL: the store's committer.
//!
//! Where it sits. It is PostgreSQL's only, switched by
//! `CASEWORK_GROUP_COMMIT` (on by default; `off` writes every step by the
//! one-step statement of `step.rs`). `app::cases::perform` reads the case,
//! decides the step and seals its audit event as before; then
//! [`super::save_step_alone`] (or, with an `Idempotency-Key`,
//! `step::save_step_grouped`, which adds the request's outcome to keep
//! under the key) hands the step to the committer as a [`GroupedStep`]:
//! its rows, owned and ready to bind (the head write from `HeadWrite`, the
//! changed members, the audit events, the tally difference from
//! `HeadWrite::tally`, the outbox rows), over a channel, with a one-shot
//! channel for its answer.
//!
//! How a batch is made. The committer has `WRITERS` (four) writer tasks
//! sharing one queue. A free writer takes the first step waiting and every
//! other step already waiting, up to `MAX_BATCH` (64), with no timer and no
//! waiting for more, lets the queue go to the next writer, and writes the
//! batch as one statement, which is one transaction: one round trip and
//! one commit for the batch. The rows go in the order of their case ids, so
//! two batches in flight lock rows alike. The heads are one
//! `UPDATE applications … FROM (VALUES (step, id, expected version, …))
//! WHERE version = expected RETURNING step`, so each step keeps its own
//! version guard; every other write (members, audit events, outbox rows,
//! and the tally rows summed per key in key order under the batch's own
//! tally slot) joins the step numbers that `UPDATE` returned, so a stale
//! step writes nothing and the others commit.
//!
//! How a caller is answered. Only after the statement has returned, and so
//! after its commit: `Ok` if its step's number came back, a conflict if
//! not (its version had moved on: it wrote nothing, and the others
//! committed).
//!
//! Two steps of one case never go in the same batch: the later waits for
//! the next batch, where its guard meets the version the first one wrote
//! (and refuses it as stale) or, if the first was refused, the version both
//! were decided on. When the two batches are in flight at once, the head
//! row's lock makes the later wait for the earlier's commit, and
//! PostgreSQL checks the guard again against the committed row, so exactly
//! one of them applies.
//!
//! When a batch's statement fails (a unique violation such as a national
//! number already given, a lost connection, a deadlock), nothing of it was
//! written; its steps are then written one by one, each a batch of its
//! own, so each caller hears its own step's outcome and nobody hears of a
//! success that was not committed.
//!
//! When nothing is being written (no batch in flight, no test holding the
//! committer), a step is not handed over at all: it is written on its
//! caller's own task by the one-step statement used without group commit
//! ([`Committer::alone`], from `step::save_step_alone`), and counts as a
//! batch in flight meanwhile, so the steps arriving then go to the writers
//! and meet in their batches. One worker costs what it cost without the
//! committer.
//!
//! Why no acknowledged transition can be lost: an `Ok` is sent only after
//! PostgreSQL returned the statement's rows, that is after the commit of
//! the one transaction holding every row of that step (with
//! `synchronous_commit = on`, flushed to the write-ahead log). A step whose
//! caller has gone is still written or not as a whole, never half.
//!
//! SQLite has no committer: it keeps one writer and one transaction per
//! step, since its writes serialise on the file lock anyway and there is
//! nothing to gather.
//!
//! Tests of batches hold the committer between batches
//! (`Store::hold_group_commits`) so that the steps they start land in one
//! batch; `Store::group_commit_figures` counts steps and batches, and
//! `casework bench transitions` prints the mean batch. The measured effect
//! is in BENCHMARKS.md ("Group commit of transitions on PostgreSQL").

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, IdenStatic};
use tokio::sync::{mpsc, oneshot};

use crate::store::cases::head::{self, GroupedHead, Params};
use crate::store::{Slots, StoreError};

/// The most steps written in one statement (PostgreSQL binds at most
/// 65,535 values; a step binds a few hundred at most).
const MAX_BATCH: usize = 64;

/// Batches in flight at once at most.
const WRITERS: usize = 4;

/// One value to bind, with its PostgreSQL type.
pub(super) type Typed = (sea_orm::Value, &'static str);

/// A decided step, owned and ready to be written in a batch.
pub(crate) struct GroupedStep {
    pub(super) head: GroupedHead,
    /// Each changed member: its id, then the columns of
    /// `step::MEMBER_STEP_COLUMNS`.
    pub(super) members: Vec<Vec<Typed>>,
    pub(super) member_columns: Vec<&'static str>,
    /// Each audit event's columns after `application_id`.
    pub(super) events: Vec<Vec<Typed>>,
    /// Each tally row: its key, families and persons (without the slot).
    pub(super) tallies: Vec<Vec<Typed>>,
    /// Each outbox row: its kind and payload.
    pub(super) outbox: Vec<(String, String)>,
    /// The request's first outcome under its `Idempotency-Key`, stored
    /// with the step (and, like the step's other rows, only if it lands).
    pub(super) remembered: Option<Remembered>,
    pub(super) now: DateTime<Utc>,
}

/// A request's outcome kept under its `Idempotency-Key` (the row
/// `store::idempotency::insert` writes in a transaction).
#[derive(Clone, Debug)]
pub struct Remembered {
    pub user_name: String,
    pub key: String,
    pub fingerprint: String,
    pub outcome: String,
}

/// A step waiting for its batch, and where its answer goes.
struct Pending {
    step: GroupedStep,
    answer: oneshot::Sender<Result<(), StoreError>>,
}

/// The store's committer: a task that writes the steps handed to it in
/// batches (see the module's documentation). It stops when every clone of
/// the store is gone.
#[derive(Debug)]
pub(crate) struct Committer {
    sender: mpsc::UnboundedSender<Pending>,
    db: DatabaseConnection,
    slots: Arc<Slots>,
    shared: Arc<Shared>,
}

/// What the committer's task and the store share.
#[derive(Debug, Default)]
struct Shared {
    /// Held by the task while it gathers and writes a batch; a test holds
    /// it to let steps pile up ([`Committer::hold`]).
    gate: Arc<tokio::sync::Mutex<()>>,
    /// Steps handed over so far.
    submitted: AtomicU64,
    /// Batches written so far, and the steps in them (retries one by one
    /// not counted; a step written on its caller's task is a batch of one).
    batches: AtomicU64,
    batched_steps: AtomicU64,
    /// Batches being written now (by the writers or a caller).
    in_flight: AtomicUsize,
}

/// The committer's figures since the store was opened.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupCommitFigures {
    /// Steps handed to the committer.
    pub submitted: u64,
    /// Batches written.
    pub batches: u64,
    /// Steps in those batches.
    pub steps: u64,
}

/// While this is held the committer starts no batch: steps handed to it
/// wait, and all of them (of different cases) go in the first batch after
/// it is dropped.
pub struct HeldCommits(#[allow(dead_code)] tokio::sync::OwnedMutexGuard<()>);

impl Committer {
    /// Starts the committer on the current tokio runtime.
    pub(crate) fn start(db: DatabaseConnection, slots: Arc<Slots>) -> Committer {
        let (sender, receiver) = mpsc::unbounded_channel();
        let shared = Arc::new(Shared::default());
        let queue = Arc::new(tokio::sync::Mutex::new(Queue {
            receiver,
            deferred: VecDeque::new(),
        }));
        for _ in 0..WRITERS {
            tokio::spawn(run(
                db.clone(),
                slots.clone(),
                shared.clone(),
                queue.clone(),
            ));
        }
        Committer {
            sender,
            db,
            slots,
            shared,
        }
    }

    /// Holds the committer between batches (for tests that need several
    /// steps in one batch).
    pub(crate) async fn hold(&self) -> HeldCommits {
        HeldCommits(self.shared.gate.clone().lock_owned().await)
    }

    pub(crate) fn figures(&self) -> GroupCommitFigures {
        GroupCommitFigures {
            submitted: self.shared.submitted.load(Ordering::Relaxed),
            batches: self.shared.batches.load(Ordering::Relaxed),
            steps: self.shared.batched_steps.load(Ordering::Relaxed),
        }
    }

    /// Writes `step` in the next batch and answers once that batch is
    /// committed (or refused): `Ok` only when the step is.
    /// When nothing is being written (and no test holds the committer),
    /// the right to write one step alone, on the caller's task, as without
    /// group commit: counted as a batch of one, and in flight until the
    /// guard is dropped, so the steps arriving meanwhile go to the writers.
    pub(crate) fn alone(&self) -> Option<Alone> {
        let shared = &self.shared;
        shared
            .in_flight
            .compare_exchange(0, 1, Ordering::AcqRel, Ordering::Acquire)
            .ok()?;
        let alone = Alone(shared.clone());
        drop(shared.gate.try_lock().ok()?);
        shared.submitted.fetch_add(1, Ordering::Relaxed);
        shared.batches.fetch_add(1, Ordering::Relaxed);
        shared.batched_steps.fetch_add(1, Ordering::Relaxed);
        Some(alone)
    }

    pub(crate) async fn submit(&self, step: GroupedStep) -> Result<(), StoreError> {
        self.shared.submitted.fetch_add(1, Ordering::Relaxed);
        let (answer, reply) = oneshot::channel();
        if let Err(mpsc::error::SendError(pending)) = self.sender.send(Pending { step, answer }) {
            // The committer's runtime is gone (a store used from another
            // runtime): the step is written alone, here.
            let slot = self.slots.lease();
            return write_one(&self.db, slot.slot, &pending.step).await;
        }
        reply.await.unwrap_or_else(|_| {
            Err(StoreError::Unexpected(
                "the committer stopped before answering; the step may not be written".into(),
            ))
        })
    }
}

/// A step being written alone ([`Committer::alone`]) until dropped.
pub(crate) struct Alone(Arc<Shared>);

impl Drop for Alone {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The steps waiting for a batch: those handed over, and those put off
/// because their case already had a step in the batch being gathered.
struct Queue {
    receiver: mpsc::UnboundedReceiver<Pending>,
    deferred: VecDeque<Pending>,
}

/// One of the committer's writers: it takes the queue, gathers a batch of
/// every step waiting, lets the queue go to the next writer and writes the
/// batch, answers, and again. Several batches may be in flight at once
/// (the round trips of one overlap the others'); their steps are of
/// different cases unless a case's next step arrived while its previous
/// one was being written, and then the row lock and the version guard
/// refuse the later one.
async fn run(
    db: DatabaseConnection,
    slots: Arc<Slots>,
    shared: Arc<Shared>,
    queue: Arc<tokio::sync::Mutex<Queue>>,
) {
    loop {
        let mut batch = {
            let mut queue = queue.lock().await;
            let Some(batch) = gather(&mut queue, &shared).await else {
                return;
            };
            batch
        };
        // Rows locked in the order of their ids, as every batch does, so
        // that two batches in flight do not deadlock.
        batch.sort_by_key(|p| p.step.head.id);
        shared.in_flight.fetch_add(1, Ordering::AcqRel);
        write_and_answer(&db, &slots, batch).await;
        shared.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The next batch: the first step waiting, then every other one already
/// waiting of another case; `None` once the store is gone.
async fn gather(queue: &mut Queue, shared: &Shared) -> Option<Vec<Pending>> {
    let Queue { receiver, deferred } = queue;
    {
        let first = match deferred.pop_front() {
            Some(pending) => pending,
            None => receiver.recv().await?,
        };
        let _open = shared.gate.lock().await;
        let mut cases = HashSet::from([first.step.head.id]);
        let mut batch = vec![first];
        let mut later = VecDeque::new();
        while batch.len() < MAX_BATCH {
            let next = match deferred.pop_front() {
                Some(pending) => pending,
                None => match receiver.try_recv() {
                    Ok(pending) => pending,
                    Err(_) => break,
                },
            };
            if cases.insert(next.step.head.id) {
                batch.push(next);
            } else {
                // A second step of a case in this batch: the next batch.
                later.push_back(next);
            }
        }
        later.extend(deferred.drain(..));
        *deferred = later;
        shared.batches.fetch_add(1, Ordering::Relaxed);
        shared
            .batched_steps
            .fetch_add(batch.len() as u64, Ordering::Relaxed);
        Some(batch)
    }
}

/// Writes one batch and answers each of its callers.
async fn write_and_answer(db: &DatabaseConnection, slots: &Arc<Slots>, batch: Vec<Pending>) {
    let slot = slots.lease();
    let steps: Vec<&GroupedStep> = batch.iter().map(|p| &p.step).collect();
    match write_batch(db, slot.slot, &steps).await {
        Ok(applied) => {
            for (i, pending) in batch.into_iter().enumerate() {
                let outcome = if applied.contains(&(i as i32)) {
                    Ok(())
                } else {
                    Err(StoreError::Conflict)
                };
                let _ = pending.answer.send(outcome);
            }
        }
        Err(error) if batch.len() == 1 => {
            if let Some(pending) = batch.into_iter().next() {
                let _ = pending.answer.send(Err(error));
            }
        }
        Err(error) => {
            tracing::debug!(%error, steps = batch.len(), "a batch of steps failed; writing them one by one");
            for pending in batch {
                let outcome = write_one(db, slot.slot, &pending.step).await;
                let _ = pending.answer.send(outcome);
            }
        }
    }
}

/// Writes one step as a batch of its own.
async fn write_one(
    db: &DatabaseConnection,
    slot: i16,
    step: &GroupedStep,
) -> Result<(), StoreError> {
    let applied = write_batch(db, slot, &[step]).await?;
    if applied.is_empty() {
        Err(StoreError::Conflict)
    } else {
        Ok(())
    }
}

/// Writes `steps` (of different cases) as one statement and returns the
/// positions of those whose version guard matched; the others wrote
/// nothing.
async fn write_batch(
    db: &DatabaseConnection,
    slot: i16,
    steps: &[&GroupedStep],
) -> Result<Vec<i32>, StoreError> {
    let Some(first) = steps.first() else {
        return Ok(Vec::new());
    };
    let shape: Vec<&str> = first
        .head
        .columns
        .iter()
        .map(|c| c.column.as_str())
        .collect();
    if steps.iter().any(|s| {
        s.head.columns.len() != shape.len()
            || s.head
                .columns
                .iter()
                .zip(&shape)
                .any(|(c, name)| c.column.as_str() != *name)
    }) {
        return Err(StoreError::Unexpected(
            "steps of one batch set different head columns".into(),
        ));
    }
    let numbered: Vec<(i32, &GroupedStep)> = steps
        .iter()
        .enumerate()
        .map(|(i, s)| (i as i32, *s))
        .collect();
    let mut p = Params(Vec::with_capacity(64 * steps.len()));
    let heads: Vec<(i32, &GroupedHead)> = numbered.iter().map(|(i, s)| (*i, &s.head)).collect();
    let mut sql = head::update_many_cte(&heads, &mut p);
    let rows = rows_of(&numbered, &mut p, |s| &s.members);
    if !rows.is_empty() {
        let names = &first.member_columns;
        let set: Vec<String> = names[1..].iter().map(|n| format!("{n} = v.{n}")).collect();
        sql.push_str(&format!(
            ", m AS (UPDATE members SET {} FROM (VALUES {}) AS v(step, {}) \
             WHERE members.id = v.id AND v.step IN (SELECT step FROM a))",
            set.join(", "),
            rows.join(", "),
            names.join(", ")
        ));
    }
    let rows = rows_of(&numbered, &mut p, |s| &s.events);
    if !rows.is_empty() {
        sql.push_str(&format!(
            ", e AS (INSERT INTO audit_events (application_id, seq, at, actor, action, member, \
             from_state, to_state, payload, prev_hash, hash) \
             SELECT a.id, v.seq, v.at, v.actor, v.action, v.member, v.from_state, v.to_state, \
             v.payload, v.prev_hash, v.hash FROM a JOIN (VALUES {}) AS v(step, seq, at, actor, \
             action, member, from_state, to_state, payload, prev_hash, hash) ON v.step = a.step \
             ORDER BY v.step, v.seq)",
            rows.join(", ")
        ));
    }
    let rows = rows_of(&numbered, &mut p, |s| &s.tallies);
    if !rows.is_empty() {
        // One row per key (the batch's steps summed), in key order, as
        // `tallies::write` does, so that writers lock tally rows in the
        // same order; the slot is the batch's own.
        let slot = p.bind(slot, "int2");
        sql.push_str(&format!(
            ", t AS (INSERT INTO tallies (kind, name, district, office, day, due, tag, slot, \
             families, persons) SELECT v.kind, v.name, v.district, v.office, v.day, v.due, v.tag, \
             {slot}, SUM(v.families)::int8, SUM(v.persons)::int8 FROM (VALUES {}) AS v(step, kind, \
             name, district, office, day, due, tag, families, persons) \
             WHERE v.step IN (SELECT step FROM a) \
             GROUP BY v.kind, v.name, v.district, v.office, v.day, v.due, v.tag \
             HAVING SUM(v.families) <> 0 OR SUM(v.persons) <> 0 \
             ORDER BY v.kind, v.name, v.district, v.office, v.day, v.due, v.tag \
             ON CONFLICT (kind, name, district, office, day, due, tag, slot) DO UPDATE SET \
             families = tallies.families + excluded.families, \
             persons = tallies.persons + excluded.persons)",
            rows.join(", ")
        ));
    }
    let mut rows = Vec::new();
    for (i, s) in &numbered {
        for (ordinal, (kind, payload)) in s.outbox.iter().enumerate() {
            rows.push(format!(
                "({}, {}, {}, {}, {})",
                p.bind(*i, "int4"),
                p.bind(ordinal as i32, "int4"),
                p.bind(kind.clone(), "text"),
                p.bind(payload.clone(), "text"),
                p.bind(s.now, "timestamptz"),
            ));
        }
    }
    if !rows.is_empty() {
        sql.push_str(&format!(
            ", o AS (INSERT INTO outbox (application_id, kind, payload, status, attempts, \
             created_at, next_attempt_at) SELECT a.id, v.kind, v.payload, 'pending', 0, v.now, \
             v.now FROM a JOIN (VALUES {}) AS v(step, ordinal, kind, payload, now) \
             ON v.step = a.step ORDER BY v.step, v.ordinal)",
            rows.join(", ")
        ));
    }
    let mut rows = Vec::new();
    for (i, s) in &numbered {
        if let Some(r) = &s.remembered {
            rows.push(format!(
                "({}, {}, {}, {}, {}, {})",
                p.bind(*i, "int4"),
                p.bind(r.user_name.clone(), "text"),
                p.bind(r.key.clone(), "text"),
                p.bind(r.fingerprint.clone(), "text"),
                p.bind(r.outcome.clone(), "text"),
                p.bind(s.now, "timestamptz"),
            ));
        }
    }
    if !rows.is_empty() {
        sql.push_str(&format!(
            ", k AS (INSERT INTO idempotency_keys (user_name, key, fingerprint, outcome, \
             created_at) SELECT v.user_name, v.key, v.fingerprint, v.outcome, v.at \
             FROM a JOIN (VALUES {}) AS v(step, user_name, key, fingerprint, outcome, at) \
             ON v.step = a.step)",
            rows.join(", ")
        ));
    }
    sql.push_str(" SELECT step FROM a");
    let rows = db
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            sql,
            p.0,
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get_by_index::<i32>(0).map_err(StoreError::from))
        .collect()
}

/// The `VALUES` rows of one part of every step, each led by its step's
/// number.
fn rows_of(
    steps: &[(i32, &GroupedStep)],
    p: &mut Params,
    part: impl Fn(&GroupedStep) -> &Vec<Vec<Typed>>,
) -> Vec<String> {
    let mut rows = Vec::new();
    for (i, s) in steps {
        for row in part(s) {
            let mut values = vec![p.bind(*i, "int4")];
            values.extend(row.iter().map(|(v, ty)| p.bind(v.clone(), ty)));
            rows.push(format!("({})", values.join(", ")));
        }
    }
    rows
}
