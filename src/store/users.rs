//! Officers and their token hashes.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::store::entities::user;
use crate::store::{Store, StoreError};

pub use user::Model as UserRow;

/// A user to store, as checked by the app.
pub struct NewUser<'a> {
    pub name: &'a str,
    /// Comma-separated role names.
    pub roles: &'a str,
    pub district: Option<&'a str>,
    pub office: Option<&'a str>,
    pub token_hash: &'a str,
    pub email: Option<&'a str>,
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
        ..Default::default()
    })
    .exec_without_returning(store.conn())
    .await?;
    Ok(())
}

/// The active user holding the token with this hash (from memory while
/// this process hears every change to `users`, see `Store::watch_users`).
pub async fn by_token_hash(store: &Store, token_hash: &str) -> Result<Option<UserRow>, StoreError> {
    if let Some(row) = store.tokens.get(token_hash) {
        return Ok(Some(row));
    }
    let generation = store.tokens.generation();
    let row = user::Entity::find()
        .filter(user::Column::TokenHash.eq(token_hash))
        .filter(user::Column::RevokedAt.is_null())
        .one(store.conn())
        .await?;
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
pub async fn reachable(store: &Store) -> Result<Vec<UserRow>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::RevokedAt.is_null())
        .filter(user::Column::Email.is_not_null())
        .order_by_asc(user::Column::Name)
        .all(store.conn())
        .await?)
}

pub async fn by_name(store: &Store, name: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::Name.eq(name))
        .one(store.conn())
        .await?)
}

pub async fn list(store: &Store) -> Result<Vec<UserRow>, StoreError> {
    Ok(user::Entity::find()
        .order_by_asc(user::Column::Name)
        .all(store.conn())
        .await?)
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
