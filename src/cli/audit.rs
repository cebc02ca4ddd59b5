//! `casework audit verify|keygen|checkpoint`: every hash chain walked (the
//! cases' audit trails and the agencies' access logs alike) and compared
//! with the newest signed checkpoint; the checkpoints' signing key made;
//! a checkpoint signed on demand.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;

use super::engine;
use crate::app::audit::{self, AuditReport, CheckpointSettings};
use crate::cli::AuditCommand;
use crate::config::Settings;
use crate::domain::audit::chain_time;
use crate::domain::checkpoint;

/// Runs one `audit` subcommand.
pub(super) async fn run(settings: &Settings, command: AuditCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuditCommand::Verify {
            public_key,
            checkpoint_log,
            documents,
            full,
            jobs,
        } => {
            let options = audit::VerifyOptions {
                full,
                jobs: jobs.clamp(1, settings.max_connections.max(1) as usize),
            };
            verify(settings, public_key, checkpoint_log, documents, options).await
        }
        AuditCommand::Keygen { key_file } => keygen(settings, key_file),
        AuditCommand::Checkpoint => make_checkpoint(settings).await,
        AuditCommand::Partitions { months_ahead } => partitions(settings, months_ahead).await,
    }
}

/// The checkpoint settings of `serve` and `audit checkpoint`: the key
/// read from `CASEWORK_AUDIT_KEY_FILE`, or an error naming the setting and
/// the file (never the key). `None` when the setting is absent.
pub(super) fn checkpoint_settings(
    settings: &Settings,
) -> anyhow::Result<Option<CheckpointSettings>> {
    let Some(path) = &settings.audit_key_file else {
        return Ok(None);
    };
    let key = audit::read_key(path).map_err(|error| {
        anyhow::anyhow!(
            "CASEWORK_AUDIT_KEY_FILE: {error}; the audit checkpoints are signed with this key \
             (write a new one with `casework audit keygen`, or unset the setting)"
        )
    })?;
    Ok(Some(CheckpointSettings {
        key: Arc::new(key),
        every: chrono::Duration::minutes(i64::from(settings.audit_checkpoint_minutes)),
        log: settings.audit_checkpoint_log.clone(),
    }))
}

/// Writes a new signing key and prints its public half.
fn keygen(settings: &Settings, key_file: Option<std::path::PathBuf>) -> anyhow::Result<ExitCode> {
    let Some(path) = key_file.or_else(|| settings.audit_key_file.clone()) else {
        anyhow::bail!(
            "name the key's file with CASEWORK_AUDIT_KEY_FILE (or --key-file): the server reads it from there"
        );
    };
    let public =
        audit::keygen(&path).map_err(|e| anyhow::anyhow!("CASEWORK_AUDIT_KEY_FILE: {e}"))?;
    println!(
        "wrote a new audit checkpoint signing key to {} (mode 0600; keep it out of the database and its backups)",
        path.display()
    );
    println!(
        "public key (key id {}), keep it apart from the server, for `casework audit verify --public-key`:",
        checkpoint::key_id(&public)
    );
    println!("{}", checkpoint::public_key_hex(&public));
    Ok(ExitCode::SUCCESS)
}

