//! The database's own limit for one case transition, for `casework bench`:
//! the same row read, version-guarded UPDATE and audit INSERT that a
//! transition makes, through the same driver, with no engine.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, Tx, backend_of, statement};

pub async fn transition(tx: &Tx, reference: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let conn = &tx.inner;
    let backend = backend_of(conn);
    let row = conn
        .query_one_raw(statement(
            backend,
            "SELECT id, version FROM applications WHERE reference = $1",
            vec![reference.into()],
        ))
        .await?
        .ok_or(StoreError::NotFound)?;
    let id: i64 = row.try_get_by_index(0)?;
    let version: i64 = row.try_get_by_index(1)?;
    let updated = conn
        .execute_raw(statement(
            backend,
            "UPDATE applications SET version = $1, updated_at = $2 WHERE id = $3 AND version = $4",
            vec![(version + 1).into(), now.into(), id.into(), version.into()],
        ))
        .await?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict);
    }
    conn.execute_raw(statement(
        backend,
        "INSERT INTO audit_events (application_id, seq, at, actor, action, member, from_state, to_state, payload, prev_hash, hash) \
         VALUES ($1, $2, $3, 'bench', 'raw', 1, 'raw', 'raw', '{}', '', '')",
        vec![id.into(), (1_000_000 + version).into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// The largest application id.
pub async fn max_application_id(store: &Store) -> Result<i64, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT COALESCE(MAX(id), 0) FROM applications",
            vec![],
        ))
        .await?;
    Ok(row.map_or(Ok(0), |r| r.try_get_by_index::<i64>(0))?)
}

/// Copies the applications with `id <= upto` and their members under new
/// ids (`id + offset`), for building large databases fast. The copies keep
/// every column the statistics read; their references are `COPY-<id>`, their
/// national numbers are left empty (a number belongs to one person), and
/// their audit events are not copied.
pub async fn copy_families(tx: &Tx, upto: i64, offset: i64) -> Result<(), StoreError> {
    let conn = &tx.inner;
    let backend = backend_of(conn);
    // A copy's reference names its new id: `COPY-1234567` (unique, short).
    let reference = match backend {
        sea_orm::DbBackend::Postgres => "'COPY-' || CAST(id + $1 AS TEXT)",
        _ => "'COPY-' || (id + $1)",
    };
    let app_columns = "workflow_name, workflow_version, district, office, submitted_on, \
        applicant_email, state, assignee, version, state_entered_at, due_on, paused_since, \
        paused_working_days, duties, family_documents, audit_seq, last_hash, origin, \
        created_at, updated_at";
    conn.execute_raw(statement(
        backend,
        &format!(
            "INSERT INTO applications (id, reference, {app_columns}) \
             SELECT id + $2, {reference}, {app_columns} FROM applications WHERE id <= $3"
        ),
        vec![offset.into(), offset.into(), upto.into()],
    ))
    .await?;
    let member_columns = "ordinal, first_name, father_name, mother_name, family_name, \
        latin_first_name, latin_family_name, name_first, name_father, name_family, sex, birth_date, birth_place, \
        relationship, register_number, abroad, documents, state, card_number, \
        collector_document, exclusion_reason, card_due_on, state_changed_on, registered_on";
    conn.execute_raw(statement(
        backend,
        &format!(
            "INSERT INTO members (application_id, {member_columns}) \
             SELECT application_id + $1, {member_columns} FROM members WHERE application_id <= $2"
        ),
        vec![offset.into(), upto.into()],
    ))
    .await?;
    if backend == sea_orm::DbBackend::Postgres {
        conn.execute_raw(statement(
            backend,
            "SELECT setval(pg_get_serial_sequence('applications', 'id'), (SELECT MAX(id) FROM applications))",
            vec![],
        ))
        .await?;
    }
    Ok(())
}

/// Refreshes the planner's statistics after a bulk load.
pub async fn analyze(store: &Store) -> Result<(), StoreError> {
    let conn = store.conn();
    conn.execute_raw(statement(backend_of(conn), "ANALYZE", vec![]))
        .await?;
    Ok(())
}

/// PostgreSQL's `synchronous_commit` as the pool's connections see it
/// (`None` on SQLite).
pub async fn synchronous_commit(store: &Store) -> Result<Option<String>, StoreError> {
    let conn = store.conn();
    if backend_of(conn) != sea_orm::DbBackend::Postgres {
        return Ok(None);
    }
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT current_setting('synchronous_commit')",
            vec![],
        ))
        .await?;
    Ok(row.map(|r| r.try_get_by_index::<String>(0)).transpose()?)
}

/// Rows in the tallies table.
pub async fn tally_rows(store: &Store) -> Result<i64, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT COUNT(*) FROM tallies",
            vec![],
        ))
        .await?;
    Ok(row.map_or(Ok(0), |r| r.try_get_by_index::<i64>(0))?)
}

