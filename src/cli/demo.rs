//! `casework demo`: a synthetic province built by driving the real engine
//! (also what `serve --demo` seeds an empty database with).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use chrono::Utc;

use super::engine;
use super::progress::progress_bar;
use crate::app::{Engine, demo};
use crate::config::Settings;

/// Builds the demo province in the configured database.
pub(super) async fn run(settings: &Settings, families: u64, seed: u64) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    build_province(&engine, families, seed).await?;
    Ok(ExitCode::SUCCESS)
}

/// Builds the province with a progress bar, then prints what was built.
pub(super) async fn build_province(
    engine: &Engine,
    families: u64,
    seed: u64,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let report = demo::build(engine, families, seed, Utc::now(), |done| {
        progress_bar(started, terminal, done, families)
    })
    .await?;
    if terminal {
        eprintln!();
    }
    println!(
        "demo: {} families, {} persons, {} commands decided by the engine, {} cards collected, in {:.1} s on {}",
        report.families,
        report.persons,
        report.commands,
        report.cards_collected,
        started.elapsed().as_secs_f64(),
        engine.store.backend_name()
    );
    Ok(())
}
