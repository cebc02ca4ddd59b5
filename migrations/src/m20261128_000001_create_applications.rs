use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("applications")
                    .col(big_pk_auto("id"))
                    .col(string_len_uniq("reference", 32))
                    .col(string_len("workflow_name", 64))
                    .col(integer("workflow_version"))
                    .col(string_len("district", 40))
                    .col(string_len("office", 40))
                    .col(date("submitted_on"))
                    .col(string_len_null("applicant_email", 254))
                    .col(string_len("state", 40))
                    .col(string_len_null("assignee", 64))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("state_entered_at"))
                    .col(date_null("due_on"))
                    .col(date_null("paused_since"))
                    .col(integer("paused_working_days"))
                    .col(text("verifiers"))
                    .col(text("family_documents"))
                    .col(big_integer("audit_seq"))
                    .col(string_len("last_hash", 64))
                    .col(string_len("origin", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "ix_applications_state_district_office",
                &["state", "district", "office"][..],
            ),
            ("ix_applications_district_state", &["district", "state"][..]),
            ("ix_applications_assignee_state", &["assignee", "state"][..]),
            ("ix_applications_state_due_on", &["state", "due_on"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("applications");
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("applications").to_owned())
            .await
    }
}
