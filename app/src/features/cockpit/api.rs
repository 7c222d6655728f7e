use crate::domain::activities::{ActivityKind, ActivityState};
use crate::domain::completion::Standing;
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CockpitActivity {
    pub id: i32,
    pub kind: ActivityKind,
    pub title: String,
}

/// One cell: the state, and the newest version handed in when there is one to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub state: ActivityState,
    pub submission: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CockpitRow {
    pub user_id: i32,
    pub name: String,
    pub group: Option<String>,
    pub cells: Vec<Cell>,
    /// Activities done, of those that count.
    pub done: u32,
    /// Progress against the completion rule.
    pub percent: u32,
    /// None while the edition has no completion rule.
    pub standing: Option<Standing>,
    /// Staff decided for this participant (met or not), whatever the rule says.
    pub decided: Option<crate::features::completion::api::Override>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub submission_id: i32,
    pub participant: String,
    pub group: Option<String>,
    pub activity_title: String,
    pub version: i32,
    pub submitted_at: NaiveDateTime,
    /// No ambassador tutors the participant (no group, or a group without one): staff review it.
    pub untutored: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cockpit {
    pub edition_id: i32,
    pub edition_title: String,
    pub is_staff: bool,
    /// The groups the caller follows (all of them for staff).
    pub groups: Vec<(i32, String)>,
    pub group: Option<i32>,
    pub activities: Vec<CockpitActivity>,
    pub counted: u32,
    pub rows: Vec<CockpitRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub queue: Vec<QueueItem>,
    /// How many of the participants shown (before the standing filter) stand where.
    pub standings: Vec<(Standing, u32)>,
    pub standing: Option<Standing>,
}

#[server(prefix = "/api", endpoint = "load_cockpit")]
pub async fn load_cockpit(
    edition_id: i32,
    group: Option<i32>,
    page: u64,
    standing: Option<Standing>,
) -> Result<Cockpit, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::cockpit(&state, &caller, edition_id, group, page, standing).await)
}
