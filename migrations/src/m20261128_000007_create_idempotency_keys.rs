use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The first outcome of a request sent with an Idempotency-Key, written
        // in the same transaction as the change it made.
        manager
            .create_table(
                Table::create()
                    .table("idempotency_keys")
                    .col(string_len("user_name", 64))
                    .col(string_len("key", 128))
                    .col(string_len("fingerprint", 64))
                    .col(text("outcome"))
                    .col(timestamp_with_time_zone("created_at"))
                    .primary_key(Index::create().col("user_name").col("key"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("idempotency_keys").to_owned())
            .await
    }
}
