//! Statistics kept up to date in the same transaction as every change.
//!
//! A case contributes a fixed set of tally rows, a pure function of its
//! stored facts ([`Facts`]): its state (`state`), the day it entered that
//! state with its due date (`entered`), its intake day (`received`), each
//! member's state (`member`), the day each member entered it
//! (`member_entered`), the day each was registered (`registered`) and, while
//! someone holds it, its assignee (`assigned`). Every audit event adds one to
//! its actor's day (`acted`). A write subtracts the case's rows as loaded and
//! adds them as saved, merged into one multi-row upsert. (`acted` is kept
//! per district, not office: an edit may move a case to another office.)
//!
//! Rows are partial sums: a transaction writes to the slot it leased
//! (`Tx::slot`), so concurrent transitions never wait on one hot counter row;
//! readers add the slots up. The row count is bounded by states × offices ×
//! days × slots, never by the number of cases, so reads cost the same at any
//! size. [`recount`] rebuilds everything from the raw rows; tests compare the
//! two.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Value};

use crate::domain::audit::AuditDraft;
use crate::store::cases::CaseRecord;
use crate::store::entities::{application, member};
use crate::store::{Store, StoreError, Tx, backend_of, statement};
use crate::workflow::case::CaseMember;
use crate::workflow::machine::local_date;

/// Days since 1970-01-01, the unit of `day` and `due`.
pub fn day_number(day: NaiveDate) -> i32 {
    (day - NaiveDate::default()).num_days() as i32
}

/// The date of a day number.
pub fn from_day_number(day: i32) -> NaiveDate {
    NaiveDate::default() + chrono::Duration::days(day as i64)
}

/// The identity of a tally row, without its slot.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub kind: &'static str,
    pub name: String,
    pub district: String,
    pub office: String,
    pub day: i32,
    pub due: i32,
    pub tag: String,
}

/// Families and persons to add per key. Written in key order, so every
/// transaction locks rows in the same order and two can never deadlock.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    rows: HashMap<Key, (i64, i64)>,
}

/// One member as the tallies see it.
#[derive(Clone, Debug)]
pub struct MemberFacts<'a> {
    pub state: &'a str,
    pub abroad: bool,
    pub state_changed_on: Option<NaiveDate>,
    pub registered_on: Option<NaiveDate>,
}

impl<'a> From<&'a CaseMember> for MemberFacts<'a> {
    fn from(m: &'a CaseMember) -> MemberFacts<'a> {
        MemberFacts {
            state: &m.state,
            abroad: m.abroad,
            state_changed_on: m.state_changed_on,
            registered_on: m.registered_on,
        }
    }
}

impl<'a> From<&'a member::Model> for MemberFacts<'a> {
    fn from(m: &'a member::Model) -> MemberFacts<'a> {
        MemberFacts {
            state: &m.state,
            abroad: m.abroad,
            state_changed_on: m.state_changed_on,
            registered_on: m.registered_on,
        }
    }
}

/// What the tallies count of one case.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    /// The workflow's name: `received` rows are kept per workflow.
    pub workflow: &'a str,
    /// The definition's version the case is on (`workflow` rows).
    pub workflow_version: i32,
    pub district: &'a str,
    pub office: &'a str,
    pub submitted_on: NaiveDate,
    pub state: &'a str,
    pub state_entered_at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    pub assignee: Option<&'a str>,
    pub members: Vec<MemberFacts<'a>>,
}

impl<'a> Facts<'a> {
    /// The facts of a stored row and its members.
    pub fn of_record(row: &'a CaseRecord, members: Vec<MemberFacts<'a>>) -> Facts<'a> {
        Facts {
            workflow: &row.workflow_name,
            workflow_version: row.workflow_version,
            district: &row.district,
            office: &row.office,
            submitted_on: row.submitted_on,
            state: &row.state,
            state_entered_at: row.state_entered_at,
            due_on: row.due_on,
            assignee: row.assignee.as_deref(),
            members,
        }
    }
}

