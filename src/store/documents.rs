//! The scans stored for a case's documents (`documents`, migration 28) and
//! the log of who opened them (`document_views`). The files themselves are
//! in the document store (`crate::files`) under their SHA-256.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// One stored scan: whose document it is, and the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScanRecord {
    /// 0 for the family's documents, else the member's ordinal.
    pub owner: i32,
    pub kind: String,
    pub sha256: String,
    pub media_type: String,
    pub size: i64,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// One opening of a scan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewRecord {
    /// Its number, rising with time (0 for one not yet logged).
    pub id: i64,
    pub owner: i32,
    pub kind: String,
    pub sha256: String,
    pub viewer: String,
    pub viewed_at: DateTime<Utc>,
}

const SCAN_COLUMNS: &str = "owner, kind, sha256, media_type, size, uploaded_by, uploaded_at";

fn scan_of(row: &sea_orm::QueryResult) -> Result<ScanRecord, StoreError> {
    Ok(ScanRecord {
        owner: row.try_get("", "owner")?,
        kind: row.try_get("", "kind")?,
        sha256: row.try_get("", "sha256")?,
        media_type: row.try_get("", "media_type")?,
        size: row.try_get("", "size")?,
        uploaded_by: row.try_get("", "uploaded_by")?,
        uploaded_at: row.try_get("", "uploaded_at")?,
    })
}

/// The scans of a case, by owner then kind.
pub async fn of_case(store: &Store, application_id: i64) -> Result<Vec<ScanRecord>, StoreError> {
    of_case_on(store.conn(), application_id).await
}

/// [`of_case`] inside a transaction.
pub async fn of_case_in(tx: &Tx, application_id: i64) -> Result<Vec<ScanRecord>, StoreError> {
    of_case_on(&tx.inner, application_id).await
}

async fn of_case_on(
    conn: &impl ConnectionTrait,
    application_id: i64,
) -> Result<Vec<ScanRecord>, StoreError> {
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            &format!(
                "SELECT {SCAN_COLUMNS} FROM documents WHERE application_id = $1 \
                 ORDER BY owner, kind"
            ),
            vec![application_id.into()],
        ))
        .await?;
    rows.iter().map(scan_of).collect()
}

/// The scan of one document, if one is stored.
pub async fn find(
    store: &Store,
    application_id: i64,
    owner: i32,
    kind: &str,
) -> Result<Option<ScanRecord>, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            &format!(
                "SELECT {SCAN_COLUMNS} FROM documents \
                 WHERE application_id = $1 AND owner = $2 AND kind = $3"
            ),
            vec![application_id.into(), owner.into(), kind.into()],
        ))
        .await?;
    row.as_ref().map(scan_of).transpose()
}

