//! The agencies' access log: entries appended in their own transaction
//! (committed before any answer is given), read by the officers of a case
//! and by auditors, and its chains verified.

use chrono::{DateTime, Utc};

use crate::app::portal::result;
use crate::app::{AppError, Engine};
use crate::domain::roles::Role;
use crate::store::StoreError;
use crate::store::portal::{self as stored, AccessDraft, AccessFilter, AccessRow};
use crate::workflow::Actor;

/// The largest page of the access log.
pub const MAX_PAGE: u64 = 500;

/// One access-log entry as officers and auditors read it: one person named
/// in one agency's request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRecord {
    pub id: i64,
    pub agency: String,
    /// The entry's place in the agency's hash chain.
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// The key used, by its public prefix (`ag_1a2b3c4d`).
    pub key_prefix: String,
    pub scope: String,
    /// The person as the agency named them: `NN <national number>` or
    /// `REG <register number> <birth date>`.
    pub subject: String,
    pub purpose: String,
    pub result: String,
    /// The application's reference, when the person was found.
    pub reference: Option<String>,
    /// The member's number within the family, when the person was found.
    pub member_ordinal: Option<i32>,
    /// For a request refused as a whole (one entry for all it named): how
    /// many persons it named.
    pub persons: Option<i32>,
    pub hash: String,
}

impl From<AccessRow> for AccessRecord {
    fn from(row: AccessRow) -> AccessRecord {
        AccessRecord {
            id: row.id,
            agency: row.agency,
            seq: row.seq,
            at: row.at,
            key_prefix: row.draft.key_prefix,
            scope: row.draft.scope,
            subject: row.draft.subject,
            purpose: row.draft.purpose,
            result: row.draft.result,
            reference: row.reference,
            member_ordinal: row.draft.member_ordinal,
            persons: row.draft.persons,
            hash: row.hash,
        }
    }
}

/// Appends entries to the agency's chain and its tallies in one
/// transaction, committed before this returns. Returns the first entry's
/// `seq`.
pub(super) async fn log_access(
    engine: &Engine,
    agency_id: i64,
    drafts: &[AccessDraft],
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let tx = engine.store.begin().await?;
    let first = stored::append_access(&tx, agency_id, drafts, now).await?;
    tx.commit().await?;
    Ok(first)
}

/// Who reads the whole access log: auditors and administrators.
fn may_audit(actor: &Actor) -> Result<(), AppError> {
    if actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Auditor | Role::Admin))
    {
        Ok(())
    } else {
        Err(AppError::Refused(crate::app::refused::role_not_allowed(
            "read_access_log",
            &[Role::Auditor, Role::Admin],
        )))
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
) -> Result<Vec<AccessRecord>, AppError> {
    if may_audit(actor).is_err() {
        crate::app::access::may_read_cases(actor)?;
    }
    let loaded = crate::app::access::load(engine, reference).await?;
    if may_audit(actor).is_err() {
        crate::app::access::in_district(actor, reference, &loaded.record.district)?;
    }
    let rows = stored::access_log(
        &engine.store,
        &AccessFilter {
            application_id: Some(loaded.record.id),
            before_id,
            limit: limit.clamp(1, MAX_PAGE),
            ..AccessFilter::default()
        },
    )
    .await?;
    Ok(rows.into_iter().map(AccessRecord::from).collect())
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
) -> Result<Vec<AccessRecord>, AppError> {
    may_audit(actor)?;
    if let Some(r) = &query.result
        && !result::ALL.contains(&r.as_str())
    {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said(
                "result",
                crate::domain::words::statistics::one_of(&result::ALL),
            ),
        ]));
    }
    if let Some(name) = &query.agency {
        crate::domain::text::check_text(
            "agency",
            name,
            crate::domain::text::Lines::One,
            crate::domain::text::limit::ACCOUNT,
        )
        .map_err(|e| AppError::Invalid(vec![e]))?;
    }
    let agency_id = match &query.agency {
        Some(name) => match stored::by_name(&engine.store, name).await? {
            Some(a) => Some(a.id),
            None => {
                return Err(AppError::NotFound(
                    crate::domain::words::problems::no_agency(name),
                ));
            }
        },
        None => None,
    };
    let rows = stored::access_log(
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
    .await?;
    Ok(rows.into_iter().map(AccessRecord::from).collect())
}

/// Verifies every agency's access-log chain.
pub async fn verify(engine: &Engine) -> Result<stored::AccessReport, AppError> {
    Ok(stored::verify(&engine.store).await?)
}

/// For benchmarks: `entries` access-log entries appended to the chains of
/// the agencies stored, in turn, `batch` a transaction, through the same
/// path as the portal's answers (hashed, chained, tallied), their times
/// spread evenly from `from` to `until`. Returns how many were written.
pub async fn generate(
    engine: &Engine,
    entries: u64,
    batch: u64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<u64, AppError> {
    let agencies: Vec<i64> = stored::list(&engine.store)
        .await?
        .into_iter()
        .map(|(agency, _)| agency.id)
        .collect();
    if agencies.is_empty() {
        return Err(AppError::unexpected(
            "no agency to log for: add one with `casework agencies add`",
        ));
    }
    let batch = batch.max(1);
    let batches = entries.div_ceil(batch).max(1);
    let step = (until - from) / i32::try_from(batches).unwrap_or(i32::MAX);
    let mut written = 0_u64;
    for index in 0..batches {
        let count = batch.min(entries - written);
        let drafts: Vec<AccessDraft> = (0..count)
            .map(|i| {
                let n = written + i;
                AccessDraft {
                    key_prefix: "ag_bench".into(),
                    scope: "naturalization-status".into(),
                    subject: format!("NN {:011}", n * 7919 % 100_000_000_000),
                    purpose: "benchmark of the access log".into(),
                    result: if n.is_multiple_of(3) {
                        "not_found"
                    } else {
                        "found"
                    }
                    .into(),
                    application_id: None,
                    member_ordinal: None,
                    persons: None,
                }
            })
            .collect();
        let agency = agencies[index as usize % agencies.len()];
        let tx = engine.store.begin().await?;
        stored::append_access(&tx, agency, &drafts, from + step * index as i32).await?;
        tx.commit().await?;
        written += count;
    }
    Ok(written)
}
