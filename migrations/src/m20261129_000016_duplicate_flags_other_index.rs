use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A case's flags are looked up from both sides of each pair (every
        // read of one application counts its open flags); the pair index
        // leads with `application_id`, so the other side was a full scan.
        manager
            .create_index(
                Index::create()
                    .name("ix_duplicate_flags_other_application")
                    .table("duplicate_flags")
                    .col("other_application_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_duplicate_flags_other_application")
                    .table("duplicate_flags")
                    .to_owned(),
            )
            .await
    }
}
