//! A step on a case, read and written by one entry ([`step`]): the store
//! chooses how. On SQLite, one transaction: read, decide, write, commit.
//! On PostgreSQL, the read on its own and the write as one version-guarded
//! statement (its own transaction), handed to the committer when group
//! commit is on ([`super::group`]). A request with an `Idempotency-Key`
//! has its outcome kept with the step, in the same transaction or
//! statement, so both land or neither.
//!
//! The write: the head row through the one writer ([`super::head`]), the
//! members the step changed, the audit events and the outbox rows.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use crate::domain::audit::SealedEvent;
use crate::store::cases::group::{GroupedStep, Remembered, Typed};
use crate::store::cases::head::{self, HeadColumn, HeadWrite, Params};
use crate::store::cases::{
    LoadedCase, OutboxDraft, insert_outbox, load_case, outbox_model, read_case,
};
use crate::store::entities::{application, member};
use crate::store::idempotency::{self, IdempotencyRecord};
use crate::store::tallies::{Facts, MemberFacts};
use crate::store::{Store, StoreError, Tx, backend_of};
use crate::workflow::case::{Case, CaseMember};
use crate::workflow::sla::Clock;

/// A member column's value, as written.
type MemberValue = fn(&CaseMember) -> sea_orm::Value;

/// The member columns a step may change, with their PostgreSQL type: both
/// save paths write these and only these.
const MEMBER_STEP_COLUMNS: [(member::Column, &str, MemberValue); 9] = [
    (member::Column::State, "text", |m| m.state.clone().into()),
    (member::Column::RegisterNumber, "text", |m| {
        m.register_number.clone().into()
    }),
    (member::Column::NationalNumber, "text", |m| {
        m.national_number.clone().into()
    }),
    (member::Column::CardNumber, "text", |m| {
        m.card_number.clone().into()
    }),
    (member::Column::CollectorDocument, "text", |m| {
        m.collector_document.clone().into()
    }),
    (member::Column::ExclusionReason, "text", |m| {
        m.exclusion_reason.clone().into()
    }),
    (member::Column::CardDueOn, "date", |m| m.card_due_on.into()),
    (member::Column::StateChangedOn, "date", |m| {
        m.state_changed_on.into()
    }),
    (member::Column::RegisteredOn, "date", |m| {
        m.registered_on.into()
    }),
];

/// A request that acts at most once: the step's outcome is kept under its
/// user's `key` with the request's `fingerprint`.
#[derive(Clone, Copy, Debug)]
pub struct Once<'a> {
    pub user_name: &'a str,
    pub key: &'a str,
    pub fingerprint: &'a str,
}

/// What became of a step.
#[derive(Debug)]
pub enum Stepped<T> {
    /// Written; the decision's outcome.
    Written(T),
    /// Not acted on: a request under the same key was answered already
    /// (or meanwhile, which is why this one was refused); its record.
    Replayed(IdempotencyRecord),
}

/// Why a step was not written.
#[derive(Debug)]
pub enum StepFailure<E> {
    /// The store's: no such case, a concurrent change, a value taken.
    Store(StoreError),
    /// The decision's, returned as it was given.
    Refused(E),
}

impl<E> From<StoreError> for StepFailure<E> {
    fn from(error: StoreError) -> Self {
        StepFailure::Store(error)
    }
}

/// Acts on the case `reference`: reads it, asks `decide` what to write
/// (the writes and the outcome to answer with), and writes them guarded
/// by the version read, so two officers acting at once never overwrite
/// each other (the later gets [`StoreError::Conflict`]). With `once`, a
/// request already answered under its key is not acted on again
/// ([`Stepped::Replayed`]), and the outcome is kept with the step.
pub async fn step<T, E>(
    store: &Store,
    reference: &str,
    once: Option<Once<'_>>,
    decide: impl FnOnce(&LoadedCase) -> Result<(StepWrite, T), E>,
) -> Result<Stepped<T>, StepFailure<E>>
where
    T: Serialize,
{
    let in_transaction = store.is_sqlite() || (once.is_some() && !store.group_commit());
    let result = if in_transaction {
        step_in_transaction(store, reference, once, decide).await
    } else {
        step_alone(store, reference, once, decide).await
    };
    match (result, once) {
        // A concurrent request with the same key may have won (and moved
        // the case, so this one was refused): answer as it did.
        (
            Err(
                failure @ (StepFailure::Refused(_)
                | StepFailure::Store(StoreError::Conflict | StoreError::Duplicate(_))),
            ),
            Some(once),
        ) => match idempotency::find_in_store(store, once.user_name, once.key).await? {
            Some(record) => Ok(Stepped::Replayed(record)),
            None => Err(failure),
        },
        (result, _) => result,
    }
}

