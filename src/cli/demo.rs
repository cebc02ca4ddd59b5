//! `casework demo`: a synthetic province built by driving the real engine
//! (also what `serve --demo` seeds an empty database with, in a child
//! process).

use std::process::ExitCode;

use chrono::Utc;

use super::engine;
use super::progress::Progress;
use crate::app::{Engine, demo};
use crate::config::Settings;

/// Builds the demo province in the configured database.
pub(super) async fn run(settings: &Settings, families: u64, seed: u64) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    build_province(&engine, families, seed).await?;
    Ok(ExitCode::SUCCESS)
}

/// Builds the province with a progress bar, then prints what was built.
async fn build_province(engine: &Engine, families: u64, seed: u64) -> anyhow::Result<()> {
    eprintln!("building the demo province: {families} families through the engine…");
    let mut progress = Progress::start("families");
    let report = demo::build(engine, families, seed, Utc::now(), |done| {
        progress.update(done, families)
    })
    .await?;
    progress.finish();
    println!(
        "demo: {} families, {} persons, {} commands decided by the engine, {} cards collected, \
         {} persons never registered ({} added to their family), in {:.1} s on {}",
        report.families,
        report.persons,
        report.commands,
        report.cards_collected,
        report.unregistered,
        report.joined,
        progress.elapsed_seconds(),
        engine.store.backend_name()
    );
    Ok(())
}
