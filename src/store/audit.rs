//! The audit trail as stored: append-only and hash-chained per application
//! (the hashing itself is pure, in [`crate::domain::audit`]).
//!
//! The application row keeps the chain's head (`audit_seq`, `last_hash`),
//! so appending needs no extra query and a truncated chain is caught too.

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::audit::{GENESIS, SealedEvent, event_hash};
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

/// The first broken link found by [`verify`].
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
    pub first_broken: Option<BrokenLink>,
}

/// Walks every application's chain in id order and names the first broken
/// link: an edited row, a removed or inserted row, or a chain cut short.
pub async fn verify(store: &Store) -> Result<VerifyReport, StoreError> {
    let db = store.conn();
    let mut report = VerifyReport {
        applications: 0,
        events: 0,
        first_broken: None,
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
        after_id = last.id;
        let (first_id, last_id) = (apps[0].id, last.id);
        let events = audit_event::Entity::find()
            .filter(audit_event::Column::ApplicationId.between(first_id, last_id))
            .order_by_asc(audit_event::Column::ApplicationId)
            .order_by_asc(audit_event::Column::Seq)
            .all(db)
            .await?;
        let mut events = events.into_iter().peekable();
        for app in &apps {
            report.applications += 1;
            let mut prev_seq = 0_i64;
            let mut prev_hash = GENESIS.to_string();
            let mut last_state = String::new();
            while let Some(event) = events.next_if(|e| e.application_id == app.id) {
                report.events += 1;
                if report.first_broken.is_some() {
                    continue;
                }
                let problem = if event.seq != prev_seq + 1 {
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
                };
                if let Some(problem) = problem {
                    report.first_broken = Some(BrokenLink {
                        reference: app.reference.clone(),
                        seq: event.seq,
                        problem,
                    });
                }
                prev_seq = event.seq;
                prev_hash = event.hash;
                last_state = event.to_state;
            }
            if report.first_broken.is_none()
                && (prev_seq != app.audit_seq || prev_hash != app.last_hash)
            {
                report.first_broken = Some(BrokenLink {
                    reference: app.reference.clone(),
                    seq: prev_seq + 1,
                    problem: format!(
                        "the chain ends at event {prev_seq} but the application records {} events: events were removed",
                        app.audit_seq
                    ),
                });
            }
            if report.first_broken.is_none() && prev_seq > 0 && last_state != app.state {
                report.first_broken = Some(BrokenLink {
                    reference: app.reference.clone(),
                    seq: prev_seq,
                    problem: format!(
                        "the application is in '{}' but its audit trail ends in '{last_state}': the state was changed outside the engine",
                        app.state
                    ),
                });
            }
        }
    }
    Ok(report)
}
