use crate::domain::FieldProblem;
use crate::domain::activities::ActivityKind;
use crate::domain::submissions::{Design, SubmissionRefusal, SubmissionStatus};
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachedFile {
    pub name: String,
    pub size_kb: i32,
    /// Where it downloads from (access is checked there too).
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    pub reviewer: String,
    pub at: NaiveDateTime,
    pub feedback: String,
}

/// One version of a participant's work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionView {
    pub id: i32,
    pub version: i32,
    pub status: SubmissionStatus,
    pub body: String,
    pub design: Option<Design>,
    pub file: Option<AttachedFile>,
    pub submitted_at: Option<NaiveDateTime>,
    pub late: bool,
    pub review: Option<ReviewView>,
}

/// The participant's own work on one activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MySubmission {
    pub activity_id: i32,
    pub kind: ActivityKind,
    /// Versions handed in, newest first.
    pub versions: Vec<VersionView>,
    pub draft: Option<VersionView>,
    /// The version number the form writes.
    pub next_version: i32,
    /// Why no new version can be written now, if it cannot.
    pub locked: Option<SubmissionRefusal>,
    /// What the draft still lacks to be handed in.
    pub missing: Vec<FieldProblem>,
    pub max_file_mb: u32,
    /// The kinds of file that may be attached.
    pub file_types: Vec<crate::domain::submissions::FileType>,
}

/// A participant's work on one activity as a reviewer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionReview {
    pub activity_id: i32,
    pub activity_title: String,
    pub kind: ActivityKind,
    pub edition_id: i32,
    pub edition_title: String,
    pub participant: String,
    pub group: Option<String>,
    /// Versions handed in, newest first.
    pub versions: Vec<VersionView>,
    /// The version waiting for a review, when the caller may give it.
    pub waiting: Option<i32>,
}

#[server(prefix = "/api", endpoint = "load_my_submission")]
pub async fn load_my_submission(activity_id: i32) -> Result<Option<MySubmission>, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::my_submission(&state, &caller, activity_id).await)
}

#[server(prefix = "/api", endpoint = "load_submission")]
pub async fn load_submission(submission_id: i32) -> Result<SubmissionReview, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::submission_review(&state, &caller, submission_id).await)
}

/// Accepts a version, or asks for a revision with feedback.
#[server(prefix = "/api", endpoint = "review_submission")]
pub async fn review_submission(
    submission_id: i32,
    decision: String,
    feedback: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::review(&state, &caller, submission_id, decision, feedback).await)
}
