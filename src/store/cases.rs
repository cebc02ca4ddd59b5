//! Applications and their members: insert, load as an engine snapshot, and
//! save one step guarded by the version counter.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::domain::family::{DocumentKind, Member, Relationship};
use crate::domain::names::normalise_for_search;
use crate::store::audit::{self, SealedEvent};
use crate::store::entities::{application, member, outbox};
use crate::store::tallies::{self, Facts, MemberFacts, Tally};
use crate::store::{Store, StoreError, Tx, backend_of, statement};
use crate::workflow::case::{Case, CaseMember};
use crate::workflow::sla::Clock;

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

/// A case as loaded for a decision.
#[derive(Clone, Debug)]
pub struct LoadedCase {
    pub row: application::Model,
    /// Member row ids by ordinal.
    pub member_ids: HashMap<u32, i64>,
    pub case: Case,
}

impl LoadedCase {
    pub fn clock(&self) -> Clock {
        Clock {
            due_on: self.row.due_on,
            paused_since: self.row.paused_since,
            paused_working_days: self.row.paused_working_days,
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
            .map_or((0, audit::GENESIS.to_string()), |e| (e.seq, e.hash.clone()));
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
            verifiers: Set(
                serde_json::to_string(&new.case.verifiers).unwrap_or_else(|_| "[]".into())
            ),
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
            tally.acted(&new.meta.district, &e.draft.actor, e.draft.at);
        }
    }
    tallies::write(tx, tally).await?;
    Ok(out)
}

/// The tally facts of a case as loaded.
fn loaded_facts(loaded: &LoadedCase) -> Facts<'_> {
    Facts::of_row(
        &loaded.row,
        loaded.case.members.iter().map(MemberFacts::from).collect(),
    )
}

/// Writes the tally change of a case from `before` to `after` and the
/// events' actors.
async fn write_tally(
    tx: &Tx,
    before: &Facts<'_>,
    after: &Facts<'_>,
    events: &[SealedEvent],
) -> Result<(), StoreError> {
    let mut tally = Tally::change(before, after);
    for e in events {
        tally.acted(after.district, &e.draft.actor, e.draft.at);
    }
    tallies::write(tx, tally).await
}

/// The chain head after a step's events (the loaded one if it has none).
fn head_after(loaded: &LoadedCase, write: &StepWrite<'_>) -> (i64, String) {
    write
        .events
        .last()
        .map_or((loaded.row.audit_seq, loaded.row.last_hash.clone()), |e| {
            (e.seq, e.hash.clone())
        })
}

/// A step's tally difference: the case as loaded against as saved, and
/// one action per event.
fn step_tally(loaded: &LoadedCase, write: &StepWrite<'_>) -> Tally {
    let before = loaded_facts(loaded);
    let after = Facts {
        state: &write.next.state,
        state_entered_at: write.state_entered_at,
        due_on: write.clock.due_on,
        members: write.next.members.iter().map(MemberFacts::from).collect(),
        ..Facts::of_row(&loaded.row, Vec::new())
    };
    let mut tally = Tally::change(&before, &after);
    for e in write.events {
        tally.acted(after.district, &e.draft.actor, e.draft.at);
    }
    tally
}

/// A member column's value, as written.
type MemberValue = fn(&CaseMember) -> sea_orm::Value;

