//! Officers and their token hashes.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::store::entities::user;
use crate::store::{Store, StoreError};

/// An officer or program that may use the engine, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRecord {
    pub id: i64,
    pub name: String,
    /// Comma-separated role names.
    pub roles: String,
    pub district: Option<String>,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub email: Option<String>,
    /// The office within `district` the user works at, if one is named.
    pub office: Option<String>,
    /// The password as an Argon2id PHC string, if one was set.
    pub password_hash: Option<String>,
    /// The officer's full name, as the pages name them to others.
    pub full_name: Option<String>,
}

impl From<user::Model> for UserRecord {
    fn from(row: user::Model) -> UserRecord {
        UserRecord {
            id: row.id,
            name: row.name,
            roles: row.roles,
            district: row.district,
            token_hash: row.token_hash,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
            email: row.email,
            office: row.office,
            password_hash: row.password_hash,
            full_name: row.full_name,
        }
    }
}

/// A user to store, as checked by the app.
pub struct NewUser<'a> {
    pub name: &'a str,
    /// Comma-separated role names.
    pub roles: &'a str,
    pub district: Option<&'a str>,
    pub office: Option<&'a str>,
    pub token_hash: &'a str,
    pub email: Option<&'a str>,
    pub full_name: Option<&'a str>,
}

pub async fn insert(
    store: &Store,
    new: &NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    user::Entity::insert(user::ActiveModel {
        name: Set(new.name.to_string()),
        roles: Set(new.roles.to_string()),
        district: Set(new.district.map(str::to_string)),
        office: Set(new.office.map(str::to_string)),
        token_hash: Set(new.token_hash.to_string()),
        created_at: Set(now),
        revoked_at: Set(None),
        email: Set(new.email.map(str::to_string)),
        full_name: Set(new.full_name.map(str::to_string)),
        ..Default::default()
    })
    .exec_without_returning(store.conn())
    .await?;
    Ok(())
}

/// The active user holding the token with this hash (from memory while
/// this process hears every change to `users`, see `Store::watch_users`).
pub async fn by_token_hash(
    store: &Store,
    token_hash: &str,
) -> Result<Option<UserRecord>, StoreError> {
    if let Some(row) = store.tokens.get(token_hash) {
        return Ok(Some(row));
    }
    let generation = store.tokens.generation();
    let row = user::Entity::find()
        .filter(user::Column::TokenHash.eq(token_hash))
        .filter(user::Column::RevokedAt.is_null())
        .one(store.conn())
        .await?
        .map(UserRecord::from);
    if let Some(row) = &row {
        store.tokens.put(token_hash, row, generation);
    }
    Ok(row)
}

/// Revokes `name`'s token; false when there was no active user of that name.
pub async fn revoke(store: &Store, name: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let result = user::Entity::update_many()
        .col_expr(user::Column::RevokedAt, Expr::value(Some(now)))
        .filter(user::Column::Name.eq(name))
        .filter(user::Column::RevokedAt.is_null())
        .exec(store.conn())
        .await?;
    // This process's own revocation holds at once, before the trigger's
    // notification comes back.
    store.tokens.invalidate();
    Ok(result.rows_affected > 0)
}

/// Active users with an email address: who reminders can reach.
pub async fn reachable(store: &Store) -> Result<Vec<UserRecord>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::RevokedAt.is_null())
        .filter(user::Column::Email.is_not_null())
        .order_by_asc(user::Column::Name)
        .all(store.conn())
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

pub async fn by_name(store: &Store, name: &str) -> Result<Option<UserRecord>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::Name.eq(name))
        .one(store.conn())
        .await?
        .map(Into::into))
}

pub async fn list(store: &Store) -> Result<Vec<UserRecord>, StoreError> {
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Name)
        .all(store.conn())
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// Sets `name`'s password hash, in the caller's transaction; false when
/// there is no active user of that name.
pub async fn set_password_hash(
    tx: &crate::store::Tx,
    name: &str,
    password_hash: &str,
) -> Result<bool, StoreError> {
    let result = user::Entity::update_many()
        .col_expr(
            user::Column::PasswordHash,
            Expr::value(Some(password_hash.to_string())),
        )
        .filter(user::Column::Name.eq(name))
        .filter(user::Column::RevokedAt.is_null())
        .exec(&tx.inner)
        .await?;
    Ok(result.rows_affected > 0)
}
