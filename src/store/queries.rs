//! Read queries: lists with filters and keyset pagination, the audit trail.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Value};

use crate::domain::names::PartsQuery;
use crate::store::entities::audit_event;
use crate::store::{Store, StoreError, backend_of, statement};

/// One event of a case's audit history, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub application_id: i64,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub member: Option<i32>,
    pub from_state: String,
    pub to_state: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<audit_event::Model> for AuditRecord {
    fn from(row: audit_event::Model) -> AuditRecord {
        AuditRecord {
            id: row.id,
            application_id: row.application_id,
            seq: row.seq,
            at: row.at,
            actor: row.actor,
            action: row.action,
            member: row.member,
            from_state: row.from_state,
            to_state: row.to_state,
            payload: row.payload,
            prev_hash: row.prev_hash,
            hash: row.hash,
        }
    }
}

/// Filters for listing cases; every one optional.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub states: Vec<String>,
    pub district: Option<String>,
    pub office: Option<String>,
    pub assignee: Option<String>,
    /// Only cases whose due date is before this day.
    pub due_before: Option<NaiveDate>,
    /// The ways of reading a typed name as name parts; a member matching
    /// any of them matches (see `domain::names::parts_queries`).
    pub name_parts: Vec<PartsQuery>,
    pub register_number: Option<String>,
    pub national_number: Option<String>,
    /// Only cases nobody holds.
    pub unassigned: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Oldest submission first.
    Age,
    /// Earliest due date first; cases without one last.
    Due,
    /// The longest in their state first.
    EnteredFirst,
    /// The latest to enter their state first.
    EnteredLast,
}

impl SortKey {
    /// Whether the list runs from the greatest sort value down.
    fn descending(self) -> bool {
        self == SortKey::EnteredLast
    }
}

/// Where a row stands in its list's order: a day (submission, due date) or
/// a moment (entering the state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortValue {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

impl From<SortValue> for Value {
    fn from(value: SortValue) -> Value {
        match value {
            SortValue::Day(day) => day.into(),
            SortValue::At(at) => at.into(),
        }
    }
}

/// A row of a case list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseSummary {
    pub id: i64,
    pub reference: String,
    pub district: String,
    pub office: String,
    pub state: String,
    pub assignee: Option<String>,
    pub submitted_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub version: i64,
    /// When the case entered its state.
    pub state_entered_at: DateTime<Utc>,
    /// The head of the family's first, father's and family name, as typed.
    pub head_name: Option<String>,
    /// Whom the case is named by: the head of the family, else its first
    /// member (the person of a one-person case); `None` for a case with
    /// no member.
    pub display_name: Option<String>,
    /// The sort key of this row, for the next page's cursor.
    pub sort_value: SortValue,
}

