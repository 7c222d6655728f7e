use super::api::{CourseSummary, CourseWithEditions};
use crate::domain::editions::{self, MAX_DESCRIPTION, MAX_TITLE, MAX_WORKLOAD_HOURS};
use crate::domain::problem::Problems;
use crate::domain::{Field, FieldProblem, Problem, text};
use crate::error::AppError;
use crate::features::editions::service::edition_summaries;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::entities::{course, edition};
use crate::ssr::scope;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, SqlErr,
};

pub struct CourseForm {
    pub code: String,
    pub title: String,
    pub description: String,
    pub workload_hours: String,
}

pub struct ValidCourse {
    pub code: String,
    pub title: String,
    pub description: String,
    pub workload_hours: i32,
}

impl CourseForm {
    pub fn parse(&self) -> Result<ValidCourse, AppError> {
        let mut problems = Problems::new();
        let code = problems.check(Field::Code, editions::parse_course_code(&self.code));
        let title = problems.check(Field::Title, text::single_line(&self.title, MAX_TITLE));
        let description = problems.check(
            Field::Description,
            text::multi_line(&self.description, MAX_DESCRIPTION),
        );
        let hours = problems.check(
            Field::WorkloadHours,
            text::whole_number(&self.workload_hours, 1, MAX_WORKLOAD_HOURS),
        );
        match (code, title, description, hours) {
            (Some(code), Some(title), Some(description), Some(hours)) => Ok(ValidCourse {
                code,
                title,
                description,
                workload_hours: hours as i32,
            }),
            _ => Err(AppError::invalid(problems.into_vec())),
        }
    }
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn list_courses(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<CourseSummary>, AppError> {
    scope::staff(caller)?;
    let courses = course::Entity::find()
        .order_by_asc(course::Column::Title)
        .all(&state.db)
        .await?;
    let counts: Vec<(i32, i64)> = edition::Entity::find()
        .select_only()
        .column(edition::Column::CourseId)
        .column_as(edition::Column::Id.count(), "editions")
        .group_by(edition::Column::CourseId)
        .into_tuple()
        .all(&state.db)
        .await?;
    Ok(courses
        .into_iter()
        .map(|c| CourseSummary {
            editions: counts
                .iter()
                .find(|(id, _)| *id == c.id)
                .map(|(_, n)| *n as u64)
                .unwrap_or(0),
            id: c.id,
            code: c.code,
            title: c.title,
            workload_hours: c.workload_hours,
        })
        .collect())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn course_detail(
    state: &AppState,
    caller: &Caller,
    course_id: i32,
) -> Result<CourseWithEditions, AppError> {
    let course = scope::course_as_staff(&state.db, caller, course_id).await?;
    let editions = edition::Entity::find()
        .filter(edition::Column::CourseId.eq(course.id))
        .order_by_desc(edition::Column::StartsOn);
    let editions = edition_summaries(&state.db, editions).await?;
    Ok(CourseWithEditions {
        id: course.id,
        code: course.code,
        title: course.title,
        description: course.description,
        workload_hours: course.workload_hours,
        editions,
    })
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn create_course(
    state: &AppState,
    caller: &Caller,
    form: CourseForm,
) -> Result<i32, AppError> {
    scope::staff(caller)?;
    let valid = form.parse()?;
    let now = Utc::now();
    let inserted = course::ActiveModel {
        code: Set(valid.code),
        title: Set(valid.title),
        description: Set(valid.description),
        workload_hours: Set(valid.workload_hours),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&state.db)
    .await
    .map_err(code_taken)?;
    tracing::info!(
        user.id = caller.id,
        course.id = inserted.id,
        "course created"
    );
    Ok(inserted.id)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn update_course(
    state: &AppState,
    caller: &Caller,
    course_id: i32,
    form: CourseForm,
) -> Result<(), AppError> {
    let course = scope::course_as_staff(&state.db, caller, course_id).await?;
    let valid = form.parse()?;
    let mut active: course::ActiveModel = course.into();
    active.code = Set(valid.code);
    active.title = Set(valid.title);
    active.description = Set(valid.description);
    active.workload_hours = Set(valid.workload_hours);
    active.updated_at = Set(Utc::now());
    active.update(&state.db).await.map_err(code_taken)?;
    tracing::info!(user.id = caller.id, course.id = course_id, "course updated");
    Ok(())
}

fn code_taken(error: sea_orm::DbErr) -> AppError {
    if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        AppError::invalid(vec![FieldProblem::new(
            Field::Code,
            Problem::CourseCodeTaken,
        )])
    } else {
        error.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_course_form_reports_each_bad_field() {
        let form = CourseForm {
            code: "etw base".into(),
            title: "".into(),
            description: "ok".into(),
            workload_hours: "venticinque".into(),
        };
        let Err(AppError::Invalid(problems)) = form.parse() else {
            panic!("expected problems")
        };
        assert_eq!(
            problems,
            vec![
                FieldProblem::new(Field::Code, Problem::CourseCodeInvalid),
                FieldProblem::new(Field::Title, Problem::Required),
                FieldProblem::new(Field::WorkloadHours, Problem::NotAWholeNumber),
            ]
        );
    }

    #[test]
    fn a_valid_course_form_is_normalised() {
        let form = CourseForm {
            code: " etw-base ".into(),
            title: " Corso online di base  eTwinning ".into(),
            description: "Tre webinar\r\ne attività".into(),
            workload_hours: "25".into(),
        };
        let valid = form.parse().unwrap();
        assert_eq!(valid.code, "ETW-BASE");
        assert_eq!(valid.title, "Corso online di base eTwinning");
        assert_eq!(valid.description, "Tre webinar\ne attività");
        assert_eq!(valid.workload_hours, 25);
    }
}
