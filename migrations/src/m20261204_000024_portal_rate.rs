use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Each agency's rate budget, one token bucket shared by every server
        // on the database: the persons it may still name (`tokens`) as they
        // stood at `refilled_ms` (milliseconds since 1970). One `UPDATE …
        // RETURNING` refills and takes at once, so servers asking together
        // never hand out the same token twice.
        manager
            .create_table(
                Table::create()
                    .table("agency_rates")
                    .col(big_integer("agency_id").primary_key())
                    .col(double("tokens"))
                    .col(big_integer("refilled_ms"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("agency_rates", "agency_id")
                            .to("agencies", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A request refused as a whole is one access-log entry that says how
        // many persons it named (none on an entry of one person).
        manager
            .alter_table(
                Table::alter()
                    .table("agency_access")
                    .add_column(integer_null("persons"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("agency_access")
                    .drop_column("persons")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("agency_rates").to_owned())
            .await
    }
}
