use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The office an officer works at, within their district: a code of
        // the places file, or none.
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string_len_null("office", 40))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .drop_column("office")
                    .to_owned(),
            )
            .await
    }
}
