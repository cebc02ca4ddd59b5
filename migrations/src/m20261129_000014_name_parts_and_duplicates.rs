use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The search form of each name part, and the indexes that let a name be
/// found by any combination of its parts: every subset of {first, father,
/// family} is a prefix of one of the three indexes.
const PART_INDEXES: &[(&str, &[&str])] = &[
    (
        "ix_members_name_first",
        &["name_first", "name_father", "name_family"],
    ),
    (
        "ix_members_name_father",
        &["name_father", "name_family", "name_first"],
    ),
    ("ix_members_name_family", &["name_family", "name_first"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Filled for existing rows by the application right after migrating
        // (the normaliser is Rust code, see `Store::migrate`).
        for column in ["name_first", "name_father", "name_family"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("members")
                        .add_column(string_len(column, 128).default(""))
                        .to_owned(),
                )
                .await?;
        }
        // The whole name's search form, which only a substring search read,
        // gives way to the parts.
        manager
            .alter_table(
                Table::alter()
                    .table("members")
                    .drop_column("search_name")
                    .to_owned(),
            )
            .await?;
        for (name, columns) in PART_INDEXES {
            let mut index = Index::create();
            index.name(*name).table("members");
            for column in *columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // A possible duplicate: member `ordinal` of `application_id` looks
        // like member `other_ordinal` of `other_application_id`. Members are
        // named by ordinal because an edit replaces member rows.
        manager
            .create_table(
                Table::create()
                    .table("duplicate_flags")
                    .col(big_pk_auto("id"))
                    .col(big_integer("application_id"))
                    .col(integer("ordinal"))
                    .col(big_integer("other_application_id"))
                    .col(integer("other_ordinal"))
                    .col(string_len("reason", 32))
                    .col(string_len("status", 16))
                    .col(timestamp_with_time_zone("found_at"))
                    .col(string_len_null("decided_by", 64))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_duplicate_flags_pair")
                    .table("duplicate_flags")
                    .col("application_id")
                    .col("ordinal")
                    .col("other_application_id")
                    .col("other_ordinal")
                    .col("reason")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_duplicate_flags_status")
                    .table("duplicate_flags")
                    .col("status")
                    .col("application_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("duplicate_flags").to_owned())
            .await?;
        for (name, _) in PART_INDEXES {
            manager
                .drop_index(Index::drop().name(*name).table("members").to_owned())
                .await?;
        }
        for column in ["name_first", "name_father", "name_family"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("members")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("members")
                    .add_column(string_len("search_name", 400).default(""))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
