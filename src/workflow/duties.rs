//! Separation of duties, as the definition states it: which duties an
//! action counts for, whether a person may take it on a case, what a case
//! records of who did what, and what an import implies was done.
//!
//! A case records, per duty, each person who performed it and the first
//! action by which they did ([`Duties`]). A rule of the definition
//! separates two or more duties: a person recorded for one of them is
//! refused every action that counts for another, with
//! [`Refusal::SeparationOfDuties`] naming the rule and their earlier
//! action. Pure, like the rest of the engine.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::domain::words::refusals;
use crate::workflow::case::{Actor, Case};
use crate::workflow::definition::{DutyDef, TransitionDef, Workflow};
use crate::workflow::refusal::{Named, Refusal, Separation};

/// Opening a case, as its audit trail records it: the creator did the
/// work of the initial state.
pub const OPEN: &str = "created";
/// Replacing the family while the case is put together.
pub const EDIT_FAMILY: &str = "edit_family";
/// Moving the case to another version of its workflow
/// (`casework workflow migrate`); no duty names it.
pub const MIGRATED: &str = "migrated";
/// Adding a person from their linked one-person case to a family case
/// (the family's audit action, and a duty may name it).
pub const ADD_MEMBER: &str = "add_member_from_case";
/// The person's case joined the family case it is linked to (the person's
/// audit action).
pub const JOINED_FAMILY: &str = "joined_family";
/// The case's own actions a duty may name besides the transitions.
pub const CASE_ACTIONS: [&str; 3] = [OPEN, EDIT_FAMILY, ADD_MEMBER];

/// The labels of the case's own actions.
pub fn case_action_labels(action: &str) -> Option<Text> {
    let words = match action {
        OPEN => refusals::OPEN_THE_APPLICATION,
        EDIT_FAMILY => refusals::EDIT_THE_FAMILY,
        MIGRATED => refusals::MOVED_TO_A_NEWER_VERSION,
        ADD_MEMBER => refusals::ADD_THE_REGISTERED_PERSON,
        JOINED_FAMILY => refusals::JOINED_THE_FAMILY,
        _ => return None,
    };
    Some(words.text())
}

/// Who performed which duty on a case: duty → person → the first action
/// by which they did (empty when not known: the verifiers recorded before
/// duties were, carried over by migration 23 as the `verification` duty).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Duties(pub BTreeMap<String, BTreeMap<String, String>>);

impl Duties {
    /// Records that `actor` performed `duty` by `action`; an earlier
    /// action stays the one recorded.
    pub fn add(&mut self, duty: &str, actor: &str, action: &str) {
        self.0
            .entry(duty.to_string())
            .or_default()
            .entry(actor.to_string())
            .or_insert_with(|| action.to_string());
    }

    /// The action by which `actor` performed `duty`, if they did.
    pub fn action_of(&self, duty: &str, actor: &str) -> Option<&str> {
        self.0.get(duty)?.get(actor).map(String::as_str)
    }

