use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Whether any document still holds a file, asked before the
        // retention of scans deletes it from the document store.
        manager
            .create_index(
                Index::create()
                    .name("ix_documents_sha256")
                    .table("documents")
                    .col("sha256")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_documents_sha256")
                    .table("documents")
                    .to_owned(),
            )
            .await
    }
}
