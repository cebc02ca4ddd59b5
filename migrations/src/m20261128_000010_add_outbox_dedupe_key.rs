use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A reminder's identity (rule, recipient, case or digest, day): the
        // unique index is what keeps it from being queued twice, whichever
        // server ticks.
        manager
            .alter_table(
                Table::alter()
                    .table("outbox")
                    .add_column(string_len_null("dedupe_key", 300))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("outbox")
                    .add_column(string_len_null("recipient", 254))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_outbox_dedupe_key")
                    .table("outbox")
                    .col("dedupe_key")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_outbox_dedupe_key")
                    .table("outbox")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("outbox")
                    .drop_column("recipient")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("outbox")
                    .drop_column("dedupe_key")
                    .to_owned(),
            )
            .await
    }
}
