//! Agencies and their keys, as the operator's command line manages them:
//! register an agency with its first key, rotate its keys, revoke one key
//! or the agency, list them. A key is shown once and stored only as its
//! SHA-256 hash.

use chrono::{DateTime, Duration, Utc};

use crate::app::portal::{KEY_PREFIX, Scope, invalid, split};
use crate::app::{AppError, Engine};
use crate::domain::digest::sha256_hex;
use crate::domain::places::Places;
use crate::store::StoreError;
use crate::store::portal::{self as stored, AgencyRow, KeyRow, NewKey};

/// An agency as listed to an operator (never a key).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencySummary {
    pub name: String,
    pub scopes: Vec<String>,
    pub districts: Vec<String>,
    pub rate_per_minute: i32,
    pub revoked: bool,
    pub entries: i64,
    pub keys: Vec<KeyRow>,
}

/// A new key and the prefix that names it.
fn new_key() -> Result<(String, String), AppError> {
    let key = crate::app::accounts::new_secret(KEY_PREFIX)?;
    // `ag_` and the first eight hex digits name the key in lists and logs.
    let prefix = key[..KEY_PREFIX.len() + 8].to_string();
    Ok((key, prefix))
}

/// Checks an agency's name, scopes and districts.
fn check_agency(
    name: &str,
    scopes: &[String],
    districts: &[String],
    places: &Places,
) -> Result<(), AppError> {
    crate::app::accounts::check_name(name)?;
    if scopes.is_empty() {
        return Err(invalid(
            "scopes",
            "at least one scope is required: naturalization-status, card-status",
        ));
    }
    if let Some(bad) = scopes.iter().find(|s| Scope::parse(s).is_none()) {
        return Err(invalid(
            "scopes",
            &format!("unknown scope '{bad}': the scopes are naturalization-status and card-status"),
        ));
    }
    let unknown: Vec<_> = districts
        .iter()
        .filter_map(|d| places.check_district("districts", d).err())
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::Invalid(unknown));
    }
    Ok(())
}

/// Checks a rate in persons per minute.
fn check_rate(rate: u32) -> Result<i32, AppError> {
    if !(1..=1_000_000).contains(&rate) {
        return Err(invalid("rate", "must be 1 to 1000000 persons per minute"));
    }
    Ok(rate as i32)
}

/// When a key issued `now` expires, if it is to expire at all.
fn expiry(valid_days: Option<u32>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    valid_days.map(|d| now + Duration::days(i64::from(d)))
}

/// Registers an agency and returns its first key, shown this once.
pub async fn add(
    engine: &Engine,
    name: &str,
    scopes: &[String],
    districts: &[String],
    rate_per_minute: u32,
    valid_days: Option<u32>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    check_agency(name, scopes, districts, &engine.places)?;
    let rate = check_rate(rate_per_minute)?;
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    let (key, prefix) = new_key()?;
    // The agency and its first key in one transaction.
    let stored = async {
        let tx = engine.store.begin().await?;
        stored::insert(
            &tx,
            name,
            &scopes.join(","),
            &districts.join(","),
            rate,
            NewKey {
                prefix: &prefix,
                hash: &sha256_hex(key.as_bytes()),
                expires_at: expiry(valid_days, now),
            },
            now,
        )
        .await?;
        tx.commit().await
    };
    stored.await.map_err(|e| match e {
        StoreError::Duplicate(_) => {
            AppError::Duplicate(crate::domain::words::problems::agency_exists(name))
        }
        other => other.into(),
    })?;
    Ok(key)
}

/// The agency of this name, unless it is revoked.
async fn active_agency(engine: &Engine, name: &str) -> Result<AgencyRow, AppError> {
    match stored::by_name(&engine.store, name).await? {
        Some(agency) if agency.revoked_at.is_none() => Ok(agency),
        _ => Err(AppError::NotFound(
            crate::domain::words::problems::no_active_agency(name),
        )),
    }
}

/// Issues a new key; the agency's other keys keep working for `overlap`
/// (so its systems can switch over), then expire. Returns the new key.
pub async fn rotate(
    engine: &Engine,
    name: &str,
    overlap: Duration,
    valid_days: Option<u32>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let agency = active_agency(engine, name).await?;
    let (key, prefix) = new_key()?;
    let tx = engine.store.begin().await?;
    stored::rotate(
        &tx,
        agency.id,
        NewKey {
            prefix: &prefix,
            hash: &sha256_hex(key.as_bytes()),
            expires_at: expiry(valid_days, now),
        },
        now + overlap,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(key)
}

/// Revokes one key (named by its prefix, `ag_1a2b3c4d`) or, without one,
/// the agency and all its keys. Returns how many keys were revoked.
pub async fn revoke(
    engine: &Engine,
    name: &str,
    key_prefix: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let agency = active_agency(engine, name).await?;
    let tx = engine.store.begin().await?;
    let revoked = stored::revoke(&tx, agency.id, key_prefix, now).await?;
    tx.commit().await?;
    if key_prefix.is_some() && revoked == 0 {
        return Err(AppError::NotFound(
            crate::domain::words::problems::no_active_key(key_prefix.unwrap_or_default(), name),
        ));
    }
    Ok(revoked)
}

/// Every agency with its keys, by name.
pub async fn list(engine: &Engine) -> Result<Vec<AgencySummary>, AppError> {
    Ok(stored::list(&engine.store)
        .await?
        .into_iter()
        .map(|(agency, keys)| AgencySummary {
            scopes: split(&agency.scopes),
            districts: split(&agency.districts),
            rate_per_minute: agency.rate_per_minute,
            revoked: agency.revoked_at.is_some(),
            entries: agency.log_seq,
            name: agency.name,
            keys,
        })
        .collect())
}
