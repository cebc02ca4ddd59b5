//! A synthetic province: families with realistic Arabic names in the four
//! districts of al-Hasakah, driven through the real engine to states spread
//! over the whole workflow. No row bypasses the engine: every case is opened
//! and moved by decided, audited commands, stored in bulk.

pub mod accounts;
mod hours;
mod names;
mod persons;

use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};

use crate::app::cases::CaseBuilder;
use crate::app::{AppError, Engine};
use crate::domain::calendar::WorkingCalendar;
use crate::domain::family::{
    Application, ApplicationDraft, DocumentKind, Member, MemberDraft, Relationship, Sex,
};
use crate::domain::roles::Role;
use crate::workflow::definition::CardStage;
use crate::workflow::{Actor, Command, Refusal, Workflow};
pub use accounts::{DIRECTOR, DemoAccount, add_officers, director_full_name};
use hours::OfficeTime;
use names::{FAMILY, FEMALE, MALE, PLACES, spelled};
use persons::{OpenFamily, build_unregistered};

/// The districts of the province with their offices and relative weights.
pub const DISTRICTS: &[(&str, &[&str], u32)] = &[
    ("al_hasakah", &["hasakah_centre", "hasakah_north"], 30),
    ("al_qamishli", &["qamishli_1", "qamishli_2", "amuda"], 40),
    ("al_malikiyah", &["malikiyah"], 18),
    ("ras_al_ayn", &["ras_al_ayn"], 12),
];

/// A small deterministic generator (SplitMix64): the same seed gives the
/// same province.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, per_thousand: u64) -> bool {
        self.below(1000) < per_thousand
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// Where a demo family's case is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    Intake,
    Returned,
    Verification,
    Approval,
    Registration,
    CardIssuance,
    Completed,
    Rejected,
    Withdrawn,
}

/// Share of families per target state, in per mille.
const TARGETS: &[(Target, u64)] = &[
    (Target::Intake, 50),
    (Target::Returned, 25),
    (Target::Verification, 175),
    (Target::Approval, 95),
    (Target::Registration, 75),
    (Target::CardIssuance, 300),
    (Target::Completed, 215),
    (Target::Rejected, 35),
    (Target::Withdrawn, 30),
];

/// What the demo built.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub families: u64,
    pub persons: u64,
    pub commands: u64,
    pub cards_collected: u64,
    /// Cases of persons never entered in any register (one per 100 families).
    pub unregistered: u64,
    /// Of those, the persons added to their family's case.
    pub joined: u64,
}

/// Officers of one district.
struct Officers {
    clerk: Actor,
    verifier: Actor,
    approver: Actor,
    registrar: Actor,
    card_officer: Actor,
}

fn officer(name: String, role: Role, district: &str) -> Actor {
    Actor {
        id: name,
        roles: vec![role],
        district: Some(district.to_string()),
    }
}

/// A user name says the place the way its people write it in Latin
/// letters (`clerk.qamishli.0`), not by the place's code (`al_qamishli`).
fn user_place(district: &str) -> String {
    district.trim_start_matches("al_").replace('_', "-")
}

impl Officers {
    /// The district's officer of `role` on this shift, or its supervisor.
    fn of_role(&self, role: Role, district: &str) -> Actor {
        match role {
            Role::IntakeClerk => self.clerk.clone(),
            Role::Verifier => self.verifier.clone(),
            Role::Approver => self.approver.clone(),
            Role::Registrar => self.registrar.clone(),
            Role::CardOfficer => self.card_officer.clone(),
            _ => officer(
                format!("supervisor.{}", user_place(district)),
                Role::Supervisor,
                district,
            ),
        }
    }

    fn of(district: &str, shift: u64) -> Officers {
        Officers {
            clerk: officer(
                format!("clerk.{}.{shift}", user_place(district)),
                Role::IntakeClerk,
                district,
            ),
            verifier: officer(
                format!("verifier.{}.{shift}", user_place(district)),
                Role::Verifier,
                district,
            ),
            approver: officer(
                format!("approver.{}.{shift}", user_place(district)),
                Role::Approver,
                district,
            ),
            registrar: officer(
                format!("registrar.{}.{shift}", user_place(district)),
                Role::Registrar,
                district,
            ),
            card_officer: officer(
                format!("cards.{}.{shift}", user_place(district)),
                Role::CardOfficer,
                district,
            ),
        }
    }
}

