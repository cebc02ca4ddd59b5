//! The one writer of a case's head row.
//!
//! Every change to a stored case (a step, an assignment, a family edit)
//! moves the same things on its `applications` row: the version, guarded
//! by the version the case was loaded at; the head of its audit chain;
//! `updated_at`; and the tallies, by the difference between the case as
//! loaded and as saved plus one action per audit event. [`HeadWrite`]
//! says all of that once. [`write`] carries it out as statements inside a
//! transaction; [`HeadWrite::update_cte`] renders the same write as the
//! first CTE of PostgreSQL's one-statement step, so the two paths cannot
//! drift apart.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, IdenStatic, QueryFilter};

use crate::domain::audit::SealedEvent;
use crate::store::cases::LoadedCase;
use crate::store::entities::application;
use crate::store::tallies::{self, Acted, Facts, MemberFacts, Tally};
use crate::store::{StoreError, Tx, audit};

/// One column of the head row a write sets, with its PostgreSQL type (for
/// the casts of the one-statement step).
pub(super) struct HeadColumn {
    pub column: application::Column,
    pub value: sea_orm::Value,
    pub pg_type: &'static str,
}

impl HeadColumn {
    pub fn new(
        column: application::Column,
        value: impl Into<sea_orm::Value>,
        pg_type: &'static str,
    ) -> HeadColumn {
        HeadColumn {
            column,
            value: value.into(),
            pg_type,
        }
    }
}

/// A version-guarded change of a case's head row.
pub(super) struct HeadWrite<'a> {
    pub loaded: &'a LoadedCase,
    /// The version after the write.
    pub version: i64,
    /// The columns this write changes besides the version, the chain head
    /// and `updated_at`.
    pub columns: Vec<HeadColumn>,
    /// What the tallies count of the case after the write.
    pub after: Facts<'a>,
    /// The audit events the write appends, sealed onto the loaded head.
    pub events: &'a [SealedEvent],
    pub now: DateTime<Utc>,
}

/// The tally facts of a case as loaded.
pub(super) fn loaded_facts(loaded: &LoadedCase) -> Facts<'_> {
    Facts::of_record(
        &loaded.record,
        loaded.case.members.iter().map(MemberFacts::from).collect(),
    )
}

impl HeadWrite<'_> {
    /// The chain head after the events (the loaded one if there are none).
    fn chain_head(&self) -> (i64, String) {
        self.events.last().map_or(
            (
                self.loaded.record.audit_seq,
                self.loaded.record.last_hash.clone(),
            ),
            |e| (e.seq, e.hash.clone()),
        )
    }

    /// The tally difference: the case as loaded against as saved, and one
    /// action per event in the case's district.
    pub fn tally(&self) -> Tally {
        let mut tally = Tally::change(&loaded_facts(self.loaded), &self.after);
        for e in self.events {
            tally.acted(Acted::of(
                self.after.workflow,
                self.after.district,
                &e.draft,
            ));
        }
        tally
    }

    /// Every column the write sets: its own, then the version, the chain
    /// head and `updated_at`.
    pub fn assignments(&self) -> Vec<HeadColumn> {
        let (seq, last_hash) = self.chain_head();
        let mut all = Vec::with_capacity(self.columns.len() + 4);
        all.extend(self.columns.iter().map(|c| HeadColumn {
            column: c.column,
            value: c.value.clone(),
            pg_type: c.pg_type,
        }));
        all.push(HeadColumn::new(
            application::Column::Version,
            self.version,
            "int8",
        ));
        all.push(HeadColumn::new(application::Column::AuditSeq, seq, "int8"));
        all.push(HeadColumn::new(
            application::Column::LastHash,
            last_hash,
            "text",
        ));
        all.push(HeadColumn::new(
            application::Column::UpdatedAt,
            self.now,
            "timestamptz",
        ));
        all
    }

    /// The write as PostgreSQL's `a` CTE: the guarded `UPDATE … RETURNING
    /// id`, which the statement's other parts select from (no row when the
    /// version moved on).
    pub fn update_cte(&self, p: &mut Params) -> String {
        let set: Vec<String> = self
            .assignments()
            .into_iter()
            .map(|c| format!("{} = {}", c.column.as_str(), p.bind(c.value, c.pg_type)))
            .collect();
        format!(
            "WITH a AS (UPDATE applications SET {} WHERE id = {} AND version = {} RETURNING id)",
            set.join(", "),
            p.bind(self.loaded.record.id, "int8"),
            p.bind(self.loaded.record.version, "int8"),
        )
    }
}

