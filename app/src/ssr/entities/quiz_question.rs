use sea_orm::entity::prelude::*;

/// A question of a quiz; `kind` is the JSON of [`crate::domain::quiz::Kind`], with the
/// correct answers: it never leaves the server as it is.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quiz_questions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: i32,
    pub position: i32,
    #[sea_orm(column_type = "Text")]
    pub prompt: String,
    pub points: i32,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