/// The definition version the demo's province was worked under: the 2011
/// procedure (version 1), whose commands the demo drives. Its running cases
/// are what `casework workflow migrate` moves to the newest version.
pub const DEMO_VERSION: u32 = 1;

/// The youngest a demo mother is at a child's birth, in years.
const MOTHER_YOUNGEST: u32 = 16;
/// The oldest a demo mother is at a child's birth, in years.
const MOTHER_OLDEST: u32 = 50;
/// How much younger than the father a mother not on the application is
/// taken to be, in years.
const MOTHER_YOUNGER_BY: u32 = 6;

/// Builds `families` demo families ending at `now`, stored in batches; calls
/// `progress(done)` after each batch.
pub async fn build(
    engine: &Engine,
    families: u64,
    seed: u64,
    now: DateTime<Utc>,
    mut progress: impl FnMut(u64),
) -> Result<DemoReport, AppError> {
    let workflow = engine
        .workflows
        .get(&engine.settings.default_workflow, DEMO_VERSION)
        .ok_or_else(|| {
            AppError::NotFound(crate::domain::words::problems::no_workflow(
                &engine.settings.default_workflow,
            ))
        })?;
    let mut rng = Rng::new(seed);
    let mut report = DemoReport::default();
    let prefix = engine.settings.reference_prefix.clone();
    let mut national = 0_u64;
    let mut sequences: std::collections::BTreeMap<i32, i64> = Default::default();
    let batch_size = 500;
    let mut done = 0;
    // The families still taking members, which persons' cases link to.
    let mut open_families: Vec<OpenFamily> = Vec::new();
    while done < families {
        let count = batch_size.min(families - done);
        let mut built = Vec::with_capacity(count as usize);
        for _ in 0..count {
            let (draft, target) = family(&mut rng, now, &engine.calendar);
            let application = draft
                .validate_in(crate::workflow::machine::local_date(now), &engine.places)
                .map_err(AppError::Invalid)?;
            let year = application.submitted_on.year();
            let sequence = sequences.entry(year).or_insert(0);
            *sequence += 1;
            let reference = format!("{prefix}-{year}-{:06}", *sequence);
            let drive = drive(
                engine,
                workflow.clone(),
                &mut rng,
                reference,
                application,
                target,
                &mut national,
                now,
            )
            .map_err(|r| {
                AppError::unexpected(format!("the demo's own command was refused: {r}"))
            })?;
            let (new, commands) = drive?;
            if workflow
                .state(&new.case.state)
                .is_some_and(|s| s.takes_members)
                && let Some(head) = new.people.first()
            {
                open_families.push(OpenFamily {
                    reference: new.meta.reference.clone(),
                    submitted_on: new.meta.submitted_on,
                    last_at: new.events.last().map_or(now, |e| e.draft.at),
                    mother_birth: mother_birth(&new.people),
                    worker: workflow
                        .state(&new.case.state)
                        .and_then(|s| s.worked_by.first().copied())
                        .unwrap_or(Role::Supervisor),
                    district: new.meta.district.clone(),
                    office: new.meta.office.clone(),
                    father: head.first_name.as_str().to_string(),
                    family_name: head.family_name.as_str().to_string(),
                    mother: new.people.get(1).map_or_else(
                        || format!("{} {}", FEMALE[0], head.family_name.as_str()),
                        |m| m.full_name(),
                    ),
                });
            }
            report.families += 1;
            report.persons += new.case.members.len() as u64;
            report.commands += commands;
            report.cards_collected += new
                .case
                .members
                .iter()
                .filter(|m| workflow.card_stage(&m.state) == Some(CardStage::Collected))
                .count() as u64;
            built.push(new);
        }
        crate::app::cases::store_built(
            engine,
            &built,
            crate::app::cases::DuplicateCheck::Flag,
            now,
        )
        .await?;
        done += count;
        progress(done);
    }
    let (unregistered, joined, commands) = build_unregistered(
        engine,
        &open_families,
        families / 100,
        seed,
        &mut sequences,
        now,
    )
    .await?;
    report.unregistered = unregistered;
    report.joined = joined;
    report.commands += commands;
    // The demo's history happened in a simulated past: its notifications
    // are recorded in the outbox but not mailed.
    crate::store::outbox::skip_demo_history(&engine.store, "demo history, not mailed").await?;
    let tx = engine.store.begin().await?;
    for (year, last) in sequences {
        crate::store::cases::bump_reference(&tx, &prefix, year, last).await?;
    }
    tx.commit().await?;
    Ok(report)
}

