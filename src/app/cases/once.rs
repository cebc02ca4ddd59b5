//! Requests with an `Idempotency-Key`: acting at most once per key, the
//! first outcome kept with the change and replayed to a retry.

use chrono::{DateTime, Utc};

use super::{Outcome, act, check_command_text, perform};
use crate::app::{AppError, Engine};
use crate::domain::digest::sha256_parts;
use crate::store::cases::Stepped;
use crate::store::idempotency;
use crate::workflow::{Actor, Command};

/// A command as an officer's program sends it: with an `Idempotency-Key`
/// it acts at most once per key ([`perform_once`]), without one it is
/// [`perform`].
pub async fn perform_request(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    command: &Command,
    expected_version: Option<i64>,
    idempotency_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    match idempotency_key {
        Some(key) => perform_once(
            engine,
            key,
            reference,
            actor,
            command,
            expected_version,
            now,
        )
        .await
        .map(|(outcome, _)| outcome),
        None => perform(engine, reference, actor, command, expected_version, now).await,
    }
}

/// What makes two requests under one `Idempotency-Key` the same request:
/// the case, the command and the version it expects.
fn request_fingerprint(
    reference: &str,
    command: &Command,
    expected_version: Option<i64>,
) -> String {
    let body = serde_json::to_string(command).unwrap_or_default();
    let expected = expected_version.map(|v| v.to_string()).unwrap_or_default();
    sha256_parts(&[reference.as_bytes(), body.as_bytes(), expected.as_bytes()])
}

/// [`perform`] with an `Idempotency-Key`: the first outcome is stored with
/// the change (the same transaction or statement, so both land or
/// neither), and a retry with the same key and the same request gets that
/// outcome back without acting again, as does a request refused because a
/// concurrent one with the same key won. Returns the outcome and whether
/// it is a replay.
pub async fn perform_once(
    engine: &Engine,
    key: &str,
    reference: &str,
    actor: &Actor,
    command: &Command,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Outcome, bool), AppError> {
    crate::app::access::may_read_cases(actor)?;
    check_command_text(command)?;
    let fingerprint = &request_fingerprint(reference, command, expected_version);
    let once = Some((key, fingerprint.as_str()));
    match act(
        engine,
        reference,
        actor,
        command,
        expected_version,
        once,
        now,
    )
    .await?
    {
        Stepped::Written(outcome) => Ok((outcome, false)),
        Stepped::Replayed(record) => replayed(record, key, fingerprint).map(|o| (o, true)),
    }
}

/// The outcome stored under `key`, for a request with `fingerprint`; a
/// key used before for another request is refused.
fn replayed(
    row: idempotency::IdempotencyRecord,
    key: &str,
    fingerprint: &str,
) -> Result<Outcome, AppError> {
    if row.fingerprint != fingerprint {
        return Err(AppError::IdempotencyKeyReused);
    }
    serde_json::from_str(&row.outcome)
        .map_err(|e| AppError::unexpected(format!("stored outcome for key {key}: {e}")))
}
