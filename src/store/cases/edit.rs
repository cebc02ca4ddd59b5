//! The other changes of a stored case: its assignee, its family while it
//! is being put together (both through the head row's one writer), and
//! the name search forms, refolded when the normaliser changes.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::audit::SealedEvent;
use crate::domain::family::Member;
use crate::domain::names::normalise_for_search;
use crate::store::cases::head::{self, HeadColumn, HeadWrite, loaded_facts};
use crate::store::cases::{CaseMeta, LoadedCase, join_documents, member_model};
use crate::store::entities::{application, member};
use crate::store::tallies::{Facts, MemberFacts};
use crate::store::{Store, StoreError, Tx, backend_of, statement};
use crate::workflow::case::Case;

/// Sets or clears the assignee, guarded by the version like any change,
/// with its audit event.
pub async fn save_assignee(
    tx: &Tx,
    loaded: &LoadedCase,
    assignee: Option<&str>,
    event: &SealedEvent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let head = HeadWrite {
        loaded,
        version: loaded.record.version + 1,
        columns: vec![HeadColumn::new(
            application::Column::Assignee,
            assignee.map(str::to_string),
            "text",
        )],
        after: Facts {
            assignee,
            ..loaded_facts(loaded)
        },
        events: std::slice::from_ref(event),
        now,
    };
    head::write(tx, &head).await
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
    let head = HeadWrite {
        loaded,
        version: next.version,
        columns: vec![
            HeadColumn::new(application::Column::Office, meta.office.clone(), "text"),
            HeadColumn::new(application::Column::SubmittedOn, meta.submitted_on, "date"),
            HeadColumn::new(
                application::Column::ApplicantEmail,
                meta.applicant_email.clone(),
                "text",
            ),
            HeadColumn::new(
                application::Column::FamilyDocuments,
                join_documents(&next.family_documents),
                "text",
            ),
            HeadColumn::new(application::Column::Duties, next.duties.to_json(), "text"),
        ],
        after: Facts {
            office: &meta.office,
            submitted_on: meta.submitted_on,
            members: next.members.iter().map(MemberFacts::from).collect(),
            ..Facts::of_record(&loaded.record, Vec::new())
        },
        events: std::slice::from_ref(event),
        now,
    };
    head::write(tx, &head).await?;
    member::Entity::delete_many()
        .filter(member::Column::ApplicationId.eq(loaded.record.id))
        .exec(&tx.inner)
        .await?;
    let rows: Vec<member::ActiveModel> = people
        .iter()
        .zip(&next.members)
        .map(|(person, m)| member_model(loaded.record.id, person, m))
        .collect();
    member::Entity::insert_many(rows)
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

/// Adds `person` to a case as its new last member (a person joining the
/// family from their own linked case), guarded by the version, with its
/// audit event; `next` is the case with the member added.
pub async fn add_member(
    tx: &Tx,
    loaded: &LoadedCase,
    next: &Case,
    person: &Member,
    event: &SealedEvent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let added = next
        .members
        .last()
        .ok_or_else(|| StoreError::Corrupt(format!("{}: no member added", next.reference)))?;
    let head = HeadWrite {
        loaded,
        version: next.version,
        columns: Vec::new(),
        after: Facts {
            members: next.members.iter().map(MemberFacts::from).collect(),
            ..loaded_facts(loaded)
        },
        events: std::slice::from_ref(event),
        now,
    };
    head::write(tx, &head).await?;
    member::Entity::insert(member_model(loaded.record.id, person, added))
        .exec_without_returning(&tx.inner)
        .await?;
    Ok(())
}

/// Appends an audit event to a case that changes nothing else about it
/// (the person's side of joining a family), guarded by the version.
pub async fn append_event(
    tx: &Tx,
    loaded: &LoadedCase,
    event: &SealedEvent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let head = HeadWrite {
        loaded,
        version: loaded.record.version + 1,
        columns: Vec::new(),
        after: loaded_facts(loaded),
        events: std::slice::from_ref(event),
        now,
    };
    head::write(tx, &head).await
}

/// Which version of the normaliser made the stored search forms, and the
/// last member id a refold to a newer version has reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameFolding {
    pub version: i32,
    pub after_member: i64,
}

/// The stored folding state (migration 19 writes its one row).
pub async fn name_folding(store: &Store) -> Result<NameFolding, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT version, after_member FROM name_folding WHERE id = 1",
            vec![],
        ))
        .await?
        .ok_or_else(|| StoreError::Corrupt("the name_folding row is missing".into()))?;
    Ok(NameFolding {
        version: row.try_get("", "version")?,
        after_member: row.try_get("", "after_member")?,
    })
}

/// Records a refold's progress, only if the state is still `from` (two
/// servers starting at once refold the same batch; the second records
/// nothing). Returns whether it was recorded.
pub async fn record_name_folding(
    tx: &Tx,
    from: NameFolding,
    to: NameFolding,
) -> Result<bool, StoreError> {
    let conn = &tx.inner;
    let result = conn
        .execute_raw(statement(
            backend_of(conn),
            "UPDATE name_folding SET version = $1, after_member = $2 \
             WHERE id = 1 AND version = $3 AND after_member = $4",
            vec![
                to.version.into(),
                to.after_member.into(),
                from.version.into(),
                from.after_member.into(),
            ],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The members after member id `after`, `limit` at most, in id order, with
/// their names and stored search forms (a walk over the primary key).
pub async fn members_after(
    store: &Store,
    after: i64,
    limit: u64,
) -> Result<Vec<StoredNames>, StoreError> {
    Ok(member::Entity::find()
        .filter(member::Column::Id.gt(after))
        .order_by_asc(member::Column::Id)
        .limit(limit)
        .all(store.conn())
        .await?
        .into_iter()
        .map(|m| StoredNames {
            member_id: m.id,
            application_id: m.application_id,
            first_name: m.first_name,
            father_name: m.father_name,
            family_name: m.family_name,
            forms: [m.name_first, m.name_father, m.name_family],
        })
        .collect())
}

/// A member's name parts as typed and the search forms stored for them
/// (first, father's, family).
#[derive(Clone, Debug)]
pub struct StoredNames {
    pub member_id: i64,
    pub application_id: i64,
    pub first_name: String,
    pub father_name: String,
    pub family_name: String,
    pub forms: [String; 3],
}

impl StoredNames {
    /// The search forms the current normaliser gives the names.
    pub fn current_forms(&self) -> [String; 3] {
        [
            normalise_for_search(&self.first_name),
            normalise_for_search(&self.father_name),
            normalise_for_search(&self.family_name),
        ]
    }
}

/// Writes the search form of each name part of `members` that the current
/// normaliser gives.
pub async fn fill_name_parts(tx: &Tx, members: &[StoredNames]) -> Result<(), StoreError> {
    for m in members {
        let [first, father, family] = m.current_forms();
        member::Entity::update_many()
            .col_expr(member::Column::NameFirst, Expr::value(first))
            .col_expr(member::Column::NameFather, Expr::value(father))
            .col_expr(member::Column::NameFamily, Expr::value(family))
            .filter(member::Column::Id.eq(m.member_id))
            .exec(&tx.inner)
            .await?;
    }
    Ok(())
}
