//! The dispatcher: claims outbox rows, sends them, records the result.
//!
//! Delivery guarantee: at least once. A row is claimed (status `sending`,
//! with a claim that runs out) before it is sent and recorded as `sent`
//! after; a process killed between the two leaves the row claimed, and
//! once the claim runs out another dispatcher sends it again. So a kill
//! there can duplicate one mail, never lose it. Both copies carry the same
//! `Message-ID` (one per outbox row), so a mail client can fold them.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde::Deserialize;

use crate::app::{AppError, Engine};
use crate::mail::templates::{self, Data, Item};
use crate::mail::{Mail, Mailer};
use crate::store::outbox::{self as store, OutboxRecord};
use crate::store::{StoreError, cases};

/// How long a claim lasts before another dispatcher may take the row over.
pub const CLAIM_SECONDS: i64 = 600;
/// Attempts before a row is marked failed.
pub const MAX_ATTEMPTS: i32 = 5;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DispatchReport {
    pub sent: u64,
    pub retrying: u64,
    pub failed: u64,
    pub skipped: u64,
}

/// The wait before attempt `attempts + 1`: 1, 4, 16, 64 minutes.
pub fn backoff(attempts: i32) -> Duration {
    Duration::minutes(4_i64.pow(attempts.clamp(1, 5) as u32 - 1))
}

/// The Message-ID of an outbox row's mail.
pub fn message_id(row: &OutboxRecord) -> String {
    format!(
        "<outbox-{}.{}@casework.local>",
        row.id,
        row.created_at.timestamp()
    )
}

#[derive(Deserialize)]
struct EmailPayload {
    to: String,
    subject: String,
    text: String,
    html: String,
}

#[derive(Deserialize)]
struct EffectPayload {
    reference: String,
    /// The state the transition reached (absent in rows written before it was kept).
    #[serde(default)]
    state: Option<String>,
    effect: serde_json::Value,
}

/// What an outbox row amounts to.
enum Work {
    Send(Mail),
    Skip(String),
}

async fn work_of(engine: &Engine, row: &OutboxRecord) -> Result<Work, AppError> {
    let bad = |e: serde_json::Error| AppError::unexpected(format!("outbox row {}: {e}", row.id));
    match row.kind.as_str() {
        "email" => {
            let p: EmailPayload = serde_json::from_str(&row.payload).map_err(bad)?;
            Ok(Work::Send(Mail {
                to: p.to,
                subject: p.subject,
                text: p.text,
                html: p.html,
                message_id: message_id(row),
            }))
        }
        "notify" => {
            let p: EffectPayload = serde_json::from_str(&row.payload).map_err(bad)?;
            let (to, template) = match serde_json::from_value::<NotifyEffect>(p.effect.clone()) {
                Ok(n) => (n.to, n.template),
                Err(e) => return Err(bad(e)),
            };
            if to != "applicant" {
                return Ok(Work::Skip(format!(
                    "notifications to {to} go out with the reminders"
                )));
            }
            let loaded = match cases::read_case(&engine.store, &p.reference).await {
                Ok(loaded) => loaded,
                Err(StoreError::NotFound) => {
                    return Ok(Work::Skip(format!("{} no longer exists", p.reference)));
                }
                Err(other) => return Err(other.into()),
            };
            let Some(email) = loaded.record.applicant_email.clone() else {
                return Ok(Work::Skip("no email on file for the applicant".into()));
            };
            let workflow = crate::app::cases::pinned_workflow(engine, &loaded)?;
            let state = p.state.as_deref().unwrap_or(&loaded.record.state);
            let labels = workflow
                .state(state)
                .map(|s| s.labels.clone())
                .unwrap_or_default();
            let office = engine.place_label(&loaded.record.office);
            let rendered = templates::render(
                &template,
                &Data::Cases {
                    items: vec![Item {
                        reference: p.reference.clone(),
                        state_ar: labels.ar,
                        state_en: labels.en,
                        note_ar: office.ar,
                        note_en: office.en,
                        due_on: None,
                    }],
                },
            );
            Ok(Work::Send(Mail {
                to: email,
                subject: rendered.subject,
                text: rendered.text,
                html: rendered.html,
                message_id: message_id(row),
            }))
        }
        "open_card_task" => Ok(Work::Skip("the engine opens card tasks itself".into())),
        other => Ok(Work::Skip(format!("unknown outbox kind '{other}'"))),
    }
}

#[derive(Deserialize)]
struct NotifyEffect {
    to: String,
    template: String,
}

