//! Scheduled reminders and the outbox, with a clock the tests move.

use crate::common;

use casework::app::Engine;
use casework::app::cases::{create, perform};
use casework::app::{outbox, reminders, users};
use casework::domain::family::ApplicationDraft;
use casework::domain::roles::Role;
use casework::mail::Mailer;
use casework::store::outbox::list;
use casework::workflow::Command;
use chrono::{Datelike, Duration, Utc, Weekday};
use common::actors::officer;
use common::cases;
use common::families::Family;
use common::time::{damascus, date};

/// The first office of `district` in the built-in places.
fn first_office(district: &str) -> &'static str {
    match district {
        "al_qamishli" => "qamishli_1",
        _ => "hasakah_centre",
    }
}

/// A head of family and his son, born when the test needs, in `district`.
fn family(district: &str, email: Option<&str>, child_born: (i32, u32, u32)) -> ApplicationDraft {
    Family::empty()
        .at_office(district, first_office(district))
        .born_in("الحسكة")
        .email(email)
        .head("أحمد", (1970, 5, 1), "7/1")
        .son("عمر", child_born, "7/2")
        .draft()
}

/// Opens a case on 1 March 2026 and submits it: verification is due ten
/// working days later.
async fn case_in_verification(engine: &Engine, district: &str) -> String {
    let start = damascus(2026, 3, 1, 9, 0);
    let draft = family(district, None, (2000, 1, 1));
    cases::case_in_verification(
        engine,
        &draft,
        &officer("intake_clerk.x", Role::IntakeClerk),
        start,
        start,
    )
    .await
}

async fn supervisors(engine: &Engine) {
    let now = Utc::now();
    users::add(
        engine,
        "sup.hasakah",
        &[Role::Supervisor],
        Some("al_hasakah"),
        Some("sup.hasakah@example.org"),
        now,
    )
    .await
    .expect("added");
    users::add(
        engine,
        "sup.qamishli",
        &[Role::Supervisor],
        Some("al_qamishli"),
        Some("sup.qamishli@example.org"),
        now,
    )
    .await
    .expect("added");
}

#[tokio::test]
async fn overdue_cases_reach_their_district_supervisor_in_one_digest_once_a_day() {
    let (_db, engine) = common::fresh_engine().await;
    supervisors(&engine).await;
    let mut references = Vec::new();
    for _ in 0..3 {
        references.push(case_in_verification(&engine, "al_hasakah").await);
    }
    case_in_verification(&engine, "al_qamishli").await;

    // Friday 3 April: the Sunday-to-Thursday overdue rule does not fire.
    let friday = damascus(2026, 4, 3, 7, 0);
    assert_eq!(
        friday.with_timezone(&reminders::damascus()).weekday(),
        Weekday::Fri
    );
    let report = reminders::run_due(&engine, "server-a", friday)
        .await
        .expect("tick");
    assert!(
        !report.rules.contains(&"overdue_cases".to_string()),
        "{report:?}"
    );

    // Sunday 5 April, 07:00 in Damascus: it fires.
    let sunday = damascus(2026, 4, 5, 7, 0);
    let report = reminders::run_due(&engine, "server-a", sunday)
        .await
        .expect("tick");
    assert!(
        report.rules.contains(&"overdue_cases".to_string()),
        "{report:?}"
    );
    let mailer = Mailer::memory();
    outbox::dispatch_due(&engine, &mailer, sunday, 100)
        .await
        .expect("dispatch");
    let sent = mailer.sent();
    let hasakah: Vec<_> = sent
        .iter()
        .filter(|m| m.to == "sup.hasakah@example.org")
        .collect();
    assert_eq!(hasakah.len(), 1, "one digest, not one mail per case");
    for reference in &references {
        assert!(
            hasakah[0].text.contains(reference.as_str()),
            "{}",
            hasakah[0].text
        );
    }
    assert!(
        hasakah[0].text.contains("التدقيق"),
        "the digest is in Arabic first"
    );
    let qamishli: Vec<_> = sent
        .iter()
        .filter(|m| m.to == "sup.qamishli@example.org")
        .collect();
    assert_eq!(qamishli.len(), 1);
    assert!(
        !references
            .iter()
            .any(|r| qamishli[0].text.contains(r.as_str())),
        "another district's cases stay out"
    );

    // A second server ticking later the same day queues nothing again.
    let later = damascus(2026, 4, 5, 7, 0) + Duration::seconds(1);
    reminders::run_due(&engine, "server-b", later)
        .await
        .expect("tick");
    let rerun = reminders::run_due(&engine, "server-b", damascus(2026, 4, 5, 18, 0))
        .await
        .expect("tick");
    assert_eq!(rerun.queued, 0);
    outbox::dispatch_due(&engine, &mailer, later, 100)
        .await
        .expect("dispatch");
    assert_eq!(mailer.sent().len(), sent.len());
}

