//! Back-scanning the paper archive: a folder of scans named by the
//! convention of [`ScanName`] (reference, owner, kind and page) attached to
//! the cases they name, each as an upload by the operator would be (stored
//! under its hash, one audit event). A paper scanned one file per page is
//! made into one PDF first. Files that match nothing are reported, never
//! guessed at; a document already holding a different scan keeps it; and
//! running it again stores nothing new.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::stream;

use crate::app::access::load;
use crate::app::documents::{DocumentSlot, Storing, check_owner, receive, store_received};
use crate::app::{AppError, Engine};
use crate::domain::language::Text;
use crate::domain::scans::{Owner, ScanName};
use crate::domain::words::{self as vocabulary, import as words};
use crate::files::pages;
use crate::workflow::Actor;

/// How far a run goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Run {
    /// Attach what matches.
    Attach,
    /// Check names, pages, cases and members, and store nothing.
    Check,
    /// Check names and pages only (the cases are not stored yet: an
    /// import's dry run).
    NamesOnly,
}

/// What became of one document.
enum Outcome {
    Attached,
    Already,
    Kept,
}

/// A file that matched nothing, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unmatched {
    /// The file's path under the folder.
    pub file: String,
    pub message: String,
    pub message_ar: String,
}

/// What a back-scan did (or with a check, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BackscanReport {
    /// Files looked at (hidden files are passed over).
    pub files: u64,
    /// Documents the matched files make.
    pub documents: u64,
    /// Documents given a scan now (with a check, that would be).
    pub attached: u64,
    /// Documents already holding this very scan (an earlier run's).
    pub already: u64,
    /// Documents holding a different scan, which was kept.
    pub kept: Vec<String>,
    pub unmatched: Vec<Unmatched>,
}

/// One document's files: a whole file, or its pages in order.
struct Document {
    name: ScanName,
    files: Vec<(Option<u32>, PathBuf, String)>,
}

/// Every file under `dir` (recursively, in name order), hidden files and
/// folders passed over, each with its path under `dir` for the report.
fn files_under(dir: &Path) -> Result<Vec<(PathBuf, String)>, AppError> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&folder)
            .map_err(|e| {
                AppError::Invalid(vec![crate::domain::field_error::FieldError::said(
                    "scans",
                    words::unreadable_folder(folder.display(), e),
                )])
            })?
            .collect::<Result<_, _>>()
            .map_err(|e| AppError::Unexpected(Box::new(e)))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries.into_iter().rev() {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let kind = entry
                .file_type()
                .map_err(|e| AppError::Unexpected(Box::new(e)))?;
            if kind.is_dir() {
                folders.push(path);
            } else if kind.is_file() {
                let shown = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                found.push((path, shown));
            }
        }
    }
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(found)
}

fn unmatched(file: &str, message: impl Into<String>, message_ar: impl Into<String>) -> Unmatched {
    Unmatched {
        file: file.to_string(),
        message: message.into(),
        message_ar: message_ar.into(),
    }
}

/// Groups the files by the document they name; what a name or a page
/// set does not allow is reported.
fn documents_of(files: Vec<(PathBuf, String)>, report: &mut BackscanReport) -> Vec<Document> {
    let mut by_slot: BTreeMap<(String, Owner, &'static str), Document> = BTreeMap::new();
    for (path, shown) in files {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match ScanName::parse(&file_name) {
            Err(why) => {
                report
                    .unmatched
                    .push(unmatched(&shown, why.message_en(), why.message_ar()))
            }
            Ok(name) => {
                let key = (
                    name.reference.as_str().to_string(),
                    name.owner,
                    name.kind.as_str(),
                );
                let page = name.page;
                by_slot
                    .entry(key)
                    .or_insert_with(|| Document {
                        name,
                        files: Vec::new(),
                    })
                    .files
                    .push((page, path, shown));
            }
        }
    }
    let mut documents = Vec::new();
    for (_, mut document) in by_slot {
        document.files.sort_by_key(|(page, _, _)| *page);
        let pages: Vec<Option<u32>> = document.files.iter().map(|f| f.0).collect();
        let problem = if document.files.len() == 1 {
            None
        } else if pages.contains(&None) {
            Some(en_ar(words::ONE_FILE_AND_PAGES.text()))
        } else {
            let missing = (1..=pages.len() as u32).find(|n| !pages.contains(&Some(*n)));
            let twice = pages.windows(2).find(|w| w[0] == w[1]).map(|w| w[0]);
            match (twice, missing) {
                (Some(Some(n)), _) => Some(en_ar(words::page_twice(n))),
                (_, Some(n)) => Some(en_ar(words::page_missing(n))),
                _ => None,
            }
        };
        match problem {
            Some((en, ar)) => {
                for (_, _, shown) in &document.files {
                    report
                        .unmatched
                        .push(unmatched(shown, en.clone(), ar.clone()));
                }
            }
            None => documents.push(document),
        }
    }
    documents
}

/// The bytes of a document: its one file streamed from disk, or its pages
/// made into one PDF.
async fn received_of(
    engine: &Engine,
    document: &Document,
) -> Result<crate::app::documents::Received, AppError> {
    let limit = engine.settings.documents_limit;
    if let [(_, path, _)] = document.files.as_slice() {
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| AppError::Unexpected(Box::new(e)))?;
        let chunks = stream::unfold(file, |mut file| async move {
            use tokio::io::AsyncReadExt;
            let mut buffer = vec![0_u8; 256 * 1024];
            match file.read(&mut buffer).await {
                Ok(0) => None,
                Ok(n) => {
                    buffer.truncate(n);
                    Some((Ok(Bytes::from(buffer)), file))
                }
                Err(e) => Some((Err(e), file)),
            }
        });
        return receive(Box::pin(chunks), limit).await;
    }
    let mut pages_read = Vec::with_capacity(document.files.len());
    let mut total = 0_u64;
    for (_, path, _) in &document.files {
        let bytes = tokio::fs::read(path)
            .await
            .map_err(|e| AppError::Unexpected(Box::new(e)))?;
        total += bytes.len() as u64;
        if total > limit {
            return Err(AppError::TooLarge { limit });
        }
        pages_read.push(bytes);
    }
    let pdf = pages::combine(&pages_read).map_err(|e| {
        AppError::Invalid(vec![crate::domain::field_error::FieldError::said(
            "pages",
            e.said(),
        )])
    })?;
    let one: Result<Bytes, std::io::Error> = Ok(Bytes::from(pdf));
    receive(stream::iter([one]), limit).await
}