/// The plain `GROUP BY` over the raw rows that answers the same question as
/// a statistics route, for the benchmark to compare. Returns the rows read.
pub async fn naive(
    store: &Store,
    route: &str,
    today: chrono::NaiveDate,
    open: &[String],
    terminal: &[String],
    collected: &[String],
) -> Result<usize, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let list = |states: &[String]| {
        states
            .iter()
            .map(|s| format!("'{}'", s.replace('\'', "''")))
            .collect::<Vec<_>>()
            .join(",")
    };
    let (open, terminal, collected) = (list(open), list(terminal), list(collected));
    let day = |days: i64| today - chrono::Duration::days(days);
    let at = |days: i64| day(days).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let date_of = match backend {
        sea_orm::DbBackend::Postgres => "CAST(state_entered_at AS DATE)",
        _ => "date(state_entered_at)",
    };
    let queries: Vec<(String, Vec<sea_orm::Value>)> = match route {
        "headline" => vec![
            (
                "SELECT state, COUNT(*) FROM applications GROUP BY state".into(),
                vec![],
            ),
            (
                "SELECT state, abroad, COUNT(*) FROM members GROUP BY state, abroad".into(),
                vec![],
            ),
        ],
        "backlog" => vec![(
            format!(
                "SELECT a.state, a.district, a.office, COUNT(DISTINCT a.id), COUNT(m.id) \
                 FROM applications a JOIN members m ON m.application_id = a.id \
                 WHERE a.state IN ({open}) GROUP BY a.state, a.district, a.office"
            ),
            vec![],
        )],
        "ageing" | "bottleneck" => vec![(
            format!(
                "SELECT state, \
                 SUM(CASE WHEN state_entered_at >= $1 THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN state_entered_at < $2 AND state_entered_at >= $3 THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN state_entered_at < $4 AND state_entered_at >= $5 THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN state_entered_at < $6 AND state_entered_at >= $7 THEN 1 ELSE 0 END), \
                 SUM(CASE WHEN state_entered_at < $8 THEN 1 ELSE 0 END), COUNT(*) \
                 FROM applications WHERE state IN ({open}) GROUP BY state"
            ),
            vec![
                at(7).into(),
                at(7).into(),
                at(30).into(),
                at(30).into(),
                at(90).into(),
                at(90).into(),
                at(180).into(),
                at(180).into(),
            ],
        )],
        "sla-breaches" => vec![(
            format!(
                "SELECT state, district, office, COUNT(*) FROM applications \
                 WHERE state IN ({open}) AND due_on < $1 GROUP BY state, district, office"
            ),
            vec![today.into()],
        )],
        "throughput" | "forecast" => vec![
            (
                "SELECT submitted_on, COUNT(*) FROM applications GROUP BY submitted_on".into(),
                vec![],
            ),
            (
                format!(
                    "SELECT state, {date_of}, COUNT(*) FROM applications \
                     WHERE state IN ({terminal}) GROUP BY state, {date_of}"
                ),
                vec![],
            ),
            (
                format!(
                    "SELECT state_changed_on, COUNT(*) FROM members WHERE state IN ({collected}) \
                     GROUP BY state_changed_on"
                ),
                vec![],
            ),
        ],
        "workload" => vec![
            (
                "SELECT assignee, COUNT(*) FROM applications WHERE assignee IS NOT NULL \
                 GROUP BY assignee"
                    .into(),
                vec![],
            ),
            (
                "SELECT actor, COUNT(*) FROM audit_events WHERE at >= $1 GROUP BY actor".into(),
                vec![at(30).into()],
            ),
        ],
        _ => vec![],
    };
    let mut rows = 0;
    for (sql, values) in queries {
        rows += conn
            .query_all_raw(statement(backend, &sql, values))
            .await?
            .len();
    }
    Ok(rows)
}

/// A person to search for in the search benchmark.
#[derive(Clone, Debug)]
pub struct SearchPerson {
    pub first: String,
    pub father: String,
    pub family: String,
    pub register_number: Option<String>,
    pub national_number: Option<String>,
}

/// `count` people with a national number, spread evenly over the members.
pub async fn search_people(store: &Store, count: u64) -> Result<Vec<SearchPerson>, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let total = conn
        .query_one_raw(statement(
            backend,
            "SELECT COUNT(*) FROM members WHERE national_number IS NOT NULL",
            vec![],
        ))
        .await?
        .map_or(Ok(0), |r| r.try_get_by_index::<i64>(0))?;
    let step = (total / count.max(1) as i64).max(1);
    let rows = conn
        .query_all_raw(statement(
            backend,
            "SELECT first_name, father_name, family_name, register_number, national_number \
             FROM (SELECT m.*, ROW_NUMBER() OVER (ORDER BY id) AS n FROM members m \
             WHERE national_number IS NOT NULL) numbered WHERE n % $1 = 0 ORDER BY n LIMIT $2",
            vec![step.into(), (count as i64).into()],
        ))
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(SearchPerson {
            first: row.try_get("", "first_name")?,
            father: row.try_get("", "father_name")?,
            family: row.try_get("", "family_name")?,
            register_number: row.try_get("", "register_number")?,
            national_number: row.try_get("", "national_number")?,
        });
    }
    Ok(out)
}
