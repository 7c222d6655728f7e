use sea_orm::entity::prelude::*;

/// A registry file staff uploaded: read, previewed, then applied (its entries become the
/// registry) or discarded.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registry_imports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub file_name: String,
    pub uploaded_by: Option<i32>,
    pub uploaded_at: DateTimeUtc,
    pub status: crate::domain::registry::ImportStatus,
    pub encoding: String,
    pub separator: String,
    pub people: i32,
    pub stored: i32,
    pub bad_line_count: i32,
    /// `[{"line": 3, "problem": "blank"}, …]`, the first ones.
    #[sea_orm(column_type = "Text")]
    pub bad_lines: String,
    pub duplicates: i32,
    pub exact_matches: Option<i32>,
    pub partial_matches: Option<i32>,
    pub applied_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