/// The outcome to keep under a key, as text.
fn outcome_text(outcome: &impl Serialize) -> Result<String, StoreError> {
    serde_json::to_string(outcome).map_err(|e| StoreError::Unexpected(Box::new(e)))
}

/// [`step`] in one transaction: SQLite, and PostgreSQL for a request with
/// a key when group commit is off.
async fn step_in_transaction<T: Serialize, E>(
    store: &Store,
    reference: &str,
    once: Option<Once<'_>>,
    decide: impl FnOnce(&LoadedCase) -> Result<(StepWrite, T), E>,
) -> Result<Stepped<T>, StepFailure<E>> {
    let tx = store.begin().await?;
    if let Some(once) = once
        && let Some(record) = idempotency::find(&tx, once.user_name, once.key).await?
    {
        return Ok(Stepped::Replayed(record));
    }
    let loaded = load_case(&tx, reference).await?;
    let (write, outcome) = decide(&loaded).map_err(StepFailure::Refused)?;
    save_step(&tx, &loaded, &write).await?;
    if let Some(once) = once {
        let text = outcome_text(&outcome)?;
        idempotency::insert(
            &tx,
            once.user_name,
            once.key,
            once.fingerprint,
            &text,
            write.now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Stepped::Written(outcome))
}

/// [`step`] on PostgreSQL with no transaction around the read and the
/// write (two round trips instead of four): the write is one statement,
/// whole or nothing, guarded by the version read; with a key (group commit
/// on), the committer writes the outcome in the same statement.
async fn step_alone<T: Serialize, E>(
    store: &Store,
    reference: &str,
    once: Option<Once<'_>>,
    decide: impl FnOnce(&LoadedCase) -> Result<(StepWrite, T), E>,
) -> Result<Stepped<T>, StepFailure<E>> {
    if let Some(once) = once
        && let Some(record) = idempotency::find_in_store(store, once.user_name, once.key).await?
    {
        return Ok(Stepped::Replayed(record));
    }
    let loaded = read_case(store, reference).await?;
    let (write, outcome) = decide(&loaded).map_err(StepFailure::Refused)?;
    match once {
        None => save_step_alone(store, &loaded, &write).await?,
        Some(once) => {
            let remembered = Remembered {
                user_name: once.user_name.to_string(),
                key: once.key.to_string(),
                fingerprint: once.fingerprint.to_string(),
                outcome: outcome_text(&outcome)?,
            };
            save_step_grouped(store, &loaded, &write, Some(remembered)).await?
        }
    }
    Ok(Stepped::Written(outcome))
}

/// The stored id and the new state of each member the step changed.
fn changed_members<'a>(
    loaded: &LoadedCase,
    write: &'a StepWrite,
) -> Result<Vec<(i64, &'a CaseMember)>, StoreError> {
    write
        .changed_members
        .iter()
        .map(
            |ordinal| match (loaded.member_ids.get(ordinal), write.next.member(*ordinal)) {
                (Some(id), Some(m)) => Ok((*id, m)),
                _ => Err(StoreError::Corrupt(format!(
                    "{}: no member {ordinal}",
                    loaded.record.reference
                ))),
            },
        )
        .collect()
}

/// The writes of one decided step.
pub struct StepWrite {
    pub next: Case,
    pub changed_members: Vec<u32>,
    pub clock: Clock,
    pub state_entered_at: DateTime<Utc>,
    pub events: Vec<SealedEvent>,
    pub outbox: Vec<OutboxDraft>,
    pub now: DateTime<Utc>,
}