/// The member columns a step may change, with their PostgreSQL type: both
/// save paths write these and only these.
const MEMBER_STEP_COLUMNS: [(member::Column, &str, MemberValue); 8] = [
    (member::Column::State, "text", |m| m.state.clone().into()),
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

/// The stored id and the new state of each member the step changed.
fn changed_members<'a>(
    loaded: &LoadedCase,
    write: &StepWrite<'a>,
) -> Result<Vec<(i64, &'a CaseMember)>, StoreError> {
    write
        .changed_members
        .iter()
        .map(
            |ordinal| match (loaded.member_ids.get(ordinal), write.next.member(*ordinal)) {
                (Some(id), Some(m)) => Ok((*id, m)),
                _ => Err(StoreError::Corrupt(format!(
                    "{}: no member {ordinal}",
                    loaded.row.reference
                ))),
            },
        )
        .collect()
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

/// Loads a case by reference for a decision.
pub async fn load_case(tx: &Tx, reference: &str) -> Result<LoadedCase, StoreError> {
    let (row, members, _) = load_rows(&tx.inner, reference, false).await?;
    assemble(row, members)
}

/// Loads a case outside any transaction (for reads).
pub async fn read_case(store: &Store, reference: &str) -> Result<LoadedCase, StoreError> {
    let (row, members, _) = load_rows(store.conn(), reference, false).await?;
    assemble(row, members)
}

/// [`read_case`] with the member rows as stored and the number of open
/// possible-duplicate pairs, for views (the same one query).
pub async fn read_case_with_people(
    store: &Store,
    reference: &str,
) -> Result<(LoadedCase, Vec<member::Model>, i64), StoreError> {
    let (row, members, open_duplicates) = load_rows(store.conn(), reference, true).await?;
    Ok((assemble(row, members.clone())?, members, open_duplicates))
}

/// The SQL of [`load_rows`], written once per process: the application's
/// columns as `A_…`, its members' as `B_…` (one result row per member),
/// and, `with_flags`, the open possible-duplicate pairs of the case seen
/// from its side (a pair flagged both ways counts once per reason, as
/// `duplicates::of_application` lists them).
fn load_sql(with_flags: bool) -> &'static str {
    use sea_orm::{IdenStatic, Iterable};
    static PLAIN: OnceLock<String> = OnceLock::new();
    static FLAGS: OnceLock<String> = OnceLock::new();
    let build = || {
        let mut columns: Vec<String> = application::Column::iter()
            .map(|c| format!("a.{0} AS \"A_{0}\"", c.as_str()))
            .chain(member::Column::iter().map(|c| format!("m.{0} AS \"B_{0}\"", c.as_str())))
            .collect();
        if with_flags {
            columns.push(format!(
                "(SELECT COUNT(*) FROM (SELECT ordinal, other_application_id, other_ordinal, reason \
                 FROM duplicate_flags WHERE application_id = a.id AND status = '{OPEN}' \
                 UNION SELECT other_ordinal, application_id, ordinal, reason FROM duplicate_flags \
                 WHERE other_application_id = a.id AND status = '{OPEN}') f) AS open_duplicates",
                OPEN = crate::store::duplicates::OPEN
            ));
        }
        format!(
            "SELECT {} FROM applications a LEFT JOIN members m ON m.application_id = a.id \
             WHERE a.reference = $1 ORDER BY m.ordinal",
            columns.join(", ")
        )
    };
    if with_flags {
        FLAGS.get_or_init(build)
    } else {
        PLAIN.get_or_init(build)
    }
}

/// The application row and its members in one query (one round trip), and
/// with `with_flags` its open duplicate pairs. Columns are read by
/// position, in [`load_sql`]'s order (by name, the prefixed names cost a
/// third of a transition's own CPU: a string formatted per column per row).
async fn load_rows(
    conn: &impl ConnectionTrait,
    reference: &str,
    with_flags: bool,
) -> Result<(application::Model, Vec<member::Model>, i64), StoreError> {
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            load_sql(with_flags),
            vec![reference.into()],
        ))
        .await?;
    let Some(first) = rows.first() else {
        return Err(StoreError::NotFound);
    };
    use sea_orm::Iterable;
    let row = application_at(first)?;
    let application_columns = application::Column::iter().count();
    let open_duplicates = if with_flags {
        first.try_get_by_index::<i64>(application_columns + member::Column::iter().count())?
    } else {
        0
    };
    let mut members = Vec::with_capacity(rows.len());
    for r in &rows {
        if let Some(m) = member_at(r, application_columns)? {
            members.push(m);
        }
    }
    Ok((row, members, open_duplicates))
}

/// Reads a result row's columns one after the other.
struct Columns<'r> {
    row: &'r sea_orm::QueryResult,
    at: usize,
}

impl Columns<'_> {
    fn next<T: sea_orm::TryGetable>(&mut self) -> Result<T, sea_orm::DbErr> {
        let value = self.row.try_get_by_index(self.at);
        self.at += 1;
        value
    }
}

/// An application row from the first columns of a result row, in the
/// entity's field order.
fn application_at(row: &sea_orm::QueryResult) -> Result<application::Model, sea_orm::DbErr> {
    let mut c = Columns { row, at: 0 };
    Ok(application::Model {
        id: c.next()?,
        reference: c.next()?,
        workflow_name: c.next()?,
        workflow_version: c.next()?,
        district: c.next()?,
        office: c.next()?,
        submitted_on: c.next()?,
        applicant_email: c.next()?,
        state: c.next()?,
        assignee: c.next()?,
        version: c.next()?,
        state_entered_at: c.next()?,
        due_on: c.next()?,
        paused_since: c.next()?,
        paused_working_days: c.next()?,
        verifiers: c.next()?,
        family_documents: c.next()?,
        audit_seq: c.next()?,
        last_hash: c.next()?,
        origin: c.next()?,
        created_at: c.next()?,
        updated_at: c.next()?,
    })
}

