//! Scanned files as the tests know them.

use sha2::{Digest, Sha256};

/// The SHA-256 of `bytes` in lower-case hex, as the document store names a
/// scan.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
