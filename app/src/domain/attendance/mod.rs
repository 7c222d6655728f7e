//! Attendance reports from video platforms: reading them (`report`) and matching their rows
//! to an edition's participants (`matching`). Pure: the server reads the upload, these
//! functions say what it contains, and nothing is saved until staff confirm the preview.

pub mod matching;
pub mod report;
pub mod text;

use serde::{Deserialize, Serialize};

/// Where a participant's attendance record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum Source {
    /// Marked by staff or the group's ambassador.
    Manual,
    /// From the video platform's report.
    Import,
}
