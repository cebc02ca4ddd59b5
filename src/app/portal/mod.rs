//! The agency portal: other ministries and official bodies ask about one
//! person, or a few hundred, within a narrow scope, with a stated purpose.
//!
//! Order of checks for every request: the key (unknown → 401, nothing
//! logged; revoked or expired → 401), the scope (→ 403), the agency's rate
//! (→ 429 with the seconds to wait; one budget per agency in the database,
//! shared by every server), the request's size and shape (purpose, how many
//! persons → 422), each person as named (→ 422), then the answer. A request
//! refused at any of these steps is one access-log entry that says how many
//! persons it named; an answered request is one entry per person named, and
//! an answer is only given once its entries are committed: nothing is
//! disclosed unlogged.
//!
//! Who an agency may see: a member whose family's application is neither
//! rejected nor withdrawn, who is not excluded from it, and whose district
//! is among the agency's districts (all, when it has none). Anyone else is
//! answered exactly like a person who is not in the registers (`found:
//! false`), so the portal cannot be used to learn who applied.
//!
//! The parts: `agencies` registers agencies and their keys (the operator's
//! command line), `rate` spends from each agency's budget, `person` reads
//! how a person is named, `query` checks and answers a request with what
//! `answer` lets its scope say, `access_log` reads and verifies the log
//! those requests leave, and `statistics` counts them for leadership.

mod access_log;
mod agencies;
mod answer;
mod person;
mod query;
mod rate;
mod statistics;

use crate::app::AppError;
use crate::domain::field_error::FieldError;
use crate::domain::words::portal as portal_words;
use crate::store::StoreError;

pub use access_log::{
    AccessRecord, LogQuery, MAX_PAGE, access_log, access_of_case, generate as generate_access_log,
    verify,
};
pub use agencies::{AgencySummary, add, list, revoke, rotate};
pub use answer::{CardState, Finding, Grant, PortalAnswer};
pub use person::{PersonInput, PersonKey};
pub use query::{PortalRequest, query};
pub use statistics::{AgencyDay, PortalStatistics, statistics, summarise};

/// Every agency key starts with this (officers' tokens start with `cw_`).
pub const KEY_PREFIX: &str = "ag_";
/// The most persons one batch may name.
pub const MAX_BATCH: usize = 500;
/// The longest purpose accepted, in characters.
pub const MAX_PURPOSE: usize = crate::domain::text::limit::PURPOSE;
/// The shortest purpose accepted, in characters.
pub const MIN_PURPOSE: usize = 5;
/// The rate an agency gets unless told otherwise: persons per minute.
pub const DEFAULT_RATE: u32 = 60;

/// Results written to the access log.
pub mod result {
    use crate::domain::words::portal as words;

    pub const ANSWERED: &str = "answered";
    /// Not in the registers.
    pub const NO_RECORD: &str = "no_record";
    /// In the registers, but not for this agency; answered like `no_record`.
    pub const NOT_VISIBLE: &str = "not_visible";
    pub const KEY_REVOKED: &str = "key_revoked";
    pub const KEY_EXPIRED: &str = "key_expired";
    pub const SCOPE_NOT_GRANTED: &str = "scope_not_granted";
    pub const RATE_LIMITED: &str = "rate_limited";
    pub const INVALID: &str = "invalid_request";
    /// Every result, answered ones first.
    pub const ALL: [&str; 8] = [
        ANSWERED,
        NO_RECORD,
        NOT_VISIBLE,
        KEY_REVOKED,
        KEY_EXPIRED,
        SCOPE_NOT_GRANTED,
        RATE_LIMITED,
        INVALID,
    ];
    /// Results the agency was given an answer for.
    pub fn is_answered(result: &str) -> bool {
        matches!(result, ANSWERED | NO_RECORD | NOT_VISIBLE)
    }

    /// A result's name as a person reads it, in Arabic and English.
    pub fn names(result: &str) -> Option<(&'static str, &'static str)> {
        let words = match result {
            ANSWERED => words::ANSWERED,
            NO_RECORD => words::NO_RECORD,
            NOT_VISIBLE => words::NOT_VISIBLE,
            KEY_REVOKED => words::KEY_REVOKED,
            KEY_EXPIRED => words::KEY_EXPIRED,
            SCOPE_NOT_GRANTED => words::SCOPE_NOT_GRANTED,
            RATE_LIMITED => words::RATE_LIMITED,
            INVALID => words::INVALID,
            _ => return None,
        };
        Some((words.ar, words.en))
    }
}

/// What an agency may ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Has this person been granted nationality, since when, and in which
    /// state is the family's application.
    NaturalizationStatus,
    /// Has this person's ID card been issued, and its number.
    CardStatus,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::NaturalizationStatus, Scope::CardStatus];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::NaturalizationStatus => "naturalization-status",
            Scope::CardStatus => "card-status",
        }
    }

    pub fn parse(name: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The scope's name as a person reads it, in Arabic and English.
    pub fn names(self) -> (&'static str, &'static str) {
        let words = match self {
            Scope::NaturalizationStatus => portal_words::NATURALIZATION_STATUS,
            Scope::CardStatus => portal_words::CARD_STATUS,
        };
        (words.ar, words.en)
    }
}

/// Errors of the portal, each with its own HTTP answer.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    /// No such key, or a revoked or expired one: all look alike outside.
    #[error("the key is unknown, revoked or expired")]
    Unauthorized,
    #[error("this key's agency may not use the scope {0}")]
    ScopeNotGranted(&'static str),
    #[error("the request is invalid")]
    Invalid(Vec<FieldError>),
    #[error("the agency's rate limit is reached; retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for PortalError {
    fn from(error: StoreError) -> PortalError {
        PortalError::App(error.into())
    }
}

/// A request refused for one field, in English only.
fn invalid(field: &str, message: &str) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, message)])
}

/// The items of a comma-separated list as stored (scopes, districts).
fn split(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}
