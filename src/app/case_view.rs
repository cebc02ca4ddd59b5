//! One case as an officer reads it: its members, documents and links, the
//! actions open to the reader, the labels its states and actions are shown
//! by, its audit trail, and the officers a supervisor may give it to.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::access::{absent, in_district, load, may_read_cases};
use crate::app::{AppError, Engine, refused};
use crate::domain::family::DocumentKind;
use crate::domain::roles::Role;
use crate::store::StoreError;
use crate::store::cases::{self};
use crate::store::queries::{self};
use crate::workflow::machine::{ActionOption, local_date, options};
use crate::workflow::{Actor, Workflow};

pub use crate::store::cases::{CaseRecord, PersonRecord};
pub use crate::store::queries::AuditRecord;

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
    /// Whether the reader may work the case in its state (the separation
    /// of duties leaves them some of its work): else there is nothing for
    /// them to claim.
    pub may_work: bool,
}

impl CaseView {
    /// Whom the case is named by, as its lists name it: the head of the
    /// family, else its first member (the person of a one-person case, who
    /// is no family's head), else its reference.
    pub fn display_name(&self) -> String {
        self.people
            .iter()
            .find(|p| p.relationship == crate::domain::family::Relationship::Head.as_str())
            .or(self.people.first())
            .map_or_else(
                || self.record.reference.clone(),
                |p| format!("{} {} {}", p.first_name, p.father_name, p.family_name),
            )
    }
}

/// A case at the other end of a link, as a case's page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseLink {
    pub reference: String,
    /// `name.vN` of the linked case's workflow.
    pub workflow: String,
    pub state: String,
    pub state_label: crate::domain::language::Text,
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
            || crate::domain::language::Text::of_code(&link.state),
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
pub fn action_labels(workflow: &Workflow, code: &str) -> crate::domain::language::Text {
    let labels = workflow.action_labels(code);
    if labels.en != code {
        return labels;
    }
    let named = refused::action(code);
    crate::domain::language::Text {
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
pub fn state_labels(engine: &Engine, name: &str) -> crate::domain::language::Text {
    engine
        .workflows
        .all()
        .iter()
        .find_map(|w| w.state(name))
        .map_or_else(
            || crate::domain::language::Text::of_code(name),
            |s| s.labels.clone(),
        )
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
        may_work: crate::workflow::duties::may_work(&workflow, &loaded.case, actor).is_ok(),
        record: loaded.record,
        workflow,
        people,
        options,
        overdue,
        open_duplicates,
    })
}

/// A case's audit trail, oldest first: for the officers who read the case
/// (in their district) and for auditors (of every district).
pub async fn audit_trail(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
) -> Result<Vec<AuditRecord>, AppError> {
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
