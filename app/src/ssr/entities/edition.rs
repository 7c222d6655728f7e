use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "editions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub course_id: i32,
    pub title: String,
    pub enrolment_opens_on: Date,
    pub enrolment_closes_on: Date,
    pub starts_on: Date,
    pub ends_on: Date,
    pub capacity: i32,
    /// `draft`, `open`, `running`, `closed`, `archived`.
    pub status: crate::domain::editions::EditionStatus,
    /// Bumped as the first write of every change to this edition's enrolments: the row lock
    /// it takes makes such changes run one at a time, on SQLite and PostgreSQL alike.
    pub enrolment_version: i64,
    pub cloned_from_id: Option<i32>,
    /// Minutes of a webinar a participant must attend for it to count.
    pub attendance_min_minutes: i32,
    /// Whether watching the recording (and passing its quiz) may stand in for attending.
    pub allow_recording: bool,
    /// `domain::completion::Rule` as JSON; none yet means nothing is required.
    #[sea_orm(column_type = "Text", nullable)]
    pub completion_rule: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::course::Entity",
        from = "Column::CourseId",
        to = "super::course::Column::Id"
    )]
    Course,
    #[sea_orm(has_many = "super::enrolment::Entity")]
    Enrolment,
}

impl Related<super::course::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Course.def()
    }
}

impl Related<super::enrolment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enrolment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