/// The head-row write of a step. `only_changed` leaves out the columns
/// whose value stays: SQLite rewrites every index on a column named in
/// `SET`, changed or not (PostgreSQL compares values, and its one
/// statement keeps one text for every step).
fn step_head<'a>(
    loaded: &'a LoadedCase,
    write: &'a StepWrite,
    only_changed: bool,
) -> HeadWrite<'a> {
    let record = &loaded.record;
    let candidates = [
        (
            write.next.state != record.state,
            HeadColumn::new(application::Column::State, write.next.state.clone(), "text"),
        ),
        (
            write.state_entered_at != record.state_entered_at,
            HeadColumn::new(
                application::Column::StateEnteredAt,
                write.state_entered_at,
                "timestamptz",
            ),
        ),
        (
            write.clock.due_on != record.due_on,
            HeadColumn::new(application::Column::DueOn, write.clock.due_on, "date"),
        ),
        (
            write.clock.paused_since != record.paused_since,
            HeadColumn::new(
                application::Column::PausedSince,
                write.clock.paused_since,
                "date",
            ),
        ),
        (
            write.clock.paused_working_days != record.paused_working_days,
            HeadColumn::new(
                application::Column::PausedWorkingDays,
                write.clock.paused_working_days,
                "int4",
            ),
        ),
        (
            write.next.holder != record.assignee,
            HeadColumn::new(
                application::Column::Assignee,
                write.next.holder.clone(),
                "text",
            ),
        ),
        (
            write.next.duties != loaded.case.duties,
            HeadColumn::new(
                application::Column::Duties,
                write.next.duties.to_json(),
                "text",
            ),
        ),
    ];
    HeadWrite {
        loaded,
        version: write.next.version,
        columns: candidates
            .into_iter()
            .filter(|(changed, _)| *changed || !only_changed)
            .map(|(_, column)| column)
            .collect(),
        after: Facts {
            state: &write.next.state,
            state_entered_at: write.state_entered_at,
            due_on: write.clock.due_on,
            assignee: write.next.holder.as_deref(),
            members: write.next.members.iter().map(MemberFacts::from).collect(),
            ..Facts::of_record(record, Vec::new())
        },
        events: &write.events,
        now: write.now,
    }
}

/// Saves a step: the head row only if its version is still the one loaded
/// (else [`StoreError::Conflict`] and the caller rolls back), the changed
/// members, the audit events and the outbox rows.
async fn save_step(tx: &Tx, loaded: &LoadedCase, write: &StepWrite) -> Result<(), StoreError> {
    if backend_of(&tx.inner) == sea_orm::DbBackend::Postgres {
        return save_step_in_one_statement(&tx.inner, tx.slot.slot, loaded, write).await;
    }
    let members = changed_members(loaded, write)?;
    head::write(tx, &step_head(loaded, write, true)).await?;
    for (id, m) in members {
        let before = loaded.case.member(m.ordinal);
        let mut update = member::Entity::update_many();
        let mut any = false;
        for (column, _, value) in MEMBER_STEP_COLUMNS {
            let new = value(m);
            if before.is_none_or(|b| value(b) != new) {
                update = update.col_expr(column, Expr::value(new));
                any = true;
            }
        }
        if any {
            update
                .filter(member::Column::Id.eq(id))
                .exec(&tx.inner)
                .await?;
        }
    }
    insert_outbox(
        tx,
        write
            .outbox
            .iter()
            .map(|o| outbox_model(Some(loaded.record.id), o, write.now))
            .collect(),
    )
    .await?;
    Ok(())
}

/// [`save_step`] on PostgreSQL without a transaction around it: one
/// statement that is its own transaction (whole or nothing), guarded by
/// the version the case was loaded at. With group commit on (the
/// default, [`Store::set_group_commit`]) the step goes to the store's
/// committer and is written in one statement with the steps of other
/// cases that arrive meanwhile ([`super::group`]); `Ok` comes only after
/// that statement committed with this step in it.
async fn save_step_alone(
    store: &Store,
    loaded: &LoadedCase,
    write: &StepWrite,
) -> Result<(), StoreError> {
    if store.group_commit() {
        // Nothing being written: this step alone, by the one-step
        // statement, with no hand-over to the committer and back.
        let Some(_alone) = store.committer().alone() else {
            return save_step_grouped(store, loaded, write, None).await;
        };
        let slot = store.slots.lease();
        return save_step_in_one_statement(store.conn(), slot.slot, loaded, write).await;
    }
    let slot = store.slots.lease();
    save_step_in_one_statement(store.conn(), slot.slot, loaded, write).await
}

