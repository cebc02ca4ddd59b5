//! People signed in with a name and a password: starting a session,
//! finding the person behind a session cookie, ending sessions, and
//! slowing down repeated wrong passwords for one name.
//!
//! A session id is 256 random bits that only the browser's cookie holds;
//! the database keeps its SHA-256, so a copy of the table opens nothing.
//! Everything is in the database, so every server sharing it honours the
//! same sessions and counts the same failures. Time is always passed in.

use chrono::{DateTime, Duration, Utc};

use crate::app::accounts::{actor_of, is_secret, new_secret};
use crate::app::{AppError, Engine, passwords};
use crate::domain::digest::sha256_hex;
use crate::store::sessions::{self, FailureRecord};
use crate::store::users;
use crate::workflow::Actor;

/// Wrong passwords for one name that lock it.
pub const FAILURES_BEFORE_LOCK: i32 = 5;

/// The window the wrong passwords are counted in, and the quiet time after
/// a lock after which the count starts over.
pub const FAILURE_WINDOW: Duration = Duration::minutes(15);

/// The longest a name is locked for.
pub const LONGEST_LOCK: Duration = Duration::minutes(60);

/// A session is used again at most this often without its last use
/// being written.
pub const TOUCH_EVERY: Duration = Duration::minutes(1);

/// How long sessions last.
#[derive(Clone, Copy, Debug)]
pub struct SessionSettings {
    /// Unused this long, a session ends (`CASEWORK_SESSION_IDLE_MINUTES`).
    pub idle: Duration,
    /// This long after sign-in, a session ends however busy
    /// (`CASEWORK_SESSION_HOURS`).
    pub absolute: Duration,
    /// The server is reached over https: cookies are `Secure`
    /// (`CASEWORK_HTTPS`).
    pub https: bool,
}

impl Default for SessionSettings {
    fn default() -> Self {
        SessionSettings {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
            https: false,
        }
    }
}

/// The person behind a live session, and the session's anti-forgery token.
#[derive(Clone, Debug)]
pub struct Session {
    pub actor: Actor,
    pub csrf: String,
}

/// What a sign-in came to.
#[derive(Debug)]
pub enum SignIn {
    /// The name and password were right: `cookie` is the session id to
    /// give the browser (shown this once, stored only as its hash).
    Started { cookie: String, session: Session },
    /// The name or the password was wrong (which one is never said).
    Refused,
    /// Too many wrong passwords for this name: try again after `wait`.
    Locked { wait: Duration },
}

