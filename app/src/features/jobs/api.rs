use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// A scheduled job as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    /// The job's stable name (`housekeeping`, …): the page translates it.
    pub name: String,
    /// Never run yet: due at the scheduler's next look.
    pub next_run_at: Option<NaiveDateTime>,
    /// An instance holds its lease now.
    pub running: bool,
    pub last_started_at: Option<NaiveDateTime>,
    pub last_duration_ms: Option<i64>,
    pub last_succeeded: Option<bool>,
    /// What the last successful run handled, by kind.
    pub counts: Vec<(String, u64)>,
    /// Why the last run failed.
    pub error: Option<String>,
    /// What a run now would do, by kind (a dry run; for the lifecycle job).
    pub plan: Vec<(String, u64)>,
}

#[server(prefix = "/api", endpoint = "load_jobs")]
pub async fn load_jobs() -> Result<Vec<JobRow>, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::list(&state, &caller).await)
}

/// Makes a job due now; an instance's scheduler runs it within moments.
#[server(prefix = "/api", endpoint = "run_job_now")]
pub async fn run_job_now(name: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::run_now(&state, &caller, &name).await)
}
