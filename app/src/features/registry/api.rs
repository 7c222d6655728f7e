use crate::domain::registry::{BadLine, ImportStatus};
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// An uploaded registry file and what reading it found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryImport {
    pub id: i32,
    pub file_name: String,
    pub status: ImportStatus,
    pub uploaded_at: NaiveDateTime,
    pub uploaded_by: Option<String>,
    /// `utf8`, `utf8_bom`, `windows1252`.
    pub encoding: String,
    pub separator: String,
    pub people: i32,
    /// How many people are stored so far (the progress while reading).
    pub stored: i32,
    pub bad_line_count: i32,
    /// The first bad lines.
    pub bad_lines: Vec<BadLine>,
    /// Lines left out because an earlier line has their address or tax code for another person.
    pub duplicates: i32,
    /// Pending registrations that match exactly (validated on applying), or partly (to staff).
    pub exact_matches: Option<i32>,
    pub partial_matches: Option<i32>,
    pub applied_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryOverview {
    /// Newest first.
    pub imports: Vec<RegistryImport>,
    /// People in the registry now (the applied file).
    pub people_now: u64,
}

#[server(prefix = "/api", endpoint = "load_registry")]
pub async fn load_registry() -> Result<RegistryOverview, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::overview(&state, &caller).await)
}

#[server(prefix = "/api", endpoint = "load_registry_import")]
pub async fn load_registry_import(import_id: i32) -> Result<RegistryImport, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::load(&state, &caller, import_id).await)
}

/// What applying a registry file did to the pending registrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchOutcome {
    pub validated: u64,
    pub partial: u64,
    pub unmatched: u64,
}

/// Makes the previewed file the registry and matches every pending registration against it.
#[server(prefix = "/api", endpoint = "apply_registry_import")]
pub async fn apply_registry_import(import_id: i32) -> Result<MatchOutcome, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::apply(&state, &caller, import_id).await)
}

#[server(prefix = "/api", endpoint = "discard_registry_import")]
pub async fn discard_registry_import(import_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::discard(&state, &caller, import_id).await)
}