/// Stores or replaces the scan of one document (inside the transaction
/// that appends its audit event).
pub async fn put(tx: &Tx, application_id: i64, scan: &ScanRecord) -> Result<(), StoreError> {
    let conn = &tx.inner;
    let backend = backend_of(conn);
    conn.execute_raw(statement(
        backend,
        "DELETE FROM documents WHERE application_id = $1 AND owner = $2 AND kind = $3",
        vec![
            application_id.into(),
            scan.owner.into(),
            scan.kind.clone().into(),
        ],
    ))
    .await?;
    conn.execute_raw(statement(
        backend,
        &format!(
            "INSERT INTO documents (application_id, {SCAN_COLUMNS}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ),
        vec![
            application_id.into(),
            scan.owner.into(),
            scan.kind.clone().into(),
            scan.sha256.clone().into(),
            scan.media_type.clone().into(),
            scan.size.into(),
            scan.uploaded_by.clone().into(),
            scan.uploaded_at.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Removes the scan of one document; false when none was stored.
pub async fn remove(
    tx: &Tx,
    application_id: i64,
    owner: i32,
    kind: &str,
) -> Result<bool, StoreError> {
    let conn = &tx.inner;
    let result = conn
        .execute_raw(statement(
            backend_of(conn),
            "DELETE FROM documents WHERE application_id = $1 AND owner = $2 AND kind = $3",
            vec![application_id.into(), owner.into(), kind.into()],
        ))
        .await?;
    Ok(result.rows_affected() == 1)
}

/// Logs one opening of a scan.
pub async fn log_view(
    store: &Store,
    application_id: i64,
    view: &ViewRecord,
) -> Result<(), StoreError> {
    let conn = store.conn();
    conn.execute_raw(statement(
        backend_of(conn),
        "INSERT INTO document_views (application_id, owner, kind, sha256, viewer, viewed_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            application_id.into(),
            view.owner.into(),
            view.kind.clone().into(),
            view.sha256.clone().into(),
            view.viewer.clone().into(),
            view.viewed_at.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Up to `limit` openings of a case's scans after the one numbered
/// `after`, oldest first.
pub async fn views(
    store: &Store,
    application_id: i64,
    after: i64,
    limit: u64,
) -> Result<Vec<ViewRecord>, StoreError> {
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT id, owner, kind, sha256, viewer, viewed_at FROM document_views \
             WHERE application_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            vec![application_id.into(), after.into(), (limit as i64).into()],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ViewRecord {
                id: row.try_get("", "id")?,
                owner: row.try_get("", "owner")?,
                kind: row.try_get("", "kind")?,
                sha256: row.try_get("", "sha256")?,
                viewer: row.try_get("", "viewer")?,
                viewed_at: row.try_get("", "viewed_at")?,
            })
        })
        .collect()
}

/// Every stored scan with its case's reference, by case (for re-reading
/// the files: `audit verify --documents`).
pub async fn all(store: &Store) -> Result<Vec<(String, ScanRecord)>, StoreError> {
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT a.reference, d.owner, d.kind, d.sha256, d.media_type, d.size, \
             d.uploaded_by, d.uploaded_at FROM documents d \
             JOIN applications a ON a.id = d.application_id \
             ORDER BY d.application_id, d.owner, d.kind",
            Vec::new(),
        ))
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("", "reference")?, scan_of(row)?)))
        .collect()
}

/// Whether any document of any case holds the file with this hash.
pub async fn referenced(store: &Store, sha256: &str) -> Result<bool, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            "SELECT 1 AS one FROM documents WHERE sha256 = $1 LIMIT 1",
            vec![sha256.into()],
        ))
        .await?;
    Ok(row.is_some())
}

/// The references of up to `limit` cases of one workflow version, in one
/// of `states` since before `before`, that still hold scans: the cases
/// whose scans the retention period has run out for.
pub async fn held_past(
    store: &Store,
    workflow: (&str, u32),
    states: &[String],
    before: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<String>, StoreError> {
    if states.is_empty() {
        return Ok(Vec::new());
    }
    let conn = store.conn();
    // In the order the placeholders appear (SQLite numbers them so).
    let mut values: Vec<sea_orm::Value> =
        vec![workflow.0.into(), (workflow.1 as i32).into(), before.into()];
    let places: Vec<String> = states
        .iter()
        .map(|s| {
            values.push(s.clone().into());
            format!("${}", values.len())
        })
        .collect();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            &format!(
                "SELECT a.reference FROM applications a \
                 WHERE a.workflow_name = $1 AND a.workflow_version = $2 \
                 AND a.state_entered_at < $3 AND a.state IN ({}) \
                 AND EXISTS (SELECT 1 FROM documents d WHERE d.application_id = a.id) \
                 ORDER BY a.id LIMIT ${}",
                places.join(", "),
                values.len() + 1
            ),
            {
                values.push((limit as i64).into());
                values
            },
        ))
        .await?;
    rows.iter()
        .map(|row| Ok(row.try_get("", "reference")?))
        .collect()
}
