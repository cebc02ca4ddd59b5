use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub reference: String,
    pub workflow_name: String,
    pub workflow_version: i32,
    pub district: String,
    pub office: String,
    pub submitted_on: Date,
    pub applicant_email: Option<String>,
    pub state: String,
    pub assignee: Option<String>,
    pub version: i64,
    pub state_entered_at: DateTimeUtc,
    pub due_on: Option<Date>,
    pub paused_since: Option<Date>,
    pub paused_working_days: i32,
    /// Who performed which duty: a JSON object duty → user name → the
    /// first action by which they did (`workflow::duties::Duties`).
    pub duties: String,
    /// Comma-separated document kinds filed for the family.
    pub family_documents: String,
    pub audit_seq: i64,
    pub last_hash: String,
    /// Where the case came from: `intake`, `demo`, or an import file and line.
    pub origin: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