#[tokio::test]
async fn a_held_lease_keeps_a_second_server_from_ticking() {
    let (_db, engine) = common::fresh_engine().await;
    let now = damascus(2026, 4, 5, 7, 0);
    assert!(
        casework::store::leases::try_lease(
            &engine.store,
            reminders::LEASE,
            "server-a",
            now,
            now + Duration::minutes(5)
        )
        .await
        .expect("lease")
    );
    let report = reminders::run_due(&engine, "server-b", now)
        .await
        .expect("tick");
    assert!(
        !report.ran,
        "server-b must wait while server-a holds the lease"
    );
    let report = reminders::run_due(&engine, "server-b", now + Duration::minutes(6))
        .await
        .expect("tick");
    assert!(report.ran, "a lapsed lease can be taken over");
}

#[tokio::test]
async fn on_the_14th_birthday_the_engine_opens_the_card_task_and_mails_the_applicant() {
    let (_db, engine) = common::fresh_engine().await;
    let start = damascus(2026, 3, 1, 9, 0);
    let child_birth = (2016, 9, 6);
    let created = create(
        &engine,
        &family("al_hasakah", Some("family@example.org"), child_birth),
        &officer("intake_clerk.x", Role::IntakeClerk),
        start,
    )
    .await
    .expect("opens");
    let r = created.reference.as_str();
    let steps = [
        (Role::IntakeClerk, Command::new("submit_for_verification")),
        (Role::Verifier, Command::on_member("verify_member", 1)),
        (Role::Verifier, Command::on_member("verify_member", 2)),
        (Role::Verifier, Command::new("complete_verification")),
        (Role::Verifier, Command::new("grant_clearance")),
        (Role::Approver, Command::new("approve")),
        (
            Role::Registrar,
            Command::on_member("register_member", 1).with("national_number", "10000000001"),
        ),
        (
            Role::Registrar,
            Command::on_member("register_member", 2).with("national_number", "10000000002"),
        ),
    ];
    for (role, command) in steps {
        // The clearance is another verifier's (separation of duties).
        let id = if command.action == "grant_clearance" {
            "verifier.clearance".to_string()
        } else {
            format!("{}.x", role.as_str())
        };
        perform(&engine, r, &officer(id, role), &command, None, start)
            .await
            .expect("step");
    }
    let mailer = Mailer::memory();
    outbox::dispatch_due(&engine, &mailer, start, 100)
        .await
        .expect("dispatch");
    let before = mailer.sent().len();
    // 6 September 2030 is the birthday; find the first day the rule runs (Sun–Thu).
    let mut day = date(2030, 9, 6);
    while matches!(day.weekday(), Weekday::Fri | Weekday::Sat) {
        day += Duration::days(1);
    }
    let at = damascus(day.year(), day.month(), day.day(), 6, 30);
    let report = reminders::run_due(&engine, "server-a", at)
        .await
        .expect("tick");
    assert_eq!(report.card_tasks_opened, 1, "{report:?}");
    let loaded = casework::store::cases::read_case(&engine.store, r)
        .await
        .expect("loads");
    assert_eq!(loaded.case.members[1].state, "awaiting_appearance");
    outbox::dispatch_due(&engine, &mailer, at, 100)
        .await
        .expect("dispatch");
    let new: Vec<_> = mailer.sent().into_iter().skip(before).collect();
    assert!(
        new.iter()
            .any(|m| m.to == "family@example.org" && m.text.contains("عمر محمد العلي")),
        "{new:#?}"
    );
}

