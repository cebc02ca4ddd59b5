//! Who may read which case: the roles that read cases, the districts an
//! officer works in, and one case read by its reference, refused exactly
//! as an absent one when it lies outside the caller's district.

use crate::app::{AppError, Engine, refused};
use crate::store::StoreError;
use crate::store::cases::{self, LoadedCase};
use crate::workflow::{Actor, Refusal};

pub use crate::store::cases::{CaseRecord, PersonRecord};
pub use crate::store::queries::AuditRecord;

/// The districts an actor works in: theirs, or all of them.
pub fn districts_of<'a>(
    engine: &'a Engine,
    actor: &Actor,
) -> Vec<&'a crate::domain::places::District> {
    engine
        .places
        .districts()
        .iter()
        .filter(|d| actor.district.as_ref().is_none_or(|mine| *mine == d.code))
        .collect()
}

/// Who reads cases and persons: a holder of a role that
/// [`Role::reads_cases`]. Leadership reads statistics only, auditors audit
/// trails and the access log only; both are refused before anything is read.
pub(crate) fn may_read_cases(actor: &Actor) -> Result<(), AppError> {
    if !actor.roles.iter().any(|r| r.reads_cases()) {
        return Err(AppError::Refused(Refusal::RoleNotAllowed {
            action: refused::action("read_case"),
            roles: vec![refused::case_officers()],
        }));
    }
    Ok(())
}

/// The answer to a reference that names no case, and to one that names a
/// case outside the caller's district: the two are the same error, so that
/// nobody can tell another district's cases from absent ones.
pub(crate) fn absent(reference: &str) -> AppError {
    AppError::NotFound(crate::domain::words::problems::no_case(reference))
}

/// Refuses a case outside the actor's district exactly as an absent one
/// ([`absent`]); checked right after the case is read, before its version
/// or its state.
pub(crate) fn in_district(actor: &Actor, reference: &str, district: &str) -> Result<(), AppError> {
    if actor.district.as_deref().is_some_and(|d| d != district) {
        return Err(absent(reference));
    }
    Ok(())
}

/// A case as stored, or [`absent`].
pub(crate) async fn load(engine: &Engine, reference: &str) -> Result<LoadedCase, AppError> {
    cases::read_case(&engine.store, reference)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => absent(reference),
            other => other.into(),
        })
}
