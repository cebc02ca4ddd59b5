//! The agency portal: other ministries and official bodies ask about one
//! person, or a few hundred, within a narrow scope, with a stated purpose.
//!
//! Order of checks for every request: the key (unknown → 401, nothing
//! logged; revoked or expired → 401, logged), the scope (→ 403, logged),
//! the request itself (→ 422, logged), the agency's rate (→ 429 with the
//! seconds to wait, logged), then the answer. Every person named in a
//! request gets one access-log entry, and an answer is only given once its
//! entries are committed: nothing is disclosed unlogged.
//!
//! Who an agency may see: a member whose family's application is neither
//! rejected nor withdrawn, who is not excluded from it, and whose district
//! is among the agency's districts (all, when it has none). Anyone else is
//! answered exactly like a person who is not in the registers (`found:
//! false`), so the portal cannot be used to learn who applied.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::app::{AppError, Engine};
use crate::domain::digest::sha256_hex;
use crate::domain::family::{FieldError, is_slug};
use crate::domain::identifiers::{NationalNumber, RegisterNumber};
use crate::domain::roles::Role;
use crate::store::StoreError;
use crate::store::agencies::{
    self, AccessDraft, AccessFilter, AccessRow, AccessTally, AgencyRow, KeyRow, NewKey, PersonFacts,
};
use crate::workflow::Actor;
use crate::workflow::definition::Labels;
use crate::workflow::refusal::Refusal;

/// Every agency key starts with this (officers' tokens start with `cw_`).
pub const KEY_PREFIX: &str = "ag_";
/// The most persons one batch may name.
pub const MAX_BATCH: usize = 500;
/// The longest purpose accepted, in characters.
pub const MAX_PURPOSE: usize = 500;
/// The shortest purpose accepted, in characters.
pub const MIN_PURPOSE: usize = 5;
/// The rate an agency gets unless told otherwise: persons per minute.
pub const DEFAULT_RATE: u32 = 60;

/// Results written to the access log.
pub mod result {
    pub const ANSWERED: &str = "answered";
    /// Not in the registers.
    pub const NO_RECORD: &str = "no_record";
    /// In the registers, but not for this agency; answered like `no_record`.
    pub const NOT_VISIBLE: &str = "not_visible";
    pub const KEY_REVOKED: &str = "key_revoked";
    pub const KEY_EXPIRED: &str = "key_expired";
    pub const SCOPE_NOT_GRANTED: &str = "scope_not_granted";
    pub const RATE_LIMITED: &str = "rate_limited";
    pub const INVALID: &str = "invalid_request";
    /// Every result, answered ones first.
    pub const ALL: [&str; 8] = [
        ANSWERED,
        NO_RECORD,
        NOT_VISIBLE,
        KEY_REVOKED,
        KEY_EXPIRED,
        SCOPE_NOT_GRANTED,
        RATE_LIMITED,
        INVALID,
    ];
    /// Results the agency was given an answer for.
    pub fn is_answered(result: &str) -> bool {
        matches!(result, ANSWERED | NO_RECORD | NOT_VISIBLE)
    }
}

/// What an agency may ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Has this person been granted nationality, since when, and in which
    /// state is the family's application.
    NaturalizationStatus,
    /// Has this person's ID card been issued, and its number.
    CardStatus,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::NaturalizationStatus, Scope::CardStatus];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::NaturalizationStatus => "naturalization-status",
            Scope::CardStatus => "card-status",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// Errors of the portal, each with its own HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    /// No such key, or a revoked or expired one: all look alike outside.
    #[error("the key is unknown, revoked or expired")]
    Unauthorized,
    #[error("this key's agency may not use the scope {0}")]
    ScopeNotGranted(&'static str),
    #[error("the request is invalid")]
    Invalid(Vec<FieldError>),
    #[error("the agency's rate limit is reached; retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for PortalError {
    fn from(error: StoreError) -> PortalError {
        PortalError::App(error.into())
    }
}

// ---------------------------------------------------------------------------
// Agencies and keys (the operator's command line).

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

fn new_key() -> Result<(String, String), AppError> {
    let key = crate::app::users::new_secret(KEY_PREFIX)?;
    // `ag_` and the first eight hex digits name the key in lists and logs.
    let prefix = key[..KEY_PREFIX.len() + 8].to_string();
    Ok((key, prefix))
}

/// A field's problem in English and Arabic.
fn field_error(path: &str, en: &str, ar: &str) -> FieldError {
    FieldError::bilingual(path, ar, en)
}

fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, message)])
}

/// Checks an agency's name, scopes and districts.
fn check_agency(name: &str, scopes: &[String], districts: &[String]) -> Result<(), AppError> {
    crate::app::users::check_name(name)?;
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
    if let Some(bad) = districts.iter().find(|d| !is_slug(d)) {
        return Err(invalid(
            "districts",
            &format!("'{bad}' is not a district code in lowercase letters, digits and underscores"),
        ));
    }
    Ok(())
}

fn check_rate(rate: u32) -> Result<i32, AppError> {
    if !(1..=1_000_000).contains(&rate) {
        return Err(invalid("rate", "must be 1 to 1000000 persons per minute"));
    }
    Ok(rate as i32)
}

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
    check_agency(name, scopes, districts)?;
    let rate = check_rate(rate_per_minute)?;
    let mut scopes = scopes.to_vec();
    scopes.sort();
    scopes.dedup();
    let (key, prefix) = new_key()?;
    agencies::insert(
        &engine.store,
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
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => AppError::Duplicate(format!("agency {name}")),
        other => other.into(),
    })?;
    Ok(key)
}

async fn active_agency(engine: &Engine, name: &str) -> Result<AgencyRow, AppError> {
    match agencies::by_name(&engine.store, name).await? {
        Some(agency) if agency.revoked_at.is_none() => Ok(agency),
        _ => Err(AppError::NotFound(format!("active agency {name}"))),
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
    agencies::rotate(
        &engine.store,
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
    let revoked = agencies::revoke(&engine.store, agency.id, key_prefix, now).await?;
    if key_prefix.is_some() && revoked == 0 {
        return Err(AppError::NotFound(format!(
            "active key {} of agency {name}",
            key_prefix.unwrap_or_default()
        )));
    }
    Ok(revoked)
}

fn split(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn list(engine: &Engine) -> Result<Vec<AgencySummary>, AppError> {
    Ok(agencies::list(&engine.store)
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

// ---------------------------------------------------------------------------
// The rate limit.

/// A token bucket per agency, kept in this process: an agency may ask about
/// `rate` persons per minute, in bursts of up to `rate`. The clock is the
/// caller's, so tests set it.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<i64, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: DateTime<Utc>,
}

impl RateLimiter {
    pub fn new() -> RateLimiter {
        RateLimiter::default()
    }

    /// Takes `cost` persons from the agency's bucket, or says how many
    /// whole seconds to wait until they are there.
    pub fn take(
        &self,
        agency_id: i64,
        rate_per_minute: u32,
        cost: u32,
        now: DateTime<Utc>,
    ) -> Result<(), u64> {
        let capacity = f64::from(rate_per_minute.max(1));
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(agency_id).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        // A clock that went back refills nothing.
        let elapsed = (now - bucket.at).num_milliseconds().max(0) as f64 / 1000.0;
        bucket.tokens = (bucket.tokens + elapsed * per_second).min(capacity);
        bucket.at = bucket.at.max(now);
        let cost = f64::from(cost);
        if bucket.tokens >= cost {
            bucket.tokens -= cost;
            Ok(())
        } else {
            Err((((cost - bucket.tokens) / per_second).ceil() as u64).max(1))
        }
    }
}

// ---------------------------------------------------------------------------
// Queries.

/// One person as the agency names them, before it is checked: a national
/// number, or a register entry number with a birth date.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PersonInput {
    pub national_number: Option<String>,
    pub register_number: Option<String>,
    pub birth_date: Option<String>,
}

/// A person named well.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PersonKey {
    National(NationalNumber),
    Register(RegisterNumber, NaiveDate),
}

impl PersonKey {
    /// The person as the log records them.
    pub fn subject(&self) -> String {
        match self {
            PersonKey::National(n) => format!("NN {n}"),
            PersonKey::Register(r, born) => format!("REG {r} {born}"),
        }
    }
}

impl PersonInput {
    /// The person as the log records them when the input was not usable.
    fn raw_subject(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = &self.national_number {
            parts.push(format!("NN {n}"));
        }
        if let Some(r) = &self.register_number {
            parts.push(format!("REG {r}"));
        }
        if let Some(b) = &self.birth_date {
            parts.push(b.clone());
        }
        let text = if parts.is_empty() {
            "-".to_string()
        } else {
            parts.join(" ")
        };
        text.chars().take(64).collect()
    }

    fn check(&self, path: &str) -> Result<PersonKey, Vec<FieldError>> {
        match (
            &self.national_number,
            &self.register_number,
            &self.birth_date,
        ) {
            (Some(n), None, None) => {
                NationalNumber::parse(n)
                    .map(PersonKey::National)
                    .map_err(|e| {
                        vec![field_error(
                            &format!("{path}.national_number"),
                            &e.to_string(),
                            &e.arabic(),
                        )]
                    })
            }
            (None, Some(r), Some(b)) => {
                let mut errors = Vec::new();
                let register = RegisterNumber::parse(r)
                    .map_err(|e| {
                        errors.push(field_error(
                            &format!("{path}.register_number"),
                            &e.to_string(),
                            &e.arabic(),
                        ))
                    })
                    .ok();
                let born = NaiveDate::parse_from_str(b, "%Y-%m-%d")
                    .map_err(|_| {
                        errors.push(field_error(
                            &format!("{path}.birth_date"),
                            "must be a date YYYY-MM-DD",
                            "يجب أن يكون تاريخاً بالصيغة YYYY-MM-DD",
                        ))
                    })
                    .ok();
                match (register, born) {
                    (Some(r), Some(b)) => Ok(PersonKey::Register(r, b)),
                    _ => Err(errors),
                }
            }
            _ => Err(vec![field_error(
                path,
                "name the person by national_number alone, or by register_number and birth_date",
                "حدد الشخص بالرقم الوطني وحده، أو برقم القيد مع تاريخ الولادة",
            )]),
        }
    }
}

/// A request as it arrived at a portal route.
#[derive(Clone, Debug)]
pub struct PortalRequest {
    pub scope: Scope,
    pub purpose: Option<String>,
    pub persons: Vec<PersonInput>,
    /// A batch route (`persons`), not a single lookup (`person`).
    pub batch: bool,
}

/// Whether a person has been granted nationality.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Entered in the civil registry, national number assigned.
    Granted,
    /// Application still being decided or the member not yet registered.
    InProgress,
}

/// Where a person's ID card is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardState {
    NotIssued,
    InProduction,
    ReadyForCollection,
    Issued,
}