/// The tally kinds.
pub mod kind {
    pub const STATE: &str = "state";
    pub const ENTERED: &str = "entered";
    pub const RECEIVED: &str = "received";
    pub const MEMBER: &str = "member";
    pub const MEMBER_ENTERED: &str = "member_entered";
    pub const REGISTERED: &str = "registered";
    pub const ASSIGNED: &str = "assigned";
    pub const ACTED: &str = "acted";
    /// Cases (families, persons) per definition: `name` the workflow's
    /// name, `tag` its version.
    pub const WORKFLOW: &str = "workflow";
    /// Cases by their state and the day they were received (`name` the
    /// state, `day` the intake day): what is still open of the
    /// applications received before a day (the targets). Added by
    /// migration 29, which empties the tallies to be recounted with it.
    pub const WAITING: &str = "waiting";
    /// Audit events per day, district, move and actor (`name` the
    /// workflow, `tag` the state before, the state after and the actor,
    /// see [`super::move_tag`]): the forecast's history of who moved
    /// cases out of which stage, read without touching the events. Added
    /// by migration 33, which empties the tallies to be recounted with it.
    pub const MOVED: &str = "moved";
    pub const ALL: [&str; 11] = [
        STATE,
        ENTERED,
        RECEIVED,
        MEMBER,
        MEMBER_ENTERED,
        REGISTERED,
        ASSIGNED,
        ACTED,
        WORKFLOW,
        WAITING,
        MOVED,
    ];
}

/// Joins the parts of a `moved` row's tag: the unit separator cannot be in
/// a state's name or a user's (both refuse control characters).
const MOVE_SEPARATOR: char = '\u{1f}';

/// The `tag` of a `moved` row: the state before, the state after, the actor.
pub fn move_tag(from_state: &str, to_state: &str, actor: &str) -> String {
    format!("{from_state}{MOVE_SEPARATOR}{to_state}{MOVE_SEPARATOR}{actor}")
}

/// The state before, the state after and the actor of a `moved` row's tag.
pub fn split_move_tag(tag: &str) -> Option<(&str, &str, &str)> {
    let mut parts = tag.splitn(3, MOVE_SEPARATOR);
    Some((parts.next()?, parts.next()?, parts.next()?))
}

/// One audit event as the tallies count it.
#[derive(Clone, Copy, Debug)]
pub struct Acted<'a> {
    pub workflow: &'a str,
    pub district: &'a str,
    pub actor: &'a str,
    pub at: DateTime<Utc>,
    pub from_state: &'a str,
    pub to_state: &'a str,
}

impl<'a> Acted<'a> {
    /// An event about to be appended to a case of `workflow` in `district`.
    pub fn of(workflow: &'a str, district: &'a str, draft: &'a AuditDraft) -> Acted<'a> {
        Acted {
            workflow,
            district,
            actor: &draft.actor,
            at: draft.at,
            from_state: &draft.from_state,
            to_state: &draft.to_state,
        }
    }
}

/// The `tag` of a member abroad in `member` rows.
pub const ABROAD: &str = "abroad";

impl Tally {
    pub fn rows(&self) -> impl Iterator<Item = (&Key, &(i64, i64))> {
        self.rows.iter()
    }

    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        kind: &'static str,
        name: &str,
        district: &str,
        office: &str,
        day: i32,
        due: i32,
        tag: &str,
        families: i64,
        persons: i64,
    ) {
        let key = Key {
            kind,
            name: name.to_string(),
            district: district.to_string(),
            office: office.to_string(),
            day,
            due,
            tag: tag.to_string(),
        };
        let entry = self.rows.entry(key).or_default();
        entry.0 += families;
        entry.1 += persons;
    }

