//! The backlog dashboard, moving to one file per job; for now everything is
//! in `charts` and re-exported here.

mod charts;

pub use charts::*;