/// A member row from the columns at `offset` on (none when the left join
/// found no member), in the entity's field order.
fn member_at(
    row: &sea_orm::QueryResult,
    offset: usize,
) -> Result<Option<member::Model>, sea_orm::DbErr> {
    let mut c = Columns { row, at: offset };
    let Some(id) = c.next::<Option<i64>>()? else {
        return Ok(None);
    };
    Ok(Some(member::Model {
        id,
        application_id: c.next()?,
        ordinal: c.next()?,
        first_name: c.next()?,
        father_name: c.next()?,
        mother_name: c.next()?,
        family_name: c.next()?,
        latin_first_name: c.next()?,
        latin_family_name: c.next()?,
        name_first: c.next()?,
        name_father: c.next()?,
        name_family: c.next()?,
        sex: c.next()?,
        birth_date: c.next()?,
        birth_place: c.next()?,
        relationship: c.next()?,
        register_number: c.next()?,
        abroad: c.next()?,
        documents: c.next()?,
        state: c.next()?,
        national_number: c.next()?,
        card_number: c.next()?,
        collector_document: c.next()?,
        exclusion_reason: c.next()?,
        card_due_on: c.next()?,
        state_changed_on: c.next()?,
        registered_on: c.next()?,
    }))
}

fn assemble(row: application::Model, rows: Vec<member::Model>) -> Result<LoadedCase, StoreError> {
    let mut member_ids = HashMap::with_capacity(rows.len());
    let mut members = Vec::with_capacity(rows.len());
    for m in rows {
        let relationship = Relationship::parse(&m.relationship).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "member {} has relationship '{}'",
                m.id, m.relationship
            ))
        })?;
        member_ids.insert(m.ordinal as u32, m.id);
        members.push(CaseMember {
            ordinal: m.ordinal as u32,
            name: format!("{} {} {}", m.first_name, m.father_name, m.family_name),
            relationship,
            birth_date: m.birth_date,
            abroad: m.abroad,
            register_number: m.register_number,
            documents: split_documents(&m.documents),
            state: m.state,
            national_number: m.national_number,
            card_number: m.card_number,
            collector_document: m.collector_document,
            exclusion_reason: m.exclusion_reason,
            card_due_on: m.card_due_on,
            state_changed_on: m.state_changed_on,
            registered_on: m.registered_on,
        });
    }
    let verifiers: BTreeSet<String> = serde_json::from_str(&row.verifiers)
        .map_err(|e| StoreError::Corrupt(format!("{}: verifiers: {e}", row.reference)))?;
    let case = Case {
        reference: row.reference.clone(),
        district: row.district.clone(),
        state: row.state.clone(),
        version: row.version,
        verifiers,
        family_documents: split_documents(&row.family_documents),
        members,
    };
    Ok(LoadedCase {
        row,
        member_ids,
        case,
    })
}

/// The writes of one decided step.
pub struct StepWrite<'a> {
    pub next: &'a Case,
    pub changed_members: Vec<u32>,
    pub clock: Clock,
    pub state_entered_at: DateTime<Utc>,
    pub events: &'a [SealedEvent],
    pub outbox: &'a [OutboxDraft],
    pub now: DateTime<Utc>,
}

