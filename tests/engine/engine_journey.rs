//! A family's case through the engine and the store, on SQLite (default) or
//! PostgreSQL (`CASEWORK_TEST_DATABASE_URL`).

use crate::common;

use casework::app::AppError;
use casework::app::cases::{create, perform};
use casework::domain::family::{ApplicationDraft, DocumentKind, Relationship};
use casework::domain::roles::Role;
use casework::store::cases::{CaseRecord, PersonRecord};
use casework::store::entities::{application, member};
use casework::store::{audit, cases};
use casework::workflow::{Actor, Command, Refusal};
use common::actors::officer_in;
use common::cases::case_in_verification;
use common::families::family;
use common::sql;
use common::time::{at, date, utc};
use sea_orm::{ColumnTrait, Database, EntityTrait, QueryFilter, QueryOrder};

/// The district of the family and of every officer bound to one.
const DISTRICT: &str = "al_qamishli";

/// Nine o'clock UTC, `day` days after 1 March 2026.
/// The shared five-member family, with the applicant's email.
fn family_draft() -> ApplicationDraft {
    family().email(Some("family@example.org")).draft()
}

async fn member_states(engine: &casework::app::Engine, reference: &str) -> Vec<String> {
    let loaded = cases::read_case(&engine.store, reference)
        .await
        .expect("the case loads");
    loaded
        .case
        .members
        .iter()
        .map(|m| m.state.clone())
        .collect()
}

#[tokio::test]
async fn a_family_goes_from_intake_to_completed_with_an_exclusion_a_child_and_a_member_abroad() {
    let (_db, engine) = common::fresh_engine().await;
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let verifier = officer_in(DISTRICT, "verifier.b", Role::Verifier);
    let approver = officer_in(DISTRICT, "approver.c", Role::Approver);
    let registrar = officer_in(DISTRICT, "registrar.d", Role::Registrar);
    let cards = officer_in(DISTRICT, "cards.e", Role::CardOfficer);

    let created = create(&engine, &family_draft(), &clerk, at(0))
        .await
        .expect("the case opens");
    assert_eq!(created.reference, "HSK-2026-000001");
    assert_eq!(created.state, "intake");
    let r = created.reference.as_str();
    let act = |actor: &Actor, command: Command, day: i64| {
        let engine = engine.clone();
        let actor = actor.clone();
        async move { perform(&engine, r, &actor, &command, None, at(day)).await }
    };

    act(&clerk, Command::new("submit_for_verification"), 1)
        .await
        .expect("submitted");
    for m in [1, 2, 4, 5] {
        act(&verifier, Command::on_member("verify_member", m), 2)
            .await
            .expect("verified");
    }
    act(
        &verifier,
        Command::on_member("exclude_member", 3).with("reason", "لا يوجد قيد مطابق في سجل الأجانب"),
        2,
    )
    .await
    .expect("excluded");
    act(&verifier, Command::new("complete_verification"), 3)
        .await
        .expect("verification complete");
    // Version 2: a verifier of another desk clears the family.
    let clearer = Actor {
        id: "verifier.clearance".into(),
        roles: vec![Role::Verifier],
        district: None,
    };
    match act(&verifier, Command::new("grant_clearance"), 3).await {
        Err(AppError::Refused(refused @ Refusal::SeparationOfDuties(_))) => {
            assert_eq!(refused.code(), "separation_of_duties")
        }
        other => panic!("the verifier cleared their own family: {other:?}"),
    }
    act(&clearer, Command::new("grant_clearance"), 3)
        .await
        .expect("cleared");

    // Separation of duties: whoever verified may not approve, even with the role.
    let both = Actor {
        id: "verifier.b".into(),
        roles: vec![Role::Verifier, Role::Approver],
        district: None,
    };
    match act(&both, Command::new("approve"), 4).await {
        Err(AppError::Refused(refused @ Refusal::SeparationOfDuties(_))) => {
            assert_eq!(refused.code(), "separation_of_duties")
        }
        other => panic!("the verifier approved: {other:?}"),
    }
    act(&approver, Command::new("approve"), 4)
        .await
        .expect("approved");

    for (m, number) in [
        (1, "10234567891"),
        (2, "10234567892"),
        (4, "10234567894"),
        (5, "10234567895"),
    ] {
        act(
            &registrar,
            Command::on_member("register_member", m).with("national_number", number),
            5,
        )
        .await
        .expect("registered");
    }
    let loaded = cases::read_case(&engine.store, r).await.expect("loads");
    assert_eq!(
        loaded.case.state, "biometrics_capture",
        "registration ends by itself"
    );
    assert_eq!(
        member_states(&engine, r).await,
        [
            "awaiting_appearance",
            "awaiting_appearance",
            "excluded",
            "card_due",
            "awaiting_appearance"
        ]
    );
    assert_eq!(
        loaded.case.member(4).and_then(|m| m.card_due_on),
        Some(date(2030, 9, 3)),
        "the child's card falls due on the 14th birthday"
    );

    // Version 2: every present member of card age gives photo and
    // fingerprints, then the cards are printed.
    for m in [1, 2] {
        act(&cards, Command::on_member("record_biometrics", m), 6)
            .await
            .expect("biometrics");
    }
    let loaded = cases::read_case(&engine.store, r).await.expect("loads");
    assert_eq!(loaded.case.state, "card_printing", "capture ends by itself");
    for m in [1, 2] {
        act(
            &cards,
            Command::on_member("record_card_printed", m)
                .with("card_number", &format!("SY00000{m}")),
            7,
        )
        .await
        .expect("printed");
    }
    act(
        &cards,
        Command::on_member("hand_over_card", 1).with("collector_document", "بطاقة مؤقتة 1"),
        8,
    )
    .await
    .expect("collected");
    let last = act(
        &cards,
        Command::on_member("hand_over_card", 2).with("collector_document", "بطاقة مؤقتة 2"),
        8,
    )
    .await
    .expect("collected");
    assert_eq!(
        last.state, "completed",
        "the family completes once every present eligible member has a card"
    );
    assert_eq!(
        member_states(&engine, r).await,
        [
            "collected",
            "collected",
            "excluded",
            "card_due",
            "awaiting_appearance"
        ],
        "the child and the member abroad stay open as member-level card tasks"
    );

    // The member abroad comes in person after completion.
    act(&cards, Command::on_member("record_biometrics", 5), 30)
        .await
        .expect("abroad member appears");
    // The family itself accepts nothing more.
    match act(&clerk, Command::new("withdraw").with("reason", "سبب"), 31).await {
        Err(AppError::Refused(Refusal::CaseClosed { .. })) => {}
        other => panic!("a completed case accepted a family action: {other:?}"),
    }
    // On the 14th birthday the engine opens the child's card task by itself.
    let system = Actor::system();
    let before = utc(2030, 9, 1, 9, 0);
    assert!(matches!(
        perform(&engine, r, &system, &Command::new("refresh"), None, before).await,
        Err(AppError::Refused(Refusal::NothingToDo))
    ));
    let birthday = utc(2030, 9, 3, 6, 0);
    perform(
        &engine,
        r,
        &system,
        &Command::new("refresh"),
        None,
        birthday,
    )
    .await
    .expect("card task opens");
    assert_eq!(member_states(&engine, r).await[3], "awaiting_appearance");

    let report = audit::verify(&engine.store).await.expect("verify runs");
    assert_eq!(report.first_broken, None);
    assert_eq!(report.applications, 1);
    assert!(
        report.events >= 20,
        "every command was audited: {}",
        report.events
    );
}

