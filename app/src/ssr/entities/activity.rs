use sea_orm::entity::prelude::*;

/// An activity of an edition; `kind` says which of the optional columns apply
/// (`url`: a material's link or a webinar's join link; `body`: a material page).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub edition_id: i32,
    pub position: i32,
    pub kind: crate::domain::activities::ActivityKind,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub opens_at: Option<DateTimeUtc>,
    pub due_at: Option<DateTimeUtc>,
    pub estimated_minutes: i32,
    pub counts: bool,
    pub url: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub body: Option<String>,
    pub starts_at: Option<DateTimeUtc>,
    pub duration_minutes: Option<i32>,
    pub recording_url: Option<String>,
    pub pass_percent: Option<i32>,
    pub max_attempts: Option<i32>,
    pub time_limit_minutes: Option<i32>,
    pub shuffle: bool,
    pub review_policy: Option<crate::domain::quiz::ReviewPolicy>,
    /// For a quiz: the webinar whose recording passing it confirms as watched.
    pub confirms_webinar_id: Option<i32>,
    /// Hidden from participants and from completion (kept instead of deleting their work).
    pub hidden: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
