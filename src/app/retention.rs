//! The retention of scans: a workflow's `scan_retention_days` after a case
//! closed rejected or withdrawn, its scans are deleted. The deletion is one
//! `purge_scan` event in the case's chain naming every scan (owner, kind,
//! SHA-256, type, size), so the history still says what the papers were;
//! a file is deleted from the document store once no document of any case
//! holds it. The scheduler runs it at most once an hour; `casework
//! documents retention` runs it by hand (with `--dry-run`, only counts).
//!
//! The newest version of a workflow sets the period for the cases of all
//! its versions: keeping records is the directorate's rule, not a step of
//! a case.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use crate::app::documents::{DocumentSlot, scan_payload, seal};
use crate::app::{AppError, Engine};
use crate::domain::family::DocumentKind;
use crate::domain::roles::Role;
use crate::domain::scans::Owner;
use crate::store::cases;
use crate::store::documents;
use crate::workflow::Actor;
use crate::workflow::definition::Outcome;

/// The audit action of a deletion at the end of the retention period.
pub const PURGE: &str = "purge_scan";

/// How many cases one pass looks at, at most.
const BATCH: u64 = 200;

/// What a retention run did (or with a dry run, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Cases whose scans were deleted.
    pub cases: u64,
    /// Scans (documents) deleted.
    pub scans: u64,
    /// Files deleted from the document store.
    pub files: u64,
}

/// The actor the deletions are recorded under.
fn retention_actor(holder: &str) -> Actor {
    Actor {
        id: format!("retention ({holder})"),
        roles: vec![Role::System],
        district: None,
    }
}

/// Each workflow's period in days (from its newest version) and, per
/// version, the states closing a case rejected or withdrawn.
fn periods(engine: &Engine) -> Vec<((String, u32), u32, Vec<String>)> {
    let names: BTreeMap<&str, Option<u32>> = engine
        .workflows
        .all()
        .iter()
        .map(|w| {
            let newest = engine.workflows.latest(&w.name);
            (w.name.as_str(), newest.and_then(|n| n.scan_retention_days))
        })
        .collect();
    engine
        .workflows
        .all()
        .iter()
        .filter_map(|workflow| {
            let days = (*names.get(workflow.name.as_str())?)?;
            let states = workflow
                .states_closing(Outcome::Rejected)
                .chain(workflow.states_closing(Outcome::Withdrawn))
                .map(str::to_string)
                .collect();
            Some(((workflow.name.clone(), workflow.version), days, states))
        })
        .collect()
}

/// Deletes the scans whose retention period has run out at `now`, all of
/// them (in passes of [`BATCH`] cases); with `dry_run`, counts them only.
pub async fn purge_due(
    engine: &Engine,
    holder: &str,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<RetentionReport, AppError> {
    let actor = retention_actor(holder);
    let mut report = RetentionReport::default();
    for ((name, version), days, states) in periods(engine) {
        let before = now - Duration::days(i64::from(days));
        let mut seen = std::collections::HashSet::new();
        loop {
            let due = documents::held_past(&engine.store, (&name, version), &states, before, BATCH)
                .await?;
            // A dry run deletes nothing, so the same cases come back.
            let fresh: Vec<String> = due.into_iter().filter(|r| seen.insert(r.clone())).collect();
            if fresh.is_empty() {
                break;
            }
            for reference in fresh {
                if dry_run {
                    let loaded = crate::app::access::load(engine, &reference).await?;
                    let scans = documents::of_case(&engine.store, loaded.record.id).await?;
                    report.cases += 1;
                    report.scans += scans.len() as u64;
                    continue;
                }
                match purge_case(engine, &reference, days, &actor, now).await {
                    Ok((scans, files)) => {
                        report.cases += 1;
                        report.scans += scans;
                        report.files += files;
                    }
                    // Changed meanwhile (reopened, or an officer at work):
                    // the next run looks again.
                    Err(AppError::Conflict) => {}
                    Err(other) => return Err(other),
                }
            }
        }
    }
    Ok(report)
}

/// Deletes one case's scans with one audit event, then the files no
/// document holds any more. Answers (scans, files) deleted.
async fn purge_case(
    engine: &Engine,
    reference: &str,
    days: u32,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(u64, u64), AppError> {
    let tx = engine.store.begin().await?;
    let (loaded, workflow) =
        crate::app::cases::load_for_change(engine, &tx, actor, reference, None).await?;
    // Still closed as it was when it was found.
    if !matches!(
        workflow.outcome(&loaded.case.state),
        Some(Outcome::Rejected | Outcome::Withdrawn)
    ) {
        tx.rollback().await?;
        return Ok((0, 0));
    }
    let scans = documents::of_case_in(&tx, loaded.record.id).await?;
    if scans.is_empty() {
        tx.rollback().await?;
        return Ok((0, 0));
    }
    let payload = json!({
        "scans": scans.iter().map(scan_payload).collect::<Vec<_>>(),
        "retention_days": days,
    });
    // The event names the family as its owner: it covers every document.
    let slot = DocumentSlot {
        reference,
        owner: Owner::Family,
        kind: DocumentKind::ApplicationForm,
    };
    let event = seal(&loaded, slot, PURGE, payload, actor, now);
    for scan in &scans {
        documents::remove(&tx, loaded.record.id, scan.owner, &scan.kind).await?;
    }
    cases::append_event(&tx, &loaded, &event, now).await?;
    tx.commit().await?;
    let mut files = 0;
    let hashes: std::collections::BTreeSet<&str> =
        scans.iter().map(|s| s.sha256.as_str()).collect();
    for sha256 in hashes {
        if !documents::referenced(&engine.store, sha256).await? {
            engine.files.delete(sha256).await?;
            files += 1;
        }
    }
    Ok((scans.len() as u64, files))
}

/// The hour (since the epoch) of the scheduler's last retention run in
/// this process.
static LAST_HOUR: AtomicI64 = AtomicI64::new(i64::MIN);

/// The scheduler's call: a retention run when none ran this hour.
pub async fn purge_hourly(
    engine: &Engine,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Option<RetentionReport>, AppError> {
    let hour = now.timestamp().div_euclid(3600);
    if LAST_HOUR.swap(hour, Ordering::SeqCst) == hour {
        return Ok(None);
    }
    purge_due(engine, holder, now, false).await.map(Some)
}
