//! Loading a case: the application and its members in one query, read by
//! position, assembled into the engine's snapshot.

use std::collections::HashMap;
use std::sync::OnceLock;

use sea_orm::ConnectionTrait;

use crate::domain::family::{Relationship, Sex};
use crate::store::cases::{CaseRecord, LoadedCase, PersonRecord, split_documents};
use crate::store::entities::{application, member};
use crate::store::{Store, StoreError, Tx, backend_of, statement};
use crate::workflow::case::{Case, CaseMember};
use crate::workflow::duties::Duties;

/// Loads a case by reference for a decision.
pub async fn load_case(tx: &Tx, reference: &str) -> Result<LoadedCase, StoreError> {
    let (row, members, _) = load_rows(&tx.inner, reference, false).await?;
    assemble(row, members)
}

/// Loads a case outside any transaction (for reads).
pub async fn read_case(store: &Store, reference: &str) -> Result<LoadedCase, StoreError> {
    let (row, members, _) = load_rows(store.conn(), reference, false).await?;
    assemble(row, members)
}

/// [`load_case`] with the people as stored, inside the transaction.
pub async fn load_case_with_people(
    tx: &Tx,
    reference: &str,
) -> Result<(LoadedCase, Vec<PersonRecord>), StoreError> {
    let (row, members, _) = load_rows(&tx.inner, reference, false).await?;
    let loaded = assemble(row, members.clone())?;
    let people = members.into_iter().map(PersonRecord::from).collect();
    Ok((loaded, people))
}

/// [`read_case`] with the people as stored and the number of open
/// possible-duplicate pairs, for views (the same one query).
pub async fn read_case_with_people(
    store: &Store,
    reference: &str,
) -> Result<(LoadedCase, Vec<PersonRecord>, i64), StoreError> {
    let (row, members, open_duplicates) = load_rows(store.conn(), reference, true).await?;
    let loaded = assemble(row, members.clone())?;
    let people = members.into_iter().map(PersonRecord::from).collect();
    Ok((loaded, people, open_duplicates))
}

impl From<member::Model> for PersonRecord {
    /// A member row as the layers above read it.
    fn from(m: member::Model) -> PersonRecord {
        PersonRecord {
            ordinal: m.ordinal as u32,
            first_name: m.first_name,
            father_name: m.father_name,
            mother_name: m.mother_name,
            family_name: m.family_name,
            latin_first_name: m.latin_first_name,
            latin_family_name: m.latin_family_name,
            sex: m.sex,
            birth_date: m.birth_date,
            birth_place: m.birth_place,
            relationship: m.relationship,
            register_number: m.register_number,
            abroad: m.abroad,
            documents: split_documents(&m.documents),
            state: m.state,
            national_number: m.national_number,
            card_number: m.card_number,
            collector_document: m.collector_document,
            exclusion_reason: m.exclusion_reason,
            card_due_on: m.card_due_on,
        }
    }
}

/// The SQL of [`load_rows`], written once per process: the application's
/// columns as `A_…`, its members' as `B_…` (one result row per member),
/// and, `with_flags`, the open possible-duplicate pairs of the case seen
/// from its side (a pair flagged both ways counts once per reason, as
/// `duplicates::of_application` lists them).
fn load_sql(with_flags: bool) -> &'static str {
    use sea_orm::{IdenStatic, Iterable};
    static PLAIN: OnceLock<String> = OnceLock::new();
    static FLAGS: OnceLock<String> = OnceLock::new();
    let build = || {
        let mut columns: Vec<String> = application::Column::iter()
            .map(|c| format!("a.{0} AS \"A_{0}\"", c.as_str()))
            .chain(member::Column::iter().map(|c| format!("m.{0} AS \"B_{0}\"", c.as_str())))
            .collect();
        // Which documents have a scan stored: `OWNER:KIND,…` (the
        // checklist's guards count a document the definition says needs a
        // scan only when one is there).
        columns.push(
            "(SELECT string_agg(CAST(d.owner AS TEXT) || ':' || d.kind, ',') \
             FROM documents d WHERE d.application_id = a.id) AS scans"
                .to_string(),
        );
        if with_flags {
            columns.push(format!(
                "(SELECT COUNT(*) FROM (SELECT ordinal, other_application_id, other_ordinal, reason \
                 FROM duplicate_flags WHERE application_id = a.id AND status = '{OPEN}' \
                 UNION SELECT other_ordinal, application_id, ordinal, reason FROM duplicate_flags \
                 WHERE other_application_id = a.id AND status = '{OPEN}') f) AS open_duplicates",
                OPEN = crate::store::duplicates::OPEN
            ));
        }
        format!(
            "SELECT {} FROM applications a LEFT JOIN members m ON m.application_id = a.id \
             WHERE a.reference = $1 ORDER BY m.ordinal",
            columns.join(", ")
        )
    };
    if with_flags {
        FLAGS.get_or_init(build)
    } else {
        PLAIN.get_or_init(build)
    }
}

