//! Signed-in sessions (stored by the hash of their id) and the count of
//! wrong passwords per name, both in the database so that every server
//! sharing it sees the same.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
};

use crate::store::entities::{session, signin_failure};
use crate::store::users::UserRecord;
use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// A signed-in session, as stored (by the hash of its id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRecord {
    /// The SHA-256 (hex) of the session id the cookie holds.
    pub id_hash: String,
    pub user_name: String,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl From<session::Model> for SessionRecord {
    fn from(row: session::Model) -> SessionRecord {
        SessionRecord {
            id_hash: row.id_hash,
            user_name: row.user_name,
            csrf_token: row.csrf_token,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
        }
    }
}
/// The wrong passwords counted for one name typed at sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailureRecord {
    /// The name as typed on the sign-in page.
    pub user_name: String,
    pub failures: i32,
    pub window_started_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    pub version: i64,
}

impl From<signin_failure::Model> for FailureRecord {
    fn from(row: signin_failure::Model) -> FailureRecord {
        FailureRecord {
            user_name: row.user_name,
            failures: row.failures,
            window_started_at: row.window_started_at,
            locked_until: row.locked_until,
            version: row.version,
        }
    }
}

/// A new session: the hash of its id, whose it is and its anti-forgery
/// token.
pub async fn insert(
    store: &Store,
    id_hash: &str,
    user_name: &str,
    csrf_token: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    session::Entity::insert(session::ActiveModel {
        id_hash: Set(id_hash.to_string()),
        user_name: Set(user_name.to_string()),
        csrf_token: Set(csrf_token.to_string()),
        created_at: Set(now),
        last_seen_at: Set(now),
    })
    .exec_without_returning(store.conn())
    .await?;
    Ok(())
}

/// The session with this id hash and its user, whatever their state (the
/// app checks the times and the revocation).
pub async fn find(
    store: &Store,
    id_hash: &str,
) -> Result<Option<(SessionRecord, Option<UserRecord>)>, StoreError> {
    let Some(row) = session::Entity::find_by_id(id_hash.to_string())
        .one(store.conn())
        .await?
    else {
        return Ok(None);
    };
    let user = crate::store::users::by_name(store, &row.user_name).await?;
    Ok(Some((row.into(), user)))
}

/// Records that the session was used at `now`.
pub async fn touch(store: &Store, id_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    session::Entity::update_many()
        .col_expr(session::Column::LastSeenAt, Expr::value(now))
        .filter(session::Column::IdHash.eq(id_hash))
        .exec(store.conn())
        .await?;
    Ok(())
}

/// Ends one session.
pub async fn delete(store: &Store, id_hash: &str) -> Result<(), StoreError> {
    session::Entity::delete_many()
        .filter(session::Column::IdHash.eq(id_hash))
        .exec(store.conn())
        .await?;
    Ok(())
}

/// Ends every session of `user_name`, in the caller's transaction.
pub async fn delete_for_user(tx: &Tx, user_name: &str) -> Result<u64, StoreError> {
    delete_for_user_on(&tx.inner, user_name).await
}

/// Ends every session of `user_name`, on its own.
pub async fn delete_for_user_now(store: &Store, user_name: &str) -> Result<u64, StoreError> {
    delete_for_user_on(store.conn(), user_name).await
}

async fn delete_for_user_on(
    conn: &impl ConnectionTrait,
    user_name: &str,
) -> Result<u64, StoreError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserName.eq(user_name))
        .exec(conn)
        .await?
        .rows_affected)
}

/// Deletes the sessions idle since before `idle_before` or created before
/// `created_before`, and the failure counts quiet since before
/// `quiet_before`; returns how many sessions went.
pub async fn purge(
    store: &Store,
    idle_before: DateTime<Utc>,
    created_before: DateTime<Utc>,
    quiet_before: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let sessions = session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::LastSeenAt.lt(idle_before))
                .add(session::Column::CreatedAt.lt(created_before)),
        )
        .exec(store.conn())
        .await?
        .rows_affected;
    let conn = store.conn();
    conn.execute_raw(statement(
        backend_of(conn),
        "DELETE FROM signin_failures WHERE window_started_at < $1 \
         AND (locked_until IS NULL OR locked_until < $2)",
        vec![quiet_before.into(), quiet_before.into()],
    ))
    .await?;
    Ok(sessions)
}

/// The wrong passwords counted for the name typed, if any.
pub async fn failures(store: &Store, user_name: &str) -> Result<Option<FailureRecord>, StoreError> {
    Ok(signin_failure::Entity::find_by_id(user_name.to_string())
        .one(store.conn())
        .await?
        .map(Into::into))
}

/// Writes `new` for its name if the stored row is still `old` (`None`:
/// there is none yet); false when another server wrote first, and nothing
/// was written.
pub async fn replace_failures(
    store: &Store,
    old: Option<&FailureRecord>,
    new: &FailureRecord,
) -> Result<bool, StoreError> {
    let conn = store.conn();
    let written = match old {
        None => conn
            .execute_raw(statement(
                backend_of(conn),
                "INSERT INTO signin_failures (user_name, failures, window_started_at, locked_until, version) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_name) DO NOTHING",
                vec![
                    new.user_name.clone().into(),
                    new.failures.into(),
                    new.window_started_at.into(),
                    new.locked_until.into(),
                    new.version.into(),
                ],
            ))
            .await?
            .rows_affected(),
        Some(old) => {
            signin_failure::Entity::update_many()
                .col_expr(signin_failure::Column::Failures, Expr::value(new.failures))
                .col_expr(
                    signin_failure::Column::WindowStartedAt,
                    Expr::value(new.window_started_at),
                )
                .col_expr(
                    signin_failure::Column::LockedUntil,
                    Expr::value(new.locked_until),
                )
                .col_expr(signin_failure::Column::Version, Expr::value(new.version))
                .filter(signin_failure::Column::UserName.eq(old.user_name.as_str()))
                .filter(signin_failure::Column::Version.eq(old.version))
                .exec(conn)
                .await?
                .rows_affected
        }
    };
    Ok(written == 1)
}

/// Forgets the wrong passwords counted for the name (a success).
pub async fn clear_failures(store: &Store, user_name: &str) -> Result<(), StoreError> {
    signin_failure::Entity::delete_many()
        .filter(signin_failure::Column::UserName.eq(user_name))
        .exec(store.conn())
        .await?;
    Ok(())
}
