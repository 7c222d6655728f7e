//! Scheduled work inside the server. With several instances on one database exactly one runs
//! each job: a run first takes the job's lease with one conditional UPDATE (due, and nobody
//! holds an unexpired lease), and only the instance whose UPDATE changed the row goes on. A run
//! that dies half-way leaves its lease to run out; the next instance to look takes the job
//! over and runs it again from the start, so every job is written to be idempotent.
//!
//! Staff see each job's last run on `/staff/jobs` (`features::jobs`).
//!
//! Time comes in as an argument (`run_due(…, now)`): tests drive the scheduler with their own
//! clock instead of waiting.

use super::AppState;
use super::entities::{
    account_link, login_throttle, request_limit, scheduled_job, session, sso_link_request,
    sso_login,
};
use crate::error::AppError;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter};

/// The jobs, each with how often it runs and how long its lease lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Expired sessions, used and expired links, old throttle and rate-limit rows, sign-ins
    /// at providers that never came back.
    Housekeeping,
    /// Profiles made inactive, people warned, personal data anonymised, as the retention
    /// periods say (`features::lifecycle`).
    Lifecycle,
}

impl Job {
    pub const ALL: [Job; 2] = [Job::Housekeeping, Job::Lifecycle];

    pub fn name(self) -> &'static str {
        match self {
            Job::Housekeeping => "housekeeping",
            Job::Lifecycle => "lifecycle",
        }
    }

    pub fn period(self) -> TimeDelta {
        match self {
            Job::Housekeeping | Job::Lifecycle => TimeDelta::days(1),
        }
    }

    /// Longer than a run takes: a lease that runs out means the run died.
    pub fn lease(self) -> TimeDelta {
        match self {
            Job::Housekeeping => TimeDelta::minutes(15),
            // Anonymising thousands of people at once (the first run on old data) takes a while.
            Job::Lifecycle => TimeDelta::hours(1),
        }
    }

    pub fn parse(name: &str) -> Option<Job> {
        Self::ALL.into_iter().find(|job| job.name() == name)
    }

    async fn run(self, state: &AppState, now: DateTime<Utc>) -> Result<Counts, AppError> {
        match self {
            Job::Housekeeping => housekeeping(state, now).await,
            Job::Lifecycle => Ok(crate::features::lifecycle::service::run(state, now)
                .await?
                .counts()),
        }
    }
}

/// What a run did: how many of each thing it handled, under names the staff page translates.
pub type Counts = Vec<(&'static str, u64)>;

/// How often an instance looks for due jobs when nobody wakes it.
const POLL: std::time::Duration = std::time::Duration::from_secs(60);

static WAKE: std::sync::LazyLock<tokio::sync::Notify> =
    std::sync::LazyLock::new(tokio::sync::Notify::new);

/// Makes this instance's scheduler look at once (staff asked for a run now).
pub fn wake() {
    WAKE.notify_one();
}

/// What this instance writes as a lease's owner: the process and a random part, enough to tell
/// instances apart, short enough for the column (64).
pub fn instance_name() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        &super::auth::random_token()[..16]
    )
}

/// Starts this instance's scheduler (a task for the server's life).
pub fn start(state: AppState) -> tokio::task::JoinHandle<()> {
    let instance = instance_name();
    tokio::spawn(async move {
        loop {
            if let Err(error) = run_due(&state, &instance, Utc::now()).await {
                tracing::error!(error = %error, "scheduler: jobs could not be read");
            }
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                () = WAKE.notified() => {}
            }
        }
    })
}

