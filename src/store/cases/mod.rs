//! Applications and their members: the types a case is stored and loaded
//! as, and the small queries around them. Loading is in `load`, inserting
//! new cases in `insert`, the one writer of a case's head row in `head`,
//! a decided step in `step`, and the other edits (assignee, family, name
//! forms) in `edit`.

mod edit;
pub mod group;
mod head;
mod insert;
mod load;
mod migrate;
mod step;

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
};

use crate::domain::audit::SealedEvent;
use crate::domain::family::{DocumentKind, Member};
use crate::store::entities::{application, member, outbox};
use crate::store::{Store, StoreError, Tx, backend_of, statement};
use crate::workflow::case::{Case, CaseMember};
use crate::workflow::sla::Clock;

pub use edit::{
    NameFolding, StoredNames, add_member, append_event, fill_name_parts, members_after,
    name_folding, record_name_folding, replace_family, save_assignee,
};
pub use insert::insert_cases;
pub use load::{load_case, load_case_with_people, read_case, read_case_with_people};
pub use migrate::{MigrationSelection, MigrationWrite, migration_candidates, save_migration};
pub use step::{Once, StepFailure, StepWrite, Stepped, step};

/// Everything stored about a case besides what the engine decides on.
#[derive(Clone, Debug)]
pub struct CaseMeta {
    pub reference: String,
    pub workflow_name: String,
    pub workflow_version: u32,
    pub district: String,
    pub office: String,
    pub submitted_on: NaiveDate,
    pub applicant_email: Option<String>,
    pub assignee: Option<String>,
    pub state_entered_at: DateTime<Utc>,
    pub clock: Clock,
    pub origin: String,
    pub created_at: DateTime<Utc>,
}

/// A row for the outbox.
#[derive(Clone, Debug, PartialEq)]
pub struct OutboxDraft {
    pub kind: String,
    pub payload: serde_json::Value,
}

/// A whole new case: its rows, its audit events and its outbox rows.
#[derive(Clone, Debug)]
pub struct NewCase {
    pub meta: CaseMeta,
    pub case: Case,
    /// The people, in the order of `case.members`.
    pub people: Vec<Member>,
    pub events: Vec<SealedEvent>,
    pub outbox: Vec<OutboxDraft>,
}

