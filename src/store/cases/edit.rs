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
