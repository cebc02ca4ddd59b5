//! The agency portal's rows: agencies, their key hashes, the access log
//! (hash-chained per agency, the head kept on the agency's row) and the
//! per-day tallies leadership reads.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbBackend, QueryResult, Value};

use crate::domain::audit::{GENESIS, audit_time, chain_time};
use crate::domain::digest::sha256_parts;
use crate::store::{Store, StoreError, backend_of, statement};
use crate::workflow::machine::local_date;

/// An agency as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyRow {
    pub id: i64,
    pub name: String,
    /// Comma-separated scope names.
    pub scopes: String,
    /// Comma-separated district codes; empty means every district.
    pub districts: String,
    pub rate_per_minute: i32,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub log_seq: i64,
    pub log_head: String,
}

/// One API key of an agency (never the key itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
    pub id: i64,
    pub agency_id: i64,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

const AGENCY_COLUMNS: &str =
    "id, name, scopes, districts, rate_per_minute, created_at, revoked_at, log_seq, log_head";
const KEY_COLUMNS: &str = "id, agency_id, prefix, created_at, expires_at, revoked_at";

fn agency_of(row: &QueryResult, pre: &str) -> Result<AgencyRow, StoreError> {
    Ok(AgencyRow {
        id: row.try_get(pre, "id")?,
        name: row.try_get(pre, "name")?,
        scopes: row.try_get(pre, "scopes")?,
        districts: row.try_get(pre, "districts")?,
        rate_per_minute: row.try_get(pre, "rate_per_minute")?,
        created_at: row.try_get(pre, "created_at")?,
        revoked_at: row.try_get(pre, "revoked_at")?,
        log_seq: row.try_get(pre, "log_seq")?,
        log_head: row.try_get(pre, "log_head")?,
    })
}

fn key_of(row: &QueryResult) -> Result<KeyRow, StoreError> {
    Ok(KeyRow {
        id: row.try_get("", "id")?,
        agency_id: row.try_get("", "agency_id")?,
        prefix: row.try_get("", "prefix")?,
        created_at: row.try_get("", "created_at")?,
        expires_at: row.try_get("", "expires_at")?,
        revoked_at: row.try_get("", "revoked_at")?,
    })
}

/// A new key to store: its public prefix, its hash and when it expires.
pub struct NewKey<'a> {
    pub prefix: &'a str,
    pub hash: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Adds an agency with its first key, in one transaction.
pub async fn insert(
    store: &Store,
    name: &str,
    scopes: &str,
    districts: &str,
    rate_per_minute: i32,
    key: NewKey<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let tx = store.begin().await?;
    let conn = &tx.inner;
    let backend = backend_of(conn);
    conn.execute_raw(statement(
        backend,
        "INSERT INTO agencies (name, scopes, districts, rate_per_minute, created_at, log_seq, log_head) \
         VALUES ($1, $2, $3, $4, $5, 0, $6)",
        vec![
            name.into(),
            scopes.into(),
            districts.into(),
            rate_per_minute.into(),
            now.into(),
            GENESIS.into(),
        ],
    ))
    .await?;
    let id: i64 = conn
        .query_one_raw(statement(
            backend,
            "SELECT id FROM agencies WHERE name = $1",
            vec![name.into()],
        ))
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("", "id")?;
    insert_key(conn, id, &key, now).await?;
    tx.commit().await
}

