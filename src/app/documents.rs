//! Scanned documents: a case's papers stored in the document store under
//! their SHA-256, each upload, replacement and removal an event of the
//! case's audit chain (through the head row's one writer, under the
//! version guard), and each opening logged.

use std::path::PathBuf;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::app::access::{in_district, load};
use crate::app::cases::pinned_workflow;
use crate::app::{AppError, Engine, refused};
use crate::domain::audit::{self, AuditDraft};
use crate::domain::digest::hex;
use crate::domain::family::DocumentKind;
use crate::domain::field_error::FieldError;
use crate::domain::roles::Role;
use crate::domain::scans::{MediaType, Owner, SNIFF_LEN};
use crate::domain::text::{Lines, check_text, limit};
use crate::files::{FilesError, StoredFile};
use crate::store::cases::{self, LoadedCase};
use crate::store::documents;
use crate::workflow::refusal::Named;
use crate::workflow::{Actor, Refusal, Workflow};

pub use crate::store::documents::{ScanRecord, ViewRecord};

/// The roles that attach, remove and open scans: the officers who work
/// cases. Leadership, auditors and administrators never see a person's
/// papers (agencies' keys reach no case route at all).
pub const SCAN_HANDLERS: [Role; 6] = [
    Role::IntakeClerk,
    Role::Verifier,
    Role::Approver,
    Role::Registrar,
    Role::CardOfficer,
    Role::Supervisor,
];

/// The audit actions of the document store.
pub const ATTACH: &str = "attach_scan";
pub const REPLACE: &str = "replace_scan";
pub const REMOVE: &str = "remove_scan";
pub(crate) const VIEW: &str = "view_scan";

impl From<FilesError> for AppError {
    fn from(error: FilesError) -> AppError {
        AppError::Unexpected(Box::new(error))
    }
}

/// Refuses a caller who may not handle scans, before anything is read.
pub fn may_handle_scans(actor: &Actor, action: &str) -> Result<(), AppError> {
    if actor.roles.iter().any(|r| SCAN_HANDLERS.contains(r)) {
        Ok(())
    } else {
        Err(AppError::Refused(refused::role_not_allowed(
            action,
            &SCAN_HANDLERS,
        )))
    }
}

/// Which document of which case.
#[derive(Clone, Copy, Debug)]
pub struct DocumentSlot<'a> {
    pub reference: &'a str,
    pub owner: Owner,
    pub kind: DocumentKind,
}

/// What an upload stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub scan: ScanRecord,
    /// The scan it replaced, if any.
    pub replaced: Option<String>,
    /// Whether anything changed (the same file again changes nothing).
    pub changed: bool,
    /// Whether a different scan was already stored and kept.
    pub kept: bool,
    /// The case's version after the upload.
    pub version: i64,
}

/// A file being received: deleted when dropped unless it was kept.
struct Staged {
    path: PathBuf,
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A file received whole: its hash, type and size, staged on disk.
pub(crate) struct Received {
    staged: Staged,
    pub(crate) sha256: String,
    media_type: MediaType,
    size: u64,
}

/// Reads the body into a staged file while hashing and counting it:
/// refused with 415 as soon as its first bytes are no scan's, and with 413
/// as soon as it passes the limit, so a large body is never read whole.
pub(crate) async fn receive<S, E>(body: S, limit: u64) -> Result<Received, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::error::Error + Send + Sync + 'static,
{
    let mut name = [0_u8; 16];
    getrandom::fill(&mut name).map_err(|e| AppError::unexpected(e.to_string()))?;
    let staged = Staged {
        path: std::env::temp_dir().join(format!("casework-scan-{}", hex(&name))),
    };
    let mut file = tokio::fs::File::create(&staged.path)
        .await
        .map_err(|e| AppError::Unexpected(Box::new(e)))?;
    let mut body = body;
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
    let mut media_type = None;
    let mut size: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| AppError::Unexpected(Box::new(e)))?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(AppError::TooLarge { limit });
        }
        if media_type.is_none() {
            let wanted = SNIFF_LEN - head.len();
            head.extend_from_slice(&chunk[..wanted.min(chunk.len())]);
            if head.len() >= SNIFF_LEN {
                media_type = Some(MediaType::sniff(&head).ok_or(AppError::UnsupportedMediaType)?);
            }
        }
        hasher.update(&chunk);
        file.write_all(&chunk)
            .await
            .map_err(|e| AppError::Unexpected(Box::new(e)))?;
    }
    file.flush()
        .await
        .map_err(|e| AppError::Unexpected(Box::new(e)))?;
    let media_type = match media_type {
        Some(m) => m,
        None => MediaType::sniff(&head).ok_or(AppError::UnsupportedMediaType)?,
    };
    Ok(Received {
        staged,
        sha256: hex(&hasher.finalize()),
        media_type,
        size,
    })
}

