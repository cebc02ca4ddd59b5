use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // An officer's full name, as colleagues and the pages name them
        // (the user name stands in where none is given).
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string_len_null("full_name", 200))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .drop_column("full_name")
                    .to_owned(),
            )
            .await
    }
}
