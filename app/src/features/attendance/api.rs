//! Attendance of webinars: the sheet staff and ambassadors mark by hand, the video platform's
//! report imported with a preview, and the edition's rules (minutes needed, recordings).

use crate::domain::attendance::matching::PreviewRow;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceRow {
    pub user_id: i32,
    pub name: String,
    pub group: Option<String>,
    pub minutes: Option<i32>,
    pub source: Option<crate::domain::attendance::Source>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceSheet {
    pub activity_id: i32,
    pub edition_id: i32,
    pub title: String,
    pub duration_minutes: i32,
    pub required_minutes: i32,
    pub rows: Vec<AttendanceRow>,
    pub may_import: bool,
}

/// One line of the attendance form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttendanceEntry {
    pub user_id: i32,
    #[serde(default)]
    pub present: Option<String>,
    #[serde(default)]
    pub minutes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub import_id: i32,
    pub activity_id: i32,
    pub title: String,
    pub file_name: String,
    pub rows: Vec<PreviewRow>,
    /// Names of participants for matched and ambiguous rows.
    pub names: Vec<(i32, String)>,
    pub unreadable_rows: Vec<usize>,
    pub applied: bool,
}

/// The edition's attendance rules: minutes needed, and whether recordings can make up.
#[server(prefix = "/api", endpoint = "save_attendance_rules")]
pub async fn save_attendance_rules(
    edition_id: i32,
    min_minutes: String,
    allow_recording: Option<String>,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(
        service::save_attendance_rules(
            &state,
            &caller,
            edition_id,
            min_minutes,
            allow_recording.is_some(),
        )
        .await,
    )
}

#[server(prefix = "/api", endpoint = "load_attendance")]
pub async fn load_attendance(activity_id: i32) -> Result<AttendanceSheet, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::attendance_sheet(&state, &caller, activity_id).await)
}

#[server(prefix = "/api", endpoint = "save_attendance")]
pub async fn save_attendance(
    activity_id: i32,
    entries: Vec<AttendanceEntry>,
) -> Result<u32, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::save_attendance(&state, &caller, activity_id, entries).await)
}

#[server(prefix = "/api", endpoint = "load_import")]
pub async fn load_import(import_id: i32) -> Result<ImportPreview, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::import_preview(&state, &caller, import_id).await)
}

/// Records the matched rows of an uploaded report, all in one transaction; then back to the
/// webinar's attendance sheet.
#[server(prefix = "/api", endpoint = "apply_import")]
pub async fn apply_import(import_id: i32) -> Result<u32, AppError> {
    let (state, caller) = entry::change().await?;
    let (webinar, recorded) = respond(service::apply_import(&state, &caller, import_id).await)?;
    leptos_axum::redirect(&format!("/activities/{webinar}/attendance"));
    Ok(recorded)
}
