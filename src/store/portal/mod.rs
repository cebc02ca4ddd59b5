//! The agency portal's rows: agencies, their key hashes, the access log
//! (hash-chained per agency, the head kept on the agency's row) and the
//! per-day tallies leadership reads.
//!
//! `keys` writes and reads agencies and their keys, `persons` finds the
//! members an agency asks about, `access_log` appends to and reads the
//! chains, `verify` walks them, `tallies` reads the per-day counts, and
//! `rate` keeps each agency's rate budget.
//! The functions that write take the caller's [`Tx`](crate::store::Tx).

mod access_log;
mod keys;
mod persons;
pub mod rate;
mod tallies;
mod verify;

use chrono::{DateTime, Utc};
use sea_orm::QueryResult;

use crate::store::StoreError;

pub use access_log::{
    AccessDraft, AccessFilter, AccessRow, access_hash, access_log, append_access,
};
pub use keys::{NewKey, by_name, insert, key_by_hash, list, revoke, rotate};
pub use persons::{PersonFacts, persons};
pub use tallies::{AccessTally, recount, tallies};
pub use verify::{AccessReport, BrokenAccess, verify, verify_with};

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