/// The answer about one person, the minimum its scope allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Not in the registers, or not for this agency: the same either way.
    NoRecord,
    Naturalization {
        status: Grant,
        granted_on: Option<NaiveDate>,
        application_state: String,
        application_state_labels: Labels,
    },
    Card {
        status: CardState,
        card_number: Option<String>,
        issued_on: Option<NaiveDate>,
    },
}

/// The portal's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalAnswer {
    pub agency: String,
    /// The access-log entry of each person, in request order.
    pub entries: Vec<i64>,
    pub findings: Vec<Finding>,
}

/// Member states from which a person holds the nationality (the member
/// track after `registered`).
const GRANTED_STATES: [&str; 6] = [
    "registered",
    "card_due",
    "awaiting_appearance",
    "biometrics_taken",
    "printed",
    "collected",
];

fn visible(agency_districts: &[String], person: &PersonFacts) -> bool {
    !matches!(person.case_state.as_str(), "rejected" | "withdrawn")
        && person.member_state != "excluded"
        && (agency_districts.is_empty() || agency_districts.contains(&person.district))
}

fn finding(engine: &Engine, scope: Scope, person: &PersonFacts) -> Finding {
    match scope {
        Scope::NaturalizationStatus => {
            let granted = GRANTED_STATES.contains(&person.member_state.as_str());
            let labels = engine
                .workflows
                .get(&person.workflow_name, person.workflow_version as u32)
                .and_then(|w| w.state(&person.case_state).map(|s| s.labels.clone()))
                .unwrap_or_default();
            Finding::Naturalization {
                status: if granted {
                    Grant::Granted
                } else {
                    Grant::InProgress
                },
                granted_on: if granted { person.registered_on } else { None },
                application_state: person.case_state.clone(),
                application_state_labels: labels,
            }
        }
        Scope::CardStatus => {
            let status = match person.member_state.as_str() {
                "collected" => CardState::Issued,
                "printed" => CardState::ReadyForCollection,
                "awaiting_appearance" | "biometrics_taken" => CardState::InProduction,
                _ => CardState::NotIssued,
            };
            let issued = status == CardState::Issued;
            Finding::Card {
                status,
                card_number: if issued {
                    person.card_number.clone()
                } else {
                    None
                },
                issued_on: if issued {
                    person.state_changed_on
                } else {
                    None
                },
            }
        }
    }
}

