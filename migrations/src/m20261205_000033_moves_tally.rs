use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The tallies gain a kind (`moved`: audit events per day, district,
        // move and actor, the forecast's history). Emptied here, they are
        // recounted from the cases and their events by
        // `app::system::migrate` (a database with cases but no tallies).
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM tallies")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Recounted without the `moved` kind on the next start.
        manager
            .get_connection()
            .execute_unprepared("DELETE FROM tallies")
            .await?;
        Ok(())
    }
}
