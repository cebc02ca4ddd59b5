//! Page models: what one page of the workbench shows, read by one call.
//! The case is read once and the reader let in once (role, then district);
//! what the reader may not see is absent by rule (scans for a role that
//! does not handle them, the officers list for a non-supervisor), and any
//! other failure is the page's failure, never an empty list. A form's
//! model holds its choices (the kinds of application, the offices of the
//! reader's districts) and, for a form sent back, the engine's own errors
//! of what was sent. The dashboard's page models are in `dashboard`.

mod dashboard;

pub use dashboard::{
    BadDrill, DashboardError, DashboardPage, DashboardQuery, Figures, WhatIfPage, WorkflowFigures,
    dashboard_page, what_if_page,
};

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::case_view::{self, AuditRecord, CaseView};
use crate::app::documents::{VIEW, may_handle_scans};
use crate::app::duplicates::{Decision, Pair, pairs_of};
use crate::app::lists::{self, CaseSummary, ListQuery, Page, QueueQuery, SortKey, StageCount};
pub use crate::app::users::Names;
use crate::app::{AppError, Engine, access, cases, refused};
use crate::domain::calendar::local_date;
use crate::domain::family::ApplicationDraft;
use crate::domain::field_error::FieldError;
use crate::domain::language::Text;
use crate::domain::names::{normalise_for_search, parts_queries};
use crate::domain::places::{District, Office};
use crate::domain::roles::Role;
use crate::store::documents::ScanRecord;
use crate::workflow::{Actor, Workflow};

/// A case's page.
pub struct CasePage {
    /// The case, its people and the actions open to the reader.
    pub view: CaseView,
    /// Its audit trail, oldest first.
    pub history: Vec<AuditRecord>,
    /// Its possible duplicates, open and decided.
    pub duplicates: Vec<Pair>,
    /// Its scans; `None` for a reader whose role does not handle scans.
    pub scans: Option<Vec<ScanRecord>>,
    /// Whom a supervisor may give the case to (empty for anyone else).
    pub officers: Vec<String>,
    /// The workflow in which the reader may register a member missing
    /// from this family (a person never entered in a register, linked to
    /// the family's case): only on an open family case whose definition
    /// takes such members, for a reader who may open that workflow's cases
    /// in the case's district.
    pub register_missing: Option<Arc<Workflow>>,
    /// The officers' full names, by user name: how the holder, the
    /// history's actors and those officers are named.
    pub names: Names,
}

impl CasePage {
    /// When the case's scans were last purged by the retention rule.
    pub fn purged_at(&self) -> Option<DateTime<Utc>> {
        self.history
            .iter()
            .rev()
            .find(|e| e.action == crate::app::retention::PURGE)
            .map(|e| e.at)
    }

    /// Whether the case is closed: in a state its definition marks
    /// terminal.
    pub fn closed(&self) -> bool {
        self.view
            .workflow
            .state(&self.view.record.state)
            .is_some_and(|s| s.terminal)
    }

    /// Whether the reader may attach a scan here: one who handles scans,
    /// on a case that is not closed (whose papers are settled).
    pub fn takes_scans(&self) -> bool {
        self.scans.is_some() && !self.closed()
    }

    /// The newest event of the case's history (who changed it last).
    pub fn last_event(&self) -> Option<&AuditRecord> {
        self.history.last()
    }

    /// Why the case is where it is: the event that moved it into its
    /// state, when that carried a reason (a case returned to the
    /// applicant, sent back, rejected, withdrawn), with what it told.
    pub fn why_here(&self) -> Option<(&AuditRecord, Told)> {
        let entered = self
            .history
            .iter()
            .rev()
            .find(|e| e.from_state != e.to_state)?;
        let told = told(entered);
        (entered.to_state == self.view.record.state && told.reason.is_some())
            .then_some((entered, told))
    }
}

/// What an audit event tells a person besides its action: the reason and
/// the comment it carried, and the states the engine moved the case into
/// on its own after it (a family completed when its last card was handed
/// over).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Told {
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub automatic: Vec<String>,
}

