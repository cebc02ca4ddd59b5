//! People's passwords: the rules a new one must meet, Argon2id hashing
//! and verification (slow on purpose, so off the async threads), and
//! setting one, which ends every session of its user.

use std::sync::OnceLock;

use argon2::password_hash::Error as HashError;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::app::{AppError, Engine};
use crate::domain::field_error::FieldError;
use crate::domain::words::fields;
use crate::store::{sessions, users};

/// The fewest characters a password may have.
pub const MIN_LENGTH: usize = 10;

/// The most bytes a password may have (Argon2 takes any length; this only
/// bounds the work one request can ask for).
pub const MAX_BYTES: usize = 1024;

/// Passwords refused as too common, one a line (compared without case).
const COMMON: &str = include_str!("common_passwords.txt");

/// Whether `password` is one of the most common passwords.
pub fn is_common(password: &str) -> bool {
    let lowered = password.to_lowercase();
    COMMON
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .any(|line| line.to_lowercase() == lowered)
}

/// Checks a new password for the user `name`: long enough, not the name
/// itself (in any case), not one of the most common.
pub fn check_rules(name: &str, password: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_LENGTH {
        return Err(FieldError::said(
            "password",
            fields::password_too_short(MIN_LENGTH),
        ));
    }
    if password.len() > MAX_BYTES {
        return Err(FieldError::said(
            "password",
            fields::password_too_long(MAX_BYTES),
        ));
    }
    if password.chars().any(char::is_control) {
        return Err(FieldError::said("password", fields::PASSWORD_HAS_CONTROL));
    }
    if password.to_lowercase() == name.to_lowercase() {
        return Err(FieldError::said("password", fields::PASSWORD_IS_THE_NAME));
    }
    if is_common(password) {
        return Err(FieldError::said("password", fields::PASSWORD_IS_COMMON));
    }
    Ok(())
}

/// Sets `name`'s password and ends all of that user's sessions, in one
/// transaction. Returns how many sessions were ended.
pub async fn set_password(engine: &Engine, name: &str, password: &str) -> Result<u64, AppError> {
    check_rules(name, password).map_err(|e| AppError::Invalid(vec![e]))?;
    let hash = hash(password.to_string()).await?;
    let tx = engine.store.begin().await?;
    if !users::set_password_hash(&tx, name, &hash).await? {
        return Err(AppError::NotFound(
            crate::domain::words::problems::no_active_user(name),
        ));
    }
    let ended = sessions::delete_for_user(&tx, name).await?;
    tx.commit().await?;
    Ok(ended)
}

/// The Argon2id hash (a PHC string) of `password` with a fresh salt.
pub(crate) async fn hash(password: String) -> Result<String, AppError> {
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AppError::unexpected(format!("no randomness: {e}")))?;
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password_with_salt(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::unexpected(format!("cannot hash a password: {e}")))
    })
    .await
    .map_err(|e| AppError::Unexpected(Box::new(e)))?
}

/// Whether `password` matches `hash`. Without a hash (no such user, or
/// none set) the same work is done against a stand-in, so that the time
/// taken does not tell whether the name exists; the answer is then false.
pub(crate) async fn verify(password: String, hash: Option<String>) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let argon2 = Argon2::default();
        let (hash, real) = match &hash {
            Some(hash) => (hash.as_str(), true),
            None => (stand_in()?, false),
        };
        match argon2.verify_password(password.as_bytes(), hash) {
            Ok(()) => Ok(real),
            Err(HashError::PasswordInvalid) => Ok(false),
            Err(e) => Err(AppError::unexpected(format!(
                "cannot verify a stored password hash: {e}"
            ))),
        }
    })
    .await
    .map_err(|e| AppError::Unexpected(Box::new(e)))?
}

/// A hash of no one's password with the same parameters as the real ones.
fn stand_in() -> Result<&'static str, AppError> {
    static STAND_IN: OnceLock<String> = OnceLock::new();
    if let Some(hash) = STAND_IN.get() {
        return Ok(hash);
    }
    let hash = Argon2::default()
        .hash_password_with_salt(b"no one's password", b"casework-stand-in")
        .map_err(|e| AppError::unexpected(format!("cannot hash the stand-in: {e}")))?
        .to_string();
    Ok(STAND_IN.get_or_init(|| hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, password: &str, expected: Option<&str>) {
        let got = check_rules(name, password).err().map(|e| e.message);
        match (got.as_deref(), expected) {
            (None, None) => {}
            (Some(message), Some(part)) if message.contains(part) => {}
            (got, _) => panic!("{name}/{password}: expected {expected:?}, got {got:?}"),
        }
    }

    #[test]
    fn a_password_is_long_enough_not_the_name_and_not_common() {
        check("clerk.one", "short", Some("too short"));
        check("clerk.one", "nine char", Some("too short"));
        check("clerk.one", "CLERK.ONE", Some("too short"));
        check("verifier.one", "VERIFIER.one", Some("user's name"));
        check("clerk.one", "Password123", Some("most common"));
        check("clerk.one", "QWERTYUIOP", Some("most common"));
        check("clerk.one", "correct horse battery", None);
        check("clerk.one", "عشرة محارف عربية", None);
        check("clerk.one", "tab\tinside here", Some("control"));
    }

    #[test]
    fn the_common_list_has_no_comment_lines_counted_and_enough_entries() {
        let entries = COMMON
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert!(entries >= 100, "{entries}");
        assert!(!is_common("# Passwords among the most used"));
    }
}
