//! Opening a case and acting on it; `builder` builds whole cases in
//! memory for bulk loads.

mod builder;
mod join;
mod once;

pub use builder::CaseBuilder;
pub use join::join_family;
pub use once::{perform_once, perform_request};

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Utc};
use serde_json::json;

use crate::app::{AppError, Engine, refused};
use crate::domain::audit::{self, AuditDraft, SealedEvent};
use crate::domain::family::{ApplicationDraft, Persons};
use crate::domain::field_error::FieldError;
use crate::domain::roles::Role;
use crate::store::cases::{self, LoadedCase, NewCase, OutboxDraft, StepWrite};
use crate::store::{NATIONAL_NUMBER_TAKEN, StoreError, Tx, duplicates};
use crate::workflow::duties::{self};
use crate::workflow::machine::{Event, Step, local_date};
use crate::workflow::refusal::Named;
use crate::workflow::sla::Timing;
use crate::workflow::{Actor, Case, Command, Refusal, Workflow, decide};

/// The audit actions recorded when a case is opened and when it is brought
/// in from an earlier register (named beside their labels).
pub use crate::app::refused::{CREATED, IMPORTED};

/// A case just opened or changed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Outcome {
    pub reference: String,
    pub version: i64,
    pub state: String,
    pub events: Vec<Event>,
}

/// Whether `actor` may open cases at all under the default workflow (the
/// new family form asks before it is shown).
pub fn may_open_cases(engine: &Engine, actor: &Actor) -> Result<(), AppError> {
    let workflow = engine
        .workflows
        .latest(&engine.settings.default_workflow)
        .ok_or_else(|| {
            AppError::NotFound(crate::domain::words::problems::no_workflow(
                &engine.settings.default_workflow,
            ))
        })?;
    may_open_role(&workflow, actor)
}

/// Whether `actor` holds a role that may open a case under `workflow`:
/// whoever may act on a case in the initial state may open one.
fn may_open_role(workflow: &Workflow, actor: &Actor) -> Result<(), AppError> {
    let roles: BTreeSet<Role> = workflow
        .transitions
        .iter()
        .filter(|t| t.from.contains(&workflow.initial))
        .flat_map(|t| t.roles.iter().copied())
        .collect();
    if !actor
        .roles
        .iter()
        .any(|r| roles.contains(r) || *r == Role::System)
    {
        let roles: Vec<Role> = roles.into_iter().collect();
        return Err(AppError::Refused(refused::role_not_allowed(
            CREATED, &roles,
        )));
    }
    Ok(())
}

/// Whether `actor` may open a case in `district`; `engine`, when given,
/// names a district outside the actor's by its place names.
pub(crate) fn may_open(
    engine: Option<&Engine>,
    workflow: &Workflow,
    actor: &Actor,
    district: &str,
) -> Result<(), AppError> {
    may_open_role(workflow, actor)?;
    if actor.district.as_deref().is_some_and(|d| d != district) {
        return Err(AppError::Refused(match engine {
            Some(engine) => refused::outside_district(engine, district),
            None => Refusal::OutsideDistrict {
                district: Named::unlabelled(district),
            },
        }));
    }
    Ok(())
}

/// The audit event of one decided step.
pub(super) fn seal_step(
    reference: &str,
    before: &Case,
    step: &Step,
    actor: &Actor,
    command: &Command,
    now: DateTime<Utc>,
    (prev_seq, prev_hash): (i64, String),
) -> SealedEvent {
    let mut payload = json!({ "events": step.events });
    if !step.fields.is_empty() {
        payload["fields"] = json!(step.fields);
    }
    if let Some(comment) = command.comment.as_deref().filter(|c| !c.trim().is_empty()) {
        payload["comment"] = json!(comment);
    }
    if !step.effects.is_empty() {
        payload["effects"] = json!(step.effects);
    }
    audit::seal(
        reference,
        AuditDraft {
            at: now,
            actor: actor.id.clone(),
            action: command.action.clone(),
            member: command.member,
            from_state: before.state.clone(),
            to_state: step.next.state.clone(),
            payload,
        },
        prev_seq,
        &prev_hash,
    )
}

