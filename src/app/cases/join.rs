//! A person never entered in any register joins the family case their own
//! case is linked to: once the person's case is in a state that says
//! `joins_family` (entered in the register with a new number) and the
//! family's in one that says `takes_members`, the person becomes the
//! family's next member, in the family track's initial state, so the
//! family's verifier checks them like every other member. Both cases get
//! an audit event, each on its own chain through the head row's one writer.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::app::{AppError, Engine};
use crate::domain::audit::{self, AuditDraft};
use crate::domain::family::{DocumentKind, MemberDraft, Relationship, Sex};
use crate::domain::language::Text;
use crate::domain::roles::Role;
use crate::store::case_links;
use crate::store::cases::{self, PersonRecord};
use crate::workflow::duties;
use crate::workflow::machine::local_date;
use crate::workflow::refusal::Named;
use crate::workflow::{Actor, CaseMember, Refusal};

use super::{Outcome, load_for_change};
use crate::domain::words::cases as words;

/// A refusal of the join that is about the two cases, as a failed guard
/// of its own name.
fn not_now(guard: &str, reason: Text) -> AppError {
    AppError::Refused(Refusal::GuardFailed {
        guard: guard.to_string(),
        reasons: vec![reason],
    })
}

/// Adds the person of the one-person case `person_reference` to the family
/// case `family_reference` it is linked to, as `actor`; `expected_version`
/// is the family case's. Returns the family case's outcome.
pub async fn join_family(
    engine: &Engine,
    family_reference: &str,
    person_reference: &str,
    actor: &Actor,
    expected_version: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    crate::app::access::may_read_cases(actor)?;
    let tx = engine.store.begin().await?;
    let (family, family_workflow) =
        load_for_change(engine, &tx, actor, family_reference, expected_version).await?;
    let (person_case, person_workflow) =
        load_for_change(engine, &tx, actor, person_reference, None).await?;
    let action = Named::labelled(
        duties::ADD_MEMBER,
        &family_workflow.action_labels(duties::ADD_MEMBER),
    );
    // Who may add: whoever works the family case in its state, or a
    // supervisor.
    let state = family_workflow.state(&family.case.state);
    let mut roles: Vec<Role> = state.map(|s| s.worked_by.clone()).unwrap_or_default();
    roles.push(Role::Supervisor);
    if !actor.roles.iter().any(|r| roles.contains(r)) {
        return Err(AppError::Refused(Refusal::RoleNotAllowed {
            action,
            roles: roles.into_iter().map(Named::role).collect(),
        }));
    }
    if !state.is_some_and(|s| s.takes_members) {
        return Err(AppError::Refused(Refusal::NotAvailable {
            action,
            state: Named::labelled(
                &family.case.state,
                &family_workflow.state_labels(&family.case.state),
            ),
        }));
    }
    let link = case_links::of_case_in(&tx, person_case.record.id)
        .await?
        .family
        .filter(|l| l.reference == family_reference);
    let Some(link) = link else {
        return Err(not_now(
            "linked_to_family",
            words::not_linked(person_reference, family_reference),
        ));
    };
    if let Some(ordinal) = link.joined_ordinal {
        return Err(not_now(
            "not_yet_joined",
            words::already_joined(person_reference, ordinal),
        ));
    }
    if !person_workflow
        .state(&person_case.case.state)
        .is_some_and(|s| s.joins_family)
    {
        let labels = person_workflow.state_labels(&person_case.case.state);
        return Err(not_now(
            "person_registered",
            words::not_yet_registered(person_reference, &labels),
        ));
    }
    duties::check(
        &family_workflow,
        &family.case.duties,
        &actor.id,
        duties::ADD_MEMBER,
        &family.case.state,
    )
    .map_err(AppError::Refused)?;

    let (_, people) = cases::load_case_with_people(&tx, person_reference).await?;
    let (Some(record), Some(member)) = (people.first(), person_case.case.members.first()) else {
        return Err(AppError::unexpected(format!(
            "{person_reference}: the case has no person"
        )));
    };
    let mut documents: Vec<DocumentKind> = record.documents.iter().copied().collect();
    // The new register entry gives the person the extract a family member
    // files.
    documents.push(DocumentKind::RegisterExtract);
    let person = draft_of(record, member.register_number.clone(), documents)?
        .validate("members[0]")
        .map_err(AppError::Invalid)?;
    let today = local_date(now);
    let ordinal = family
        .case
        .members
        .iter()
        .map(|m| m.ordinal)
        .max()
        .unwrap_or(0)
        + 1;
    let added = CaseMember {
        ordinal,
        name: person.full_name(),
        relationship: person.relationship,
        sex: person.sex,
        birth_date: person.birth_date,
        abroad: person.abroad,
        register_number: member.register_number.clone(),
        documents: person.documents.clone(),
        state: family_workflow.member.initial.clone(),
        national_number: None,
        card_number: None,
        collector_document: None,
        exclusion_reason: None,
        card_due_on: None,
        state_changed_on: Some(today),
        registered_on: None,
    };
    let mut next = family.case.clone();
    next.members.push(added);
    next.version = family.case.version + 1;
    duties::record(
        &family_workflow,
        &mut next.duties,
        &actor.id,
        duties::ADD_MEMBER,
        &family.case.state,
    );
    let family_event = audit::seal(
        family_reference,
        AuditDraft {
            at: now,
            actor: actor.id.clone(),
            action: duties::ADD_MEMBER.into(),
            member: Some(ordinal),
            from_state: family.case.state.clone(),
            to_state: family.case.state.clone(),
            payload: json!({
                "person_case": person_reference,
                "register_number": member.register_number,
                "member_state": family_workflow.member.initial,
            }),
        },
        family.record.audit_seq,
        &family.record.last_hash,
    );
    let person_event = audit::seal(
        person_reference,
        AuditDraft {
            at: now,
            actor: actor.id.clone(),
            action: duties::JOINED_FAMILY.into(),
            member: Some(member.ordinal),
            from_state: person_case.case.state.clone(),
            to_state: person_case.case.state.clone(),
            payload: json!({
                "family_case": family_reference,
                "family_member": ordinal,
            }),
        },
        person_case.record.audit_seq,
        &person_case.record.last_hash,
    );
    cases::add_member(&tx, &family, &next, &person, &family_event, now).await?;
    cases::append_event(&tx, &person_case, &person_event, now).await?;
    if !case_links::mark_joined(&tx, person_case.record.id, ordinal, now).await? {
        return Err(AppError::Conflict);
    }
    tx.commit().await?;
    Ok(Outcome {
        reference: family_reference.to_string(),
        version: next.version,
        state: next.state,
        events: Vec::new(),
    })
}

