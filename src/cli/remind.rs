//! `casework remind --once`: one tick of the reminder scheduler (`serve`
//! runs the loop).

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;

use super::engine;
use crate::config::Settings;
use crate::mail::Mailer;

/// Runs one tick at `at` (RFC 3339, default now) and prints what it did.
pub(super) async fn run(settings: &Settings, at: Option<String>) -> anyhow::Result<ExitCode> {
    let now = match at {
        Some(text) => chrono::DateTime::parse_from_rfc3339(&text)
            .with_context(|| {
                format!("--at '{text}' is not an RFC 3339 time such as 2026-11-29T07:00:00+03:00")
            })?
            .with_timezone(&Utc),
        None => Utc::now(),
    };
    let engine = engine(settings).await?;
    let mailer = Mailer::from_url(&settings.mail_url)?;
    let (r, d) = crate::jobs::tick(&engine, &mailer, &crate::jobs::holder_name(), now).await?;
    if r.ran {
        println!(
            "reminders at {now}: rules run [{}], {} mails queued ({} already queued), {} card tasks opened; sent {}, retrying {}, failed {}, skipped {}",
            r.rules.join(", "),
            r.queued,
            r.already_queued,
            r.card_tasks_opened,
            d.sent,
            d.retrying,
            d.failed,
            d.skipped
        );
    } else {
        println!(
            "another server holds the reminder lease: nothing done; sent {}",
            d.sent
        );
    }
    Ok(ExitCode::SUCCESS)
}
