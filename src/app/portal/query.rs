//! Answering a portal request: the checks in their fixed order (key, scope,
//! rate, the request's size and shape, each person), the persons looked up with one indexed `IN` per kind of
//! identifier, and every person named logged before the answer is given.

use chrono::{DateTime, Utc};

use crate::app::Engine;
use crate::app::portal::access_log::log_access;
use crate::app::portal::answer::{best, finding};
use crate::app::portal::rate::take;
use crate::app::portal::{
    Finding, KEY_PREFIX, MAX_BATCH, MAX_PURPOSE, MIN_PURPOSE, PersonInput, PersonKey, PortalAnswer,
    PortalError, Scope, result, split,
};
use crate::domain::digest::sha256_hex;
use crate::domain::field_error::FieldError;
use crate::domain::text::{Lines, forbidden, forbidden_character, printable};
use crate::domain::words::portal as portal_words;
use crate::store::portal::{self as stored, AccessDraft};

/// A request as it arrived at a portal route.
#[derive(Clone, Debug)]
pub struct PortalRequest {
    pub scope: Scope,
    pub purpose: Option<String>,
    pub persons: Vec<PersonInput>,
    /// A batch route (`persons`), not a single lookup (`person`).
    pub batch: bool,
}

/// Answers a portal request presented with `key`, logging every person
/// named in it (see the portal's module documentation for the order of
/// checks). A request refused as a whole is one entry that says how many
/// persons it named: size, shape and rate are checked before any person is.
pub async fn query(
    engine: &Engine,
    key: Option<&str>,
    request: PortalRequest,
    now: DateTime<Utc>,
) -> Result<PortalAnswer, PortalError> {
    let key = key.ok_or(PortalError::Unauthorized)?;
    if !crate::app::accounts::is_secret(key, KEY_PREFIX) {
        return Err(PortalError::Unauthorized);
    }
    let Some((agency, key_row)) =
        stored::key_by_hash(&engine.store, &sha256_hex(key.as_bytes())).await?
    else {
        return Err(PortalError::Unauthorized);
    };
    // As the log keeps it: a refused character shown by its code point
    // (both databases then store the same text, and a refused request is
    // still logged), at most the longest purpose accepted.
    let purpose: String = printable(request.purpose.as_deref().unwrap_or("").trim())
        .chars()
        .take(MAX_PURPOSE)
        .collect();
    let scope = request.scope.as_str();
    let count = request.persons.len();
    // A request refused as a whole is one entry: the person as named when
    // it named one, else how many it named.
    let refuse = |result: &'static str| {
        let subject = match request.persons.as_slice() {
            [] => "-".to_string(),
            [one] => one.raw_subject(),
            _ => format!("{count} persons"),
        };
        vec![AccessDraft {
            key_prefix: key_row.prefix.clone(),
            scope: scope.to_string(),
            subject,
            purpose: purpose.clone(),
            result: result.to_string(),
            application_id: None,
            member_ordinal: None,
            persons: Some(i32::try_from(count).unwrap_or(i32::MAX)),
        }]
    };
    let log =
        |drafts: Vec<AccessDraft>| async move { log_access(engine, agency.id, &drafts, now).await };

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

    // The rate, from the budget every server shares: each person named
    // costs one (a request at least one, at most the whole budget), spent
    // whether the request then proves valid or not.
    let rate = agency.rate_per_minute.max(1) as usize;
    let cost = count.clamp(1, rate) as u32;
    if let Err(retry_after) = take(engine, agency.id, rate as u32, cost, now).await? {
        log(refuse(result::RATE_LIMITED)).await?;
        return Err(PortalError::RateLimited { retry_after });
    }

    // The request's size and shape.
    let mut errors = Vec::new();
    let typed_purpose = request.purpose.as_deref().unwrap_or("").trim();
    let purpose_chars = typed_purpose.chars().count();
    if let Some(c) = forbidden_character(typed_purpose, Lines::One) {
        errors.push(forbidden("purpose", c));
    } else if purpose_chars < MIN_PURPOSE {
        errors.push(FieldError::said(
            "purpose",
            portal_words::state_the_purpose(MIN_PURPOSE, MAX_PURPOSE),
        ));
    } else if purpose_chars > MAX_PURPOSE {
        errors.push(FieldError::said(
            "purpose",
            portal_words::purpose_too_long(MAX_PURPOSE),
        ));
    }
    if request.batch && (count == 0 || count > MAX_BATCH) {
        errors.push(FieldError::said(
            "persons",
            portal_words::batch_size(MAX_BATCH),
        ));
    } else if count > rate {
        errors.push(FieldError::said(
            "persons",
            portal_words::batch_over_rate(rate as u64),
        ));
    }
    if !errors.is_empty() {
        log(refuse(result::INVALID)).await?;
        return Err(PortalError::Invalid(errors));
    }

    // Each person, only now.
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
    let found = stored::persons(&engine.store, &national, &register).await?;
    let mut findings = Vec::with_capacity(keys.len());
    let mut drafts = Vec::with_capacity(keys.len());
    for k in &keys {
        let (result, finding, person) = match best(engine, k, &found, &districts) {
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
            persons: None,
        });
    }
    let first = log(drafts).await?;
    Ok(PortalAnswer {
        agency: agency.name.clone(),
        entries: (first..first + keys.len() as i64).collect(),
        findings,
    })
}
