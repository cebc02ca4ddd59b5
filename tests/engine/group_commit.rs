//! Group commit on PostgreSQL (`CASEWORK_TEST_DATABASE_URL`): steps held
//! at the committer and written as one batch keep their own version
//! guards. On SQLite steps are written one at a time and there is no batch
//! to form: each test checks that and stops.

use crate::common;

use std::time::Duration as StdDuration;

use casework::app::cases::{Outcome, perform, perform_once};
use casework::app::{AppError, Engine};
use casework::domain::roles::Role;
use casework::store::cases::read_case;
use casework::workflow::{Actor, Command};
use common::actors::officer_in;
use common::cases::case_in_verification;
use common::families::family;
use common::time::at;
use tokio::task::JoinHandle;

const DISTRICT: &str = "al_qamishli";

fn verifier() -> Actor {
    officer_in(DISTRICT, "verifier.b", Role::Verifier)
}

/// `count` cases in verification, each with register entries of its own.
async fn cases_in_verification(engine: &Engine, count: usize) -> Vec<String> {
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let mut references = Vec::new();
    for n in 0..count {
        let mut draft = family().email(Some("family@example.org")).draft();
        for (i, m) in draft.members.iter_mut().enumerate() {
            m.register_number = Some(format!("{}/{}", 700 + n, i + 1));
        }
        references.push(case_in_verification(engine, &draft, &clerk, at(0), at(1)).await);
    }
    references
}

/// `command` on `reference` as the verifier, on a task of its own.
fn spawn_perform(
    engine: &Engine,
    reference: &str,
    command: Command,
) -> JoinHandle<Result<Outcome, AppError>> {
    let engine = engine.clone();
    let reference = reference.to_string();
    tokio::spawn(
        async move { perform(&engine, &reference, &verifier(), &command, None, at(2)).await },
    )
}

/// Waits until `count` more steps than `before` were handed to the
/// committer (each task has read its case and decided its step).
async fn wait_for_steps(engine: &Engine, before: u64, count: u64) {
    for _ in 0..5_000 {
        if engine.store.group_commit_figures().submitted >= before + count {
            return;
        }
        tokio::time::sleep(StdDuration::from_millis(2)).await;
    }
    panic!("the steps never reached the committer");
}

/// The version, the audit chain's length and each member's state.
async fn case_facts(engine: &Engine, reference: &str) -> (i64, i64, Vec<String>) {
    let loaded = read_case(&engine.store, reference)
        .await
        .expect("the case loads");
    (
        loaded.case.version,
        loaded.record.audit_seq,
        loaded
            .case
            .members
            .iter()
            .map(|m| m.state.clone())
            .collect(),
    )
}

#[tokio::test]
async fn a_batch_with_one_stale_step_commits_the_others_and_refuses_that_one() {
    let (_db, engine) = common::fresh_engine().await;
    let references = cases_in_verification(&engine, 3).await;
    if engine.store.is_sqlite() {
        assert_eq!(engine.store.group_commit_figures().submitted, 0);
        return;
    }
    let before: Vec<_> = {
        let mut facts = Vec::new();
        for r in &references {
            facts.push(case_facts(&engine, r).await);
        }
        facts
    };
    let figures = engine.store.group_commit_figures();
    let held = engine.store.hold_group_commits().await;
    let tasks: Vec<_> = references
        .iter()
        .map(|r| spawn_perform(&engine, r, Command::on_member("verify_member", 1)))
        .collect();
    wait_for_steps(&engine, figures.submitted, 3).await;
    // The second case moves on in a transaction of its own (group commit
    // off for it, so it does not queue behind the held committer) while its
    // step waits in the batch: that step is now stale.
    engine.store.set_group_commit(false);
    perform_once(
        &engine,
        "moves-the-second-case",
        &references[1],
        &verifier(),
        &Command::on_member("verify_member", 2),
        None,
        at(2),
    )
    .await
    .expect("the second case changes outside the batch");
    engine.store.set_group_commit(true);
    drop(held);
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("the task runs"));
    }
    let after = engine.store.group_commit_figures();
    assert_eq!(after.batches, figures.batches + 1, "one batch");
    assert_eq!(after.steps, figures.steps + 3, "of the three steps");

    for i in [0, 2] {
        let outcome = results[i].as_ref().expect("the fresh steps commit");
        let (version, seq, states) = case_facts(&engine, &references[i]).await;
        assert_eq!(outcome.version, before[i].0 + 1);
        // The step's event and the claim its first action made.
        assert_eq!((version, seq), (before[i].0 + 1, before[i].1 + 2));
        assert_eq!(states[0], "verified");
    }
    assert!(
        matches!(results[1], Err(AppError::Conflict)),
        "the stale step is refused: {:?}",
        results[1]
    );
    let (version, seq, states) = case_facts(&engine, &references[1]).await;
    assert_eq!(
        (version, seq),
        (before[1].0 + 1, before[1].1 + 2),
        "only the change made outside the batch (and its claim)"
    );
    assert_eq!(states[0], before[1].2[0], "the stale step wrote nothing");
    assert_eq!(states[1], "verified");
}

