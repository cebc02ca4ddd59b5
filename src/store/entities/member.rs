use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "members")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub application_id: i64,
    pub ordinal: i32,
    pub first_name: String,
    pub father_name: String,
    pub mother_name: String,
    pub family_name: String,
    pub latin_first_name: Option<String>,
    pub latin_family_name: Option<String>,
    /// The search form of each name part (see `domain::names::parts_queries`).
    pub name_first: String,
    pub name_father: String,
    pub name_family: String,
    pub sex: String,
    pub birth_date: Date,
    pub birth_place: String,
    pub relationship: String,
    pub register_number: Option<String>,
    pub abroad: bool,
    /// Comma-separated document kinds filed for this member.
    pub documents: String,
    pub state: String,
    pub national_number: Option<String>,
    pub card_number: Option<String>,
    pub collector_document: Option<String>,
    pub exclusion_reason: Option<String>,
    pub card_due_on: Option<Date>,
    /// The day the member entered the current state.
    pub state_changed_on: Option<Date>,
    pub registered_on: Option<Date>,
}

impl ActiveModelBehavior for ActiveModel {}
