//! The only way casework's schema changes. One migration per file; each runs
//! unchanged on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_create_applications;
mod m20261128_000002_create_members;
mod m20261128_000003_create_audit_events;
mod m20261128_000004_create_outbox;
mod m20261128_000005_create_reference_sequences;
mod m20261128_000006_create_users;
mod m20261128_000007_create_idempotency_keys;
mod m20261128_000008_add_user_email;
mod m20261128_000009_add_member_state_changed_on;
mod m20261128_000010_add_outbox_dedupe_key;
mod m20261128_000011_create_leases;
mod m20261128_000012_unique_national_numbers;
mod m20261129_000013_create_tallies;
mod m20261129_000014_name_parts_and_duplicates;
mod m20261129_000015_create_agencies;
mod m20261129_000016_duplicate_flags_other_index;
mod m20261130_000017_member_updates_in_place;
mod m20261130_000018_users_changed_notify;
mod m20261204_000019_name_folding;
mod m20261204_000020_users_office;
mod m20261204_000021_sessions;
mod m20261204_000022_applications_due_order;
mod m20261204_000023_case_duties;
mod m20261204_000024_portal_rate;
mod m20261204_000025_audit_checkpoints;
mod m20261204_000026_case_links;
mod m20261204_000027_workflow_versions;
mod m20261204_000028_documents;
mod m20261204_000029_targets;
mod m20261204_000030_audit_events_by_time;
mod m20261204_000031_documents_by_hash;
mod m20261205_000032_partitioned_history;
mod m20261205_000033_moves_tally;
mod m20261208_000034_users_full_name;
mod m20261208_000035_stage_counts;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_create_applications::Migration),
            Box::new(m20261128_000002_create_members::Migration),
            Box::new(m20261128_000003_create_audit_events::Migration),
            Box::new(m20261128_000004_create_outbox::Migration),
            Box::new(m20261128_000005_create_reference_sequences::Migration),
            Box::new(m20261128_000006_create_users::Migration),
            Box::new(m20261128_000007_create_idempotency_keys::Migration),
            Box::new(m20261128_000008_add_user_email::Migration),
            Box::new(m20261128_000009_add_member_state_changed_on::Migration),
            Box::new(m20261128_000010_add_outbox_dedupe_key::Migration),
            Box::new(m20261128_000011_create_leases::Migration),
            Box::new(m20261128_000012_unique_national_numbers::Migration),
            Box::new(m20261129_000013_create_tallies::Migration),
            Box::new(m20261129_000014_name_parts_and_duplicates::Migration),
            Box::new(m20261129_000015_create_agencies::Migration),
            Box::new(m20261129_000016_duplicate_flags_other_index::Migration),
            Box::new(m20261130_000017_member_updates_in_place::Migration),
            Box::new(m20261130_000018_users_changed_notify::Migration),
            Box::new(m20261204_000019_name_folding::Migration),
            Box::new(m20261204_000020_users_office::Migration),
            Box::new(m20261204_000021_sessions::Migration),
            Box::new(m20261204_000022_applications_due_order::Migration),
            Box::new(m20261204_000023_case_duties::Migration),
            Box::new(m20261204_000024_portal_rate::Migration),
            Box::new(m20261204_000025_audit_checkpoints::Migration),
            Box::new(m20261204_000026_case_links::Migration),
            Box::new(m20261204_000027_workflow_versions::Migration),
            Box::new(m20261204_000028_documents::Migration),
            Box::new(m20261204_000029_targets::Migration),
            Box::new(m20261204_000030_audit_events_by_time::Migration),
            Box::new(m20261204_000031_documents_by_hash::Migration),
            Box::new(m20261205_000032_partitioned_history::Migration),
            Box::new(m20261205_000033_moves_tally::Migration),
            Box::new(m20261208_000034_users_full_name::Migration),
            Box::new(m20261208_000035_stage_counts::Migration),
        ]
    }
}
