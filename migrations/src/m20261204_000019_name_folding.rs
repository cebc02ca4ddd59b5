use sea_orm_migration::sea_orm::ConnectionTrait;
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Which version of the name normaliser made the stored search forms
        // (`members.name_first`, `name_father`, `name_family`), and how far a
        // refold to a newer version has come: members up to `after_member`
        // are refolded. The forms stored before this table existed were made
        // by version 1 (the Arabic rules); the application refolds them to
        // its own version right after migrating, in batches it records here,
        // so a refold cut short goes on where it stopped.
        manager
            .create_table(
                Table::create()
                    .table("name_folding")
                    .col(integer("id").primary_key())
                    .col(integer("version"))
                    .col(big_integer("after_member"))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared(
                "INSERT INTO name_folding (id, version, after_member) VALUES (1, 1, 0)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("name_folding").to_owned())
            .await
    }
}
