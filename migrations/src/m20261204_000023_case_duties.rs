use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Separation of duties became rules in the workflow definition, and
        // a case records who performed which duty (`workflow::duties`):
        // a JSON object duty → person → the first action by which they did.
        // The column `verifiers` (a JSON array of who took a verifier's
        // action) becomes `duties`, in place, and today's verifiers are
        // carried over as the duty `verification` of the only definition
        // there is (naturalization-family v1), their action unknown ("").
        let db = manager.get_connection();
        manager
            .alter_table(
                Table::alter()
                    .table("applications")
                    .rename_column("verifiers", "duties")
                    .to_owned(),
            )
            .await?;
        let carry = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "UPDATE applications SET duties = json_build_object('verification', \
                 (SELECT json_object_agg(v, ''::text) FROM json_array_elements_text(duties::json) v))::text \
                 WHERE duties <> '[]'"
            }
            _ => {
                "UPDATE applications SET duties = json_object('verification', \
                 (SELECT json_group_object(value, '') FROM json_each(duties))) \
                 WHERE duties <> '[]'"
            }
        };
        db.execute_unprepared(carry).await?;
        db.execute_unprepared("UPDATE applications SET duties = '{}' WHERE duties = '[]'")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Back to the verifiers: everyone recorded for `verification`.
        let db = manager.get_connection();
        let back = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "UPDATE applications SET duties = COALESCE((SELECT json_agg(k) FROM \
                 json_object_keys(duties::json -> 'verification') k)::text, '[]')"
            }
            _ => {
                "UPDATE applications SET duties = COALESCE((SELECT json_group_array(key) FROM \
                 json_each(duties, '$.verification')), '[]')"
            }
        };
        db.execute_unprepared(back).await?;
        manager
            .alter_table(
                Table::alter()
                    .table("applications")
                    .rename_column("duties", "verifiers")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
