//! Properties of the pure engine over random command sequences.

use crate::common;

use casework::domain::calendar::WorkingCalendar;
use casework::domain::family::Relationship;
use casework::domain::roles::Role;
use casework::workflow::case::{Actor, Case};
use casework::workflow::sla::Clock;
use casework::workflow::{Command, Event, Timing, Workflow, decide};
use chrono::Duration;
use common::actors::officer;
use common::cases::{case_at_intake, case_member};
use common::time::{no_timing, utc};
use proptest::prelude::*;

fn workflow() -> Workflow {
    Workflow::from_toml(
        "naturalization",
        include_str!("../../workflows/naturalization-family.v1.toml"),
    )
    .expect("the shipped definition loads")
}

fn family() -> Case {
    case_at_intake(vec![
        case_member(1, Relationship::Head, 1970, false),
        case_member(2, Relationship::Spouse, 1975, false),
        case_member(3, Relationship::Son, 2015, false),
        case_member(4, Relationship::Daughter, 2001, true),
    ])
}

fn actions(workflow: &Workflow) -> Vec<String> {
    let mut all: Vec<String> = workflow
        .transitions
        .iter()
        .map(|t| t.action.clone())
        .collect();
    all.extend(workflow.member.transitions.iter().map(|t| t.action.clone()));
    all.push("refresh".into());
    all.push("no_such_action".into());
    all.sort();
    all.dedup();
    all
}

/// A random command: action index, member, role, actor, which fields.
type Raw = (usize, Option<u32>, usize, u8, bool, u16);

fn command(workflow: &Workflow, raw: &Raw) -> (Actor, Command) {
    let actions = actions(workflow);
    let (action, member, role, actor, with_fields, _) = raw;
    let action = &actions[action % actions.len()];
    // Mostly a role the action allows, so that sequences get far; sometimes any role.
    let allowed = workflow
        .transitions
        .iter()
        .chain(&workflow.member.transitions)
        .find(|t| &t.action == action)
        .and_then(|t| t.roles.get(role % t.roles.len()))
        .copied();
    let role = match allowed {
        Some(r) if *role < 9 => r,
        _ => Role::ALL[role % Role::ALL.len()],
    };
    // One person, one role: a name stands for the same officer throughout.
    let actor = officer(format!("officer.{}.{}", actor % 3, role.as_str()), role);
    let mut command = Command::new(action);
    command.member = *member;
    if *with_fields {
        command = command
            .with("reason", "a reason given")
            .with("national_number", "12345678901")
            .with("card_number", "SY000001")
            .with("collector_document", "ID 123");
        // Keep only the fields the action asks for, so that some commands pass.
        let wanted: Vec<&str> = workflow
            .transitions
            .iter()
            .chain(&workflow.member.transitions)
            .filter(|t| &t.action == action)
            .flat_map(|t| t.fields.iter().map(|f| f.as_str()))
            .collect();
        command.fields.retain(|k, _| wanted.contains(&k.as_str()));
    }
    (actor, command)
}

