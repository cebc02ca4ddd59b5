//! The pure engine: `decide(&Workflow, Timing, &Case, &Actor, &Command, now)`
//! gives the step a command causes, with the case's SLA clock after it, or
//! a refusal that explains itself. It reads no clock of its own (the time
//! and the working calendar are arguments) and touches no database; a
//! refusal changes nothing.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::audit::audit_time;
use crate::domain::family::birthday_at;
use crate::domain::roles::Role;
use crate::workflow::case::{Actor, Case, Command};
use crate::workflow::definition::{AutomaticDef, CardStage, NotifyDef, TransitionDef, Workflow};
use crate::workflow::duties;
use crate::workflow::effect::Effect;
use crate::workflow::guards::{Guard, GuardInput};
use crate::workflow::refusal::{Named, Refusal};
use crate::workflow::sla::{Clock, Timing};

/// The built-in action that only lets the engine take the automatic
/// transitions that have come due (a birthday reached, say).
pub const REFRESH: &str = "refresh";

pub use crate::domain::calendar::local_date;

/// One change the step made.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum Event {
    Case {
        from: String,
        to: String,
        automatic: bool,
    },
    Member {
        member: u32,
        from: String,
        to: String,
        automatic: bool,
    },
}

/// What a command does: the next snapshot, the changes, the effects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub next: Case,
    pub events: Vec<Event>,
    pub effects: Vec<Effect>,
    /// The checked field values, canonical form.
    pub fields: BTreeMap<String, String>,
    /// The case's SLA clock after the step: started anew for the state
    /// the case entered, or as it was when the state stays.
    pub clock: Clock,
    /// When the step moved the case into another state, that moment (to
    /// the audit trail's precision); `None` when the state stays.
    pub entered_at: Option<DateTime<Utc>>,
    /// Whom a supervisor took the case over from by acting, even when the
    /// hold ended with the step (the supervisor does not work the state
    /// the case is in after it).
    pub taken_over_from: Option<String>,
}

/// What a command changes, before the clock is worked out.
struct Change {
    next: Case,
    events: Vec<Event>,
    effects: Vec<Effect>,
    fields: BTreeMap<String, String>,
    taken_over_from: Option<String>,
}

impl Step {
    /// The members whose stored row must change.
    pub fn changed_members(&self) -> impl Iterator<Item = u32> + '_ {
        let mut seen = Vec::new();
        self.events.iter().filter_map(move |e| match e {
            Event::Member { member, .. } if !seen.contains(member) => {
                seen.push(*member);
                Some(*member)
            }
            _ => None,
        })
    }
}

/// Decides what `command` by `actor` does to `case` at `now`, and the
/// case's clock after it (`timing`: the calendar and the clock before).
pub fn decide(
    workflow: &Workflow,
    timing: Timing<'_>,
    case: &Case,
    actor: &Actor,
    command: &Command,
    now: DateTime<Utc>,
) -> Result<Step, Refusal> {
    let Change {
        next,
        events,
        effects,
        fields,
        taken_over_from,
    } = change(workflow, case, actor, command, now)?;
    let (clock, entered_at) = if next.state != case.state {
        let today = local_date(now);
        let clock = timing
            .clock
            .enter(workflow, timing.calendar, &next.state, today);
        (clock, Some(audit_time(now)))
    } else {
        (timing.clock.clone(), None)
    };
    Ok(Step {
        next,
        events,
        effects,
        fields,
        clock,
        entered_at,
        taken_over_from,
    })
}