/// One page of cases after the keyset cursor `after` (sort value, id).
///
/// By due date over several states (an intake clerk's intake and
/// returned), each state is its own branch ordered and limited by the
/// `(state, COALESCE(due_on, …), id)` index, and the branches are merged:
/// a page costs one short index range per state however many cases each
/// state holds, where one `state IN (…)` would sort them all.
pub async fn list_cases(
    store: &Store,
    filter: &CaseFilter,
    sort: SortKey,
    after: Option<(SortValue, i64)>,
    limit: u64,
) -> Result<Vec<CaseSummary>, StoreError> {
    let limit = limit.min(1000);
    let sort_expr = match sort {
        SortKey::Age => "a.submitted_on",
        // A literal both databases read as a date: PostgreSQL coerces it to
        // the column's type, SQLite keeps dates as ISO text.
        SortKey::Due => "COALESCE(a.due_on, '9999-12-31')",
        SortKey::EnteredFirst | SortKey::EnteredLast => "a.state_entered_at",
    };
    let direction = if sort.descending() { " DESC" } else { "" };
    // A name search lists by entry (the application's id), an order the
    // primary key gives. A common name's first page is the first matching
    // families walked in entry order (a merge with the members'
    // (application, ordinal) index), which stops after a page; a rare one's
    // matches are gathered from the name indexes and sorted. Sorting every
    // match by date first made a common family name cost a second at
    // 2,000,000 families.
    let by_entry = !filter.name_parts.is_empty();
    let conn = store.reader();
    // A whole name (some reading gives all three parts) is nearly always
    // rare: gathered whole, since the planner's estimate for several such
    // readings can choose the walk, which then walks nearly every
    // application. A name of one or two parts is left to the planner, which
    // walks for a common one and gathers a rare one.
    let whole_name = filter
        .name_parts
        .iter()
        .any(|q| q.first.is_some() && q.father.is_some() && q.family.is_some());
    let matches = if whole_name {
        let found = few_matches(conn, &filter.name_parts).await?;
        if found.as_ref().is_some_and(Vec::is_empty) {
            return Ok(Vec::new());
        }
        found
    } else {
        None
    };
    let order = if by_entry {
        "a.id".to_string()
    } else {
        format!("sort_value{direction}, a.id{direction}")
    };
    let mut values: Vec<Value> = Vec::new();
    let branch = |states: &[String], values: &mut Vec<Value>| {
        format!(
            "SELECT a.id, a.reference, a.district, a.office, a.state, a.assignee, a.submitted_on, \
             a.due_on, a.version, a.state_entered_at, {sort_expr} AS sort_value \
             FROM applications a WHERE 1 = 1{} ORDER BY {order} LIMIT {limit}",
            conditions(
                filter,
                states,
                (sort_expr, sort.descending()),
                after,
                matches.as_deref(),
                values
            )
        )
    };
    let sql = if sort == SortKey::Due && filter.states.len() > 1 && !by_entry {
        let branches: Vec<String> = filter
            .states
            .iter()
            .enumerate()
            .map(|(i, state)| {
                format!(
                    "SELECT * FROM ({}) s{i}",
                    branch(std::slice::from_ref(state), &mut values)
                )
            })
            .collect();
        format!(
            "SELECT * FROM ({}) m ORDER BY sort_value, id LIMIT {limit}",
            branches.join(" UNION ALL ")
        )
    } else {
        branch(&filter.states, &mut values)
    };
    // The head's name is looked up for the page's rows only, after the
    // limit (one probe of the members' (application, ordinal) index each),
    // and the first member's only where there is no head (COALESCE stops
    // at its first value on both databases). The rows with their head's
    // name are materialized first: else SQLite flattens them into the
    // outer query and probes for the head twice, once for each use.
    let sql = format!(
        "WITH q AS MATERIALIZED (SELECT p.*, (SELECT h.first_name || ' ' || h.father_name || \
         ' ' || h.family_name FROM members h WHERE h.application_id = p.id AND h.relationship = \
         'head' ORDER BY h.ordinal LIMIT 1) AS head_name FROM ({sql}) p) \
         SELECT q.*, COALESCE(q.head_name, (SELECT f.first_name || ' ' || f.father_name || ' ' \
         || f.family_name FROM members f WHERE f.application_id = q.id ORDER BY f.ordinal \
         LIMIT 1)) AS display_name FROM q ORDER BY {}",
        if by_entry {
            "q.id".to_string()
        } else {
            format!("q.sort_value{direction}, q.id{direction}")
        }
    );
    let rows = conn
        .query_all_raw(statement(backend_of(conn), &sql, values))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(CaseSummary {
            id: row.try_get("", "id")?,
            reference: row.try_get("", "reference")?,
            district: row.try_get("", "district")?,
            office: row.try_get("", "office")?,
            state: row.try_get("", "state")?,
            assignee: row.try_get("", "assignee")?,
            submitted_on: row.try_get("", "submitted_on")?,
            due_on: row.try_get("", "due_on")?,
            version: row.try_get("", "version")?,
            state_entered_at: row.try_get("", "state_entered_at")?,
            head_name: row.try_get("", "head_name")?,
            display_name: row.try_get("", "display_name")?,
            sort_value: match sort {
                SortKey::Age | SortKey::Due => SortValue::Day(row.try_get("", "sort_value")?),
                SortKey::EnteredFirst | SortKey::EnteredLast => {
                    SortValue::At(row.try_get("", "sort_value")?)
                }
            },
        });
    }
    Ok(out)
}

/// One reading of a typed name as equalities on the members' search
/// columns, each value bound as the next `$n` of `values`.
fn reading(query: &PartsQuery, values: &mut Vec<Value>, sql: &mut String) {
    let mut first = true;
    for (column, value) in [
        ("name_first", &query.first),
        ("name_father", &query.father),
        ("name_family", &query.family),
    ] {
        if let Some(value) = value {
            if !first {
                sql.push_str(" AND ");
            }
            first = false;
            values.push(value.clone().into());
            sql.push_str(&format!("{column} = ${}", values.len()));
        }
    }
}

/// How many members a name may match and still be gathered whole (then
/// sorted by entry), rather than found by walking the applications in
/// entry order: about where the two cost the same at 2,000,000 families
/// (a walk finds a page after about 50 × families ÷ matches applications).
const FEW_MATCHES: usize = 10_000;

