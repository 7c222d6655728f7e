use crate::domain::account::RegistrationStatus;
use crate::domain::registration::RegistryMatch;
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// A person's registration as staff weigh it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRow {
    pub user_id: i32,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub email_verified: bool,
    pub school_name: String,
    pub school_code: String,
    pub tax_code: Option<String>,
    pub status: RegistrationStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub registered_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    /// Whole days since the person registered.
    pub days_waiting: i64,
    /// How the registration matched the registry (none: never compared, no registry yet).
    pub registry_match: Option<RegistryMatch>,
    /// The registry's entry it matched, to compare side by side.
    pub evidence: Option<Evidence>,
}

/// A registry entry as staff compare it with what the person gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub person: crate::domain::registration::RegistryPerson,
    /// The line of the registry file it was read from.
    pub line: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationQueue {
    pub rows: Vec<RegistrationRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// How many registrations stand in each status (in the order of `STATUSES`).
    pub counts: Vec<(RegistrationStatus, u64)>,
    /// Pending for longer than [`WAITING_LONG_DAYS`].
    pub waiting_long: u64,
    /// Pending with a partial match in the registry, and with none.
    pub partial: u64,
    pub unmatched: u64,
}

/// The statuses in the order the page shows them.
pub const STATUSES: [RegistrationStatus; 3] = [
    RegistrationStatus::Pending,
    RegistrationStatus::Rejected,
    RegistrationStatus::Validated,
];

/// A registration pending longer than this is flagged (and has its own filter).
pub const WAITING_LONG_DAYS: i64 = 7;

#[server(prefix = "/api", endpoint = "load_registrations")]
pub async fn load_registrations(
    status: Option<RegistrationStatus>,
    waiting_long: Option<bool>,
    matched: Option<RegistryMatch>,
    search: Option<String>,
    page: u64,
) -> Result<RegistrationQueue, AppError> {
    let (state, caller) = entry::read().await?;
    let filter = service::QueueFilter {
        status: status.unwrap_or(RegistrationStatus::Pending),
        waiting_long: waiting_long.unwrap_or(false),
        matched,
        search: search.unwrap_or_default(),
        page,
    };
    respond(service::queue(&state, &caller, filter).await)
}

/// What a decision on several registrations did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionOutcome {
    pub decided: u64,
    /// Already decided (by a colleague, or a second click): left as they were.
    pub unchanged: u64,
}

/// Validates (`approve = "true"`) or rejects, with a reason the person reads, the registrations
/// of the people chosen (`user_ids[]`, one or many).
#[server(prefix = "/api", endpoint = "decide_registrations")]
pub async fn decide_registrations(
    user_ids: Option<Vec<i32>>,
    approve: String,
    reason: Option<String>,
) -> Result<DecisionOutcome, AppError> {
    let (state, caller) = entry::change().await?;
    respond(
        service::decide(
            &state,
            &caller,
            &user_ids.unwrap_or_default(),
            approve == "true",
            reason.as_deref().unwrap_or_default(),
        )
        .await,
    )
}
