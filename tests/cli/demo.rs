//! The demo province and its accounts: enough officers for every
//! separation rule, plausible families, office hours, work queues not led
//! by one kind of case, and holds that follow the work.

use std::collections::{BTreeMap, BTreeSet};

use casework::app::demo::{self, DemoAccount};
use casework::app::lists::{QueueQuery, queue};
use casework::app::{AppError, Engine};
use casework::domain::calendar::{local_date, syria_time};
use casework::domain::family::age_on;
use casework::domain::roles::Role;
use casework::workflow::definition::Outcome;
use casework::workflow::{Actor, Command, Refusal};
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};

use crate::common;
use common::cases::fill;
use common::families::Family;

/// A demo account as the engine sees it (every district).
fn actor(account: &DemoAccount) -> Actor {
    Actor {
        id: account.name.clone(),
        roles: account.roles.clone(),
        district: None,
    }
}

/// A fresh engine with `families` demo families of `seed` and the demo's
/// officers.
async fn demo_engine(families: u64, seed: u64) -> (common::TestDb, Engine, Vec<DemoAccount>) {
    let (db, engine) = common::fresh_engine().await;
    demo::build(&engine, families, seed, Utc::now(), |_| {})
        .await
        .expect("the demo province is built");
    let officers = demo::add_officers(&engine, "a demo password long enough", Utc::now())
        .await
        .expect("the demo's officers are added");
    (db, engine, officers)
}

/// Performs `command` as the first demo account of `role` the separation
/// rules and the holds allow; returns who did and the state after.
async fn as_first_allowed(
    engine: &Engine,
    accounts: &[DemoAccount],
    reference: &str,
    role: Role,
    command: &Command,
) -> (String, String) {
    let mut refusals = Vec::new();
    for account in accounts.iter().filter(|a| a.roles.contains(&role)) {
        match casework::app::cases::perform(
            engine,
            reference,
            &actor(account),
            command,
            None,
            Utc::now(),
        )
        .await
        {
            Ok(outcome) => return (account.name.clone(), outcome.state),
            Err(AppError::Refused(
                refusal @ (Refusal::SeparationOfDuties(_) | Refusal::HeldByAnother { .. }),
            )) => refusals.push(format!("{}: {refusal}", account.name)),
            Err(other) => panic!("{} {}: {other:?}", account.name, command.action),
        }
    }
    panic!(
        "no demo {role} may take {} on {reference}: {refusals:?}",
        command.action
    )
}

#[tokio::test]
async fn the_demo_accounts_alone_take_a_new_case_of_the_default_workflow_to_completed() {
    let (_db, engine) = common::fresh_engine().await;
    let accounts = demo::add_officers(&engine, "a demo password long enough", Utc::now())
        .await
        .expect("the demo's officers are added");
    let names: Vec<(&str, Vec<Role>)> = accounts
        .iter()
        .map(|a| (a.name.as_str(), a.roles.clone()))
        .collect();
    assert_eq!(
        names,
        [
            ("demo.clerk", vec![Role::IntakeClerk]),
            ("demo.verifier", vec![Role::Verifier]),
            ("demo.verifier2", vec![Role::Verifier]),
            ("demo.approver", vec![Role::Approver]),
            ("demo.registrar", vec![Role::Registrar]),
            ("demo.cards", vec![Role::CardOfficer]),
            ("demo.supervisor", vec![Role::Supervisor]),
        ]
    );
    let workflow = engine
        .workflows
        .latest(&engine.settings.default_workflow)
        .expect("the default workflow");
    let clerk = actor(&accounts[0]);
    let draft = Family::empty()
        .head("أحمد", (1970, 5, 1), "1203/45877")
        .spouse("عائشة", (1975, 7, 9), "1203/45878")
        .son("عمر", (1998, 1, 20), "1203/45879")
        .draft();
    let created = casework::app::cases::create(&engine, &draft, &clerk, Utc::now())
        .await
        .expect("the clerk opens the case");
    let reference = created.reference;
    assert_eq!(created.state, workflow.initial);
    let members = [1_u32, 2, 3];
    // Every transition on the way, with the role whose work it is.
    let mut path: Vec<(Role, Command)> =
        vec![(Role::IntakeClerk, Command::new("submit_for_verification"))];
    for m in members {
        path.push((Role::Verifier, Command::on_member("verify_member", m)));
    }
    path.push((Role::Verifier, Command::new("complete_verification")));
    path.push((Role::Verifier, Command::new("grant_clearance")));
    path.push((Role::Approver, Command::new("approve")));
    for m in members {
        path.push((Role::Registrar, Command::on_member("register_member", m)));
    }
    for action in ["record_biometrics", "record_card_printed", "hand_over_card"] {
        for m in members {
            path.push((Role::CardOfficer, Command::on_member(action, m)));
        }
    }
    let mut serial = 0;
    let mut who_did: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut state = created.state;
    for (role, mut command) in path {
        let fields = workflow
            .transitions
            .iter()
            .chain(&workflow.member.transitions)
            .find(|t| t.action == command.action)
            .map(|t| t.fields.iter().map(|f| f.as_str()).collect::<Vec<_>>())
            .unwrap_or_default();
        fill(&mut command, &fields, &mut serial);
        let (name, after) = as_first_allowed(&engine, &accounts, &reference, role, &command).await;
        who_did.entry(state.clone()).or_default().insert(name);
        state = after;
    }
    let completed = workflow
        .state(&state)
        .is_some_and(|s| s.meaning.closes == Some(Outcome::Completed));
    assert!(completed, "the case ended in {state}: {who_did:?}");
    // The security clearance was the second verifier's.
    let clearance: Vec<&String> = who_did
        .iter()
        .filter(|(_, people)| people.contains("demo.verifier2"))
        .map(|(state, _)| state)
        .collect();
    assert_eq!(clearance.len(), 1, "{who_did:?}");
    assert!(
        !who_did[clearance[0]].contains("demo.verifier"),
        "{who_did:?}"
    );
}

