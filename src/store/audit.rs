//! The audit trail as stored: append-only and hash-chained per application
//! (the hashing itself is pure, in [`crate::domain::audit`]).
//!
//! The application row keeps the chain's head (`audit_seq`, `last_hash`),
//! so appending needs no extra query and a truncated chain is caught too.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::audit::{GENESIS, SealedEvent, event_hash};
use crate::domain::checkpoint::{ChainHead, ChainKind};
use crate::store::checkpoints::{self, ChainSeen, Coverage};
use crate::store::entities::{application, audit_event};
use crate::store::{Store, StoreError, Tx};

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

/// What a full verification found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    pub applications: u64,
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

/// Walks every application's chain in id order and names the first broken
/// link of each: an edited row, a removed or inserted row, or a chain cut
/// short.
pub async fn verify(store: &Store) -> Result<VerifyReport, StoreError> {
    verify_against(store, None).await
}

/// As [`verify`], and compares each intact chain with the head checkpoint
/// `checkpoint` covered: a chain rewritten with every later hash and its
/// head recomputed no longer has the signed hash at the covered event, and
/// a chain cut back or deleted no longer reaches it.
pub async fn verify_against(
    store: &Store,
    checkpoint: Option<i64>,
) -> Result<VerifyReport, StoreError> {
    let db = store.conn();
    let mut report = VerifyReport {
        applications: 0,
        events: 0,
        first_broken: None,
        broken: Vec::new(),
        coverage: Coverage::default(),
    };
    let mut after_id = 0_i64;
    loop {
        let apps = application::Entity::find()
            .filter(application::Column::Id.gt(after_id))
            .order_by_asc(application::Column::Id)
            .limit(500)
            .all(db)
            .await?;
        let Some(last) = apps.last() else { break };
        let (first_id, last_id) = (apps[0].id, last.id);
        let covered = match checkpoint {
            Some(number) => {
                checkpoints::covered_heads(
                    store,
                    ChainKind::Case,
                    number,
                    after_id,
                    Some(last_id),
                    u64::MAX >> 1,
                )
                .await?
            }
            None => Vec::new(),
        };
        after_id = last_id;
        let mut covered = covered.into_iter().peekable();
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::ApplicationId.between(first_id, last_id))
            .order_by_asc(audit_event::Column::ApplicationId)
            .order_by_asc(audit_event::Column::Seq)
            .all(db)
            .await?;
        let mut events = events.into_iter().peekable();
        for app in &apps {
            report.applications += 1;
            // Chains a checkpoint covered whose application is gone.
            while let Some(gone) = covered.next_if(|h| h.chain_id < app.id) {
                report.broken.push(deleted(&gone, checkpoint));
            }
            let covered_head = covered.next_if(|h| h.chain_id == app.id);
            let covered_seq = covered_head.as_ref().map(|h| h.seq);
            let mut hash_at_covered = (covered_seq == Some(0)).then(|| GENESIS.to_string());
            let mut problem: Option<(i64, String)> = None;
            let mut prev_seq = 0_i64;
            let mut prev_hash = GENESIS.to_string();
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
                } else if event.prev_hash != prev_hash {
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
                prev_hash = event.hash;
                last_state = event.to_state;
            }
            if problem.is_none() && (prev_seq != app.audit_seq || prev_hash != app.last_hash) {
                problem = Some((
                    prev_seq + 1,
                    format!(
                        "the chain ends at event {prev_seq} but the application records {} events: events were removed",
                        app.audit_seq
                    ),
                ));
            }
            if problem.is_none() && prev_seq > 0 && last_state != app.state {
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
                    length: prev_seq,
                    hash_at_covered: hash_at_covered.as_deref(),
                };
                problem = checkpoints::compare_with_covered(
                    store,
                    covered_head.as_ref().filter(|_| checkpoint.is_some()),
                    &seen,
                    checkpoint.unwrap_or_default(),
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
            report.broken.push(deleted(&gone, checkpoint));
        }
    }
    // Chains covered beyond the last application there is.
    if let Some(number) = checkpoint {
        loop {
            let gone =
                checkpoints::covered_heads(store, ChainKind::Case, number, after_id, None, 500)
                    .await?;
            let Some(last) = gone.last() else { break };
            after_id = last.chain_id;
            for head in &gone {
                report.broken.push(deleted(head, checkpoint));
            }
        }
    }
    report.first_broken = report.broken.first().cloned();
    Ok(report)
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
