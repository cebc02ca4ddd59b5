use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub seq: i64,
    pub at: DateTimeUtc,
    pub actor: String,
    pub action: String,
    pub member: Option<i32>,
    pub from_state: String,
    pub to_state: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

impl ActiveModelBehavior for ActiveModel {}