/// Each member's case, relationship, sex and birth date, and each case's
/// submission date and linked family case, of the demo in `db`.
async fn demo_people(db: &common::TestDb) -> Vec<Vec<Option<String>>> {
    common::sql::rows(
        &db.url,
        "SELECT a.reference, m.relationship, m.sex, CAST(m.birth_date AS TEXT), \
         CAST(a.submitted_on AS TEXT), a.workflow_name FROM members m JOIN applications a ON a.id = m.application_id \
         ORDER BY a.reference, m.ordinal",
    )
    .await
}

/// A moment as either database writes it as text (SQLite's RFC 3339,
/// PostgreSQL's `2026-12-08 03:13:00+00`).
fn moment(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f%#z"))
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&Utc)
}

fn date(text: &Option<String>) -> NaiveDate {
    let text = text.as_deref().expect("a date");
    NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").expect("a date")
}

#[tokio::test]
async fn demo_children_are_born_to_mothers_aged_16_to_50() {
    let (db, _engine, _) = demo_engine(300, 7).await;
    let people = demo_people(&db).await;
    let mut families: BTreeMap<String, Vec<&Vec<Option<String>>>> = BTreeMap::new();
    for row in &people {
        families
            .entry(row[0].clone().expect("a reference"))
            .or_default()
            .push(row);
    }
    let mothers: BTreeMap<&str, NaiveDate> = families
        .iter()
        .filter_map(|(reference, members)| {
            let mother = members
                .iter()
                .find(|m| m[1].as_deref() == Some("spouse"))
                .or(members.iter().find(|m| {
                    m[1].as_deref() == Some("head") && m[2].as_deref() == Some("female")
                }))?;
            Some((reference.as_str(), date(&mother[3])))
        })
        .collect();
    // The never-registered persons' cases name their family's case.
    let links: BTreeMap<String, String> = common::sql::rows(
        &db.url,
        "SELECT p.reference, f.reference FROM case_links l \
         JOIN applications p ON p.id = l.person_application_id \
         JOIN applications f ON f.id = l.family_application_id",
    )
    .await
    .into_iter()
    .filter_map(|r| Some((r[0].clone()?, r[1].clone()?)))
    .collect();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for row in &people {
        if !matches!(row[1].as_deref(), Some("son" | "daughter")) {
            continue;
        }
        let reference = row[0].clone().expect("a reference");
        let family = links.get(&reference).unwrap_or(&reference);
        let Some(mother) = mothers.get(family.as_str()) else {
            continue;
        };
        let age = age_on(*mother, date(&row[3]));
        checked += 1;
        if !(16..=50).contains(&age) {
            wrong.push(format!("{reference}: mother aged {age}"));
        }
    }
    assert!(checked > 300, "only {checked} children with a known mother");
    assert!(wrong.is_empty(), "{} of {checked}: {wrong:?}", wrong.len());
}