/// A claimed row: what it stands for and until when the claim holds.
pub struct Claimed {
    pub row: OutboxRecord,
    pub until: DateTime<Utc>,
    /// The mail to send, or `None` when the row was settled without one.
    pub mail: Option<Mail>,
}

/// Claims one ready row (just before it is sent) and works out its mail.
async fn claim_one(
    engine: &Engine,
    row: OutboxRecord,
    now: DateTime<Utc>,
) -> Result<Option<Claimed>, AppError> {
    // Microseconds: what both databases keep, so the claim compares equal later.
    let until = (now + Duration::seconds(CLAIM_SECONDS)).trunc_subsecs(6);
    if !store::claim(&engine.store, row.id, now, until).await? {
        return Ok(None);
    }
    let mail = match work_of(engine, &row).await {
        Ok(Work::Send(mail)) => Some(mail),
        Ok(Work::Skip(why)) => {
            store::record(
                &engine.store,
                row.id,
                Some(until),
                "skipped",
                None,
                Some(why),
                now,
            )
            .await?;
            None
        }
        // A passing database failure: try again later.
        Err(error @ AppError::Unavailable(_)) => {
            store::record(
                &engine.store,
                row.id,
                Some(until),
                "pending",
                Some(now + backoff(row.attempts + 1)),
                Some(error.to_string()),
                now,
            )
            .await?;
            None
        }
        Err(error) => {
            store::record(
                &engine.store,
                row.id,
                Some(until),
                "failed",
                None,
                Some(error.to_string()),
                now,
            )
            .await?;
            None
        }
    };
    Ok(Some(Claimed { row, until, mail }))
}

/// Claims every ready row without sending: what a dispatcher has done
/// just before it sends. Tests use it to act out a crash after the send.
pub async fn claim_ready(
    engine: &Engine,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Claimed>, AppError> {
    let mut claimed = Vec::new();
    for row in store::outbox_ready(&engine.store, now, limit).await? {
        if let Some(c) = claim_one(engine, row, now).await? {
            claimed.push(c);
        }
    }
    Ok(claimed)
}

/// Sends what is ready at `now`, with retries and backoff. Each row is
/// claimed just before it is sent, and its result is recorded only while
/// the claim still holds.
pub async fn dispatch_due(
    engine: &Engine,
    mailer: &Mailer,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<DispatchReport, AppError> {
    let mut report = DispatchReport::default();
    for row in store::outbox_ready(&engine.store, now, limit).await? {
        let Some(Claimed { row, until, mail }) = claim_one(engine, row, now).await? else {
            continue;
        };
        let Some(mail) = mail else {
            report.skipped += 1;
            continue;
        };
        let attempts = row.attempts + 1;
        match mailer.send(&mail).await {
            Ok(()) => {
                store::record(&engine.store, row.id, Some(until), "sent", None, None, now).await?;
                report.sent += 1;
            }
            Err(error) if attempts >= MAX_ATTEMPTS => {
                tracing::warn!(outbox_id = row.id, attempts, error = %error, "mail failed for good");
                store::record(
                    &engine.store,
                    row.id,
                    Some(until),
                    "failed",
                    None,
                    Some(error.to_string()),
                    now,
                )
                .await?;
                report.failed += 1;
            }
            Err(error) => {
                tracing::info!(outbox_id = row.id, attempts, error = %error, "mail failed; will retry");
                store::record(
                    &engine.store,
                    row.id,
                    Some(until),
                    "pending",
                    Some(now + backoff(attempts)),
                    Some(error.to_string()),
                    now,
                )
                .await?;
                report.retrying += 1;
            }
        }
    }
    Ok(report)
}

/// Outbox rows for operators (supervisors and admins).
pub async fn list(
    engine: &Engine,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<OutboxRecord>, AppError> {
    Ok(store::list(&engine.store, status, limit).await?)
}

/// Puts failed rows back in the queue; returns how many.
pub async fn retry(engine: &Engine, id: Option<i64>, now: DateTime<Utc>) -> Result<u64, AppError> {
    Ok(store::retry_failed(&engine.store, id, now).await?)
}

/// Only supervisors and admins see and retry the outbox.
pub fn may_operate(actor: &crate::workflow::Actor) -> Result<(), AppError> {
    use crate::domain::roles::Role;
    // The outbox spans every district: supervisors bound to one district
    // do not see it.
    if actor.roles.contains(&Role::Admin)
        || (actor.roles.contains(&Role::Supervisor) && actor.district.is_none())
    {
        Ok(())
    } else {
        Err(AppError::Refused(crate::app::refused::role_not_allowed(
            "outbox",
            &[Role::Supervisor, Role::Admin],
        )))
    }
}
