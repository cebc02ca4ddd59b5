use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A national number belongs to one person: the plain index becomes a
        // unique one (members without a number yet are NULL, which both
        // databases let repeat).
        manager
            .drop_index(
                Index::drop()
                    .name("ix_members_national_number")
                    .table("members")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_members_national_number")
                    .table("members")
                    .col("national_number")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_members_national_number")
                    .table("members")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_members_national_number")
                    .table("members")
                    .col("national_number")
                    .to_owned(),
            )
            .await
    }
}
