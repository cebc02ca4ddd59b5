//! The engine: a case's journey through the engine and the store, the
//! pure engine's properties, the workflow definitions and their migration,
//! separation of duties, group commit, name folding, and the scheduler's
//! reminders and outbox. One test binary; each module was its own file.
//!
//! `tests/common` holds the helpers and builders all the binaries share.

#[path = "../common/mod.rs"]
mod common;

mod engine_journey;
mod engine_properties;
mod group_commit;
mod kurdish_names;
mod migration;
mod reminders;
mod separation;
mod workflow_definitions;
