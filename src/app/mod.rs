//! Use cases. The only layer that opens transactions: load → decide → save
//! state + audit event + outbox rows, all or nothing.

pub mod access;
pub mod accounts;
pub mod assign;
pub mod audit;
pub mod backscan;
pub mod bench;
pub mod case_view;
pub mod cases;
pub mod demo;
pub mod documents;
pub mod duplicates;
pub mod import;
pub mod lists;
pub mod migration;
pub mod outbox;
pub mod pages;
pub mod passwords;
pub mod portal;
mod refused;
pub mod registry;
pub mod reminders;
pub mod retention;
pub mod sessions;
pub mod stats;
pub mod system;
pub mod users;

use std::sync::Arc;

use crate::domain::calendar::WorkingCalendar;
use crate::domain::field_error::FieldError;
use crate::domain::language::Digits;
use crate::domain::places::Places;
use crate::store::{BoxError, Store, StoreError};
use crate::workflow::Refusal;

pub use registry::Registry;

/// What the use cases need: the store, the workflow definitions, the
/// working calendar and the districts with their offices.
#[derive(Clone)]
pub struct Engine {
    pub store: Store,
    pub workflows: Arc<Registry>,
    pub calendar: Arc<WorkingCalendar>,
    pub places: Arc<Places>,
    /// Where scanned documents are kept.
    pub files: crate::files::DocumentStore,
    pub settings: EngineSettings,
}

/// Settings the use cases read.
#[derive(Clone, Debug)]
pub struct EngineSettings {
    /// The prefix of new reference numbers (`HSK` for al-Hasakah).
    pub reference_prefix: String,
    /// The workflow new cases start under.
    pub default_workflow: String,
    /// How long people's sessions last, and whether cookies are `Secure`.
    pub sessions: sessions::SessionSettings,
    /// The signing key and interval of the audit checkpoints; none when no
    /// key file is configured.
    pub checkpoints: Option<audit::CheckpointSettings>,
    /// The largest scan accepted, in bytes.
    pub documents_limit: u64,
    /// The digits the dashboard writes Arabic in.
    pub dashboard_digits: Digits,
}

impl Default for EngineSettings {
    fn default() -> Self {
        EngineSettings {
            reference_prefix: "HSK".into(),
            default_workflow: "naturalization-family".into(),
            sessions: sessions::SessionSettings::default(),
            checkpoints: None,
            documents_limit: 20 * 1024 * 1024,
            dashboard_digits: Digits::Arabic,
        }
    }
}

impl Engine {
    /// A district's or an office's Arabic and English names; the code for
    /// both when the places file does not list it (a case stored before).
    pub fn place_label(&self, code: &str) -> crate::domain::language::Text {
        self.places
            .names(code)
            .cloned()
            .unwrap_or_else(|| crate::domain::language::Text::of_code(code))
    }
}

/// Errors of the use cases, each one a caller can act on.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// What was not found, said in both languages (the English in logs).
    #[error("{} not found", .0.en)]
    NotFound(crate::domain::language::Text),
    #[error("the input is invalid")]
    Invalid(Vec<FieldError>),
    /// The engine refused the command; nothing changed.
    #[error("{0}")]
    Refused(Refusal),
    /// The caller's version is not the current one; nothing changed.
    #[error("the case is at version {current}, not {expected}")]
    StaleVersion { expected: i64, current: i64 },
    /// Someone else changed the case while this command was decided.
    #[error("the case was changed by someone else; reload and try again")]
    Conflict,
    /// What exists already, said in both languages.
    #[error("{}", .0.en)]
    Duplicate(crate::domain::language::Text),
    /// An Idempotency-Key was sent again with a different request.
    #[error("this Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    /// A body over the limit (bytes); refused before it is read whole.
    #[error("the body is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// A file that is no PDF, JPEG, PNG or TIFF by its content.
    #[error("not a PDF, JPEG, PNG or TIFF file")]
    UnsupportedMediaType,
    #[error("the database is unavailable")]
    Unavailable(#[source] StoreError),
    /// Anything else; the cause is kept for the log, never shown to callers.
    #[error("unexpected error")]
    Unexpected(#[source] BoxError),
}

impl AppError {
    /// A catch-all error that has only a message, no error of its own.
    pub fn unexpected(message: impl Into<String>) -> AppError {
        AppError::Unexpected(message.into().into())
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::NotFound => {
                AppError::NotFound(crate::domain::words::problems::NO_RECORD.text())
            }
            StoreError::Conflict => AppError::Conflict,
            StoreError::Duplicate(constraint) => {
                AppError::Duplicate(crate::domain::words::problems::already_stored(&constraint))
            }
            error @ StoreError::Unavailable(_) => AppError::Unavailable(error),
            error @ (StoreError::Corrupt(_) | StoreError::Unexpected(_)) => {
                AppError::Unexpected(Box::new(error))
            }
        }
    }
}