/// What `command` by `actor` does to `case` at `now`, the clock aside.
fn change(
    workflow: &Workflow,
    case: &Case,
    actor: &Actor,
    command: &Command,
    now: DateTime<Utc>,
) -> Result<Change, Refusal> {
    let today = local_date(now);
    if actor.district.as_ref().is_some_and(|d| *d != case.district) {
        // The engine knows no place names; the app layer, which checks the
        // district first with them, refuses before this is reached.
        return Err(Refusal::OutsideDistrict {
            district: Named::unlabelled(&case.district),
        });
    }
    let mut next = case.clone();
    let mut events = Vec::new();
    let mut effects = Vec::new();
    let mut fields = BTreeMap::new();

    if command.action == REFRESH {
        if !actor
            .roles
            .iter()
            .any(|r| matches!(r, Role::System | Role::Supervisor))
        {
            return Err(Refusal::RoleNotAllowed {
                action: refresh_named(),
                roles: vec![Named::role(Role::System), Named::role(Role::Supervisor)],
            });
        }
    } else if let Some(t) = workflow
        .transitions
        .iter()
        .find(|t| t.action == command.action)
    {
        // Who may never take this action hears so first, whatever the state.
        check_action_roles(&workflow.transitions, t, actor)?;
        if workflow.state(&case.state).is_some_and(|s| s.terminal) {
            return Err(Refusal::CaseClosed {
                state: state_named(workflow, &case.state),
            });
        }
        let t = workflow
            .transitions
            .iter()
            .find(|t| t.action == command.action && t.from.contains(&case.state))
            .ok_or_else(|| Refusal::NotAvailable {
                action: action_named(t),
                state: state_named(workflow, &case.state),
            })?;
        if command.member.is_some() {
            return Err(Refusal::MemberNotExpected {
                action: action_named(t),
            });
        }
        check_role(t, actor)?;
        duties::check(workflow, &case.duties, &actor.id, &t.action, &case.state)?;
        fields = check_fields(t, command)?;
        check_guards(&t.guards, workflow, case, None, actor, today)?;
        events.push(Event::Case {
            from: case.state.clone(),
            to: t.to.clone(),
            automatic: false,
        });
        notify(&mut effects, &t.notify, None);
        duties::record(
            workflow,
            &mut next.duties,
            &actor.id,
            &t.action,
            &case.state,
        );
        next.state = t.to.clone();
    } else if let Some(t) = workflow
        .member
        .transitions
        .iter()
        .find(|t| t.action == command.action)
    {
        check_action_roles(&workflow.member.transitions, t, actor)?;
        let ordinal = command.member.ok_or_else(|| Refusal::MemberRequired {
            action: action_named(t),
        })?;
        let index = next
            .members
            .iter()
            .position(|m| m.ordinal == ordinal)
            .ok_or(Refusal::UnknownMember { ordinal })?;
        if !t.case_states.contains(&case.state) {
            if workflow.state(&case.state).is_some_and(|s| s.terminal) {
                return Err(Refusal::CaseClosed {
                    state: state_named(workflow, &case.state),
                });
            }
            return Err(Refusal::NotAvailable {
                action: action_named(t),
                state: state_named(workflow, &case.state),
            });
        }
        let member = &case.members[index];
        let t = workflow
            .member
            .transitions
            .iter()
            .find(|t| t.action == command.action && t.from.contains(&member.state))
            .ok_or_else(|| Refusal::MemberNotAvailable {
                action: action_named(t),
                ordinal,
                name: member.name.clone(),
                female: member.sex == crate::domain::family::Sex::Female,
                member_state: Named::labelled(
                    &member.state,
                    &workflow.member_state_labels(&member.state),
                ),
            })?;
        check_role(t, actor)?;
        duties::check(workflow, &case.duties, &actor.id, &t.action, &case.state)?;
        fields = check_fields(t, command)?;
        check_guards(&t.guards, workflow, case, Some(index), actor, today)?;
        let changed = &mut next.members[index];
        for (name, value) in &fields {
            match name.as_str() {
                "national_number" => {
                    changed.national_number = Some(value.clone());
                    changed.registered_on = Some(today);
                }
                "register_number" => changed.register_number = Some(value.clone()),
                "card_number" => changed.card_number = Some(value.clone()),
                "collector_document" => changed.collector_document = Some(value.clone()),
                "reason" if workflow.excluded(&t.to) => {
                    changed.exclusion_reason = Some(value.clone())
                }
                _ => {}
            }
        }
        if t.to == workflow.member.initial {
            changed.exclusion_reason = None;
        }
        changed.state = t.to.clone();
        changed.state_changed_on = Some(today);
        duties::record(
            workflow,
            &mut next.duties,
            &actor.id,
            &t.action,
            &case.state,
        );
        events.push(Event::Member {
            member: ordinal,
            from: member.state.clone(),
            to: t.to.clone(),
            automatic: false,
        });
        notify(&mut effects, &t.notify, Some(ordinal));
    } else {
        return Err(Refusal::UnknownAction {
            action: command.action.clone(),
        });
    }

    let taken_over_from = if command.action != REFRESH {
        follow_the_work(workflow, case, &mut next, actor)?
    } else {
        None
    };
    run_automatic(workflow, &mut next, actor, today, &mut events, &mut effects);
    if events.is_empty() {
        return Err(Refusal::NothingToDo);
    }
    release_left_work(workflow, case, &mut next, actor);
    next.version = case.version + 1;
    Ok(Change {
        next,
        events,
        effects,
        fields,
        taken_over_from,
    })
}

