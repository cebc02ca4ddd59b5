//! Pure vocabulary: families and members, identifiers, Arabic names and
//! their search form, roles, the working calendar, and the rules every
//! free-text field keeps (`text`).
//!
//! Architecture invariant: nothing here imports axum, sea-orm, lettre or
//! tokio, and nothing reads the clock.

pub mod audit;
pub mod calendar;
pub mod checkpoint;
pub mod digest;
pub mod family;
pub mod field_error;
pub mod identifiers;
pub mod language;
pub mod line_errors;
pub mod names;
pub mod places;
pub mod roles;
pub mod scans;
pub mod text;
pub mod words;
