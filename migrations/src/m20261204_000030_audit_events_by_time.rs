use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The forecast's history: the audit events of the last weeks, read
        // per week, application, move and actor without reading the wide
        // rows (payloads, hashes) or the events before.
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_at_moves")
                    .table("audit_events")
                    .col("at")
                    .col("application_id")
                    .col("from_state")
                    .col("to_state")
                    .col("actor")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_audit_events_at_moves")
                    .table("audit_events")
                    .to_owned(),
            )
            .await
    }
}
