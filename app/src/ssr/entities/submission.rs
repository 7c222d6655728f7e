use sea_orm::entity::prelude::*;

/// One version of a participant's work on a task sheet or design exercise, with the review
/// it received. `status`: draft, submitted, needs_revision or accepted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: i32,
    pub user_id: i32,
    pub version: i32,
    pub status: crate::domain::submissions::SubmissionStatus,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// A design exercise's fields, as JSON.
    #[sea_orm(column_type = "Text", nullable)]
    pub design: Option<String>,
    /// The name the file had on the participant's computer (shown, never used as a path).
    pub file_name: Option<String>,
    /// The generated name the file is stored under.
    pub file_key: Option<String>,
    pub file_type: Option<String>,
    pub file_size: Option<i32>,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub reviewed_by: Option<i32>,
    pub reviewed_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub feedback: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
