//! The demo's persons never entered in any register: cases of the second
//! workflow, children of demo families still taking members, linked to
//! them and some added to them.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::*;

/// A demo family whose case still takes members: what a person's case
/// linked to it copies.
pub(super) struct OpenFamily {
    pub(super) reference: String,
    /// The family's application, which a child's case follows.
    pub(super) submitted_on: NaiveDate,
    /// The family case's last event, which joining it follows.
    pub(super) last_at: DateTime<Utc>,
    /// The birth date of the family's children's mother.
    pub(super) mother_birth: NaiveDate,
    /// Whose work the family case's state is: who adds a person to it.
    pub(super) worker: Role,
    pub(super) district: String,
    pub(super) office: String,
    pub(super) father: String,
    pub(super) family_name: String,
    pub(super) mother: String,
}

/// Where a demo person's registration case is taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PersonTarget {
    Intake,
    Verification,
    Committee,
    RegisterEntry,
    Entered,
    Refused,
    Abandoned,
}

/// Share of persons per target state, in per mille.
const PERSON_TARGETS: &[(PersonTarget, u64)] = &[
    (PersonTarget::Intake, 100),
    (PersonTarget::Verification, 150),
    (PersonTarget::Committee, 100),
    (PersonTarget::RegisterEntry, 100),
    (PersonTarget::Entered, 450),
    (PersonTarget::Refused, 50),
    (PersonTarget::Abandoned, 50),
];

/// How far into the time since their family applied a person's case is
/// opened, at most, per target state, in per mille: the further it has
/// gone, the earlier it began.
fn opened_within(target: PersonTarget) -> u64 {
    match target {
        PersonTarget::Intake | PersonTarget::Abandoned => 1000,
        PersonTarget::Verification => 800,
        PersonTarget::Committee => 600,
        PersonTarget::RegisterEntry => 500,
        PersonTarget::Entered | PersonTarget::Refused => 400,
    }
}

/// The name of the workflow for persons never entered in any register.
const UNREGISTERED: &str = "unregistered-persons";