/// Signs `name` in with `password` at `now`. Every attempt counts as a
/// failure for the name until the password proves right, so that attempts
/// sent at once cannot slip past the lock; a success forgets the count.
pub async fn sign_in(
    engine: &Engine,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<SignIn, AppError> {
    if crate::app::accounts::check_name(name).is_err() {
        // No such name can exist; the work is done all the same.
        passwords::verify(password.to_string(), None).await?;
        return Ok(SignIn::Refused);
    }
    let counted = match count_attempt(engine, name, now).await? {
        Attempt::Locked(wait) => return Ok(SignIn::Locked { wait }),
        Attempt::Counted(row) => row,
    };
    let user = users::by_name(&engine.store, name)
        .await?
        .filter(|u| u.revoked_at.is_none());
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let right = passwords::verify(password.to_string(), hash).await?;
    let Some(user) = user.filter(|_| right) else {
        return Ok(match counted.locked_until {
            Some(until) if until > now => SignIn::Locked { wait: until - now },
            _ => SignIn::Refused,
        });
    };
    sessions::clear_failures(&engine.store, name).await?;
    let cookie = new_secret("")?;
    let csrf = new_secret("")?;
    sessions::insert(
        &engine.store,
        &sha256_hex(cookie.as_bytes()),
        &user.name,
        &csrf,
        now,
    )
    .await?;
    Ok(SignIn::Started {
        cookie,
        session: Session {
            actor: actor_of(&user),
            csrf,
        },
    })
}

/// The person behind the session id `cookie` at `now`, if the session is
/// live: not idle too long, not too old, its user not revoked. An ended
/// session is deleted when found.
pub async fn session(
    engine: &Engine,
    cookie: &str,
    now: DateTime<Utc>,
) -> Result<Option<Session>, AppError> {
    if !is_secret(cookie, "") {
        return Ok(None);
    }
    let id_hash = sha256_hex(cookie.as_bytes());
    let Some((row, user)) = sessions::find(&engine.store, &id_hash).await? else {
        return Ok(None);
    };
    let limits = engine.settings.sessions;
    let live_user = user.filter(|u| u.revoked_at.is_none());
    let Some(user) = live_user
        .filter(|_| now - row.last_seen_at < limits.idle && now - row.created_at < limits.absolute)
    else {
        sessions::delete(&engine.store, &id_hash).await?;
        return Ok(None);
    };
    if now - row.last_seen_at >= TOUCH_EVERY {
        sessions::touch(&engine.store, &id_hash, now).await?;
    }
    Ok(Some(Session {
        actor: actor_of(&user),
        csrf: row.csrf_token,
    }))
}

/// Ends the session with id `cookie` (nothing when there is none).
pub async fn sign_out(engine: &Engine, cookie: &str) -> Result<(), AppError> {
    if is_secret(cookie, "") {
        sessions::delete(&engine.store, &sha256_hex(cookie.as_bytes())).await?;
    }
    Ok(())
}

/// Ends every session of `name` (a revocation or a new password).
pub async fn end_all(engine: &Engine, name: &str) -> Result<u64, AppError> {
    Ok(sessions::delete_for_user_now(&engine.store, name).await?)
}

/// Deletes the sessions that have ended by `now` and the failure counts
/// that no longer matter; the scheduler calls it every tick.
pub async fn purge_expired(engine: &Engine, now: DateTime<Utc>) -> Result<u64, AppError> {
    let limits = engine.settings.sessions;
    Ok(sessions::purge(
        &engine.store,
        now - limits.idle,
        now - limits.absolute,
        now - FAILURE_WINDOW,
    )
    .await?)
}

/// An attempt for a name: refused while it is locked, else counted.
enum Attempt {
    Locked(Duration),
    Counted(FailureRecord),
}

/// Counts one attempt for `name` at `now`, written only if no other
/// server wrote the count meanwhile (then it is read and counted again).
async fn count_attempt(
    engine: &Engine,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Attempt, AppError> {
    for _ in 0..8 {
        let old = sessions::failures(&engine.store, name).await?;
        if let Some(until) = old.as_ref().and_then(|o| o.locked_until)
            && until > now
        {
            return Ok(Attempt::Locked(until - now));
        }
        let new = after_attempt(old.as_ref(), name, now);
        if sessions::replace_failures(&engine.store, old.as_ref(), &new).await? {
            return Ok(Attempt::Counted(new));
        }
    }
    Err(AppError::Conflict)
}

/// The count after one more attempt at `now`. The count starts over when
/// the window has passed (or, after a lock, when the name has been quiet
/// for a window since the lock ended); from the fifth attempt in it, each
/// locks the name, for a minute and then twice as long each time, up to
/// an hour.
pub fn after_attempt(old: Option<&FailureRecord>, name: &str, now: DateTime<Utc>) -> FailureRecord {
    let carried = old.filter(|o| {
        let since = o.locked_until.unwrap_or(o.window_started_at);
        now - since < FAILURE_WINDOW
    });
    let failures = carried.map_or(1, |o| o.failures.saturating_add(1));
    FailureRecord {
        user_name: name.to_string(),
        failures,
        window_started_at: carried.map_or(now, |o| o.window_started_at),
        locked_until: (failures >= FAILURES_BEFORE_LOCK).then(|| now + lock_for(failures)),
        version: old.map_or(1, |o| o.version + 1),
    }
}

/// How long the `failures`-th wrong password in a window locks a name.
pub fn lock_for(failures: i32) -> Duration {
    let doublings = u32::try_from(failures - FAILURES_BEFORE_LOCK).unwrap_or(0);
    2_i64
        .checked_pow(doublings)
        .map(Duration::minutes)
        .map_or(LONGEST_LOCK, |d| d.min(LONGEST_LOCK))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, 8, 0, 0)
            .single()
            .map(|t| t + Duration::minutes(minute))
            .unwrap_or_default()
    }

    #[test]
    fn the_fifth_attempt_in_a_window_locks_for_a_minute_and_each_after_twice_as_long() {
        assert_eq!(lock_for(5), Duration::minutes(1));
        assert_eq!(lock_for(6), Duration::minutes(2));
        assert_eq!(lock_for(8), Duration::minutes(8));
        assert_eq!(lock_for(12), Duration::minutes(60));
        assert_eq!(lock_for(400), Duration::minutes(60));
        let mut row = None;
        for minute in 0..4 {
            let next = after_attempt(row.as_ref(), "x", at(minute));
            assert_eq!(next.locked_until, None);
            row = Some(next);
        }
        let fifth = after_attempt(row.as_ref(), "x", at(4));
        assert_eq!(fifth.failures, 5);
        assert_eq!(fifth.locked_until, Some(at(5)));
        let sixth = after_attempt(Some(&fifth), "x", at(5));
        assert_eq!(sixth.locked_until, Some(at(7)));
    }

    #[test]
    fn the_count_starts_over_after_the_window_or_a_quiet_window_after_a_lock() {
        let first = after_attempt(None, "x", at(0));
        let later = after_attempt(Some(&first), "x", at(15));
        assert_eq!((later.failures, later.window_started_at), (1, at(15)));
        let mut row = first;
        for minute in 1..5 {
            row = after_attempt(Some(&row), "x", at(minute));
        }
        assert_eq!(row.locked_until, Some(at(5)));
        assert_eq!(after_attempt(Some(&row), "x", at(19)).failures, 6);
        assert_eq!(after_attempt(Some(&row), "x", at(20)).failures, 1);
    }
}
