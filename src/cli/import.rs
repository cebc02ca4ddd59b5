//! `casework import`: the existing backlog imported from CSV files, or
//! only checked with `--dry-run`. Refused rows and the summary are written
//! in Arabic or English (`--lang`, else the locale).

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;

use super::engine;
use super::progress::Progress;
use crate::app::AppError;
use crate::app::import::{ImportReport, RowError};
use crate::config::Settings;
use crate::domain::language::{LRI, Lang, PDI, RLM};
use crate::domain::words::cli;

/// Imports (or checks) the files and prints every refused row and a
/// summary; exits with 1 when a row was refused.
pub(super) async fn run(
    settings: &Settings,
    files: &[std::path::PathBuf],
    dry_run: bool,
    as_user: &str,
    lang: Option<Lang>,
    scans: Option<&std::path::Path>,
) -> anyhow::Result<ExitCode> {
    if let Err(error) = crate::app::import::check_importer_name(as_user) {
        return refused(error);
    }
    let lang = super::chosen_lang(lang);
    let engine = engine(settings).await?;
    let mut sources = Vec::with_capacity(files.len());
    for path in files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        sources.push(crate::app::import::Source {
            name: path.display().to_string(),
            bytes,
        });
    }
    let mut progress = Progress::start("families");
    let importer = crate::app::import::importer(as_user, None);
    let report = match crate::app::import::import(
        &engine,
        &sources,
        &importer,
        dry_run,
        Utc::now(),
        |done, total| progress.update(done, total),
    )
    .await
    {
        Ok(report) => report,
        Err(error @ AppError::Invalid(_)) => return refused(error),
        Err(error) => return Err(error.into()),
    };
    progress.finish();
    for error in &report.errors {
        println!("{}", row_line(error, lang));
    }
    println!(
        "{}; {:.1} s on {}",
        summary(&report, lang),
        progress.elapsed_seconds(),
        engine.store.backend_name()
    );
    let mut scans_matched = true;
    if let Some(folder) = scans {
        // An import's dry run stores no case, so the scans' names and
        // pages are checked, not the cases they name.
        let run = if dry_run {
            crate::app::backscan::Run::NamesOnly
        } else {
            crate::app::backscan::Run::Attach
        };
        scans_matched =
            super::documents::attach(&engine, folder, &importer, run, Some(lang)).await?;
    }
    Ok(if report.errors.is_empty() && scans_matched {
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

/// The language of the locale: the first of LC_ALL, LC_MESSAGES and LANG
/// that is set decides (as POSIX orders them); Arabic when it starts with
/// `ar`, else English.
pub(super) fn locale_lang(var: impl Fn(&str) -> Option<String>) -> Lang {
    match ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|n| var(n))
    {
        Some(locale) if locale.starts_with("ar") => Lang::Ar,
        _ => Lang::En,
    }
}

/// One refused row: where it is, the column, and what is wrong.
fn row_line(error: &RowError, lang: Lang) -> String {
    match lang {
        Lang::En => error.to_string(),
        Lang::Ar => {
            let mut place = format!("{}:{}", error.file, error.line);
            if let Some(column) = &error.column {
                place.push_str(&format!(": {column}"));
            }
            format!("{RLM}{LRI}{place}{PDI}: {}", error.message_ar)
        }
    }
}

/// What the import did, or with `--dry-run` would do.
fn summary(report: &ImportReport, lang: Lang) -> String {
    let r = report;
    let said = cli::import_summary(&cli::ImportFigures {
        dry_run: r.dry_run,
        rows: r.rows,
        families: r.families,
        imported: r.imported,
        persons: r.persons,
        already_present: r.already_present,
        refused: r.refused,
        problems: r.errors.len(),
        duplicate_flags: r.duplicate_flags,
    });
    lang.say(&said).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(vars: &[(&str, &str)], expected: Lang) {
        let got = locale_lang(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(got, expected, "{vars:?}");
    }

    #[test]
    fn the_locale_decides_the_language_in_posix_order() {
        check(&[], Lang::En);
        check(&[("LANG", "ar_SY.UTF-8")], Lang::Ar);
        check(&[("LANG", "en_GB.UTF-8")], Lang::En);
        check(&[("LANG", "C.UTF-8")], Lang::En);
        // LC_ALL overrides LC_MESSAGES, which overrides LANG.
        check(
            &[("LC_ALL", "en_US.UTF-8"), ("LANG", "ar_SY.UTF-8")],
            Lang::En,
        );
        check(&[("LC_ALL", "ar"), ("LANG", "en_US.UTF-8")], Lang::Ar);
        check(
            &[("LC_MESSAGES", "ar_IQ.UTF-8"), ("LANG", "en_US.UTF-8")],
            Lang::Ar,
        );
    }

    #[test]
    fn an_arabic_row_is_right_to_left_with_its_place_kept_in_order() {
        let error = RowError {
            file: "backlog/2011.csv".into(),
            line: 5,
            column: Some("birth_date".into()),
            message: "the birth date is in the future".into(),
            message_ar: "تاريخ الميلاد في المستقبل".into(),
        };
        assert_eq!(
            row_line(&error, Lang::Ar),
            "\u{200F}\u{2066}backlog/2011.csv:5: birth_date\u{2069}: تاريخ الميلاد في المستقبل"
        );
        assert_eq!(
            row_line(&error, Lang::En),
            "backlog/2011.csv:5: birth_date: the birth date is in the future"
        );
    }
}