/// The delivery guarantee: a dispatcher killed after sending and before
/// recording leaves the row claimed; when the claim runs out the mail is
/// sent again with the same Message-ID. Nothing is lost; at most that one
/// mail is duplicated.
#[tokio::test]
async fn a_kill_between_sending_and_recording_loses_nothing_and_resends_with_the_same_message_id() {
    let (_db, engine) = common::fresh_engine().await;
    supervisors(&engine).await;
    case_in_verification(&engine, "al_hasakah").await;
    let sunday = damascus(2026, 4, 5, 7, 0);
    reminders::run_due(&engine, "server-a", sunday)
        .await
        .expect("tick");
    let mailer = Mailer::memory();

    // The first dispatcher claims and sends, then dies before recording.
    let claimed = outbox::claim_ready(&engine, sunday, 100)
        .await
        .expect("claims");
    let outbox::Claimed { row, mail, .. } = claimed
        .into_iter()
        .find(|c| c.mail.is_some())
        .expect("a mail to send");
    let mail = mail.expect("a mail");
    mailer.send(&mail).await.expect("sent");

    // Before the claim runs out, nobody resends it.
    let soon = sunday + Duration::seconds(outbox::CLAIM_SECONDS - 60);
    outbox::dispatch_due(&engine, &mailer, soon, 100)
        .await
        .expect("dispatch");
    let copies = |mailer: &Mailer| {
        mailer
            .sent()
            .iter()
            .filter(|m| m.message_id == mail.message_id)
            .count()
    };
    assert_eq!(copies(&mailer), 1);

    // After it runs out, the row is sent again and recorded.
    let later = sunday + Duration::seconds(outbox::CLAIM_SECONDS + 1);
    outbox::dispatch_due(&engine, &mailer, later, 100)
        .await
        .expect("dispatch");
    assert_eq!(
        copies(&mailer),
        2,
        "at least once: resent, with the same Message-ID"
    );
    let rows = list(&engine.store, Some("sent"), 100).await.expect("rows");
    assert!(rows.iter().any(|r| r.id == row.id));
    outbox::dispatch_due(&engine, &mailer, later + Duration::hours(1), 100)
        .await
        .expect("dispatch");
    assert_eq!(copies(&mailer), 2, "once recorded, never again");
}

#[tokio::test]
async fn failing_mail_is_retried_with_backoff_then_marked_failed_and_can_be_retried() {
    let (_db, engine) = common::fresh_engine().await;
    supervisors(&engine).await;
    case_in_verification(&engine, "al_hasakah").await;
    let mut now = damascus(2026, 4, 5, 7, 0);
    reminders::run_due(&engine, "server-a", now)
        .await
        .expect("tick");
    // Nothing listens on port 9 of the loopback address.
    let broken = Mailer::from_url("smtp://127.0.0.1:9").expect("a mailer");
    for attempt in 1..=outbox::MAX_ATTEMPTS {
        let report = outbox::dispatch_due(&engine, &broken, now, 100)
            .await
            .expect("dispatch");
        if attempt < outbox::MAX_ATTEMPTS {
            assert!(
                report.retrying > 0 && report.failed == 0,
                "attempt {attempt}: {report:?}"
            );
            // Not before the backoff has passed.
            let early = outbox::dispatch_due(&engine, &broken, now + Duration::seconds(30), 100)
                .await
                .expect("dispatch");
            assert_eq!(early.retrying + early.failed, 0);
            now += outbox::backoff(attempt) + Duration::seconds(1);
        } else {
            assert!(report.failed > 0, "{report:?}");
        }
    }
    let failed = list(&engine.store, Some("failed"), 100)
        .await
        .expect("rows");
    assert!(!failed.is_empty() && failed.iter().all(|r| r.last_error.is_some()));
    assert_eq!(
        outbox::retry(&engine, None, now).await.expect("retry"),
        failed.len() as u64
    );
    let mailer = Mailer::memory();
    let report = outbox::dispatch_due(&engine, &mailer, now, 100)
        .await
        .expect("dispatch");
    assert_eq!(report.sent, failed.len() as u64);
}

