use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: Option<i64>,
    pub kind: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub created_at: DateTimeUtc,
    pub next_attempt_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    /// A reminder's identity; unique, so it is never queued twice.
    pub dedupe_key: Option<String>,
    pub recipient: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
