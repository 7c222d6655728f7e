use crate::error::AppError;
use crate::features::editions::api::EditionSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseSummary {
    pub id: i32,
    pub code: String,
    pub title: String,
    pub workload_hours: i32,
    pub editions: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseWithEditions {
    pub id: i32,
    pub code: String,
    pub title: String,
    pub description: String,
    pub workload_hours: i32,
    pub editions: Vec<EditionSummary>,
}

#[server(prefix = "/api", endpoint = "list_courses")]
pub async fn list_courses() -> Result<Vec<CourseSummary>, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::list_courses(&state, &caller).await)
}

#[server(prefix = "/api", endpoint = "course_detail")]
pub async fn course_detail(course_id: i32) -> Result<CourseWithEditions, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::course_detail(&state, &caller, course_id).await)
}

#[server(prefix = "/api", endpoint = "create_course")]
pub async fn create_course(
    code: String,
    title: String,
    description: String,
    workload_hours: String,
) -> Result<i32, AppError> {
    let form = service::CourseForm {
        code,
        title,
        description,
        workload_hours,
    };
    let (state, caller) = entry::change().await?;
    let created = respond(service::create_course(&state, &caller, form).await)?;
    leptos_axum::redirect(&format!("/staff/courses/{created}"));
    Ok(created)
}

#[server(prefix = "/api", endpoint = "update_course")]
pub async fn update_course(
    course_id: i32,
    code: String,
    title: String,
    description: String,
    workload_hours: String,
) -> Result<(), AppError> {
    let form = service::CourseForm {
        code,
        title,
        description,
        workload_hours,
    };
    let (state, caller) = entry::change().await?;
    respond(service::update_course(&state, &caller, course_id, form).await)
}