/// Two server processes share one database and tick at the same moment:
/// every reminder is queued once.
#[tokio::test]
async fn two_processes_ticking_at_once_queue_each_reminder_once() {
    let (db, engine) = common::fresh_engine().await;
    supervisors(&engine).await;
    for _ in 0..5 {
        case_in_verification(&engine, "al_hasakah").await;
    }
    let dir = common::temp_dir("remind");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_casework"))
            .args(["remind", "--once", "--at", "2026-04-05T07:00:00+03:00"])
            .current_dir(&dir.0)
            .env("DATABASE_URL", &db.url)
            .env("CASEWORK_MAIL_URL", "file://./mail")
            .env("CASEWORK_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("starts")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (
        a.wait_with_output().expect("a ends"),
        b.wait_with_output().expect("b ends"),
    );
    assert!(a.status.success() && b.status.success());
    let rows = list(&engine.store, None, 1000).await.expect("rows");
    let reminder_rows: Vec<_> = rows.iter().filter(|r| r.dedupe_key.is_some()).collect();
    let keys: std::collections::BTreeSet<_> = reminder_rows
        .iter()
        .filter_map(|r| r.dedupe_key.clone())
        .collect();
    assert_eq!(keys.len(), reminder_rows.len(), "no reminder queued twice");
    assert!(
        reminder_rows
            .iter()
            .any(|r| r.recipient.as_deref() == Some("sup.hasakah@example.org"))
    );
    assert!(
        reminder_rows.iter().all(|r| r.status == "sent"),
        "one of the two sent each mail"
    );
    let files = std::fs::read_dir(dir.0.join("mail"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, reminder_rows.len(), "each mail written once");
}

/// Real SMTP: runs when `.ci/run` has started maildev and set
/// `CASEWORK_TEST_SMTP_URL` and `CASEWORK_TEST_MAILDEV_API`.
#[tokio::test]
async fn mail_reaches_a_real_smtp_server_with_arabic_bodies() {
    let (Ok(smtp), Ok(api)) = (
        std::env::var("CASEWORK_TEST_SMTP_URL"),
        std::env::var("CASEWORK_TEST_MAILDEV_API"),
    ) else {
        eprintln!("CASEWORK_TEST_SMTP_URL is not set: the SMTP round trip runs in .ci/run");
        return;
    };
    let (_db, engine) = common::fresh_engine().await;
    let unique = format!("sup.{}@example.org", std::process::id());
    users::add(
        &engine,
        "sup.smtp",
        &[Role::Supervisor],
        Some("al_hasakah"),
        Some(&unique),
        Utc::now(),
    )
    .await
    .expect("added");
    let reference = case_in_verification(&engine, "al_hasakah").await;
    let now = damascus(2026, 4, 5, 7, 0);
    reminders::run_due(&engine, "server-a", now)
        .await
        .expect("tick");
    let mailer = Mailer::from_url(&smtp).expect("an SMTP mailer");
    let report = outbox::dispatch_due(&engine, &mailer, now, 100)
        .await
        .expect("dispatch");
    assert!(report.sent >= 1, "{report:?}");
    let received: serde_json::Value = reqwest::get(format!("{api}/email"))
        .await
        .expect("maildev answers")
        .json()
        .await
        .expect("json");
    let mail = received
        .as_array()
        .expect("a list")
        .iter()
        .find(|m| m["to"][0]["address"] == unique.as_str())
        .unwrap_or_else(|| panic!("no mail to {unique}: {received}"));
    assert!(
        mail["subject"]
            .as_str()
            .is_some_and(|s| s.starts_with("تذكير")),
        "{}",
        mail["subject"]
    );
    assert!(
        mail["text"]
            .as_str()
            .is_some_and(|t| t.contains(&reference) && t.contains("التدقيق")),
        "{}",
        mail["text"]
    );
    assert!(
        mail["html"]
            .as_str()
            .is_some_and(|h| h.contains("dir=\"rtl\""))
    );
}

/// Two `casework serve` processes share one database; their schedulers
/// start at the same moment. Each reminder is mailed once across both.
#[tokio::test]
async fn two_servers_on_one_database_mail_each_reminder_once() {
    let (db, engine) = common::fresh_engine().await;
    supervisors(&engine).await;
    for _ in 0..4 {
        case_in_verification(&engine, "al_hasakah").await;
    }
    let dirs = [common::temp_dir("server-a"), common::temp_dir("server-b")];
    let mut children: Vec<std::process::Child> = dirs
        .iter()
        .map(|dir| {
            std::process::Command::new(env!("CARGO_BIN_EXE_casework"))
                .args(["serve", "--addr", "127.0.0.1:0"])
                .current_dir(&dir.0)
                .env("DATABASE_URL", &db.url)
                .env("CASEWORK_MAIL_URL", "file://./mail")
                .env("CASEWORK_SCHEDULER_START", "2026-04-05T07:00:00+03:00")
                .env("CASEWORK_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("a server starts")
        })
        .collect();
    // Wait (bounded) until the first tick has queued and sent the reminders.
    let started = std::time::Instant::now();
    let mut rows = Vec::new();
    while started.elapsed() < std::time::Duration::from_secs(60) {
        rows = list(&engine.store, None, 1000).await.expect("rows");
        let reminders: Vec<_> = rows.iter().filter(|r| r.dedupe_key.is_some()).collect();
        if !reminders.is_empty() && reminders.iter().all(|r| r.status == "sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    for child in &mut children {
        let _ = child.kill();
        let _ = child.wait();
    }
    let reminder_rows: Vec<_> = rows.iter().filter(|r| r.dedupe_key.is_some()).collect();
    assert!(
        !reminder_rows.is_empty(),
        "the schedulers queued nothing: {rows:#?}"
    );
    assert!(
        reminder_rows.iter().all(|r| r.status == "sent"),
        "{reminder_rows:#?}"
    );
    let files: usize = dirs
        .iter()
        .map(|d| {
            std::fs::read_dir(d.0.join("mail"))
                .map(|entries| entries.count())
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(
        files,
        reminder_rows.len(),
        "each reminder mailed once across both servers"
    );
}

#[tokio::test]
async fn an_applicant_s_mail_names_the_office_in_each_language_never_by_its_code() {
    let (_db, engine) = common::fresh_engine().await;
    let start = damascus(2026, 3, 1, 9, 0);
    let reference = cases::case_in_verification(
        &engine,
        &family("al_hasakah", Some("family@example.org"), (2000, 1, 1)),
        &officer("intake_clerk.x", Role::IntakeClerk),
        start,
        start,
    )
    .await;
    perform(
        &engine,
        &reference,
        &officer("verifier.x", Role::Verifier),
        &Command::new("return_to_applicant").with("reason", "ينقص إخراج القيد"),
        None,
        start,
    )
    .await
    .expect("returned");
    let mailer = Mailer::memory();
    outbox::dispatch_due(&engine, &mailer, start, 100)
        .await
        .expect("dispatch");
    let sent = mailer.sent();
    let mail = sent
        .iter()
        .find(|m| m.to == "family@example.org")
        .expect("the applicant is mailed");
    let (arabic, english) = mail
        .text
        .split_once("\n\n")
        .expect("an Arabic part, then an English part");
    assert!(arabic.contains("مركز الحسكة"), "{arabic}");
    assert!(english.contains("Al-Hasakah centre"), "{english}");
    assert!(!english.contains("مركز الحسكة"), "{english}");
    assert!(!mail.text.contains("hasakah_centre"), "{}", mail.text);
    assert!(!mail.html.contains("hasakah_centre"), "{}", mail.html);
}