fn date_in(rng: &mut Rng, from: NaiveDate, days: i64) -> NaiveDate {
    from + Duration::days(rng.below(days.max(1) as u64) as i64)
}

/// The date `years` years after `date` (28 February for a 29th).
fn years_after(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_add_months(Months::new(12 * years))
        .unwrap_or(date)
}

/// The birth dates a child of a mother born on `mother` may have, given by
/// its first and last day: from her 16th birthday to the day before her
/// 51st, and before `before`; `None` when there are none.
fn child_births(mother: NaiveDate, before: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let first = years_after(mother, MOTHER_YOUNGEST);
    let last = years_after(mother, MOTHER_OLDEST + 1)
        .pred_opt()?
        .min(before.pred_opt()?);
    (first <= last).then_some((first, last))
}

/// The birth date of the children's mother in a family as typed: the
/// spouse's, the head's when a woman heads it, else that of a mother not
/// on the application, younger than the father by a few years.
fn mother_birth_of(head: (Sex, NaiveDate), spouse: Option<NaiveDate>) -> NaiveDate {
    match (head, spouse) {
        (_, Some(spouse)) => spouse,
        ((Sex::Female, birth), None) => birth,
        ((_, birth), None) => years_after(birth, MOTHER_YOUNGER_BY),
    }
}

/// [`mother_birth_of`] for a stored family.
fn mother_birth(people: &[Member]) -> NaiveDate {
    let head = people
        .iter()
        .find(|m| m.relationship == Relationship::Head)
        .or(people.first());
    let spouse = people
        .iter()
        .find(|m| m.relationship == Relationship::Spouse)
        .map(|m| m.birth_date);
    head.map_or(NaiveDate::MIN, |h| {
        mother_birth_of((h.sex, h.birth_date), spouse)
    })
}

