//! The reminder tick: which rules are due, which cases they concern, who
//! hears about them; the mails are queued in the outbox in one transaction.
//! A lease makes one server of several run each tick, and each mail's
//! dedupe key (rule, recipient, case or digest, day) keeps it from being
//! queued twice even if two ticks overlap.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde_json::json;

use crate::app::cases::perform;
use crate::app::{AppError, Engine};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::words::statistics::MORE_CASES;
use crate::mail::templates::{self, Data, Item};
use crate::store::outbox::QueuedMail;
use crate::store::reminders::{self as store, Concerned};
use crate::store::users::{self, UserRecord};
use crate::workflow::definition::{CardStage, Concern, Recipient, ReminderRule};
use crate::workflow::machine::{REFRESH, local_date};
use crate::workflow::{Actor, Command, Refusal, Workflow};

/// The lease the tick runs under.
pub const LEASE: &str = "reminders";
/// How long a tick may hold the lease before another server may take it.
pub const LEASE_SECONDS: i64 = 300;
/// Most cases a rule looks at in one tick.
pub const MAX_ITEMS: u64 = 50_000;
/// Most cases listed in one digest; the rest are counted in a last line.
pub const MAX_DIGEST_ITEMS: usize = 200;

/// Reminder schedules are written in Asia/Damascus time (UTC+3 all year).
pub fn damascus() -> FixedOffset {
    crate::domain::calendar::syria_time()
}

/// What one tick did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TickReport {
    /// False when another server holds the lease: this one did nothing.
    pub ran: bool,
    pub rules: Vec<String>,
    pub queued: u64,
    pub already_queued: u64,
    pub card_tasks_opened: u64,
}

/// True when `rule` has a firing in (`after`, `now`].
pub fn fires_between(rule: &ReminderRule, after: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    rule.schedule
        .after(&after.with_timezone(&damascus()))
        .next()
        .is_some_and(|next| next.with_timezone(&Utc) <= now)
}

