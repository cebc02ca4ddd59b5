//! What officers read: one case with the actions open to them, lists and
//! search, the audit trail, the work queue; and claiming work.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use crate::app::cases::Outcome;
use crate::app::{AppError, Engine};
use crate::domain::roles::Role;
use crate::store::StoreError;
use crate::store::audit::{self, AuditDraft};
use crate::store::cases::{self, LoadedCase};
use crate::store::entities::member;
use crate::store::queries::{self, AuditRow, CaseFilter, CaseSummary, SortKey};
use crate::workflow::machine::{ActionOption, local_date, options};
use crate::workflow::{Actor, Refusal, Workflow};

/// One case as an officer sees it.
pub struct CaseView {
    pub loaded: LoadedCase,
    pub workflow: Arc<Workflow>,
    pub people: Vec<member::Model>,
    pub options: Vec<ActionOption>,
    pub overdue: bool,
    /// Possible duplicates still to be decided.
    pub open_duplicates: i64,
}

/// Leadership reads statistics only, never a case or a person.
pub(crate) fn may_read_cases(actor: &Actor) -> Result<(), AppError> {
    if actor.roles.iter().all(|r| *r == Role::Leadership) {
        return Err(AppError::Refused(Refusal::RoleNotAllowed {
            action: "read_case".into(),
            roles: vec!["officers (leadership reads statistics only)".into()],
        }));
    }
    Ok(())
}

pub(crate) fn in_district(actor: &Actor, district: &str) -> Result<(), AppError> {
    if actor.district.as_deref().is_some_and(|d| d != district) {
        return Err(AppError::Refused(Refusal::OutsideDistrict {
            district: district.to_string(),
        }));
    }
    Ok(())
}

pub(crate) async fn load(
    engine: &Engine,
    reference: &str,
) -> Result<(LoadedCase, Arc<Workflow>), AppError> {
    let loaded = cases::read_case(&engine.store, reference)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound(format!("application {reference}")),
            other => other.into(),
        })?;
    let workflow = crate::app::cases::pinned_workflow(engine, &loaded)?;
    Ok((loaded, workflow))
}

pub async fn read(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<CaseView, AppError> {
    may_read_cases(actor)?;
    let (loaded, people, open_duplicates) = cases::read_case_with_people(&engine.store, reference)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound(format!("application {reference}")),
            other => other.into(),
        })?;
    let workflow = crate::app::cases::pinned_workflow(engine, &loaded)?;
    in_district(actor, &loaded.row.district)?;
    let options = options(&workflow, &loaded.case, actor, now);
    let overdue = loaded.row.due_on.is_some_and(|due| due < local_date(now));
    Ok(CaseView {
        loaded,
        workflow,
        people,
        options,
        overdue,
        open_duplicates,
    })
}

/// One page of a list, with the cursor of the next page.
pub struct Page {
    pub items: Vec<CaseSummary>,
    pub next: Option<(NaiveDate, i64)>,
}

pub async fn list(
    engine: &Engine,
    actor: &Actor,
    mut filter: CaseFilter,
    sort: SortKey,
    after: Option<(NaiveDate, i64)>,
    limit: u64,
) -> Result<Page, AppError> {
    may_read_cases(actor)?;
    if let Some(district) = &actor.district {
        if filter.district.as_ref().is_some_and(|d| d != district) {
            return Err(AppError::Refused(Refusal::OutsideDistrict {
                district: filter.district.clone().unwrap_or_default(),
            }));
        }
        filter.district = Some(district.clone());
    }
    let mut items = queries::list_cases(&engine.store, &filter, sort, after, limit + 1).await?;
    let next = if items.len() as u64 > limit {
        items.truncate(limit as usize);
        items.last().map(|last| (last.sort_value, last.id))
    } else {
        None
    };
    Ok(Page { items, next })
}

/// The states in which the actor's roles have some action to take.
pub fn actionable_states(workflow: &Workflow, actor: &Actor) -> BTreeSet<String> {
    let mine = |roles: &[Role]| roles.iter().any(|r| actor.roles.contains(r));
    let mut states = BTreeSet::new();
    for t in workflow.transitions.iter().filter(|t| mine(&t.roles)) {
        states.extend(t.from.iter().cloned());
    }
    for t in workflow
        .member
        .transitions
        .iter()
        .filter(|t| mine(&t.roles))
    {
        states.extend(t.case_states.iter().cloned());
    }
    states
}

/// Cases the actor may act on now, most overdue first.
pub async fn queue(engine: &Engine, actor: &Actor, limit: u64) -> Result<Page, AppError> {
    may_read_cases(actor)?;
    let mut states = BTreeSet::new();
    for workflow in engine.workflows.all() {
        states.extend(actionable_states(workflow, actor));
    }
    if states.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    }
    let filter = CaseFilter {
        states: states.into_iter().collect(),
        ..CaseFilter::default()
    };
    list(engine, actor, filter, SortKey::Due, None, limit).await
}

pub async fn audit_trail(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
) -> Result<Vec<AuditRow>, AppError> {
    may_read_cases(actor)?;
    let (loaded, _) = load(engine, reference).await?;
    in_district(actor, &loaded.row.district)?;
    Ok(queries::audit_trail(&engine.store, loaded.row.id).await?)
}

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
    let tx = engine.store.begin().await?;
    let (loaded, workflow) =
        crate::app::cases::load_for_change(engine, &tx, reference, expected_version).await?;
    in_district(actor, &loaded.row.district)?;
    let supervisor = actor.roles.contains(&Role::Supervisor);
    let (action, assignee) = match &assignment {
        Assignment::Claim => {
            if !actionable_states(&workflow, actor).contains(&loaded.case.state) {
                return Err(AppError::Refused(Refusal::NotAvailable {
                    action: "claim".into(),
                    state: loaded.case.state.clone(),
                }));
            }
            ("claim", Some(actor.id.clone()))
        }
        Assignment::AssignTo(user) => {
            if !supervisor {
                return Err(AppError::Refused(Refusal::RoleNotAllowed {
                    action: "assign".into(),
                    roles: vec![Role::Supervisor.to_string()],
                }));
            }
            // Only to an active officer who may act on this case in its district.
            let target = crate::store::users::by_name(&engine.store, user)
                .await?
                .filter(|u| u.revoked_at.is_none());
            let fits = target.as_ref().is_some_and(|u| {
                let officer = Actor {
                    id: u.name.clone(),
                    roles: u.roles.split(',').filter_map(Role::parse).collect(),
                    district: u.district.clone(),
                };
                officer
                    .district
                    .as_deref()
                    .is_none_or(|d| d == loaded.row.district)
                    && actionable_states(&workflow, &officer).contains(&loaded.case.state)
            });
            if !fits {
                return Err(AppError::Invalid(vec![
                    crate::domain::family::FieldError::bilingual(
                        "user",
                        "ليس موظفاً فعالاً يستطيع العمل على هذا الطلب في منطقته وحالته",
                        "is not an active officer who may act on this case in its district and state",
                    ),
                ]));
            }
            ("assign", Some(user.clone()))
        }
        Assignment::Release => {
            if !supervisor && loaded.row.assignee.as_deref() != Some(actor.id.as_str()) {
                return Err(AppError::Refused(Refusal::RoleNotAllowed {
                    action: "release".into(),
                    roles: vec!["the assignee".into(), Role::Supervisor.to_string()],
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
            payload: json!({ "assignee": assignee, "previous_assignee": loaded.row.assignee }),
        },
        loaded.row.audit_seq,
        &loaded.row.last_hash,
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
