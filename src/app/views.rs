//! What officers read: one case with the actions open to them, lists and
//! search, the audit trail, the work queue; and claiming work.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use crate::app::cases::Outcome;
use crate::app::{AppError, Engine, refused};
use crate::domain::audit::{self, AuditDraft};
use crate::domain::family::DocumentKind;
use crate::domain::identifiers::{NationalNumber, RegisterNumber};
use crate::domain::names::PartsQuery;
use crate::domain::roles::Role;
use crate::domain::text::{Lines, check_text, limit};
use crate::store::StoreError;
use crate::store::cases::{self, LoadedCase};
use crate::store::queries::{self, CaseFilter};
use crate::workflow::definition::Labels;
use crate::workflow::machine::{ActionOption, local_date, options};
use crate::workflow::refusal::Named;
use crate::workflow::{Actor, Refusal, Workflow};

pub use crate::store::cases::{CaseRecord, PersonRecord};
pub use crate::store::queries::AuditRow;

/// One case as an officer sees it.
pub struct CaseView {
    pub record: CaseRecord,
    pub family_documents: Vec<DocumentKind>,
    pub workflow: Arc<Workflow>,
    pub people: Vec<PersonRecord>,
    pub options: Vec<ActionOption>,
    pub overdue: bool,
    /// Possible duplicates still to be decided.
    pub open_duplicates: i64,
    /// The family case a person's case is linked to, if any.
    pub linked_family: Option<CaseLink>,
    /// The persons' cases linked to a family's case.
    pub linked_persons: Vec<CaseLink>,
}

/// A case at the other end of a link, as a case's page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseLink {
    pub reference: String,
    /// `name.vN` of the linked case's workflow.
    pub workflow: String,
    pub state: String,
    pub state_label: crate::workflow::definition::Labels,
    pub linked_at: DateTime<Utc>,
    /// The person's member number in the family case, once they joined.
    pub joined_ordinal: Option<u32>,
    pub joined_at: Option<DateTime<Utc>>,
    /// The linked person's case is in a state that joins a family and the
    /// person has not joined yet.
    pub may_join: bool,
}

fn case_link(engine: &Engine, link: crate::store::case_links::LinkRecord) -> CaseLink {
    let workflow = u32::try_from(link.workflow_version)
        .ok()
        .and_then(|v| engine.workflows.get(&link.workflow_name, v));
    let may_join = link.joined_ordinal.is_none()
        && workflow
            .as_ref()
            .and_then(|w| w.state(&link.state))
            .is_some_and(|s| s.joins_family);
    CaseLink {
        may_join,
        workflow: format!("{}.v{}", link.workflow_name, link.workflow_version),
        state_label: workflow.map_or_else(
            || crate::workflow::definition::Labels::of_code(&link.state),
            |w| w.state_labels(&link.state),
        ),
        reference: link.reference,
        state: link.state,
        linked_at: link.linked_at,
        joined_ordinal: link.joined_ordinal.and_then(|o| u32::try_from(o).ok()),
        joined_at: link.joined_at,
    }
}

/// How a person reads an action recorded in a case's history or offered on
/// it: the definition's words for its own actions, the app's words for the
/// app's (opening, claiming, deciding a duplicate, ...).
pub fn action_labels(workflow: &Workflow, code: &str) -> crate::workflow::definition::Labels {
    let labels = workflow.action_labels(code);
    if labels.en != code {
        return labels;
    }
    let named = refused::action(code);
    crate::workflow::definition::Labels {
        ar: named.label.ar,
        en: named.label.en,
    }
}

/// The officers a supervisor may give a case in `state` of `district` to:
/// those not revoked, of that district or of all, whose roles work the
/// state; by name.
pub async fn officers_for(
    engine: &Engine,
    workflow: &Workflow,
    district: &str,
    state: &str,
) -> Result<Vec<String>, AppError> {
    let workers = workflow
        .state(state)
        .map(|s| s.worked_by.clone())
        .unwrap_or_default();
    let mut names: Vec<String> = crate::app::users::list(engine)
        .await?
        .into_iter()
        .filter(|u| !u.revoked)
        .filter(|u| u.district.as_deref().is_none_or(|d| d == district))
        .filter(|u| u.roles.iter().any(|r| workers.contains(r)))
        .map(|u| u.name)
        .collect();
    names.sort();
    Ok(names)
}

