//! Verifying the access log: each agency's chain walked in `seq` order
//! against the head kept on the agency's row.

use sea_orm::ConnectionTrait;

use crate::domain::audit::GENESIS;
use crate::domain::checkpoint::{ChainHead, ChainKind};
use crate::store::agencies::access_log::{ACCESS_SELECT, access_of};
use crate::store::agencies::{AGENCY_COLUMNS, access_hash, agency_of};
use crate::store::checkpoints::{self, ChainSeen, Coverage};
use crate::store::{Store, StoreError, backend_of, statement};

/// A broken link of an agency's access log: the first one of its chain.
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
    /// The first broken link met (of [`AccessReport::broken`]).
    pub first_broken: Option<BrokenAccess>,
    /// Every broken chain, one entry each (its first problem), then the
    /// chains a checkpoint covered that are gone.
    pub broken: Vec<BrokenAccess>,
    /// How the intact chains stand against the checkpoint compared with.
    pub coverage: Coverage,
}

/// Walks each agency's chain in `seq` order: an edited, removed or inserted
/// entry, or a chain cut short of the head kept on the agency's row, is
/// named (the first problem of each chain).
pub async fn verify(store: &Store) -> Result<AccessReport, StoreError> {
    verify_against(store, None).await
}

/// As [`verify`], and compares each intact chain with the head checkpoint
/// `checkpoint` covered.
pub async fn verify_against(
    store: &Store,
    checkpoint: Option<i64>,
) -> Result<AccessReport, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let agencies = conn
        .query_all_raw(statement(
            backend,
            &format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY id"),
            vec![],
        ))
        .await?;
    let covered: Vec<ChainHead> = match checkpoint {
        Some(number) => {
            checkpoints::covered_heads(store, ChainKind::Agency, number, 0, None, u64::MAX >> 1)
                .await?
        }
        None => Vec::new(),
    };
    let mut covered = covered.into_iter().peekable();
    let mut report = AccessReport {
        agencies: 0,
        entries: 0,
        first_broken: None,
        broken: Vec::new(),
        coverage: Coverage::default(),
    };
    for row in &agencies {
        let agency = agency_of(row, "")?;
        report.agencies += 1;
        while let Some(gone) = covered.next_if(|h| h.chain_id < agency.id) {
            report.broken.push(deleted(&gone, checkpoint));
        }
        let covered_head = covered.next_if(|h| h.chain_id == agency.id);
        let covered_seq = covered_head.as_ref().map(|h| h.seq);
        let mut hash_at_covered = (covered_seq == Some(0)).then(|| GENESIS.to_string());
        let mut problem: Option<(i64, String)> = None;
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
                if problem.is_some() {
                    prev_seq = entry.seq;
                    continue;
                }
                problem = if entry.seq != prev_seq + 1 {
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
                }
                .map(|p| (entry.seq, p));
                if Some(entry.seq) == covered_seq {
                    hash_at_covered = Some(entry.hash.clone());
                }
                prev_seq = entry.seq;
                prev_hash = entry.hash;
            }
        }
        if problem.is_none() && (prev_seq != agency.log_seq || prev_hash != agency.log_head) {
            problem = Some((
                prev_seq + 1,
                format!(
                    "the log ends at entry {prev_seq} but the agency records {} entries: entries were removed",
                    agency.log_seq
                ),
            ));
        }
        if problem.is_none() {
            let seen = ChainSeen {
                kind: ChainKind::Agency,
                chain_id: agency.id,
                name: &agency.name,
                length: prev_seq,
                hash_at_covered: hash_at_covered.as_deref(),
            };
            problem = checkpoints::compare_with_covered(
                store,
                covered_head.as_ref().filter(|_| checkpoint.is_some()),
                &seen,
                checkpoint.unwrap_or_default(),
                &mut report.coverage,
            )
            .await?;
        }
        if let Some((seq, problem)) = problem {
            report.broken.push(BrokenAccess {
                agency: agency.name.clone(),
                seq,
                problem,
            });
        }
    }
    for gone in covered {
        report.broken.push(deleted(&gone, checkpoint));
    }
    report.first_broken = report.broken.first().cloned();
    Ok(report)
}

/// A chain a checkpoint covered whose agency is no longer stored.
fn deleted(head: &ChainHead, checkpoint: Option<i64>) -> BrokenAccess {
    BrokenAccess {
        agency: head.name.clone(),
        seq: 1,
        problem: format!(
            "checkpoint {} covered this access log ({} entries) but its agency is gone: the agency was deleted",
            checkpoint.unwrap_or_default(),
            head.seq
        ),
    }
}
