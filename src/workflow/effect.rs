//! Effects are data: the engine returns them, the app layer stores them in
//! the outbox inside the transition's transaction, and jobs carry them out.

use chrono::NaiveDate;
use serde::Serialize;

use crate::workflow::definition::Recipient;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Effect {
    /// Send a notification built from `template`.
    Notify {
        to: Recipient,
        template: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        member: Option<u32>,
    },
    /// A member under the card age gets a card task that opens on `due_on`.
    OpenCardTask { member: u32, due_on: NaiveDate },
}

impl Effect {
    /// The outbox kind of this effect.
    pub fn kind(&self) -> &'static str {
        match self {
            Effect::Notify { .. } => "notify",
            Effect::OpenCardTask { .. } => "open_card_task",
        }
    }
}
