//! `casework stats check|rebuild`: the statistics' tallies compared with,
//! or replaced by, a recount from the raw rows.

use std::process::ExitCode;
use std::time::Instant;

use super::{StatsCommand, engine};
use crate::config::Settings;

/// Checks or rebuilds the tallies; `check` exits with 1 when one differs.
pub(super) async fn run(settings: &Settings, command: StatsCommand) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    let started = Instant::now();
    match command {
        StatsCommand::Check => {
            let differences = crate::app::stats::check(&engine).await?;
            if differences.is_empty() {
                println!(
                    "ok: every tally equals a recount from the raw rows ({:.1} s)",
                    started.elapsed().as_secs_f64()
                );
                Ok(ExitCode::SUCCESS)
            } else {
                for d in &differences {
                    println!("{d}");
                }
                println!("{} tallies differ from a recount", differences.len());
                Ok(ExitCode::FAILURE)
            }
        }
        StatsCommand::Rebuild => {
            let rows = crate::app::stats::rebuild(&engine).await?;
            println!(
                "rebuilt {rows} tally rows from the raw rows ({:.1} s)",
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
