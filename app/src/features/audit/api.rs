use crate::domain::audit::Action;
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: NaiveDateTime,
    pub actor: Option<String>,
    pub action: Action,
    pub edition: Option<(i32, String)>,
    pub subject: Option<(i32, String)>,
    pub detail: String,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// Editions to filter by.
    pub editions: Vec<(i32, String)>,
    /// The person filtered by, with their name.
    pub subject: Option<(i32, String)>,
}

#[server(prefix = "/api", endpoint = "load_audit")]
pub async fn load_audit(
    page: u64,
    action: Option<Action>,
    edition_id: Option<i32>,
    subject_id: Option<i32>,
) -> Result<AuditPage, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::browse(&state, &caller, page, action, edition_id, subject_id).await)
}
