use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Signed checkpoints of every hash chain (the cases' audit trails
        // and the agencies' access logs): one Merkle root over the chains'
        // heads, signed with an Ed25519 key that is never in the database.
        // `number` counts up from 1 without gaps; it is written by the
        // checkpointer (not generated), so two servers that make one at
        // once collide on it and one of them tries again.
        manager
            .create_table(
                Table::create()
                    .table("audit_checkpoints")
                    .col(big_integer("number").primary_key())
                    .col(timestamp_with_time_zone("at"))
                    .col(big_integer("chains"))
                    .col(string_len("root", 64))
                    .col(string_len("key_id", 16))
                    .col(string_len("public_key", 64))
                    .col(string_len("signature", 128))
                    .to_owned(),
            )
            .await?;
        // The heads a checkpoint covers, written only for the chains that
        // changed since the one before: the head of a chain as of
        // checkpoint N is its row with the largest `checkpoint` up to N,
        // and the root of N is over all of those. The first checkpoint of
        // a database writes a row per chain (2,000,000 cases: about 2
        // million rows of ~120 bytes); later ones only the chains that
        // moved in between. `kind` is `agency` or `case`, `chain_id` the
        // agency's or the application's id and `name` its name or
        // reference, which the leaf hash covers too.
        manager
            .create_table(
                Table::create()
                    .table("audit_checkpoint_heads")
                    .col(string_len("kind", 8))
                    .col(big_integer("chain_id"))
                    .col(big_integer("checkpoint"))
                    .col(string_len("name", 100))
                    .col(big_integer("seq"))
                    .col(string_len("hash", 64))
                    .primary_key(
                        Index::create()
                            .col("kind")
                            .col("chain_id")
                            .col("checkpoint"),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("audit_checkpoint_heads").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("audit_checkpoints").to_owned())
            .await?;
        Ok(())
    }
}
