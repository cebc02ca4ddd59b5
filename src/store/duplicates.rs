//! Possible duplicates: a member whose register entry number is in another
//! application, or whose first, father's and family name (search forms) are
//! another member's with a birth year within one year. Found when cases are
//! stored (intake, import, the demo) and kept as flags until a verifier
//! dismisses or links them.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Value};

use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// The same register entry number appears in another application.
pub const SAME_REGISTER_NUMBER: &str = "same_register_number";
/// The same three name parts and a birth year at most one apart.
pub const SAME_NAME_AND_BIRTH_YEAR: &str = "same_name_and_birth_year";

pub const OPEN: &str = "open";
pub const DISMISSED: &str = "dismissed";
pub const LINKED: &str = "linked";

/// One possible duplicate, seen from `application_id`'s side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub id: i64,
    pub application_id: i64,
    pub ordinal: i32,
    pub other_application_id: i64,
    pub other_ordinal: i32,
    pub reason: String,
    pub status: String,
    pub found_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// The birth-year test in each database's dialect.
fn years_apart(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => {
            "ABS(EXTRACT(YEAR FROM o.birth_date) - EXTRACT(YEAR FROM n.birth_date)) <= 1"
        }
        _ => {
            "ABS(CAST(substr(o.birth_date, 1, 4) AS INTEGER) - CAST(substr(n.birth_date, 1, 4) AS INTEGER)) <= 1"
        }
    }
}

/// Finds the possible duplicates of every member of the applications with
/// ids in `ids` and records them as open flags (a pair already flagged, or
/// already decided, from either side is left as it is, so looking again at
/// an application never reopens a pair a verifier dismissed). Returns the
/// flags added.
pub async fn detect(tx: &Tx, ids: &[i64], now: DateTime<Utc>) -> Result<u64, StoreError> {
    let conn = &tx.inner;
    let backend = backend_of(conn);
    let mut added = 0;
    for chunk in ids.chunks(500) {
        let mut list = String::new();
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() + 1);
        values.push(now.into());
        for id in chunk {
            if !list.is_empty() {
                list.push_str(", ");
            }
            values.push((*id).into());
            list.push_str(&format!("${}", values.len()));
        }
        // Each join probes an index of `members` once per new member.
        for (reason, on) in [
            (
                SAME_REGISTER_NUMBER,
                "o.register_number = n.register_number".to_string(),
            ),
            (
                SAME_NAME_AND_BIRTH_YEAR,
                format!(
                    "o.name_first = n.name_first AND o.name_father = n.name_father \
                     AND o.name_family = n.name_family AND {}",
                    years_apart(backend)
                ),
            ),
        ] {
            let sql = format!(
                "INSERT INTO duplicate_flags (application_id, ordinal, other_application_id, \
                 other_ordinal, reason, status, found_at) \
                 SELECT n.application_id, n.ordinal, o.application_id, o.ordinal, '{reason}', \
                 '{OPEN}', $1 FROM members n JOIN members o ON {on} \
                 AND o.application_id <> n.application_id \
                 WHERE n.application_id IN ({list}) AND NOT EXISTS (SELECT 1 FROM \
                 duplicate_flags f WHERE f.application_id = o.application_id \
                 AND f.ordinal = o.ordinal AND f.other_application_id = n.application_id \
                 AND f.other_ordinal = n.ordinal AND f.reason = '{reason}') \
                 ON CONFLICT (application_id, ordinal, other_application_id, other_ordinal, reason) \
                 DO NOTHING"
            );
            added += conn
                .execute_raw(statement(backend, &sql, values.clone()))
                .await?
                .rows_affected();
        }
    }
    Ok(added)
}

/// Forgets the open flags of an application (before its family is
/// replaced and looked at again). Decided flags stay.
pub async fn forget_open(tx: &Tx, application_id: i64) -> Result<(), StoreError> {
    let conn = &tx.inner;
    conn.execute_raw(statement(
        backend_of(conn),
        &format!("DELETE FROM duplicate_flags WHERE application_id = $1 AND status = '{OPEN}'"),
        vec![application_id.into()],
    ))
    .await?;
    Ok(())
}

const FLAG_COLUMNS: &str = "id, application_id, ordinal, other_application_id, other_ordinal, \
    reason, status, found_at, decided_by, decided_at";

fn flag_of(row: &sea_orm::QueryResult) -> Result<Flag, StoreError> {
    Ok(Flag {
        id: row.try_get("", "id")?,
        application_id: row.try_get("", "application_id")?,
        ordinal: row.try_get("", "ordinal")?,
        other_application_id: row.try_get("", "other_application_id")?,
        other_ordinal: row.try_get("", "other_ordinal")?,
        reason: row.try_get("", "reason")?,
        status: row.try_get("", "status")?,
        found_at: row.try_get("", "found_at")?,
        decided_by: row.try_get("", "decided_by")?,
        decided_at: row.try_get("", "decided_at")?,
    })
}

