use sea_orm::entity::prelude::*;

/// Staff decided that a participant meets (or does not meet) the rule, whatever it says.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "completion_overrides")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub edition_id: i32,
    pub user_id: i32,
    pub met: bool,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub set_by: Option<i32>,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