/// Whether `actor`'s roles work cases in `state` (the state's `worked_by`).
fn works(workflow: &Workflow, state: &str, actor: &Actor) -> bool {
    workflow
        .state(state)
        .is_some_and(|s| s.worked_by.iter().any(|r| actor.roles.contains(r)))
}

/// Holds follow the work, before the step: a case another officer holds
/// is refused to anyone but a supervisor, who takes it over (whom from is
/// returned); an unheld case is claimed by the first action of an officer
/// who works its state. The engine's own moves (the system, `refresh`)
/// neither need nor take a hold.
fn follow_the_work(
    workflow: &Workflow,
    case: &Case,
    next: &mut Case,
    actor: &Actor,
) -> Result<Option<String>, Refusal> {
    if actor.roles.contains(&Role::System) {
        return Ok(None);
    }
    match &case.holder {
        Some(holder) if *holder == actor.id => {}
        Some(holder) if !actor.roles.contains(&Role::Supervisor) => {
            return Err(Refusal::HeldByAnother {
                holder: holder.clone(),
            });
        }
        Some(holder) => {
            next.holder = Some(actor.id.clone());
            return Ok(Some(holder.clone()));
        }
        None if works(workflow, &case.state, actor) => next.holder = Some(actor.id.clone()),
        None => {}
    }
    Ok(None)
}

/// Holds follow the work, after the step: the actor who holds the case
/// keeps it only if their roles work the state it is in after the step
/// and, when it moved, the separation rules let them work that state (a
/// supervisor who took a case over in a state no role of theirs works
/// lets go of it with their action, whether it moved or not); when the
/// case moved, anyone else's hold ends (a move the engine made on its
/// own).
fn release_left_work(workflow: &Workflow, case: &Case, next: &mut Case, actor: &Actor) {
    let actor_holds = next.holder.as_deref() == Some(actor.id.as_str());
    let keeps = if next.state == case.state {
        !actor_holds || works(workflow, &next.state, actor)
    } else {
        actor_holds
            && works(workflow, &next.state, actor)
            && duties::may_work(workflow, next, actor).is_ok()
    };
    if !keeps {
        next.holder = None;
    }
}

/// Takes automatic transitions, member ones first, until none applies.
fn run_automatic(
    workflow: &Workflow,
    case: &mut Case,
    actor: &Actor,
    today: NaiveDate,
    events: &mut Vec<Event>,
    effects: &mut Vec<Effect>,
) {
    // Each pass takes at least one transition; a definition cannot loop
    // forever, but a bound keeps a bad one from hanging the engine.
    for _ in 0..64 {
        let mut moved = false;
        for index in 0..case.members.len() {
            if let Some(a) = first_applicable(
                &workflow.member.automatic,
                &case.members[index].state,
                |guards| check_guards(guards, workflow, case, Some(index), actor, today).is_ok(),
            ) {
                let member = &mut case.members[index];
                events.push(Event::Member {
                    member: member.ordinal,
                    from: member.state.clone(),
                    to: a.to.clone(),
                    automatic: true,
                });
                if workflow.card_stage(&a.to) == Some(CardStage::DueAtAge) {
                    let due_on = birthday_at(member.birth_date, workflow.card_age);
                    member.card_due_on = Some(due_on);
                    effects.push(Effect::OpenCardTask {
                        member: member.ordinal,
                        due_on,
                    });
                }
                member.state = a.to.clone();
                member.state_changed_on = Some(today);
                notify(effects, &a.notify, Some(member.ordinal));
                moved = true;
            }
        }
        if let Some(a) = first_applicable(&workflow.automatic, &case.state, |guards| {
            check_guards(guards, workflow, case, None, actor, today).is_ok()
        }) {
            events.push(Event::Case {
                from: case.state.clone(),
                to: a.to.clone(),
                automatic: true,
            });
            case.state = a.to.clone();
            notify(effects, &a.notify, None);
            moved = true;
        }
        if !moved {
            break;
        }
    }
}

fn first_applicable<'a>(
    automatic: &'a [AutomaticDef],
    state: &str,
    holds: impl Fn(&[Guard]) -> bool,
) -> Option<&'a AutomaticDef> {
    automatic
        .iter()
        .find(|a| a.from == state && holds(&a.guards))
}

