//! Who holds a case: claiming it, a supervisor's assignment, letting go.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::app::access::may_read_cases;
use crate::app::cases::Outcome;
use crate::app::lists::worked_states;
use crate::app::{AppError, Engine, refused};
use crate::domain::audit::{self, AuditDraft};
use crate::domain::roles::Role;
use crate::domain::text::{Lines, check_text, limit};
use crate::store::cases::{self};
use crate::workflow::refusal::Named;
use crate::workflow::{Actor, Refusal};

pub use crate::store::cases::{CaseRecord, PersonRecord};
pub use crate::store::queries::AuditRecord;

/// How the assignee changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Assignment {
    /// The actor takes the case.
    Claim,
    /// A supervisor gives the case to someone.
    AssignTo(String),
    /// The assignee (or a supervisor) lets go of the case.
    Release,
}

pub async fn assign(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    assignment: Assignment,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    may_read_cases(actor)?;
    // A malformed name is the request's fault whatever the case's version.
    let supervisor = actor.roles.contains(&Role::Supervisor);
    if let Assignment::AssignTo(user) = &assignment {
        // Only supervisors assign, whatever the case.
        if !supervisor {
            return Err(AppError::Refused(refused::role_not_allowed(
                "assign",
                &[Role::Supervisor],
            )));
        }
        check_text("user", user, Lines::One, limit::ACCOUNT)
            .map_err(|e| AppError::Invalid(vec![e]))?;
    }
    let tx = engine.store.begin().await?;
    let (loaded, workflow) =
        crate::app::cases::load_for_change(engine, &tx, actor, reference, expected_version).await?;
    let (action, assignee) = match &assignment {
        Assignment::Claim => {
            if let Some(holder) = &loaded.record.assignee
                && *holder != actor.id
                && !supervisor
            {
                let held = AppError::Refused(Refusal::HeldByAnother {
                    holder: holder.clone(),
                });
                // Nothing was written: the transaction ends before the
                // holder's name is read.
                drop(tx);
                return Err(crate::app::users::name_the_holder(engine, held).await);
            }
            // A claim, a supervisor's taking over without acting included,
            // is for a state one of the actor's roles works: holds follow
            // the work (a supervisor who works none assigns or releases).
            if !worked_states(&workflow, actor).contains(&loaded.case.state) {
                return Err(AppError::Refused(Refusal::NotAvailable {
                    action: refused::action("claim"),
                    state: Named::labelled(
                        &loaded.case.state,
                        &workflow.state_labels(&loaded.case.state),
                    ),
                }));
            }
            // Not a case whose state's work the rules keep from them.
            crate::workflow::duties::may_work(&workflow, &loaded.case, actor)
                .map_err(AppError::Refused)?;
            ("claim", Some(actor.id.clone()))
        }
        Assignment::AssignTo(user) => {
            // Only to an active officer who may act on this case in its district.
            let target = crate::store::users::by_name(&engine.store, user)
                .await?
                .filter(|u| u.revoked_at.is_none());
            let officer = target.as_ref().map(|u| Actor {
                id: u.name.clone(),
                roles: u.roles.split(',').filter_map(Role::parse).collect(),
                district: u.district.clone(),
            });
            let fits = officer.as_ref().is_some_and(|officer| {
                officer
                    .district
                    .as_deref()
                    .is_none_or(|d| d == loaded.record.district)
            });
            let Some(officer) = officer.filter(|_| fits) else {
                return Err(AppError::Invalid(vec![
                    crate::domain::field_error::FieldError::said(
                        "user",
                        crate::domain::words::fields::NOT_AN_OFFICER_FOR_THE_CASE,
                    ),
                ]));
            };
            // Only to someone whose roles work the case's state: holds
            // follow the work, whoever gives them.
            if !worked_states(&workflow, &officer).contains(&loaded.case.state) {
                let state = workflow.state(&loaded.case.state);
                return Err(AppError::Refused(Refusal::NotWorkedBy {
                    officer: officer.id.clone(),
                    state: Named::labelled(
                        &loaded.case.state,
                        &workflow.state_labels(&loaded.case.state),
                    ),
                    roles: state
                        .map(|s| s.worked_by.iter().copied().map(Named::role).collect())
                        .unwrap_or_default(),
                }));
            }
            // Nor to someone the separation rules keep from the state's work.
            crate::workflow::duties::may_work(&workflow, &loaded.case, &officer)
                .map_err(AppError::Refused)?;
            ("assign", Some(user.clone()))
        }
        Assignment::Release => {
            if !supervisor && loaded.record.assignee.as_deref() != Some(actor.id.as_str()) {
                return Err(AppError::Refused(Refusal::RoleNotAllowed {
                    action: refused::action("release"),
                    roles: vec![refused::the_assignee(), Named::role(Role::Supervisor)],
                }));
            }
            ("release", None)
        }
    };
    let event = audit::seal(
        reference,
        AuditDraft {
            at: now,
            actor: actor.id.clone(),
            action: action.into(),
            member: None,
            from_state: loaded.case.state.clone(),
            to_state: loaded.case.state.clone(),
            payload: json!({ "assignee": assignee, "previous_assignee": loaded.record.assignee }),
        },
        loaded.record.audit_seq,
        &loaded.record.last_hash,
    );
    cases::save_assignee(&tx, &loaded, assignee.as_deref(), &event, now).await?;
    tx.commit().await?;
    Ok(Outcome {
        reference: reference.to_string(),
        version: loaded.case.version + 1,
        state: loaded.case.state.clone(),
        events: Vec::new(),
    })
}