    /// Adds (`sign` = 1) or takes away (`sign` = -1) what a case contributes.
    pub fn case(&mut self, facts: &Facts<'_>, sign: i64) {
        let (d, o) = (facts.district, facts.office);
        let persons = facts.members.len() as i64 * sign;
        self.add(kind::STATE, facts.state, d, o, 0, 0, "", sign, persons);
        self.add(
            kind::WORKFLOW,
            facts.workflow,
            d,
            o,
            0,
            0,
            &facts.workflow_version.to_string(),
            sign,
            persons,
        );
        self.add(
            kind::ENTERED,
            facts.state,
            d,
            o,
            day_number(local_date(facts.state_entered_at)),
            facts.due_on.map_or(0, day_number),
            "",
            sign,
            persons,
        );
        self.add(
            kind::RECEIVED,
            facts.workflow,
            d,
            o,
            day_number(facts.submitted_on),
            0,
            "",
            sign,
            persons,
        );
        self.add(
            kind::WAITING,
            facts.state,
            d,
            o,
            day_number(facts.submitted_on),
            0,
            "",
            sign,
            persons,
        );
        if let Some(assignee) = facts.assignee {
            self.add(kind::ASSIGNED, facts.state, d, o, 0, 0, assignee, sign, 0);
        }
        for m in &facts.members {
            let tag = if m.abroad { ABROAD } else { "" };
            self.add(kind::MEMBER, m.state, d, o, 0, 0, tag, 0, sign);
            self.add(
                kind::MEMBER_ENTERED,
                m.state,
                d,
                o,
                m.state_changed_on.map_or(0, day_number),
                0,
                "",
                0,
                sign,
            );
            if let Some(day) = m.registered_on {
                self.add(kind::REGISTERED, "", d, o, day_number(day), 0, "", 0, sign);
            }
        }
    }

    /// One audit event: one action on its actor's day (`acted`) and one
    /// move (`moved`). Kept per district only: a case never changes
    /// district, but an edit may move it to another office after the event.
    pub fn acted(&mut self, event: Acted<'_>) {
        let day = day_number(local_date(event.at));
        let (district, actor) = (event.district, event.actor);
        self.add(kind::ACTED, "", district, "", day, 0, actor, 1, 0);
        let tag = move_tag(event.from_state, event.to_state, actor);
        self.add(
            kind::MOVED,
            event.workflow,
            district,
            "",
            day,
            0,
            &tag,
            1,
            0,
        );
    }

    /// The change from `before` to `after`.
    pub fn change(before: &Facts<'_>, after: &Facts<'_>) -> Tally {
        let mut tally = Tally::default();
        tally.case(before, -1);
        tally.case(after, 1);
        tally
    }

    /// Every count multiplied by `k` (for copies of a whole database).
    pub fn scaled(&self, k: i64) -> Tally {
        Tally {
            rows: self
                .rows
                .iter()
                .map(|(key, (f, p))| (key.clone(), (f * k, p * k)))
                .collect(),
        }
    }

    /// The non-zero rows in key order.
    pub(crate) fn without_zeros(self) -> Vec<(Key, (i64, i64))> {
        let mut rows: Vec<(Key, (i64, i64))> = self
            .rows
            .into_iter()
            .filter(|(_, v)| *v != (0, 0))
            .collect();
        rows.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        rows
    }
}

const COLUMNS: &str = "kind, name, district, office, day, due, tag, slot, families, persons";

fn upsert_sql(rows: usize) -> String {
    let mut sql = format!("INSERT INTO tallies ({COLUMNS}) VALUES ");
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        sql.push('(');
        for c in 0..10 {
            if c > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("${}", r * 10 + c + 1));
        }
        sql.push(')');
    }
    sql.push_str(
        " ON CONFLICT (kind, name, district, office, day, due, tag, slot) DO UPDATE SET \
         families = tallies.families + excluded.families, \
         persons = tallies.persons + excluded.persons",
    );
    sql
}

