//! `casework import`: the existing backlog imported from CSV files, or
//! only checked with `--dry-run`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use chrono::Utc;

use super::engine;
use super::progress::progress_bar;
use crate::config::Settings;

/// Imports (or checks) the files and prints every refused row and a
/// summary; exits with 1 when a row was refused.
pub(super) async fn run(
    settings: &Settings,
    files: &[std::path::PathBuf],
    dry_run: bool,
    as_user: &str,
) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    let mut sources = Vec::with_capacity(files.len());
    for path in files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        sources.push(crate::app::import::Source {
            name: path.display().to_string(),
            bytes,
        });
    }
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let importer = crate::app::import::importer(as_user, None);
    let report = crate::app::import::import(
        &engine,
        &sources,
        &importer,
        dry_run,
        Utc::now(),
        |done, total| progress_bar(started, terminal, done, total),
    )
    .await?;
    if terminal && report.imported > 0 {
        eprintln!();
    }
    for error in &report.errors {
        println!("{error}");
    }
    println!(
        "{}: {} rows, {} families: {} {}, {} persons; {} already imported (skipped); {} refused ({} problems); {} possible duplicates flagged; {:.1} s on {}",
        if dry_run { "dry run" } else { "import" },
        report.rows,
        report.families,
        report.imported,
        if dry_run {
            "would be imported"
        } else {
            "imported"
        },
        report.persons,
        report.already_present,
        report.refused,
        report.errors.len(),
        report.duplicate_flags,
        started.elapsed().as_secs_f64(),
        engine.store.backend_name()
    );
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
