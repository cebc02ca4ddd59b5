//! Guards are named in workflow files and implemented here. Each explains
//! itself: a failing guard returns the reasons, one per member concerned.

use chrono::NaiveDate;

use crate::domain::family::{self, DocumentKind, MemberFacts, Sex, age_on};
use crate::domain::language::Text;
use crate::domain::words::refusals;
use crate::workflow::case::{Actor, Case, CaseMember};
use crate::workflow::definition::{CardStage, Workflow};

/// Whether a guard looks at the whole case or at one member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardScope {
    Case,
    Member,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Guard {
    FamilyIsValid,
    DocumentsComplete,
    AllMembersDecided,
    SomeMemberVerified,
    AllVerifiedMembersRegistered,
    AllPresentEligibleCardsCollected,
    AllPresentEligibleBiometricsTaken,
    MemberHasRegisterExtract,
    MemberOfCardAge,
    MemberUnderCardAge,
    EvidenceComplete,
    CourtDecisionIfAdult,
    AllMembersSettled,
}

/// What a guard may look at.
pub struct GuardInput<'a> {
    pub workflow: &'a Workflow,
    pub case: &'a Case,
    pub member: Option<&'a CaseMember>,
    pub actor: &'a Actor,
    pub today: NaiveDate,
}

impl Guard {
    pub const ALL: [Guard; 13] = [
        Guard::FamilyIsValid,
        Guard::DocumentsComplete,
        Guard::AllMembersDecided,
        Guard::SomeMemberVerified,
        Guard::AllVerifiedMembersRegistered,
        Guard::AllPresentEligibleCardsCollected,
        Guard::AllPresentEligibleBiometricsTaken,
        Guard::MemberHasRegisterExtract,
        Guard::MemberOfCardAge,
        Guard::MemberUnderCardAge,
        Guard::EvidenceComplete,
        Guard::CourtDecisionIfAdult,
        Guard::AllMembersSettled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Guard::FamilyIsValid => "family_is_valid",
            Guard::DocumentsComplete => "documents_complete",
            Guard::AllMembersDecided => "all_members_decided",
            Guard::SomeMemberVerified => "some_member_verified",
            Guard::AllVerifiedMembersRegistered => "all_verified_members_registered",
            Guard::AllPresentEligibleCardsCollected => "all_present_eligible_cards_collected",
            Guard::AllPresentEligibleBiometricsTaken => "all_present_eligible_biometrics_taken",
            Guard::MemberHasRegisterExtract => "member_has_register_extract",
            Guard::MemberOfCardAge => "member_of_card_age",
            Guard::MemberUnderCardAge => "member_under_card_age",
            Guard::EvidenceComplete => "evidence_complete",
            Guard::CourtDecisionIfAdult => "court_decision_if_adult",
            Guard::AllMembersSettled => "all_members_settled",
        }
    }

    pub fn parse(name: &str) -> Option<Guard> {
        Guard::ALL.into_iter().find(|g| g.as_str() == name)
    }

    pub fn scope(self) -> GuardScope {
        match self {
            Guard::MemberHasRegisterExtract
            | Guard::MemberOfCardAge
            | Guard::MemberUnderCardAge => GuardScope::Member,
            _ => GuardScope::Case,
        }
    }

    /// Ok when the guard holds; otherwise every reason it does not.
    pub fn check(self, input: &GuardInput<'_>) -> Result<(), Vec<Text>> {
        let case = input.case;
        let reasons: Vec<Text> = match self {
            Guard::EvidenceComplete => case
                .members
                .iter()
                .flat_map(|m| {
                    DocumentKind::EVIDENCE_REQUIRED
                        .into_iter()
                        .filter_map(move |kind| member_lacks(input, m, kind))
                })
                .collect(),
            Guard::CourtDecisionIfAdult => case
                .members
                .iter()
                .filter(|m| {
                    age_on(m.birth_date, input.today) >= ADULT_AGE
                        && !member_has(input, m, DocumentKind::CourtDecision)
                })
                .map(|m| refusals::adult_needs_court_decision(m.ordinal, &m.name))
                .collect(),
            Guard::AllMembersSettled => case
                .members
                .iter()
                .filter(|m| {
                    !input
                        .workflow
                        .member_state(&m.state)
                        .is_some_and(|s| s.terminal)
                })
                .map(|m| refusals::member_not_settled(m.ordinal, &m.name, m.sex == Sex::Female))
                .collect(),
            Guard::FamilyIsValid => {
                let facts: Vec<MemberFacts<'_>> = case
                    .members
                    .iter()
                    .map(|m| MemberFacts {
                        ordinal: m.ordinal as usize,
                        relationship: m.relationship,
                        birth_date: m.birth_date,
                        register_number: m.register_number.as_deref(),
                    })
                    .collect();
                let mut reasons: Vec<Text> = family::family_problems(&facts, input.today)
                    .into_iter()
                    .map(|p| refusals::field_problem(&p.field, &Text::new(p.message_ar, p.message)))
                    .collect();
                for m in case.members.iter().filter(|m| m.register_number.is_none()) {
                    reasons.push(refusals::member_without_register_number(
                        m.ordinal,
                        &m.name,
                        m.sex == Sex::Female,
                    ));
                }
                reasons
            }
            Guard::DocumentsComplete => {
                let mut reasons = Vec::new();
                for kind in DocumentKind::FAMILY_REQUIRED {
                    if !case.family_documents.contains(&kind) {
                        reasons.push(refusals::family_lacks(&kind.label()));
                    } else if !scanned_if_needed(input, 0, kind) {
                        reasons.push(refusals::family_document_not_scanned(&kind.label()));
                    }
                }
                for m in &case.members {
                    for kind in DocumentKind::MEMBER_REQUIRED {
                        if let Some(reason) = member_lacks(input, m, kind) {
                            reasons.push(reason);
                        }
                    }
                }
                reasons
            }
            Guard::AllMembersDecided => case
                .members
                .iter()
                .filter(|m| m.state == input.workflow.member.initial)
                .map(|m| refusals::member_not_decided(m.ordinal, &m.name, m.sex == Sex::Female))
                .collect(),
            Guard::SomeMemberVerified => {
                if case.members.iter().any(|m| {
                    !input.workflow.excluded(&m.state) && m.state != input.workflow.member.initial
                }) {
                    Vec::new()
                } else {
                    vec![refusals::NO_MEMBER_VERIFIED.text()]
                }
            }
            Guard::AllVerifiedMembersRegistered => case
                .members
                .iter()
                .filter(|m| input.workflow.verified(&m.state))
                .map(|m| refusals::member_not_registered(m.ordinal, &m.name))
                .collect(),
            Guard::AllPresentEligibleCardsCollected => case
                .members
                .iter()
                .filter(|m| !card_settled(input.workflow, m))
                .map(|m| refusals::card_not_collected(m.ordinal, &m.name))
                .collect(),
            Guard::AllPresentEligibleBiometricsTaken => case
                .members
                .iter()
                .filter(|m| !biometrics_settled(input.workflow, m))
                .map(|m| refusals::biometrics_not_taken(m.ordinal, &m.name))
                .collect(),
            Guard::MemberHasRegisterExtract => input
                .member
                .and_then(|m| member_lacks(input, m, DocumentKind::RegisterExtract))
                .into_iter()
                .collect(),
            Guard::MemberOfCardAge => match input.member {
                Some(m) if age_on(m.birth_date, input.today) < input.workflow.card_age => {
                    vec![refusals::under_card_age(
                        m.ordinal,
                        &m.name,
                        input.workflow.card_age,
                    )]
                }
                _ => Vec::new(),
            },
            Guard::MemberUnderCardAge => match input.member {
                Some(m) if age_on(m.birth_date, input.today) >= input.workflow.card_age => {
                    vec![refusals::reached_card_age(m.ordinal, &m.name)]
                }
                _ => Vec::new(),
            },
        };
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(reasons)
        }
    }
}