#[tokio::test]
async fn two_steps_of_one_case_in_one_batch_never_both_apply_against_one_version() {
    let (_db, engine) = common::fresh_engine().await;
    let references = cases_in_verification(&engine, 2).await;
    if engine.store.is_sqlite() {
        assert_eq!(engine.store.group_commit_figures().submitted, 0);
        return;
    }
    let (version, seq, _) = case_facts(&engine, &references[0]).await;
    let figures = engine.store.group_commit_figures();
    let held = engine.store.hold_group_commits().await;
    let first = spawn_perform(
        &engine,
        &references[0],
        Command::on_member("verify_member", 1),
    );
    let second = spawn_perform(
        &engine,
        &references[0],
        Command::on_member("verify_member", 2),
    );
    let other = spawn_perform(
        &engine,
        &references[1],
        Command::on_member("verify_member", 1),
    );
    wait_for_steps(&engine, figures.submitted, 3).await;
    drop(held);
    let first = first.await.expect("the task runs");
    let second = second.await.expect("the task runs");
    other
        .await
        .expect("the task runs")
        .expect("the other case's step commits");

    let applied: Vec<_> = [&first, &second].into_iter().flatten().collect();
    assert_eq!(applied.len(), 1, "exactly one of the two lands");
    assert_eq!(applied[0].version, version + 1);
    let refused = if first.is_ok() { &second } else { &first };
    assert!(
        matches!(refused, Err(AppError::Conflict)),
        "the other is refused as stale: {refused:?}"
    );
    let (after_version, after_seq, states) = case_facts(&engine, &references[0]).await;
    // One step's event, and the claim of the verifier's first action.
    assert_eq!((after_version, after_seq), (version + 1, seq + 2));
    let verified = states.iter().filter(|s| *s == "verified").count();
    assert_eq!(verified, 1, "one member verified: {states:?}");
    // The second step of the case went to a later batch.
    let after = engine.store.group_commit_figures();
    assert_eq!(after.batches, figures.batches + 2);

    // Decided again against the first one's result, it lands.
    let member = if first.is_ok() { 2 } else { 1 };
    perform(
        &engine,
        &references[0],
        &verifier(),
        &Command::on_member("verify_member", member),
        None,
        at(2),
    )
    .await
    .expect("the refused step, decided again, commits");
    let (version_now, seq_now, _) = case_facts(&engine, &references[0]).await;
    assert_eq!(
        (version_now, seq_now),
        (version + 2, seq + 3),
        "two steps and one claim"
    );
}

/// `count` approved cases, each with register entries of its own.
async fn approved_cases(engine: &Engine, count: usize) -> Vec<String> {
    let references = cases_in_verification(engine, count).await;
    for r in &references {
        for m in 1..=5 {
            perform(
                engine,
                r,
                &verifier(),
                &Command::on_member("verify_member", m),
                None,
                at(2),
            )
            .await
            .expect("verified");
        }
        for (actor, action) in [
            (verifier(), "complete_verification"),
            (
                officer_in(DISTRICT, "verifier.e", Role::Verifier),
                "grant_clearance",
            ),
            (
                officer_in(DISTRICT, "approver.c", Role::Approver),
                "approve",
            ),
        ] {
            perform(engine, r, &actor, &Command::new(action), None, at(3))
                .await
                .unwrap_or_else(|e| panic!("{action}: {e:?}"));
        }
    }
    references
}

/// Registers member 1 of `reference` under `national_number`, on a task
/// of its own.
fn spawn_register(
    engine: &Engine,
    reference: &str,
    national_number: &str,
) -> JoinHandle<Result<Outcome, AppError>> {
    let engine = engine.clone();
    let reference = reference.to_string();
    let command = Command::on_member("register_member", 1).with("national_number", national_number);
    tokio::spawn(async move {
        let registrar = officer_in(DISTRICT, "registrar.d", Role::Registrar);
        perform(&engine, &reference, &registrar, &command, None, at(5)).await
    })
}

#[tokio::test]
async fn a_batch_that_fails_is_written_step_by_step_and_only_the_failing_step_is_refused() {
    let (_db, engine) = common::fresh_engine().await;
    let references = approved_cases(&engine, 3).await;
    if engine.store.is_sqlite() {
        assert_eq!(engine.store.group_commit_figures().submitted, 0);
        return;
    }
    spawn_register(&engine, &references[0], "10234567891")
        .await
        .expect("the task runs")
        .expect("the first person gets the number");
    let (version, seq, _) = case_facts(&engine, &references[1]).await;
    let figures = engine.store.group_commit_figures();
    let held = engine.store.hold_group_commits().await;
    // The same number again (the whole batch's statement fails on the
    // unique index), and a fresh number on another case.
    let taken = spawn_register(&engine, &references[1], "10234567891");
    let fresh = spawn_register(&engine, &references[2], "10234567892");
    wait_for_steps(&engine, figures.submitted, 2).await;
    drop(held);
    let taken = taken.await.expect("the task runs");
    assert!(
        matches!(taken, Err(AppError::Duplicate(_))),
        "the taken number is refused: {taken:?}"
    );
    fresh
        .await
        .expect("the task runs")
        .expect("the other step of the failed batch commits on its own");
    let after = engine.store.group_commit_figures();
    assert_eq!(after.batches, figures.batches + 1, "the two were one batch");
    assert_eq!(
        (version, seq),
        {
            let (v, s, _) = case_facts(&engine, &references[1]).await;
            (v, s)
        },
        "the refused step wrote nothing"
    );
    let (_, _, registered) = case_facts(&engine, &references[0]).await;
    let (_, _, states) = case_facts(&engine, &references[2]).await;
    assert_eq!(states[0], registered[0], "registered as the first one was");
}
