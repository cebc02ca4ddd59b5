//! Bringing in the existing backlog: families from CSV files, one row per
//! person, each family with the state its case has reached.
//!
//! Every row is checked; a family with any bad row is refused whole and the
//! rest are imported, so no family is ever half-imported. A reference that
//! is already stored is skipped, so importing a file twice imports nothing
//! twice. Each imported case starts its audit chain with one `imported`
//! event naming the file and lines it came from. The format is documented
//! in README.md ("Importing the backlog").
//!
//! `read.rs` reads and checks the files without touching the store; this
//! file stores what passes.

mod read;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::json;

use crate::app::cases::{CaseBuilder, DuplicateCheck, insert_built, store_built};
use crate::app::{AppError, Engine};
use crate::domain::field_error::FieldError;
use crate::domain::text::{Lines, check_text, limit};
use crate::store::cases;
use crate::workflow::Actor;
use crate::workflow::machine::local_date;

use read::read_backlog;
pub use read::{OPTIONAL_COLUMNS, REQUIRED_COLUMNS, RowError, Source};

/// Families stored per transaction.
const BATCH: usize = 500;

/// What an import did (or, with `dry_run`, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Data rows read (headers not counted).
    pub rows: u64,
    /// Families found in the files.
    pub families: u64,
    /// Families imported now (or that would be).
    pub imported: u64,
    /// Persons in those families.
    pub persons: u64,
    /// Families whose reference was already stored: skipped.
    pub already_present: u64,
    /// Families refused because of a bad row.
    pub refused: u64,
    /// Possible duplicates flagged among the imported families.
    pub duplicate_flags: u64,
    pub errors: Vec<RowError>,
}

/// Only supervisors import (through the API; operators use the CLI).
pub fn may_import(actor: &Actor) -> Result<(), AppError> {
    use crate::domain::roles::Role;
    if !actor.roles.contains(&Role::Supervisor) {
        return Err(AppError::Refused(crate::app::refused::role_not_allowed(
            "import",
            &[Role::Supervisor],
        )));
    }
    Ok(())
}

/// Checks the name an import is recorded under (the CLI's `--as`): one
/// line of at most [`limit::ACCOUNT`] characters, none of them a control or
/// text-direction character.
pub fn check_importer_name(name: &str) -> Result<(), AppError> {
    check_text("--as", name, Lines::One, limit::ACCOUNT).map_err(|e| AppError::Invalid(vec![e]))?;
    if name.trim().is_empty() {
        return Err(AppError::Invalid(vec![FieldError::said(
            "--as",
            crate::domain::words::fields::IMPORTER_NAME_EMPTY,
        )]));
    }
    Ok(())
}

/// Who imports: its name goes on every `imported` event.
pub fn importer(name: &str, district: Option<String>) -> Actor {
    Actor {
        id: name.to_string(),
        roles: vec![crate::domain::roles::Role::System],
        district,
    }
}

/// Imports `sources` as `importer`. With `dry_run`, checks everything,
/// stores it and looks for duplicates as the real run would, and rolls it
/// all back: it reports what the real run would do and writes nothing. `progress` is called with (families done, families to
/// store) after each batch.
pub async fn import(
    engine: &Engine,
    sources: &[Source],
    importer: &Actor,
    dry_run: bool,
    now: DateTime<Utc>,
    mut progress: impl FnMut(u64, u64),
) -> Result<ImportReport, AppError> {
    // A file's name goes into each case's audit trail.
    let names: Vec<FieldError> = sources
        .iter()
        .filter_map(|s| check_text("file", &s.name, Lines::One, limit::FILE_NAME).err())
        .collect();
    if !names.is_empty() {
        return Err(AppError::Invalid(names));
    }
    let workflow = engine
        .workflows
        .latest(&engine.settings.default_workflow)
        .ok_or_else(|| {
            AppError::NotFound(crate::domain::words::problems::no_workflow(
                &engine.settings.default_workflow,
            ))
        })?;
    let backlog = read_backlog(
        sources,
        local_date(now),
        importer,
        &engine.places,
        &workflow,
    );
    let mut report = ImportReport {
        dry_run,
        rows: backlog.rows,
        families: backlog.families,
        refused: backlog.refused,
        errors: backlog.errors,
        ..ImportReport::default()
    };
    let mut checked = backlog.ready;
    // Already stored (an earlier run of the same file): skipped.
    let references: Vec<String> = checked
        .iter()
        .map(|c| c.reference.as_str().to_string())
        .collect();
    let present = cases::existing_references(&engine.store, &references).await?;
    checked.retain(|c| !present.contains(c.reference.as_str()));
    report.already_present = present.len() as u64;
    let total = checked.len() as u64;
    let mut sequences: BTreeMap<(String, i32), u32> = BTreeMap::new();
    // A dry run stores every batch in one transaction that it rolls back,
    // so the duplicates it reports are found by the same detection, over
    // the same rows, as the real run's.
    let rehearsal = if dry_run {
        Some(engine.store.begin().await?)
    } else {
        None
    };
    let mut done = 0;
    let mut rest = checked.into_iter();
    loop {
        let batch: Vec<_> = rest.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let mut built = Vec::with_capacity(batch.len());
        for c in batch {
            let application = c.application;
            report.persons += application.members.len() as u64;
            let origin = format!("import:{}:{}", c.file, c.first_line);
            let member_state = workflow.imported_member_state(&c.state);
            let builder = CaseBuilder::open(
                workflow.clone(),
                engine.calendar.clone(),
                c.reference.as_str().to_string(),
                application,
                importer,
                &origin,
                now,
            )?
            .imported(
                &c.state,
                member_state,
                c.since,
                json!({
                    "file": c.file,
                    "lines": [c.first_line, c.last_line],
                    "state": c.state,
                }),
                now,
            );
            built.push(builder.finish());
            let key = (c.reference.prefix().to_string(), c.reference.year());
            let last = sequences.entry(key).or_insert(0);
            *last = (*last).max(c.reference.sequence());
        }
        report.duplicate_flags += match &rehearsal {
            Some(tx) => insert_built(tx, &built, DuplicateCheck::Flag, now).await?,
            None => store_built(engine, &built, DuplicateCheck::Flag, now).await?,
        };
        report.imported += built.len() as u64;
        done += built.len() as u64;
        progress(done, total);
    }
    if let Some(tx) = rehearsal {
        tx.rollback().await?;
    }
    if !dry_run && !sequences.is_empty() {
        // New intake must not take a reference an imported case holds.
        let tx = engine.store.begin().await?;
        for ((prefix, year), last) in sequences {
            cases::bump_reference(&tx, &prefix, year, last as i64).await?;
        }
        tx.commit().await?;
    }
    Ok(report)
}
