use sea_orm::entity::prelude::*;

/// One attempt at a quiz. `seed` fixes its shuffled order; `version` changes when it is
/// submitted, so a second submission of the same attempt finds nothing to update.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quiz_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: i32,
    pub user_id: i32,
    pub number: i32,
    pub seed: i64,
    pub version: i32,
    pub started_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    /// The answers as JSON; kept to show them back at review time.
    #[sea_orm(column_type = "Text", nullable)]
    pub answers: Option<String>,
    pub points: Option<i32>,
    pub max_points: Option<i32>,
    pub percent: Option<i32>,
    pub passed: Option<bool>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
