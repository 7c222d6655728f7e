use crate::domain::editions::{EditionDates, EditionStatus, EnrolmentWindow};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::features::activities::api::MyActivities;
use crate::features::certificates::api::MyCertificate;
use crate::features::completion::api::MyProgress;
use crate::features::enrolment::api::MyEnrolment;

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

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

/// The edition page a participant sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditionInfo {
    pub summary: EditionSummary,
    pub course_description: String,
    pub workload_hours: i32,
    pub window: EnrolmentWindow,
    pub signed_in: bool,
    /// Whether the caller has confirmed their address (a condition for enrolling).
    pub email_verified: bool,
    /// Whether the caller's registration lets them enrol (validated), and why not.
    pub registration: Option<crate::domain::enrolment::EnrolRefusal>,
    /// The caller's enrolment, if signed in and ever enrolled.
    pub mine: Option<MyEnrolment>,
    /// The caller follows its participants (staff, or an ambassador of one of its groups): the
    /// page offers the cockpit, not a place.
    pub follows: bool,
    /// The caller's own part, loaded with the page (one load, one render); each is `None` where
    /// the caller has none (visitors, followers, before staff set a completion rule).
    pub certificate: Option<MyCertificate>,
    pub progress: Option<MyProgress>,
    pub activities: Option<MyActivities>,
}

/// An edition on the participant's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyEdition {
    pub summary: EditionSummary,
    pub mine: MyEnrolment,
    /// The caller's work that came back for revision, as (activity id, title).
    pub sent_back: Vec<(i32, String)>,
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

/// Editions taking enrolments now, for the catalogue (everybody may look).
#[server(prefix = "/api", endpoint = "open_editions")]
pub async fn open_editions() -> Result<Vec<EditionSummary>, AppError> {
    let (state, caller) = entry::read_public().await?;
    respond(service::open_editions(&state, caller.as_ref()).await)
}

#[server(prefix = "/api", endpoint = "edition_page")]
pub async fn edition_page(edition_id: i32) -> Result<EditionInfo, AppError> {
    let (state, caller) = entry::read_public().await?;
    respond(service::edition_page(&state, caller.as_ref(), edition_id).await)
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
    let (state, caller) = entry::change().await?;
    let created = respond(service::create_edition(&state, &caller, course_id, form).await)?;
    leptos_axum::redirect(&format!("/staff/editions/{created}"));
    Ok(created)
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
    let (state, caller) = entry::change().await?;
    respond(service::update_edition(&state, &caller, edition_id, form).await)
}

#[server(prefix = "/api", endpoint = "change_edition_status")]
pub async fn change_edition_status(edition_id: i32, status: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::change_status(&state, &caller, edition_id, status).await)
}

#[server(prefix = "/api", endpoint = "clone_edition")]
pub async fn clone_edition(
    edition_id: i32,
    title: String,
    starts_on: String,
) -> Result<i32, AppError> {
    let (state, caller) = entry::change().await?;
    let created =
        respond(service::clone_edition(&state, &caller, edition_id, title, starts_on).await)?;
    leptos_axum::redirect(&format!("/staff/editions/{created}"));
    Ok(created)
}

#[server(prefix = "/api", endpoint = "edition_admin")]
pub async fn edition_admin(edition_id: i32) -> Result<EditionForStaff, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::edition_admin(&state, &caller, edition_id).await)
}
