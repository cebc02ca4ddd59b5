use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Every member transition changes `state`. While an index covered
        // it, PostgreSQL could not update a member row in place (a HOT
        // update) and rewrote all nine indexes of `members` on every step.
        // Only the reminder jobs select members by state, once a day or a
        // week: the card-due reminder through `card_due_on` (set once, when
        // the member's card falls due), the not-collected reminder by a
        // scan.
        manager
            .drop_index(
                Index::drop()
                    .name("ix_members_state")
                    .table("members")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_members_card_due_on")
                    .table("members")
                    .col("card_due_on")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_members_card_due_on")
                    .table("members")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_members_state")
                    .table("members")
                    .col("state")
                    .to_owned(),
            )
            .await
    }
}