/// Refuses an owner the case does not have (a member number past its
/// last member) exactly as an absent document.
pub(crate) fn check_owner(loaded: &LoadedCase, slot: &DocumentSlot<'_>) -> Result<(), AppError> {
    match slot.owner {
        Owner::Family => Ok(()),
        Owner::Member(n) if loaded.case.members.iter().any(|m| m.ordinal == n) => Ok(()),
        Owner::Member(n) => Err(AppError::NotFound(
            crate::domain::words::problems::no_member(n, slot.reference),
        )),
    }
}

/// Refuses a scan an officer attaches to a closed case (one in a state
/// its definition marks terminal): its papers are settled. Back-scanning
/// the archive attaches the old paper of closed cases all the same.
fn open_for_scans(loaded: &LoadedCase, workflow: &Workflow) -> Result<(), AppError> {
    let state = &loaded.record.state;
    if workflow.state(state).is_some_and(|s| s.terminal) {
        return Err(AppError::Refused(Refusal::CaseClosed {
            state: Named::labelled(state, &workflow.state_labels(state)),
        }));
    }
    Ok(())
}

/// Refuses, before a body is read, a caller who may not attach scans, a
/// case outside their district (answered as an absent one) and a closed
/// case.
pub async fn may_attach(engine: &Engine, reference: &str, actor: &Actor) -> Result<(), AppError> {
    may_handle_scans(actor, ATTACH)?;
    let loaded = load(engine, reference).await?;
    in_district(actor, reference, &loaded.record.district)?;
    let workflow = pinned_workflow(engine, &loaded)?;
    open_for_scans(&loaded, &workflow)
}

/// Stores a scan for one document of a case, replacing the one stored
/// before, with one audit event. `declared` is the body's announced
/// length: a body announced over the limit is refused before it is read.
pub async fn upload<S, E>(
    engine: &Engine,
    slot: DocumentSlot<'_>,
    expected_version: Option<i64>,
    declared: Option<u64>,
    body: S,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Stored, AppError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::error::Error + Send + Sync + 'static,
{
    may_handle_scans(actor, ATTACH)?;
    let limit = engine.settings.documents_limit;
    // The case first, so another district's case answers as an absent
    // one whatever the body.
    let loaded = load(engine, slot.reference).await?;
    in_district(actor, slot.reference, &loaded.record.district)?;
    let workflow = pinned_workflow(engine, &loaded)?;
    open_for_scans(&loaded, &workflow)?;
    check_owner(&loaded, &slot)?;
    if declared.is_some_and(|n| n > limit) {
        return Err(AppError::TooLarge { limit });
    }
    let received = receive(body, limit).await?;
    store_received(
        engine,
        slot,
        expected_version,
        received,
        Storing::Upload,
        actor,
        now,
    )
    .await
}

/// Who stores a scan, which says what becomes of a different scan
/// already stored and whether a closed case takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Storing {
    /// An officer's upload: it replaces a different scan, and a closed
    /// case refuses it.
    Upload,
    /// Back-scanning the archive: a different scan is kept (a back-scan
    /// never replaces what an officer attached), and a closed case takes
    /// its old paper.
    BackScan,
}

