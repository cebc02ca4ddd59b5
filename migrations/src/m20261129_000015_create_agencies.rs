use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The predecessor hash of an agency's first access-log entry.
const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Another ministry or official body allowed to query the portal:
        // its scopes, its rate limit, the districts it may see (all when
        // empty), and the head of its access log's hash chain.
        manager
            .create_table(
                Table::create()
                    .table("agencies")
                    .col(big_pk_auto("id"))
                    .col(string_len("name", 64).unique_key())
                    .col(string_len("scopes", 256))
                    .col(string_len("districts", 512).default(""))
                    .col(integer("rate_per_minute"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(big_integer("log_seq").default(0))
                    .col(string_len("log_head", 64).default(GENESIS))
                    .to_owned(),
            )
            .await?;
        // An agency's API keys, stored only as SHA-256 hashes; `prefix`
        // names a key in lists and logs without revealing it.
        manager
            .create_table(
                Table::create()
                    .table("agency_keys")
                    .col(big_pk_auto("id"))
                    .col(big_integer("agency_id"))
                    .col(string_len("prefix", 16))
                    .col(string_len("key_hash", 64).unique_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("expires_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("agency_keys", "agency_id")
                            .to("agencies", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // The access log: one row per person asked about, answered or
        // refused, hash-chained per agency (`seq`, `prev_hash`, `hash`).
        manager
            .create_table(
                Table::create()
                    .table("agency_access")
                    .col(big_pk_auto("id"))
                    .col(big_integer("agency_id"))
                    .col(big_integer("seq"))
                    .col(timestamp_with_time_zone("at"))
                    .col(string_len("key_prefix", 16))
                    .col(string_len("scope", 32))
                    .col(string_len("subject", 64))
                    .col(string_len("purpose", 512))
                    .col(string_len("result", 32))
                    .col(big_integer_null("application_id"))
                    .col(integer_null("member_ordinal"))
                    .col(string_len("prev_hash", 64))
                    .col(string_len("hash", 64))
                    .foreign_key(
                        ForeignKey::create()
                            .from("agency_access", "agency_id")
                            .to("agencies", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_agency_access_agency_seq")
                    .table("agency_access")
                    .col("agency_id")
                    .col("seq")
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            (
                "ix_agency_access_application",
                &["application_id", "id"][..],
            ),
            ("ix_agency_access_at", &["at"][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table("agency_access");
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        // Leadership's statistics: persons asked about per agency, day,
        // scope and result, kept in the same transaction as the log.
        manager
            .create_table(
                Table::create()
                    .table("agency_tallies")
                    .col(big_integer("agency_id"))
                    .col(date("day"))
                    .col(string_len("scope", 32))
                    .col(string_len("result", 32))
                    .col(big_integer("count"))
                    .primary_key(
                        Index::create()
                            .col("agency_id")
                            .col("day")
                            .col("scope")
                            .col("result"),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["agency_tallies", "agency_access", "agency_keys", "agencies"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
