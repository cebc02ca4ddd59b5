//! `casework import`: the existing backlog imported from CSV files, or
//! only checked with `--dry-run`.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use chrono::Utc;

use super::engine;
use super::progress::progress_bar;
use crate::app::AppError;
use crate::config::Settings;

/// Imports (or checks) the files and prints every refused row and a
/// summary; exits with 1 when a row was refused.
pub(super) async fn run(
    settings: &Settings,
    files: &[std::path::PathBuf],
    dry_run: bool,
    as_user: &str,
) -> anyhow::Result<ExitCode> {
    if let Err(error) = crate::app::import::check_importer_name(as_user) {
        return refused(error);
    }
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
    let report = match crate::app::import::import(
        &engine,
        &sources,
        &importer,
        dry_run,
        Utc::now(),
        |done, total| progress_bar(started, terminal, done, total),
    )
    .await
    {
        Ok(report) => report,
        Err(error @ AppError::Invalid(_)) => return refused(error),
        Err(error) => return Err(error.into()),
    };
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

/// Prints why the import was refused before any row was read (an argument
/// such as `--as` or a file name), Arabic then English, and exits with 1.
fn refused(error: AppError) -> anyhow::Result<ExitCode> {
    match error {
        AppError::Invalid(errors) => {
            for e in errors {
                eprintln!("error: {}: {}", e.field, e.message_ar);
                eprintln!("error: {}: {}", e.field, e.message);
            }
            Ok(ExitCode::FAILURE)
        }
        other => Err(other.into()),
    }
}