/// The person as stored, typed again as a family member with their new
/// register number and documents.
fn draft_of(
    record: &PersonRecord,
    register_number: Option<String>,
    documents: Vec<DocumentKind>,
) -> Result<MemberDraft, AppError> {
    let stored = |what: &str, value: &str| {
        AppError::unexpected(format!("a stored person has the {what} '{value}'"))
    };
    Ok(MemberDraft {
        first_name: record.first_name.clone(),
        father_name: record.father_name.clone(),
        mother_name: record.mother_name.clone(),
        family_name: record.family_name.clone(),
        latin_first_name: record.latin_first_name.clone(),
        latin_family_name: record.latin_family_name.clone(),
        sex: Sex::parse(&record.sex).ok_or_else(|| stored("sex", &record.sex))?,
        birth_date: record.birth_date,
        birth_place: record.birth_place.clone(),
        relationship: Relationship::parse(&record.relationship)
            .ok_or_else(|| stored("relationship", &record.relationship))?,
        register_number,
        abroad: record.abroad,
        documents,
    })
}

/// Refuses a link to `family_reference` from a case of `persons = "one"`:
/// the family case must exist in the actor's reach and be of a family
/// workflow. Returns its id.
pub(super) async fn linkable_family(
    engine: &Engine,
    tx: &crate::store::Tx,
    actor: &Actor,
    family_reference: &str,
) -> Result<i64, AppError> {
    let (family, workflow) = load_for_change(engine, tx, actor, family_reference, None).await?;
    if workflow.persons != crate::domain::family::Persons::Family {
        return Err(AppError::Invalid(vec![
            crate::domain::field_error::FieldError::said(
                "family",
                words::not_a_family_case(family_reference),
            ),
        ]));
    }
    Ok(family.record.id)
}