/// The audit events of a step on a stored case: the step's own, after a
/// `claim` (or a supervisor's `take_over`) when the actor came to hold the
/// case by acting, and before a `release` when the case left the states
/// its holder works. Chained onto `last` in that order.
fn seal_with_holds(
    reference: &str,
    before: &Case,
    step: &Step,
    actor: &Actor,
    command: &Command,
    now: DateTime<Utc>,
    last: (i64, String),
) -> Vec<SealedEvent> {
    let hold = |action: &str,
                state: &str,
                assignee: Option<&str>,
                previous_assignee: Option<&str>,
                previous: (i64, String)| {
        audit::seal(
            reference,
            AuditDraft {
                at: now,
                actor: actor.id.clone(),
                action: action.to_string(),
                member: None,
                from_state: state.to_string(),
                to_state: state.to_string(),
                payload: json!({
                    "assignee": assignee,
                    "previous_assignee": previous_assignee,
                    "automatic": true,
                }),
            },
            previous.0,
            &previous.1,
        )
    };
    let mut events = Vec::with_capacity(3);
    let mut last = last;
    let took_over = step.taken_over_from.is_some();
    if took_over || (step.next.holder != before.holder && step.next.holder.is_some()) {
        let action = if before.holder.is_none() {
            HOLD_CLAIM
        } else {
            HOLD_TAKE_OVER
        };
        let claimed = hold(
            action,
            &before.state,
            Some(actor.id.as_str()),
            before.holder.as_deref(),
            last,
        );
        last = (claimed.seq, claimed.hash.clone());
        events.push(claimed);
    }
    let event = seal_step(reference, before, step, actor, command, now, last);
    last = (event.seq, event.hash.clone());
    events.push(event);
    if step.next.holder.is_none() && (before.holder.is_some() || took_over) {
        let previous = if took_over {
            Some(actor.id.as_str())
        } else {
            before.holder.as_deref()
        };
        events.push(hold(HOLD_RELEASE, &step.next.state, None, previous, last));
    }
    events
}

/// The audit actions of holds: taking an unheld case, a supervisor taking
/// over another officer's, and letting go.
pub const HOLD_CLAIM: &str = "claim";
pub const HOLD_TAKE_OVER: &str = "take_over";
pub const HOLD_RELEASE: &str = "release";

pub(super) fn outbox_rows(reference: &str, step: &Step) -> Vec<OutboxDraft> {
    step.effects
        .iter()
        .map(|effect| OutboxDraft {
            kind: effect.kind().to_string(),
            // The state the case reached, so a mail sent later tells what happened then.
            payload: json!({ "reference": reference, "state": step.next.state, "effect": effect }),
        })
        .collect()
}

/// What a new case starts under besides what was typed: the workflow
/// (the default one when `None`) and, for a one-person case, the family
/// case the person belongs to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Opening {
    pub workflow: Option<String>,
    pub family: Option<String>,
}