/// One family as typed at the counter, on a working day, and where its
/// case should end up.
fn family(
    rng: &mut Rng,
    now: DateTime<Utc>,
    calendar: &WorkingCalendar,
) -> (ApplicationDraft, Target) {
    let today = now.date_naive();
    let total: u32 = DISTRICTS.iter().map(|d| d.2).sum();
    let mut roll = rng.below(total as u64) as u32;
    let (district, offices, _) = DISTRICTS
        .iter()
        .find(|d| {
            if roll < d.2 {
                true
            } else {
                roll -= d.2;
                false
            }
        })
        .unwrap_or(&DISTRICTS[0]);
    let mut roll = rng.below(1000);
    let target = TARGETS
        .iter()
        .find(|(_, share)| {
            if roll < *share {
                true
            } else {
                roll -= share;
                false
            }
        })
        .map_or(Target::Completed, |t| t.0);
    // Older cases have gone further: submissions spread over 420 days,
    // the furthest states drawn from the oldest part.
    let age_days = match target {
        Target::Intake | Target::Returned => 2 + rng.below(60) as i64,
        Target::Verification => 10 + rng.below(200) as i64,
        Target::Approval | Target::Registration => 30 + rng.below(260) as i64,
        Target::CardIssuance => 60 + rng.below(330) as i64,
        _ => 90 + rng.below(330) as i64,
    };
    let submitted_on = hours::working_day_until(calendar, today - Duration::days(age_days));
    let family_name = *rng.pick(FAMILY);
    let register_book = 1 + rng.below(2400);
    let mut entry = 1 + rng.below(90_000);
    let mut members = Vec::new();
    let head_male = rng.chance(880);
    let head_birth = date_in(rng, today - Duration::days(365 * 70), 365 * 45);
    let father = *rng.pick(MALE);
    let mut person = |rng: &mut Rng,
                      relationship: Relationship,
                      sex: Sex,
                      birth: NaiveDate,
                      father_name: &str,
                      family: &str| {
        entry += 1;
        MemberDraft {
            first_name: spelled(
                rng.pick(if sex == Sex::Male { MALE } else { FEMALE }),
                entry,
            ),
            father_name: father_name.to_string(),
            mother_name: format!("{} {}", rng.pick(FEMALE), rng.pick(FAMILY)),
            family_name: spelled(&family, register_book),
            latin_first_name: None,
            latin_family_name: None,
            sex,
            birth_date: birth,
            birth_place: rng.pick(PLACES).to_string(),
            relationship,
            register_number: Some(format!("{register_book}/{entry}")),
            abroad: birth < today - Duration::days(365 * 18) && rng.chance(45),
            documents: vec![DocumentKind::RegisterExtract, DocumentKind::Photos],
        }
    };
    let head_sex = if head_male { Sex::Male } else { Sex::Female };
    members.push(person(
        rng,
        Relationship::Head,
        head_sex,
        head_birth,
        father,
        family_name,
    ));
    let size = 1 + match rng.below(100) {
        0..=4 => 0,
        5..=11 => 1,
        12..=22 => 2,
        23..=38 => 3,
        39..=56 => 4,
        57..=72 => 5,
        73..=84 => 6,
        85..=91 => 7,
        92..=95 => 8,
        _ => 9 + rng.below(3),
    };
    let head_first = members[0].first_name.clone();
    if size > 1 && head_male {
        let spouse_birth = head_birth + Duration::days(365 * 3 + rng.below(365 * 6) as i64);
        let spouse_family = *rng.pick(FAMILY);
        let spouse_father = rng_father(rng);
        members.push(person(
            rng,
            Relationship::Spouse,
            Sex::Female,
            spouse_birth.min(submitted_on - Duration::days(1)),
            spouse_father,
            spouse_family,
        ));
    }
    // Children are born to a mother aged 16 to 50: fewer when she is too
    // young for them, none when she is younger than 16 yet.
    let spouse_birth = members.get(1).map(|m| m.birth_date);
    let births = child_births(
        mother_birth_of((head_sex, head_birth), spouse_birth),
        submitted_on,
    );
    while let Some((first, last)) = births
        && members.len() < size as usize
    {
        let birth = date_in(rng, first, (last - first).num_days() + 1);
        let sex = if rng.chance(510) {
            Sex::Male
        } else {
            Sex::Female
        };
        let relationship = if sex == Sex::Male {
            Relationship::Son
        } else {
            Relationship::Daughter
        };
        let father_name = if head_male {
            head_first.clone()
        } else {
            rng_father(rng).to_string()
        };
        members.push(person(
            rng,
            relationship,
            sex,
            birth,
            &father_name,
            family_name,
        ));
    }
    let mut family_documents = vec![DocumentKind::ApplicationForm];
    if target == Target::Intake && rng.chance(300) {
        // Some families at the counter still owe a document.
        family_documents.clear();
    }
    let (district, office) = (district.to_string(), rng.pick(offices).to_string());
    (
        ApplicationDraft {
            district,
            office,
            submitted_on,
            applicant_email: rng
                .chance(300)
                .then(|| format!("family{}@example.org", rng.below(1_000_000))),
            family_documents,
            members,
        },
        target,
    )
}

fn rng_father(rng: &mut Rng) -> &'static str {
    rng.pick::<&str>(MALE)
}