async fn upsert(
    conn: &impl ConnectionTrait,
    rows: Vec<(Key, (i64, i64))>,
    slot: i16,
) -> Result<(), StoreError> {
    let backend = backend_of(conn);
    for chunk in rows.chunks(500) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 10);
        for (key, (families, persons)) in chunk {
            values.push(key.kind.into());
            values.push(key.name.clone().into());
            values.push(key.district.clone().into());
            values.push(key.office.clone().into());
            values.push(key.day.into());
            values.push(key.due.into());
            values.push(key.tag.clone().into());
            values.push(slot.into());
            values.push((*families).into());
            values.push((*persons).into());
        }
        conn.execute_raw(statement(backend, &upsert_sql(chunk.len()), values))
            .await?;
    }
    Ok(())
}

/// Adds `tally` to the stored tallies in the transaction's slot.
pub async fn write(tx: &Tx, tally: Tally) -> Result<(), StoreError> {
    let rows = tally.without_zeros();
    if rows.is_empty() {
        return Ok(());
    }
    upsert(&tx.inner, rows, tx.slot.slot).await
}

/// Recounts every tally from the raw rows (applications, members, audit
/// events), reading in pages.
pub async fn recount(store: &Store) -> Result<Tally, StoreError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
    let conn = store.conn();
    let mut tally = Tally::default();
    let mut places: HashMap<i64, (String, String)> = HashMap::new();
    let mut after = 0_i64;
    loop {
        let rows = application::Entity::find()
            .filter(application::Column::Id.gt(after))
            .order_by_asc(application::Column::Id)
            .limit(2000)
            .all(conn)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut people: HashMap<i64, Vec<member::Model>> = HashMap::new();
        for m in member::Entity::find()
            .filter(member::Column::ApplicationId.is_in(ids))
            .order_by_asc(member::Column::Ordinal)
            .all(conn)
            .await?
        {
            people.entry(m.application_id).or_default().push(m);
        }
        for row in &rows {
            let members = people.get(&row.id).map(Vec::as_slice).unwrap_or(&[]);
            let record = CaseRecord::from(row.clone());
            let facts = Facts::of_record(&record, members.iter().map(MemberFacts::from).collect());
            tally.case(&facts, 1);
            places.insert(row.id, (row.workflow_name.clone(), row.district.clone()));
        }
    }
    let backend = backend_of(conn);
    let mut after = 0_i64;
    loop {
        let rows = conn
            .query_all_raw(statement(
                backend,
                "SELECT id, application_id, actor, at, from_state, to_state FROM audit_events \
                 WHERE id > $1 ORDER BY id LIMIT 20000",
                vec![after.into()],
            ))
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.try_get_by_index::<i64>(0)?;
        for row in &rows {
            let application: i64 = row.try_get_by_index(1)?;
            let actor: String = row.try_get_by_index(2)?;
            let at: DateTime<Utc> = row.try_get_by_index(3)?;
            let from_state: String = row.try_get_by_index(4)?;
            let to_state: String = row.try_get_by_index(5)?;
            if let Some((workflow, district)) = places.get(&application) {
                tally.acted(Acted {
                    workflow,
                    district,
                    actor: &actor,
                    at,
                    from_state: &from_state,
                    to_state: &to_state,
                });
            }
        }
    }
    Ok(tally)
}

/// Replaces every stored tally with `tally` (after a [`recount`]).
pub async fn replace_all(tx: &Tx, tally: Tally) -> Result<(), StoreError> {
    let backend = backend_of(&tx.inner);
    tx.inner
        .execute_raw(statement(backend, "DELETE FROM tallies", vec![]))
        .await?;
    upsert(&tx.inner, tally.without_zeros(), 0).await
}

/// Whether any tally row is stored.
pub async fn any(store: &Store) -> Result<bool, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT 1 FROM tallies LIMIT 1",
            vec![],
        ))
        .await?;
    Ok(row.is_some())
}

