//! Pure vocabulary: families and members, identifiers, Arabic names and
//! their search form, roles, and the working calendar.
//!
//! Architecture invariant: nothing here imports axum, sea-orm, lettre or
//! tokio, and nothing reads the clock.

pub mod audit;
pub mod calendar;
pub mod digest;
pub mod family;
pub mod identifiers;
pub mod names;
pub mod places;
pub mod roles;