/// A case state's names, from the first definition that has the state
/// (an unknown name stands for itself).
pub fn state_labels(engine: &Engine, name: &str) -> crate::workflow::definition::Labels {
    engine
        .workflows
        .all()
        .iter()
        .find_map(|w| w.state(name))
        .map_or_else(
            || crate::workflow::definition::Labels::of_code(name),
            |s| s.labels.clone(),
        )
}

/// The districts an actor works in: theirs, or all of them.
pub fn districts_of<'a>(
    engine: &'a Engine,
    actor: &Actor,
) -> Vec<&'a crate::domain::places::District> {
    engine
        .places
        .districts()
        .iter()
        .filter(|d| actor.district.as_ref().is_none_or(|mine| *mine == d.code))
        .collect()
}

/// Who reads cases and persons: a holder of a role that
/// [`Role::reads_cases`]. Leadership reads statistics only, auditors audit
/// trails and the access log only; both are refused before anything is read.
pub(crate) fn may_read_cases(actor: &Actor) -> Result<(), AppError> {
    if !actor.roles.iter().any(|r| r.reads_cases()) {
        return Err(AppError::Refused(Refusal::RoleNotAllowed {
            action: refused::action("read_case"),
            roles: vec![refused::case_officers()],
        }));
    }
    Ok(())
}

/// The answer to a reference that names no case, and to one that names a
/// case outside the caller's district: the two are the same error, so that
/// nobody can tell another district's cases from absent ones.
pub(crate) fn absent(reference: &str) -> AppError {
    AppError::NotFound(format!("application {reference}"))
}

/// Refuses a case outside the actor's district exactly as an absent one
/// ([`absent`]); checked right after the case is read, before its version
/// or its state.
pub(crate) fn in_district(actor: &Actor, reference: &str, district: &str) -> Result<(), AppError> {
    if actor.district.as_deref().is_some_and(|d| d != district) {
        return Err(absent(reference));
    }
    Ok(())
}

/// A case as stored, or [`absent`].
pub(crate) async fn load(engine: &Engine, reference: &str) -> Result<LoadedCase, AppError> {
    cases::read_case(&engine.store, reference)
        .await
        .map_err(|e| match e {
            StoreError::NotFound => absent(reference),
            other => other.into(),
        })
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
            StoreError::NotFound => absent(reference),
            other => other.into(),
        })?;
    in_district(actor, reference, &loaded.record.district)?;
    let workflow = crate::app::cases::pinned_workflow(engine, &loaded)?;
    let options = options(&workflow, &loaded.case, actor, now);
    let overdue = loaded
        .record
        .due_on
        .is_some_and(|due| due < local_date(now));
    // Only a workflow whose cases can be linked asks for links.
    let linkable = workflow.persons == crate::domain::family::Persons::One
        || workflow.states.iter().any(|s| s.takes_members);
    let links = if linkable {
        crate::store::case_links::of_case(&engine.store, loaded.record.id).await?
    } else {
        Default::default()
    };
    Ok(CaseView {
        linked_family: links.family.map(|l| case_link(engine, l)),
        linked_persons: links
            .persons
            .into_iter()
            .map(|l| case_link(engine, l))
            .collect(),
        family_documents: loaded.case.family_documents.iter().copied().collect(),
        record: loaded.record,
        workflow,
        people,
        options,
        overdue,
        open_duplicates,
    })
}

/// How a list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Oldest submission first.
    #[default]
    Age,
    /// Earliest due date first; cases without one last.
    Due,
}

impl SortKey {
    /// `age` or `due`, as the API names them.
    pub fn parse(text: &str) -> Option<SortKey> {
        match text {
            "age" => Some(SortKey::Age),
            "due" => Some(SortKey::Due),
            _ => None,
        }
    }
}

/// Where the next page of a list starts: the sort value and id of the
/// last row shown, written `YYYYMMDD.id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub sort_value: NaiveDate,
    pub id: i64,
}

impl Cursor {
    /// A cursor as [`Cursor::to_text`] wrote it; `None` for anything else.
    pub fn parse(text: &str) -> Option<Cursor> {
        let (date, id) = text.split_once('.')?;
        Some(Cursor {
            sort_value: NaiveDate::parse_from_str(date, "%Y%m%d").ok()?,
            id: id.parse().ok()?,
        })
    }

