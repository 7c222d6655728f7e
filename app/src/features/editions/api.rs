use crate::domain::editions::{EditionDates, EditionStatus, EnrolmentWindow};
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::paging::Page;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionSummary {
    pub id: i32,
    pub course_id: i32,
    pub course_title: String,
    pub title: String,
    pub dates: EditionDates,
    pub status: EditionStatus,
    pub capacity: i32,
    pub enrolled: u64,
    pub waiting: u64,
}

impl EditionSummary {
    pub fn places_left(&self) -> u64 {
        (self.capacity.max(0) as u64).saturating_sub(self.enrolled)
    }
}

/// The caller's own enrolment in an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyEnrolment {
    pub status: EnrolmentStatus,
    /// 1-based place in the waiting list, when waiting.
    pub position: Option<u64>,
}

/// The edition page a participant sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionInfo {
    pub summary: EditionSummary,
    pub course_description: String,
    pub workload_hours: i32,
    pub window: EnrolmentWindow,
    pub signed_in: bool,
    /// The caller's enrolment, if signed in and ever enrolled.
    pub mine: Option<MyEnrolment>,
}

/// An edition on the participant's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyEdition {
    pub summary: EditionSummary,
    pub mine: MyEnrolment,
}

/// An edition as staff manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionForStaff {
    pub summary: EditionSummary,
    pub course_code: String,
    pub withdrawn: u64,
    pub next_status: Option<EditionStatus>,
    pub cloned_from: Option<(i32, String)>,
}

/// One line of an edition's enrolment list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentRow {
    pub user_id: i32,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub school_name: String,
    pub school_code: String,
    pub status: EnrolmentStatus,
    pub position: Option<u64>,
    pub requested_at: DateTime<Utc>,
}

/// Editions taking enrolments now, for the catalogue (everybody may look).
#[server(prefix = "/api", endpoint = "open_editions")]
pub async fn open_editions() -> Result<Vec<EditionSummary>, AppError> {
    respond(service::open_editions().await)
}

#[server(prefix = "/api", endpoint = "edition_page")]
pub async fn edition_page(edition_id: i32) -> Result<EditionInfo, AppError> {
    respond(service::edition_page(edition_id).await)
}

#[server(prefix = "/api", endpoint = "my_editions")]
pub async fn my_editions() -> Result<Vec<MyEdition>, AppError> {
    respond(service::my_editions().await)
}

#[server(prefix = "/api", endpoint = "enrol")]
pub async fn enrol(edition_id: i32) -> Result<MyEnrolment, AppError> {
    respond(service::enrol(edition_id).await)
}

#[server(prefix = "/api", endpoint = "withdraw")]
pub async fn withdraw(edition_id: i32) -> Result<(), AppError> {
    respond(service::withdraw(edition_id).await)
}

#[server(prefix = "/api", endpoint = "create_edition")]
pub async fn create_edition(
    course_id: i32,
    title: String,
    enrolment_opens_on: String,
    enrolment_closes_on: String,
    starts_on: String,
    ends_on: String,
    capacity: String,
) -> Result<i32, AppError> {
    let form = service::EditionForm {
        title,
        enrolment_opens_on,
        enrolment_closes_on,
        starts_on,
        ends_on,
        capacity,
    };
    respond(service::create_edition(course_id, form).await)
}

#[server(prefix = "/api", endpoint = "update_edition")]
pub async fn update_edition(
    edition_id: i32,
    title: String,
    enrolment_opens_on: String,
    enrolment_closes_on: String,
    starts_on: String,
    ends_on: String,
    capacity: String,
) -> Result<(), AppError> {
    let form = service::EditionForm {
        title,
        enrolment_opens_on,
        enrolment_closes_on,
        starts_on,
        ends_on,
        capacity,
    };
    respond(service::update_edition(edition_id, form).await)
}

#[server(prefix = "/api", endpoint = "change_edition_status")]
pub async fn change_edition_status(edition_id: i32, status: String) -> Result<(), AppError> {
    respond(service::change_status(edition_id, status).await)
}

#[server(prefix = "/api", endpoint = "clone_edition")]
pub async fn clone_edition(
    edition_id: i32,
    title: String,
    starts_on: String,
) -> Result<i32, AppError> {
    respond(service::clone_edition(edition_id, title, starts_on).await)
}

#[server(prefix = "/api", endpoint = "edition_admin")]
pub async fn edition_admin(edition_id: i32) -> Result<EditionForStaff, AppError> {
    respond(service::edition_admin(edition_id).await)
}

/// The enrolment list of an edition, a page at a time, searchable by name or email.
#[server(prefix = "/api", endpoint = "enrolment_list")]
pub async fn enrolment_list(
    edition_id: i32,
    search: String,
    status: String,
    page: u64,
) -> Result<Page<EnrolmentRow>, AppError> {
    respond(service::enrolment_list(edition_id, search, status, page).await)
}
