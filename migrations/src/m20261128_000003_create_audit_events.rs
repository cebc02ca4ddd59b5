use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Append-only: the application layer only ever inserts here, and each
        // row carries the hash of its predecessor in the same application.
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(big_pk_auto("id"))
                    .col(big_integer("application_id"))
                    .col(big_integer("seq"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string_len("actor", 64))
                    .col(string_len("action", 64))
                    .col(integer_null("member"))
                    .col(string_len("from_state", 40))
                    .col(string_len("to_state", 40))
                    .col(text("payload"))
                    .col(string_len("prev_hash", 64))
                    .col(string_len("hash", 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_events_application")
                            .from("audit_events", "application_id")
                            .to("applications", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_audit_events_application_seq")
                    .table("audit_events")
                    .col("application_id")
                    .col("seq")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("audit_events").to_owned())
            .await
    }
}