/// An application's stored row as the layers above read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: i64,
    pub reference: String,
    pub workflow_name: String,
    pub workflow_version: i32,
    pub district: String,
    pub office: String,
    pub submitted_on: NaiveDate,
    pub applicant_email: Option<String>,
    pub state: String,
    pub assignee: Option<String>,
    pub version: i64,
    pub state_entered_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    pub paused_since: Option<NaiveDate>,
    pub paused_working_days: i32,
    /// The head of the audit chain: its last event's number and hash.
    pub audit_seq: i64,
    pub last_hash: String,
    pub origin: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<application::Model> for CaseRecord {
    fn from(row: application::Model) -> CaseRecord {
        CaseRecord {
            id: row.id,
            reference: row.reference,
            workflow_name: row.workflow_name,
            workflow_version: row.workflow_version,
            district: row.district,
            office: row.office,
            submitted_on: row.submitted_on,
            applicant_email: row.applicant_email,
            state: row.state,
            assignee: row.assignee,
            version: row.version,
            state_entered_at: row.state_entered_at,
            due_on: row.due_on,
            paused_since: row.paused_since,
            paused_working_days: row.paused_working_days,
            audit_seq: row.audit_seq,
            last_hash: row.last_hash,
            origin: row.origin,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A family member as stored: the person as typed at the counter, with
/// the documents parsed, and where the member's own track stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonRecord {
    pub ordinal: u32,
    pub first_name: String,
    pub father_name: String,
    pub mother_name: String,
    pub family_name: String,
    pub latin_first_name: Option<String>,
    pub latin_family_name: Option<String>,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub relationship: String,
    pub register_number: Option<String>,
    pub abroad: bool,
    pub documents: BTreeSet<DocumentKind>,
    pub state: String,
    pub national_number: Option<String>,
    pub card_number: Option<String>,
    pub collector_document: Option<String>,
    pub exclusion_reason: Option<String>,
    pub card_due_on: Option<NaiveDate>,
}

/// A case as loaded for a decision.
#[derive(Clone, Debug)]
pub struct LoadedCase {
    pub record: CaseRecord,
    /// Member row ids by ordinal.
    pub member_ids: HashMap<u32, i64>,
    pub case: Case,
}

impl LoadedCase {
    pub fn clock(&self) -> Clock {
        Clock {
            due_on: self.record.due_on,
            paused_since: self.record.paused_since,
            paused_working_days: self.record.paused_working_days,
        }
    }
}

/// Claims the next reference number for `prefix` (e.g. `HSK`) and `year`.
pub async fn next_reference(tx: &Tx, prefix: &str, year: i32) -> Result<String, StoreError> {
    let key = format!("{prefix}-{year}");
    let backend = backend_of(&tx.inner);
    tx.inner
        .execute_raw(statement(
            backend,
            "INSERT INTO reference_sequences (prefix_year, last_value) VALUES ($1, 0) ON CONFLICT (prefix_year) DO NOTHING",
            vec![key.clone().into()],
        ))
        .await?;
    let row = tx
        .inner
        .query_one_raw(statement(
            backend,
            "UPDATE reference_sequences SET last_value = last_value + 1 WHERE prefix_year = $1 RETURNING last_value",
            vec![key.clone().into()],
        ))
        .await?
        .ok_or(StoreError::NotFound)?;
    let value: i64 = row.try_get_by_index(0).map_err(StoreError::from)?;
    Ok(format!("{key}-{value:06}"))
}

/// Moves the sequence for `prefix`-`year` past `value` (after bulk loads
/// that chose their own references).
pub async fn bump_reference(
    tx: &Tx,
    prefix: &str,
    year: i32,
    value: i64,
) -> Result<(), StoreError> {
    let key = format!("{prefix}-{year}");
    let backend = backend_of(&tx.inner);
    tx.inner
        .execute_raw(statement(
            backend,
            "INSERT INTO reference_sequences (prefix_year, last_value) VALUES ($1, $2) \
             ON CONFLICT (prefix_year) DO UPDATE SET last_value = CASE WHEN reference_sequences.last_value < $3 \
             THEN $4 ELSE reference_sequences.last_value END",
            vec![key.into(), value.into(), value.into(), value.into()],
        ))
        .await?;
    Ok(())
}

fn join_documents(documents: &BTreeSet<DocumentKind>) -> String {
    documents
        .iter()
        .map(|d| d.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn split_documents(text: &str) -> BTreeSet<DocumentKind> {
    text.split(',').filter_map(DocumentKind::parse).collect()
}

async fn insert_outbox(tx: &Tx, rows: Vec<outbox::ActiveModel>) -> Result<(), StoreError> {
    let mut rest = rows;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(2000));
        outbox::Entity::insert_many(rest)
            .exec_without_returning(&tx.inner)
            .await?;
        rest = tail;
    }
    Ok(())
}

fn outbox_model(
    application_id: Option<i64>,
    draft: &OutboxDraft,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        application_id: Set(application_id),
        kind: Set(draft.kind.clone()),
        payload: Set(draft.payload.to_string()),
        status: Set("pending".into()),
        attempts: Set(0),
        created_at: Set(now),
        next_attempt_at: Set(now),
        sent_at: Set(None),
        last_error: Set(None),
        ..Default::default()
    }
}

fn member_model(application_id: i64, person: &Member, m: &CaseMember) -> member::ActiveModel {
    member::ActiveModel {
        application_id: Set(application_id),
        ordinal: Set(m.ordinal as i32),
        first_name: Set(person.first_name.as_str().to_string()),
        father_name: Set(person.father_name.as_str().to_string()),
        mother_name: Set(person.mother_name.as_str().to_string()),
        family_name: Set(person.family_name.as_str().to_string()),
        latin_first_name: Set(person
            .latin_first_name
            .as_ref()
            .map(|n| n.as_str().to_string())),
        latin_family_name: Set(person
            .latin_family_name
            .as_ref()
            .map(|n| n.as_str().to_string())),
        name_first: Set(person.first_name.search_form()),
        name_father: Set(person.father_name.search_form()),
        name_family: Set(person.family_name.search_form()),
        sex: Set(person.sex.as_str().to_string()),
        birth_date: Set(person.birth_date),
        birth_place: Set(person.birth_place.clone()),
        relationship: Set(person.relationship.as_str().to_string()),
        register_number: Set(person
            .register_number
            .as_ref()
            .map(|n| n.as_str().to_string())),
        abroad: Set(person.abroad),
        documents: Set(join_documents(&person.documents)),
        state: Set(m.state.clone()),
        national_number: Set(m.national_number.clone()),
        card_number: Set(m.card_number.clone()),
        collector_document: Set(m.collector_document.clone()),
        exclusion_reason: Set(m.exclusion_reason.clone()),
        card_due_on: Set(m.card_due_on),
        state_changed_on: Set(m.state_changed_on),
        registered_on: Set(m.registered_on),
        ..Default::default()
    }
}

/// How many applications the database holds.
pub async fn count_applications(store: &Store) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(application::Entity::find().count(store.conn()).await?)
}

/// Applications per state, for checks and the command line.
pub async fn count_by_state(store: &Store) -> Result<Vec<(String, i64)>, StoreError> {
    let backend = backend_of(store.conn());
    let rows = store
        .conn()
        .query_all_raw(statement(
            backend,
            "SELECT state, COUNT(*) FROM applications GROUP BY state ORDER BY state",
            vec![],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push((
            row.try_get_by_index::<String>(0)?,
            row.try_get_by_index::<i64>(1)?,
        ));
    }
    Ok(out)
}

/// Outbox rows not yet sent.
pub async fn count_outbox_pending(store: &Store) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq("pending"))
        .count(store.conn())
        .await?)
}

/// The reference of an application by id.
pub async fn reference_of(tx: &Tx, application_id: i64) -> Result<String, StoreError> {
    Ok(application::Entity::find_by_id(application_id)
        .one(&tx.inner)
        .await?
        .ok_or(StoreError::NotFound)?
        .reference)
}

/// Which of `references` are already stored.
pub async fn existing_references(
    store: &Store,
    references: &[String],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut out = std::collections::HashSet::new();
    for chunk in references.chunks(1000) {
        let rows = application::Entity::find()
            .select_only()
            .column(application::Column::Reference)
            .filter(application::Column::Reference.is_in(chunk.iter().cloned()))
            .into_tuple::<String>()
            .all(store.conn())
            .await?;
        out.extend(rows);
    }
    Ok(out)
}
