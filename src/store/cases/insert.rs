//! Inserting whole new cases, many per statement, as bulk loads need:
//! their rows, members, sealed audit events, outbox rows and tallies.

use std::collections::HashMap;

use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::domain::audit::GENESIS;
use crate::store::audit;
use crate::store::cases::{NewCase, insert_outbox, join_documents, member_model, outbox_model};
use crate::store::entities::{application, member};
use crate::store::tallies::{self, Acted, Facts, MemberFacts, Tally};
use crate::store::{StoreError, Tx};

/// Inserts whole cases: many per statement, as bulk loads need.
pub async fn insert_cases(tx: &Tx, cases: &[NewCase]) -> Result<Vec<i64>, StoreError> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let mut apps = Vec::with_capacity(cases.len());
    for new in cases {
        let (seq, last_hash) = new
            .events
            .last()
            .map_or((0, GENESIS.to_string()), |e| (e.seq, e.hash.clone()));
        apps.push(application::ActiveModel {
            reference: Set(new.meta.reference.clone()),
            workflow_name: Set(new.meta.workflow_name.clone()),
            workflow_version: Set(new.meta.workflow_version as i32),
            district: Set(new.meta.district.clone()),
            office: Set(new.meta.office.clone()),
            submitted_on: Set(new.meta.submitted_on),
            applicant_email: Set(new.meta.applicant_email.clone()),
            state: Set(new.case.state.clone()),
            assignee: Set(new.meta.assignee.clone()),
            version: Set(new.case.version),
            state_entered_at: Set(new.meta.state_entered_at),
            due_on: Set(new.meta.clock.due_on),
            paused_since: Set(new.meta.clock.paused_since),
            paused_working_days: Set(new.meta.clock.paused_working_days),
            duties: Set(new.case.duties.to_json()),
            family_documents: Set(join_documents(&new.case.family_documents)),
            audit_seq: Set(seq),
            last_hash: Set(last_hash),
            origin: Set(new.meta.origin.clone()),
            created_at: Set(new.meta.created_at),
            updated_at: Set(new.meta.created_at),
            ..Default::default()
        });
    }
    // 22 columns per row: 1,000 rows stay under SQLite's parameter bound.
    let mut rest = apps;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(1000));
        application::Entity::insert_many(rest)
            .exec_without_returning(&tx.inner)
            .await?;
        rest = tail;
    }
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(cases.len());
    for chunk in cases.chunks(1000) {
        let references: Vec<String> = chunk.iter().map(|c| c.meta.reference.clone()).collect();
        for row in application::Entity::find()
            .filter(application::Column::Reference.is_in(references))
            .all(&tx.inner)
            .await?
        {
            ids.insert(row.reference, row.id);
        }
    }
    let mut members = Vec::new();
    let mut events = Vec::new();
    let mut outbox_rows = Vec::new();
    let mut out = Vec::with_capacity(cases.len());
    for new in cases {
        let id = *ids.get(&new.meta.reference).ok_or_else(|| {
            StoreError::Corrupt(format!("{} vanished during insert", new.meta.reference))
        })?;
        out.push(id);
        for (person, m) in new.people.iter().zip(&new.case.members) {
            members.push(member_model(id, person, m));
        }
        events.extend(new.events.iter().map(|e| audit::active_model(id, e)));
        outbox_rows.extend(
            new.outbox
                .iter()
                .map(|o| outbox_model(Some(id), o, new.meta.created_at)),
        );
    }
    let mut rest = members;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(1000));
        member::Entity::insert_many(rest)
            .exec_without_returning(&tx.inner)
            .await?;
        rest = tail;
    }
    audit::insert_models(tx, events).await?;
    insert_outbox(tx, outbox_rows).await?;
    let mut tally = Tally::default();
    for new in cases {
        let facts = Facts {
            workflow: &new.meta.workflow_name,
            workflow_version: new.meta.workflow_version as i32,
            district: &new.meta.district,
            office: &new.meta.office,
            submitted_on: new.meta.submitted_on,
            state: &new.case.state,
            state_entered_at: new.meta.state_entered_at,
            due_on: new.meta.clock.due_on,
            assignee: new.meta.assignee.as_deref(),
            members: new.case.members.iter().map(MemberFacts::from).collect(),
        };
        tally.case(&facts, 1);
        for e in &new.events {
            tally.acted(Acted::of(facts.workflow, facts.district, &e.draft));
        }
    }
    tallies::write(tx, tally).await?;
    Ok(out)
}
