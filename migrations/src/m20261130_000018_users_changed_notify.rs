use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Servers keep officers' token lookups in memory while they listen
        // on `casework_users` (store/token_cache.rs): every change to
        // `users`, by casework or by hand, must be heard. SQLite has no
        // notifications; nothing is cached there.
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "CREATE OR REPLACE FUNCTION casework_users_changed() RETURNS trigger \
             LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify('casework_users', ''); \
             RETURN NULL; END $$",
        )
        .await?;
        conn.execute_unprepared(
            "CREATE TRIGGER users_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
             ON users FOR EACH STATEMENT EXECUTE FUNCTION casework_users_changed()",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let conn = manager.get_connection();
        conn.execute_unprepared("DROP TRIGGER IF EXISTS users_changed ON users")
            .await?;
        conn.execute_unprepared("DROP FUNCTION IF EXISTS casework_users_changed()")
            .await?;
        Ok(())
    }
}
