//! Signed checkpoints as stored: `audit_checkpoints` (one row per
//! checkpoint: its number, time, root, count of chains, signature and the
//! id of the key that signed it) and `audit_checkpoint_heads` (the heads
//! each checkpoint covers, written only for the chains that changed since
//! the checkpoint before). The head of a chain as of checkpoint N is its
//! row with the largest `checkpoint` up to N.
//!
//! The chains' current heads are read here too: the application rows'
//! `audit_seq` and `last_hash`, the agency rows' `log_seq` and `log_head`.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, QueryResult, Value};

use crate::domain::checkpoint::{ChainHead, ChainKind};
use crate::store::{Store, StoreError, Tx, backend_of, statement};

/// One stored checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckpointRow {
    pub number: i64,
    pub at: DateTime<Utc>,
    pub chains: i64,
    pub root: String,
    pub key_id: String,
    pub public_key: String,
    pub signature: String,
}

const CHECKPOINT_COLUMNS: &str = "number, at, chains, root, key_id, public_key, signature";

fn checkpoint_of(row: &QueryResult) -> Result<CheckpointRow, StoreError> {
    Ok(CheckpointRow {
        number: row.try_get("", "number")?,
        at: row.try_get("", "at")?,
        chains: row.try_get("", "chains")?,
        root: row.try_get("", "root")?,
        key_id: row.try_get("", "key_id")?,
        public_key: row.try_get("", "public_key")?,
        signature: row.try_get("", "signature")?,
    })
}

/// Every checkpoint, oldest first.
pub async fn all(store: &Store) -> Result<Vec<CheckpointRow>, StoreError> {
    let conn = store.conn();
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            &format!("SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY number"),
            vec![],
        ))
        .await?;
    rows.iter().map(checkpoint_of).collect()
}

/// The newest checkpoint, if any.
pub async fn latest(store: &Store) -> Result<Option<CheckpointRow>, StoreError> {
    let conn = store.conn();
    let row = conn
        .query_one_raw(statement(
            backend_of(conn),
            &format!(
                "SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY number DESC LIMIT 1"
            ),
            vec![],
        ))
        .await?;
    row.as_ref().map(checkpoint_of).transpose()
}

/// The current heads of one kind of chain with an id above `after_id`, in
/// id order, at most `limit` of them.
pub async fn current_heads(
    store: &Store,
    kind: ChainKind,
    after_id: i64,
    limit: u64,
) -> Result<Vec<ChainHead>, StoreError> {
    let conn = store.conn();
    let sql = match kind {
        ChainKind::Case => {
            "SELECT id, reference AS name, audit_seq AS seq, last_hash AS hash \
             FROM applications WHERE id > $1 ORDER BY id LIMIT $2"
        }
        ChainKind::Agency => {
            "SELECT id, name, log_seq AS seq, log_head AS hash \
             FROM agencies WHERE id > $1 ORDER BY id LIMIT $2"
        }
    };
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            sql,
            vec![after_id.into(), (limit as i64).into()],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ChainHead {
                kind,
                chain_id: row.try_get("", "id")?,
                name: row.try_get("", "name")?,
                seq: row.try_get("", "seq")?,
                hash: row.try_get("", "hash")?,
            })
        })
        .collect()
}

/// The heads of one kind of chain as checkpoint `checkpoint` covered them
/// (each chain's row with the largest checkpoint up to it), for the chains
/// with an id above `after_id` and, when given, at most `up_to_id`, in id
/// order, at most `limit` of them.
pub async fn covered_heads(
    store: &Store,
    kind: ChainKind,
    checkpoint: i64,
    after_id: i64,
    up_to_id: Option<i64>,
    limit: u64,
) -> Result<Vec<ChainHead>, StoreError> {
    let conn = store.conn();
    let up_to = up_to_id.unwrap_or(i64::MAX);
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            "SELECT h.chain_id, h.name, h.seq, h.hash FROM audit_checkpoint_heads h \
             WHERE h.kind = $1 AND h.chain_id > $2 AND h.chain_id <= $3 \
             AND h.checkpoint = (SELECT MAX(l.checkpoint) FROM audit_checkpoint_heads l \
                 WHERE l.kind = h.kind AND l.chain_id = h.chain_id AND l.checkpoint <= $4) \
             ORDER BY h.chain_id LIMIT $5",
            vec![
                kind.as_str().into(),
                after_id.into(),
                up_to.into(),
                checkpoint.into(),
                (limit as i64).into(),
            ],
        ))
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ChainHead {
                kind,
                chain_id: row.try_get("", "chain_id")?,
                name: row.try_get("", "name")?,
                seq: row.try_get("", "seq")?,
                hash: row.try_get("", "hash")?,
            })
        })
        .collect()
}

