use crate::error::AppError;
use crate::features::editions::api::EditionSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::respond};

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
    respond(service::list_courses().await)
}

#[server(prefix = "/api", endpoint = "course_detail")]
pub async fn course_detail(course_id: i32) -> Result<CourseWithEditions, AppError> {
    respond(service::course_detail(course_id).await)
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
    respond(service::create_course(form).await)
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
    respond(service::update_course(course_id, form).await)
}
