//! Verifying the access log: each agency's chain walked in `seq` order
//! against the head kept on the agency's row.

use futures_util::StreamExt;
use sea_orm::ConnectionTrait;

use crate::domain::audit::GENESIS;
use crate::domain::checkpoint::{ChainHead, ChainKind};
use crate::store::audit::Walk;
use crate::store::checkpoints::{self, ChainSeen, Coverage};
use crate::store::portal::{AGENCY_COLUMNS, AccessDraft, AgencyRow, access_hash, agency_of};
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
    verify_with(store, Walk::full(None, 4)).await
}

/// Entries per segment of a chain (one query, checked on its own).
const SEGMENT: i64 = 50_000;

/// One segment of an agency's chain: the entries with `seq` from `first`
/// up to `last` (to the end of what is stored when `None`).
#[derive(Clone, Debug)]
struct Segment {
    agency: usize,
    agency_id: i64,
    name: String,
    first: i64,
    last: Option<i64>,
}

/// An entry as its segment checked it: whether its hash matches its
/// contents (over the predecessor hash it names), the link itself being
/// joined in `seq` order afterwards.
struct Checked {
    seq: i64,
    prev_hash: String,
    hash: String,
    contents_match: bool,
}

/// Reads one segment and checks each entry's hash against its contents;
/// entries are independent of each other here, so segments of one long
/// chain are checked at once and only their links joined in order.
async fn check_segment(store: &Store, segment: &Segment) -> Result<Vec<Checked>, StoreError> {
    let conn = store.conn();
    let (bound, mut values) = match segment.last {
        Some(last) => (" AND seq <= $3", vec![last.into()]),
        None => ("", vec![]),
    };
    values.insert(0, segment.first.into());
    values.insert(0, segment.agency_id.into());
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            &format!(
                "SELECT seq, at, key_prefix, scope, subject, purpose, result, application_id, \
                 member_ordinal, persons, prev_hash, hash FROM agency_access \
                 WHERE agency_id = $1 AND seq >= $2{bound} ORDER BY seq"
            ),
            values,
        ))
        .await?;
    rows.iter()
        .map(|row| {
            let seq: i64 = row.try_get("", "seq")?;
            let draft = AccessDraft {
                key_prefix: row.try_get("", "key_prefix")?,
                scope: row.try_get("", "scope")?,
                subject: row.try_get("", "subject")?,
                purpose: row.try_get("", "purpose")?,
                result: row.try_get("", "result")?,
                application_id: row.try_get("", "application_id")?,
                member_ordinal: row.try_get("", "member_ordinal")?,
                persons: row.try_get("", "persons")?,
            };
            let prev_hash: String = row.try_get("", "prev_hash")?;
            let hash: String = row.try_get("", "hash")?;
            let contents_match = access_hash(
                &segment.name,
                seq,
                row.try_get("", "at")?,
                &draft,
                &prev_hash,
            ) == hash;
            Ok(Checked {
                seq,
                prev_hash,
                hash,
                contents_match,
            })
        })
        .collect()
}

/// An agency's chain as the walk joins its segments.
struct ChainWalk {
    agency: AgencyRow,
    covered: Option<ChainHead>,
    start: i64,
    problem: Option<(i64, String)>,
    prev_seq: i64,
    prev_hash: Option<String>,
    hash_at_covered: Option<String>,
}

impl ChainWalk {
    fn link(&mut self, entry: Checked) {
        if self.problem.is_none() {
            self.problem = if entry.seq != self.prev_seq + 1 {
                Some(format!(
                    "expected entry {} but found entry {}: an entry is missing or was inserted",
                    self.prev_seq + 1,
                    entry.seq
                ))
            } else if self
                .prev_hash
                .as_ref()
                .is_some_and(|p| *p != entry.prev_hash)
            {
                Some("its predecessor hash does not match the previous entry".to_string())
            } else if !entry.contents_match {
                Some("its hash does not match its contents: the row was altered".to_string())
            } else {
                None
            }
            .map(|p| (entry.seq, p));
        }
        if Some(entry.seq) == self.covered.as_ref().map(|h| h.seq) {
            self.hash_at_covered = Some(entry.hash.clone());
        }
        self.prev_seq = entry.seq;
        self.prev_hash = Some(entry.hash);
    }
}

