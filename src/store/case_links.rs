//! Links between a one-person case and the family case the person belongs
//! to (`case_links`, migration 26): one family per person case, and the
//! member the person became in it once they joined.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// One link as a case's page shows it: the case at the other end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkRecord {
    /// The reference of the case at the other end of the link.
    pub reference: String,
    pub workflow_name: String,
    pub workflow_version: i32,
    pub state: String,
    pub linked_at: DateTime<Utc>,
    /// The person's member number in the family case, once they joined.
    pub joined_ordinal: Option<i32>,
    pub joined_at: Option<DateTime<Utc>>,
}

/// A case's links: the family it is linked to (a person's case), and the
/// persons' cases linked to it (a family's case).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    pub family: Option<LinkRecord>,
    pub persons: Vec<LinkRecord>,
}

/// Links the person's case `person_id` to the family case `family_id`.
pub async fn link(
    tx: &Tx,
    person_id: i64,
    family_id: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let conn = &tx.inner;
    conn.execute_raw(statement(
        backend_of(conn),
        "INSERT INTO case_links (person_application_id, family_application_id, linked_at) \
         VALUES ($1, $2, $3)",
        vec![person_id.into(), family_id.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Links each person's case to its family case, both named by reference
/// (bulk loads, whose inserts return no ids).
pub async fn link_references(
    tx: &Tx,
    links: &[(String, String)],
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let conn = &tx.inner;
    for (person, family) in links {
        conn.execute_raw(statement(
            backend_of(conn),
            "INSERT INTO case_links (person_application_id, family_application_id, linked_at) \
             SELECT p.id, f.id, $1 FROM applications p, applications f \
             WHERE p.reference = $2 AND f.reference = $3",
            vec![now.into(), person.clone().into(), family.clone().into()],
        ))
        .await?;
    }
    Ok(())
}

/// Records that the person of `person_id` joined their family as member
/// `ordinal`; false when the link is missing or already joined (nothing
/// is written then).
pub async fn mark_joined(
    tx: &Tx,
    person_id: i64,
    ordinal: u32,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let conn = &tx.inner;
    let result = conn
        .execute_raw(statement(
            backend_of(conn),
            "UPDATE case_links SET joined_ordinal = $1, joined_at = $2 \
             WHERE person_application_id = $3 AND joined_ordinal IS NULL",
            vec![(ordinal as i32).into(), now.into(), person_id.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

const LINK_COLUMNS: &str = "a.reference, a.workflow_name, a.workflow_version, a.state, \
     l.linked_at, l.joined_ordinal, l.joined_at";

fn link_of(row: &sea_orm::QueryResult) -> Result<LinkRecord, StoreError> {
    Ok(LinkRecord {
        reference: row.try_get("", "reference")?,
        workflow_name: row.try_get("", "workflow_name")?,
        workflow_version: row.try_get("", "workflow_version")?,
        state: row.try_get("", "state")?,
        linked_at: row.try_get("", "linked_at")?,
        joined_ordinal: row.try_get("", "joined_ordinal")?,
        joined_at: row.try_get("", "joined_at")?,
    })
}

/// The links of the case `application_id`, both ways.
pub async fn of_case(store: &Store, application_id: i64) -> Result<Links, StoreError> {
    of_case_on(store.conn(), application_id).await
}

/// [`of_case`] inside a transaction.
pub async fn of_case_in(tx: &Tx, application_id: i64) -> Result<Links, StoreError> {
    of_case_on(&tx.inner, application_id).await
}

async fn of_case_on(conn: &impl ConnectionTrait, application_id: i64) -> Result<Links, StoreError> {
    let backend = backend_of(conn);
    let family = conn
        .query_one_raw(statement(
            backend,
            &format!(
                "SELECT {LINK_COLUMNS} FROM case_links l \
                 JOIN applications a ON a.id = l.family_application_id \
                 WHERE l.person_application_id = $1"
            ),
            vec![application_id.into()],
        ))
        .await?;
    let persons = conn
        .query_all_raw(statement(
            backend,
            &format!(
                "SELECT {LINK_COLUMNS} FROM case_links l \
                 JOIN applications a ON a.id = l.person_application_id \
                 WHERE l.family_application_id = $1 ORDER BY a.reference"
            ),
            vec![application_id.into()],
        ))
        .await?;
    Ok(Links {
        family: family.as_ref().map(link_of).transpose()?,
        persons: persons.iter().map(link_of).collect::<Result<_, _>>()?,
    })
}
