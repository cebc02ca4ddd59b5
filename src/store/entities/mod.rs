//! sea-orm entities, one per table created by `migrations/`.

pub mod application;
pub mod audit_event;
pub mod idempotency_key;
pub mod member;
pub mod outbox;
pub mod session;
pub mod signin_failure;
pub mod user;