/// The application row and its members in one query (one round trip), and
/// with `with_flags` its open duplicate pairs. Columns are read by
/// position, in [`load_sql`]'s order (by name, the prefixed names cost a
/// third of a transition's own CPU: a string formatted per column per row).
async fn load_rows(
    conn: &impl ConnectionTrait,
    reference: &str,
    with_flags: bool,
) -> Result<(StoredHead, Vec<member::Model>, i64), StoreError> {
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            load_sql(with_flags),
            vec![reference.into()],
        ))
        .await?;
    let Some(first) = rows.first() else {
        return Err(StoreError::NotFound);
    };
    use sea_orm::Iterable;
    let mut row = application_at(first)?;
    let application_columns = application::Column::iter().count();
    let after_members = application_columns + member::Column::iter().count();
    row.scans = first
        .try_get_by_index::<Option<String>>(after_members)?
        .unwrap_or_default();
    let open_duplicates = if with_flags {
        first.try_get_by_index::<i64>(after_members + 1)?
    } else {
        0
    };
    let mut members = Vec::with_capacity(rows.len());
    for r in &rows {
        if let Some(m) = member_at(r, application_columns)? {
            members.push(m);
        }
    }
    Ok((row, members, open_duplicates))
}

/// Reads a result row's columns one after the other.
struct Columns<'r> {
    row: &'r sea_orm::QueryResult,
    at: usize,
}

impl Columns<'_> {
    fn next<T: sea_orm::TryGetable>(&mut self) -> Result<T, sea_orm::DbErr> {
        let value = self.row.try_get_by_index(self.at);
        self.at += 1;
        value
    }
}

/// An application row as read: the record and the two columns that are
/// parsed into the engine's snapshot.
struct StoredHead {
    record: CaseRecord,
    duties: String,
    family_documents: String,
    /// The documents with a scan stored, `OWNER:KIND,…`.
    scans: String,
}

/// An application row from the first columns of a result row, in the
/// entity's field order.
fn application_at(row: &sea_orm::QueryResult) -> Result<StoredHead, sea_orm::DbErr> {
    let mut c = Columns { row, at: 0 };
    let id = c.next()?;
    let reference = c.next()?;
    let workflow_name = c.next()?;
    let workflow_version = c.next()?;
    let district = c.next()?;
    let office = c.next()?;
    let submitted_on = c.next()?;
    let applicant_email = c.next()?;
    let state = c.next()?;
    let assignee = c.next()?;
    let version = c.next()?;
    let state_entered_at = c.next()?;
    let due_on = c.next()?;
    let paused_since = c.next()?;
    let paused_working_days = c.next()?;
    let duties = c.next()?;
    let family_documents = c.next()?;
    let record = CaseRecord {
        id,
        reference,
        workflow_name,
        workflow_version,
        district,
        office,
        submitted_on,
        applicant_email,
        state,
        assignee,
        version,
        state_entered_at,
        due_on,
        paused_since,
        paused_working_days,
        audit_seq: c.next()?,
        last_hash: c.next()?,
        origin: c.next()?,
        created_at: c.next()?,
        updated_at: c.next()?,
    };
    Ok(StoredHead {
        record,
        duties,
        family_documents,
        scans: String::new(),
    })
}