/// Builds `count` cases of persons never entered in any register, children
/// of demo families still taking members and linked to them, in various
/// states; about half of those entered in the register are added to their
/// family's case. A person's case is opened after their family's, on a
/// working day, and is the further on the earlier it was opened (so these
/// cases are no older than the families' waiting beside them, and do not
/// lead the work queues); its commands fall in office hours. Its own random sequence (from `seed`), so the families
/// stay what they were. Returns how many cases were built and joined, and
/// the commands decided on them.
pub(super) async fn build_unregistered(
    engine: &Engine,
    open_families: &[OpenFamily],
    count: u64,
    seed: u64,
    sequences: &mut std::collections::BTreeMap<i32, i64>,
    now: DateTime<Utc>,
) -> Result<(u64, u64, u64), AppError> {
    let Some(workflow) = engine.workflows.latest(UNREGISTERED) else {
        return Ok((0, 0, 0));
    };
    if open_families.is_empty() || count == 0 {
        return Ok((0, 0, 0));
    }
    let mut commands = 0_u64;
    let mut rng = Rng::new(seed ^ 0x005e_ed0f_00e5_u64);
    let calendar = engine.calendar.clone();
    let last = OfficeTime::at_or_before(&calendar, now);
    // Only a family whose mother may have had a child before it applied.
    let open_families: Vec<&OpenFamily> = open_families
        .iter()
        .filter(|f| child_births(f.mother_birth, f.submitted_on).is_some())
        .collect();
    if open_families.is_empty() {
        return Ok((0, 0, 0));
    }
    let prefix = engine.settings.reference_prefix.clone();
    let mut built = Vec::new();
    let mut links = Vec::new();
    let mut to_join = Vec::new();
    for i in 0..count {
        let family = open_families[rng.below(open_families.len() as u64) as usize];
        let mut roll = rng.below(1000);
        let target = PERSON_TARGETS
            .iter()
            .find(|(_, share)| {
                if roll < *share {
                    true
                } else {
                    roll -= share;
                    false
                }
            })
            .map_or(PersonTarget::Entered, |t| t.0);
        let waited = (last.date() - family.submitted_on).num_days().max(1) as u64;
        let submitted_on = hours::working_day_until(
            &calendar,
            family.submitted_on
                + Duration::days(rng.below(waited * opened_within(target) / 1000 + 1) as i64),
        )
        .max(family.submitted_on)
        .min(last.date());
        let (first, latest) = child_births(family.mother_birth, submitted_on)
            .or(child_births(family.mother_birth, family.submitted_on))
            .unwrap_or((family.submitted_on, family.submitted_on));
        let birth = date_in(&mut rng, first, (latest - first).num_days() + 1);
        let sex = if rng.chance(510) {
            Sex::Male
        } else {
            Sex::Female
        };
        let mut documents = DocumentKind::EVIDENCE_REQUIRED.to_vec();
        if crate::domain::family::age_on(birth, submitted_on) >= crate::workflow::guards::ADULT_AGE
        {
            documents.push(DocumentKind::CourtDecision);
        }
        let draft = ApplicationDraft {
            district: family.district.clone(),
            office: family.office.clone(),
            submitted_on,
            applicant_email: None,
            family_documents: Vec::new(),
            members: vec![MemberDraft {
                first_name: rng
                    .pick(if sex == Sex::Male { MALE } else { FEMALE })
                    .to_string(),
                father_name: family.father.clone(),
                mother_name: family.mother.clone(),
                family_name: family.family_name.clone(),
                latin_first_name: None,
                latin_family_name: None,
                sex,
                birth_date: birth,
                birth_place: rng.pick(PLACES).to_string(),
                relationship: if sex == Sex::Male {
                    Relationship::Son
                } else {
                    Relationship::Daughter
                },
                register_number: None,
                abroad: false,
                documents,
            }],
        };
        let application = draft
            .validate_as(
                crate::workflow::machine::local_date(now),
                &engine.places,
                workflow.persons,
            )
            .map_err(AppError::Invalid)?;
        let year = application.submitted_on.year();
        let sequence = sequences.entry(year).or_insert(0);
        *sequence += 1;
        let reference = format!("{prefix}-{year}-{:06}", *sequence);
        let officers = Officers::of(&family.district, rng.below(3));
        let opened = OfficeTime::on(&calendar, submitted_on, 60).min(last);
        let at = opened.utc();
        let mut builder = CaseBuilder::open_linked(
            workflow.clone(),
            engine.calendar.clone(),
            reference.clone(),
            application,
            &officers.clerk,
            "demo",
            Some(&family.reference),
            at,
        )?;
        let mut steps: Vec<(&Actor, Command)> = Vec::new();
        use PersonTarget as T;
        match target {
            T::Intake => {}
            T::Abandoned => steps.push((
                &officers.clerk,
                Command::new("abandon_registration").with("reason", "لم يحضر الشهود"),
            )),
            _ => {
                steps.push((&officers.clerk, Command::new("submit_evidence")));
                if target != T::Verification {
                    steps.push((&officers.verifier, Command::on_member("verify_evidence", 1)));
                    steps.push((&officers.verifier, Command::new("refer_to_committee")));
                }
                match target {
                    T::Refused => steps.push((
                        &officers.approver,
                        Command::new("committee_refuses")
                            .with("reason", "لم تثبت البينات نسب الشخص"),
                    )),
                    T::RegisterEntry | T::Entered => {
                        steps.push((&officers.approver, Command::new("committee_approves")));
                    }
                    _ => {}
                }
                if target == T::Entered {
                    let number = format!("{}/{}", 1 + rng.below(2400), 100_000 + i);
                    steps.push((
                        &officers.registrar,
                        Command::on_member("enter_in_register", 1).with("register_number", &number),
                    ));
                }
            }
        }
        // 20 to 120 hours apart (in office minutes, a working day being
        // 24 hours), closer when the time since it opened is shorter.
        let longest = steps.len().max(1) as i64 * 120 * hours::DAY_MINUTES / 24;
        let room = opened.minutes_until(&calendar, last);
        let mut clock = opened;
        let mut step = |builder: &mut CaseBuilder, actor: &Actor, command: Command| {
            let gap = (20 + rng.below(100) as i64) * hours::DAY_MINUTES / 24;
            let gap = if room < longest {
                (gap * room / longest).max(1)
            } else {
                gap
            };
            clock = clock.later(&calendar, gap);
            builder
                .apply(actor, &command, clock.min(last).utc())
                .map_err(|r| {
                    AppError::unexpected(format!("the demo's own command was refused: {r}"))
                })
        };
        commands += steps.len() as u64;
        for (actor, command) in steps {
            step(&mut builder, actor, command)?;
        }
        if target == T::Entered && rng.chance(500) {
            // Half an office hour after the later of the two cases' last events.
            let after = clock.min(last).utc().max(family.last_at);
            let joined_at = OfficeTime::at_or_before(&calendar, after)
                .later(&calendar, 30)
                .min(last)
                .utc();
            // By the officer working the family's case, of the person's shift.
            to_join.push((
                family.reference.clone(),
                reference.clone(),
                officers.of_role(family.worker, &family.district),
                joined_at,
            ));
        }
        links.push((reference, family.reference.clone()));
        built.push(builder.finish());
    }
    crate::app::cases::store_built(engine, &built, crate::app::cases::DuplicateCheck::Flag, now)
        .await?;
    let tx = engine.store.begin().await?;
    crate::store::case_links::link_references(&tx, &links, now).await?;
    tx.commit().await?;
    // The same family may take two persons; each is added once.
    let mut joined = 0;
    for (family, person, worker, at) in &to_join {
        crate::app::cases::join_family(engine, family, person, worker, None, *at).await?;
        joined += 1;
    }
    Ok((built.len() as u64, joined, commands))
}
