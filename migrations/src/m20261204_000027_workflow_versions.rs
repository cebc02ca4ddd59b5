use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // `casework workflow migrate` walks the cases still on one version
        // by id; resumed after a million moved cases it reads only those
        // left from this index, not every case.
        db.execute_unprepared(
            "CREATE INDEX ix_applications_workflow ON applications \
             (workflow_name, workflow_version, id)",
        )
        .await?;
        // The tallies gain a kind (`workflow`: cases and persons per
        // definition version). Emptied here, they are recounted from the
        // cases by `app::system::migrate` (a database with cases but no
        // tallies), with the new kind.
        db.execute_unprepared("DELETE FROM tallies").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS ix_applications_workflow")
            .await?;
        // Recounted without the `workflow` kind on the next start.
        db.execute_unprepared("DELETE FROM tallies").await?;
        Ok(())
    }
}