/// The day `n` working days before `today`.
fn working_days_back(calendar: &WorkingCalendar, today: NaiveDate, n: u32) -> NaiveDate {
    let mut day = today;
    let mut counted = 0;
    while counted < n {
        day -= Duration::days(1);
        if calendar.is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// The states an overdue rule looks at: its own, or every state with an SLA.
fn overdue_states(workflow: &Workflow, state: &Option<String>) -> Vec<String> {
    match state {
        Some(state) => vec![state.clone()],
        None => workflow
            .states
            .iter()
            .filter(|s| s.sla_days.is_some())
            .map(|s| s.name.clone())
            .collect(),
    }
}

/// Runs every rule that is due at `now`, as `holder` (a server's name).
pub async fn run_due(
    engine: &Engine,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<TickReport, AppError> {
    let mut report = TickReport::default();
    if !crate::store::leases::try_lease(
        &engine.store,
        LEASE,
        holder,
        now,
        now + Duration::seconds(LEASE_SECONDS),
    )
    .await?
    {
        return Ok(report);
    }
    report.ran = true;
    let people = users::reachable(&engine.store).await?;
    let result = run_rules(engine, &people, now, &mut report).await;
    crate::store::leases::release_lease(&engine.store, LEASE, holder).await?;
    result.map(|_| report)
}

async fn run_rules(
    engine: &Engine,
    people: &[UserRecord],
    now: DateTime<Utc>,
    report: &mut TickReport,
) -> Result<(), AppError> {
    let mut seen = BTreeSet::new();
    for workflow in engine.workflows.all() {
        for rule in &workflow.reminders {
            // Rules are named per workflow name; versions share their runs.
            let key = format!("{}:{}", workflow.name, rule.name);
            if !seen.insert(key.clone()) {
                continue;
            }
            let last = store::last_run(&engine.store, &key)
                .await?
                .unwrap_or(now - Duration::days(1));
            if !fires_between(rule, last, now) {
                continue;
            }
            let mails = reminder_mails(engine, workflow, rule, people, now, report).await?;
            let tx = engine.store.begin().await?;
            let queued = crate::store::outbox::queue_mails(&tx, &mails, now).await?;
            store::set_last_run(&tx, &key, now).await?;
            tx.commit().await?;
            report.queued += queued;
            report.already_queued += mails.len() as u64 - queued;
            report.rules.push(rule.name.clone());
        }
    }
    Ok(())
}

async fn reminder_mails(
    engine: &Engine,
    workflow: &Workflow,
    rule: &ReminderRule,
    people: &[UserRecord],
    now: DateTime<Utc>,
    report: &mut TickReport,
) -> Result<Vec<QueuedMail>, AppError> {
    let today = local_date(now);
    let concerned: Vec<Concerned> = match &rule.concerns {
        Concern::StateOverdue {
            state,
            after_working_days,
        } => {
            let states = overdue_states(workflow, state);
            let due_before = working_days_back(&engine.calendar, today, *after_working_days);
            store::overdue_cases(&engine.store, &states, due_before, MAX_ITEMS).await?
        }
        Concern::CardDueBirthday => {
            // The definition check makes sure a rule of this kind has its state.
            let Some(state) = workflow.card_state(CardStage::DueAtAge) else {
                return Ok(Vec::new());
            };
            let due = store::cards_due(&engine.store, state, today, MAX_ITEMS).await?;
            // The engine opens each card task itself; the mail tells people.
            let mut opened = BTreeSet::new();
            for c in &due {
                if opened.insert(c.reference.clone()) {
                    match perform(
                        engine,
                        &c.reference,
                        &Actor::system(),
                        &Command::new(REFRESH),
                        None,
                        now,
                    )
                    .await
                    {
                        Ok(_) => report.card_tasks_opened += 1,
                        Err(AppError::Refused(Refusal::NothingToDo)) | Err(AppError::Conflict) => {}
                        // One case's trouble must not hold up every other reminder.
                        Err(error) => {
                            tracing::error!(reference = %c.reference, error = %error, "could not open a card task")
                        }
                    }
                }
            }
            due
        }
        Concern::CardNotCollected { after_days } => {
            let Some(state) = workflow.card_state(CardStage::Ready) else {
                return Ok(Vec::new());
            };
            store::cards_waiting(
                &engine.store,
                state,
                today - Duration::days(*after_days as i64),
                MAX_ITEMS,
            )
            .await?
        }
        Concern::ReturnedNoAnswer { after_days } => {
            store::waiting_on_applicant(
                &engine.store,
                today - Duration::days(*after_days as i64),
                MAX_ITEMS,
            )
            .await?
        }
    };
    let item = |c: &Concerned| {
        let labels = workflow
            .state(&c.state)
            .map(|s| s.labels.clone())
            .unwrap_or_default();
        let (note_ar, note_en) = match (&c.member, c.since) {
            (Some((ordinal, name)), Some(since)) => {
                let note = format!("{ordinal}. {name} ({since})");
                (note.clone(), note)
            }
            (Some((ordinal, name)), None) => {
                let note = format!("{ordinal}. {name}");
                (note.clone(), note)
            }
            (None, _) => {
                let district = engine.place_label(&c.district);
                (district.ar, district.en)
            }
        };
        Item {
            reference: c.reference.clone(),
            state_ar: labels.ar,
            state_en: labels.en,
            note_ar,
            note_en,
            due_on: c.due_on,
        }
    };
    let mut digests: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    let mut mails = Vec::new();
    let day = today.to_string();
    for recipient in &rule.notify {
        match recipient {
            Recipient::Assignee => {
                for c in &concerned {
                    if let Some(email) = c
                        .assignee
                        .as_ref()
                        .and_then(|a| people.iter().find(|p| &p.name == a))
                        .and_then(|p| p.email.clone())
                    {
                        digests.entry(email).or_default().push(item(c));
                    }
                }
            }
            Recipient::DistrictSupervisors => {
                for c in &concerned {
                    for p in people.iter().filter(|p| {
                        p.roles.split(',').any(|r| r == "supervisor")
                            && p.district.as_deref().is_none_or(|d| d == c.district)
                    }) {
                        if let Some(email) = &p.email {
                            digests.entry(email.clone()).or_default().push(item(c));
                        }
                    }
                }
            }
            Recipient::Applicant => {
                // One mail per case, naming every member it concerns.
                let mut per_case: BTreeMap<(String, String), Vec<Item>> = BTreeMap::new();
                for c in &concerned {
                    if let Some(email) = &c.applicant_email {
                        per_case
                            .entry((c.reference.clone(), email.clone()))
                            .or_default()
                            .push(item(c));
                    }
                }
                for ((reference, email), items) in per_case {
                    let rendered = templates::render(&rule.template, &Data::Cases { items });
                    mails.push(mail(
                        format!("{}|{reference}|{email}|{day}", rule.name),
                        &email,
                        rendered,
                        &rule.name,
                    ));
                }
            }
            Recipient::LeadershipDigest => {
                // Counts only: leadership never receives a name or a case.
                let mut counts: BTreeMap<String, i64> = BTreeMap::new();
                if let Concern::StateOverdue {
                    state,
                    after_working_days,
                } = &rule.concerns
                {
                    let states = overdue_states(workflow, state);
                    let due_before =
                        working_days_back(&engine.calendar, today, *after_working_days);
                    counts = store::count_overdue_by_state(&engine.store, &states, due_before)
                        .await?
                        .into_iter()
                        .collect();
                } else {
                    for c in &concerned {
                        *counts.entry(c.state.clone()).or_default() += 1;
                    }
                }
                let rows = counts
                    .into_iter()
                    .map(|(state, n)| {
                        let labels = workflow
                            .state(&state)
                            .map(|s| s.labels.clone())
                            .unwrap_or_default();
                        (labels.ar, labels.en, n)
                    })
                    .collect();
                let rendered = templates::render(&rule.template, &Data::Counts { rows });
                for p in people
                    .iter()
                    .filter(|p| p.roles.split(',').any(|r| r == "leadership"))
                {
                    if let Some(email) = &p.email {
                        mails.push(mail(
                            format!("{}|{email}|{day}", rule.name),
                            email,
                            rendered.clone(),
                            &rule.name,
                        ));
                    }
                }
            }
        }
    }
    for (email, mut items) in digests {
        items.sort_by(|a, b| a.reference.cmp(&b.reference));
        items.dedup();
        if items.len() > MAX_DIGEST_ITEMS {
            let rest = items.len() - MAX_DIGEST_ITEMS;
            items.truncate(MAX_DIGEST_ITEMS);
            items.push(Item {
                reference: format!("+{rest}"),
                state_ar: MORE_CASES.ar.into(),
                state_en: MORE_CASES.en.into(),
                note_ar: String::new(),
                note_en: String::new(),
                due_on: None,
            });
        }
        let rendered = templates::render(&rule.template, &Data::Cases { items });
        mails.push(mail(
            format!("{}|{email}|{day}", rule.name),
            &email,
            rendered,
            &rule.name,
        ));
    }
    Ok(mails)
}

fn mail(dedupe_key: String, to: &str, rendered: templates::Rendered, rule: &str) -> QueuedMail {
    QueuedMail {
        // Hashed: any email address fits the column on every database.
        dedupe_key: crate::domain::digest::sha256_hex(dedupe_key.as_bytes()),
        recipient: to.to_string(),
        payload: json!({
            "to": to,
            "subject": rendered.subject,
            "text": rendered.text,
            "html": rendered.html,
            "rule": rule,
        }),
    }
}