/// Signs a checkpoint of every chain now.
async fn make_checkpoint(settings: &Settings) -> anyhow::Result<ExitCode> {
    let Some(checkpoints) = checkpoint_settings(settings)? else {
        anyhow::bail!(
            "CASEWORK_AUDIT_KEY_FILE is not set: checkpoints are signed with the key in that file \
             (write one with `casework audit keygen`)"
        );
    };
    let engine = engine(settings).await?;
    let made = audit::checkpoint(&engine, &checkpoints, chrono::Utc::now())
        .await
        .context("signing a checkpoint")?;
    println!(
        "checkpoint {} of {}: {} chains, root {}, signed by key {}{}",
        made.number,
        chain_time(made.at),
        made.chains,
        made.root,
        made.key_id,
        match &checkpoints.log {
            Some(path) => format!(", appended to {}", path.display()),
            None => String::new(),
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// Makes the missing partitions and prints every one.
async fn partitions(settings: &Settings, months_ahead: u32) -> anyhow::Result<ExitCode> {
    let engine = engine(settings).await?;
    if !crate::store::partitions::partitioned(&engine.store) {
        println!("the history is not partitioned on SQLite: nothing to do");
        return Ok(ExitCode::SUCCESS);
    }
    let (made, all) = audit::partitions(&engine, chrono::Utc::now(), months_ahead)
        .await
        .context("making the history's partitions")?;
    for partition in &made {
        println!(
            "made {} ({} rows moved from the DEFAULT partition)",
            partition.name, partition.moved_from_default
        );
    }
    for partition in &all {
        println!(
            "{:<14} {:<28} {} (~{} rows)",
            partition.table,
            partition.name,
            partition.bound,
            partition.estimated_rows.max(0)
        );
    }
    println!("{} partitions, {} made now", all.len(), made.len());
    Ok(ExitCode::SUCCESS)
}

/// Walks every chain, compares each with the newest checkpoint whose
/// signature holds, prints one line per broken chain or checkpoint and a
/// summary; exits with 1 when anything is broken.
async fn verify(
    settings: &Settings,
    public_key: Option<String>,
    checkpoint_log: Option<std::path::PathBuf>,
    documents: bool,
    options: audit::VerifyOptions,
) -> anyhow::Result<ExitCode> {
    let public_key = match public_key.or_else(|| settings.audit_public_key.clone()) {
        Some(text) => Some(checkpoint::parse_public_key(&text).map_err(|problem| {
            anyhow::anyhow!(
                "the public key (--public-key or CASEWORK_AUDIT_PUBLIC_KEY) {problem}: give the 64 hex digits `casework audit keygen` printed"
            )
        })?),
        None => None,
    };
    let log = checkpoint_log.or_else(|| settings.audit_checkpoint_log.clone());
    let engine = engine(settings).await?;
    let started = Instant::now();
    let report = audit::verify_with(&engine, public_key.as_ref(), log.as_deref(), options)
        .await
        .context("verifying the audit trail")?;
    for line in report_lines(&report) {
        println!("{line}");
    }
    println!(
        "{}",
        summary(&report, options.jobs, started.elapsed().as_secs_f64())
    );
    let mut files_broken = false;
    if documents {
        let started = Instant::now();
        let files = crate::app::documents::verify_files(&engine)
            .await
            .context("re-reading the stored scans")?;
        for line in file_lines(&files) {
            println!("{line}");
        }
        let missing = files.problems.iter().filter(|p| p.found.is_none()).count();
        let altered = files.problems.len() - missing;
        files_broken = !files.problems.is_empty();
        println!(
            "{}: {} scans ({} files) re-read from {}: {missing} missing, {altered} altered ({:.1} s)",
            if files_broken { "BROKEN" } else { "ok" },
            files.scans,
            files.files,
            engine.files.describe(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if report.broken() || files_broken {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One line per scan whose file is missing or altered.
fn file_lines(report: &crate::app::documents::FilesReport) -> Vec<String> {
    report
        .problems
        .iter()
        .map(|p| {
            let owner = crate::domain::scans::Owner::from_number(p.scan.owner).to_text();
            let what = match &p.found {
                None => "is missing from the document store".to_string(),
                Some(actual) => {
                    format!("no longer matches its hash (its content hashes to {actual})")
                }
            };
            format!(
                "broken: case {} document {owner}/{}: scan {} {what}",
                p.reference, p.scan.kind, p.scan.sha256
            )
        })
        .collect()
}

/// One line per broken chain and per problem of the checkpoints.
fn report_lines(report: &AuditReport) -> Vec<String> {
    let mut lines = Vec::new();
    for link in &report.cases.broken {
        lines.push(format!(
            "broken: case {} event {}: {}",
            link.reference, link.seq, link.problem
        ));
    }
    for link in &report.access.broken {
        lines.push(format!(
            "broken: access log of agency {} entry {}: {}",
            link.agency, link.seq, link.problem
        ));
    }
    for problem in &report.checkpoint_problems {
        lines.push(format!("broken: {problem}"));
    }
    lines
}

/// The closing line: what was checked and how it stands.
fn summary(report: &AuditReport, jobs: usize, seconds: f64) -> String {
    let (cases, access) = (&report.cases, &report.access);
    let chains = cases.applications + access.agencies;
    let broken = cases.broken.len() + access.broken.len();
    let intact = cases.coverage.intact + access.coverage.intact;
    let waiting = cases.coverage.not_yet_covered_chains + access.coverage.not_yet_covered_chains;
    let links = cases.coverage.not_yet_covered_links + access.coverage.not_yet_covered_links;
    let verdict = if report.broken() { "BROKEN" } else { "ok" };
    let against = match &report.compared_with {
        Some(c) => format!(
            "{intact} intact as checkpoint {} of {} signed them",
            c.number,
            chain_time(c.at)
        ),
        None if report.checkpoints == 0 => {
            format!("{intact} covered by a checkpoint (there is none yet)")
        }
        None => format!(
            "{intact} covered by a checkpoint (none of the {} verifies)",
            report.checkpoints
        ),
    };
    let signatures = if report.signatures_checked {
        format!("{} checkpoints, signatures checked", report.checkpoints)
    } else {
        format!(
            "{} checkpoints, signatures NOT checked (give --public-key or CASEWORK_AUDIT_PUBLIC_KEY)",
            report.checkpoints
        )
    };
    let kind = match (&report.compared_with, report.incremental) {
        (Some(c), true) => format!(
            "incremental from checkpoint {} (run with --full to read every event)",
            c.number
        ),
        _ => "full".to_string(),
    };
    format!(
        "{verdict}: {} applications ({} events), {} agencies ({} access-log entries): {chains} chains checked, {against}, {broken} broken, {waiting} not yet covered ({links} events or entries after the last checkpoint); {signatures}; {kind} verify: {} events and entries read on {jobs} connections ({seconds:.1} s)",
        cases.applications,
        cases.events,
        access.agencies,
        access.entries,
        cases.events + access.entries
    )
}
