use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Leases let one of several servers run a scheduled job; a lease
        // lapses when its holder stops renewing it.
        manager
            .create_table(
                Table::create()
                    .table("leases")
                    .col(string_len("name", 64).primary_key())
                    .col(string_len("holder", 128))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;
        // When each reminder rule last ran, so a tick knows which firings are due.
        manager
            .create_table(
                Table::create()
                    .table("reminder_runs")
                    .col(string_len("rule", 128).primary_key())
                    .col(timestamp_with_time_zone("last_run_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("reminder_runs").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("leases").to_owned())
            .await
    }
}
