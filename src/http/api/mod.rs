//! The officers' API: JSON in and out, documented in the OpenAPI document
//! (`http::openapi`), errors as problem+json. Each handler extracts its
//! typed input, calls one `app` function and answers what it returns.
//!
//! `applications` opens, reads, edits and acts on cases; `queue` lists and
//! claims them; `documents` the scans; `duplicates` possible duplicate
//! persons; `import` the backlog; `migrations` moving cases to a new
//! definition version; `stats`, `targets` and `whatif` the figures for
//! leadership; `outbox` the mail queue; `reference` the places;
//! `system` health, readiness, metrics and the workflow definitions.

pub mod applications;
pub mod documents;
pub mod duplicates;
pub mod import;
pub mod migrations;
pub mod outbox;
pub mod queue;
pub mod reference;
pub mod stats;
pub mod system;
pub mod targets;
pub mod whatif;
