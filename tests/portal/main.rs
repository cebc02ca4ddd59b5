//! The agency portal. One test binary.
//!
//! `tests/common` holds the helpers and builders all the binaries share.

#[path = "../common/mod.rs"]
mod common;

mod portal;
