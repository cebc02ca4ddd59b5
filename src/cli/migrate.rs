//! `casework migrate`: the pending migrations applied.

use std::process::ExitCode;

use super::engine;
use crate::config::{Settings, redact_url};

/// Applies the pending migrations (connecting does it) and names the
/// database.
pub(super) async fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    println!("migrated {}", redact_url(&settings.database_url));
    drop(engine);
    Ok(ExitCode::SUCCESS)
}
