//! Bringing in the existing backlog (in progress).

mod read;

pub use read::*;