/// Stores a checkpoint and the heads that changed since the one before, in
/// the caller's transaction. Another checkpoint with the same number makes
/// this fail with [`StoreError::Duplicate`].
pub async fn insert(
    tx: &Tx,
    checkpoint: &CheckpointRow,
    changed: &[ChainHead],
) -> Result<(), StoreError> {
    let conn = &tx.inner;
    let backend = backend_of(conn);
    conn.execute_raw(statement(
        backend,
        &format!(
            "INSERT INTO audit_checkpoints ({CHECKPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        ),
        vec![
            checkpoint.number.into(),
            checkpoint.at.into(),
            checkpoint.chains.into(),
            checkpoint.root.as_str().into(),
            checkpoint.key_id.as_str().into(),
            checkpoint.public_key.as_str().into(),
            checkpoint.signature.as_str().into(),
        ],
    ))
    .await?;
    // 6 columns per row: stay well under SQLite's bound-parameter limit.
    for chunk in changed.chunks(2000) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 6);
        let mut rows = Vec::with_capacity(chunk.len());
        for head in chunk {
            let base = values.len();
            rows.push(format!(
                "({})",
                (1..=6)
                    .map(|i| format!("${}", base + i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            values.extend([
                head.kind.as_str().into(),
                head.chain_id.into(),
                checkpoint.number.into(),
                head.name.as_str().into(),
                head.seq.into(),
                head.hash.as_str().into(),
            ]);
        }
        conn.execute_raw(statement(
            backend,
            &format!(
                "INSERT INTO audit_checkpoint_heads (kind, chain_id, checkpoint, name, seq, hash) VALUES {}",
                rows.join(", ")
            ),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// How the intact chains stand against a checkpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Intact chains whose every link the checkpoint covers.
    pub intact: u64,
    /// Intact chains with links after the checkpoint, or none covered.
    pub not_yet_covered_chains: u64,
    /// Links after the checkpoint (all of a chain it does not cover).
    pub not_yet_covered_links: u64,
}

/// An intact chain as verification walked it.
#[derive(Clone, Debug)]
pub struct ChainSeen<'a> {
    pub kind: ChainKind,
    pub chain_id: i64,
    pub name: &'a str,
    /// How many links it has.
    pub length: i64,
    /// The stored hash of its link at the covered `seq`; `None` when it is
    /// shorter.
    pub hash_at_covered: Option<&'a str>,
}

/// Compares an intact chain with the head checkpoint `number` covered,
/// counting it in `coverage` when they agree; otherwise names the link and
/// the problem. A rewritten chain is narrowed down with the heads older
/// checkpoints covered: the rewrite lies after the last of them that still
/// matches.
pub async fn compare_with_covered(
    store: &Store,
    covered: Option<&ChainHead>,
    seen: &ChainSeen<'_>,
    number: i64,
    coverage: &mut Coverage,
) -> Result<Option<(i64, String)>, StoreError> {
    let link = match seen.kind {
        ChainKind::Case => "event",
        ChainKind::Agency => "entry",
    };
    let length = seen.length;
    let Some(covered) = covered else {
        coverage.not_yet_covered_chains += 1;
        coverage.not_yet_covered_links += length.max(0) as u64;
        return Ok(None);
    };
    if covered.name != seen.name {
        return Ok(Some((
            covered.seq,
            format!(
                "checkpoint {number} covered this chain under the name '{}': it was renamed",
                covered.name
            ),
        )));
    }
    if length < covered.seq {
        return Ok(Some((
            length + 1,
            format!(
                "checkpoint {number} covered {} {link}s but the chain ends at {link} {length}: {link}s were removed and the head rewound",
                covered.seq
            ),
        )));
    }
    if seen.hash_at_covered != Some(covered.hash.as_str()) {
        let which = match rewritten_span(store, seen, number, covered.seq).await? {
            (first, last) if first == last => format!("{link} {first}"),
            (first, last) => format!("one or more of {link}s {first} to {last}"),
        };
        return Ok(Some((
            covered.seq,
            format!(
                "the chain's hash at {link} {} is not the one checkpoint {number} signed: {which} was rewritten since (every later hash and the head recomputed)",
                covered.seq
            ),
        )));
    }
    if length > covered.seq {
        coverage.not_yet_covered_chains += 1;
        coverage.not_yet_covered_links += (length - covered.seq) as u64;
    } else {
        coverage.intact += 1;
    }
    Ok(None)
}

/// Where a rewritten chain was rewritten: after the last head an older
/// checkpoint covered that its stored links still match, and at or before
/// the first that they do not.
async fn rewritten_span(
    store: &Store,
    seen: &ChainSeen<'_>,
    number: i64,
    covered_seq: i64,
) -> Result<(i64, i64), StoreError> {
    let conn = store.conn();
    let links = match seen.kind {
        ChainKind::Case => "audit_events l ON l.application_id = h.chain_id",
        ChainKind::Agency => "agency_access l ON l.agency_id = h.chain_id",
    };
    let rows = conn
        .query_all_raw(statement(
            backend_of(conn),
            &format!(
                "SELECT h.seq, h.hash, l.hash AS stored FROM audit_checkpoint_heads h \
                 LEFT JOIN {links} AND l.seq = h.seq \
                 WHERE h.kind = $1 AND h.chain_id = $2 AND h.checkpoint <= $3 ORDER BY h.seq"
            ),
            vec![
                seen.kind.as_str().into(),
                seen.chain_id.into(),
                number.into(),
            ],
        ))
        .await?;
    let (mut first, mut last) = (1, covered_seq);
    for row in &rows {
        let seq: i64 = row.try_get("", "seq")?;
        let signed: String = row.try_get("", "hash")?;
        let stored: Option<String> = row.try_get("", "stored")?;
        if seq == 0 {
            continue;
        }
        if stored.as_deref() == Some(signed.as_str()) {
            first = first.max(seq + 1);
        } else {
            last = last.min(seq);
        }
    }
    Ok((first.min(last), last))
}