fn raw_command() -> impl Strategy<Value = Raw> {
    (
        0usize..64,
        proptest::option::of(1u32..6),
        0usize..12,
        0u8..3,
        proptest::bool::weighted(0.8),
        0u16..4000,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_sequence_of_commands_keeps_the_case_in_defined_states(raws in proptest::collection::vec(raw_command(), 1..120)) {
        let workflow = workflow();
        let mut case = family();
        let start = utc(2026, 1, 4, 9, 0);
        let calendar = WorkingCalendar::default();
        let mut clock = Clock::default();
        for raw in &raws {
            let (actor, command) = command(&workflow, raw);
            let now = start + Duration::days(raw.5 as i64);
            let before = case.clone();
            let timing = Timing { calendar: &calendar, clock: &clock };
            match decide(&workflow, timing, &case, &actor, &command, now) {
                Ok(step) => {
                    prop_assert_eq!(step.next.version, before.version + 1, "one accepted command, one version");
                    prop_assert!(!step.events.is_empty());
                    // The clock is the step's: started anew when the state changes, kept otherwise.
                    let moved = step.next.state != before.state;
                    prop_assert_eq!(step.entered_at.is_some(), moved, "entered_at says whether the state changed");
                    if moved {
                        let pauses = workflow.state(&step.next.state).is_some_and(|s| s.pauses_clock);
                        prop_assert_eq!(step.clock.paused_since.is_some(), pauses, "a pausing state stops the clock");
                        let sla = workflow.state(&step.next.state).and_then(|s| s.sla_days);
                        prop_assert_eq!(step.clock.due_on.is_some(), !pauses && sla.is_some(), "due only where the state has an SLA");
                        prop_assert!(step.clock.paused_working_days >= clock.paused_working_days, "paused days never shrink");
                    } else {
                        prop_assert_eq!(&step.clock, &clock, "a step that keeps the state keeps the clock");
                    }
                    clock = step.clock.clone();
                    // Holds follow the work: whoever holds the case after a step is the one
                    // who acted, and works the state the case is in.
                    if let Some(holder) = &step.next.holder {
                        prop_assert_eq!(holder, &actor.id, "only the actor comes to hold a case");
                        let works = workflow.state(&step.next.state).is_some_and(|s| s.worked_by.iter().any(|r| actor.roles.contains(r)));
                        prop_assert!(works, "{} holds a case in {} they do not work", holder, step.next.state);
                    }
                    let terminal_before = workflow.state(&before.state).is_some_and(|s| s.terminal);
                    if terminal_before {
                        prop_assert_eq!(&step.next.state, &before.state, "a terminal state never changes");
                        let only_members = step.events.iter().all(|e| matches!(e, Event::Member { .. }));
                        prop_assert!(only_members, "a terminal case took an application event");
                    }
                    case = step.next;
                }
                Err(refusal) => {
                    prop_assert_eq!(&case, &before, "a refusal changes nothing");
                    if refusal.code() == "held_by_another" {
                        prop_assert!(case.holder.as_ref().is_some_and(|h| *h != actor.id), "refused as held by another, but held by {:?}", case.holder);
                    }
                    prop_assert!(!refusal.text().en.is_empty() && !refusal.text().ar.is_empty());
                }
            }
            prop_assert!(workflow.state(&case.state).is_some(), "undefined state {}", case.state);
            for m in &case.members {
                prop_assert!(workflow.member_state(&m.state).is_some(), "undefined member state {}", m.state);
            }
        }
    }

    #[test]
    fn terminal_rejected_and_withdrawn_cases_accept_nothing(raws in proptest::collection::vec(raw_command(), 1..60), state in prop_oneof![Just("rejected"), Just("withdrawn")]) {
        let workflow = workflow();
        let mut case = family();
        case.state = state.to_string();
        let now = utc(2026, 1, 4, 9, 0);
        for raw in &raws {
            let (actor, command) = command(&workflow, raw);
            prop_assert!(decide(&workflow, no_timing(), &case, &actor, &command, now).is_err(), "{} accepted {:?}", state, command);
        }
    }
}

#[test]
fn the_verifier_of_a_case_may_not_approve_it() {
    let workflow = workflow();
    let mut case = family();
    case.state = "approval".into();
    for m in &mut case.members {
        m.state = "verified".into();
    }
    case.duties
        .add("verification", "officer.1", "verify_member");
    let now = utc(2026, 1, 4, 9, 0);
    let refused = decide(
        &workflow,
        no_timing(),
        &case,
        &officer("officer.1", Role::Approver),
        &Command::new("approve"),
        now,
    )
    .expect_err("refused");
    assert_eq!(refused.code(), "separation_of_duties");
    assert_eq!(
        refused.text().en,
        "under the rule 'One person takes at most one stage of an application', officer.1 may \
         not take 'Approve the family' (Decision on the family): they took 'Verify the member' \
         (Verification of the members) on this case"
    );
    let step = decide(
        &workflow,
        no_timing(),
        &case,
        &officer("officer.2", Role::Approver),
        &Command::new("approve"),
        now,
    )
    .expect("another approver may");
    assert_eq!(step.next.state, "registration");
}

/// Holds follow the work: the first action claims, another officer is
/// refused with the holder's name, a supervisor takes over, and the hold
/// ends when the case leaves the states its holder works.
#[test]
fn a_hold_is_taken_by_acting_kept_from_others_and_ends_with_the_holders_work() {
    let workflow = workflow();
    let mut case = family();
    case.state = "verification".into();
    let now = utc(2026, 1, 4, 9, 0);
    let first = officer("verifier.1", Role::Verifier);
    let verify = |member: u32| {
        let mut command = Command::new("verify_member");
        command.member = Some(member);
        command
    };
    let step = decide(&workflow, no_timing(), &case, &first, &verify(1), now).expect("verifies");
    assert_eq!(
        step.next.holder.as_deref(),
        Some("verifier.1"),
        "the first action claims"
    );
    case = step.next;

    let second = officer("verifier.2", Role::Verifier);
    let refused = decide(&workflow, no_timing(), &case, &second, &verify(2), now)
        .expect_err("held by the first");
    assert_eq!(refused.code(), "held_by_another");
    assert!(
        refused.text().en.contains("verifier.1"),
        "{}",
        refused.text().en
    );
    assert!(
        refused.text().ar.contains("verifier.1"),
        "{}",
        refused.text().ar
    );

    let supervisor = officer("supervisor.1", Role::Supervisor);
    let taken = decide(&workflow, no_timing(), &case, &supervisor, &verify(2), now);
    if let Ok(step) = &taken {
        assert_eq!(
            step.next.holder.as_deref(),
            Some("supervisor.1"),
            "a supervisor takes over"
        );
    } else {
        // A supervisor without the verifier's role is refused for the role,
        // never for the hold.
        assert_ne!(taken.expect_err("refused").code(), "held_by_another");
    }

    // The holder verifies every member and completes the verification:
    // the case moves on to a state verifiers do not work, and the hold
    // ends.
    for m in 2..=4 {
        let step =
            decide(&workflow, no_timing(), &case, &first, &verify(m), now).expect("verifies");
        assert_eq!(
            step.next.holder.as_deref(),
            Some("verifier.1"),
            "kept in the same state"
        );
        case = step.next;
    }
    let complete = Command::new("complete_verification");
    let step = decide(&workflow, no_timing(), &case, &first, &complete, now).expect("completes");
    assert_eq!(step.next.state, "approval");
    assert_eq!(
        step.next.holder, None,
        "the hold ended with the holder's work"
    );
    // The approver's first action is theirs to claim.
    let approver = officer("approver.1", Role::Approver);
    let step = decide(
        &workflow,
        no_timing(),
        &step.next,
        &approver,
        &Command::new("approve"),
        now,
    )
    .expect("approves");
    assert_eq!(step.next.state, "registration");
    assert_eq!(step.next.holder, None, "claimed and let go in one step");
}