/// A step written by the committer on PostgreSQL ([`super::group`]), with
/// the request's outcome kept under its `Idempotency-Key` when `remembered`
/// is given (in the same statement, so both land or neither). `Ok` comes
/// only after the statement holding the step committed.
async fn save_step_grouped(
    store: &Store,
    loaded: &LoadedCase,
    write: &StepWrite,
    remembered: Option<Remembered>,
) -> Result<(), StoreError> {
    let mut step = grouped_step(loaded, write)?;
    step.remembered = remembered;
    store.committer().submit(step).await
}

/// The rows of a step, owned, for the committer: the same values
/// [`save_step_in_one_statement`] binds.
fn grouped_step(loaded: &LoadedCase, write: &StepWrite) -> Result<GroupedStep, StoreError> {
    use sea_orm::IdenStatic;
    let head = step_head(loaded, write, false);
    let members = changed_members(loaded, write)?
        .into_iter()
        .map(|(id, m)| {
            let mut row: Vec<Typed> = vec![(id.into(), "int8")];
            row.extend(
                MEMBER_STEP_COLUMNS
                    .iter()
                    .map(|(_, ty, value)| (value(m), *ty)),
            );
            row
        })
        .collect();
    let mut member_columns = vec!["id"];
    member_columns.extend(MEMBER_STEP_COLUMNS.iter().map(|(c, ..)| c.as_str()));
    let events = write
        .events
        .iter()
        .map(|e| {
            vec![
                (e.seq.into(), "int8"),
                (e.draft.at.into(), "timestamptz"),
                (e.draft.actor.clone().into(), "text"),
                (e.draft.action.clone().into(), "text"),
                (e.draft.member.map(|m| m as i32).into(), "int4"),
                (e.draft.from_state.clone().into(), "text"),
                (e.draft.to_state.clone().into(), "text"),
                (e.payload_text.clone().into(), "text"),
                (e.prev_hash.clone().into(), "text"),
                (e.hash.clone().into(), "text"),
            ]
        })
        .collect();
    let tallies = head
        .tally()
        .without_zeros()
        .into_iter()
        .map(|(key, (families, persons))| {
            vec![
                (key.kind.into(), "text"),
                (key.name.into(), "text"),
                (key.district.into(), "text"),
                (key.office.into(), "text"),
                (key.day.into(), "int4"),
                (key.due.into(), "int4"),
                (key.tag.into(), "text"),
                (families.into(), "int8"),
                (persons.into(), "int8"),
            ]
        })
        .collect();
    let outbox = write
        .outbox
        .iter()
        .map(|o| (o.kind.clone(), o.payload.to_string()))
        .collect();
    Ok(GroupedStep {
        head: head.grouped(),
        members,
        member_columns,
        events,
        tallies,
        outbox,
        remembered: None,
        now: write.now,
    })
}

