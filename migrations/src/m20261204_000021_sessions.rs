use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // A person's password as an Argon2id PHC string; none until
        // `casework users passwd` sets one (programs keep their tokens).
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(string_len_null("password_hash", 255))
                    .to_owned(),
            )
            .await?;
        // Signed-in sessions, shared by every server on the database. Only
        // the SHA-256 of the session id (which only the browser's cookie
        // holds) is stored; the anti-forgery token every form of the
        // session carries is kept beside it.
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string_len("id_hash", 64).primary_key())
                    .col(string_len("user_name", 64))
                    .col(string_len("csrf_token", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_user_name")
                    .table("sessions")
                    .col("user_name")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_last_seen_at")
                    .table("sessions")
                    .col("last_seen_at")
                    .to_owned(),
            )
            .await?;
        // Wrong passwords per name typed (known or not): how many since
        // `window_started_at`, and until when further attempts are refused.
        // `version` goes up with every write, so that servers counting the
        // same name at once never lose an attempt.
        manager
            .create_table(
                Table::create()
                    .table("signin_failures")
                    .col(string_len("user_name", 64).primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("window_started_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(big_integer("version"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["signin_failures", "sessions"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .drop_column("password_hash")
                    .to_owned(),
            )
            .await
    }
}
