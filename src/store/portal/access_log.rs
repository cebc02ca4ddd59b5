//! The access log: entries appended to an agency's hash chain (with the
//! day's tallies) in the caller's transaction, and read back newest first.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Value};

use crate::domain::audit::{audit_time, chain_time};
use crate::domain::digest::sha256_parts;
use crate::store::{Store, StoreError, Tx, backend_of, statement};
use crate::workflow::machine::local_date;

/// One access-log entry about to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessDraft {
    pub key_prefix: String,
    pub scope: String,
    /// The person as the agency named them: `NN <national number>` or
    /// `REG <register number> <birth date>`.
    pub subject: String,
    pub purpose: String,
    pub result: String,
    pub application_id: Option<i64>,
    pub member_ordinal: Option<i32>,
    /// For a request refused as a whole (one entry for all it named): how
    /// many persons it named. `None` on an entry about one person.
    pub persons: Option<i32>,
}

/// One access-log entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRow {
    pub id: i64,
    pub agency: String,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub draft: AccessDraft,
    /// The application's reference, when the person was found.
    pub reference: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of one access-log entry over its canonical encoding.
pub fn access_hash(
    agency: &str,
    seq: i64,
    at: DateTime<Utc>,
    draft: &AccessDraft,
    prev_hash: &str,
) -> String {
    let seq = seq.to_string();
    let at = chain_time(at);
    let application = draft
        .application_id
        .map(|a| a.to_string())
        .unwrap_or_default();
    let ordinal = draft
        .member_ordinal
        .map(|m| m.to_string())
        .unwrap_or_default();
    let persons = draft.persons.map(|n| format!("persons={n}"));
    let mut parts: Vec<&str> = vec![
        agency,
        &seq,
        &at,
        &draft.key_prefix,
        &draft.scope,
        &draft.subject,
        &draft.purpose,
        &draft.result,
        &application,
        &ordinal,
    ];
    // Entries written before requests were logged whole have no count,
    // and keep the hash they were written with.
    if let Some(persons) = &persons {
        parts.push(persons);
    }
    parts.push(prev_hash);
    let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
    sha256_parts(&parts)
}