/// [`save_step`] on PostgreSQL: every write of the step in one statement
/// (one round trip instead of four or five). The head row's version-guarded
/// `UPDATE` is the first data-modifying CTE; the member updates, the audit
/// events, the tally upsert and the outbox rows each read from it, so when
/// the guard matches no row (a concurrent change) none of them writes
/// anything, and the statement reports zero rows.
async fn save_step_in_one_statement(
    conn: &impl ConnectionTrait,
    slot: i16,
    loaded: &LoadedCase,
    write: &StepWrite,
) -> Result<(), StoreError> {
    let head = step_head(loaded, write, false);
    let mut p = Params(Vec::with_capacity(64));
    let mut sql = head.update_cte(&mut p);
    let mut rows = Vec::new();
    for (id, m) in changed_members(loaded, write)? {
        let mut values = vec![p.bind(id, "int8")];
        for (_, ty, value) in MEMBER_STEP_COLUMNS {
            values.push(p.bind(value(m), ty));
        }
        rows.push(format!("({})", values.join(", ")));
    }
    if !rows.is_empty() {
        use sea_orm::IdenStatic;
        let names: Vec<&str> = MEMBER_STEP_COLUMNS
            .iter()
            .map(|(c, ..)| c.as_str())
            .collect();
        let set: Vec<String> = names.iter().map(|n| format!("{n} = v.{n}")).collect();
        sql.push_str(&format!(
            ", m AS (UPDATE members SET {} FROM (VALUES {}) AS v(id, {}) \
             WHERE members.id = v.id AND EXISTS (SELECT 1 FROM a))",
            set.join(", "),
            rows.join(", "),
            names.join(", ")
        ));
    }
    let events: Vec<String> = write
        .events
        .iter()
        .map(|e| {
            format!(
                "({}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                p.bind(e.seq, "int8"),
                p.bind(e.draft.at, "timestamptz"),
                p.bind(e.draft.actor.clone(), "text"),
                p.bind(e.draft.action.clone(), "text"),
                p.bind(e.draft.member.map(|m| m as i32), "int4"),
                p.bind(e.draft.from_state.clone(), "text"),
                p.bind(e.draft.to_state.clone(), "text"),
                p.bind(e.payload_text.clone(), "text"),
                p.bind(e.prev_hash.clone(), "text"),
                p.bind(e.hash.clone(), "text"),
            )
        })
        .collect();
    if !events.is_empty() {
        sql.push_str(&format!(
            ", e AS (INSERT INTO audit_events (application_id, seq, at, actor, action, member, \
             from_state, to_state, payload, prev_hash, hash) \
             SELECT a.id, v.* FROM a, (VALUES {}) AS v(seq, at, actor, action, member, \
             from_state, to_state, payload, prev_hash, hash))",
            events.join(", ")
        ));
    }
    let tally_rows: Vec<String> = head
        .tally()
        .without_zeros()
        .into_iter()
        .map(|(key, (families, persons))| {
            format!(
                "({}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                p.bind(key.kind, "text"),
                p.bind(key.name, "text"),
                p.bind(key.district, "text"),
                p.bind(key.office, "text"),
                p.bind(key.day, "int4"),
                p.bind(key.due, "int4"),
                p.bind(key.tag, "text"),
                p.bind(slot, "int2"),
                p.bind(families, "int8"),
                p.bind(persons, "int8"),
            )
        })
        .collect();
    if !tally_rows.is_empty() {
        // Rows in key order, as `tallies::write` does, so that two
        // transactions lock tally rows in the same order.
        sql.push_str(&format!(
            ", t AS (INSERT INTO tallies (kind, name, district, office, day, due, tag, slot, \
             families, persons) SELECT v.* FROM (VALUES {}) AS v(kind, name, district, office, \
             day, due, tag, slot, families, persons) WHERE EXISTS (SELECT 1 FROM a) \
             ON CONFLICT (kind, name, district, office, day, due, tag, slot) DO UPDATE SET \
             families = tallies.families + excluded.families, \
             persons = tallies.persons + excluded.persons)",
            tally_rows.join(", ")
        ));
    }
    let outbox_rows: Vec<String> = write
        .outbox
        .iter()
        .map(|o| {
            format!(
                "({}, {})",
                p.bind(o.kind.clone(), "text"),
                p.bind(o.payload.to_string(), "text"),
            )
        })
        .collect();
    if !outbox_rows.is_empty() {
        let now = p.bind(write.now, "timestamptz");
        sql.push_str(&format!(
            ", o AS (INSERT INTO outbox (application_id, kind, payload, status, attempts, \
             created_at, next_attempt_at) SELECT a.id, v.kind, v.payload, 'pending', 0, {now}, {now} \
             FROM a, (VALUES {}) AS v(kind, payload))",
            outbox_rows.join(", ")
        ));
    }
    sql.push_str(" SELECT COUNT(*) FROM a");
    let row = conn
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            sql,
            p.0,
        ))
        .await?
        .ok_or(StoreError::Conflict)?;
    let updated: i64 = row.try_get_by_index(0)?;
    if updated != 1 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}