/// From this age a person never entered in any register needs a court
/// decision proving their descent (`court_decision_if_adult`): the age of
/// majority of the civil-status law.
pub const ADULT_AGE: u32 = 18;

/// A member's card work no longer holds the family open: excluded, card
/// collected, card due on a later birthday, or abroad and not yet appeared.
pub fn card_settled(workflow: &Workflow, member: &CaseMember) -> bool {
    if workflow.excluded(&member.state) {
        return true;
    }
    match workflow.card_stage(&member.state) {
        Some(CardStage::Collected | CardStage::DueAtAge) => true,
        Some(CardStage::AwaitingAppearance) => member.abroad,
        _ => false,
    }
}

/// A member's photo and fingerprints no longer hold the family in
/// capture: taken (or further on the card track), or not owed now (as for
/// [`card_settled`]).
pub fn biometrics_settled(workflow: &Workflow, member: &CaseMember) -> bool {
    matches!(
        workflow.card_stage(&member.state),
        Some(CardStage::InProduction | CardStage::Ready)
    ) || card_settled(workflow, member)
}

/// Whether a document the checklist ticks also has the scan the
/// definition may ask of its kind (`owner` 0 is the family).
fn scanned_if_needed(input: &GuardInput<'_>, owner: u32, kind: DocumentKind) -> bool {
    !input.workflow.needs_scan.contains(&kind) || input.case.scans.contains(&(owner, kind))
}

/// Whether a member's document counts as present: ticked, and scanned
/// when its kind needs a scan.
fn member_has(input: &GuardInput<'_>, m: &CaseMember, kind: DocumentKind) -> bool {
    m.documents.contains(&kind) && scanned_if_needed(input, m.ordinal, kind)
}

/// Why a member's document does not count as present, if it does not.
fn member_lacks(input: &GuardInput<'_>, m: &CaseMember, kind: DocumentKind) -> Option<Text> {
    if !m.documents.contains(&kind) {
        Some(missing_document(m, kind))
    } else if !scanned_if_needed(input, m.ordinal, kind) {
        Some(refusals::member_document_not_scanned(
            m.ordinal,
            &m.name,
            &kind.label(),
        ))
    } else {
        None
    }
}

fn missing_document(m: &CaseMember, kind: DocumentKind) -> Text {
    refusals::member_lacks(m.ordinal, &m.name, &kind.label())
}