/// One head-row write of a group commit ([`super::group`]), owned: the
/// row, the version it was loaded at and every column it sets.
pub(super) struct GroupedHead {
    pub id: i64,
    pub expected: i64,
    pub columns: Vec<HeadColumn>,
}

impl HeadWrite<'_> {
    /// The write, owned, for a group commit.
    pub fn grouped(&self) -> GroupedHead {
        GroupedHead {
            id: self.loaded.record.id,
            expected: self.loaded.record.version,
            columns: self.assignments(),
        }
    }
}

/// Several head-row writes as PostgreSQL's `a` CTE: one guarded `UPDATE …
/// FROM (VALUES …)` whose rows each carry their step's number, `RETURNING`
/// the number of every step whose version still matched (a stale one
/// updates nothing and is absent). `heads` are of different cases and
/// set the same columns in the same order (a step's head on PostgreSQL
/// always sets every column; see `step::step_head`).
pub(super) fn update_many_cte(heads: &[(i32, &GroupedHead)], p: &mut Params) -> String {
    let names: Vec<&str> = heads
        .first()
        .map(|(_, h)| h.columns.iter().map(|c| c.column.as_str()).collect())
        .unwrap_or_default();
    let rows: Vec<String> = heads
        .iter()
        .map(|(step, head)| {
            let mut values = vec![
                p.bind(*step, "int4"),
                p.bind(head.id, "int8"),
                p.bind(head.expected, "int8"),
            ];
            values.extend(
                head.columns
                    .iter()
                    .map(|c| p.bind(c.value.clone(), c.pg_type)),
            );
            format!("({})", values.join(", "))
        })
        .collect();
    let set: Vec<String> = names.iter().map(|n| format!("{n} = v.{n}")).collect();
    format!(
        "WITH a AS (UPDATE applications SET {} FROM (VALUES {}) AS v(step, id, expected, {}) \
         WHERE applications.id = v.id AND applications.version = v.expected \
         RETURNING v.step, applications.id)",
        set.join(", "),
        rows.join(", "),
        names.join(", ")
    )
}

/// Writes the head row if its version is still the one loaded (else
/// [`StoreError::Conflict`], and the caller rolls back), appends the audit
/// events and adds the tally difference, inside the caller's transaction.
pub(super) async fn write(tx: &Tx, head: &HeadWrite<'_>) -> Result<(), StoreError> {
    let mut update = application::Entity::update_many();
    for c in head.assignments() {
        update = update.col_expr(c.column, Expr::value(c.value));
    }
    let updated = update
        .filter(application::Column::Id.eq(head.loaded.record.id))
        .filter(application::Column::Version.eq(head.loaded.record.version))
        .exec(&tx.inner)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::Conflict);
    }
    audit::append(tx, head.loaded.record.id, head.events).await?;
    tallies::write(tx, head.tally()).await
}

/// Collects the bound values of a statement and hands out their `$n`.
pub(super) struct Params(pub Vec<sea_orm::Value>);

impl Params {
    /// Binds `value` and returns its placeholder with a cast to `ty`.
    pub fn bind(&mut self, value: impl Into<sea_orm::Value>, ty: &str) -> String {
        self.0.push(value.into());
        format!("${}::{ty}", self.0.len())
    }
}