/// The best match of a person among the stored members: the visible one
/// furthest along (granted first), else any.
fn best<'a>(
    key: &PersonKey,
    found: &'a [PersonFacts],
    districts: &[String],
) -> Option<(&'a PersonFacts, bool)> {
    let matches = found.iter().filter(|p| match key {
        PersonKey::National(n) => p.national_number.as_deref() == Some(n.as_str()),
        PersonKey::Register(r, born) => {
            p.register_number.as_deref() == Some(r.as_str()) && p.birth_date == *born
        }
    });
    let mut best: Option<(&PersonFacts, bool)> = None;
    for person in matches {
        let seen = visible(districts, person);
        let rank = |p: &PersonFacts, v: bool| {
            (
                v,
                GRANTED_STATES.contains(&p.member_state.as_str()),
                p.application_id,
            )
        };
        if best.is_none_or(|(b, bv)| rank(person, seen) > rank(b, bv)) {
            best = Some((person, seen));
        }
    }
    best
}

/// Answers a portal request presented with `key`, logging every person
/// named in it (see the module's documentation for the order of checks).
pub async fn query(
    engine: &Engine,
    limiter: &RateLimiter,
    key: Option<&str>,
    request: PortalRequest,
    now: DateTime<Utc>,
) -> Result<PortalAnswer, PortalError> {
    let key = key.ok_or(PortalError::Unauthorized)?;
    if !crate::app::users::is_secret(key, KEY_PREFIX) {
        return Err(PortalError::Unauthorized);
    }
    let Some((agency, key_row)) =
        agencies::key_by_hash(&engine.store, &sha256_hex(key.as_bytes())).await?
    else {
        return Err(PortalError::Unauthorized);
    };
    let purpose: String = request
        .purpose
        .as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .take(MAX_PURPOSE)
        .collect();
    let scope = request.scope.as_str();
    // Refusals are logged with the persons as they were named.
    let refuse = |result: &'static str| {
        let subjects: Vec<String> = if request.persons.is_empty() {
            vec!["-".to_string()]
        } else {
            request
                .persons
                .iter()
                .map(PersonInput::raw_subject)
                .collect()
        };
        subjects
            .into_iter()
            .map(|subject| AccessDraft {
                key_prefix: key_row.prefix.clone(),
                scope: scope.to_string(),
                subject,
                purpose: purpose.clone(),
                result: result.to_string(),
                application_id: None,
                member_ordinal: None,
            })
            .collect::<Vec<_>>()
    };
    let log = |drafts: Vec<AccessDraft>| async move {
        agencies::append_access(&engine.store, agency.id, &drafts, now).await
    };

    if agency.revoked_at.is_some() || key_row.revoked_at.is_some() {
        log(refuse(result::KEY_REVOKED)).await?;
        return Err(PortalError::Unauthorized);
    }
    if key_row.expires_at.is_some_and(|at| at <= now) {
        log(refuse(result::KEY_EXPIRED)).await?;
        return Err(PortalError::Unauthorized);
    }
    if !split(&agency.scopes).iter().any(|s| s == scope) {
        log(refuse(result::SCOPE_NOT_GRANTED)).await?;
        return Err(PortalError::ScopeNotGranted(request.scope.as_str()));
    }

    // The request itself.
    let mut errors = Vec::new();
    let purpose_chars = request
        .purpose
        .as_deref()
        .unwrap_or("")
        .trim()
        .chars()
        .count();
    if purpose_chars < MIN_PURPOSE {
        errors.push(field_error(
            "purpose",
            &format!("state the purpose of the query ({MIN_PURPOSE} to {MAX_PURPOSE} characters)"),
            &format!("اذكر الغاية من الاستعلام (من {MIN_PURPOSE} إلى {MAX_PURPOSE} محرفاً)"),
        ));
    } else if purpose_chars > MAX_PURPOSE {
        errors.push(field_error(
            "purpose",
            &format!("must be at most {MAX_PURPOSE} characters"),
            &format!("يجب ألا يتجاوز {MAX_PURPOSE} محرفاً"),
        ));
    }
    let count = request.persons.len();
    let rate = agency.rate_per_minute.max(1) as usize;
    if request.batch && (count == 0 || count > MAX_BATCH) {
        errors.push(field_error(
            "persons",
            &format!("name 1 to {MAX_BATCH} persons"),
            &format!("حدد من 1 إلى {MAX_BATCH} شخصاً"),
        ));
    } else if count > rate {
        errors.push(field_error(
            "persons",
            &format!("a batch may name at most {rate} persons, the agency's rate per minute"),
            &format!("لا يجوز أن تتجاوز الدفعة {rate} شخصاً، وهو حد الجهة في الدقيقة"),
        ));
    }
    let mut keys = Vec::with_capacity(count);
    for (i, person) in request.persons.iter().enumerate() {
        let path = if request.batch {
            format!("persons[{i}]")
        } else {
            "person".to_string()
        };
        match person.check(&path) {
            Ok(k) => keys.push(k),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        log(refuse(result::INVALID)).await?;
        return Err(PortalError::Invalid(errors));
    }

    if let Err(retry_after) = limiter.take(agency.id, rate as u32, count as u32, now) {
        log(refuse(result::RATE_LIMITED)).await?;
        return Err(PortalError::RateLimited { retry_after });
    }

    // The answer, logged before it is given.
    let districts = split(&agency.districts);
    let mut national = Vec::new();
    let mut register = Vec::new();
    for k in &keys {
        match k {
            PersonKey::National(n) => national.push(n.as_str().to_string()),
            PersonKey::Register(r, _) => register.push(r.as_str().to_string()),
        }
    }
    national.sort();
    national.dedup();
    register.sort();
    register.dedup();
    let found = agencies::persons(&engine.store, &national, &register).await?;
    let mut findings = Vec::with_capacity(keys.len());
    let mut drafts = Vec::with_capacity(keys.len());
    for k in &keys {
        let (result, finding, person) = match best(k, &found, &districts) {
            Some((person, true)) => (
                result::ANSWERED,
                finding(engine, request.scope, person),
                Some(person),
            ),
            Some((person, false)) => (result::NOT_VISIBLE, Finding::NoRecord, Some(person)),
            None => (result::NO_RECORD, Finding::NoRecord, None),
        };
        findings.push(finding);
        drafts.push(AccessDraft {
            key_prefix: key_row.prefix.clone(),
            scope: scope.to_string(),
            subject: k.subject(),
            purpose: purpose.clone(),
            result: result.to_string(),
            application_id: person.map(|p| p.application_id),
            member_ordinal: person.map(|p| p.ordinal),
        });
    }
    let first = log(drafts).await?;
    Ok(PortalAnswer {
        agency: agency.name.clone(),
        entries: (first..first + keys.len() as i64).collect(),
        findings,
    })
}

