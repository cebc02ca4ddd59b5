use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The targets leadership steers by, set by admins
        // (`PUT /api/statistics/targets/{name}`): one row per target, named
        // by its own short name. `kind` says which columns it reads:
        // `closed_by` (every application of `workflow` received before
        // `received_before` closed by `deadline`) or `within_time_limit`
        // (`percent` of the open applications within their stage's time
        // limit, by `deadline` when one is given).
        manager
            .create_table(
                Table::create()
                    .table("targets")
                    .col(string_len("name", 64).primary_key())
                    .col(string_len("kind", 32))
                    .col(string_len("workflow", 100))
                    .col(date_null("received_before"))
                    .col(date_null("deadline"))
                    .col(integer_null("percent"))
                    .col(string_len("set_by", 100))
                    .col(timestamp_with_time_zone("set_at"))
                    .to_owned(),
            )
            .await?;
        // The headline figures the tallies keep only as they are now (cards
        // still due, applications past their due date), noted once an hour
        // for the day by the scheduler, so that the dashboard can show them
        // a week and four weeks later: per workflow, district and office
        // ('' for all).
        manager
            .create_table(
                Table::create()
                    .table("headline_days")
                    .col(date("day"))
                    .col(string_len("workflow", 100))
                    .col(string_len("district", 40))
                    .col(string_len("office", 40))
                    .col(big_integer("cards_due"))
                    .col(big_integer("sla_breaches"))
                    .col(timestamp_with_time_zone("noted_at"))
                    .primary_key(
                        Index::create()
                            .col("day")
                            .col("workflow")
                            .col("district")
                            .col("office"),
                    )
                    .to_owned(),
            )
            .await?;
        // The tallies gain a kind (`waiting`: cases by state and intake
        // day). Emptied here, they are recounted from the cases by
        // `app::system::migrate` (a database with cases but no tallies).
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM tallies")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Recounted without the `waiting` kind on the next start.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM tallies")
            .await?;
        manager
            .drop_table(Table::drop().table("headline_days").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("targets").to_owned())
            .await
    }
}
