//! What officers' accounts and agencies' keys share: their names, the
//! shape of a new secret, and the actor a stored user stands for.

use crate::app::AppError;
use crate::domain::roles::Role;
use crate::store::users::UserRecord;
use crate::workflow::Actor;

/// A new secret: `prefix` and 64 random hex digits (officers' tokens
/// `cw_…`, agencies' keys `ag_…`).
pub(crate) fn new_secret(prefix: &str) -> Result<String, AppError> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| AppError::unexpected(format!("no randomness: {e}")))?;
    let mut secret = String::from(prefix);
    for byte in bytes {
        secret.push_str(&format!("{byte:02x}"));
    }
    Ok(secret)
}

/// Whether `secret` has the shape [`new_secret`] gives with `prefix`.
pub(crate) fn is_secret(secret: &str, prefix: &str) -> bool {
    secret.starts_with(prefix) && secret.len() == prefix.len() + 64
}

/// A user's or an agency's name: 1 to 64 letters, digits, dots,
/// underscores or hyphens.
pub(crate) fn check_name(name: &str) -> Result<(), AppError> {
    use crate::domain::text::{Lines, check_text, limit};
    check_text("name", name, Lines::One, limit::ACCOUNT).map_err(|e| AppError::Invalid(vec![e]))?;
    let ok = !name.is_empty()
        && name.len() <= limit::ACCOUNT
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said(
                "name",
                crate::domain::words::fields::ACCOUNT_NAME_FORM,
            ),
        ]))
    }
}

/// The actor a user row stands for, whichever way they came in.
pub(crate) fn actor_of(row: &UserRecord) -> Actor {
    Actor {
        id: row.name.clone(),
        roles: row.roles.split(',').filter_map(Role::parse).collect(),
        district: row.district.clone(),
    }
}
