//! `casework bench transitions|statistics|import|search|grow`: the benchmarks,
//! each printing its table as it measures. They add cases, so they want a
//! database of their own.

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;

use super::{BenchCommand, engine};
use crate::config::{ConfigError, Settings};

/// Runs one benchmark. The settings arrive unchecked because
/// `import --write-csv` only writes a file and must work whatever the
/// environment holds; every other benchmark needs them.
pub(super) async fn run(
    settings: Result<Settings, ConfigError>,
    command: BenchCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Transitions {
            workers,
            seconds,
            rounds,
            synchronous_commit,
        } => transitions(settings?, &workers, seconds, rounds, synchronous_commit).await,
        BenchCommand::Statistics { sizes, samples } => {
            statistics(&settings?, &sizes, samples).await
        }
        BenchCommand::Import {
            families,
            write_csv: Some(path),
        } => write_backlog_csv(families, &path),
        BenchCommand::Import {
            families,
            write_csv: None,
        } => import(&settings?, families).await,
        BenchCommand::Search { sizes, samples } => search(&settings?, &sizes, samples).await,
        BenchCommand::Grow { families } => grow(&settings?, families).await,
        BenchCommand::AccessLog {
            entries,
            batch,
            months,
        } => access_log(&settings?, entries, batch, months).await,
    }
}

/// Appends access-log entries for timing `audit verify`.
async fn access_log(
    settings: &Settings,
    entries: u64,
    batch: u64,
    months: u32,
) -> anyhow::Result<ExitCode> {
    let engine = super::engine(settings).await?;
    let until = chrono::Utc::now();
    let from = until - chrono::Duration::days(30 * i64::from(months));
    let started = std::time::Instant::now();
    let written =
        crate::app::portal::generate_access_log(&engine, entries, batch, from, until).await?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{written} access-log entries appended in {seconds:.1} s ({:.0} a second)",
        written as f64 / seconds.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}

