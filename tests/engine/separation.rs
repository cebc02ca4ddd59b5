//! Separation of duties, as the workflow definition states it, on every
//! path that performs or implies an action: the engine's commands, the
//! family edit, opening a case, import and assignment. On SQLite, and on
//! PostgreSQL when `CASEWORK_TEST_DATABASE_URL` is set.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use casework::app::assign::{self, Assignment};
use casework::app::case_view;
use casework::app::cases::{create, edit, perform};
use casework::app::demo::Rng;
use casework::app::import::{self, Source};
use casework::app::{AppError, Engine};
use casework::domain::roles::Role;
use casework::store::cases::read_case;
use casework::workflow::duties::{self, EDIT_FAMILY, OPEN};
use casework::workflow::machine::options;
use casework::workflow::{Actor, Command, Refusal, Workflow};
use common::cases::fill;
use common::families::family;
use common::time::{at, no_timing};
use proptest::prelude::*;

const SAMPLE: &str = "tests/data/backlog-sample.csv";
/// The sample's family placed in approval with its members verified.
const IN_APPROVAL: &str = "HSK-2012-000417";

fn person(id: &str, roles: &[Role]) -> Actor {
    Actor {
        id: id.into(),
        roles: roles.to_vec(),
        district: None,
    }
}

fn workflow(engine: &Engine) -> std::sync::Arc<Workflow> {
    engine
        .workflows
        .latest("naturalization-family")
        .expect("the shipped workflow")
}

