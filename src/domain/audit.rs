//! The audit chain's pure part: an event's canonical encoding, its hash
//! and sealing a draft onto the end of a chain.
//!
//! Each event stores the hash of its predecessor (the first stores
//! [`GENESIS`]) and its own hash over a canonical encoding of its contents,
//! which names the application by its reference so that rows cannot be
//! moved between chains. The app layer seals events here before it saves
//! them; the store appends and verifies them.

use chrono::{DateTime, SubsecRound, Utc};

use crate::domain::digest::sha256_parts;

/// The predecessor hash of an application's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event about to be appended.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditDraft {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub member: Option<u32>,
    pub from_state: String,
    pub to_state: String,
    /// JSON; serde_json writes object keys sorted, which keeps it canonical.
    pub payload: serde_json::Value,
}

/// A sealed event: its place in the chain and its hash.
#[derive(Clone, Debug, PartialEq)]
pub struct SealedEvent {
    pub draft: AuditDraft,
    pub seq: i64,
    pub payload_text: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Truncates to microseconds, the precision both databases keep.
pub fn audit_time(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// A moment as the hash chains encode it (microseconds, UTC).
pub fn chain_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The hash of one event over its canonical encoding.
#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    reference: &str,
    seq: i64,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    member: Option<i32>,
    from_state: &str,
    to_state: &str,
    payload: &str,
    prev_hash: &str,
) -> String {
    let member = member.map(|m| m.to_string()).unwrap_or_default();
    let at = chain_time(at);
    let seq = seq.to_string();
    let parts: [&str; 10] = [
        reference, &seq, &at, actor, action, &member, from_state, to_state, payload, prev_hash,
    ];
    sha256_parts(&parts.map(str::as_bytes))
}

/// Seals a draft as the event after (`seq`, `prev_hash`).
pub fn seal(reference: &str, draft: AuditDraft, prev_seq: i64, prev_hash: &str) -> SealedEvent {
    let mut draft = draft;
    draft.at = audit_time(draft.at);
    let seq = prev_seq + 1;
    let payload_text = draft.payload.to_string();
    let hash = event_hash(
        reference,
        seq,
        draft.at,
        &draft.actor,
        &draft.action,
        draft.member.map(|m| m as i32),
        &draft.from_state,
        &draft.to_state,
        &payload_text,
        prev_hash,
    );
    SealedEvent {
        draft,
        seq,
        payload_text,
        prev_hash: prev_hash.to_string(),
        hash,
    }
}