    pub fn to_text(self) -> String {
        format!("{}.{}", self.sort_value.format("%Y%m%d"), self.id)
    }
}

/// What an officer asks a list for; every filter optional.
#[derive(Clone, Debug, Default)]
pub struct ListQuery {
    pub state: Option<String>,
    pub district: Option<String>,
    pub office: Option<String>,
    pub assignee: Option<String>,
    /// Only cases past their due date.
    pub overdue: bool,
    /// The ways of reading a typed name as name parts (see
    /// `domain::names::parts_queries`); a member matching any matches.
    pub name_parts: Vec<PartsQuery>,
    /// As typed (Arabic-Indic digits and spaces are read too).
    pub register_number: Option<String>,
    /// As typed.
    pub national_number: Option<String>,
    pub sort: SortKey,
    pub after: Option<Cursor>,
    /// 1 to 200.
    pub limit: u64,
}

/// A row of a case list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseSummary {
    pub reference: String,
    pub district: String,
    /// The district's Arabic and English names.
    pub district_label: Labels,
    pub office: String,
    /// The office's Arabic and English names.
    pub office_label: Labels,
    pub state: String,
    pub assignee: Option<String>,
    pub submitted_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    pub version: i64,
    /// The head of the family's first, father's and family name.
    pub head_name: Option<String>,
    /// Calendar days since the case entered its state (Syria's dates).
    pub days_in_state: i64,
}

/// One page of a list, with the cursor of the next page.
pub struct Page {
    pub items: Vec<CaseSummary>,
    pub next: Option<Cursor>,
}

pub async fn list(
    engine: &Engine,
    actor: &Actor,
    query: ListQuery,
    now: DateTime<Utc>,
) -> Result<Page, AppError> {
    may_read_cases(actor)?;
    let today = local_date(now);
    let mut filter = CaseFilter {
        states: query.state.into_iter().collect(),
        district: query.district,
        office: query.office,
        assignee: query.assignee,
        due_before: query.overdue.then_some(today),
        name_parts: query.name_parts,
        // Typed the way officers type them (Arabic-Indic digits, spaces).
        register_number: query
            .register_number
            .map(|n| RegisterNumber::parse(&n).map_or(n, |p| p.as_str().to_string())),
        national_number: query
            .national_number
            .map(|n| NationalNumber::parse(&n).map_or(n, |p| p.as_str().to_string())),
        unassigned: false,
    };
    page(
        engine,
        actor,
        &mut filter,
        query.sort,
        query.after,
        query.limit,
        today,
    )
    .await
}

/// A page of the cases `filter` selects, within the actor's district.
async fn page(
    engine: &Engine,
    actor: &Actor,
    filter: &mut CaseFilter,
    sort: SortKey,
    after: Option<Cursor>,
    limit: u64,
    today: NaiveDate,
) -> Result<Page, AppError> {
    let unknown = engine
        .places
        .check_filter(filter.district.as_deref(), filter.office.as_deref());
    if !unknown.is_empty() {
        return Err(AppError::Invalid(unknown));
    }
    if let Some(district) = &actor.district {
        if filter.district.as_ref().is_some_and(|d| d != district) {
            return Err(AppError::Refused(refused::outside_district(
                engine,
                filter.district.as_deref().unwrap_or_default(),
            )));
        }
        filter.district = Some(district.clone());
    }
    let sort = match sort {
        SortKey::Age => queries::SortKey::Age,
        SortKey::Due => queries::SortKey::Due,
    };
    let after = after.map(|c| (c.sort_value, c.id));
    let mut rows = queries::list_cases(&engine.store, filter, sort, after, limit + 1).await?;
    let next = if rows.len() as u64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|last| Cursor {
            sort_value: last.sort_value,
            id: last.id,
        })
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|c| CaseSummary {
            overdue: c.due_on.is_some_and(|d| d < today),
            reference: c.reference,
            district_label: engine.place_label(&c.district),
            district: c.district,
            office_label: engine.place_label(&c.office),
            office: c.office,
            state: c.state,
            assignee: c.assignee,
            submitted_on: c.submitted_on,
            due_on: c.due_on,
            version: c.version,
            head_name: c.head_name,
            days_in_state: (today - local_date(c.state_entered_at)).num_days().max(0),
        })
        .collect();
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

