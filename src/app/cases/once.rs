//! Requests with an `Idempotency-Key`: acting at most once per key, the
//! first outcome kept with the change and replayed to a retry.

use chrono::{DateTime, Utc};

use super::{On, Outcome, check_command_text, perform, perform_in};
use crate::app::{AppError, Engine};
use crate::domain::digest::sha256_parts;
use crate::store::{Tx, idempotency};
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

/// [`perform`] with an `Idempotency-Key`: the first outcome is stored in
/// the same transaction as the change, and a retry with the same key and the
/// same request gets that outcome back without acting again. Returns the
/// outcome and whether it is a replay.
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
    if !engine.store.is_sqlite() && engine.store.group_commit() {
        return perform_once_grouped(
            engine,
            key,
            fingerprint,
            reference,
            actor,
            command,
            expected_version,
            now,
        )
        .await;
    }
    let tx = engine.store.begin().await?;
    if let Some(replay) = replay(&tx, actor, key, fingerprint).await? {
        return Ok((replay, true));
    }
    let attempt = async {
        let outcome = perform_in(
            engine,
            On::Tx(&tx),
            reference,
            actor,
            command,
            expected_version,
            now,
        )
        .await?;
        let text =
            serde_json::to_string(&outcome).map_err(|e| AppError::Unexpected(Box::new(e)))?;
        idempotency::insert(&tx, &actor.id, key, fingerprint, &text, now).await?;
        tx.commit().await?;
        Ok::<Outcome, AppError>(outcome)
    };
    match attempt.await {
        Ok(outcome) => Ok((outcome, false)),
        // A concurrent request with the same key may have won (and moved the
        // case, so this one was refused): answer as it did.
        Err(
            error @ (AppError::Conflict
            | AppError::Duplicate(_)
            | AppError::StaleVersion { .. }
            | AppError::Refused(_)),
        ) => {
            let tx = engine.store.begin().await?;
            match replay(&tx, actor, key, fingerprint).await? {
                Some(replay) => Ok((replay, true)),
                None => Err(error),
            }
        }
        Err(error) => Err(error),
    }
}

/// [`perform_once`] on PostgreSQL with group commit: the key is looked up,
/// then the step goes to the committer with the outcome to keep under the
/// key, written in the same statement as the step (so both land or
/// neither); a refusal that a concurrent request with the same key may
/// explain is answered as that request was.
#[allow(clippy::too_many_arguments)]
async fn perform_once_grouped(
    engine: &Engine,
    key: &str,
    fingerprint: &str,
    reference: &str,
    actor: &Actor,
    command: &Command,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(Outcome, bool), AppError> {
    let stored = || idempotency::find_in_store(&engine.store, &actor.id, key);
    if let Some(replay) = replayed(stored().await?, key, fingerprint)? {
        return Ok((replay, true));
    }
    let on = On::Alone(Some((key, fingerprint)));
    match perform_in(engine, on, reference, actor, command, expected_version, now).await {
        Ok(outcome) => Ok((outcome, false)),
        Err(
            error @ (AppError::Conflict
            | AppError::Duplicate(_)
            | AppError::StaleVersion { .. }
            | AppError::Refused(_)),
        ) => match replayed(stored().await?, key, fingerprint)? {
            Some(replay) => Ok((replay, true)),
            None => Err(error),
        },
        Err(error) => Err(error),
    }
}

async fn replay(
    tx: &Tx,
    actor: &Actor,
    key: &str,
    fingerprint: &str,
) -> Result<Option<Outcome>, AppError> {
    replayed(
        idempotency::find(tx, &actor.id, key).await?,
        key,
        fingerprint,
    )
}

/// The outcome stored under `key`, if any, for a request with `fingerprint`.
fn replayed(
    row: Option<idempotency::IdempotencyRecord>,
    key: &str,
    fingerprint: &str,
) -> Result<Option<Outcome>, AppError> {
    let Some(row) = row else {
        return Ok(None);
    };
    if row.fingerprint != fingerprint {
        return Err(AppError::IdempotencyKeyReused);
    }
    serde_json::from_str(&row.outcome)
        .map(Some)
        .map_err(|e| AppError::unexpected(format!("stored outcome for key {key}: {e}")))
}
