use sea_orm::entity::prelude::*;

/// An uploaded attendance report waiting for confirmation; `rows` holds the matched preview
/// as JSON.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attendance_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: i32,
    pub uploaded_by: i32,
    pub file_name: String,
    #[sea_orm(column_type = "Text")]
    pub rows: String,
    pub created_at: DateTimeUtc,
    pub applied_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
