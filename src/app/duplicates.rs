//! Possible duplicates as a verifier sees them: each flagged member beside
//! its candidate, and the decision to dismiss the flag or link the two as
//! the same person, recorded in the case's audit chain.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::app::access::{in_district, load, may_read_cases};
use crate::app::cases::Outcome;
use crate::app::{AppError, Engine, refused};
use crate::domain::audit::{self, AuditDraft};
use crate::domain::field_error::FieldError;
use crate::domain::roles::Role;
use crate::domain::text::{Lines, check_text, limit};
use crate::domain::words::fields;
use crate::store::cases;
use crate::store::duplicates::{self, DISMISSED, LINKED};

pub use crate::store::duplicates::{Flag, Person};
use crate::workflow::Actor;

/// One flag with both people.
pub struct Pair {
    pub flag: Flag,
    pub member: Option<Person>,
    pub candidate: Option<Person>,
}

/// The possible duplicates of an application, open and decided.
pub async fn list(engine: &Engine, reference: &str, actor: &Actor) -> Result<Vec<Pair>, AppError> {
    may_read_cases(actor)?;
    let loaded = load(engine, reference).await?;
    in_district(actor, reference, &loaded.record.district)?;
    pairs_of(engine, loaded.record.id).await
}

/// The possible duplicates of the application with this id, for a reader
/// already let in (see [`list`]).
pub(crate) async fn pairs_of(engine: &Engine, application_id: i64) -> Result<Vec<Pair>, AppError> {
    let flags = duplicates::of_application(engine.store.conn(), application_id).await?;
    let keys: Vec<(i64, i32)> = flags
        .iter()
        .flat_map(|f| {
            [
                (f.application_id, f.ordinal),
                (f.other_application_id, f.other_ordinal),
            ]
        })
        .collect();
    let people = duplicates::people(&engine.store, &keys).await?;
    let pairs = flags
        .into_iter()
        .map(|flag| Pair {
            // Cloned: two flags may name the same person.
            member: people.get(&(flag.application_id, flag.ordinal)).cloned(),
            candidate: people
                .get(&(flag.other_application_id, flag.other_ordinal))
                .cloned(),
            flag,
        })
        .collect();
    Ok(pairs)
}

/// What the verifier decided about a flag (`dismiss` or `link` in a form).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Two different people who look alike.
    Dismiss,
    /// The same person in two applications.
    Link,
}

impl Decision {
    pub fn status(self) -> &'static str {
        match self {
            Decision::Dismiss => DISMISSED,
            Decision::Link => LINKED,
        }
    }

    pub fn action(self) -> &'static str {
        match self {
            Decision::Dismiss => "dismiss_duplicate",
            Decision::Link => "link_duplicate",
        }
    }
}

/// The roles that decide on possible duplicates.
pub const DECIDERS: [Role; 2] = [Role::Verifier, Role::Supervisor];

/// Refuses whoever may not take `decision`: one who reads no case, or
/// whose roles do not decide on possible duplicates.
pub fn may_decide(actor: &Actor, decision: Decision) -> Result<(), AppError> {
    may_read_cases(actor)?;
    if !actor.roles.iter().any(|r| DECIDERS.contains(r)) {
        return Err(AppError::Refused(refused::role_not_allowed(
            decision.action(),
            &DECIDERS,
        )));
    }
    Ok(())
}

/// A decision as asked for.
pub struct DecisionRequest<'a> {
    pub reference: &'a str,
    pub flag_id: i64,
    pub decision: Decision,
    pub comment: Option<&'a str>,
    /// Whether a comment must be given (the pages ask for one; the API
    /// leaves it optional). Checked once the case is found and at the
    /// version expected.
    pub comment_required: bool,
    /// The case version from `If-Match`, if any.
    pub expected_version: Option<i64>,
}

/// Decides an open flag of `reference`, with an audit event on that case.
pub async fn decide(
    engine: &Engine,
    request: DecisionRequest<'_>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let DecisionRequest {
        reference,
        flag_id,
        decision,
        comment,
        comment_required,
        expected_version,
    } = request;
    if let Some(comment) = comment {
        check_text("comment", comment.trim(), Lines::Many, limit::COMMENT)
            .map_err(|e| AppError::Invalid(vec![e]))?;
    }
    may_decide(actor, decision)?;
    let tx = engine.store.begin().await?;
    let (loaded, _) =
        crate::app::cases::load_for_change(engine, &tx, actor, reference, expected_version).await?;
    if comment_required && comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(AppError::Invalid(vec![FieldError::said(
            "comment",
            fields::WRITE_WHY_YOU_DECIDE_SO,
        )]));
    }
    let flag = duplicates::of_application(&tx.inner, loaded.record.id)
        .await?
        .into_iter()
        .find(|f| f.id == flag_id)
        .ok_or_else(|| {
            AppError::NotFound(crate::domain::words::problems::no_possible_duplicate(
                flag_id, reference,
            ))
        })?;
    if !duplicates::decide(&tx, &flag, decision.status(), &actor.id, now).await? {
        return Err(AppError::Conflict);
    }
    let other = cases::reference_of(&tx, flag.other_application_id).await?;
    let mut payload = json!({
        "flag": flag.id,
        "reason": flag.reason,
        "member": flag.ordinal,
        "other_reference": other,
        "other_member": flag.other_ordinal,
    });
    if let Some(comment) = comment.map(str::trim).filter(|c| !c.is_empty()) {
        payload["comment"] = json!(comment);
    }
    let event = audit::seal(
        reference,
        AuditDraft {
            at: now,
            actor: actor.id.clone(),
            action: decision.action().into(),
            member: Some(flag.ordinal as u32),
            from_state: loaded.case.state.clone(),
            to_state: loaded.case.state.clone(),
            payload,
        },
        loaded.record.audit_seq,
        &loaded.record.last_hash,
    );
    // The assignee stays; the version moves and the event joins the chain.
    cases::save_assignee(&tx, &loaded, loaded.record.assignee.as_deref(), &event, now).await?;
    tx.commit().await?;
    Ok(Outcome {
        reference: reference.to_string(),
        version: loaded.case.version + 1,
        state: loaded.case.state.clone(),
        events: Vec::new(),
    })
}