#[tokio::test]
async fn a_stale_version_changes_nothing() {
    let (_db, engine) = common::fresh_engine().await;
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let created = create(&engine, &family_draft(), &clerk, at(0))
        .await
        .expect("opens");
    let r = created.reference.as_str();
    let first = perform(
        &engine,
        r,
        &clerk,
        &Command::new("submit_for_verification"),
        Some(created.version),
        at(1),
    )
    .await
    .expect("the first officer acts");
    assert_eq!(first.version, created.version + 1);
    let verifier = officer_in(DISTRICT, "verifier.b", Role::Verifier);
    let stale = perform(
        &engine,
        r,
        &verifier,
        &Command::on_member("verify_member", 1),
        Some(created.version),
        at(1),
    )
    .await;
    assert!(
        matches!(stale, Err(AppError::StaleVersion { expected, current }) if expected == created.version && current == first.version),
        "{stale:?}"
    );
    assert_eq!(
        member_states(&engine, r).await[0],
        "pending",
        "the stale command changed nothing"
    );
    let loaded = cases::read_case(&engine.store, r).await.expect("loads");
    assert_eq!(
        loaded.record.audit_seq, 2,
        "no audit event for the refused command"
    );
}

#[tokio::test]
async fn concurrent_officers_at_one_version_make_exactly_one_change() {
    let (_db, engine) = common::fresh_engine().await;
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let created = create(&engine, &family_draft(), &clerk, at(0))
        .await
        .expect("opens");
    let mut tasks = Vec::new();
    for i in 0..8 {
        let engine = engine.clone();
        let reference = created.reference.clone();
        let clerk = officer_in(DISTRICT, &format!("clerk.{i}"), Role::IntakeClerk);
        tasks.push(tokio::spawn(async move {
            perform(
                &engine,
                &reference,
                &clerk,
                &Command::new("submit_for_verification"),
                Some(1),
                at(1),
            )
            .await
        }));
    }
    let mut ok = 0;
    for task in tasks {
        match task.await.expect("the task runs") {
            Ok(_) => ok += 1,
            Err(AppError::StaleVersion { .. } | AppError::Conflict | AppError::Refused(_)) => {}
            Err(AppError::Unavailable(_)) | Err(AppError::Unexpected(_)) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }
    assert_eq!(ok, 1, "exactly one officer's change lands");
    let loaded = cases::read_case(&engine.store, &created.reference)
        .await
        .expect("loads");
    assert_eq!(loaded.case.version, 2);
    assert_eq!(loaded.record.audit_seq, 2);
}

#[tokio::test]
async fn a_tampered_audit_row_is_named_by_verification() {
    let (db, engine) = common::fresh_engine().await;
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let mut references = Vec::new();
    for day in 0..3 {
        references.push(
            case_in_verification(&engine, &family_draft(), &clerk, at(day), at(day + 1)).await,
        );
    }
    assert_eq!(
        audit::verify(&engine.store)
            .await
            .expect("verifies")
            .first_broken,
        None
    );

    sql::execute(
        &db.url,
        "UPDATE audit_events SET actor = 'someone.else' WHERE seq = 2 AND application_id = \
         (SELECT id FROM applications WHERE reference = 'HSK-2026-000002')",
    )
    .await;
    let broken = audit::verify(&engine.store)
        .await
        .expect("verifies")
        .first_broken
        .expect("the tampering is found");
    assert_eq!(broken.reference, "HSK-2026-000002");
    assert_eq!(broken.seq, 2);
    assert!(broken.problem.contains("altered"), "{}", broken.problem);

    sql::execute(
        &db.url,
        "UPDATE audit_events SET actor = 'clerk.a' WHERE seq = 2 AND application_id = \
         (SELECT id FROM applications WHERE reference = 'HSK-2026-000002')",
    )
    .await;
    sql::execute(
        &db.url,
        "DELETE FROM audit_events WHERE seq = 2 AND application_id = \
         (SELECT id FROM applications WHERE reference = 'HSK-2026-000003')",
    )
    .await;
    let broken = audit::verify(&engine.store)
        .await
        .expect("verifies")
        .first_broken
        .expect("the removal is found");
    assert_eq!(broken.reference, "HSK-2026-000003");
    assert!(broken.problem.contains("removed"), "{}", broken.problem);
}

#[tokio::test]
async fn invalid_families_are_refused_with_field_level_messages() {
    let (_db, engine) = common::fresh_engine().await;
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let mut draft = family_draft();
    draft.members[1].relationship = Relationship::Head;
    draft.members[2].register_number = Some("1203/45877".into());
    draft.members[3].birth_date = date(2027, 1, 1);
    match create(&engine, &draft, &clerk, at(0)).await {
        Err(AppError::Invalid(errors)) => {
            let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
            assert_eq!(
                fields,
                [
                    "members",
                    "members[2].register_number",
                    "members[3].birth_date"
                ],
                "{errors:?}"
            );
        }
        other => panic!("an invalid family was accepted: {other:?}"),
    }
    assert_eq!(
        cases::count_applications(&engine.store)
            .await
            .expect("counts"),
        0
    );
}

#[tokio::test]
async fn a_member_without_a_register_extract_cannot_be_verified_and_the_refusal_names_them() {
    let (_db, engine) = common::fresh_engine().await;
    let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
    let mut draft = family_draft();
    draft.members[2].documents = vec![DocumentKind::Photos];
    let created = create(&engine, &draft, &clerk, at(0)).await.expect("opens");
    match perform(
        &engine,
        &created.reference,
        &clerk,
        &Command::new("submit_for_verification"),
        None,
        at(1),
    )
    .await
    {
        Err(AppError::Refused(refusal)) => {
            assert_eq!(refusal.code(), "guard_failed");
            assert_eq!(
                refusal.text().en,
                "member 3, عمر محمد العلي, has no register extract"
            );
        }
        other => panic!("submitted without documents: {other:?}"),
    }
}

#[tokio::test]
async fn the_demo_drives_every_state_and_its_chains_verify() {
    let (db, engine) = common::fresh_engine().await;
    let now = utc(2026, 11, 1, 12, 0);
    let report = casework::app::demo::build(&engine, 400, 7, now, |_| {})
        .await
        .expect("the demo builds");
    assert_eq!(report.families, 400);
    assert!(report.commands > 400 * 5, "{report:?}");
    let states = cases::count_by_state(&engine.store).await.expect("counts");
    for state in [
        "intake",
        "returned",
        "verification",
        "approval",
        "registration",
        "card_issuance",
        "completed",
        "rejected",
        "withdrawn",
    ] {
        assert!(
            states.iter().any(|(s, n)| s == state && *n > 0),
            "no demo case in {state}: {states:?}"
        );
    }
    let verified = audit::verify(&engine.store).await.expect("verifies");
    assert_eq!(verified.first_broken, None);
    // Persons never registered: one per 100 families, some added to their
    // family (an event on each of the two cases).
    assert_eq!(report.unregistered, 4, "{report:?}");
    assert_eq!(
        verified.events,
        report.commands + report.families + report.unregistered + 2 * report.joined,
        "one audit event per command plus creation, and two per person added to a family"
    );

    // A case's load reads its columns by position: in every state the demo
    // reaches, it returns exactly the rows the entities read by name.
    let conn = Database::connect(db.url.as_str()).await.expect("connects");
    let rows = application::Entity::find()
        .all(&conn)
        .await
        .expect("applications");
    assert_eq!(rows.len() as u64, 400 + report.unregistered);
    let mut people_seen = Vec::new();
    let mut registered_seen = false;
    for row in &rows {
        let (loaded, people, _) = cases::read_case_with_people(&engine.store, &row.reference)
            .await
            .expect("loads");
        assert_eq!(loaded.record, CaseRecord::from(row.clone()));
        assert_eq!(loaded.case.duties.to_json(), row.duties);
        let expected = member::Entity::find()
            .filter(member::Column::ApplicationId.eq(row.id))
            .order_by_asc(member::Column::Ordinal)
            .all(&conn)
            .await
            .expect("members");
        for (m, stored) in loaded.case.members.iter().zip(&expected) {
            assert_eq!(m.state_changed_on, stored.state_changed_on);
            assert_eq!(m.registered_on, stored.registered_on);
        }
        assert!(loaded.case.members.len() == expected.len());
        registered_seen |= loaded
            .case
            .members
            .iter()
            .any(|m| m.registered_on.is_some());
        let expected: Vec<PersonRecord> = expected.into_iter().map(PersonRecord::from).collect();
        assert_eq!(people, expected, "{}", row.reference);
        people_seen.extend(people);
    }
    // Every optional member column was read with a value somewhere.
    assert!(people_seen.iter().any(|m| m.national_number.is_some()));
    assert!(people_seen.iter().any(|m| m.card_number.is_some()));
    assert!(people_seen.iter().any(|m| m.card_due_on.is_some()));
    assert!(registered_seen);
    assert!(people_seen.iter().any(|m| m.exclusion_reason.is_some()));
    assert!(rows.iter().any(|r| r.due_on.is_some()));
}

#[tokio::test]
async fn a_national_number_is_given_to_one_person_only() {
    let (_db, engine) = common::fresh_engine().await;
    let mut references = Vec::new();
    for day in 0..2 {
        let mut draft = family_draft();
        // Distinct register entries per family.
        for (i, m) in draft.members.iter_mut().enumerate() {
            m.register_number = Some(format!("{}/{}", 500 + day, i + 1));
        }
        let clerk = officer_in(DISTRICT, "clerk.a", Role::IntakeClerk);
        let r = case_in_verification(&engine, &draft, &clerk, at(day), at(day)).await;
        for m in 1..=5 {
            perform(
                &engine,
                &r,
                &officer_in(DISTRICT, "verifier.b", Role::Verifier),
                &Command::on_member("verify_member", m),
                None,
                at(day),
            )
            .await
            .expect("verified");
        }
        perform(
            &engine,
            &r,
            &officer_in(DISTRICT, "verifier.b", Role::Verifier),
            &Command::new("complete_verification"),
            None,
            at(day),
        )
        .await
        .expect("complete");
        perform(
            &engine,
            &r,
            &officer_in(DISTRICT, "verifier.e", Role::Verifier),
            &Command::new("grant_clearance"),
            None,
            at(day),
        )
        .await
        .expect("cleared");
        perform(
            &engine,
            &r,
            &officer_in(DISTRICT, "approver.c", Role::Approver),
            &Command::new("approve"),
            None,
            at(day),
        )
        .await
        .expect("approved");
        references.push(r);
    }
    let registrar = officer_in(DISTRICT, "registrar.d", Role::Registrar);
    let register = |reference: String| {
        let engine = engine.clone();
        let registrar = registrar.clone();
        async move {
            perform(
                &engine,
                &reference,
                &registrar,
                &Command::on_member("register_member", 1).with("national_number", "10234567891"),
                None,
                at(5),
            )
            .await
        }
    };
    register(references[0].clone())
        .await
        .expect("the first person gets the number");
    let second = register(references[1].clone()).await;
    // Recognised by its constraint's name on either database, so the
    // refusal names the number.
    assert!(
        matches!(&second, Err(AppError::Duplicate(what)) if what.en == "national number 10234567891 is given to another person"),
        "{second:?}"
    );
    let loaded = cases::read_case(&engine.store, &references[1])
        .await
        .expect("loads");
    assert_eq!(
        loaded.case.members[0].state, "verified",
        "the refused registration changed nothing"
    );
}