/// Saves a step: the application row only if its version is still the one
/// loaded (else [`StoreError::Conflict`] and the caller rolls back), the
/// changed members, the audit events and the outbox rows.
pub async fn save_step(
    tx: &Tx,
    loaded: &LoadedCase,
    write: StepWrite<'_>,
) -> Result<(), StoreError> {
    if backend_of(&tx.inner) == sea_orm::DbBackend::Postgres {
        return save_step_in_one_statement(&tx.inner, tx.slot.slot, loaded, write).await;
    }
    let (seq, last_hash) = head_after(loaded, &write);
    let members = changed_members(loaded, &write)?;
    // SQLite rewrites every index on a column named in SET, changed or not
    // (PostgreSQL compares values): only the changed columns are written.
    let row = &loaded.row;
    let verifiers = serde_json::to_string(&write.next.verifiers).unwrap_or_else(|_| "[]".into());
    let mut update = application::Entity::update_many()
        .col_expr(
            application::Column::Version,
            Expr::value(write.next.version),
        )
        .col_expr(application::Column::AuditSeq, Expr::value(seq))
        .col_expr(application::Column::LastHash, Expr::value(last_hash))
        .col_expr(application::Column::UpdatedAt, Expr::value(write.now));
    if write.next.state != row.state {
        update = update.col_expr(
            application::Column::State,
            Expr::value(write.next.state.clone()),
        );
    }
    if write.state_entered_at != row.state_entered_at {
        update = update.col_expr(
            application::Column::StateEnteredAt,
            Expr::value(write.state_entered_at),
        );
    }
    if write.clock.due_on != row.due_on {
        update = update.col_expr(application::Column::DueOn, Expr::value(write.clock.due_on));
    }
    if write.clock.paused_since != row.paused_since {
        update = update.col_expr(
            application::Column::PausedSince,
            Expr::value(write.clock.paused_since),
        );
    }
    if write.clock.paused_working_days != row.paused_working_days {
        update = update.col_expr(
            application::Column::PausedWorkingDays,
            Expr::value(write.clock.paused_working_days),
        );
    }
    if verifiers != row.verifiers {
        update = update.col_expr(application::Column::Verifiers, Expr::value(verifiers));
    }
    let updated = update
        .filter(application::Column::Id.eq(row.id))
        .filter(application::Column::Version.eq(row.version))
        .exec(&tx.inner)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
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
    audit::append(tx, loaded.row.id, write.events).await?;
    tallies::write(tx, step_tally(loaded, &write)).await?;
    insert_outbox(
        tx,
        write
            .outbox
            .iter()
            .map(|o| outbox_model(Some(loaded.row.id), o, write.now))
            .collect(),
    )
    .await?;
    Ok(())
}

/// [`save_step`] on PostgreSQL without a transaction around it: the one
/// statement is its own transaction (whole or nothing), guarded by the
/// version the case was loaded at.
pub async fn save_step_alone(
    store: &Store,
    loaded: &LoadedCase,
    write: StepWrite<'_>,
) -> Result<(), StoreError> {
    if store.is_sqlite() {
        return Err(StoreError::Unexpected(
            "a step without a transaction needs PostgreSQL".into(),
        ));
    }
    let slot = store.slots.lease();
    save_step_in_one_statement(store.conn(), slot.slot, loaded, write).await
}

/// Collects the bound values of a statement and hands out their `$n`.
struct Params(Vec<sea_orm::Value>);

impl Params {
    /// Binds `value` and returns its placeholder with a cast to `ty`.
    fn bind(&mut self, value: impl Into<sea_orm::Value>, ty: &str) -> String {
        self.0.push(value.into());
        format!("${}::{ty}", self.0.len())
    }
}

/// [`save_step`] on PostgreSQL: every write of the step in one statement
/// (one round trip instead of four or five). The version-guarded `UPDATE`
/// of the application is the first data-modifying CTE; the member updates,
/// the audit events, the tally upsert and the outbox rows each read from it,
/// so when the guard matches no row (a concurrent change) none of them
/// writes anything, and the statement reports zero rows.
async fn save_step_in_one_statement(
    conn: &impl ConnectionTrait,
    slot: i16,
    loaded: &LoadedCase,
    write: StepWrite<'_>,
) -> Result<(), StoreError> {
    let (seq, last_hash) = head_after(loaded, &write);
    let mut p = Params(Vec::with_capacity(64));
    let mut sql = format!(
        "WITH a AS (UPDATE applications SET state = {}, version = {}, state_entered_at = {}, \
         due_on = {}, paused_since = {}, paused_working_days = {}, verifiers = {}, \
         audit_seq = {}, last_hash = {}, updated_at = {} WHERE id = {} AND version = {} RETURNING id)",
        p.bind(write.next.state.clone(), "text"),
        p.bind(write.next.version, "int8"),
        p.bind(write.state_entered_at, "timestamptz"),
        p.bind(write.clock.due_on, "date"),
        p.bind(write.clock.paused_since, "date"),
        p.bind(write.clock.paused_working_days, "int4"),
        p.bind(
            serde_json::to_string(&write.next.verifiers).unwrap_or_else(|_| "[]".into()),
            "text"
        ),
        p.bind(seq, "int8"),
        p.bind(last_hash, "text"),
        p.bind(write.now, "timestamptz"),
        p.bind(loaded.row.id, "int8"),
        p.bind(loaded.row.version, "int8"),
    );
    let mut rows = Vec::new();
    for (id, m) in changed_members(loaded, &write)? {
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
    let tally_rows: Vec<String> = step_tally(loaded, &write)
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

/// Sets or clears the assignee, guarded by the version like any change,
/// with its audit event.
pub async fn save_assignee(
    tx: &Tx,
    loaded: &LoadedCase,
    assignee: Option<&str>,
    event: &SealedEvent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let updated = application::Entity::update_many()
        .col_expr(
            application::Column::Assignee,
            Expr::value(assignee.map(str::to_string)),
        )
        .col_expr(
            application::Column::Version,
            Expr::value(loaded.row.version + 1),
        )
        .col_expr(application::Column::AuditSeq, Expr::value(event.seq))
        .col_expr(
            application::Column::LastHash,
            Expr::value(event.hash.clone()),
        )
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(loaded.row.id))
        .filter(application::Column::Version.eq(loaded.row.version))
        .exec(&tx.inner)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    let before = loaded_facts(loaded);
    let after = Facts {
        assignee,
        ..loaded_facts(loaded)
    };
    write_tally(tx, &before, &after, std::slice::from_ref(event)).await?;
    audit::append(tx, loaded.row.id, std::slice::from_ref(event)).await
}

/// Outbox rows not yet sent.
pub async fn count_outbox_pending(store: &Store) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(outbox::Entity::find()
        .filter(outbox::Column::Status.eq("pending"))
        .count(store.conn())
        .await?)
}

