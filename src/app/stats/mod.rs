//! Statistics for ministry leadership and supervisors, moving to one file
//! per job; for now everything is in `position` and re-exported here.

mod position;

pub use position::*;
