//! Officers' bearer tokens: issued once, stored only as a hash.

use chrono::{DateTime, Utc};

use crate::app::accounts::{actor_of, check_name, is_secret, new_secret};
use crate::app::{AppError, Engine};
use crate::domain::digest::sha256_hex;
use crate::domain::roles::Role;
use crate::domain::text::Lines;
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
    /// The officer's full name, if one was given.
    pub full_name: Option<String>,
    pub revoked: bool,
}

impl UserSummary {
    /// How the pages name the officer to others: the full name, else the
    /// user name.
    pub fn shown(&self) -> &str {
        self.full_name.as_deref().unwrap_or(&self.name)
    }
}

/// A user to add: the user name they sign in with, their full name (as
/// colleagues read it), roles, district and office, and an address for
/// reminders.
#[derive(Clone, Copy, Debug, Default)]
pub struct NewOfficer<'a> {
    pub name: &'a str,
    pub full_name: Option<&'a str>,
    pub roles: &'a [Role],
    pub district: Option<&'a str>,
    pub office: Option<&'a str>,
    pub email: Option<&'a str>,
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
    add_officer(
        engine,
        &NewOfficer {
            name,
            full_name: None,
            roles,
            district,
            office,
            email,
        },
        now,
    )
    .await
}

/// Adds `officer` and returns their token, which is shown this once. A
/// full name is one line of at most 200 characters, trimmed; an empty one
/// is none.
pub async fn add_officer(
    engine: &Engine,
    officer: &NewOfficer<'_>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let NewOfficer {
        name,
        full_name,
        roles,
        district,
        office,
        email,
    } = *officer;
    check_name(name)?;
    let full_name = full_name.map(str::trim).filter(|n| !n.is_empty());
    if let Some(full_name) = full_name {
        crate::domain::text::check_text("full_name", full_name, Lines::One, FULL_NAME)
            .map_err(|e| AppError::Invalid(vec![e]))?;
    }
    if roles.is_empty() {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said(
                "role",
                crate::domain::words::fields::A_ROLE_IS_REQUIRED,
            ),
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
            crate::domain::field_error::FieldError::said(
                "email",
                crate::domain::words::fields::NOT_AN_EMAIL_ADDRESS,
            ),
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
            full_name,
        },
        now,
    )
    .await
    .map_err(|e| match e {
        StoreError::Duplicate(_) => {
            AppError::Duplicate(crate::domain::words::problems::user_exists(name))
        }
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
        Err(AppError::NotFound(
            crate::domain::words::problems::no_active_user(name),
        ))
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
            full_name: row.full_name.clone(),
            revoked: row.revoked_at.is_some(),
        })
        .collect())
}

/// The longest full name, in characters.
pub const FULL_NAME: usize = 200;

/// The full names of the users who have one, by user name: how the pages
/// name officers to others ([`Names::shown`]).
pub async fn names(engine: &Engine) -> Result<Names, AppError> {
    Ok(Names(
        users::list(&engine.store)
            .await?
            .into_iter()
            .filter_map(|row| row.full_name.map(|full| (row.name, full)))
            .collect(),
    ))
}

/// Officers' full names by user name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Names(pub std::collections::BTreeMap<String, String>);

impl Names {
    /// How `user` is named to others: their full name, else the user name
    /// itself (a program, a user with none, a name no user has).
    pub fn shown<'a>(&'a self, user: &'a str) -> &'a str {
        self.0.get(user).map(String::as_str).unwrap_or(user)
    }
}

/// A refusal that names the case's holder names them by their full name
/// (their user name beside it); any other error is as it was.
pub async fn name_the_holder(engine: &Engine, error: AppError) -> AppError {
    match error {
        AppError::Refused(crate::workflow::Refusal::HeldByAnother { holder }) => {
            let full = users::by_name(&engine.store, &holder)
                .await
                .ok()
                .flatten()
                .and_then(|u| u.full_name);
            AppError::Refused(crate::workflow::Refusal::HeldByAnother {
                holder: match full {
                    Some(full) => format!("{full} ({holder})"),
                    None => holder,
                },
            })
        }
        other => other,
    }
}
