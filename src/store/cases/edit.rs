//! The other changes of a stored case: its assignee, its family while it
//! is being put together (both through the head row's one writer), and
//! the name search forms of rows stored before those columns existed.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::audit::SealedEvent;
use crate::domain::family::Member;
use crate::domain::names::normalise_for_search;
use crate::store::cases::head::{self, HeadColumn, HeadWrite, loaded_facts};
use crate::store::cases::{CaseMeta, LoadedCase, join_documents, member_model};
use crate::store::entities::{application, member};
use crate::store::tallies::{Facts, MemberFacts};
use crate::store::{Store, StoreError, Tx};
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

/// Members stored before the name-part columns existed (their search
/// forms are empty), after member id `after`, `limit` at most, in id order.
pub async fn members_without_name_parts(
    store: &Store,
    after: i64,
    limit: u64,
) -> Result<Vec<UnfilledNames>, StoreError> {
    Ok(member::Entity::find()
        .filter(member::Column::NameFirst.eq(""))
        .filter(member::Column::Id.gt(after))
        .order_by_asc(member::Column::Id)
        .limit(limit)
        .all(store.conn())
        .await?
        .into_iter()
        .map(|m| UnfilledNames {
            member_id: m.id,
            first_name: m.first_name,
            father_name: m.father_name,
            family_name: m.family_name,
        })
        .collect())
}

/// A member whose name parts have no search form yet.
#[derive(Clone, Debug)]
pub struct UnfilledNames {
    pub member_id: i64,
    pub first_name: String,
    pub father_name: String,
    pub family_name: String,
}

/// Writes the search form of each name part of `members`.
pub async fn fill_name_parts(tx: &Tx, members: &[UnfilledNames]) -> Result<(), StoreError> {
    for m in members {
        member::Entity::update_many()
            .col_expr(
                member::Column::NameFirst,
                Expr::value(normalise_for_search(&m.first_name)),
            )
            .col_expr(
                member::Column::NameFather,
                Expr::value(normalise_for_search(&m.father_name)),
            )
            .col_expr(
                member::Column::NameFamily,
                Expr::value(normalise_for_search(&m.family_name)),
            )
            .filter(member::Column::Id.eq(m.member_id))
            .exec(&tx.inner)
            .await?;
    }
    Ok(())
}
