//! `casework outbox list|retry`: the mail outbox listed, and failed mails
//! put back in the queue.

use std::io::Write;
use std::process::ExitCode;

use chrono::Utc;

use super::{OutboxCommand, engine};
use crate::app::outbox;
use crate::config::Settings;

/// Lists outbox rows, or queues failed mails again.
pub(super) async fn run(settings: &Settings, command: OutboxCommand) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    match command {
        OutboxCommand::List { status, limit } => {
            let mut out = std::io::stdout().lock();
            for row in outbox::list(&engine, status.as_deref(), limit).await? {
                // A closed pipe (`| head`) ends the listing quietly.
                if writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    row.id,
                    row.status,
                    row.kind,
                    row.recipient.as_deref().unwrap_or("-"),
                    row.attempts,
                    row.last_error.as_deref().unwrap_or("")
                )
                .is_err()
                {
                    break;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        OutboxCommand::Retry { id, all } => {
            if id.is_none() && !all {
                eprintln!("error: name an outbox id, or --all for every failed mail");
                return Ok(ExitCode::FAILURE);
            }
            let n = outbox::retry(&engine, id, Utc::now()).await?;
            println!("{n} failed mails queued again");
            Ok(ExitCode::SUCCESS)
        }
    }
}