/// The refusal's code and English text, or a panic naming what came instead.
fn separation_refused<T: std::fmt::Debug>(result: Result<T, AppError>) -> String {
    match result {
        Err(AppError::Refused(refusal @ Refusal::SeparationOfDuties(_))) => {
            assert_eq!(refusal.code(), "separation_of_duties");
            assert!(refusal.is_forbidden(), "a refusal of who acts: 403");
            refusal.text().en
        }
        other => panic!("expected a separation-of-duties refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_importer_may_not_approve_or_claim_the_family_they_imported_into_approval() {
    let (_db, engine) = common::fresh_engine().await;
    let source = Source {
        name: SAMPLE.into(),
        bytes: std::fs::read(SAMPLE).expect("the sample is readable"),
    };
    import::import(
        &engine,
        &[source],
        &import::importer("sup.both", None),
        false,
        at(0),
        |_, _| {},
    )
    .await
    .expect("imports");
    // Who imported it, and as what: the trail's first event says.
    let supervisor = person("auditing.sup", &[Role::Supervisor]);
    let trail = case_view::audit_trail(&engine, IN_APPROVAL, &supervisor)
        .await
        .expect("the trail");
    assert_eq!(trail[0].action, "imported");
    assert_eq!(trail[0].actor, "sup.both");
    let payload: serde_json::Value = serde_json::from_str(&trail[0].payload).expect("json");
    let implied: BTreeSet<&str> = payload["implies"]
        .as_array()
        .expect("implies")
        .iter()
        .flat_map(|i| i["duties"].as_array().expect("duties").iter())
        .filter_map(|d| d.as_str())
        .collect();
    // Version 2 clears a family between verification and approval: an
    // import into approval implies the clearance too.
    assert_eq!(
        implied,
        BTreeSet::from(["intake", "security_clearance", "verification"])
    );

    let both = person("sup.both", &[Role::Supervisor, Role::Approver]);
    let text = separation_refused(
        perform(
            &engine,
            IN_APPROVAL,
            &both,
            &Command::new("approve"),
            None,
            at(1),
        )
        .await,
    );
    assert!(
        text.contains("One person takes at most one stage of an application")
            && text.contains("'Approve the family'"),
        "{text}"
    );
    separation_refused(
        perform(
            &engine,
            IN_APPROVAL,
            &both,
            &Command::new("reject").with("reason", "سبب مكتوب"),
            None,
            at(1),
        )
        .await,
    );
    // Neither claimed by them nor assigned to them.
    separation_refused(
        assign::assign(&engine, IN_APPROVAL, &both, Assignment::Claim, None, at(1)).await,
    );
    let loaded = read_case(&engine.store, IN_APPROVAL).await.expect("loads");
    let wf = workflow(&engine);
    let approve = options(&wf, &loaded.case, &both, at(1))
        .into_iter()
        .find(|o| o.action == "approve")
        .expect("approve is an option");
    assert_eq!(
        approve.refusal.as_ref().map(Refusal::code),
        Some("separation_of_duties"),
        "the case page shows the action disabled with the rule"
    );
    // Another approver decides.
    perform(
        &engine,
        IN_APPROVAL,
        &person("approver.other", &[Role::Approver]),
        &Command::new("approve"),
        None,
        at(1),
    )
    .await
    .expect("another approver approves");
}

#[tokio::test]
async fn a_verifier_who_opened_or_edited_the_family_may_not_verify_it() {
    let (_db, engine) = common::fresh_engine().await;
    let clerk = person("clerk.plain", &[Role::IntakeClerk]);
    let opener = person("clerk.verifier", &[Role::IntakeClerk, Role::Verifier]);
    let editor = person("editor.verifier", &[Role::IntakeClerk, Role::Verifier]);
    let verifier = person("verifier.plain", &[Role::Verifier]);

    let opened = create(&engine, &family().draft(), &opener, at(0))
        .await
        .expect("opens");
    let other = create(&engine, &family().draft(), &clerk, at(0))
        .await
        .expect("opens");
    // The second family: edited at intake by someone who verifies too.
    edit(
        &engine,
        &other.reference,
        &family().draft(),
        &editor,
        None,
        at(0),
    )
    .await
    .expect("the edit is intake work");
    for reference in [&opened.reference, &other.reference] {
        perform(
            &engine,
            reference,
            &clerk,
            &Command::new("submit_for_verification"),
            None,
            at(1),
        )
        .await
        .expect("submitted");
    }
    let text = separation_refused(
        perform(
            &engine,
            &opened.reference,
            &opener,
            &Command::on_member("verify_member", 1),
            None,
            at(2),
        )
        .await,
    );
    assert!(text.contains("they took 'Open the application'"), "{text}");
    let text = separation_refused(
        perform(
            &engine,
            &other.reference,
            &editor,
            &Command::on_member("verify_member", 1),
            None,
            at(2),
        )
        .await,
    );
    assert!(text.contains("they took 'Edit the family'"), "{text}");
    // Nor do they claim the verification.
    separation_refused(
        assign::assign(
            &engine,
            &other.reference,
            &editor,
            Assignment::Claim,
            None,
            at(2),
        )
        .await,
    );
    perform(
        &engine,
        &other.reference,
        &verifier,
        &Command::on_member("verify_member", 1),
        None,
        at(2),
    )
    .await
    .expect("another verifier verifies");
    // And whoever verified may not edit the family once it is back at intake.
    perform(
        &engine,
        &other.reference,
        &verifier,
        &Command::new("return_to_applicant").with("reason", "سبب مكتوب"),
        None,
        at(3),
    )
    .await
    .expect("returned");
    let both = person("verifier.plain", &[Role::Verifier, Role::IntakeClerk]);
    separation_refused(
        edit(
            &engine,
            &other.reference,
            &family().draft(),
            &both,
            None,
            at(4),
        )
        .await,
    );
}

/// People with overlapping roles, so that every stage has someone who
/// could also take another.
fn people() -> Vec<Actor> {
    vec![
        person("ana", &[Role::IntakeClerk, Role::Verifier]),
        person("bo", &[Role::Verifier, Role::Approver]),
        person("cy", &[Role::Approver, Role::Registrar]),
        person(
            "di",
            &[Role::Registrar, Role::IntakeClerk, Role::CardOfficer],
        ),
        person("ed", &[Role::Supervisor, Role::Verifier, Role::Approver]),
    ]
}

/// Random people take random actions (allowed or not) on a few families,
/// edit them and import one; then each case's audit trail, read on its
/// own, shows no person on both sides of a separated pair.
async fn no_case_ends_with_one_person_on_both_sides(seed: u64, steps: usize) -> Walked {
    let (_db, engine) = common::fresh_engine().await;
    let wf = workflow(&engine);
    let mut rng = Rng::new(seed);
    let people = people();
    let mut references = Vec::new();
    for i in 0..3 {
        let opener = &people[[0, 3, 4][i]];
        let created = create(&engine, &family().draft(), opener, at(0))
            .await
            .expect("opens");
        references.push(created.reference);
    }
    let importer_name = people[rng.below(people.len() as u64) as usize].id.clone();
    import::import(
        &engine,
        &[Source {
            name: SAMPLE.into(),
            bytes: std::fs::read(SAMPLE).expect("the sample is readable"),
        }],
        &import::importer(&importer_name, None),
        false,
        at(0),
        |_, _| {},
    )
    .await
    .expect("imports");
    references.push(IN_APPROVAL.to_string());
    let mut serial = 0;
    let mut walked = Walked::default();
    for step in 0..steps {
        let now = at(1 + step as i64 / 10);
        let reference = &references[rng.below(references.len() as u64) as usize];
        let actor = &people[rng.below(people.len() as u64) as usize];
        if rng.chance(60) {
            let _ = edit(&engine, reference, &family().draft(), actor, None, now).await;
            continue;
        }
        if rng.chance(60) {
            let _ = assign::assign(&engine, reference, actor, Assignment::Claim, None, now).await;
            continue;
        }
        let loaded = read_case(&engine.store, reference).await.expect("loads");
        let mut all = options(&wf, &loaded.case, actor, now);
        if all.is_empty() {
            continue;
        }
        // Mostly what the person may do, sometimes what they may not.
        if !rng.chance(200) && all.iter().any(|o| o.refusal.is_none()) {
            all.retain(|o| o.refusal.is_none());
        }
        // Rarely the closing actions, so that cases travel far.
        if !rng.chance(3) {
            all.retain(|o| !["reject", "withdraw"].contains(&o.action.as_str()));
        }
        if all.is_empty() {
            continue;
        }
        let option = &all[rng.below(all.len() as u64) as usize];
        let mut command = Command::new(&option.action);
        command.member = option.member;
        fill(&mut command, &option.fields, &mut serial);
        let result = perform(&engine, reference, actor, &command, None, now).await;
        match &result {
            Err(AppError::Refused(refusal)) if refusal.code() == "separation_of_duties" => {
                assert!(
                    option.refusal.is_some(),
                    "an allowed option refused: {refusal}"
                );
                walked.separation_refusals += 1;
            }
            Ok(outcome) if ["approval", "registration"].contains(&outcome.state.as_str()) => {
                walked.decided_on = true;
            }
            _ => {}
        }
    }
    let supervisor = person("reader", &[Role::Supervisor]);
    for reference in &references {
        let trail = case_view::audit_trail(&engine, reference, &supervisor)
            .await
            .expect("the trail");
        // person → duties, from the trail alone: those of their own
        // actions, and those an import implies they did.
        let mut did: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut implied: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for event in &trail {
            let into = if event.action == "imported" {
                &mut implied
            } else {
                &mut did
            };
            let mut count = |action: &str, state: &str| {
                for duty in duties::duties_of(&wf, action, state) {
                    into.entry(event.actor.clone())
                        .or_default()
                        .insert(duty.name.clone());
                }
            };
            match event.action.as_str() {
                "imported" => {
                    let payload: serde_json::Value =
                        serde_json::from_str(&event.payload).expect("json");
                    for implied in payload["implies"].as_array().expect("implies") {
                        count(
                            implied["action"].as_str().expect("action"),
                            implied["state"].as_str().expect("state"),
                        );
                    }
                }
                OPEN => count(OPEN, &wf.initial),
                EDIT_FAMILY => count(EDIT_FAMILY, &event.from_state),
                action => count(action, &event.from_state),
            }
        }
        // An import is one act that may imply several duties of a rule;
        // its importer then takes no action of the rule's duties at all.
        for rule in &wf.separation {
            for (who, duties) in &did {
                let own: BTreeSet<&String> =
                    rule.duties.iter().filter(|d| duties.contains(*d)).collect();
                let by_import: BTreeSet<&String> = rule
                    .duties
                    .iter()
                    .filter(|d| implied.get(who).is_some_and(|i| i.contains(*d)))
                    .collect();
                let crossed = own.len() > 1
                    || (!own.is_empty()
                        && (by_import.len() > 1 || own.union(&by_import).count() > 1));
                assert!(
                    !crossed,
                    "{reference}: {who} did {own:?} (and by import {by_import:?}), which rule {} separates",
                    rule.name
                );
            }
        }
    }
    walked
}

/// What a walk reached, so that a fixed long walk can show it went far.
#[derive(Default)]
struct Walked {
    separation_refusals: u32,
    /// Some case reached approval or registration by an action.
    decided_on: bool,
}

#[tokio::test]
async fn a_long_walk_goes_past_verification_and_meets_the_rule() {
    let walked = no_case_ends_with_one_person_on_both_sides(7, 400).await;
    assert!(
        walked.decided_on,
        "some case reached approval or registration"
    );
    assert!(
        walked.separation_refusals > 0,
        "some action was refused by the rule"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn for_random_people_and_actions_no_case_ends_with_one_person_on_both_sides_of_a_rule(
        seed in any::<u64>(),
        steps in 20usize..120,
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(no_case_ends_with_one_person_on_both_sides(seed, steps));
    }
}

/// Migration 23 carries the verifiers recorded before it over as the
/// duty `verification` (their action unknown), and back again.
#[tokio::test]
async fn migration_23_carries_the_verifiers_over_as_the_verification_duty() {
    use migration::{Migrator, MigratorTrait};
    let (db, engine) = common::fresh_engine().await;
    let verifier = person("verifier.old", &[Role::Verifier, Role::Approver]);
    let created = create(
        &engine,
        &family().draft(),
        &person("clerk", &[Role::IntakeClerk]),
        at(0),
    )
    .await
    .expect("opens");
    perform(
        &engine,
        &created.reference,
        &person("clerk", &[Role::IntakeClerk]),
        &Command::new("submit_for_verification"),
        None,
        at(1),
    )
    .await
    .expect("submitted");
    perform(
        &engine,
        &created.reference,
        &verifier,
        &Command::on_member("verify_member", 1),
        None,
        at(2),
    )
    .await
    .expect("verified");
    let conn = sea_orm::Database::connect(db.url.as_str())
        .await
        .expect("connects");
    // Migration 23 and every one after it undone, however many follow.
    let since_23 = Migrator::migrations()
        .iter()
        .rev()
        .position(|m| m.name() == "m20261204_000023_case_duties")
        .expect("migration 23 is listed")
        + 1;
    Migrator::down(&conn, Some(since_23 as u32))
        .await
        .expect("migration 23 down");
    let verifiers = common::sql::rows(&db.url, "SELECT verifiers FROM applications").await;
    let listed: Vec<String> =
        serde_json::from_str(verifiers[0][0].as_deref().expect("a value")).expect("a JSON array");
    assert_eq!(listed, vec!["verifier.old".to_string()]);
    Migrator::up(&conn, None).await.expect("migration 23 up");
    let loaded = read_case(&engine.store, &created.reference)
        .await
        .expect("loads");
    assert_eq!(
        loaded.case.duties.action_of("verification", "verifier.old"),
        Some("")
    );
    // Going down kept only the verifiers, as the column held before.
    assert!(loaded.case.duties.actors("intake").is_empty());
    // The carried-over verifier still may not decide; the refusal names the duty.
    let wf = workflow(&engine);
    let mut case = loaded.case.clone();
    case.state = "approval".into();
    let refusal = casework::workflow::decide(
        &wf,
        no_timing(),
        &case,
        &verifier,
        &Command::new("approve"),
        at(3),
    )
    .expect_err("refused");
    assert!(
        refusal.text().en.ends_with(
            "they took 'Verification of the members' (Verification of the members) on this case"
        ),
        "{refusal}"
    );
}

/// The hook for the workflow migration: a record that already puts one
/// person on two sides of a rule is named, one that does not is not.
#[tokio::test]
async fn the_migration_hook_names_a_record_that_crosses_a_rule() {
    let (_db, engine) = common::fresh_engine().await;
    let wf = workflow(&engine);
    let mut record = duties::Duties::default();
    record.add("intake", "ana", OPEN);
    record.add("approval", "bo", "approve");
    assert_eq!(duties::crossed(&wf, &record), None);
    record.add("verification", "ana", "verify_member");
    let refusal = duties::crossed(&wf, &record).expect("crossed");
    assert_eq!(refusal.code(), "separation_of_duties");
    assert!(
        refusal
            .text()
            .en
            .contains("ana may not take 'Verify the member'")
            && refusal
                .text()
                .en
                .contains("they took 'Open the application'"),
        "{refusal}"
    );
}
