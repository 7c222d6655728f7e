use crate::domain::quiz::{QuestionForTaker, QuestionForm, QuizSettings, StartRefusal};
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// An attempt being taken: the questions without their answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningAttempt {
    pub id: i32,
    pub number: i32,
    pub version: i32,
    /// When answers stop being accepted (time limit or closing time), if ever.
    pub ends_at: Option<NaiveDateTime>,
    /// Seconds left until `ends_at` when the page was made, for the countdown.
    pub seconds_left: Option<i64>,
    pub questions: Vec<QuestionForTaker>,
}

/// How one question went, shown from the review moment on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResult {
    pub prompt: String,
    pub points: u32,
    pub given: String,
    pub correct: bool,
    pub solution: String,
    /// `given` and `solution` are `true`/`false`, to be shown in the reader's language.
    pub true_false: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub points: u32,
    pub max_points: u32,
    pub percent: u32,
    pub passed: bool,
    /// Question by question, with the right answers: empty until they may be shown.
    pub questions: Vec<QuestionResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastAttempt {
    pub number: i32,
    pub submitted_at: Option<NaiveDateTime>,
    /// The time ran out before answers arrived.
    pub expired: bool,
    /// Only from the review moment on.
    pub score: Option<Score>,
}

/// A quiz as the participant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizView {
    pub activity_id: i32,
    pub settings: QuizSettings,
    pub question_count: u32,
    pub attempts_used: u32,
    pub running: Option<RunningAttempt>,
    pub past: Vec<PastAttempt>,
    pub may_start: Option<StartRefusal>,
    /// When results become visible, for quizzes reviewed after closing.
    pub results_from: Option<NaiveDateTime>,
    /// Scores are shown, but the right answers wait until no attempt is left or the quiz
    /// closes.
    pub solutions_later: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionRow {
    pub id: i32,
    pub form: QuestionForm,
    /// Attempts that answered it, and how many of them right.
    pub answered: u32,
    pub right: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptRow {
    pub participant: String,
    pub number: i32,
    pub submitted_at: Option<NaiveDateTime>,
    pub percent: Option<i32>,
    pub passed: Option<bool>,
}

/// The quiz for staff: questions with statistics, and every attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuizAdmin {
    pub activity_id: i32,
    pub title: String,
    pub edition_id: i32,
    pub edition_title: String,
    pub settings: QuizSettings,
    pub questions: Vec<QuestionRow>,
    pub attempts: Vec<AttemptRow>,
}

#[server(prefix = "/api", endpoint = "load_quiz")]
pub async fn load_quiz(activity_id: i32) -> Result<Option<QuizView>, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::quiz_view(&state, &caller, activity_id).await)
}

#[server(prefix = "/api", endpoint = "start_attempt")]
pub async fn start_attempt(activity_id: i32) -> Result<i32, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::start_attempt(&state, &caller, activity_id).await)
}

#[server(prefix = "/api", endpoint = "load_quiz_admin")]
pub async fn load_quiz_admin(activity_id: i32) -> Result<QuizAdmin, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::quiz_admin(&state, &caller, activity_id).await)
}

/// Adds a question (`question_id` 0) or changes one.
#[server(prefix = "/api", endpoint = "save_question")]
pub async fn save_question(
    activity_id: i32,
    question_id: i32,
    question: QuestionForm,
) -> Result<i32, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::save_question(&state, &caller, activity_id, question_id, question).await)
}

#[server(prefix = "/api", endpoint = "delete_question")]
pub async fn delete_question(question_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::delete_question(&state, &caller, question_id).await)
}