/// The states whose cases the actor works: those whose `worked_by` names
/// one of the actor's roles (the roles whose action moves the case on).
pub fn worked_states(workflow: &Workflow, actor: &Actor) -> BTreeSet<String> {
    workflow
        .states
        .iter()
        .filter(|s| s.worked_by.iter().any(|r| actor.roles.contains(r)))
        .map(|s| s.name.clone())
        .collect()
}

/// Whose cases a work queue lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Holder {
    /// Held by anyone or nobody.
    #[default]
    Anyone,
    /// Held by the caller.
    Me,
    /// Held by nobody: free to claim.
    Nobody,
}

/// What an officer asks the work queue for; every filter optional.
#[derive(Clone, Debug, Default)]
pub struct QueueQuery {
    /// One of the states the caller works.
    pub state: Option<String>,
    pub office: Option<String>,
    /// Only cases past their due date.
    pub overdue: bool,
    pub holder: Holder,
    pub after: Option<Cursor>,
    /// 1 to 200.
    pub limit: u64,
}

/// The caller's work: the cases in the states the caller works, in the
/// caller's district, most overdue first (earliest due date; cases with
/// none last), a page at a time.
pub async fn queue(
    engine: &Engine,
    actor: &Actor,
    query: QueueQuery,
    now: DateTime<Utc>,
) -> Result<Page, AppError> {
    may_read_cases(actor)?;
    let mut worked = BTreeSet::new();
    for workflow in engine.workflows.all() {
        worked.extend(worked_states(workflow, actor));
    }
    if let Some(state) = &query.state
        && !worked.contains(state)
    {
        let label = |name: &str, arabic: bool| {
            let labels = state_labels(engine, name);
            if arabic { labels.ar } else { labels.en }
        };
        let list = |arabic: bool, separator: &str| {
            let names: Vec<String> = worked.iter().map(|s| label(s, arabic)).collect();
            if names.is_empty() {
                if arabic {
                    "لا شيء".to_string()
                } else {
                    "none".to_string()
                }
            } else {
                names.join(separator)
            }
        };
        return Err(AppError::Invalid(vec![
            crate::domain::family::FieldError::bilingual(
                "state",
                format!(
                    "ليست من الحالات التي تعمل عليها؛ حالاتك: {}",
                    list(true, "، ")
                ),
                format!("is not a state you work; yours are: {}", list(false, ", ")),
            ),
        ]));
    }
    let states: Vec<String> = match query.state {
        Some(state) => vec![state],
        None => worked.into_iter().collect(),
    };
    if states.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    }
    let today = local_date(now);
    let mut filter = CaseFilter {
        states,
        office: query.office,
        due_before: query.overdue.then_some(today),
        assignee: (query.holder == Holder::Me).then(|| actor.id.clone()),
        unassigned: query.holder == Holder::Nobody,
        ..CaseFilter::default()
    };
    page(
        engine,
        actor,
        &mut filter,
        SortKey::Due,
        query.after,
        query.limit,
        today,
    )
    .await
}

/// How many cases each officer holds in the actor's district (everywhere
/// for an actor of all districts), by officer.
pub async fn held_counts(
    engine: &Engine,
    actor: &Actor,
) -> Result<std::collections::HashMap<String, i64>, AppError> {
    may_read_cases(actor)?;
    Ok(
        queries::held_counts(&engine.store, actor.district.as_deref())
            .await?
            .into_iter()
            .collect(),
    )
}

/// A case's audit trail, oldest first: for the officers who read the case
/// (in their district) and for auditors (of every district).
pub async fn audit_trail(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
) -> Result<Vec<AuditRow>, AppError> {
    let auditor = actor.roles.contains(&Role::Auditor);
    if !auditor {
        may_read_cases(actor)?;
    }
    let loaded = load(engine, reference).await?;
    if !auditor {
        in_district(actor, reference, &loaded.record.district)?;
    }
    Ok(queries::audit_trail(&engine.store, loaded.record.id).await?)
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
            if !actionable_states(&workflow, actor).contains(&loaded.case.state) {
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
                    && actionable_states(&workflow, officer).contains(&loaded.case.state)
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
            // Nor to someone the separation rules keep from the state's work.
            if let Some(officer) = &officer {
                crate::workflow::duties::may_work(&workflow, &loaded.case, officer)
                    .map_err(AppError::Refused)?;
            }
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