/// The applications whose members match one of the name's readings, in
/// entry order, when they are few; none when some reading matches more
/// than [`FEW_MATCHES`] members. Each reading is read from its index and
/// stops at the bound, so a common name costs [`FEW_MATCHES`] index
/// entries at most.
async fn few_matches(
    conn: &impl ConnectionTrait,
    parts: &[PartsQuery],
) -> Result<Option<Vec<i64>>, StoreError> {
    let mut values = Vec::new();
    let branches: Vec<String> = parts
        .iter()
        .enumerate()
        .map(|(i, query)| {
            let mut sql = String::new();
            reading(query, &mut values, &mut sql);
            format!(
                "SELECT * FROM (SELECT {i} AS reading, application_id FROM members WHERE {sql} LIMIT {}) r{i}",
                FEW_MATCHES + 1
            )
        })
        .collect();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            &branches.join(" UNION ALL "),
            values,
        ))
        .await?;
    let mut per_reading = vec![0_usize; parts.len()];
    let mut ids = Vec::with_capacity(rows.len());
    for row in rows {
        let reading: i32 = row.try_get("", "reading")?;
        if let Some(n) = per_reading.get_mut(reading as usize) {
            *n += 1;
            if *n > FEW_MATCHES {
                return Ok(None);
            }
        }
        ids.push(row.try_get::<i64>("", "application_id")?);
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(Some(ids))
}

/// The `WHERE` conditions of a case list after `1 = 1`, each value bound
/// as the next `$n` of `values`.
fn conditions(
    filter: &CaseFilter,
    states: &[String],
    (sort_expr, descending): (&str, bool),
    after: Option<(SortValue, i64)>,
    matches: Option<&[i64]>,
    values: &mut Vec<Value>,
) -> String {
    let mut sql = String::new();
    let bind = |values: &mut Vec<Value>, v: Value, sql: &mut String| {
        values.push(v);
        sql.push_str(&format!("${}", values.len()));
    };
    if filter.unassigned {
        sql.push_str(" AND a.assignee IS NULL");
    }
    if !states.is_empty() {
        sql.push_str(" AND a.state IN (");
        for (i, state) in states.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            bind(values, state.clone().into(), &mut sql);
        }
        sql.push(')');
    }
    for (column, value) in [
        ("a.district", &filter.district),
        ("a.office", &filter.office),
        ("a.assignee", &filter.assignee),
    ] {
        if let Some(value) = value {
            sql.push_str(&format!(" AND {column} = "));
            bind(values, value.clone().into(), &mut sql);
        }
    }
    if let Some(day) = filter.due_before {
        sql.push_str(" AND a.due_on < ");
        bind(values, day.into(), &mut sql);
    }
    for (column, value) in [
        ("register_number", &filter.register_number),
        ("national_number", &filter.national_number),
    ] {
        if let Some(value) = value {
            sql.push_str(&format!(
                " AND a.id IN (SELECT application_id FROM members WHERE {column} = "
            ));
            bind(values, value.clone().into(), &mut sql);
            sql.push(')');
        }
    }
    match matches {
        // A name matched by few: their applications, found before.
        Some(ids) => {
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            sql.push_str(&format!(" AND a.id IN ({})", ids.join(", ")));
        }
        None if !filter.name_parts.is_empty() => {
            // Each reading is an equality on a prefix of one of the three
            // part indexes, so the database answers each from an index.
            sql.push_str(" AND a.id IN (SELECT application_id FROM members WHERE ");
            for (i, query) in filter.name_parts.iter().enumerate() {
                if i > 0 {
                    sql.push_str(" OR ");
                }
                sql.push('(');
                reading(query, values, &mut sql);
                sql.push(')');
            }
            sql.push(')');
        }
        None => {}
    }
    if let (Some((_, id)), false) = (after, filter.name_parts.is_empty()) {
        // A name search goes by entry alone.
        sql.push_str(" AND a.id > ");
        bind(values, id.into(), &mut sql);
    } else if let Some((value, id)) = after {
        // A row comparison, which both databases read as a range of the
        // ordering index: the next page starts where the last one ended
        // instead of filtering every row before it.
        let beyond = if descending { "<" } else { ">" };
        sql.push_str(&format!(" AND ({sort_expr}, a.id) {beyond} ("));
        bind(values, value.into(), &mut sql);
        sql.push_str(", ");
        bind(values, id.into(), &mut sql);
        sql.push(')');
    }
    sql
}

