use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("members")
                    .col(big_pk_auto("id"))
                    .col(big_integer("application_id"))
                    .col(integer("ordinal"))
                    .col(string_len("first_name", 100))
                    .col(string_len("father_name", 100))
                    .col(string_len("mother_name", 100))
                    .col(string_len("family_name", 100))
                    .col(string_len_null("latin_first_name", 100))
                    .col(string_len_null("latin_family_name", 100))
                    .col(string_len("search_name", 400))
                    .col(string_len("sex", 8))
                    .col(date("birth_date"))
                    .col(string_len("birth_place", 100))
                    .col(string_len("relationship", 16))
                    .col(string_len_null("register_number", 16))
                    .col(boolean("abroad"))
                    .col(text("documents"))
                    .col(string_len("state", 40))
                    .col(string_len_null("national_number", 11))
                    .col(string_len_null("card_number", 20))
                    .col(string_len_null("collector_document", 100))
                    .col(text_null("exclusion_reason"))
                    .col(date_null("card_due_on"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_members_application")
                            .from("members", "application_id")
                            .to("applications", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_members_application_ordinal")
                    .table("members")
                    .col("application_id")
                    .col("ordinal")
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_members_register_number", "register_number"),
            ("ix_members_national_number", "national_number"),
            ("ix_members_state", "state"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("members")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("members").to_owned())
            .await
    }
}