/// The newest version of the workflow `name` (the default one when
/// `None`); an unknown name is refused as the field `workflow`.
pub fn workflow_to_open(engine: &Engine, name: Option<&str>) -> Result<Arc<Workflow>, AppError> {
    let Some(name) = name else {
        return engine
            .workflows
            .latest(&engine.settings.default_workflow)
            .ok_or_else(|| {
                AppError::NotFound(crate::domain::words::problems::no_workflow(
                    &engine.settings.default_workflow,
                ))
            });
    };
    engine.workflows.latest(name).ok_or_else(|| {
        let known: Vec<String> = engine
            .workflows
            .all()
            .iter()
            .map(|w| w.name.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        AppError::Invalid(vec![FieldError::said(
            "workflow",
            crate::domain::words::cases::no_such_workflow(name, &known),
        )])
    })
}

/// Opens a case from what was typed at the counter, under the default
/// workflow.
pub async fn create(
    engine: &Engine,
    draft: &ApplicationDraft,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    create_as(engine, draft, &Opening::default(), actor, now).await
}

/// Opens a case from what was typed at the counter, under the workflow
/// `opening` names, linked to the family case it names.
pub async fn create_as(
    engine: &Engine,
    draft: &ApplicationDraft,
    opening: &Opening,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    let workflow = workflow_to_open(engine, opening.workflow.as_deref())?;
    // Who may not open cases hears so before the family is checked.
    may_open_role(&workflow, actor)?;
    let application = draft
        .validate_as(local_date(now), &engine.places, workflow.persons)
        .map_err(AppError::Invalid)?;
    may_open(Some(engine), &workflow, actor, &application.district)?;
    if opening.family.is_some() && workflow.persons != Persons::One {
        return Err(AppError::Invalid(vec![FieldError::said(
            "family",
            crate::domain::words::cases::ONLY_ONE_PERSON_JOINS,
        )]));
    }
    let tx = engine.store.begin().await?;
    let family_id = match &opening.family {
        Some(family) => Some(join::linkable_family(engine, &tx, actor, family).await?),
        None => None,
    };
    let reference = cases::next_reference(
        &tx,
        &engine.settings.reference_prefix,
        application.submitted_on.year(),
    )
    .await?;
    let builder = CaseBuilder::open_linked(
        workflow,
        engine.calendar.clone(),
        reference.clone(),
        application,
        actor,
        "intake",
        opening.family.as_deref(),
        now,
    )?;
    let new = builder.finish();
    let outcome = Outcome {
        reference,
        version: new.case.version,
        state: new.case.state.clone(),
        events: Vec::new(),
    };
    let ids = cases::insert_cases(&tx, std::slice::from_ref(&new)).await?;
    if let (Some(family_id), Some(person_id)) = (family_id, ids.first()) {
        crate::store::case_links::link(&tx, *person_id, family_id, now).await?;
    }
    duplicates::detect(&tx, &ids, now).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Replaces the family and its documents while the case is still being put
/// together (the initial state, or back with the applicant). Members go
/// back to the member track's initial state; the district cannot change.
pub async fn edit(
    engine: &Engine,
    reference: &str,
    draft: &ApplicationDraft,
    actor: &Actor,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    crate::app::access::may_read_cases(actor)?;
    // Every field is checked before the case is read; the rules of whom a
    // case covers (a family's head, one person) once its workflow is known.
    if let Err(errors) = draft.validate_in(local_date(now), &engine.places) {
        let fields: Vec<_> = errors
            .into_iter()
            .filter(|e| e.field != "members")
            .collect();
        if !fields.is_empty() {
            return Err(AppError::Invalid(fields));
        }
    }
    let tx = engine.store.begin().await?;
    // The case (absent or outside the district alike), then who may edit
    // it, then its version.
    let (loaded, workflow) = load_for_change(engine, &tx, actor, reference, None).await?;
    let application = draft
        .validate_as(local_date(now), &engine.places, workflow.persons)
        .map_err(AppError::Invalid)?;
    may_open(Some(engine), &workflow, actor, &loaded.record.district)?;
    expect_version(&loaded, expected_version)?;
    let editable = loaded.case.state == workflow.initial
        || workflow
            .state(&loaded.case.state)
            .is_some_and(|s| s.pauses_clock);
    if !editable {
        return Err(AppError::Refused(Refusal::NotAvailable {
            action: refused::action("edit"),
            state: Named::labelled(
                &loaded.case.state,
                &workflow.state_labels(&loaded.case.state),
            ),
        }));
    }
    // Editing the family is intake work: the separation rules may keep
    // someone who did another duty on the case from it.
    duties::check(
        &workflow,
        &loaded.case.duties,
        &actor.id,
        duties::EDIT_FAMILY,
        &loaded.case.state,
    )
    .map_err(AppError::Refused)?;
    if application.district != loaded.record.district {
        return Err(AppError::Invalid(vec![FieldError::said(
            "district",
            crate::domain::words::cases::no_move_between_districts(&loaded.record.district),
        )]));
    }
    let reference_owned = reference.to_string();
    let new_workflow = workflow.clone();
    let built = CaseBuilder::open(
        workflow,
        engine.calendar.clone(),
        reference_owned.clone(),
        application,
        actor,
        "edit",
        now,
    )?;
    let mut new = built.finish();
    new.case.version = loaded.case.version + 1;
    new.case.state = loaded.case.state.clone();
    new.case.duties = loaded.case.duties.clone();
    duties::record(
        &new_workflow,
        &mut new.case.duties,
        &actor.id,
        duties::EDIT_FAMILY,
        &loaded.case.state,
    );
    let event = audit::seal(
        reference,
        AuditDraft {
            at: now,
            actor: actor.id.clone(),
            action: "edit_family".into(),
            member: None,
            from_state: loaded.case.state.clone(),
            to_state: loaded.case.state.clone(),
            payload: json!({
                "members_before": loaded.case.members.len(),
                "members_after": new.case.members.len(),
                "family_documents": new.case.family_documents,
            }),
        },
        loaded.record.audit_seq,
        &loaded.record.last_hash,
    );
    cases::replace_family(&tx, &loaded, &new.case, &new.people, &new.meta, &event, now).await?;
    duplicates::forget_open(&tx, loaded.record.id).await?;
    duplicates::detect(&tx, &[loaded.record.id], now).await?;
    tx.commit().await?;
    Ok(Outcome {
        reference: reference_owned,
        version: new.case.version,
        state: new.case.state,
        events: Vec::new(),
    })
}

/// Stores many cases built in memory in one transaction.
/// Whether a bulk load looks for possible duplicates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DuplicateCheck {
    /// Real families: flag them (intake, import, the demo).
    Flag,
    /// One family copied many times (the transition benchmark).
    Skip,
}

/// Stores many cases built in memory in one transaction, and flags their
/// possible duplicates. Returns the number of flags raised.
pub async fn store_built(
    engine: &Engine,
    built: &[NewCase],
    check: DuplicateCheck,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let tx = engine.store.begin().await?;
    let flags = insert_built(&tx, built, check, now).await?;
    tx.commit().await?;
    engine.store.bulk_loaded(built.len() as u64).await?;
    Ok(flags)
}

/// Inserts many cases built in memory in the open transaction `tx` and
/// flags their possible duplicates, exactly as [`store_built`] does, but
/// leaves committing (or, for a dry run, rolling back) to the caller.
/// Returns the number of flags raised.
pub(crate) async fn insert_built(
    tx: &Tx,
    built: &[NewCase],
    check: DuplicateCheck,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let ids = cases::insert_cases(tx, built).await?;
    Ok(match check {
        DuplicateCheck::Flag => duplicates::detect(tx, &ids, now).await?,
        DuplicateCheck::Skip => 0,
    })
}

/// Performs `command` on the case `reference` as `actor`.
///
/// With `expected_version` (HTTP `If-Match`), a case at another version is
/// refused with [`AppError::StaleVersion`] and nothing changes. Without it,
/// the version read still guards the write, so two officers acting at once
/// never overwrite each other. How the case is read and the step written
/// (one transaction, one statement, the committer) is the store's choice
/// ([`cases::step`]).
pub async fn perform(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    command: &Command,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    crate::app::access::may_read_cases(actor)?;
    check_command_text(command)?;
    let acted = act(
        engine,
        reference,
        actor,
        command,
        expected_version,
        None,
        now,
    )
    .await?;
    match acted {
        cases::Stepped::Written(outcome) => Ok(outcome),
        cases::Stepped::Replayed(_) => Err(AppError::unexpected(
            "a step without a key was answered as a replay",
        )),
    }
}

/// Refuses a command whose fields or comment hold a character no field
/// accepts or are too long, before anything is read or written.
fn check_command_text(command: &Command) -> Result<(), AppError> {
    let mut problems = command.text_problems();
    problems.extend(command_shape_problems(command));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems))
    }
}