/// The stored tallies summed over slots, as one [`Tally`] (for tests and
/// checks; reads of statistics use [`sums`]).
pub async fn stored(store: &Store) -> Result<Tally, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let sql = format!(
        "SELECT kind, name, district, office, day, due, tag, {}, {} FROM tallies \
         GROUP BY kind, name, district, office, day, due, tag",
        cast_sum(backend, "families"),
        cast_sum(backend, "persons")
    );
    let rows = conn.query_all_raw(statement(backend, &sql, vec![])).await?;
    let mut tally = Tally::default();
    for row in rows {
        let kind: String = row.try_get_by_index(0)?;
        let Some(kind) = kind::ALL.into_iter().find(|k| *k == kind) else {
            return Err(StoreError::Corrupt(format!("a tally of kind '{kind}'")));
        };
        tally.add(
            kind,
            &row.try_get_by_index::<String>(1)?,
            &row.try_get_by_index::<String>(2)?,
            &row.try_get_by_index::<String>(3)?,
            row.try_get_by_index::<i32>(4)?,
            row.try_get_by_index::<i32>(5)?,
            &row.try_get_by_index::<String>(6)?,
            row.try_get_by_index::<i64>(7)?,
            row.try_get_by_index::<i64>(8)?,
        );
    }
    Ok(Tally {
        rows: tally
            .rows
            .into_iter()
            .filter(|(_, v)| *v != (0, 0))
            .collect(),
    })
}

/// The keys where two tallies differ, one line each (zero rows ignored).
pub fn differences(stored: &Tally, recount: &Tally) -> Vec<String> {
    let zero = (0, 0);
    let mut keys: Vec<&Key> = stored.rows.keys().chain(recount.rows.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let a = stored.rows.get(k).unwrap_or(&zero);
            let b = recount.rows.get(k).unwrap_or(&zero);
            (a != b).then(|| {
                format!(
                    "{} {} {}/{} day {} due {} {}: stored {:?}, recount {:?}",
                    k.kind, k.name, k.district, k.office, k.day, k.due, k.tag, a, b
                )
            })
        })
        .collect()
}

/// Which rows a statistics read takes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub district: Option<String>,
    pub office: Option<String>,
    /// Inclusive day numbers, for flows.
    pub from_day: Option<i32>,
    pub to_day: Option<i32>,
    /// One workflow's case states: rows of the kinds named by case state
    /// (`state`, `entered`, `assigned`) only of these (any when empty).
    pub case_states: Vec<String>,
    /// One workflow's member states, for `member` and `member_entered`.
    pub member_states: Vec<String>,
    /// One workflow's name, for `received` and `workflow` (any when `None`).
    pub workflow: Option<String>,
}

impl Filter {
    /// The names a read of `kind` may take under the workflow filter: the
    /// names asked for (any when empty) among the workflow's; `None` when
    /// the filter leaves the kind alone.
    fn names_of(&self, kind: &str, asked: &[String]) -> Option<Vec<String>> {
        let workflow = match kind {
            kind::STATE | kind::ENTERED | kind::ASSIGNED | kind::WAITING => &self.case_states,
            kind::MEMBER | kind::MEMBER_ENTERED => &self.member_states,
            kind::RECEIVED | kind::WORKFLOW => {
                return self.workflow.as_ref().map(|w| vec![w.clone()]);
            }
            _ => return None,
        };
        if workflow.is_empty() {
            return None;
        }
        Some(if asked.is_empty() {
            workflow.clone()
        } else {
            asked
                .iter()
                .filter(|n| workflow.contains(n))
                .cloned()
                .collect()
        })
    }
}

/// One aggregated row of a statistics read: the grouped columns (empty or 0
/// where not grouped) and the sums.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sum {
    pub kind: String,
    pub name: String,
    pub district: String,
    pub office: String,
    pub day: i32,
    pub tag: String,
    pub families: i64,
    pub persons: i64,
    /// Extra sums a read asked for (ageing buckets, waiting days).
    pub extra: Vec<i64>,
}

