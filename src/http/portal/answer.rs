//! What the portal routes answer: one person's naturalization or ID-card
//! status, alone or in a batch, each with the access-log entry that
//! recorded it. Persons not found and persons not visible look alike.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::portal::{CardState, Finding, Grant};
use crate::domain::language::Text;

/// Has the person been granted nationality.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum GrantStatus {
    /// Entered in the civil registry with a national number.
    Granted,
    /// The family's application is still being decided or carried out.
    InProgress,
}

/// The naturalization status of one person. A person not in the registers
/// and a person this agency may not see are answered alike: `found` false
/// and every other field null.
#[derive(Serialize, ToSchema)]
pub struct NaturalizationStatus {
    /// The access-log entry that recorded this answer (quote it in any
    /// follow-up with the ministry).
    pub log_entry: i64,
    pub found: bool,
    pub status: Option<GrantStatus>,
    /// The day the person was entered in the civil registry.
    pub granted_on: Option<NaiveDate>,
    /// The state of the family's application, e.g. `card_issuance`.
    pub application_state: Option<String>,
    pub application_state_label: Option<Text>,
}

/// Where the person's ID card is.
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum CardStatusKind {
    NotIssued,
    InProduction,
    ReadyForCollection,
    Issued,
}

/// The ID-card status of one person; not found and not visible are
/// answered alike (`found` false, every other field null).
#[derive(Serialize, ToSchema)]
pub struct CardStatus {
    pub log_entry: i64,
    pub found: bool,
    pub card: Option<CardStatusKind>,
    /// Only once the card is issued (handed over).
    pub card_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
}

#[derive(Serialize, ToSchema)]
pub struct NaturalizationStatusAnswer {
    pub agency: String,
    pub result: NaturalizationStatus,
}

#[derive(Serialize, ToSchema)]
pub struct NaturalizationStatusBatch {
    pub agency: String,
    /// One per person, in the order asked.
    pub results: Vec<NaturalizationStatus>,
}

#[derive(Serialize, ToSchema)]
pub struct CardStatusAnswer {
    pub agency: String,
    pub result: CardStatus,
}

#[derive(Serialize, ToSchema)]
pub struct CardStatusBatch {
    pub agency: String,
    /// One per person, in the order asked.
    pub results: Vec<CardStatus>,
}

pub(super) fn naturalization(entry: i64, finding: Finding) -> NaturalizationStatus {
    match finding {
        Finding::Naturalization {
            status,
            granted_on,
            application_state,
            application_state_labels,
        } => NaturalizationStatus {
            log_entry: entry,
            found: true,
            status: Some(match status {
                Grant::Granted => GrantStatus::Granted,
                Grant::InProgress => GrantStatus::InProgress,
            }),
            granted_on,
            application_state: Some(application_state),
            application_state_label: Some(application_state_labels),
        },
        _ => NaturalizationStatus {
            log_entry: entry,
            found: false,
            status: None,
            granted_on: None,
            application_state: None,
            application_state_label: None,
        },
    }
}

pub(super) fn card(entry: i64, finding: Finding) -> CardStatus {
    match finding {
        Finding::Card {
            status,
            card_number,
            issued_on,
        } => CardStatus {
            log_entry: entry,
            found: true,
            card: Some(match status {
                CardState::NotIssued => CardStatusKind::NotIssued,
                CardState::InProduction => CardStatusKind::InProduction,
                CardState::ReadyForCollection => CardStatusKind::ReadyForCollection,
                CardState::Issued => CardStatusKind::Issued,
            }),
            card_number,
            issued_on,
        },
        _ => CardStatus {
            log_entry: entry,
            found: false,
            card: None,
            card_number: None,
            issued_on: None,
        },
    }
}
