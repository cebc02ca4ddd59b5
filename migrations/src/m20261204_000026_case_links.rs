use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A one-person case (a person never entered in any register) linked
        // to the family case the person belongs to: at most one family per
        // person case. Once the person is registered and added to the family,
        // `joined_ordinal` is their member number in the family case.
        manager
            .create_table(
                Table::create()
                    .table("case_links")
                    .col(big_integer("person_application_id").primary_key())
                    .col(big_integer("family_application_id"))
                    .col(timestamp_with_time_zone("linked_at"))
                    .col(integer_null("joined_ordinal"))
                    .col(timestamp_with_time_zone_null("joined_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("case_links", "person_application_id")
                            .to("applications", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("case_links", "family_application_id")
                            .to("applications", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("case_links_family")
                    .table("case_links")
                    .col("family_application_id")
                    .to_owned(),
            )
            .await?;
        // The `received` tallies are now kept per workflow (named by it,
        // where they were unnamed). Tallies are a pure function of the cases:
        // emptied here, they are counted again by `casework migrate` (and at
        // every start), which recounts a database that has cases but no
        // tallies.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM tallies")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The tallies are counted again, unnamed `received` rows and all.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM tallies")
            .await?;
        manager
            .drop_table(Table::drop().table("case_links").to_owned())
            .await
    }
}