/// Makes a job due now (staff: "run now"); the lease still decides who runs it.
pub async fn make_due(state: &AppState, job: Job, now: DateTime<Utc>) -> Result<(), AppError> {
    ensure_row(state, job, now).await?;
    scheduled_job::Entity::update_many()
        .col_expr(scheduled_job::Column::NextRunAt, Expr::value(now))
        .filter(scheduled_job::Column::Name.eq(job.name()))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Runs, as `instance`, every job that is due at `now` and that no other instance holds;
/// answers the jobs this instance ran.
pub async fn run_due(
    state: &AppState,
    instance: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Job>, AppError> {
    let mut ran = Vec::new();
    for job in Job::ALL {
        if !claim(state, job, instance, now).await? {
            continue;
        }
        let started = std::time::Instant::now();
        let outcome = job.run(state, now).await;
        let duration = started.elapsed().as_millis() as i64;
        let (succeeded, result, next) = match &outcome {
            Ok(counts) => (
                true,
                serde_json::to_string(counts).unwrap_or_default(),
                now + job.period(),
            ),
            // Tried again at the next look once the lease is given back, not a day later.
            Err(error) => (false, error.to_string(), now + TimeDelta::minutes(5)),
        };
        tracing::info!(
            job = job.name(),
            succeeded,
            duration_ms = duration,
            result,
            "job ran"
        );
        scheduled_job::Entity::update_many()
            .col_expr(
                scheduled_job::Column::LeaseOwner,
                Expr::value(None::<String>),
            )
            .col_expr(
                scheduled_job::Column::LeaseUntil,
                Expr::value(None::<DateTime<Utc>>),
            )
            .col_expr(scheduled_job::Column::NextRunAt, Expr::value(next))
            .col_expr(
                scheduled_job::Column::LastFinishedAt,
                // On the same clock as `now`, so a test clock reads consistently.
                Expr::value(now + TimeDelta::milliseconds(duration)),
            )
            .col_expr(scheduled_job::Column::LastDurationMs, Expr::value(duration))
            .col_expr(scheduled_job::Column::LastSucceeded, Expr::value(succeeded))
            .col_expr(
                scheduled_job::Column::LastResult,
                Expr::value(result.chars().take(500).collect::<String>()),
            )
            .filter(scheduled_job::Column::Name.eq(job.name()))
            .filter(scheduled_job::Column::LeaseOwner.eq(instance))
            .exec(&state.db)
            .await?;
        ran.push(job);
    }
    Ok(ran)
}

/// Takes the job's lease if it is due and free (or its holder's lease ran out): one
/// conditional UPDATE, so of several instances exactly one gets it.
async fn claim(
    state: &AppState,
    job: Job,
    instance: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    ensure_row(state, job, now).await?;
    let claimed = scheduled_job::Entity::update_many()
        .col_expr(scheduled_job::Column::LeaseOwner, Expr::value(instance))
        .col_expr(
            scheduled_job::Column::LeaseUntil,
            Expr::value(now + job.lease()),
        )
        .col_expr(scheduled_job::Column::LastStartedAt, Expr::value(now))
        .filter(scheduled_job::Column::Name.eq(job.name()))
        .filter(scheduled_job::Column::NextRunAt.lte(now))
        .filter(
            Condition::any()
                .add(scheduled_job::Column::LeaseUntil.is_null())
                .add(scheduled_job::Column::LeaseUntil.lt(now)),
        )
        .exec(&state.db)
        .await?
        .rows_affected;
    Ok(claimed == 1)
}

/// A job seen for the first time is due at once.
async fn ensure_row(state: &AppState, job: Job, now: DateTime<Utc>) -> Result<(), AppError> {
    scheduled_job::Entity::insert(scheduled_job::ActiveModel {
        name: Set(job.name().to_owned()),
        next_run_at: Set(now),
        lease_owner: Set(None),
        lease_until: Set(None),
        last_started_at: Set(None),
        last_finished_at: Set(None),
        last_duration_ms: Set(None),
        last_succeeded: Set(None),
        last_result: Set(None),
    })
    .on_conflict_do_nothing_on([scheduled_job::Column::Name])
    .exec(&state.db)
    .await?;
    Ok(())
}

/// Each step deletes what is past keeping; run twice, the second run finds nothing.
async fn housekeeping(state: &AppState, now: DateTime<Utc>) -> Result<Counts, AppError> {
    let timeouts = state.settings.session_timeouts;
    let delta = |d: std::time::Duration| TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
    let sessions = session::Entity::delete_many()
        .filter(
            Condition::any()
                .add(session::Column::CreatedAt.lt(now - delta(timeouts.absolute)))
                .add(session::Column::LastSeenAt.lt(now - delta(timeouts.idle))),
        )
        .exec(&state.db)
        .await?
        .rows_affected;
    // Links are kept a day past their end, so a late click still hears "used" or "expired".
    let links = account_link::Entity::delete_many()
        .filter(account_link::Column::ExpiresAt.lt(now - TimeDelta::days(1)))
        .exec(&state.db)
        .await?
        .rows_affected;
    let throttles = login_throttle::Entity::delete_many()
        .filter(
            login_throttle::Column::LastFailureAt.lt(now
                - delta(
                    crate::domain::login_throttle::PER_ADDRESS
                        .forget_after
                        .max(crate::domain::login_throttle::PER_ACCOUNT.forget_after),
                )),
        )
        .exec(&state.db)
        .await?
        .rows_affected;
    let limits = request_limit::Entity::delete_many()
        .filter(request_limit::Column::WindowStart.lt(now - TimeDelta::hours(1)))
        .exec(&state.db)
        .await?
        .rows_affected;
    let sign_ins = sso_login::Entity::delete_many()
        .filter(sso_login::Column::ExpiresAt.lt(now))
        .exec(&state.db)
        .await?
        .rows_affected
        + sso_link_request::Entity::delete_many()
            .filter(sso_link_request::Column::ExpiresAt.lt(now))
            .exec(&state.db)
            .await?
            .rows_affected;
    Ok(vec![
        ("sessions", sessions),
        ("links", links),
        ("throttles", throttles),
        ("rate_limits", limits),
        ("sign_ins", sign_ins),
    ])
}
