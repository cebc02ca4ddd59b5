//! Officers' bearer tokens: issued once, stored only as a hash.

use chrono::{DateTime, Utc};

use crate::app::accounts::{actor_of, check_name, is_secret, new_secret};
use crate::app::{AppError, Engine};
use crate::domain::digest::sha256_hex;
use crate::domain::roles::Role;
use crate::store::StoreError;
use crate::store::users::{self, NewUser};
use crate::workflow::Actor;

/// Every token starts with this, so a leaked one is easy to recognise.
pub const TOKEN_PREFIX: &str = "cw_";

/// A user as listed to an operator (never with the token).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserSummary {
    pub name: String,
    pub roles: Vec<Role>,
    pub district: Option<String>,
    /// The office within the district, if one is named.
    pub office: Option<String>,
    pub revoked: bool,
}

/// Adds a user who works at no particular office and returns the token,
/// which is shown this once.
pub async fn add(
    engine: &Engine,
    name: &str,
    roles: &[Role],
    district: Option<&str>,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    add_at_office(engine, name, roles, district, None, email, now).await
}

/// Adds a user and returns the token, which is shown this once. An office
/// must be one of the places file's and belong to the user's one district:
/// an office without a district is refused.
pub async fn add_at_office(
    engine: &Engine,
    name: &str,
    roles: &[Role],
    district: Option<&str>,
    office: Option<&str>,
    email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    check_name(name)?;
    if roles.is_empty() {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::new("role", "at least one role is required"),
        ]));
    }
    if let Some(d) = district {
        engine
            .places
            .check_district("district", d)
            .map_err(|e| AppError::Invalid(vec![e]))?;
    }
    if let Some(o) = office {
        if district.is_none() {
            return Err(AppError::Invalid(vec![
                crate::domain::field_error::FieldError::said(
                    "office",
                    crate::domain::words::fields::office_needs_a_district(
                        o,
                        &engine.place_label(o),
                    ),
                ),
            ]));
        }
        engine
            .places
            .check_office("office", district, o)
            .map_err(|e| AppError::Invalid(vec![e]))?;
    }
    if let Some(e) = email
        && !crate::domain::field_error::looks_like_email(e)
    {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::new("email", "is not an email address"),
        ]));
    }
    let token = new_secret(TOKEN_PREFIX)?;
    let roles_text = roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",");
    users::insert(
        &engine.store,
        &NewUser {
            name,
            roles: &roles_text,
            district,
            office,
            token_hash: &sha256_hex(token.as_bytes()),
            email,
        },
        now,
    )
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => AppError::Duplicate(format!("user {name}")),
        other => other.into(),
    })?;
    Ok(token)
}

/// The actor a bearer token stands for, if it is a live token.
pub async fn authenticate(engine: &Engine, token: &str) -> Result<Option<Actor>, AppError> {
    if !is_secret(token, TOKEN_PREFIX) {
        return Ok(None);
    }
    let Some(row) = users::by_token_hash(&engine.store, &sha256_hex(token.as_bytes())).await?
    else {
        return Ok(None);
    };
    Ok(Some(actor_of(&row)))
}

/// Revokes `name`'s token and ends all of their sessions.
pub async fn revoke(engine: &Engine, name: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    if users::revoke(&engine.store, name, now).await? {
        // A session of a revoked user is refused anyway when it is next
        // used; deleting them now leaves nothing behind.
        crate::app::sessions::end_all(engine, name).await?;
        Ok(())
    } else {
        Err(AppError::NotFound(format!("active user {name}")))
    }
}

pub async fn list(engine: &Engine) -> Result<Vec<UserSummary>, AppError> {
    Ok(users::list(&engine.store)
        .await?
        .iter()
        .map(|row| UserSummary {
            name: row.name.clone(),
            roles: actor_of(row).roles,
            district: row.district.clone(),
            office: row.office.clone(),
            revoked: row.revoked_at.is_some(),
        })
        .collect())
}