/// Transitions through casework against raw SQL, per worker count, with
/// the ratio of the two.
async fn transitions(
    mut settings: Settings,
    workers: &[usize],
    seconds: u64,
    rounds: usize,
    synchronous_commit: Option<String>,
) -> anyhow::Result<ExitCode> {
    settings.max_connections = settings
        .max_connections
        .max(workers.iter().copied().max().unwrap_or(1) as u32 + 2);
    if let Some(value) = &synchronous_commit {
        if !settings.database_url.starts_with("postgres") {
            anyhow::bail!("--synchronous-commit is a PostgreSQL setting");
        }
        // libpq's `options`: a setting for every connection's session.
        let separator = if settings.database_url.contains('?') {
            '&'
        } else {
            '?'
        };
        settings.database_url.push_str(&format!(
            "{separator}options=-c%20synchronous_commit%3D{value}"
        ));
    }
    let engine = engine(&settings).await?;
    let commit = crate::store::bench::synchronous_commit(&engine.store).await?;
    let grouped = if engine.store.is_sqlite() {
        ""
    } else if engine.store.group_commit() {
        ", group commit on"
    } else {
        ", group commit off"
    };
    println!(
        "transitions on {}{}{grouped} ({} s per run, median of {rounds} interleaved rounds)",
        engine.store.backend_name(),
        commit.map_or(String::new(), |c| format!(", synchronous_commit = {c}")),
        seconds
    );
    println!(
        "{:<9} {:>7} {:>12} {:>9} {:>9} {:>12}",
        "mode", "workers", "per second", "p50 ms", "p99 ms", "cpu us/op"
    );
    let figures = crate::app::bench::transitions(&engine, workers, seconds, rounds, |f| {
        println!(
            "{:<9} {:>7} {:>12.0} {:>9.2} {:>9.2} {:>12.0}",
            f.mode, f.workers, f.per_second, f.p50_ms, f.p99_ms, f.cpu_us
        );
    })
    .await?;
    let grouped = engine.store.group_commit_figures();
    if grouped.batches > 0 {
        println!(
            "group commit: {} steps in {} batches ({:.1} per batch)",
            grouped.steps,
            grouped.batches,
            grouped.steps as f64 / grouped.batches as f64
        );
    }
    for w in workers {
        let rate = |mode: &str| {
            figures
                .iter()
                .find(|f| f.mode == mode && f.workers == *w)
                .map_or(0.0, |f| f.per_second)
        };
        let raw = rate("raw");
        if raw > 0.0 {
            println!(
                "ratio casework/raw at {w} workers: {:.2}",
                rate("casework") / raw
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Statistics routes from the tallies against a plain GROUP BY, per size.
async fn statistics(
    settings: &Settings,
    sizes: &[u64],
    samples: usize,
) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    println!(
        "statistics on {}: p50 / p99 ms over {samples} runs, tallies against a plain GROUP BY",
        engine.store.backend_name()
    );
    println!(
        "{:>9} {:<13} {:>9} {:>9} {:>11} {:>11} {:>11}",
        "families", "route", "p50", "p99", "naive p50", "naive p99", "tally rows"
    );
    crate::app::bench::statistics(
        &engine,
        sizes,
        samples,
        |f| {
            println!(
                "{:>9} {:<13} {:>9.2} {:>9.2} {:>11.2} {:>11.2} {:>11}",
                f.families,
                f.route,
                f.p50_ms,
                f.p99_ms,
                f.naive_p50_ms,
                f.naive_p99_ms,
                f.tally_rows
            );
        },
        |line| eprintln!("{line}"),
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// Only writes the demo province's backlog CSV, to try `casework import` on.
fn write_backlog_csv(families: u64, path: &std::path::Path) -> anyhow::Result<ExitCode> {
    let registry = crate::app::registry::Registry::load(None)?;
    let name = crate::app::EngineSettings::default().default_workflow;
    let workflow = registry
        .latest(&name)
        .with_context(|| format!("no built-in workflow {name}"))?;
    let calendar = crate::app::registry::load_calendar(None)?;
    let bytes = crate::app::demo::backlog_csv(&workflow, &calendar, families, 2011, Utc::now());
    std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "{}: {families} families, {} bytes",
        path.display(),
        bytes.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Imports the demo province's backlog into an empty database, then the
/// same file again.
async fn import(settings: &Settings, families: u64) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    let f = crate::app::bench::import(&engine, families).await?;
    println!(
        "import on {}: {} families, {} persons ({} rows, {:.1} MB of CSV) in {:.1} s ({:.0} families/s), {} possible duplicates flagged; the same file again: {:.1} s, nothing imported",
        engine.store.backend_name(),
        f.families,
        f.persons,
        f.rows,
        f.bytes as f64 / 1e6,
        f.seconds,
        f.families as f64 / f.seconds.max(1e-9),
        f.duplicate_flags,
        f.again_seconds
    );
    Ok(ExitCode::SUCCESS)
}

/// Name, register and national number searches, per size.
async fn search(settings: &Settings, sizes: &[u64], samples: usize) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    println!(
        "search on {}: first page of 50, oldest first, through app::lists::list; {samples} people drawn evenly",
        engine.store.backend_name()
    );
    println!(
        "{:>9} {:<22} {:>9} {:>9} {:>10} {:>8}",
        "families", "search", "p50 ms", "p99 ms", "mean hits", "samples"
    );
    crate::app::bench::search(
        &engine,
        sizes,
        samples,
        |f| {
            println!(
                "{:>9} {:<22} {:>9.2} {:>9.2} {:>10.1} {:>8}",
                f.families, f.kind, f.p50_ms, f.p99_ms, f.mean_hits, f.samples
            );
        },
        |line| eprintln!("{line}"),
    )
    .await?;
    Ok(ExitCode::SUCCESS)
}

/// Copies the stored demo province up to `families`.
async fn grow(settings: &Settings, families: u64) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    match crate::app::bench::grow(&engine, families, |line| eprintln!("{line}")).await {
        Ok(held) => {
            println!("{held} families stored");
            Ok(ExitCode::SUCCESS)
        }
        Err(crate::app::AppError::Invalid(errors)) => {
            for e in errors {
                eprintln!("error: {}: {}", e.field, e.message);
            }
            Ok(ExitCode::FAILURE)
        }
        Err(error) => Err(error.into()),
    }
}