/// Appends entries to the agency's chain in the caller's transaction (the
/// agency's row is locked for it, so concurrent requests of one agency take
/// turns until it ends) and adds them to the day's tallies. Returns the
/// first entry's `seq`.
pub async fn append_access(
    tx: &Tx,
    agency_id: i64,
    drafts: &[AccessDraft],
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let at = audit_time(at);
    let conn = &tx.inner;
    let backend = backend_of(conn);
    let lock = if backend == DbBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let head = conn
        .query_one_raw(statement(
            backend,
            &format!("SELECT name, log_seq, log_head FROM agencies WHERE id = $1{lock}"),
            vec![agency_id.into()],
        ))
        .await?
        .ok_or(StoreError::NotFound)?;
    let name: String = head.try_get("", "name")?;
    let first_seq: i64 = head.try_get::<i64>("", "log_seq")? + 1;
    let mut prev_hash: String = head.try_get("", "log_head")?;
    let mut seq = first_seq - 1;
    // 13 columns per row: stay well under SQLite's bound-parameter limit.
    for chunk in drafts.chunks(1000) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 13);
        let mut rows = Vec::with_capacity(chunk.len());
        for draft in chunk {
            seq += 1;
            let hash = access_hash(&name, seq, at, draft, &prev_hash);
            let base = values.len();
            rows.push(format!(
                "({})",
                (1..=13)
                    .map(|i| format!("${}", base + i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            values.extend([
                agency_id.into(),
                seq.into(),
                at.into(),
                draft.key_prefix.as_str().into(),
                draft.scope.as_str().into(),
                draft.subject.as_str().into(),
                draft.purpose.as_str().into(),
                draft.result.as_str().into(),
                draft.application_id.into(),
                draft.member_ordinal.into(),
                draft.persons.into(),
                prev_hash.as_str().into(),
                hash.as_str().into(),
            ]);
            prev_hash = hash;
        }
        conn.execute_raw(statement(
            backend,
            &format!(
                "INSERT INTO agency_access (agency_id, seq, at, key_prefix, scope, subject, \
                 purpose, result, application_id, member_ordinal, persons, prev_hash, hash) VALUES {}",
                rows.join(", ")
            ),
            values,
        ))
        .await?;
    }
    conn.execute_raw(statement(
        backend,
        "UPDATE agencies SET log_seq = $1, log_head = $2 WHERE id = $3",
        vec![seq.into(), prev_hash.as_str().into(), agency_id.into()],
    ))
    .await?;
    // The day's tallies: one row per (scope, result) met in this request,
    // counting persons (a request refused whole counts all it named).
    let day = local_date(at);
    let mut counts: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for draft in drafts {
        *counts
            .entry((draft.scope.as_str(), draft.result.as_str()))
            .or_default() += i64::from(draft.persons.unwrap_or(1));
    }
    for ((scope, result), count) in counts {
        conn.execute_raw(statement(
            backend,
            "INSERT INTO agency_tallies (agency_id, day, scope, result, count) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_id, day, scope, result) \
             DO UPDATE SET count = agency_tallies.count + excluded.count",
            vec![
                agency_id.into(),
                day.into(),
                scope.into(),
                result.into(),
                count.into(),
            ],
        ))
        .await?;
    }
    Ok(first_seq)
}

pub(super) const ACCESS_SELECT: &str = "SELECT x.id, g.name AS agency, x.seq, x.at, x.key_prefix, x.scope, \
    x.subject, x.purpose, x.result, x.application_id, x.member_ordinal, x.persons, x.prev_hash, x.hash, \
    a.reference FROM agency_access x JOIN agencies g ON g.id = x.agency_id \
    LEFT JOIN applications a ON a.id = x.application_id";

pub(super) fn access_of(row: &QueryResult) -> Result<AccessRow, StoreError> {
    Ok(AccessRow {
        id: row.try_get("", "id")?,
        agency: row.try_get("", "agency")?,
        seq: row.try_get("", "seq")?,
        at: row.try_get("", "at")?,
        draft: AccessDraft {
            key_prefix: row.try_get("", "key_prefix")?,
            scope: row.try_get("", "scope")?,
            subject: row.try_get("", "subject")?,
            purpose: row.try_get("", "purpose")?,
            result: row.try_get("", "result")?,
            application_id: row.try_get("", "application_id")?,
            member_ordinal: row.try_get("", "member_ordinal")?,
            persons: row.try_get("", "persons")?,
        },
        reference: row.try_get("", "reference")?,
        prev_hash: row.try_get("", "prev_hash")?,
        hash: row.try_get("", "hash")?,
    })
}

/// Which entries of the access log to read, newest first.
#[derive(Clone, Debug, Default)]
pub struct AccessFilter {
    pub application_id: Option<i64>,
    pub agency_id: Option<i64>,
    pub result: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// Entries with a smaller id than this (the next page).
    pub before_id: Option<i64>,
    pub limit: u64,
}

/// The entries the filter selects, newest first.
pub async fn access_log(
    store: &Store,
    filter: &AccessFilter,
) -> Result<Vec<AccessRow>, StoreError> {
    let conn = store.conn();
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut push = |clause: &str, value: Value| {
        values.push(value);
        clauses.push(clause.replace('?', &format!("${}", values.len())));
    };
    if let Some(id) = filter.application_id {
        push("x.application_id = ?", id.into());
    }
    if let Some(id) = filter.agency_id {
        push("x.agency_id = ?", id.into());
    }
    if let Some(result) = &filter.result {
        push("x.result = ?", result.as_str().into());
    }
    if let Some(from) = filter.from {
        push("x.at >= ?", from.into());
    }
    if let Some(until) = filter.until {
        push("x.at < ?", until.into());
    }
    if let Some(before) = filter.before_id {
        push("x.id < ?", before.into());
    }
    let filter_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            &format!(
                "{ACCESS_SELECT}{filter_sql} ORDER BY x.id DESC LIMIT {}",
                filter.limit
            ),
            values,
        ))
        .await?;
    rows.iter().map(access_of).collect()
}
