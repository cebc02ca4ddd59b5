//! `casework documents`: back-scanning the paper archive (`attach`) and the
//! retention of scans (`retention`). The report is written in Arabic or
//! English (`--lang`, else the locale).

use std::path::Path;
use std::process::ExitCode;

use chrono::Utc;

use super::args::DocumentsCommand;
use super::engine;
use super::progress::Progress;
use crate::app::backscan::{self, BackscanReport, Run};
use crate::app::{AppError, Engine};
use crate::config::Settings;
use crate::domain::language::{LRI, Lang, PDI, RLM};
use crate::domain::words::cli;
use crate::workflow::Actor;

pub(super) async fn run(
    settings: &Settings,
    command: DocumentsCommand,
) -> anyhow::Result<ExitCode> {
    match command {
        DocumentsCommand::Attach {
            folder,
            dry_run,
            as_user,
            lang,
        } => {
            if let Err(error) = crate::app::import::check_importer_name(&as_user) {
                return Err(error.into());
            }
            let engine = engine(settings).await?;
            let operator = crate::app::import::importer(&as_user, None);
            let run = if dry_run { Run::Check } else { Run::Attach };
            let matched = attach(&engine, &folder, &operator, run, lang).await?;
            Ok(if matched {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        DocumentsCommand::Retention { dry_run } => {
            let engine = engine(settings).await?;
            let holder = crate::jobs::holder_name();
            let report =
                crate::app::retention::purge_due(&engine, &holder, Utc::now(), dry_run).await?;
            if dry_run {
                println!(
                    "dry run: the scans of {} closed cases ({} documents) are past their retention period",
                    report.cases, report.scans
                );
            } else {
                println!(
                    "retention: the scans of {} closed cases deleted ({} documents, {} files)",
                    report.cases, report.scans, report.files
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Attaches (or checks) the scans under `folder` with a progress bar,
/// prints each file that matched nothing and a summary; answers whether
/// every file matched.
pub(super) async fn attach(
    engine: &Engine,
    folder: &Path,
    operator: &Actor,
    run: Run,
    lang: Option<Lang>,
) -> anyhow::Result<bool> {
    let lang = super::chosen_lang(lang);
    let mut progress = Progress::start("files");
    let report =
        match backscan::attach_dir(engine, folder, operator, run, Utc::now(), |done, total| {
            progress.update(done, total)
        })
        .await
        {
            Ok(report) => report,
            Err(AppError::Invalid(errors)) => {
                progress.finish();
                for e in errors {
                    eprintln!("error: {}: {}", e.field, e.message_ar);
                    eprintln!("error: {}: {}", e.field, e.message);
                }
                return Ok(false);
            }
            Err(other) => return Err(other.into()),
        };
    progress.finish();
    for line in report_lines(&report, lang) {
        println!("{line}");
    }
    println!(
        "{}; {:.1} s",
        summary(&report, run, lang),
        progress.elapsed_seconds()
    );
    Ok(report.unmatched.is_empty())
}

/// One line per file that matched nothing, and per document whose
/// different scan was kept.
fn report_lines(report: &BackscanReport, lang: Lang) -> Vec<String> {
    let mut lines: Vec<String> = report
        .unmatched
        .iter()
        .map(|u| match lang {
            Lang::En => format!("{}: {}", u.file, u.message),
            Lang::Ar => format!("{RLM}{LRI}{}{PDI}: {}", u.file, u.message_ar),
        })
        .collect();
    for kept in &report.kept {
        lines.push(lang.say(&cli::scan_kept(kept)).to_string());
    }
    lines
}

fn summary(report: &BackscanReport, run: Run, lang: Lang) -> String {
    let r = report;
    let said = cli::backscan_summary(&cli::BackscanFigures {
        checked: run != Run::Attach,
        files: r.files,
        documents: r.documents,
        attached: r.attached,
        already: r.already,
        kept: r.kept.len(),
        unmatched: r.unmatched.len(),
    });
    lang.say(&said).to_string()
}