/// The built-in `refresh`, as a person reads it.
fn refresh_named() -> Named {
    Named::new(
        REFRESH,
        crate::domain::words::cases::REFRESH_THE_CASE.text(),
    )
}

/// An action with the labels its definition gives it.
fn action_named(t: &TransitionDef) -> Named {
    Named::labelled(&t.action, &t.labels)
}

/// A case state with the labels its definition gives it.
fn state_named(workflow: &Workflow, state: &str) -> Named {
    Named::labelled(state, &workflow.state_labels(state))
}

/// Refuses an actor who holds none of the roles any definition of the
/// action of `first` names.
fn check_action_roles(
    transitions: &[TransitionDef],
    first: &TransitionDef,
    actor: &Actor,
) -> Result<(), Refusal> {
    let mut roles: Vec<Role> = transitions
        .iter()
        .filter(|t| t.action == first.action)
        .flat_map(|t| t.roles.iter().copied())
        .collect();
    roles.sort();
    roles.dedup();
    if roles.iter().any(|r| actor.roles.contains(r)) {
        Ok(())
    } else {
        Err(Refusal::RoleNotAllowed {
            action: action_named(first),
            roles: roles.into_iter().map(Named::role).collect(),
        })
    }
}

fn check_role(t: &TransitionDef, actor: &Actor) -> Result<(), Refusal> {
    if t.roles.iter().any(|r| actor.roles.contains(r)) {
        Ok(())
    } else {
        Err(Refusal::RoleNotAllowed {
            action: action_named(t),
            roles: t.roles.iter().copied().map(Named::role).collect(),
        })
    }
}

fn check_fields(t: &TransitionDef, command: &Command) -> Result<BTreeMap<String, String>, Refusal> {
    let mut checked = BTreeMap::new();
    for kind in &t.fields {
        let name = kind.as_str();
        let value = command
            .fields
            .get(name)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| Refusal::MissingField { field: name.into() })?;
        let value = kind.check(value).map_err(|reason| Refusal::InvalidField {
            field: name.into(),
            reason,
        })?;
        checked.insert(name.to_string(), value);
    }
    if let Some(extra) = command.fields.keys().find(|k| !checked.contains_key(*k)) {
        return Err(Refusal::UnexpectedField {
            field: extra.clone(),
        });
    }
    Ok(checked)
}

fn check_guards(
    guards: &[Guard],
    workflow: &Workflow,
    case: &Case,
    member: Option<usize>,
    actor: &Actor,
    today: NaiveDate,
) -> Result<(), Refusal> {
    let input = GuardInput {
        workflow,
        case,
        member: member.map(|i| &case.members[i]),
        actor,
        today,
    };
    for guard in guards {
        guard
            .check(&input)
            .map_err(|reasons| Refusal::GuardFailed {
                guard: guard.as_str().into(),
                reasons,
            })?;
    }
    Ok(())
}

fn notify(effects: &mut Vec<Effect>, notify: &[NotifyDef], member: Option<u32>) {
    effects.extend(notify.iter().map(|n| Effect::Notify {
        to: n.to,
        template: n.template.clone(),
        member,
    }));
}

/// One action an actor might take on a case now, and if not, why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionOption {
    pub action: String,
    pub member: Option<u32>,
    /// The fields the actor must supply.
    pub fields: Vec<&'static str>,
    pub refusal: Option<Refusal>,
}

/// Every action defined from the case's current state (and, for member
/// actions, each member's state), each decided as if the actor took it now
/// with well-formed fields: allowed, or refused with the reason.
pub fn options(
    workflow: &Workflow,
    case: &Case,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Vec<ActionOption> {
    let mut out = Vec::new();
    let mut try_one = |t: &TransitionDef, member: Option<u32>| {
        let mut command = Command::new(&t.action);
        command.member = member;
        for field in &t.fields {
            command
                .fields
                .insert(field.as_str().to_string(), field.example().to_string());
        }
        out.push(ActionOption {
            action: t.action.clone(),
            member,
            fields: t.fields.iter().map(|f| f.as_str()).collect(),
            refusal: change(workflow, case, actor, &command, now).err(),
        });
    };
    for t in workflow
        .transitions
        .iter()
        .filter(|t| t.from.contains(&case.state))
    {
        try_one(t, None);
    }
    for t in workflow
        .member
        .transitions
        .iter()
        .filter(|t| t.case_states.contains(&case.state))
    {
        for m in case.members.iter().filter(|m| t.from.contains(&m.state)) {
            try_one(t, Some(m.ordinal));
        }
    }
    out
}
