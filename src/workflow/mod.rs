//! The pure workflow engine. Architecture invariant: nothing here imports
//! axum, sea-orm, lettre or tokio, and nothing reads the clock; `now` is
//! passed in.

pub mod case;
pub mod definition;
pub mod duties;
pub mod effect;
pub mod fields;
pub mod guards;
pub mod machine;
pub mod migration;
pub mod refusal;

pub use case::{Actor, Case, CaseMember, Command};
pub use definition::Workflow;
pub use machine::{Event, Step, decide};
pub use refusal::Refusal;
pub use sla::Timing;
pub mod sla;
