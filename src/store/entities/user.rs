use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    /// Comma-separated role names.
    pub roles: String,
    pub district: Option<String>,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    pub email: Option<String>,
    /// The office within `district` the user works at, if one is named.
    pub office: Option<String>,
    /// The password as an Argon2id PHC string, if one was set.
    pub password_hash: Option<String>,
    /// The officer's full name, if one was given.
    pub full_name: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
