//! Verifying the access log: each agency's chain walked in `seq` order
//! against the head kept on the agency's row.

use sea_orm::ConnectionTrait;

use crate::domain::audit::GENESIS;
use crate::store::agencies::access_log::{ACCESS_SELECT, access_of};
use crate::store::agencies::{AGENCY_COLUMNS, access_hash, agency_of};
use crate::store::{Store, StoreError, backend_of, statement};

/// The first broken link of an agency's access log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BrokenAccess {
    pub agency: String,
    pub seq: i64,
    pub problem: String,
}

/// What verifying every agency's access log found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessReport {
    pub agencies: u64,
    pub entries: u64,
    pub first_broken: Option<BrokenAccess>,
}

/// Walks each agency's chain in `seq` order: an edited, removed or inserted
/// entry, or a chain cut short of the head kept on the agency's row, is
/// named.
pub async fn verify(store: &Store) -> Result<AccessReport, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let agencies = conn
        .query_all_raw(statement(
            backend,
            &format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY id"),
            vec![],
        ))
        .await?;
    let mut report = AccessReport {
        agencies: 0,
        entries: 0,
        first_broken: None,
    };
    for row in &agencies {
        let agency = agency_of(row, "")?;
        report.agencies += 1;
        let mut prev_seq = 0_i64;
        let mut prev_hash = GENESIS.to_string();
        loop {
            let rows = conn
                .query_all_raw(statement(
                    backend,
                    &format!(
                        "{ACCESS_SELECT} WHERE x.agency_id = $1 AND x.seq > $2 ORDER BY x.seq LIMIT 5000"
                    ),
                    vec![agency.id.into(), prev_seq.into()],
                ))
                .await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let entry = access_of(row)?;
                report.entries += 1;
                if report.first_broken.is_some() {
                    prev_seq = entry.seq;
                    continue;
                }
                let problem = if entry.seq != prev_seq + 1 {
                    Some(format!(
                        "expected entry {} but found entry {}: an entry is missing or was inserted",
                        prev_seq + 1,
                        entry.seq
                    ))
                } else if entry.prev_hash != prev_hash {
                    Some("its predecessor hash does not match the previous entry".to_string())
                } else if entry.hash
                    != access_hash(&agency.name, entry.seq, entry.at, &entry.draft, &prev_hash)
                {
                    Some("its hash does not match its contents: the row was altered".to_string())
                } else {
                    None
                };
                if let Some(problem) = problem {
                    report.first_broken = Some(BrokenAccess {
                        agency: agency.name.clone(),
                        seq: entry.seq,
                        problem,
                    });
                }
                prev_seq = entry.seq;
                prev_hash = entry.hash;
            }
        }
        if report.first_broken.is_none()
            && (prev_seq != agency.log_seq || prev_hash != agency.log_head)
        {
            report.first_broken = Some(BrokenAccess {
                agency: agency.name.clone(),
                seq: prev_seq + 1,
                problem: format!(
                    "the log ends at entry {prev_seq} but the agency records {} entries: entries were removed",
                    agency.log_seq
                ),
            });
        }
    }
    Ok(report)
}
