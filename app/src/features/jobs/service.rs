use super::api::JobRow;
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::to_local;
use crate::ssr::entities::scheduled_job;
use crate::ssr::scheduler::{self, Job};
use crate::ssr::scope;
use chrono::Utc;
use sea_orm::EntityTrait;

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn list(state: &AppState, caller: &Caller) -> Result<Vec<JobRow>, AppError> {
    scope::staff(caller)?;
    let rows = scheduled_job::Entity::find().all(&state.db).await?;
    let now = Utc::now();
    let plan: Vec<(String, u64)> = crate::features::lifecycle::service::plan(state, now)
        .await?
        .counts()
        .into_iter()
        .map(|(kind, n)| (kind.to_owned(), n))
        .collect();
    Ok(Job::ALL
        .into_iter()
        .map(|job| {
            let row = rows.iter().find(|row| row.name == job.name());
            let succeeded = row.and_then(|row| row.last_succeeded);
            let result = row.and_then(|row| row.last_result.clone());
            JobRow {
                name: job.name().to_owned(),
                next_run_at: row.map(|row| to_local(row.next_run_at)),
                running: row
                    .and_then(|row| row.lease_until)
                    .is_some_and(|until| until > now),
                last_started_at: row.and_then(|row| row.last_started_at.map(to_local)),
                last_duration_ms: row.and_then(|row| row.last_duration_ms),
                last_succeeded: succeeded,
                counts: match (succeeded, &result) {
                    (Some(true), Some(result)) => serde_json::from_str(result).unwrap_or_default(),
                    _ => Vec::new(),
                },
                error: match succeeded {
                    Some(false) => result,
                    _ => None,
                },
                plan: if job == Job::Lifecycle {
                    plan.clone()
                } else {
                    Vec::new()
                },
            }
        })
        .collect())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn run_now(state: &AppState, caller: &Caller, name: &str) -> Result<(), AppError> {
    scope::staff(caller)?;
    let job = Job::parse(name).ok_or(AppError::NotFound)?;
    scheduler::make_due(state, job, Utc::now()).await?;
    tracing::info!(job = job.name(), "job asked to run now");
    scheduler::wake();
    Ok(())
}
