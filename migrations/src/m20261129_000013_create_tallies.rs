use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The day a member was entered in the civil registry (the national
        // number recorded); earlier rows take the day of their last change.
        manager
            .alter_table(
                Table::alter()
                    .table("members")
                    .add_column(date_null("registered_on"))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE members SET registered_on = state_changed_on \
                 WHERE national_number IS NOT NULL",
            )
            .await?;
        // Statistics kept up to date in the same transaction as every change
        // (see src/store/tallies.rs). A row is a partial sum: `slot` spreads
        // concurrent writers over several rows, so readers add the slots up.
        // `day` and `due` are days since 1970-01-01, 0 when they do not apply.
        manager
            .create_table(
                Table::create()
                    .table("tallies")
                    .col(string_len("kind", 16))
                    .col(string_len("name", 64))
                    .col(string_len("district", 64))
                    .col(string_len("office", 64))
                    .col(integer("day"))
                    .col(integer("due"))
                    .col(string_len("tag", 128))
                    .col(small_integer("slot"))
                    .col(big_integer("families"))
                    .col(big_integer("persons"))
                    .primary_key(
                        Index::create()
                            .col("kind")
                            .col("name")
                            .col("district")
                            .col("office")
                            .col("day")
                            .col("due")
                            .col("tag")
                            .col("slot"),
                    )
                    .to_owned(),
            )
            .await?;
        // Flows are read by day range.
        manager
            .create_index(
                Index::create()
                    .name("ix_tallies_kind_day")
                    .table("tallies")
                    .col("kind")
                    .col("day")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("tallies").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("members")
                    .drop_column("registered_on")
                    .to_owned(),
            )
            .await
    }
}
