//! What an operator does with the binary: its commands, the backlog's
//! import, back-scanning the archive, and the audit's checkpoints and
//! history, and the demo province. One test binary; each module was its
//! own file.
//!
//! `tests/common` holds the helpers and builders all the binaries share.

#[path = "../common/mod.rs"]
mod common;

mod audit_checkpoints;
mod audit_history;
mod backlog;
mod backscan;
mod cli;
mod demo;
