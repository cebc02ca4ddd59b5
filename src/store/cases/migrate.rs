//! Moving a stored case to another version of its workflow: the cases a
//! migration still has to look at, and the write of one move through the
//! head row's one writer (version-guarded, one audit event, the tallies'
//! difference), so a migrated case's chain, version and statistics stay
//! as right as after any other change.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::audit::SealedEvent;
use crate::store::cases::LoadedCase;
use crate::store::cases::head::{self, HeadColumn, HeadWrite};
use crate::store::entities::{application, member};
use crate::store::tallies::{Facts, MemberFacts};
use crate::store::{Store, StoreError, Tx};
use crate::workflow::case::Case;
use crate::workflow::sla::Clock;

/// Which cases a migration concerns: those still on `name` `version`,
/// optionally in one state and one district.
#[derive(Clone, Debug, Default)]
pub struct MigrationSelection {
    pub name: String,
    pub version: i32,
    pub state: Option<String>,
    pub district: Option<String>,
}

/// The next `limit` cases of `selection` after the application id
/// `after`, by id: their ids and references.
pub async fn migration_candidates(
    store: &Store,
    selection: &MigrationSelection,
    after: i64,
    limit: u64,
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut query = application::Entity::find()
        .select_only()
        .column(application::Column::Id)
        .column(application::Column::Reference)
        .filter(application::Column::WorkflowName.eq(selection.name.as_str()))
        .filter(application::Column::WorkflowVersion.eq(selection.version))
        .filter(application::Column::Id.gt(after));
    if let Some(state) = &selection.state {
        query = query.filter(application::Column::State.eq(state.as_str()));
    }
    if let Some(district) = &selection.district {
        query = query.filter(application::Column::District.eq(district.as_str()));
    }
    Ok(query
        .order_by_asc(application::Column::Id)
        .limit(limit)
        .into_tuple::<(i64, String)>()
        .all(store.conn())
        .await?)
}

/// The write of one case's move to another version.
pub struct MigrationWrite<'a> {
    pub version: i32,
    /// The case after the move: its state and its members' states.
    pub next: &'a Case,
    pub clock: Clock,
    pub state_entered_at: DateTime<Utc>,
    /// The members (ordinals) whose state changes, on `today`.
    pub changed_members: &'a [u32],
    pub today: NaiveDate,
    pub event: &'a SealedEvent,
    pub now: DateTime<Utc>,
}

/// Moves a case to another workflow version if its version is still the
/// one loaded (else [`StoreError::Conflict`] and nothing is written).
pub async fn save_migration(
    tx: &Tx,
    loaded: &LoadedCase,
    write: MigrationWrite<'_>,
) -> Result<(), StoreError> {
    let head = HeadWrite {
        loaded,
        version: loaded.record.version + 1,
        columns: vec![
            HeadColumn::new(application::Column::WorkflowVersion, write.version, "int4"),
            HeadColumn::new(application::Column::State, write.next.state.clone(), "text"),
            HeadColumn::new(
                application::Column::StateEnteredAt,
                write.state_entered_at,
                "timestamptz",
            ),
            HeadColumn::new(application::Column::DueOn, write.clock.due_on, "date"),
            HeadColumn::new(
                application::Column::PausedSince,
                write.clock.paused_since,
                "date",
            ),
            HeadColumn::new(
                application::Column::PausedWorkingDays,
                write.clock.paused_working_days,
                "int4",
            ),
        ],
        after: Facts {
            workflow_version: write.version,
            state: &write.next.state,
            state_entered_at: write.state_entered_at,
            due_on: write.clock.due_on,
            members: write.next.members.iter().map(MemberFacts::from).collect(),
            ..Facts::of_record(&loaded.record, Vec::new())
        },
        events: std::slice::from_ref(write.event),
        now: write.now,
    };
    head::write(tx, &head).await?;
    for ordinal in write.changed_members {
        let (Some(id), Some(m)) = (loaded.member_ids.get(ordinal), write.next.member(*ordinal))
        else {
            continue;
        };
        member::Entity::update_many()
            .col_expr(member::Column::State, Expr::value(m.state.clone()))
            .col_expr(member::Column::StateChangedOn, Expr::value(write.today))
            .filter(member::Column::Id.eq(*id))
            .exec(&tx.inner)
            .await?;
    }
    Ok(())
}