/// Stores a received file as the scan of one document, with one audit
/// event, in the case's district checked by the caller.
pub(crate) async fn store_received(
    engine: &Engine,
    slot: DocumentSlot<'_>,
    expected_version: Option<i64>,
    received: Received,
    storing: Storing,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Stored, AppError> {
    engine
        .files
        .put_file(&received.sha256, &received.staged.path)
        .await?;

    let tx = engine.store.begin().await?;
    let (loaded, workflow) =
        crate::app::cases::load_for_change(engine, &tx, actor, slot.reference, expected_version)
            .await?;
    if storing == Storing::Upload {
        open_for_scans(&loaded, &workflow)?;
    }
    check_owner(&loaded, &slot)?;
    let owner = slot.owner.as_number();
    let before = documents::of_case_in(&tx, loaded.record.id)
        .await?
        .into_iter()
        .find(|s| s.owner == owner && s.kind == slot.kind.as_str());
    if let Some(before) = before
        .as_ref()
        .filter(|b| b.sha256 == received.sha256 || storing == Storing::BackScan)
    {
        // The same file again, or a different one kept: nothing to record.
        let kept = before.sha256 != received.sha256;
        let before = before.clone();
        tx.rollback().await?;
        return Ok(Stored {
            scan: before,
            replaced: None,
            changed: false,
            kept,
            version: loaded.case.version,
        });
    }
    let scan = ScanRecord {
        owner,
        kind: slot.kind.as_str().to_string(),
        sha256: received.sha256.clone(),
        media_type: received.media_type.as_str().to_string(),
        size: received.size as i64,
        uploaded_by: actor.id.clone(),
        uploaded_at: now,
    };
    let replaced = before.map(|b| b.sha256);
    let mut payload = scan_payload(&scan);
    if let Some(previous) = &replaced {
        payload["replaces"] = json!(previous);
    }
    let action = if replaced.is_some() { REPLACE } else { ATTACH };
    let event = seal(&loaded, slot, action, payload, actor, now);
    documents::put(&tx, loaded.record.id, &scan).await?;
    cases::append_event(&tx, &loaded, &event, now).await?;
    tx.commit().await?;
    // The retention purge deletes a file no document holds any more; one
    // deleted between the store above and this commit is stored again.
    if !engine.files.contains(&received.sha256).await? {
        engine
            .files
            .put_file(&received.sha256, &received.staged.path)
            .await?;
    }
    drop(received.staged);
    Ok(Stored {
        scan,
        replaced,
        changed: true,
        kept: false,
        version: loaded.case.version + 1,
    })
}

/// Removes the scan of one document, with the reason, as one audit event;
/// the file stays in the store (another document may be the same file)
/// and its hash in the history. Answers the case's new version.
pub async fn remove(
    engine: &Engine,
    slot: DocumentSlot<'_>,
    reason: &str,
    expected_version: Option<i64>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    may_handle_scans(actor, REMOVE)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::Invalid(vec![FieldError::said(
            "reason",
            crate::domain::words::fields::GIVE_THE_REMOVAL_REASON,
        )]));
    }
    check_text("reason", reason, Lines::Many, limit::REASON)
        .map_err(|e| AppError::Invalid(vec![e]))?;
    let tx = engine.store.begin().await?;
    let (loaded, _) =
        crate::app::cases::load_for_change(engine, &tx, actor, slot.reference, expected_version)
            .await?;
    check_owner(&loaded, &slot)?;
    let owner = slot.owner.as_number();
    let Some(scan) = documents::of_case_in(&tx, loaded.record.id)
        .await?
        .into_iter()
        .find(|s| s.owner == owner && s.kind == slot.kind.as_str())
    else {
        return Err(not_stored(&slot));
    };
    let mut payload = scan_payload(&scan);
    payload["reason"] = json!(reason);
    let event = seal(&loaded, slot, REMOVE, payload, actor, now);
    if !documents::remove(&tx, loaded.record.id, owner, slot.kind.as_str()).await? {
        return Err(AppError::Conflict);
    }
    cases::append_event(&tx, &loaded, &event, now).await?;
    tx.commit().await?;
    Ok(loaded.case.version + 1)
}

/// Opens the scan of one document: its record and its bytes, streamed.
/// The opening is logged (who saw which person's papers) before a byte is
/// sent.
pub async fn open(
    engine: &Engine,
    slot: DocumentSlot<'_>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(ScanRecord, StoredFile), AppError> {
    may_handle_scans(actor, VIEW)?;
    let loaded = load(engine, slot.reference).await?;
    in_district(actor, slot.reference, &loaded.record.district)?;
    check_owner(&loaded, &slot)?;
    let Some(scan) = documents::find(
        &engine.store,
        loaded.record.id,
        slot.owner.as_number(),
        slot.kind.as_str(),
    )
    .await?
    else {
        return Err(not_stored(&slot));
    };
    let Some(file) = engine.files.get(&scan.sha256).await? else {
        return Err(AppError::unexpected(format!(
            "the scan {} of {} is missing from the document store",
            scan.sha256, slot.reference
        )));
    };
    documents::log_view(
        &engine.store,
        loaded.record.id,
        &ViewRecord {
            id: 0,
            owner: scan.owner,
            kind: scan.kind.clone(),
            sha256: scan.sha256.clone(),
            viewer: actor.id.clone(),
            viewed_at: now,
        },
    )
    .await?;
    Ok((scan, file))
}

