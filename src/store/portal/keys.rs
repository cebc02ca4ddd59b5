//! Agencies and their keys: adding an agency with its first key, rotating
//! and revoking keys (each in the caller's transaction), and finding an
//! agency by name, by a key's hash, or all of them with their keys.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::audit::GENESIS;
use crate::store::portal::{AGENCY_COLUMNS, AgencyRow, KEY_COLUMNS, KeyRow, agency_of, key_of};
use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// A new key to store: its public prefix, its hash and when it expires.
pub struct NewKey<'a> {
    pub prefix: &'a str,
    pub hash: &'a str,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Adds an agency with its first key.
pub async fn insert(
    tx: &Tx,
    name: &str,
    scopes: &str,
    districts: &str,
    rate_per_minute: i32,
    key: NewKey<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
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
    insert_key(tx, id, &key, now).await
}

/// Adds one key to an agency.
async fn insert_key(
    tx: &Tx,
    agency_id: i64,
    key: &NewKey<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let conn = &tx.inner;
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
    tx: &Tx,
    agency_id: i64,
    key: NewKey<'_>,
    others_expire_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let conn = &tx.inner;
    conn.execute_raw(statement(
        backend_of(conn),
        "UPDATE agency_keys SET expires_at = $1 WHERE agency_id = $2 AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > $1)",
        vec![others_expire_at.into(), agency_id.into()],
    ))
    .await?;
    insert_key(tx, agency_id, &key, now).await
}

/// Revokes one key (by prefix) or, without a prefix, every key and the
/// agency itself. Returns the keys revoked.
pub async fn revoke(
    tx: &Tx,
    agency_id: i64,
    prefix: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
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
    Ok(revoked)
}

/// The agency of this name, revoked or not.
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
