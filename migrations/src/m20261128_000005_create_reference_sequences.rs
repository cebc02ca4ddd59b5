use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The last sequence number used per reference prefix and year
        // (`HSK-2011` → 123 gives the next reference HSK-2011-000124).
        manager
            .create_table(
                Table::create()
                    .table("reference_sequences")
                    .col(string_len("prefix_year", 16).primary_key())
                    .col(big_integer("last_value"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("reference_sequences").to_owned())
            .await
    }
}