/// The flags of an application: those raised on it, and those raised on
/// another application that point at it (turned to be seen from this side,
/// keeping their ids).
pub async fn of_application(
    conn: &impl ConnectionTrait,
    application_id: i64,
) -> Result<Vec<Flag>, StoreError> {
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            &format!(
                "SELECT {FLAG_COLUMNS} FROM duplicate_flags WHERE application_id = $1 \
                 UNION ALL SELECT id, other_application_id AS application_id, \
                 other_ordinal AS ordinal, application_id AS other_application_id, \
                 ordinal AS other_ordinal, reason, status, found_at, decided_by, decided_at \
                 FROM duplicate_flags WHERE other_application_id = $2 ORDER BY id"
            ),
            vec![application_id.into(), application_id.into()],
        ))
        .await?;
    let mut flags: Vec<Flag> = rows.iter().map(flag_of).collect::<Result<_, _>>()?;
    // Two new applications that match each other are flagged both ways;
    // from one side the pair shows once.
    let mut seen = std::collections::BTreeSet::new();
    flags.retain(|f| {
        seen.insert((
            f.ordinal,
            f.other_application_id,
            f.other_ordinal,
            f.reason.clone(),
        ))
    });
    Ok(flags)
}

/// Records the decision on a pair: the flag and its mirror (the same pair
/// seen from the other application), if open. Returns false when the flag
/// was no longer open (someone decided first).
pub async fn decide(
    tx: &Tx,
    flag: &Flag,
    status: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let conn = &tx.inner;
    let result = conn
        .execute_raw(statement(
            backend_of(conn),
            &format!(
                "UPDATE duplicate_flags SET status = $1, decided_by = $2, decided_at = $3 \
                 WHERE status = '{OPEN}' AND reason = $4 AND ((application_id = $5 AND ordinal = $6 \
                 AND other_application_id = $7 AND other_ordinal = $8) OR (application_id = $9 \
                 AND ordinal = $10 AND other_application_id = $11 AND other_ordinal = $12))"
            ),
            vec![
                status.into(),
                by.into(),
                at.into(),
                flag.reason.clone().into(),
                flag.application_id.into(),
                flag.ordinal.into(),
                flag.other_application_id.into(),
                flag.other_ordinal.into(),
                flag.other_application_id.into(),
                flag.other_ordinal.into(),
                flag.application_id.into(),
                flag.ordinal.into(),
            ],
        ))
        .await?;
    Ok(result.rows_affected() > 0)
}

/// A member as shown beside its possible duplicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub application_id: i64,
    pub reference: String,
    pub state: String,
    pub ordinal: i32,
    pub first_name: String,
    pub father_name: String,
    pub mother_name: String,
    pub family_name: String,
    pub birth_date: NaiveDate,
    pub birth_place: String,
    pub register_number: Option<String>,
    pub relationship: String,
}

/// The people named by `(application_id, ordinal)` pairs, in one query; a
/// pair whose member no longer exists (the family was edited) is absent.
pub async fn people(
    store: &Store,
    keys: &[(i64, i32)],
) -> Result<std::collections::HashMap<(i64, i32), Person>, StoreError> {
    let mut out = std::collections::HashMap::new();
    let conn = store.conn();
    for chunk in keys.chunks(500) {
        let mut sql = String::from(
            "SELECT a.id, a.reference, a.state, m.ordinal, m.first_name, m.father_name, \
             m.mother_name, m.family_name, m.birth_date, m.birth_place, m.register_number, \
             m.relationship FROM members m JOIN applications a ON a.id = m.application_id \
             WHERE ",
        );
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 2);
        for (i, (application_id, ordinal)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(" OR ");
            }
            sql.push_str(&format!(
                "(m.application_id = ${} AND m.ordinal = ${})",
                values.len() + 1,
                values.len() + 2
            ));
            values.push((*application_id).into());
            values.push((*ordinal).into());
        }
        for row in conn
            .query_all_raw(statement(backend_of(conn), &sql, values))
            .await?
        {
            let person = Person {
                application_id: row.try_get("", "id")?,
                reference: row.try_get("", "reference")?,
                state: row.try_get("", "state")?,
                ordinal: row.try_get("", "ordinal")?,
                first_name: row.try_get("", "first_name")?,
                father_name: row.try_get("", "father_name")?,
                mother_name: row.try_get("", "mother_name")?,
                family_name: row.try_get("", "family_name")?,
                birth_date: row.try_get("", "birth_date")?,
                birth_place: row.try_get("", "birth_place")?,
                register_number: row.try_get("", "register_number")?,
                relationship: row.try_get("", "relationship")?,
            };
            out.insert((person.application_id, person.ordinal), person);
        }
    }
    Ok(out)
}