// ---------------------------------------------------------------------------
// Reading the access log.

/// The largest page of the access log.
pub const MAX_PAGE: u64 = 500;

/// Who reads the whole access log: auditors and administrators.
fn may_audit(actor: &Actor) -> Result<(), AppError> {
    if actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Auditor | Role::Admin))
    {
        Ok(())
    } else {
        Err(AppError::Refused(Refusal::RoleNotAllowed {
            action: "read_access_log".into(),
            roles: vec![Role::Auditor.to_string(), Role::Admin.to_string()],
        }))
    }
}

/// The agencies' reads of one application's members, newest first, for
/// the officers who may read the case (and auditors).
pub async fn access_of_case(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    before_id: Option<i64>,
    limit: u64,
) -> Result<Vec<AccessRow>, AppError> {
    if may_audit(actor).is_err() {
        crate::app::views::may_read_cases(actor)?;
    }
    let (loaded, _) = crate::app::views::load(engine, reference).await?;
    if may_audit(actor).is_err() {
        crate::app::views::in_district(actor, &loaded.record.district)?;
    }
    Ok(agencies::access_log(
        &engine.store,
        &AccessFilter {
            application_id: Some(loaded.record.id),
            before_id,
            limit: limit.clamp(1, MAX_PAGE),
            ..AccessFilter::default()
        },
    )
    .await?)
}

/// What an auditor asks of the whole access log.
#[derive(Clone, Debug, Default)]
pub struct LogQuery {
    pub agency: Option<String>,
    pub result: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub before_id: Option<i64>,
    pub limit: u64,
}