/// Replaces the family (members, documents, office, dates) of a case that is
/// still being put together, guarded by the version, with its audit event.
pub async fn replace_family(
    tx: &Tx,
    loaded: &LoadedCase,
    next: &Case,
    people: &[Member],
    meta: &CaseMeta,
    event: &SealedEvent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let updated = application::Entity::update_many()
        .col_expr(
            application::Column::Office,
            Expr::value(meta.office.clone()),
        )
        .col_expr(
            application::Column::SubmittedOn,
            Expr::value(meta.submitted_on),
        )
        .col_expr(
            application::Column::ApplicantEmail,
            Expr::value(meta.applicant_email.clone()),
        )
        .col_expr(
            application::Column::FamilyDocuments,
            Expr::value(join_documents(&next.family_documents)),
        )
        .col_expr(application::Column::Version, Expr::value(next.version))
        .col_expr(application::Column::AuditSeq, Expr::value(event.seq))
        .col_expr(
            application::Column::LastHash,
            Expr::value(event.hash.clone()),
        )
        .col_expr(application::Column::UpdatedAt, Expr::value(now))
        .filter(application::Column::Id.eq(loaded.row.id))
        .filter(application::Column::Version.eq(loaded.row.version))
        .exec(&tx.inner)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    member::Entity::delete_many()
        .filter(member::Column::ApplicationId.eq(loaded.row.id))
        .exec(&tx.inner)
        .await?;
    let rows: Vec<member::ActiveModel> = people
        .iter()
        .zip(&next.members)
        .map(|(person, m)| member_model(loaded.row.id, person, m))
        .collect();
    member::Entity::insert_many(rows)
        .exec_without_returning(&tx.inner)
        .await?;
    let before = loaded_facts(loaded);
    let after = Facts {
        office: &meta.office,
        submitted_on: meta.submitted_on,
        members: next.members.iter().map(MemberFacts::from).collect(),
        ..Facts::of_row(&loaded.row, Vec::new())
    };
    write_tally(tx, &before, &after, std::slice::from_ref(event)).await?;
    audit::append(tx, loaded.row.id, std::slice::from_ref(event)).await
}

/// Fills the search form of each name part for members stored before those
/// columns existed (run once after migrating; a no-op afterwards).
pub async fn fill_name_parts(store: &Store) -> Result<u64, StoreError> {
    let mut after = 0_i64;
    let mut filled = 0_u64;
    loop {
        let rows = member::Entity::find()
            .filter(member::Column::NameFirst.eq(""))
            .filter(member::Column::Id.gt(after))
            .order_by_asc(member::Column::Id)
            .limit(2000)
            .all(store.conn())
            .await?;
        let Some(last) = rows.last() else {
            return Ok(filled);
        };
        after = last.id;
        let tx = store.begin().await?;
        for row in &rows {
            member::Entity::update_many()
                .col_expr(
                    member::Column::NameFirst,
                    Expr::value(normalise_for_search(&row.first_name)),
                )
                .col_expr(
                    member::Column::NameFather,
                    Expr::value(normalise_for_search(&row.father_name)),
                )
                .col_expr(
                    member::Column::NameFamily,
                    Expr::value(normalise_for_search(&row.family_name)),
                )
                .filter(member::Column::Id.eq(row.id))
                .exec(&tx.inner)
                .await?;
        }
        tx.commit().await?;
        filled += rows.len() as u64;
    }
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