    /// The people recorded for `duty`.
    pub fn actors(&self, duty: &str) -> BTreeSet<&str> {
        self.0
            .get(duty)
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// The stored form: a JSON object (`{}` when empty).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    pub fn from_json(text: &str) -> Result<Duties, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// The duties `action`, taken while the case is in `state`, counts for.
pub fn duties_of<'a>(
    workflow: &'a Workflow,
    action: &'a str,
    state: &'a str,
) -> impl Iterator<Item = &'a DutyDef> + 'a {
    workflow
        .duties
        .iter()
        .filter(move |d| d.covers(action, state))
}

/// Refuses `actor` the `action` on a case in `state` when a rule separates
/// one of the duties it counts for from a duty `recorded` holds them for.
pub fn check(
    workflow: &Workflow,
    recorded: &Duties,
    actor: &str,
    action: &str,
    state: &str,
) -> Result<(), Refusal> {
    for duty in duties_of(workflow, action, state) {
        for rule in workflow
            .separation
            .iter()
            .filter(|r| r.duties.contains(&duty.name))
        {
            for other in rule.duties.iter().filter(|o| **o != duty.name) {
                let Some(earlier) = recorded.action_of(other, actor) else {
                    continue;
                };
                let other_duty = workflow.duty(other);
                let other_labels =
                    other_duty.map_or_else(|| Text::of_code(other), |d| d.labels.clone());
                let earlier_action = if earlier.is_empty() {
                    // Carried over without its action: the duty names it.
                    Named::labelled(other.as_str(), &other_labels)
                } else {
                    Named::labelled(earlier, &workflow.action_labels(earlier))
                };
                return Err(Refusal::SeparationOfDuties(Box::new(Separation {
                    actor: actor.to_string(),
                    rule: Named::labelled(&rule.name, &rule.labels),
                    action: Named::labelled(action, &workflow.action_labels(action)),
                    duty: Named::labelled(&duty.name, &duty.labels),
                    earlier_action,
                    earlier_duty: Named::labelled(other.as_str(), &other_labels),
                })));
            }
        }
    }
    Ok(())
}

/// Records `actor` for every duty `action`, taken in `state`, counts for.
pub fn record(workflow: &Workflow, duties: &mut Duties, actor: &str, action: &str, state: &str) {
    for duty in duties_of(workflow, action, state) {
        duties.add(&duty.name, actor, action);
    }
}

/// The actions an import implies were taken, each with the case state it
/// was taken in: opening the case, the application actions on the
/// shortest way from the initial state to `state`, and the member actions
/// on the shortest way from the member track's initial state to
/// `member_state` (each in the first case state of the way where it may be
/// taken, else in `state`). The importer counts for all of them.
pub fn implied_by_import(
    workflow: &Workflow,
    state: &str,
    member_state: &str,
) -> Vec<(String, String)> {
    let mut out = vec![(OPEN.to_string(), workflow.initial.clone())];
    let case_way = shortest_way(&workflow.transitions, &workflow.initial, state);
    let mut states_on_way: Vec<&str> = case_way.iter().map(|(_, from)| from.as_str()).collect();
    states_on_way.push(state);
    for (action, from) in &case_way {
        out.push((action.clone(), from.clone()));
    }
    for (action, _) in shortest_way(
        &workflow.member.transitions,
        &workflow.member.initial,
        member_state,
    ) {
        let case_states = workflow
            .member
            .transitions
            .iter()
            .filter(|t| t.action == action)
            .flat_map(|t| t.case_states.iter())
            .collect::<Vec<_>>();
        let taken_in = states_on_way
            .iter()
            .find(|s| case_states.iter().any(|c| c == *s))
            .copied()
            .unwrap_or(state);
        out.push((action, taken_in.to_string()));
    }
    out
}

/// The actions (with the state each is taken from) of a shortest way from
/// `from` to `to` over `transitions`; empty when `from` is `to` or there is
/// no way.
fn shortest_way(transitions: &[TransitionDef], from: &str, to: &str) -> Vec<(String, String)> {
    let mut came_by: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    let mut queue = VecDeque::from([from]);
    let mut seen = BTreeSet::from([from]);
    while let Some(state) = queue.pop_front() {
        if state == to {
            break;
        }
        for t in transitions
            .iter()
            .filter(|t| t.from.iter().any(|f| f == state))
        {
            if seen.insert(t.to.as_str()) {
                came_by.insert(t.to.as_str(), (t.action.as_str(), state));
                queue.push_back(t.to.as_str());
            }
        }
    }
    let mut way = Vec::new();
    let mut at = to;
    while let Some((action, previous)) = came_by.get(at) {
        way.push((action.to_string(), previous.to_string()));
        at = previous;
    }
    way.reverse();
    way
}

/// Whether `person` may work `case` in its current state under the rules:
/// some action of the state's work (the actions there of the roles its
/// `worked_by` names) open to their roles is not refused them by a
/// separation rule. When every such action is, the first refusal says why
/// (a case is then not claimed by or assigned to them). A person with no
/// such action at all is not this check's concern.
pub fn may_work(workflow: &Workflow, case: &Case, person: &Actor) -> Result<(), Refusal> {
    let worked_by = workflow
        .state(&case.state)
        .map(|s| s.worked_by.as_slice())
        .unwrap_or_default();
    let actions: Vec<&str> = workflow
        .transitions
        .iter()
        .filter(|t| t.from.contains(&case.state))
        .chain(
            workflow
                .member
                .transitions
                .iter()
                .filter(|t| t.case_states.contains(&case.state)),
        )
        .filter(|t| {
            t.roles
                .iter()
                .any(|r| person.roles.contains(r) && worked_by.contains(r))
        })
        .map(|t| t.action.as_str())
        .collect();
    let mut first = None;
    for action in actions {
        match check(workflow, &case.duties, &person.id, action, &case.state) {
            Ok(()) => return Ok(()),
            Err(refusal) => {
                first.get_or_insert(refusal);
            }
        }
    }
    first.map_or(Ok(()), Err)
}

/// How many different people of each role one case of `workflow` needs
/// for every separation rule to be kept: per rule, the number of its
/// duties whose states a role works (`worked_by`), the largest over the
/// rules. A duty's states are those it names, else the states its actions
/// are taken in. In the second version of the family workflow verification
/// and the security clearance are both the verifiers' work and a rule
/// separates them: a case needs two verifiers.
pub fn people_needed(workflow: &Workflow) -> BTreeMap<Role, usize> {
    let mut needed: BTreeMap<Role, usize> = BTreeMap::new();
    for rule in &workflow.separation {
        let mut in_rule: BTreeMap<Role, usize> = BTreeMap::new();
        for duty in rule.duties.iter().filter_map(|d| workflow.duty(d)) {
            let states: BTreeSet<&str> = if duty.states.is_empty() {
                workflow
                    .transitions
                    .iter()
                    .filter(|t| duty.actions.contains(&t.action))
                    .flat_map(|t| t.from.iter())
                    .chain(
                        workflow
                            .member
                            .transitions
                            .iter()
                            .filter(|t| duty.actions.contains(&t.action))
                            .flat_map(|t| t.case_states.iter()),
                    )
                    .map(String::as_str)
                    .collect()
            } else {
                duty.states.iter().map(String::as_str).collect()
            };
            let roles: BTreeSet<Role> = states
                .into_iter()
                .filter_map(|s| workflow.state(s))
                .flat_map(|s| s.worked_by.iter().copied())
                .collect();
            for role in roles {
                *in_rule.entry(role).or_default() += 1;
            }
        }
        for (role, count) in in_rule {
            let most = needed.entry(role).or_default();
            *most = (*most).max(count);
        }
    }
    needed
}

/// The first rule of `workflow` that `recorded` already crosses: one
/// person recorded for two duties the rule separates. A workflow
/// migration (`migration::MigrationMap::move_case`) asks this with the new
/// definition and refuses the move, naming the rule, when a person would
/// stand on both sides of it there and not under the old definition. (An
/// import records its importer for duties that may cross a rule; the case
/// is then refused to them, and still moves.)
pub fn crossed(workflow: &Workflow, recorded: &Duties) -> Option<Refusal> {
    for rule in &workflow.separation {
        for (i, first) in rule.duties.iter().enumerate() {
            for second in &rule.duties[i + 1..] {
                let people = recorded.actors(first);
                let Some(person) = recorded
                    .actors(second)
                    .into_iter()
                    .find(|p| people.contains(p))
                else {
                    continue;
                };
                let action = recorded.action_of(second, person).unwrap_or_default();
                let action = if action.is_empty() {
                    second.as_str()
                } else {
                    action
                };
                let state = workflow
                    .duty(second)
                    .and_then(|d| d.states.first().cloned())
                    .unwrap_or_default();
                let mut only_first = Duties::default();
                only_first.add(
                    first,
                    person,
                    recorded.action_of(first, person).unwrap_or_default(),
                );
                if let Err(refusal) = check(workflow, &only_first, person, action, &state) {
                    return Some(refusal);
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_needed(file: &str, text: &str, expected: &[(Role, usize)]) {
        let workflow = Workflow::from_toml(file, text).expect("a shipped definition");
        let needed = people_needed(&workflow);
        assert_eq!(needed, expected.iter().copied().collect(), "{file}");
    }

    #[test]
    fn a_case_needs_a_second_verifier_only_where_a_rule_separates_two_of_their_duties() {
        use Role::*;
        check_needed(
            "naturalization-family.v1.toml",
            include_str!("../../workflows/naturalization-family.v1.toml"),
            &[
                (IntakeClerk, 1),
                (Verifier, 1),
                (Approver, 1),
                (Registrar, 1),
            ],
        );
        check_needed(
            "naturalization-family.v2.toml",
            include_str!("../../workflows/naturalization-family.v2.toml"),
            &[
                (IntakeClerk, 1),
                (Verifier, 2),
                (Approver, 1),
                (Registrar, 1),
            ],
        );
        check_needed(
            "unregistered-persons.v1.toml",
            include_str!("../../workflows/unregistered-persons.v1.toml"),
            &[
                (IntakeClerk, 1),
                (Verifier, 1),
                (Approver, 1),
                (Registrar, 1),
            ],
        );
    }
}
