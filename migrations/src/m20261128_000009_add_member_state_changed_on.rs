use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The day a member entered their current state (a card printed on…).
        manager
            .alter_table(
                Table::alter()
                    .table("members")
                    .add_column(date_null("state_changed_on"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("members")
                    .drop_column("state_changed_on")
                    .to_owned(),
            )
            .await
    }
}
