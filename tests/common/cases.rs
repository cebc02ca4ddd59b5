//! Cases brought into a state through the engine, for tests that start
//! from there.

use casework::app::Engine;
use casework::app::cases::{create, perform};
use casework::domain::family::ApplicationDraft;
use casework::workflow::{Actor, Command};
use chrono::{DateTime, Utc};

/// Opens a case for `draft` at `opened` and submits it for verification at
/// `submitted`, both as `clerk`; returns its reference.
pub async fn case_in_verification(
    engine: &Engine,
    draft: &ApplicationDraft,
    clerk: &Actor,
    opened: DateTime<Utc>,
    submitted: DateTime<Utc>,
) -> String {
    let created = create(engine, draft, clerk, opened)
        .await
        .expect("the case opens");
    perform(
        engine,
        &created.reference,
        clerk,
        &Command::new("submit_for_verification"),
        None,
        submitted,
    )
    .await
    .expect("the case is submitted");
    created.reference
}
