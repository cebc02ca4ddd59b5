//! The case officers' API over real HTTP: the journey, documents, the
//! work queue, statistics, targets, the forecast, places, clean input, the
//! second workflow and the read replica. One test binary; each module was
//! its own file.
//!
//! `tests/common` holds the helpers and builders all the binaries share.

#[path = "../common/mod.rs"]
mod common;

mod api;
mod arabic;
mod clean_input;
mod names_and_returns;
mod documents;
mod forecast;
mod places;
mod replica;
mod statistics;
mod targets;
mod unregistered;
mod what_if;
mod work_queue;
