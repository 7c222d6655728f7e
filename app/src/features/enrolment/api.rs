//! Enrolment in an edition and its waiting list: a participant takes a place or a place in
//! line and can give it up; staff see the list.

use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::paging::Page;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// The caller's own enrolment in an edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyEnrolment {
    pub status: EnrolmentStatus,
    /// 1-based place in the waiting list, when waiting.
    pub position: Option<u64>,
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

#[server(prefix = "/api", endpoint = "enrol")]
pub async fn enrol(edition_id: i32) -> Result<MyEnrolment, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::enrol(&state, &caller, edition_id).await)
}

#[server(prefix = "/api", endpoint = "withdraw")]
pub async fn withdraw(edition_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::withdraw(&state, &caller, edition_id).await)
}

/// The enrolment list of an edition, a page at a time, searchable by name or email.
#[server(prefix = "/api", endpoint = "enrolment_list")]
pub async fn enrolment_list(
    edition_id: i32,
    search: String,
    status: String,
    page: u64,
) -> Result<Page<EnrolmentRow>, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::enrolment_list(&state, &caller, edition_id, search, status, page).await)
}