/// The scans stored for a case.
pub async fn list(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
) -> Result<Vec<ScanRecord>, AppError> {
    may_handle_scans(actor, VIEW)?;
    let loaded = load(engine, reference).await?;
    in_district(actor, reference, &loaded.record.district)?;
    Ok(documents::of_case(&engine.store, loaded.record.id).await?)
}

/// Who opened a case's scans, oldest first, `limit` after the opening
/// `after` (0 for the first page): for the officers who may see
/// them (in their district) and auditors (of every district), who read
/// who saw which person's papers, never the papers.
pub async fn views(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    after: i64,
    limit: u64,
) -> Result<Vec<ViewRecord>, AppError> {
    let auditor = actor.roles.contains(&Role::Auditor);
    if !auditor {
        may_handle_scans(actor, VIEW)?;
    }
    let loaded = load(engine, reference).await?;
    if !auditor {
        in_district(actor, reference, &loaded.record.district)?;
    }
    Ok(documents::views(&engine.store, loaded.record.id, after, limit).await?)
}

/// A stored scan whose file is not as its hash says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProblem {
    pub reference: String,
    pub scan: ScanRecord,
    /// None when the file is missing; else the SHA-256 its content has now.
    pub found: Option<String>,
}

/// What re-reading every stored scan found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilesReport {
    /// Scans (documents) checked.
    pub scans: u64,
    /// Distinct files re-read.
    pub files: u64,
    pub problems: Vec<FileProblem>,
}

/// Re-reads every stored scan's file from the document store and reports
/// the ones missing or whose content no longer has the hash it is stored
/// (and recorded in the case's history) under. Each file is read once,
/// streamed.
pub async fn verify_files(engine: &Engine) -> Result<FilesReport, AppError> {
    let scans = documents::all(&engine.store).await?;
    let mut found: std::collections::HashMap<String, Option<String>> =
        std::collections::HashMap::new();
    let mut report = FilesReport::default();
    for (reference, scan) in scans {
        report.scans += 1;
        if !found.contains_key(&scan.sha256) {
            let actual = match engine.files.get(&scan.sha256).await? {
                None => None,
                Some(file) => {
                    let mut hasher = Sha256::new();
                    let mut bytes = file.bytes;
                    while let Some(chunk) = bytes.next().await {
                        hasher.update(&chunk?);
                    }
                    Some(hex(&hasher.finalize()))
                }
            };
            report.files += 1;
            found.insert(scan.sha256.clone(), actual);
        }
        let actual = found.get(&scan.sha256).cloned().flatten();
        if actual.as_deref() != Some(scan.sha256.as_str()) {
            report.problems.push(FileProblem {
                reference,
                scan,
                found: actual,
            });
        }
    }
    Ok(report)
}

fn not_stored(slot: &DocumentSlot<'_>) -> AppError {
    let member = match slot.owner {
        Owner::Family => None,
        Owner::Member(n) => Some(n),
    };
    AppError::NotFound(crate::domain::words::problems::no_scan(
        &slot.kind.label(),
        member,
        slot.reference,
    ))
}

pub(crate) fn scan_payload(scan: &ScanRecord) -> serde_json::Value {
    json!({
        "owner": Owner::from_number(scan.owner).to_text(),
        "kind": scan.kind,
        "sha256": scan.sha256,
        "media_type": scan.media_type,
        "size": scan.size,
    })
}

pub(crate) fn seal(
    loaded: &LoadedCase,
    slot: DocumentSlot<'_>,
    action: &str,
    payload: serde_json::Value,
    actor: &Actor,
    now: DateTime<Utc>,
) -> audit::SealedEvent {
    audit::seal(
        slot.reference,
        AuditDraft {
            at: now,
            actor: actor.id.clone(),
            action: action.into(),
            member: match slot.owner {
                Owner::Family => None,
                Owner::Member(n) => Some(n),
            },
            from_state: loaded.case.state.clone(),
            to_state: loaded.case.state.clone(),
            payload,
        },
        loaded.record.audit_seq,
        &loaded.record.last_hash,
    )
}