/// How many cases each officer holds, in `district` (or everywhere): one
/// `GROUP BY` over the assignee index.
pub async fn held_counts(
    store: &Store,
    district: Option<&str>,
) -> Result<Vec<(String, i64)>, StoreError> {
    let conn = store.reader();
    let (sql, values): (&str, Vec<Value>) = match district {
        Some(d) => (
            "SELECT assignee, COUNT(*) AS held FROM applications WHERE assignee IS NOT NULL \
             AND district = $1 GROUP BY assignee",
            vec![d.into()],
        ),
        None => (
            "SELECT assignee, COUNT(*) AS held FROM applications WHERE assignee IS NOT NULL \
             GROUP BY assignee",
            vec![],
        ),
    };
    let rows = conn
        .query_all_raw(statement(backend_of(conn), sql, values))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("", "assignee")?, row.try_get("", "held")?)))
        .collect()
}

/// How many cases `filter` selects (a name search is not counted: the
/// filter's name parts are ignored).
pub async fn count_cases(store: &Store, filter: &CaseFilter) -> Result<i64, StoreError> {
    let conn = store.reader();
    let mut values = Vec::new();
    let unnamed = CaseFilter {
        name_parts: Vec::new(),
        ..filter.clone()
    };
    let sql = format!(
        "SELECT COUNT(*) AS n FROM applications a WHERE 1 = 1{}",
        conditions(
            &unnamed,
            &filter.states,
            ("", false),
            None,
            None,
            &mut values
        )
    );
    let row = conn
        .query_one_raw(statement(backend_of(conn), &sql, values))
        .await?;
    Ok(match row {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    })
}

/// The cases in one state: how many, how many nobody holds, how many
/// are past their due date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageCount {
    pub state: String,
    pub cases: i64,
    pub unassigned: i64,
    pub overdue: i64,
}

/// The cases in each of `states`, in `district` (or everywhere), with how
/// many nobody holds and how many were due before `today`: one `GROUP BY`
/// over the state–district index. States with no case are not returned.
pub async fn stage_counts(
    store: &Store,
    district: Option<&str>,
    states: &[String],
    today: NaiveDate,
) -> Result<Vec<StageCount>, StoreError> {
    if states.is_empty() {
        return Ok(Vec::new());
    }
    let conn = store.reader();
    let mut values: Vec<Value> = vec![today.into()];
    let mut sql = String::from(
        "SELECT state, COUNT(*) AS cases, \
         SUM(CASE WHEN assignee IS NULL THEN 1 ELSE 0 END) AS unassigned, \
         SUM(CASE WHEN due_on < $1 THEN 1 ELSE 0 END) AS overdue \
         FROM applications WHERE state IN (",
    );
    for (i, state) in states.iter().enumerate() {
        values.push(state.clone().into());
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("${}", values.len()));
    }
    sql.push(')');
    if let Some(district) = district {
        values.push(district.into());
        sql.push_str(&format!(" AND district = ${}", values.len()));
    }
    sql.push_str(" GROUP BY state");
    let rows = conn
        .query_all_raw(statement(backend_of(conn), &sql, values))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(StageCount {
                state: row.try_get("", "state")?,
                cases: row.try_get("", "cases")?,
                unassigned: row.try_get("", "unassigned")?,
                overdue: row.try_get("", "overdue")?,
            })
        })
        .collect()
}

/// The audit trail of one application, oldest first.
/// For each of the cases `ids`, the newest event of its history that moved
/// it from one state to another: what brought it where it is. One query
/// for them all (an index range of `(application_id, seq)` each).
pub async fn entering_events(store: &Store, ids: &[i64]) -> Result<Vec<AuditRecord>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let conn = store.reader();
    let sql = format!(
        "SELECT e.* FROM audit_events e JOIN (SELECT application_id, MAX(seq) AS seq \
         FROM audit_events WHERE application_id IN ({}) AND from_state <> to_state \
         GROUP BY application_id) l ON e.application_id = l.application_id AND e.seq = l.seq",
        ids.join(", ")
    );
    Ok(audit_event::Entity::find()
        .from_raw_sql(statement(backend_of(conn), &sql, Vec::new()))
        .all(conn)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn audit_trail(
    store: &Store,
    application_id: i64,
) -> Result<Vec<AuditRecord>, StoreError> {
    Ok(audit_event::Entity::find()
        .filter(audit_event::Column::ApplicationId.eq(application_id))
        .order_by_asc(audit_event::Column::Seq)
        .all(store.conn())
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}
