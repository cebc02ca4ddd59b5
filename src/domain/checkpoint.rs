//! Signed checkpoints of the hash chains, the pure part: a chain head as a
//! Merkle leaf, the Merkle root over every chain (RFC 6962's tree hash, as
//! Certificate Transparency's signed tree heads use it), the exact bytes a
//! checkpoint signs, and signing and checking them with a key passed in.
//!
//! The key itself is read from its file by the app layer and never stored
//! in the database; anyone holding only the public key can check a
//! checkpoint, and anyone without the private key cannot make one.

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::domain::audit::chain_time;
use crate::domain::digest::{from_hex, hex, sha256_hex};

/// Which kind of chain a head belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChainKind {
    /// An agency's access log, named by the agency's name.
    Agency,
    /// A case's audit trail, named by the application's reference.
    Case,
}

impl ChainKind {
    /// Both kinds, in the order their leaves enter the tree.
    pub const ALL: [ChainKind; 2] = [ChainKind::Agency, ChainKind::Case];

    pub fn as_str(self) -> &'static str {
        match self {
            ChainKind::Agency => "agency",
            ChainKind::Case => "case",
        }
    }
}

/// The head of one chain: how many links it has and the last one's hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainHead {
    pub kind: ChainKind,
    /// The application's or the agency's id: the order of the leaves.
    pub chain_id: i64,
    /// The reference or the agency's name.
    pub name: String,
    pub seq: i64,
    pub hash: String,
}

/// The Merkle leaf of a chain head: SHA-256 over 0x00 and the head's
/// length-prefixed parts (kind, id, name, seq, hash).
pub fn leaf_hash(head: &ChainHead) -> [u8; 32] {
    let id = head.chain_id.to_string();
    let seq = head.seq.to_string();
    let parts: [&[u8]; 5] = [
        head.kind.as_str().as_bytes(),
        id.as_bytes(),
        head.name.as_bytes(),
        seq.as_bytes(),
        head.hash.as_bytes(),
    ];
    let mut hasher = Sha256::new();
    hasher.update([0_u8]);
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part);
    }
    hasher.finalize().into()
}

fn node_hash(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update([1_u8]);
    hasher.update(left);
    hasher.update(right);
    hasher.finalize().into()
}

/// The Merkle root over leaves fed in order, in O(log n) memory: the same
/// root as RFC 6962's `MTH` (the left subtree is the largest power of two
/// of leaves), so millions of chains need never be held at once.
#[derive(Clone, Debug, Default)]
pub struct MerkleBuilder {
    /// Complete subtrees, largest first: (leaves it holds, its hash).
    stack: Vec<(u64, [u8; 32])>,
    leaves: u64,
}

impl MerkleBuilder {
    pub fn new() -> MerkleBuilder {
        MerkleBuilder::default()
    }

    /// Adds the next head.
    pub fn push(&mut self, head: &ChainHead) {
        self.leaves += 1;
        let mut node = (1_u64, leaf_hash(head));
        while let Some(&(size, hash)) = self.stack.last() {
            if size != node.0 {
                break;
            }
            self.stack.pop();
            node = (size * 2, node_hash(&hash, &node.1));
        }
        self.stack.push(node);
    }

    /// How many heads were added.
    pub fn leaves(&self) -> u64 {
        self.leaves
    }

    /// The root as hex; the SHA-256 of nothing for no leaves.
    pub fn root(&self) -> String {
        let mut nodes = self.stack.iter().rev();
        let Some(&(_, mut hash)) = nodes.next() else {
            return sha256_hex(b"");
        };
        for (_, left) in nodes {
            hash = node_hash(left, &hash);
        }
        hex(&hash)
    }
}

/// What a checkpoint states, the part its signature covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckpointBody {
    /// 1, 2, 3, … without gaps.
    pub number: i64,
    pub at: DateTime<Utc>,
    /// How many chains the root covers.
    pub chains: i64,
    /// The Merkle root (hex).
    pub root: String,
}

impl CheckpointBody {
    /// The exact bytes signed: one line per field, after a line naming the
    /// format, so a signature over anything else cannot be passed off as one.
    pub fn message(&self) -> Vec<u8> {
        format!(
            "casework audit checkpoint v1\nnumber {}\nat {}\nchains {}\nroot {}\n",
            self.number,
            chain_time(self.at),
            self.chains,
            self.root
        )
        .into_bytes()
    }
}

/// The Ed25519 signature of a checkpoint, as hex.
pub fn sign(key: &SigningKey, body: &CheckpointBody) -> String {
    hex(&key.sign(&body.message()).to_bytes())
}

