use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The scan stored for one document of a case: the family's (owner 0)
        // or a member's (owner = the member's ordinal). The file itself is
        // in the document store under its SHA-256; its upload, replacement
        // and removal are events of the case's audit chain.
        manager
            .create_table(
                Table::create()
                    .table("documents")
                    .col(big_integer("application_id"))
                    .col(integer("owner"))
                    .col(string_len("kind", 40))
                    .col(string_len("sha256", 64))
                    .col(string_len("media_type", 40))
                    .col(big_integer("size"))
                    .col(string_len("uploaded_by", 100))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .primary_key(
                        Index::create()
                            .col("application_id")
                            .col("owner")
                            .col("kind"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from("documents", "application_id")
                            .to("applications", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Every time someone opened a scan: who saw which person's papers.
        // A read changes no case, so it is not an event of the case's chain
        // (that would move the case's version under the officers working it).
        manager
            .create_table(
                Table::create()
                    .table("document_views")
                    .col(big_pk_auto("id"))
                    .col(big_integer("application_id"))
                    .col(integer("owner"))
                    .col(string_len("kind", 40))
                    .col(string_len("sha256", 64))
                    .col(string_len("viewer", 100))
                    .col(timestamp_with_time_zone("viewed_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("document_views", "application_id")
                            .to("applications", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_document_views_application")
                    .table("document_views")
                    .col("application_id")
                    .col("viewed_at")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("document_views").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("documents").to_owned())
            .await
    }
}