/// What `event` tells, read from its payload (an event whose payload is
/// not a step's tells nothing more).
pub fn told(event: &AuditRecord) -> Told {
    let Ok(payload) = serde_json::from_str::<serde_json::Value>(&event.payload) else {
        return Told::default();
    };
    let text = |v: &serde_json::Value| {
        v.as_str()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let automatic = payload["events"]
        .as_array()
        .map(|events| {
            events
                .iter()
                .filter(|e| e["on"] == "case" && e["automatic"] == true)
                .filter_map(|e| e["to"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Told {
        reason: text(&payload["fields"]["reason"]),
        comment: text(&payload["comment"]),
        automatic,
    }
}

/// The case `reference` as `actor` sees it at `now`.
pub async fn case_page(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<CasePage, AppError> {
    let view = case_view::read(engine, reference, actor, now).await?;
    let id = view.record.id;
    let history = crate::store::queries::audit_trail(&engine.store, id).await?;
    let duplicates = pairs_of(engine, id).await?;
    let scans = match may_handle_scans(actor, VIEW) {
        Ok(()) => Some(crate::store::documents::of_case(&engine.store, id).await?),
        Err(_) => None,
    };
    let officers = if actor.roles.contains(&Role::Supervisor) {
        case_view::officers_for(
            engine,
            &view.workflow,
            &view.record.district,
            &view.record.state,
        )
        .await?
    } else {
        Vec::new()
    };
    let register_missing = missing_member_workflow(engine, &view, actor);
    let names = crate::app::users::names(engine).await?;
    Ok(CasePage {
        view,
        history,
        duplicates,
        scans,
        officers,
        register_missing,
        names,
    })
}

/// Where a member missing from the family of `view` is registered: the
/// newest one-person workflow whose cases join a family, when the family's
/// definition takes members, its case is open and `actor` may open a case
/// of that workflow in the case's district.
fn missing_member_workflow(
    engine: &Engine,
    view: &CaseView,
    actor: &Actor,
) -> Option<Arc<Workflow>> {
    use crate::domain::family::Persons;
    let family = &view.workflow;
    let open = family
        .state(&view.record.state)
        .is_some_and(|s| !s.terminal);
    if family.persons != Persons::Family || !open || !family.states.iter().any(|s| s.takes_members)
    {
        return None;
    }
    let names: BTreeSet<&str> = engine
        .workflows
        .all()
        .iter()
        .map(|w| w.name.as_str())
        .collect();
    names
        .into_iter()
        .filter_map(|name| engine.workflows.latest(name))
        .find(|w| {
            w.persons == Persons::One
                && w.states.iter().any(|s| s.joins_family)
                && cases::may_open(Some(engine), w, actor, &view.record.district).is_ok()
        })
}

/// The caller's work queue as a page: one page of cases, how many all
/// its pages hold, which states mean a case returned to its applicant
/// (they pause the clock: the case waits on the applicant), and what its
/// filters offer (the states the caller works, the offices of the
/// caller's districts).
pub struct QueuePage {
    pub cases: Page,
    pub total: i64,
    pub returned: BTreeSet<String>,
    pub states: BTreeSet<String>,
    pub offices: Vec<Office>,
    /// The officers' full names, by user name (the holders).
    pub names: Names,
}

/// What the queue's filters offer `actor`, with no cases (the page of a
/// refused query shows its filters again).
pub fn queue_choices(engine: &Engine, actor: &Actor) -> (BTreeSet<String>, Vec<Office>) {
    let mut states = BTreeSet::new();
    for workflow in engine.workflows.all() {
        states.extend(lists::worked_states(workflow, actor));
    }
    let offices = access::districts_of(engine, actor)
        .into_iter()
        .flat_map(|d| d.offices.iter().cloned())
        .collect();
    (states, offices)
}

/// The caller's queue as `query` asks for it.
pub async fn queue_page(
    engine: &Engine,
    actor: &Actor,
    query: QueueQuery,
    now: DateTime<Utc>,
) -> Result<QueuePage, AppError> {
    let total = lists::queue_count(engine, actor, &query, now).await?;
    let cases = lists::queue(engine, actor, query, now).await?;
    let (states, offices) = queue_choices(engine, actor);
    let returned = lists::returned_states(engine);
    let names = crate::app::users::names(engine).await?;
    Ok(QueuePage {
        cases,
        total,
        returned,
        states,
        offices,
        names,
    })
}

/// What the search box found.
pub enum SearchPage {
    /// Nothing was typed: the box alone.
    Empty,
    /// A name of more words than a search reads.
    TooManyWords,
    /// The first 50 cases found, oldest first (`next` says there are more).
    Found(Page),
}

/// What the search box holds: digits only (after folding Arabic-Indic
/// digits) are a national number when 11 long, digits around a slash a
/// register entry, anything else a name.
#[derive(Debug, PartialEq, Eq)]
enum Typed {
    Name(String),
    Register(String),
    National(String),
}

fn read_typed(typed: &str) -> Typed {
    let folded = normalise_for_search(typed).replace(' ', "");
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if folded.len() == 11 && digits(&folded) {
        return Typed::National(folded);
    }
    if let Some((book, entry)) = folded.split_once('/')
        && digits(book)
        && digits(entry)
    {
        return Typed::Register(folded);
    }
    Typed::Name(typed.to_string())
}

/// The cases `actor` finds by what was typed in the search box: a
/// member's name in any order and usual spelling, a register entry number
/// (`1203/45877`) or a national number (11 digits).
pub async fn search_page(
    engine: &Engine,
    actor: &Actor,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<SearchPage, AppError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(SearchPage::Empty);
    }
    let mut query = ListQuery {
        limit: 50,
        sort: SortKey::Age,
        ..ListQuery::default()
    };
    match read_typed(typed) {
        Typed::National(n) => query.national_number = Some(n),
        Typed::Register(n) => query.register_number = Some(n),
        Typed::Name(name) => {
            query.name_parts = parts_queries(&name);
            if query.name_parts.is_empty() {
                return Ok(SearchPage::TooManyWords);
            }
        }
    }
    let cases = lists::list(engine, actor, query, now).await?;
    Ok(SearchPage::Found(cases))
}

/// What the family form offers its reader: the kinds of application (the
/// newest version of each workflow, the default one first), the offices
/// of the reader's districts, and the engine's own errors of a form sent
/// back to be corrected.
pub struct FamilyFormPage {
    pub workflows: Vec<Arc<Workflow>>,
    /// The workflow chosen when none is typed.
    pub default_workflow: String,
    pub districts: Vec<District>,
    /// What the engine finds wrong in the attempt (none without one).
    pub errors: Vec<FieldError>,
}

impl FamilyFormPage {
    /// Whether the kind of application `name` is the chosen one: the one
    /// typed, else the default.
    pub fn is_chosen(&self, typed: &str, name: &str) -> bool {
        if typed.is_empty() {
            name == self.default_workflow
        } else {
            typed == name
        }
    }

    /// The workflow whose form is shown for what was typed: the one named,
    /// else the default (an unknown name shows the default's form, and the
    /// engine names the error beside the field).
    pub fn chosen(&self, typed: &str) -> Option<&Arc<Workflow>> {
        self.workflows
            .iter()
            .find(|w| self.is_chosen(typed, &w.name))
            .or_else(|| {
                self.workflows
                    .iter()
                    .find(|w| w.name == self.default_workflow)
            })
            .or(self.workflows.first())
    }
}

/// What the form of a person missing from a family starts with, read from
/// the family's case: the family case to link to, its office, the family
/// and father's name from its head, the mother's from the head's spouse.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MissingMember {
    pub family: String,
    pub office: String,
    pub father_name: String,
    pub family_name: String,
    pub mother_name: String,
}

/// The form that opens a case: the family form page, the workflow asked
/// for (`None`: the default) and, for a person missing from a family
/// (`family`), what the family's case tells about them.
pub struct NewFormPage {
    pub form: FamilyFormPage,
    pub missing: Option<MissingMember>,
}

/// The form that opens a case of `workflow` for `actor`; with `family`, a
/// person's case linked to that family's case and prefilled from it (the
/// family's case read as `actor` may read it).
pub async fn new_form_page(
    engine: &Engine,
    actor: &Actor,
    workflow: Option<&str>,
    family: Option<&str>,
    now: DateTime<Utc>,
) -> Result<NewFormPage, AppError> {
    let form = family_form_page(engine, actor, None, now)?;
    let chosen = cases::workflow_to_open(engine, workflow)?;
    let missing = match family {
        Some(reference) if chosen.persons == crate::domain::family::Persons::One => {
            let case = case_view::read(engine, reference, actor, now).await?;
            let relationship = |r: crate::domain::family::Relationship| {
                case.people.iter().find(|p| p.relationship == r.as_str())
            };
            let head = relationship(crate::domain::family::Relationship::Head);
            let spouse = relationship(crate::domain::family::Relationship::Spouse);
            Some(MissingMember {
                family: case.record.reference.clone(),
                office: case.record.office.clone(),
                father_name: head.map(|h| h.first_name.clone()).unwrap_or_default(),
                family_name: head.map(|h| h.family_name.clone()).unwrap_or_default(),
                mother_name: spouse
                    .map(|s| format!("{} {}", s.first_name, s.family_name))
                    .unwrap_or_default(),
            })
        }
        _ => None,
    };
    Ok(NewFormPage { form, missing })
}

/// A family form sent back to be corrected: the draft as read, and the
/// workflow typed (empty for the default one).
pub struct FamilyAttempt<'a> {
    pub draft: &'a ApplicationDraft,
    pub workflow: &'a str,
}

/// The family form for `actor`, who must be one who may open cases (and
/// so edit a family), with the engine's errors of `attempt`.
pub fn family_form_page(
    engine: &Engine,
    actor: &Actor,
    attempt: Option<FamilyAttempt<'_>>,
    now: DateTime<Utc>,
) -> Result<FamilyFormPage, AppError> {
    cases::may_open_cases(engine, actor)?;
    let mut workflows: Vec<_> = engine
        .workflows
        .all()
        .iter()
        .filter_map(|w| engine.workflows.latest(&w.name))
        .collect();
    workflows.sort_by_key(|w| (w.name != engine.settings.default_workflow, w.name.clone()));
    workflows.dedup_by(|a, b| a.name == b.name);
    let errors = match attempt {
        None => Vec::new(),
        Some(attempt) => {
            let persons =
                cases::workflow_to_open(engine, Some(attempt.workflow).filter(|w| !w.is_empty()))
                    .map(|w| w.persons)
                    .unwrap_or_default();
            attempt
                .draft
                .validate_as(local_date(now), &engine.places, persons)
                .err()
                .unwrap_or_default()
        }
    };
    Ok(FamilyFormPage {
        workflows,
        default_workflow: engine.settings.default_workflow.clone(),
        districts: access::districts_of(engine, actor)
            .into_iter()
            .cloned()
            .collect(),
        errors,
    })
}

/// The confirmation of a decision on a possible duplicate: the case, and
/// the flag with both people.
pub struct DuplicatePage {
    pub view: CaseView,
    pub pair: Pair,
    pub decision: Decision,
}

/// The flag `flag` of the case `reference`, for `actor` to confirm
/// `decision` on (`None` when what was asked is neither decision): who
/// does not decide on possible duplicates is refused before the case is
/// read, and the case is read (outside the reader's district it is absent)
/// before anything else is said.
pub async fn duplicate_page(
    engine: &Engine,
    reference: &str,
    flag: i64,
    decision: Option<Decision>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<DuplicatePage, AppError> {
    crate::app::duplicates::may_decide(actor, decision.unwrap_or(Decision::Dismiss))?;
    let view = case_view::read(engine, reference, actor, now).await?;
    let Some(decision) = decision else {
        return Err(AppError::Invalid(vec![FieldError::said(
            "decision",
            crate::domain::words::fields::NOT_A_DECISION,
        )]));
    };
    let pair = pairs_of(engine, view.record.id)
        .await?
        .into_iter()
        .find(|p| p.flag.id == flag)
        .ok_or_else(|| {
            AppError::NotFound(crate::domain::words::problems::no_duplicate_flag(
                flag, reference,
            ))
        })?;
    Ok(DuplicatePage {
        view,
        pair,
        decision,
    })
}

/// The form of a case's family, as it is now, with its history.
pub struct EditPage {
    pub form: FamilyFormPage,
    pub case: CaseView,
    /// Its audit trail, oldest first.
    pub history: Vec<AuditRecord>,
}

impl EditPage {
    /// What was done to the case after the event `seen` (its sequence
    /// number) that a form was opened at; without one, the newest event.
    pub fn changes_since(&self, seen: Option<i64>) -> &[AuditRecord] {
        let from = match seen {
            Some(seen) => self.history.partition_point(|e| e.seq <= seen),
            None => self.history.len().saturating_sub(1),
        };
        &self.history[from..]
    }
}

/// The family of the case `reference` for `actor` to edit: who may not
/// open cases is refused before the case is read.
pub async fn edit_page(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<EditPage, AppError> {
    let form = family_form_page(engine, actor, None, now)?;
    let case = case_view::read(engine, reference, actor, now).await?;
    let history = crate::store::queries::audit_trail(&engine.store, case.record.id).await?;
    Ok(EditPage {
        form,
        case,
        history,
    })
}

/// Where a person who signs in (or opens `/`) starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home {
    /// Their work queue: they work the cases of some state (or have no
    /// other home: an administrator's queue is empty, an auditor's refused).
    Queue,
    /// A supervisor who works no state: the district's work, the team.
    Team,
    /// Leadership, who reads statistics only: the dashboard.
    Dashboard,
}

/// Where `actor` starts.
pub fn home(engine: &Engine, actor: &Actor) -> Home {
    let works_some_state = engine
        .workflows
        .all()
        .iter()
        .any(|w| !lists::worked_states(w, actor).is_empty());
    if works_some_state {
        Home::Queue
    } else if actor.roles.contains(&Role::Supervisor) {
        Home::Team
    } else if actor.roles.contains(&Role::Leadership) {
        Home::Dashboard
    } else {
        Home::Queue
    }
}

/// An officer on a supervisor's team page: their user name, full name
/// and roles, and how many cases they hold.
pub struct TeamMember {
    pub name: String,
    pub full_name: Option<String>,
    pub roles: Vec<Role>,
    pub held: i64,
}

impl TeamMember {
    /// How the page names the officer: the full name, else the user name.
    pub fn shown(&self) -> &str {
        self.full_name.as_deref().unwrap_or(&self.name)
    }
}

/// What the team page is asked for.
pub enum TeamQuery {
    /// The team: each officer with the count of cases they hold.
    Everyone,
    /// The cases one officer holds.
    HeldBy(String),
    /// The dashboard's drill-down: the cases in this state, district and
    /// office (each optional).
    Cases {
        state: Option<String>,
        district: Option<String>,
        office: Option<String>,
    },
}

/// A supervisor's home: the district's work by stage, the officers with
/// what each holds, and the cases nobody holds, to give out.
pub struct TeamHome {
    /// Each state somebody works, in the definitions' order.
    pub stages: Vec<StageCount>,
    pub officers: Vec<TeamMember>,
    /// The first [`UNASSIGNED_SHOWN`] cases nobody holds, most overdue
    /// first.
    pub unassigned: Vec<CaseSummary>,
    /// More cases than those are unassigned.
    pub more_unassigned: bool,
}

/// How many of the cases nobody holds the supervisor's home lists.
pub const UNASSIGNED_SHOWN: u64 = 100;

/// A supervisor's team page, as its query asks.
pub enum TeamPage {
    Everyone(TeamHome),
    /// The first 200 cases the officer holds, the earliest due first, and
    /// how the officer is named (their full name, else their user name).
    HeldBy(Vec<CaseSummary>, String),
    /// The first 200 cases of the drill-down, the earliest due first, with
    /// the names of the district and the office asked for.
    Cases {
        cases: Vec<CaseSummary>,
        district: Option<Text>,
        office: Option<Text>,
    },
}

/// The team page `query` asks for; only a supervisor reads it.
pub async fn team_page(
    engine: &Engine,
    actor: &Actor,
    query: TeamQuery,
    now: DateTime<Utc>,
) -> Result<TeamPage, AppError> {
    if !actor.roles.contains(&Role::Supervisor) {
        return Err(AppError::Refused(refused::role_not_allowed(
            "team",
            &[Role::Supervisor],
        )));
    }
    let due_first = ListQuery {
        sort: SortKey::Due,
        limit: 200,
        ..ListQuery::default()
    };
    match query {
        TeamQuery::Everyone => {
            let unassigned = lists::unassigned(engine, actor, UNASSIGNED_SHOWN, now).await?;
            Ok(TeamPage::Everyone(TeamHome {
                stages: lists::stage_counts(engine, actor, now).await?,
                officers: team(engine, actor).await?,
                more_unassigned: unassigned.next.is_some(),
                unassigned: unassigned.items,
            }))
        }
        TeamQuery::HeldBy(officer) => {
            let shown = crate::app::users::names(engine)
                .await?
                .shown(&officer)
                .to_string();
            let query = ListQuery {
                assignee: Some(officer),
                ..due_first
            };
            let cases = lists::list(engine, actor, query, now).await?.items;
            Ok(TeamPage::HeldBy(cases, shown))
        }
        TeamQuery::Cases {
            state,
            district,
            office,
        } => {
            let query = ListQuery {
                state,
                district: district.clone(),
                office: office.clone(),
                ..due_first
            };
            let cases = lists::list(engine, actor, query, now).await?.items;
            Ok(TeamPage::Cases {
                cases,
                district: district.map(|code| engine.place_label(&code)),
                office: office.map(|code| engine.place_label(&code)),
            })
        }
    }
}

/// The supervisor's team: the officers who work cases in the supervisor's
/// district (everywhere for one of all districts), not revoked, by name,
/// each with the cases they hold. Leadership, administrators, auditors and
/// programs are not on it.
async fn team(engine: &Engine, actor: &Actor) -> Result<Vec<TeamMember>, AppError> {
    let held = lists::held_counts(engine, actor).await?;
    let works_cases = |role: &Role| {
        !matches!(
            role,
            Role::Leadership | Role::Admin | Role::Auditor | Role::System
        )
    };
    Ok(crate::app::users::list(engine)
        .await?
        .into_iter()
        .filter(|u| !u.revoked)
        .filter(|u| match (&actor.district, &u.district) {
            (Some(mine), Some(theirs)) => mine == theirs,
            (Some(_), None) => false,
            (None, _) => true,
        })
        .filter(|u| u.roles.iter().any(works_cases))
        .map(|u| TeamMember {
            held: held.get(&u.name).copied().unwrap_or(0),
            name: u.name,
            full_name: u.full_name,
            roles: u.roles,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(payload: &str) -> AuditRecord {
        AuditRecord {
            id: 1,
            application_id: 1,
            seq: 1,
            at: chrono::DateTime::UNIX_EPOCH,
            actor: "card_officer.one".into(),
            action: "hand_over_card".into(),
            member: Some(3),
            from_state: "card_issuance".into(),
            to_state: "completed".into(),
            payload: payload.into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn an_event_tells_its_reason_its_comment_and_the_engine_s_own_moves() {
        let said = told(&event(
            r#"{"events":[{"on":"member","member":3,"from":"printed","to":"collected","automatic":false},
                {"on":"case","from":"card_issuance","to":"completed","automatic":true}],
               "fields":{"collector_document":"ID 1","reason":"  "},"comment":" by the mother "}"#,
        ));
        assert_eq!(said.automatic, ["completed"]);
        assert_eq!(said.reason, None, "a blank reason tells nothing");
        assert_eq!(said.comment.as_deref(), Some("by the mother"));
        assert_eq!(told(&event("not json")), Told::default());
    }

    fn check(typed: &str, expected: Typed) {
        assert_eq!(read_typed(typed), expected, "{typed}");
    }

    #[test]
    fn the_search_box_reads_a_national_number_a_register_entry_or_a_name() {
        check("12345678901", Typed::National("12345678901".into()));
        check("١٢٣٤٥٦٧٨٩٠١", Typed::National("12345678901".into()));
        check("1203/45877", Typed::Register("1203/45877".into()));
        check("1203 / 45877", Typed::Register("1203/45877".into()));
        check("١٢٠٣/٤٥٨٧٧", Typed::Register("1203/45877".into()));
        check("محمد العلي", Typed::Name("محمد العلي".into()));
        check("1234", Typed::Name("1234".into()));
        check("123456789012", Typed::Name("123456789012".into()));
        check("1203/", Typed::Name("1203/".into()));
    }
}