/// What a statistics read groups by and adds up.
#[derive(Clone, Debug, Default)]
pub struct Read {
    /// `(kind, names)`: rows of that kind, of those names (any when empty).
    pub kinds: Vec<(&'static str, Vec<String>)>,
    pub group_name: bool,
    pub group_district: bool,
    pub group_office: bool,
    pub group_tag: bool,
    /// Group by week (`(day - 3) / 7`, weeks starting on Sunday) into `day`.
    pub group_week: bool,
    /// Only rows whose `due` is set and before this day (SLA breaches).
    pub due_before: Option<i32>,
    /// Extra `SUM(...)` expressions over the columns (trusted SQL).
    pub extra: Vec<String>,
    pub filter: Filter,
    /// Whether the day range applies (flows) or not (stocks).
    pub by_day: bool,
}

fn cast_sum(backend: DbBackend, expr: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("CAST(SUM({expr}) AS BIGINT)"),
        _ => format!("SUM({expr})"),
    }
}

/// Runs a statistics read: one `GROUP BY` over the tallies, whose size does
/// not depend on the number of cases.
pub async fn sums(store: &Store, read: &Read) -> Result<Vec<Sum>, StoreError> {
    let conn = store.reader();
    let backend = backend_of(conn);
    let mut values: Vec<Value> = Vec::new();
    let param = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        format!("${}", values.len())
    };
    let mut alternatives = Vec::new();
    for (kind, asked) in &read.kinds {
        let names = match read.filter.names_of(kind, asked) {
            // The workflow has none of the names asked for.
            Some(names) if names.is_empty() => continue,
            Some(names) => names,
            None => asked.clone(),
        };
        let k = param(&mut values, (*kind).into());
        if names.is_empty() {
            alternatives.push(format!("kind = {k}"));
        } else {
            let list: Vec<String> = names
                .iter()
                .map(|n| param(&mut values, n.clone().into()))
                .collect();
            alternatives.push(format!("(kind = {k} AND name IN ({}))", list.join(",")));
        }
    }
    if alternatives.is_empty() {
        return Ok(Vec::new());
    }
    let mut conditions = vec![format!("({})", alternatives.join(" OR "))];
    if let Some(d) = &read.filter.district {
        conditions.push(format!(
            "district = {}",
            param(&mut values, d.clone().into())
        ));
    }
    if let Some(o) = &read.filter.office {
        conditions.push(format!("office = {}", param(&mut values, o.clone().into())));
    }
    if read.by_day {
        if let Some(from) = read.filter.from_day {
            conditions.push(format!("day >= {}", param(&mut values, from.into())));
        }
        if let Some(to) = read.filter.to_day {
            conditions.push(format!("day <= {}", param(&mut values, to.into())));
        }
    }
    if read.group_week {
        // Rows without a day (0) belong to no week.
        conditions.push("day > 0".to_string());
    }
    if let Some(before) = read.due_before {
        conditions.push(format!(
            "due > 0 AND due < {}",
            param(&mut values, before.into())
        ));
    }
    let mut group = vec!["kind".to_string()];
    let pick = |on: bool, column: &str, empty: &str| {
        if on {
            column.to_string()
        } else {
            empty.to_string()
        }
    };
    let name = pick(read.group_name, "name", "''");
    let district = pick(read.group_district, "district", "''");
    let office = pick(read.group_office, "office", "''");
    let tag = pick(read.group_tag, "tag", "''");
    let day = pick(read.group_week, "(day - 3) / 7", "0");
    for (on, column) in [
        (read.group_name, &name),
        (read.group_district, &district),
        (read.group_office, &office),
        (read.group_tag, &tag),
        (read.group_week, &day),
    ] {
        if on {
            group.push(column.clone());
        }
    }
    let mut select = format!(
        "SELECT kind, {name}, {district}, {office}, {day}, {tag}, {}, {}",
        cast_sum(backend, "families"),
        cast_sum(backend, "persons")
    );
    for extra in &read.extra {
        select.push_str(", ");
        select.push_str(&cast_sum(backend, extra));
    }
    let sql = format!(
        "{select} FROM tallies WHERE {} GROUP BY {}",
        conditions.join(" AND "),
        group.join(", ")
    );
    let rows = conn.query_all_raw(statement(backend, &sql, values)).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut extra = Vec::with_capacity(read.extra.len());
        for i in 0..read.extra.len() {
            extra.push(row.try_get_by_index::<Option<i64>>(8 + i)?.unwrap_or(0));
        }
        out.push(Sum {
            kind: row.try_get_by_index(0)?,
            name: row.try_get_by_index(1)?,
            district: row.try_get_by_index(2)?,
            office: row.try_get_by_index(3)?,
            day: row.try_get_by_index::<i32>(4)?,
            tag: row.try_get_by_index(5)?,
            families: row.try_get_by_index::<Option<i64>>(6)?.unwrap_or(0),
            persons: row.try_get_by_index::<Option<i64>>(7)?.unwrap_or(0),
            extra,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_tag_splits_into_what_it_joined() {
        let tag = move_tag("", "intake", "clerk.one");
        assert_eq!(split_move_tag(&tag), Some(("", "intake", "clerk.one")));
        let tag = move_tag("verification", "approval", "a.b-c");
        assert_eq!(
            split_move_tag(&tag),
            Some(("verification", "approval", "a.b-c"))
        );
        assert_eq!(split_move_tag("no separators"), None);
    }

    #[test]
    fn day_numbers_round_trip() {
        let day = NaiveDate::from_ymd_opt(2011, 4, 7).expect("date");
        assert_eq!(from_day_number(day_number(day)), day);
        assert_eq!(day_number(NaiveDate::default()), 0);
        // Day 3 is a Sunday, the first day of a working week.
        assert_eq!(
            from_day_number(3).format("%A").to_string(),
            "Sunday",
            "weeks are counted from Sundays"
        );
    }

    #[test]
    fn a_change_adds_only_what_differs() {
        let at = DateTime::parse_from_rfc3339("2011-05-01T09:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let day = NaiveDate::from_ymd_opt(2011, 5, 1).expect("date");
        let member = MemberFacts {
            state: "pending",
            abroad: false,
            state_changed_on: Some(day),
            registered_on: None,
        };
        let before = Facts {
            workflow: "naturalization-family",
            workflow_version: 1,
            district: "al_hasakah",
            office: "hasakah_centre",
            submitted_on: day,
            state: "intake",
            state_entered_at: at,
            due_on: None,
            assignee: None,
            members: vec![member.clone(), member],
        };
        let mut after = before.clone();
        after.state = "verification";
        let change = Tally::change(&before, &after).without_zeros();
        let kinds: Vec<(&str, &str, (i64, i64))> = change
            .iter()
            .map(|(k, v)| (k.kind, k.name.as_str(), *v))
            .collect();
        assert_eq!(
            kinds,
            [
                ("entered", "intake", (-1, -2)),
                ("entered", "verification", (1, 2)),
                ("state", "intake", (-1, -2)),
                ("state", "verification", (1, 2)),
                ("waiting", "intake", (-1, -2)),
                ("waiting", "verification", (1, 2)),
            ]
        );
    }

    #[test]
    fn the_upsert_adds_to_the_row_of_its_slot() {
        let sql = upsert_sql(2);
        assert!(sql.contains("($11,$12,$13,$14,$15,$16,$17,$18,$19,$20)"));
        assert!(sql.ends_with("persons = tallies.persons + excluded.persons"));
    }
}