async fn insert_key(
    conn: &impl ConnectionTrait,
    agency_id: i64,
    key: &NewKey<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    conn.execute_raw(statement(
        backend_of(conn),
        "INSERT INTO agency_keys (agency_id, prefix, key_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
        vec![
            agency_id.into(),
            key.prefix.into(),
            key.hash.into(),
            now.into(),
            key.expires_at.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Adds a key to an agency; its other usable keys expire at
/// `others_expire_at` (or sooner, if they were to expire sooner).
pub async fn rotate(
    store: &Store,
    agency_id: i64,
    key: NewKey<'_>,
    others_expire_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let tx = store.begin().await?;
    let conn = &tx.inner;
    conn.execute_raw(statement(
        backend_of(conn),
        "UPDATE agency_keys SET expires_at = $1 WHERE agency_id = $2 AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > $1)",
        vec![others_expire_at.into(), agency_id.into()],
    ))
    .await?;
    insert_key(conn, agency_id, &key, now).await?;
    tx.commit().await
}

/// Revokes one key (by prefix) or, without a prefix, every key and the
/// agency itself. Returns the keys revoked.
pub async fn revoke(
    store: &Store,
    agency_id: i64,
    prefix: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let tx = store.begin().await?;
    let conn = &tx.inner;
    let backend = backend_of(conn);
    let revoked = match prefix {
        Some(prefix) => conn
            .execute_raw(statement(
                backend,
                "UPDATE agency_keys SET revoked_at = $1 WHERE agency_id = $2 AND prefix = $3 \
                 AND revoked_at IS NULL",
                vec![now.into(), agency_id.into(), prefix.into()],
            ))
            .await?
            .rows_affected(),
        None => {
            conn.execute_raw(statement(
                backend,
                "UPDATE agencies SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                vec![now.into(), agency_id.into()],
            ))
            .await?;
            conn.execute_raw(statement(
                backend,
                "UPDATE agency_keys SET revoked_at = $1 WHERE agency_id = $2 AND revoked_at IS NULL",
                vec![now.into(), agency_id.into()],
            ))
            .await?
            .rows_affected()
        }
    };
    tx.commit().await?;
    Ok(revoked)
}

pub async fn by_name(store: &Store, name: &str) -> Result<Option<AgencyRow>, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            &format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE name = $1"),
            vec![name.into()],
        ))
        .await?;
    row.map(|r| agency_of(&r, "")).transpose()
}

/// Every agency with its keys, by name.
pub async fn list(store: &Store) -> Result<Vec<(AgencyRow, Vec<KeyRow>)>, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let agencies = conn
        .query_all_raw(statement(
            backend,
            &format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY name"),
            vec![],
        ))
        .await?;
    let keys = conn
        .query_all_raw(statement(
            backend,
            &format!("SELECT {KEY_COLUMNS} FROM agency_keys ORDER BY agency_id, id"),
            vec![],
        ))
        .await?;
    let mut by_agency: BTreeMap<i64, Vec<KeyRow>> = BTreeMap::new();
    for row in &keys {
        let key = key_of(row)?;
        by_agency.entry(key.agency_id).or_default().push(key);
    }
    agencies
        .iter()
        .map(|row| {
            let agency = agency_of(row, "")?;
            let keys = by_agency.remove(&agency.id).unwrap_or_default();
            Ok((agency, keys))
        })
        .collect()
}

/// The key with this hash and its agency, revoked or expired or not (one
/// query: it runs on every portal request).
pub async fn key_by_hash(
    store: &Store,
    hash: &str,
) -> Result<Option<(AgencyRow, KeyRow)>, StoreError> {
    let conn = store.conn();
    let agency_columns = AGENCY_COLUMNS
        .split(", ")
        .map(|c| format!("g.{c} AS g_{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let key_columns = KEY_COLUMNS
        .split(", ")
        .map(|c| format!("k.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            &format!(
                "SELECT {key_columns}, {agency_columns} FROM agency_keys k \
                 JOIN agencies g ON g.id = k.agency_id WHERE k.key_hash = $1"
            ),
            vec![hash.into()],
        ))
        .await?;
    row.map(|r| Ok((agency_of(&r, "g_")?, key_of(&r)?)))
        .transpose()
}

/// What the portal may need to know about one person: the member and the
/// application it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonFacts {
    pub application_id: i64,
    pub workflow_name: String,
    pub workflow_version: i32,
    pub district: String,
    pub case_state: String,
    pub ordinal: i32,
    pub member_state: String,
    pub register_number: Option<String>,
    pub birth_date: NaiveDate,
    pub national_number: Option<String>,
    pub registered_on: Option<NaiveDate>,
    pub card_number: Option<String>,
    pub state_changed_on: Option<NaiveDate>,
}

const PERSON_SELECT: &str = "SELECT m.application_id, a.workflow_name, a.workflow_version, \
    a.district, a.state AS case_state, m.ordinal, m.state AS member_state, m.register_number, \
    m.birth_date, m.national_number, m.registered_on, m.card_number, m.state_changed_on \
    FROM members m JOIN applications a ON a.id = m.application_id";