/// Whether `at` is in office hours: Sunday to Thursday, 08:00 to 15:00 in
/// Syria, not a holiday.
fn in_office_hours(engine: &Engine, at: DateTime<Utc>) -> bool {
    let local = at.with_timezone(&syria_time());
    !matches!(local.weekday(), Weekday::Fri | Weekday::Sat)
        && engine.calendar.is_working_day(local_date(at))
        && (8..15).contains(&local.hour())
}

#[tokio::test]
async fn demo_officers_act_in_office_hours_and_applications_come_on_working_days() {
    let (db, engine, _) = demo_engine(300, 7).await;
    let events = common::sql::rows(
        &db.url,
        "SELECT CAST(at AS TEXT), actor, action FROM audit_events",
    )
    .await;
    assert!(events.len() > 3000, "{}", events.len());
    let outside: Vec<String> = events
        .iter()
        .filter(|e| {
            let at = moment(e[0].as_deref().expect("a time"));
            !in_office_hours(&engine, at)
        })
        .map(|e| format!("{:?} {:?} {:?}", e[0], e[1], e[2]))
        .collect();
    assert!(
        outside.is_empty(),
        "{} of {} events outside office hours: {:?}",
        outside.len(),
        events.len(),
        &outside[..outside.len().min(10)]
    );
    let submitted = common::sql::rows(
        &db.url,
        "SELECT CAST(submitted_on AS TEXT) FROM applications",
    )
    .await;
    let closed: Vec<NaiveDate> = submitted
        .iter()
        .map(|r| date(&r[0]))
        .filter(|d| !engine.calendar.is_working_day(*d))
        .collect();
    assert!(closed.is_empty(), "{closed:?}");
}

#[tokio::test]
async fn never_registered_persons_follow_their_family_and_do_not_lead_the_clerks_queue() {
    let (db, engine, officers) = demo_engine(1500, 7).await;
    // A person's case opens after the family case it is linked to.
    let before = common::sql::rows(
        &db.url,
        "SELECT p.reference, CAST(p.created_at AS TEXT), f.reference, \
         CAST(f.created_at AS TEXT) FROM case_links l \
         JOIN applications p ON p.id = l.person_application_id \
         JOIN applications f ON f.id = l.family_application_id \
         WHERE p.created_at < f.created_at",
    )
    .await;
    assert!(before.is_empty(), "{before:?}");
    let unregistered = engine
        .workflows
        .latest("unregistered-persons")
        .expect("the second workflow");
    let clerk = officers
        .iter()
        .find(|a| a.roles.contains(&Role::IntakeClerk))
        .expect("a demo clerk");
    let page = queue(
        &engine,
        &actor(clerk),
        QueueQuery {
            limit: 50,
            ..QueueQuery::default()
        },
        Utc::now(),
    )
    .await
    .expect("the clerk's queue");
    assert_eq!(page.items.len(), 50);
    let persons = page
        .items
        .iter()
        .filter(|c| unregistered.state(&c.state).is_some())
        .count();
    assert!(
        persons * 3 < page.items.len(),
        "{persons} of the first {} cases of the clerk's queue are never-registered persons'",
        page.items.len()
    );
}

/// Every held case is held by a user whose roles work its state, and no
/// closed case is held.
async fn holds_follow_the_work(db: &common::TestDb, engine: &Engine) -> usize {
    let roles: BTreeMap<String, Vec<Role>> = casework::app::users::list(engine)
        .await
        .expect("the users")
        .into_iter()
        .map(|u| (u.name, u.roles))
        .collect();
    let held = common::sql::rows(
        &db.url,
        "SELECT reference, workflow_name, CAST(workflow_version AS TEXT), state, assignee \
         FROM applications \
         WHERE assignee IS NOT NULL",
    )
    .await;
    for case in &held {
        let [reference, name, version, state, holder] = &case[..] else {
            unreachable!()
        };
        let (reference, state, holder) = (
            reference.clone().unwrap_or_default(),
            state.clone().unwrap_or_default(),
            holder.clone().unwrap_or_default(),
        );
        let workflow = engine
            .workflows
            .get(
                name.as_deref().unwrap_or_default(),
                version.as_deref().and_then(|v| v.parse().ok()).unwrap_or(0),
            )
            .expect("the case's workflow");
        let definition = workflow.state(&state).expect("the case's state");
        assert!(
            !definition.terminal,
            "{reference} is {state} and held by {holder}"
        );
        let theirs = roles
            .get(&holder)
            .unwrap_or_else(|| panic!("{reference} is held by {holder}, who is no user"));
        assert!(
            theirs.iter().any(|r| definition.worked_by.contains(r)),
            "{reference} is {state}, held by {holder} ({theirs:?}), who does not work it"
        );
    }
    held.len()
}