/// The whole access log, newest first, for auditors.
pub async fn access_log(
    engine: &Engine,
    actor: &Actor,
    query: LogQuery,
) -> Result<Vec<AccessRow>, AppError> {
    may_audit(actor)?;
    if let Some(r) = &query.result
        && !result::ALL.contains(&r.as_str())
    {
        return Err(invalid(
            "result",
            &format!("must be one of {}", result::ALL.join(", ")),
        ));
    }
    let agency_id = match &query.agency {
        Some(name) => match agencies::by_name(&engine.store, name).await? {
            Some(a) => Some(a.id),
            None => return Err(AppError::NotFound(format!("agency {name}"))),
        },
        None => None,
    };
    Ok(agencies::access_log(
        &engine.store,
        &AccessFilter {
            application_id: None,
            agency_id,
            result: query.result,
            from: query.from,
            until: query.until,
            before_id: query.before_id,
            limit: query.limit.clamp(1, MAX_PAGE),
        },
    )
    .await?)
}

// ---------------------------------------------------------------------------
// Statistics for leadership.

/// Persons asked about by one agency on one day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AgencyDay {
    pub agency: String,
    pub day: NaiveDate,
    /// Every person named, answered or refused.
    pub queries: i64,
    /// Answered: found, or answered as not found.
    pub answered: i64,
    /// Refused: bad key, scope not granted, invalid request, rate limit.
    pub refused: i64,
}

/// The portal's use over a period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PortalStatistics {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<AgencyDay>,
    /// Per agency over the period: (agency, queries, answered, refused).
    pub agencies: Vec<AgencyDay>,
    /// Scopes by persons asked about, busiest first.
    pub scopes: Vec<(String, i64)>,
    /// Refusals by kind, most frequent first.
    pub refusals: Vec<(String, i64)>,
}

/// Leadership, supervisors, auditors and administrators read the portal's
/// counts; no person is named in them.
fn may_read_portal_statistics(actor: &Actor) -> Result<(), AppError> {
    if actor.roles.iter().any(|r| {
        matches!(
            r,
            Role::Leadership | Role::Supervisor | Role::Auditor | Role::Admin
        )
    }) {
        Ok(())
    } else {
        Err(AppError::Refused(Refusal::RoleNotAllowed {
            action: "read_statistics".into(),
            roles: vec![
                Role::Leadership.to_string(),
                Role::Supervisor.to_string(),
                Role::Auditor.to_string(),
            ],
        }))
    }
}

/// Counts the portal's use in the days `from..=to` (Syria's dates).
pub async fn statistics(
    engine: &Engine,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<PortalStatistics, AppError> {
    may_read_portal_statistics(actor)?;
    if from > to {
        return Err(invalid("from", "must not be after to"));
    }
    let rows = agencies::tallies(&engine.store, from, to).await?;
    Ok(summarise(from, to, &rows))
}

/// Folds tally rows into the statistics.
pub fn summarise(from: NaiveDate, to: NaiveDate, rows: &[AccessTally]) -> PortalStatistics {
    use std::collections::BTreeMap;
    let mut days: BTreeMap<(NaiveDate, String), AgencyDay> = BTreeMap::new();
    let mut per_agency: BTreeMap<String, AgencyDay> = BTreeMap::new();
    let mut scopes: BTreeMap<String, i64> = BTreeMap::new();
    let mut refusals: BTreeMap<String, i64> = BTreeMap::new();
    for row in rows {
        let answered = result::is_answered(&row.result);
        for entry in [
            days.entry((row.day, row.agency.clone()))
                .or_insert_with(|| AgencyDay {
                    agency: row.agency.clone(),
                    day: row.day,
                    ..AgencyDay::default()
                }),
            per_agency
                .entry(row.agency.clone())
                .or_insert_with(|| AgencyDay {
                    agency: row.agency.clone(),
                    day: from,
                    ..AgencyDay::default()
                }),
        ] {
            entry.queries += row.count;
            if answered {
                entry.answered += row.count;
            } else {
                entry.refused += row.count;
            }
        }
        *scopes.entry(row.scope.clone()).or_default() += row.count;
        if !answered {
            *refusals.entry(row.result.clone()).or_default() += row.count;
        }
    }
    let by_count = |map: BTreeMap<String, i64>| {
        let mut list: Vec<(String, i64)> = map.into_iter().collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    let mut agencies: Vec<AgencyDay> = per_agency.into_values().collect();
    agencies.sort_by(|a, b| {
        b.queries
            .cmp(&a.queries)
            .then_with(|| a.agency.cmp(&b.agency))
    });
    PortalStatistics {
        from,
        to,
        days: days.into_values().collect(),
        agencies,
        scopes: by_count(scopes),
        refusals: by_count(refusals),
    }
}

/// Verifies every agency's access-log chain.
pub async fn verify(engine: &Engine) -> Result<agencies::AccessReport, AppError> {
    Ok(agencies::verify(&engine.store).await?)
}