/// A reason in both languages as this file's reports keep it: English,
/// then Arabic.
fn en_ar(said: Text) -> (String, String) {
    (said.en, said.ar)
}

/// Why a document's files were not attached, from the error its upload
/// gave; none for an error that must stop the run (the database).
fn refused_because(error: &AppError, limit: u64) -> Option<(String, String)> {
    match error {
        AppError::UnsupportedMediaType => Some(en_ar(words::NOT_A_SCAN_FILE.text())),
        AppError::TooLarge { .. } => Some(en_ar(words::larger_than(limit / (1024 * 1024)))),
        AppError::Invalid(errors) => {
            let said: Vec<Text> = errors
                .iter()
                .map(|e| Text::new(e.message_ar.clone(), e.message.clone()))
                .collect();
            Some(en_ar(vocabulary::clauses(&said)))
        }
        AppError::NotFound(_) | AppError::Refused(_) => None,
        _ => None,
    }
}

/// Attaches (or checks) the scans under `dir` as `operator`. `progress`
/// is called with (files done, files) after each document.
pub async fn attach_dir(
    engine: &Engine,
    dir: &Path,
    operator: &Actor,
    run: Run,
    now: DateTime<Utc>,
    mut progress: impl FnMut(u64, u64),
) -> Result<BackscanReport, AppError> {
    let limit = engine.settings.documents_limit;
    let mut report = BackscanReport::default();
    let files = files_under(dir)?;
    report.files = files.len() as u64;
    let documents = documents_of(files, &mut report);
    report.documents = documents.len() as u64;
    let mut done = report.unmatched.len() as u64;
    progress(done, report.files);
    for document in &documents {
        done += document.files.len() as u64;
        let name = &document.name;
        let reference = name.reference.as_str();
        let problem = |en: String, ar: String, report: &mut BackscanReport| {
            for (_, _, shown) in &document.files {
                report
                    .unmatched
                    .push(unmatched(shown, en.clone(), ar.clone()));
            }
        };
        let slot = DocumentSlot {
            reference,
            owner: name.owner,
            kind: name.kind,
        };
        if run != Run::NamesOnly {
            let found = match load(engine, reference).await {
                Ok(loaded) => check_owner(&loaded, &slot)
                    .map_err(|_| en_ar(words::no_such_member(reference, &name.owner.to_text()))),
                Err(AppError::NotFound(_)) => Err(en_ar(words::no_such_application(reference))),
                Err(other) => return Err(other),
            };
            if let Err((en, ar)) = found {
                problem(en, ar, &mut report);
                progress(done, report.files);
                continue;
            }
        }
        let stored = match received_of(engine, document).await {
            Err(error) => Err(error),
            Ok(_) if run == Run::NamesOnly => Ok(Outcome::Attached),
            Ok(received) if run == Run::Check => {
                let loaded = load(engine, reference).await?;
                let before = crate::store::documents::find(
                    &engine.store,
                    loaded.record.id,
                    name.owner.as_number(),
                    name.kind.as_str(),
                )
                .await?;
                Ok(match before {
                    None => Outcome::Attached,
                    Some(b) if b.sha256 == received.sha256 => Outcome::Already,
                    Some(_) => Outcome::Kept,
                })
            }
            Ok(received) => store_received(
                engine,
                slot,
                None,
                received,
                Storing::BackScan,
                operator,
                now,
            )
            .await
            .map(|stored| {
                if stored.changed {
                    Outcome::Attached
                } else if stored.kept {
                    Outcome::Kept
                } else {
                    Outcome::Already
                }
            }),
        };
        match stored {
            Ok(Outcome::Attached) => report.attached += 1,
            Ok(Outcome::Kept) => report.kept.push(format!(
                "{reference} {} {}",
                name.owner.to_text(),
                name.kind.as_str()
            )),
            Ok(Outcome::Already) => report.already += 1,
            Err(error) => match refused_because(&error, limit) {
                Some((en, ar)) => problem(en, ar, &mut report),
                None => return Err(error),
            },
        }
        progress(done, report.files);
    }
    report.unmatched.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(report)
}