/// As [`verify`], and compares each intact chain with the head checkpoint
/// `walk.checkpoint` covered; with `walk.incremental`, each covered chain
/// is read from the entry the checkpoint covered on. Each chain is cut
/// into segments read and hashed `walk.jobs` at once, joined in order.
pub async fn verify_with(store: &Store, walk: Walk) -> Result<AccessReport, StoreError> {
    let conn = store.conn();
    let backend = backend_of(conn);
    let agencies = conn
        .query_all_raw(statement(
            backend,
            &format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY id"),
            vec![],
        ))
        .await?;
    let covered: Vec<ChainHead> = match walk.checkpoint {
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
    let mut chains: Vec<ChainWalk> = Vec::new();
    // Covered chains whose agency is gone, by the index of the chain after.
    let mut gone: Vec<(usize, ChainHead)> = Vec::new();
    let mut segments = Vec::new();
    for row in &agencies {
        let agency = agency_of(row, "")?;
        while let Some(head) = covered.next_if(|h| h.chain_id < agency.id) {
            gone.push((chains.len(), head));
        }
        let covered_head = covered.next_if(|h| h.chain_id == agency.id);
        let start = match &covered_head {
            Some(head) if walk.incremental => head.seq.max(1),
            _ => 1,
        };
        let mut first = start;
        while first + SEGMENT <= agency.log_seq {
            segments.push(Segment {
                agency: chains.len(),
                agency_id: agency.id,
                name: agency.name.clone(),
                first,
                last: Some(first + SEGMENT - 1),
            });
            first += SEGMENT;
        }
        // The last segment is open: entries stored past the head are read.
        segments.push(Segment {
            agency: chains.len(),
            agency_id: agency.id,
            name: agency.name.clone(),
            first,
            last: None,
        });
        chains.push(ChainWalk {
            hash_at_covered: (covered_head.as_ref().map(|h| h.seq) == Some(0))
                .then(|| GENESIS.to_string()),
            covered: covered_head,
            start,
            problem: None,
            prev_seq: start - 1,
            prev_hash: (start == 1).then(|| GENESIS.to_string()),
            agency,
        });
    }
    let trailing: Vec<ChainHead> = covered.collect();
    let mut checked = futures_util::stream::iter(segments.into_iter().map(|segment| {
        let store = store.clone();
        tokio::spawn(async move {
            let entries = check_segment(&store, &segment).await;
            (segment.agency, entries)
        })
    }))
    .buffered(walk.jobs.max(1));
    while let Some(done) = checked.next().await {
        let (index, entries) = done.map_err(|e| StoreError::Unexpected(Box::new(e)))?;
        let chain = &mut chains[index];
        for entry in entries? {
            report.entries += 1;
            chain.link(entry);
        }
    }
    let mut gone = gone.into_iter().peekable();
    for (index, chain) in chains.into_iter().enumerate() {
        while let Some((_, head)) = gone.next_if(|(i, _)| *i == index) {
            report.broken.push(deleted(&head, walk.checkpoint));
        }
        report.agencies += 1;
        let ChainWalk {
            agency,
            covered,
            start,
            mut problem,
            prev_seq,
            prev_hash,
            hash_at_covered,
        } = chain;
        // Incremental: the covered entry was not found. With the head
        // set back below it, the comparison with the checkpoint names it.
        let covered_gone = start > 1 && prev_seq < start;
        let head_matches = prev_seq == agency.log_seq
            && prev_hash
                .as_deref()
                .is_none_or(|hash| hash == agency.log_head);
        if problem.is_none() && covered_gone && agency.log_seq >= start {
            problem = Some((
                start,
                format!(
                    "entry {start}, the last one checkpoint {} covered, is gone but the agency records {} entries: entries were removed",
                    walk.checkpoint.unwrap_or_default(),
                    agency.log_seq
                ),
            ));
        } else if problem.is_none() && !covered_gone && !head_matches {
            problem = Some((
                prev_seq + 1,
                format!(
                    "the log ends at entry {prev_seq} but the agency records {} entries: entries were removed",
                    agency.log_seq
                ),
            ));
        }
        let length = if covered_gone {
            agency.log_seq.min(start - 1)
        } else {
            prev_seq
        };
        if problem.is_none() {
            let seen = ChainSeen {
                kind: ChainKind::Agency,
                chain_id: agency.id,
                name: &agency.name,
                length,
                hash_at_covered: hash_at_covered.as_deref(),
            };
            problem = checkpoints::compare_with_covered(
                store,
                covered.as_ref().filter(|_| walk.checkpoint.is_some()),
                &seen,
                walk.checkpoint.unwrap_or_default(),
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
    for (_, head) in gone {
        report.broken.push(deleted(&head, walk.checkpoint));
    }
    for head in trailing {
        report.broken.push(deleted(&head, walk.checkpoint));
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
