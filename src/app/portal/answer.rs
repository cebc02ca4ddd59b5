//! What an agency is told about a person: the minimum its scope allows,
//! for the best match among the stored members, and nothing at all (the
//! answer for a person not in the registers) for a person it may not see.

use chrono::NaiveDate;

use crate::app::Engine;
use crate::app::portal::{PersonKey, Scope};
use crate::domain::family::Persons;
use crate::domain::language::Text;
use crate::store::portal::PersonFacts;
use crate::workflow::definition::{CardStage, Outcome, Workflow};

/// Whether a person has been granted nationality.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Entered in the civil registry, national number assigned.
    Granted,
    /// Application still being decided or the member not yet registered.
    InProgress,
}

/// Where a person's ID card is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardState {
    NotIssued,
    InProduction,
    ReadyForCollection,
    Issued,
}

/// The answer about one person, the minimum its scope allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// Not in the registers, or not for this agency: the same either way.
    NoRecord,
    Naturalization {
        status: Grant,
        granted_on: Option<NaiveDate>,
        application_state: String,
        application_state_labels: Text,
    },
    Card {
        status: CardState,
        card_number: Option<String>,
        issued_on: Option<NaiveDate>,
    },
}

/// The portal's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortalAnswer {
    pub agency: String,
    /// The access-log entry of each person, in request order.
    pub entries: Vec<i64>,
    pub findings: Vec<Finding>,
}

/// Whether an agency bound to these districts may see this person: not in
/// a rejected or withdrawn application, not excluded from it, and in one of
/// the agency's districts (any, when it has none).
fn visible(engine: &Engine, agency_districts: &[String], person: &PersonFacts) -> bool {
    let workflow = workflow_of(engine, person);
    let closed_otherwise = workflow.is_some_and(|w| {
        matches!(
            w.outcome(&person.case_state),
            Some(Outcome::Rejected | Outcome::Withdrawn)
        )
    });
    let excluded = workflow.is_some_and(|w| w.excluded(&person.member_state));
    !closed_otherwise
        && !excluded
        && (agency_districts.is_empty() || agency_districts.contains(&person.district))
}

/// The definition a person's case is pinned to.
fn workflow_of<'e>(engine: &'e Engine, person: &PersonFacts) -> Option<&'e Workflow> {
    engine
        .workflows
        .get_ref(&person.workflow_name, person.workflow_version as u32)
}

/// Whether a person holds the nationality, by their case's definition.
fn granted(engine: &Engine, person: &PersonFacts) -> bool {
    workflow_of(engine, person).is_some_and(|w| w.granted(&person.member_state))
}

/// What the scope lets the agency learn about a person it may see.
pub(super) fn finding(engine: &Engine, scope: Scope, person: &PersonFacts) -> Finding {
    match scope {
        Scope::NaturalizationStatus => {
            let granted = granted(engine, person);
            let labels = workflow_of(engine, person)
                .and_then(|w| w.state(&person.case_state).map(|s| s.labels.clone()))
                .unwrap_or_default();
            Finding::Naturalization {
                status: if granted {
                    Grant::Granted
                } else {
                    Grant::InProgress
                },
                granted_on: if granted { person.registered_on } else { None },
                application_state: person.case_state.clone(),
                application_state_labels: labels,
            }
        }
        Scope::CardStatus => {
            let stage =
                workflow_of(engine, person).and_then(|w| w.card_stage(&person.member_state));
            let status = match stage {
                Some(CardStage::Collected) => CardState::Issued,
                Some(CardStage::Ready) => CardState::ReadyForCollection,
                Some(CardStage::AwaitingAppearance | CardStage::InProduction) => {
                    CardState::InProduction
                }
                Some(CardStage::DueAtAge) | None => CardState::NotIssued,
            };
            let issued = status == CardState::Issued;
            Finding::Card {
                status,
                card_number: if issued {
                    person.card_number.clone()
                } else {
                    None
                },
                issued_on: if issued {
                    person.state_changed_on
                } else {
                    None
                },
            }
        }
    }
}

/// The best match of a person among the stored members: the visible one
/// furthest along (granted first, then a family's naturalization case over
/// a person's own registration case: a person entered in the register and
/// added to their family is answered for by the family's case), else any.
pub(super) fn best<'a>(
    engine: &Engine,
    key: &PersonKey,
    found: &'a [PersonFacts],
    districts: &[String],
) -> Option<(&'a PersonFacts, bool)> {
    let matches = found.iter().filter(|p| match key {
        PersonKey::National(n) => p.national_number.as_deref() == Some(n.as_str()),
        PersonKey::Register(r, born) => {
            p.register_number.as_deref() == Some(r.as_str()) && p.birth_date == *born
        }
    });
    let mut best: Option<(&PersonFacts, bool)> = None;
    for person in matches {
        let seen = visible(engine, districts, person);
        let of_a_family = |p: &PersonFacts| {
            engine
                .workflows
                .get(&p.workflow_name, p.workflow_version as u32)
                .is_none_or(|w| w.persons == Persons::Family)
        };
        let rank =
            |p: &PersonFacts, v: bool| (v, granted(engine, p), of_a_family(p), p.application_id);
        if best.is_none_or(|(b, bv)| rank(person, seen) > rank(b, bv)) {
            best = Some((person, seen));
        }
    }
    best
}