/// What is wrong with the shape of a command for several members: a
/// member named besides them, a member named twice, or one national
/// number given to two of them.
fn command_shape_problems(command: &Command) -> Vec<FieldError> {
    use crate::domain::words::cases as words;
    let mut problems = Vec::new();
    if command.each.is_empty() {
        return problems;
    }
    if command.member.is_some() {
        problems.push(FieldError::said("members", words::MEMBER_OR_MEMBERS.text()));
    }
    let mut seen = BTreeSet::new();
    if command.each.iter().any(|part| !seen.insert(part.member)) {
        problems.push(FieldError::said("members", words::A_MEMBER_TWICE.text()));
    }
    let mut numbers = BTreeSet::new();
    let twice = command
        .one_by_one()
        .iter()
        .filter_map(|c| {
            c.fields
                .get("national_number")
                .map(|n| n.trim().to_string())
        })
        .any(|n| !numbers.insert(n));
    if twice {
        problems.push(FieldError::said(
            "national_number",
            words::ONE_NUMBER_TWICE.text(),
        ));
    }
    problems
}

/// The workflow version a case was opened under.
pub(crate) fn pinned_workflow(
    engine: &Engine,
    loaded: &LoadedCase,
) -> Result<Arc<Workflow>, AppError> {
    engine
        .workflows
        .get(
            &loaded.record.workflow_name,
            loaded.record.workflow_version as u32,
        )
        .ok_or_else(|| {
            AppError::unexpected(format!(
                "{} was opened under {}.v{}, which this binary does not know",
                loaded.record.reference,
                loaded.record.workflow_name,
                loaded.record.workflow_version
            ))
        })
}

/// Loads a case inside a write transaction for a change: not found, a stale
/// `expected_version`, and an unknown pinned workflow become their errors.
pub(crate) async fn load_for_change(
    engine: &Engine,
    tx: &Tx,
    actor: &Actor,
    reference: &str,
    expected_version: Option<i64>,
) -> Result<(LoadedCase, Arc<Workflow>), AppError> {
    let loaded = cases::load_case(tx, reference)
        .await
        .map_err(|e| not_found_as_absent(e, reference))?;
    let workflow = checked(engine, &loaded, actor, reference, expected_version)?;
    Ok((loaded, workflow))
}

/// A case that does not exist answers as one outside the reader's
/// district does.
fn not_found_as_absent(error: StoreError, reference: &str) -> AppError {
    match error {
        StoreError::NotFound => crate::app::access::absent(reference),
        other => other.into(),
    }
}

