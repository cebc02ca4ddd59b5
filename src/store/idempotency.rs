//! Stored first outcomes of requests sent with an `Idempotency-Key`.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

use crate::store::entities::idempotency_key;
use crate::store::{Store, StoreError, Tx};

/// The first outcome of a request sent with an `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub user_name: String,
    pub key: String,
    pub fingerprint: String,
    pub outcome: String,
    pub created_at: DateTime<Utc>,
}

impl From<idempotency_key::Model> for IdempotencyRecord {
    fn from(row: idempotency_key::Model) -> IdempotencyRecord {
        IdempotencyRecord {
            user_name: row.user_name,
            key: row.key,
            fingerprint: row.fingerprint,
            outcome: row.outcome,
            created_at: row.created_at,
        }
    }
}

pub async fn find(
    tx: &Tx,
    user_name: &str,
    key: &str,
) -> Result<Option<IdempotencyRecord>, StoreError> {
    Ok(idempotency_key::Entity::find()
        .filter(idempotency_key::Column::UserName.eq(user_name))
        .filter(idempotency_key::Column::Key.eq(key))
        .one(&tx.inner)
        .await?
        .map(Into::into))
}

/// [`find`] outside a transaction (a request whose step goes to the
/// committer).
pub async fn find_in_store(
    store: &Store,
    user_name: &str,
    key: &str,
) -> Result<Option<IdempotencyRecord>, StoreError> {
    Ok(idempotency_key::Entity::find()
        .filter(idempotency_key::Column::UserName.eq(user_name))
        .filter(idempotency_key::Column::Key.eq(key))
        .one(store.conn())
        .await?
        .map(Into::into))
}

pub async fn insert(
    tx: &Tx,
    user_name: &str,
    key: &str,
    fingerprint: &str,
    outcome: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    idempotency_key::Entity::insert(idempotency_key::ActiveModel {
        user_name: Set(user_name.to_string()),
        key: Set(key.to_string()),
        fingerprint: Set(fingerprint.to_string()),
        outcome: Set(outcome.to_string()),
        created_at: Set(now),
    })
    .exec_without_returning(&tx.inner)
    .await?;
    Ok(())
}