/// A member row from the columns at `offset` on (none when the left join
/// found no member), in the entity's field order.
fn member_at(
    row: &sea_orm::QueryResult,
    offset: usize,
) -> Result<Option<member::Model>, sea_orm::DbErr> {
    let mut c = Columns { row, at: offset };
    let Some(id) = c.next::<Option<i64>>()? else {
        return Ok(None);
    };
    Ok(Some(member::Model {
        id,
        application_id: c.next()?,
        ordinal: c.next()?,
        first_name: c.next()?,
        father_name: c.next()?,
        mother_name: c.next()?,
        family_name: c.next()?,
        latin_first_name: c.next()?,
        latin_family_name: c.next()?,
        name_first: c.next()?,
        name_father: c.next()?,
        name_family: c.next()?,
        sex: c.next()?,
        birth_date: c.next()?,
        birth_place: c.next()?,
        relationship: c.next()?,
        register_number: c.next()?,
        abroad: c.next()?,
        documents: c.next()?,
        state: c.next()?,
        national_number: c.next()?,
        card_number: c.next()?,
        collector_document: c.next()?,
        exclusion_reason: c.next()?,
        card_due_on: c.next()?,
        state_changed_on: c.next()?,
        registered_on: c.next()?,
    }))
}

fn assemble(head: StoredHead, rows: Vec<member::Model>) -> Result<LoadedCase, StoreError> {
    let StoredHead {
        record: row,
        duties,
        family_documents,
        scans,
    } = head;
    let mut member_ids = HashMap::with_capacity(rows.len());
    let mut members = Vec::with_capacity(rows.len());
    for m in rows {
        let relationship = Relationship::parse(&m.relationship).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "member {} has relationship '{}'",
                m.id, m.relationship
            ))
        })?;
        let sex = Sex::parse(&m.sex)
            .ok_or_else(|| StoreError::Corrupt(format!("member {} has sex '{}'", m.id, m.sex)))?;
        member_ids.insert(m.ordinal as u32, m.id);
        members.push(CaseMember {
            ordinal: m.ordinal as u32,
            name: format!("{} {} {}", m.first_name, m.father_name, m.family_name),
            relationship,
            sex,
            birth_date: m.birth_date,
            abroad: m.abroad,
            register_number: m.register_number,
            documents: split_documents(&m.documents),
            state: m.state,
            national_number: m.national_number,
            card_number: m.card_number,
            collector_document: m.collector_document,
            exclusion_reason: m.exclusion_reason,
            card_due_on: m.card_due_on,
            state_changed_on: m.state_changed_on,
            registered_on: m.registered_on,
        });
    }
    let duties = Duties::from_json(&duties)
        .map_err(|e| StoreError::Corrupt(format!("{}: duties: {e}", row.reference)))?;
    let case = Case {
        reference: row.reference.clone(),
        district: row.district.clone(),
        state: row.state.clone(),
        version: row.version,
        duties,
        family_documents: split_documents(&family_documents),
        members,
        scans: split_scans(&scans),
        holder: row.assignee.clone(),
    };
    Ok(LoadedCase {
        record: row,
        member_ids,
        case,
    })
}

/// The documents with a scan stored, from `OWNER:KIND,…` (owner 0 is the
/// family); a pair that names no known kind is left out.
fn split_scans(
    text: &str,
) -> std::collections::BTreeSet<(u32, crate::domain::family::DocumentKind)> {
    text.split(',')
        .filter_map(|pair| {
            let (owner, kind) = pair.split_once(':')?;
            Some((
                owner.parse().ok()?,
                crate::domain::family::DocumentKind::parse(kind)?,
            ))
        })
        .collect()
}
