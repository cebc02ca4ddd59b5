//! The members an agency asks about, found by national number or register
//! entry number with the application each belongs to.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::store::{Store, StoreError, backend_of, statement};

/// What the portal may need to know about one person: the member and the
/// application it belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonFacts {
    pub application_id: i64,
    pub workflow_name: String,
    pub workflow_version: i32,
    pub district: String,
    pub case_state: String,
    pub ordinal: i32,
    pub member_state: String,
    pub register_number: Option<String>,
    pub birth_date: NaiveDate,
    pub national_number: Option<String>,
    pub registered_on: Option<NaiveDate>,
    pub card_number: Option<String>,
    pub state_changed_on: Option<NaiveDate>,
}

const PERSON_SELECT: &str = "SELECT m.application_id, a.workflow_name, a.workflow_version, \
    a.district, a.state AS case_state, m.ordinal, m.state AS member_state, m.register_number, \
    m.birth_date, m.national_number, m.registered_on, m.card_number, m.state_changed_on \
    FROM members m JOIN applications a ON a.id = m.application_id";

fn person_of(row: &QueryResult) -> Result<PersonFacts, StoreError> {
    Ok(PersonFacts {
        application_id: row.try_get("", "application_id")?,
        workflow_name: row.try_get("", "workflow_name")?,
        workflow_version: row.try_get("", "workflow_version")?,
        district: row.try_get("", "district")?,
        case_state: row.try_get("", "case_state")?,
        ordinal: row.try_get("", "ordinal")?,
        member_state: row.try_get("", "member_state")?,
        register_number: row.try_get("", "register_number")?,
        birth_date: row.try_get("", "birth_date")?,
        national_number: row.try_get("", "national_number")?,
        registered_on: row.try_get("", "registered_on")?,
        card_number: row.try_get("", "card_number")?,
        state_changed_on: row.try_get("", "state_changed_on")?,
    })
}

/// The members holding any of these national numbers or register entry
/// numbers (one indexed `IN` each; the caller matches birth dates).
pub async fn persons(
    store: &Store,
    national_numbers: &[String],
    register_numbers: &[String],
) -> Result<Vec<PersonFacts>, StoreError> {
    let conn = store.reader();
    let backend = backend_of(conn);
    let mut found = Vec::new();
    for (column, values) in [
        ("national_number", national_numbers),
        ("register_number", register_numbers),
    ] {
        for chunk in values.chunks(500) {
            let list = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let rows = conn
                .query_all_raw(statement(
                    backend,
                    &format!("{PERSON_SELECT} WHERE m.{column} IN ({list})"),
                    chunk.iter().map(|v| Value::from(v.as_str())).collect(),
                ))
                .await?;
            for row in &rows {
                found.push(person_of(row)?);
            }
        }
    }
    Ok(found)
}
