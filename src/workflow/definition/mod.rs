//! The workflow definition, split into its parts (in progress).

mod check;

pub use check::*;