/// The most cases one assignment of several may name.
pub const MAX_AT_ONCE: usize = 200;

/// A case picked for an assignment of several: its reference and the
/// version it was shown at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Picked {
    pub reference: String,
    pub version: Option<i64>,
}

/// What an assignment of several cases did.
pub enum Several {
    /// No officer was named.
    NobodyChosen,
    /// No case was picked.
    NoCaseChosen,
    /// More than [`MAX_AT_ONCE`] cases were picked; none was assigned.
    TooMany,
    /// Each case picked, in order, with its assignment's outcome or why
    /// it was refused.
    Done(Vec<(String, Result<Outcome, AppError>)>),
}

impl Several {
    /// How many of the cases were assigned.
    pub fn assigned(&self) -> usize {
        match self {
            Several::Done(done) => done.iter().filter(|(_, r)| r.is_ok()).count(),
            _ => 0,
        }
    }
}

/// A supervisor gives each case of `picked` to `user`, one [`assign`]
/// each (its own checks, transaction and audit event): a case refused
/// leaves the others assigned. Anyone but a supervisor is refused before
/// anything is read.
pub async fn assign_several(
    engine: &Engine,
    actor: &Actor,
    user: &str,
    picked: &[Picked],
    now: DateTime<Utc>,
) -> Result<Several, AppError> {
    may_read_cases(actor)?;
    if !actor.roles.contains(&Role::Supervisor) {
        return Err(AppError::Refused(refused::role_not_allowed(
            "assign",
            &[Role::Supervisor],
        )));
    }
    let user = user.trim();
    if user.is_empty() {
        return Ok(Several::NobodyChosen);
    }
    if picked.is_empty() {
        return Ok(Several::NoCaseChosen);
    }
    if picked.len() > MAX_AT_ONCE {
        return Ok(Several::TooMany);
    }
    let mut done = Vec::with_capacity(picked.len());
    for case in picked {
        if done.iter().any(|(r, _)| *r == case.reference) {
            continue;
        }
        let outcome = assign(
            engine,
            &case.reference,
            actor,
            Assignment::AssignTo(user.to_string()),
            case.version,
            now,
        )
        .await;
        done.push((case.reference.clone(), outcome));
    }
    Ok(Several::Done(done))
}