fn person_of(row: &QueryResult) -> Result<PersonFacts, StoreError> {
    Ok(PersonFacts {
        application_id: row.try_get("", "application_id")?,
        workflow_name: row.try_get("", "workflow_name")?,
        workflow_version: row.try_get("", "workflow_version")?,
        district: row.try_get("", "district")?,
        case_state: row.try_get("", "case_state")?,
        ordinal: row.try_get("", "ordinal")?,
        member_state: row.try_get("", "member_state")?,
        register_number: row.try_get("", "register_number")?,
        birth_date: row.try_get("", "birth_date")?,
        national_number: row.try_get("", "national_number")?,
        registered_on: row.try_get("", "registered_on")?,
        card_number: row.try_get("", "card_number")?,
        state_changed_on: row.try_get("", "state_changed_on")?,
    })
}

/// The members holding any of these national numbers or register entry
/// numbers (one indexed `IN` each; the caller matches birth dates).
pub async fn persons(
    store: &Store,
    national_numbers: &[String],
    register_numbers: &[String],
) -> Result<Vec<PersonFacts>, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let mut found = Vec::new();
    for (column, values) in [
        ("national_number", national_numbers),
        ("register_number", register_numbers),
    ] {
        for chunk in values.chunks(500) {
            let list = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let rows = conn
                .query_all_raw(statement(
                    backend,
                    &format!("{PERSON_SELECT} WHERE m.{column} IN ({list})"),
                    chunk.iter().map(|v| Value::from(v.as_str())).collect(),
                ))
                .await?;
            for row in &rows {
                found.push(person_of(row)?);
            }
        }
    }
    Ok(found)
}

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
    let parts: [&str; 11] = [
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
        prev_hash,
    ];
    sha256_parts(&parts.map(str::as_bytes))
}

/// Appends entries to the agency's chain in one transaction (the agency's
/// row is locked for it, so concurrent requests of one agency take turns)
/// and adds them to the day's tallies. Returns the first entry's `seq`.
pub async fn append_access(
    store: &Store,
    agency_id: i64,
    drafts: &[AccessDraft],
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let at = audit_time(at);
    let tx = store.begin().await?;
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
    // 12 columns per row: stay well under SQLite's bound-parameter limit.
    for chunk in drafts.chunks(1000) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 12);
        let mut rows = Vec::with_capacity(chunk.len());
        for draft in chunk {
            seq += 1;
            let hash = access_hash(&name, seq, at, draft, &prev_hash);
            let base = values.len();
            rows.push(format!(
                "({})",
                (1..=12)
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
                prev_hash.as_str().into(),
                hash.as_str().into(),
            ]);
            prev_hash = hash;
        }
        conn.execute_raw(statement(
            backend,
            &format!(
                "INSERT INTO agency_access (agency_id, seq, at, key_prefix, scope, subject, \
                 purpose, result, application_id, member_ordinal, prev_hash, hash) VALUES {}",
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
    // The day's tallies: one row per (scope, result) met in this request.
    let day = local_date(at);
    let mut counts: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for draft in drafts {
        *counts
            .entry((draft.scope.as_str(), draft.result.as_str()))
            .or_default() += 1;
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
    tx.commit().await?;
    Ok(first_seq)
}

const ACCESS_SELECT: &str = "SELECT x.id, g.name AS agency, x.seq, x.at, x.key_prefix, x.scope, \
    x.subject, x.purpose, x.result, x.application_id, x.member_ordinal, x.prev_hash, x.hash, \
    a.reference FROM agency_access x JOIN agencies g ON g.id = x.agency_id \
    LEFT JOIN applications a ON a.id = x.application_id";

fn access_of(row: &QueryResult) -> Result<AccessRow, StoreError> {
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

/// The first broken link of an agency's access log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenAccess {
    pub agency: String,
    pub seq: i64,
    pub problem: String,
}

/// What verifying every agency's access log found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessReport {
    pub agencies: u64,
    pub entries: u64,
    pub first_broken: Option<BrokenAccess>,
}

/// Walks each agency's chain in `seq` order: an edited, removed or inserted
/// entry, or a chain cut short of the head kept on the agency's row, is
/// named.
pub async fn verify(store: &Store) -> Result<AccessReport, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let agencies = conn
        .query_all_raw(statement(
            backend,
            &format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY id"),
            vec![],
        ))
        .await?;
    let mut report = AccessReport {
        agencies: 0,
        entries: 0,
        first_broken: None,
    };
    for row in &agencies {
        let agency = agency_of(row, "")?;
        report.agencies += 1;
        let mut prev_seq = 0_i64;
        let mut prev_hash = GENESIS.to_string();
        loop {
            let rows = conn
                .query_all_raw(statement(
                    backend,
                    &format!(
                        "{ACCESS_SELECT} WHERE x.agency_id = $1 AND x.seq > $2 ORDER BY x.seq LIMIT 5000"
                    ),
                    vec![agency.id.into(), prev_seq.into()],
                ))
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let entry = access_of(row)?;
                report.entries += 1;
                if report.first_broken.is_some() {
                    prev_seq = entry.seq;
                    continue;
                }
                let problem = if entry.seq != prev_seq + 1 {
                    Some(format!(
                        "expected entry {} but found entry {}: an entry is missing or was inserted",
                        prev_seq + 1,
                        entry.seq
                    ))
                } else if entry.prev_hash != prev_hash {
                    Some("its predecessor hash does not match the previous entry".to_string())
                } else if entry.hash
                    != access_hash(&agency.name, entry.seq, entry.at, &entry.draft, &prev_hash)
                {
                    Some("its hash does not match its contents: the row was altered".to_string())
                } else {
                    None
                };
                if let Some(problem) = problem {
                    report.first_broken = Some(BrokenAccess {
                        agency: agency.name.clone(),
                        seq: entry.seq,
                        problem,
                    });
                }
                prev_seq = entry.seq;
                prev_hash = entry.hash;
            }
        }
        if report.first_broken.is_none()
            && (prev_seq != agency.log_seq || prev_hash != agency.log_head)
        {
            report.first_broken = Some(BrokenAccess {
                agency: agency.name.clone(),
                seq: prev_seq + 1,
                problem: format!(
                    "the log ends at entry {prev_seq} but the agency records {} entries: entries were removed",
                    agency.log_seq
                ),
            });
        }
    }
    Ok(report)
}