/// Whether `signature` (hex) is `key`'s signature of `body`, checked
/// strictly (no weak keys, no malleable signatures).
pub fn signature_holds(key: &VerifyingKey, body: &CheckpointBody, signature: &str) -> bool {
    let Some(bytes) = from_hex(signature) else {
        return false;
    };
    let Ok(bytes) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    key.verify_strict(&body.message(), &Signature::from_bytes(&bytes))
        .is_ok()
}

/// A public key as it is printed and given back: 64 hex digits.
pub fn public_key_hex(key: &VerifyingKey) -> String {
    hex(key.as_bytes())
}

/// A short name for a public key: the first 16 hex digits of its SHA-256.
pub fn key_id(key: &VerifyingKey) -> String {
    sha256_hex(key.as_bytes())[..16].to_string()
}

/// A public key from its 64 hex digits.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey, String> {
    let bytes = from_hex(text.trim())
        .filter(|b| b.len() == 32)
        .ok_or_else(|| "is not 64 hex digits".to_string())?;
    let bytes: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| "is not 64 hex digits".to_string())?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| "is not an Ed25519 public key".to_string())
}

/// A signing key from the text of its file: the 32-byte secret as 64 hex
/// digits on one line. The error never repeats the text.
pub fn parse_signing_key(text: &str) -> Result<SigningKey, String> {
    let bytes = from_hex(text.trim())
        .filter(|b| b.len() == 32)
        .ok_or_else(|| {
            "does not hold an Ed25519 key as `casework audit keygen` writes it (64 hex digits)"
                .to_string()
        })?;
    let bytes: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| "does not hold 32 bytes".to_string())?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// A signing key's file text.
pub fn signing_key_text(key: &SigningKey) -> String {
    format!("{}\n", hex(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(n: i64) -> ChainHead {
        ChainHead {
            kind: ChainKind::Case,
            chain_id: n,
            name: format!("HSK-2011-{n:06}"),
            seq: n,
            hash: format!("{n:064}"),
        }
    }

    /// RFC 6962's recursive definition, to check the streaming one by.
    fn mth(leaves: &[[u8; 32]]) -> [u8; 32] {
        match leaves.len() {
            0 => Sha256::digest(b"").into(),
            1 => leaves[0],
            n => {
                let k = 1 << (usize::BITS - 1 - (n - 1).leading_zeros());
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    #[test]
    fn the_streamed_root_is_rfc_6962s_tree_hash_for_every_size() {
        for n in 0..40 {
            let heads: Vec<ChainHead> = (1..=n).map(head).collect();
            let mut builder = MerkleBuilder::new();
            for h in &heads {
                builder.push(h);
            }
            let leaves: Vec<[u8; 32]> = heads.iter().map(leaf_hash).collect();
            assert_eq!(builder.root(), hex(&mth(&leaves)), "{n} leaves");
            assert_eq!(builder.leaves(), n as u64);
        }
    }

    #[test]
    fn any_change_to_a_head_changes_the_root() {
        let root = |heads: &[ChainHead]| {
            let mut b = MerkleBuilder::new();
            heads.iter().for_each(|h| b.push(h));
            b.root()
        };
        let heads: Vec<ChainHead> = (1..=5).map(head).collect();
        let mut changed = heads.clone();
        changed[2].hash = format!("{:064}", 9);
        assert_ne!(root(&heads), root(&changed));
        let mut renamed = heads.clone();
        renamed[2].name = "HSK-2011-999999".into();
        assert_ne!(root(&heads), root(&renamed));
        assert_ne!(root(&heads), root(&heads[..4]));
    }

    #[test]
    fn a_signature_holds_only_for_its_body_and_its_key() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let other = SigningKey::from_bytes(&[8; 32]);
        let body = CheckpointBody {
            number: 1,
            at: DateTime::from_timestamp(1_700_000_000, 0).expect("a time"),
            chains: 3,
            root: "ab".repeat(32),
        };
        let signature = sign(&key, &body);
        assert!(signature_holds(&key.verifying_key(), &body, &signature));
        assert!(!signature_holds(&other.verifying_key(), &body, &signature));
        let mut moved = body.clone();
        moved.chains = 4;
        assert!(!signature_holds(&key.verifying_key(), &moved, &signature));
        assert!(!signature_holds(&key.verifying_key(), &body, "zz"));
    }

    #[test]
    fn keys_read_back_as_written_and_bad_text_is_refused_without_echo() {
        let key = SigningKey::from_bytes(&[9; 32]);
        let text = signing_key_text(&key);
        assert_eq!(parse_signing_key(&text).expect("reads"), key);
        let error = parse_signing_key("secret-ish garbage").expect_err("refused");
        assert!(!error.contains("garbage"));
        let public = public_key_hex(&key.verifying_key());
        assert_eq!(
            parse_public_key(&public).expect("reads"),
            key.verifying_key()
        );
        assert!(parse_public_key("abc").is_err());
    }
}