/// Drives one family's case to `target` through the engine.
#[allow(clippy::too_many_arguments)]
fn drive(
    engine: &Engine,
    workflow: Arc<crate::workflow::Workflow>,
    rng: &mut Rng,
    reference: String,
    application: Application,
    target: Target,
    national: &mut u64,
    now: DateTime<Utc>,
) -> Result<Result<(crate::store::cases::NewCase, u64), AppError>, Refusal> {
    let district = application.district.clone();
    let submitted = application.submitted_on;
    let officers = Officers::of(&district, rng.below(3));
    // Officers act in office hours, the last of them before `now`.
    let calendar = engine.calendar.clone();
    let last = OfficeTime::at_or_before(&calendar, now);
    let opened = OfficeTime::on(&calendar, submitted, 30).min(last);
    let opened_at = opened.utc();
    let builder_workflow = workflow.clone();
    let mut builder = match CaseBuilder::open(
        workflow,
        engine.calendar.clone(),
        reference,
        application,
        &officers.clerk,
        "demo",
        opened_at,
    ) {
        Ok(builder) => builder,
        Err(error) => return Ok(Err(error)),
    };
    // Commands happen on later days, in office hours; the clock never
    // passes the last office minute before `now`. The gap between two, in
    // office minutes, is drawn so that a family's last command falls
    // between half-way and the end of its time since submission: cases
    // keep being completed up to today, as in a province at work.
    let span = opened.minutes_until(&calendar, last).max(1);
    let expected = 4 + 5 * builder.case().members.len() as i64;
    let stretch = 1000 + rng.below(1000) as i64;
    let gap = (span * 2 * 1000 / (expected * stretch)).max(1);
    let mut clock = opened;
    let mut commands = 0_u64;
    let mut step = |builder: &mut CaseBuilder,
                    rng: &mut Rng,
                    actor: &Actor,
                    command: Command|
     -> Result<(), Refusal> {
        clock = clock.later(&calendar, 1 + rng.below(gap as u64) as i64);
        let at = clock.min(last).utc();
        commands += 1;
        builder.apply(actor, &command, at)
    };
    let members: Vec<u32> = builder.case().members.iter().map(|m| m.ordinal).collect();
    match target {
        Target::Intake => {}
        Target::Returned => step(
            &mut builder,
            rng,
            &officers.clerk,
            Command::new("return_to_applicant").with("reason", "صورة إخراج القيد غير واضحة"),
        )?,
        Target::Withdrawn => step(
            &mut builder,
            rng,
            &officers.clerk,
            Command::new("withdraw").with("reason", "طلب رب الأسرة سحب الطلب"),
        )?,
        _ => {
            step(
                &mut builder,
                rng,
                &officers.clerk,
                Command::new("submit_for_verification"),
            )?;
            let decide_all = target != Target::Verification;
            for &m in &members {
                if !decide_all && rng.chance(500) {
                    continue;
                }
                // The head is never excluded, so every decided family has a verified member.
                if m != 1 && rng.chance(30) {
                    step(
                        &mut builder,
                        rng,
                        &officers.verifier,
                        Command::on_member("exclude_member", m)
                            .with("reason", "لا يوجد قيد مطابق في سجل الأجانب"),
                    )?;
                } else {
                    step(
                        &mut builder,
                        rng,
                        &officers.verifier,
                        Command::on_member("verify_member", m),
                    )?;
                }
            }
            if decide_all {
                step(
                    &mut builder,
                    rng,
                    &officers.verifier,
                    Command::new("complete_verification"),
                )?;
            }
            match target {
                Target::Verification | Target::Approval => {}
                Target::Rejected => step(
                    &mut builder,
                    rng,
                    &officers.approver,
                    Command::new("reject").with("reason", "لم تثبت الإقامة المستمرة في المحافظة"),
                )?,
                _ => {
                    step(
                        &mut builder,
                        rng,
                        &officers.approver,
                        Command::new("approve"),
                    )?;
                    let register_all = target != Target::Registration;
                    for &m in &members {
                        if builder
                            .case()
                            .member(m)
                            .is_some_and(|x| builder_workflow.verified(&x.state))
                            && (register_all || rng.chance(400))
                        {
                            *national += 1;
                            let number = format!(
                                "{}",
                                10_000_000_000_u64 + *national * 7919 % 89_999_999_999
                            );
                            step(
                                &mut builder,
                                rng,
                                &officers.registrar,
                                Command::on_member("register_member", m)
                                    .with("national_number", &number),
                            )?;
                        }
                    }
                    if register_all {
                        let share = if target == Target::Completed {
                            1000
                        } else {
                            300
                        };
                        for &m in &members {
                            let ready = builder.case().member(m).is_some_and(|x| {
                                builder_workflow.card_stage(&x.state)
                                    == Some(CardStage::AwaitingAppearance)
                                    && !x.abroad
                            });
                            if !ready || !rng.chance(share) {
                                continue;
                            }
                            step(
                                &mut builder,
                                rng,
                                &officers.card_officer,
                                Command::on_member("record_biometrics", m),
                            )?;
                            let card = format!("SY{:010}", *national * 31 + m as u64);
                            step(
                                &mut builder,
                                rng,
                                &officers.card_officer,
                                Command::on_member("record_card_printed", m)
                                    .with("card_number", &card),
                            )?;
                            if target == Target::Completed || rng.chance(600) {
                                step(
                                    &mut builder,
                                    rng,
                                    &officers.card_officer,
                                    Command::on_member("hand_over_card", m)
                                        .with("collector_document", "بطاقة شخصية مؤقتة"),
                                )?;
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(Ok((builder.finish(), commands)))
}

/// The importable state a demo family at `target` is written in: the one
/// its officers work (the clerk's paused one for a returned case), or the
/// decision's for a family past it. Read from the definition's meanings.
fn import_state(workflow: &Workflow, target: Target) -> &str {
    let (role, paused) = match target {
        Target::Intake => (Role::IntakeClerk, false),
        Target::Returned => (Role::IntakeClerk, true),
        Target::Verification => (Role::Verifier, false),
        _ => (Role::Approver, false),
    };
    workflow
        .importable_states()
        .into_iter()
        .find(|name| {
            workflow
                .state(name)
                .is_some_and(|s| s.worked_by.contains(&role) && s.pauses_clock == paused)
        })
        .unwrap_or(&workflow.initial)
}

/// The demo's families as a backlog file in the import format (README.md,
/// "Importing the backlog"): each family in the state its demo case would
/// be in, or `approval` for those past it. For the import benchmark and
/// for trying `casework import` on realistic data.
pub fn backlog_csv(
    workflow: &Workflow,
    calendar: &WorkingCalendar,
    families: u64,
    seed: u64,
    now: DateTime<Utc>,
) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = crate::app::import::REQUIRED_COLUMNS.to_vec();
    header.extend(crate::app::import::OPTIONAL_COLUMNS);
    let _ = writer.write_record(&header);
    let mut sequences: std::collections::BTreeMap<i32, u32> = Default::default();
    for _ in 0..families {
        let (draft, target) = family(&mut rng, now, calendar);
        let state = import_state(workflow, target);
        let year = draft.submitted_on.year();
        let sequence = sequences.entry(year).or_insert(0);
        *sequence += 1;
        let reference = format!("HSK-{year}-{:06}", *sequence);
        let documents = |kinds: &[DocumentKind]| {
            kinds
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join(";")
        };
        for m in &draft.members {
            let cells: Vec<String> = header
                .iter()
                .map(|column| match *column {
                    "reference" => reference.clone(),
                    "district" => draft.district.clone(),
                    "office" => draft.office.clone(),
                    "submitted_on" => draft.submitted_on.to_string(),
                    "state" => state.to_string(),
                    "applicant_email" => draft.applicant_email.clone().unwrap_or_default(),
                    "family_documents" => documents(&draft.family_documents),
                    "relationship" => m.relationship.as_str().to_string(),
                    "first_name" => m.first_name.clone(),
                    "father_name" => m.father_name.clone(),
                    "mother_name" => m.mother_name.clone(),
                    "family_name" => m.family_name.clone(),
                    "sex" => m.sex.as_str().to_string(),
                    "birth_date" => m.birth_date.to_string(),
                    "birth_place" => m.birth_place.clone(),
                    "register_number" => m.register_number.clone().unwrap_or_default(),
                    "abroad" => if m.abroad { "yes" } else { "no" }.to_string(),
                    "documents" => documents(&m.documents),
                    _ => String::new(),
                })
                .collect();
            let _ = writer.write_record(&cells);
        }
    }
    writer.into_inner().unwrap_or_default()
}