/// A loaded case checked for a change (see [`load_for_change`]): outside
/// the actor's district answers exactly as absent, before the version is
/// compared, so a stale `If-Match` tells nothing of another district's
/// case. Gives the workflow the case was opened under.
fn checked(
    engine: &Engine,
    loaded: &LoadedCase,
    actor: &Actor,
    reference: &str,
    expected_version: Option<i64>,
) -> Result<Arc<Workflow>, AppError> {
    crate::app::access::in_district(actor, reference, &loaded.record.district)?;
    expect_version(loaded, expected_version)?;
    pinned_workflow(engine, loaded)
}

/// Refuses a case whose version is not the one the caller expects.
fn expect_version(loaded: &LoadedCase, expected_version: Option<i64>) -> Result<(), AppError> {
    match expected_version {
        Some(expected) if expected != loaded.case.version => Err(AppError::StaleVersion {
            expected,
            current: loaded.case.version,
        }),
        _ => Ok(()),
    }
}

/// Acts on a case: the store reads it and writes the step
/// ([`cases::step`]); this decides, between the two, what the step is.
/// With `once` (an `Idempotency-Key` and its request's fingerprint), the
/// outcome is kept under the key with the step, or the key's earlier
/// answer comes back instead.
pub(super) async fn act(
    engine: &Engine,
    reference: &str,
    actor: &Actor,
    command: &Command,
    expected_version: Option<i64>,
    once: Option<(&str, &str)>,
    now: DateTime<Utc>,
) -> Result<cases::Stepped<Outcome>, AppError> {
    let once = once.map(|(key, fingerprint)| cases::Once {
        user_name: &actor.id,
        key,
        fingerprint,
    });
    // One command, or one per member of a command for several: decided
    // one after another on the case as the previous left it, each sealed
    // as its own audit event, all written as one step (or none).
    let commands = command.one_by_one();
    let decided = |loaded: &LoadedCase| {
        let workflow = checked(engine, loaded, actor, reference, expected_version)?;
        let mut clock = loaded.clock();
        let mut entered_at = None;
        let mut last = (loaded.record.audit_seq, loaded.record.last_hash.clone());
        let mut events = Vec::with_capacity(commands.len());
        let mut outbox = Vec::new();
        let mut changed_members: Vec<u32> = Vec::new();
        let mut outcome_events = Vec::new();
        let mut current: Option<Case> = None;
        for one in &commands {
            let before = current.as_ref().unwrap_or(&loaded.case);
            let timing = Timing {
                calendar: &engine.calendar,
                clock: &clock,
            };
            let step =
                decide(&workflow, timing, before, actor, one, now).map_err(AppError::Refused)?;
            let sealed = seal_with_holds(reference, before, &step, actor, one, now, last);
            last = sealed
                .last()
                .map(|e| (e.seq, e.hash.clone()))
                .ok_or_else(|| AppError::unexpected("a step sealed no event"))?;
            events.extend(sealed);
            outbox.extend(outbox_rows(reference, &step));
            for m in step.changed_members() {
                if !changed_members.contains(&m) {
                    changed_members.push(m);
                }
            }
            entered_at = step.entered_at.or(entered_at);
            clock = step.clock;
            outcome_events.extend(step.events);
            current = Some(step.next);
        }
        let next = current.ok_or_else(|| AppError::unexpected("no command to decide"))?;
        let outcome = Outcome {
            reference: reference.to_string(),
            version: next.version,
            state: next.state.clone(),
            events: outcome_events,
        };
        let write = StepWrite {
            next,
            changed_members,
            clock,
            state_entered_at: entered_at.unwrap_or(loaded.record.state_entered_at),
            events,
            outbox,
            now,
        };
        Ok::<_, AppError>((write, outcome))
    };
    let stepped = cases::step(&engine.store, reference, once, decided)
        .await
        .map_err(|failure| match failure {
            cases::StepFailure::Refused(error) => error,
            cases::StepFailure::Store(StoreError::Duplicate(constraint))
                if constraint == NATIONAL_NUMBER_TAKEN =>
            {
                let numbers: Vec<&str> = commands
                    .iter()
                    .filter_map(|c| c.fields.get("national_number"))
                    .map(|n| n.trim())
                    .collect();
                AppError::Duplicate(crate::domain::words::problems::national_number_taken(
                    &numbers,
                ))
            }
            cases::StepFailure::Store(other) => not_found_as_absent(other, reference),
        });
    match stepped {
        Err(error) => Err(crate::app::users::name_the_holder(engine, error).await),
        stepped => stepped,
    }
}
