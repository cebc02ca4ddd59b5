//! Scheduled work. `casework serve` runs [`run_forever`]; each tick calls
//! the app layer's `purge_expired`, `checkpoint_due`, `partitions_due`, `purge_hourly` (scan retention), `run_due`
//! and `dispatch_due` with the
//! current time. The loop only waits; the tick is testable on its own
//! (`casework remind --once --at …` runs exactly one).

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::app::outbox::{self, DispatchReport};
use crate::app::reminders::{self, TickReport};
use crate::app::{AppError, Engine};
use crate::mail::Mailer;

/// How often the loop looks for due rules and ready mail.
pub const TICK_EVERY: Duration = Duration::from_secs(15);

/// One tick: ended sessions deleted, a signed audit checkpoint when one is
/// due, the reminder rules due at `now`, then whatever mail is ready.
pub async fn tick(
    engine: &Engine,
    mailer: &Mailer,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<(TickReport, DispatchReport), AppError> {
    // Ended sessions are refused when used anyway; a failure to delete
    // them must not hold the reminders up.
    if let Err(error) = crate::app::sessions::purge_expired(engine, now).await {
        tracing::warn!(%error, "cannot delete ended sessions");
    }
    // A failed checkpoint is logged and tried again next tick; it must not
    // hold the reminders up either.
    match crate::app::audit::checkpoint_due(engine, holder, now).await {
        Ok(Some(made)) => tracing::info!(
            number = made.number,
            chains = made.chains,
            root = %made.root,
            "audit checkpoint signed"
        ),
        Ok(None) => {}
        Err(error) => tracing::error!(%error, "cannot make the audit checkpoint"),
    }
    // The history's monthly partitions (PostgreSQL), made ahead of time;
    // a write never fails without them (DEFAULT takes it), so a failure
    // is logged and tried again next tick.
    match crate::app::audit::partitions_due(engine, holder, now).await {
        Ok(made) => {
            for partition in made {
                tracing::info!(
                    partition = %partition.name,
                    moved_from_default = partition.moved_from_default,
                    "history partition made"
                );
            }
        }
        Err(error) => tracing::error!(%error, "cannot make the history's partitions"),
    }
    // Scans past their retention period, at most once an hour; a failure
    // is logged and tried again next hour.
    match crate::app::retention::purge_hourly(engine, holder, now).await {
        Ok(Some(done)) if done.cases > 0 => tracing::info!(
            cases = done.cases,
            scans = done.scans,
            files = done.files,
            "scans past their retention period deleted"
        ),
        Ok(_) => {}
        Err(error) => {
            tracing::error!(%error, "cannot delete the scans past their retention period")
        }
    }
    // Today's cards due and breaches for the dashboard's trends, once an
    // hour; a failure is logged and tried again next tick.
    if let Err(error) = crate::app::stats::note_day(engine, now).await {
        tracing::warn!(%error, "cannot note today's headline figures");
    }
    let reminders = reminders::run_due(engine, holder, now).await?;
    let mut dispatched = DispatchReport::default();
    loop {
        let round = outbox::dispatch_due(engine, mailer, now, 200).await?;
        let done = round.sent + round.failed + round.retrying + round.skipped;
        dispatched.sent += round.sent;
        dispatched.failed += round.failed;
        dispatched.retrying += round.retrying;
        dispatched.skipped += round.skipped;
        if done < 200 {
            break;
        }
    }
    Ok((reminders, dispatched))
}

/// A name for this process in leases: host, process id and start time.
pub fn holder_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!(
        "{host}-{}-{}",
        std::process::id(),
        Utc::now().timestamp_millis()
    )
}

/// Ticks until the process stops. Errors are logged, never fatal.
/// With `clock_start`, the scheduler's clock starts there and runs at the
/// real pace (`CASEWORK_SCHEDULER_START`, for drills and tests).
pub async fn run_forever(engine: Engine, mailer: Mailer, clock_start: Option<DateTime<Utc>>) {
    let holder = holder_name();
    let started = Utc::now();
    let mut interval = tokio::time::interval(TICK_EVERY);
    loop {
        interval.tick().await;
        let now = match clock_start {
            Some(start) => start + (Utc::now() - started),
            None => Utc::now(),
        };
        match tick(&engine, &mailer, &holder, now).await {
            Ok((r, d)) => {
                if r.queued > 0 || d.sent > 0 || d.failed > 0 {
                    tracing::info!(rules = ?r.rules, queued = r.queued, sent = d.sent, failed = d.failed, "reminders");
                }
            }
            Err(error) => tracing::error!(error = %error, "reminder tick failed"),
        }
    }
}