/// One tally row: persons asked about by an agency on a day, in a scope,
/// with a result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessTally {
    pub agency: String,
    pub day: NaiveDate,
    pub scope: String,
    pub result: String,
    pub count: i64,
}

/// The tallies of the days `from..=until`.
pub async fn tallies(
    store: &Store,
    from: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<AccessTally>, StoreError> {
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT g.name AS agency, t.day, t.scope, t.result, t.count FROM agency_tallies t \
             JOIN agencies g ON g.id = t.agency_id WHERE t.day >= $1 AND t.day <= $2",
            vec![from.into(), until.into()],
        ))
        .await?;
    let mut list = rows
        .iter()
        .map(|row| {
            Ok(AccessTally {
                agency: row.try_get("", "agency")?,
                day: row.try_get("", "day")?,
                scope: row.try_get("", "scope")?,
                result: row.try_get("", "result")?,
                count: row.try_get("", "count")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    // Byte order, whatever the database's collation.
    list.sort_by(|a, b| {
        (a.day, &a.agency, &a.scope, &a.result).cmp(&(b.day, &b.agency, &b.scope, &b.result))
    });
    Ok(list)
}

/// The tallies recounted from the access log, in the order of
/// [`tallies`], for checks.
pub async fn recount(store: &Store) -> Result<Vec<AccessTally>, StoreError> {
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT g.name AS agency, x.at, x.scope, x.result FROM agency_access x \
             JOIN agencies g ON g.id = x.agency_id",
            vec![],
        ))
        .await?;
    let mut counts: BTreeMap<(NaiveDate, String, String, String), i64> = BTreeMap::new();
    for row in &rows {
        let at: DateTime<Utc> = row.try_get("", "at")?;
        *counts
            .entry((
                local_date(at),
                row.try_get("", "agency")?,
                row.try_get("", "scope")?,
                row.try_get("", "result")?,
            ))
            .or_default() += 1;
    }
    Ok(counts
        .into_iter()
        .map(|((day, agency, scope, result), count)| AccessTally {
            agency,
            day,
            scope,
            result,
            count,
        })
        .collect())
}