#[tokio::test]
async fn no_demo_case_is_held_by_someone_whose_roles_do_not_work_its_state() {
    for seed in [3, 7, 11] {
        let (db, engine, officers) = demo_engine(80, seed).await;
        holds_follow_the_work(&db, &engine).await;
        // The demo's officers then work the first cases of their queues,
        // each taking the first action the engine allows them, a few
        // rounds: the holds they take and leave keep the rule.
        let mut taken = 0;
        let mut held = 0;
        let mut assigned = 0;
        for _round in 0..3 {
            for account in officers
                .iter()
                .filter(|a| !a.roles.contains(&Role::Supervisor))
            {
                let officer = actor(account);
                let page = queue(
                    &engine,
                    &officer,
                    QueueQuery {
                        limit: 4,
                        ..QueueQuery::default()
                    },
                    Utc::now(),
                )
                .await
                .expect("the queue");
                for case in page.items {
                    taken += take_some_action(&engine, &officer, &case.reference).await as usize;
                }
            }
            held += holds_follow_the_work(&db, &engine).await;
            // The supervisor gives cases out to every officer, whatever the
            // case's state (refused where no role of theirs works it), and
            // acts on some, taking them over: the rule still holds.
            assigned += give_out_and_take_over(&engine, &officers).await;
            held += holds_follow_the_work(&db, &engine).await;
        }
        assert!(taken > 10, "seed {seed}: only {taken} actions taken");
        assert!(held > 0, "seed {seed}: no case was ever held");
        assert!(assigned > 0, "seed {seed}: no case was ever assigned");
    }
}

/// The demo's supervisor assigns the first cases of the province, held or
/// not, to the officers in turn, then takes the first action allowed on
/// every other one; how many assignments were accepted. An assignment to
/// an officer none of whose roles works the case's state is refused as
/// such.
async fn give_out_and_take_over(engine: &Engine, officers: &[DemoAccount]) -> usize {
    let supervisor = actor(
        officers
            .iter()
            .find(|a| a.roles.contains(&Role::Supervisor))
            .expect("a demo supervisor"),
    );
    let workers: Vec<&DemoAccount> = officers
        .iter()
        .filter(|a| !a.roles.contains(&Role::Supervisor))
        .collect();
    let cases = casework::app::lists::list(
        engine,
        &supervisor,
        casework::app::lists::ListQuery {
            limit: 24,
            ..Default::default()
        },
        Utc::now(),
    )
    .await
    .expect("the province's cases")
    .items;
    let mut assigned = 0;
    for (i, case) in cases.iter().enumerate() {
        let to = workers[i % workers.len()];
        match casework::app::assign::assign(
            engine,
            &case.reference,
            &supervisor,
            casework::app::assign::Assignment::AssignTo(to.name.clone()),
            None,
            Utc::now(),
        )
        .await
        {
            Ok(_) => assigned += 1,
            Err(AppError::Refused(refusal)) => assert!(
                matches!(
                    refusal.code(),
                    "state_not_worked_by_assignee" | "separation_of_duties" | "case_closed"
                ),
                "{}: {}",
                case.reference,
                refusal.text().en
            ),
            Err(AppError::Invalid(_)) => {}
            Err(other) => panic!("{}: {other}", case.reference),
        }
        if i % 2 == 1 {
            take_some_action(engine, &supervisor, &case.reference).await;
        }
    }
    assigned
}

/// Takes the first action of the case's workflow that the engine allows
/// `officer` on the case (a member's on one of its first three members),
/// the fields filled in; whether one was.
async fn take_some_action(engine: &Engine, officer: &Actor, reference: &str) -> bool {
    let view = casework::app::case_view::read(engine, reference, officer, Utc::now())
        .await
        .expect("the case");
    let (workflow, state) = (view.workflow, view.record.state);
    let mut serial = 0;
    let mut commands = Vec::new();
    for t in workflow
        .transitions
        .iter()
        .filter(|t| t.from.contains(&state))
    {
        commands.push((Command::new(&t.action), &t.fields));
    }
    for t in &workflow.member.transitions {
        for m in 1..=3 {
            commands.push((Command::on_member(&t.action, m), &t.fields));
        }
    }
    for (mut command, fields) in commands {
        let fields: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
        fill(&mut command, &fields, &mut serial);
        if casework::app::cases::perform(engine, reference, officer, &command, None, Utc::now())
            .await
            .is_ok()
        {
            return true;
        }
    }
    false
}
