use sea_orm::entity::prelude::*;

/// One person of a registry file (see `domain::registry`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registry_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub import_id: i32,
    pub line: i32,
    pub email: Option<String>,
    pub tax_code: Option<String>,
    pub given_name: String,
    pub family_name: String,
    pub school_code: String,
    pub name_key: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
