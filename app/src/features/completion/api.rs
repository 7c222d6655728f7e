use crate::domain::activities::ActivityKind;
use crate::domain::completion::Progress;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// The participant's own progress, with the titles of the activities it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyProgress {
    pub edition_id: i32,
    pub progress: Progress,
    pub titles: HashMap<i32, String>,
    /// Staff decided for this participant, whatever the rule says.
    pub decided: Option<Override>,
}

/// Staff's decision for one participant, with its mandatory reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub met: bool,
    pub reason: String,
}

/// What the staff form shows: the edition's activities and the rule as form fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletionAdmin {
    pub edition_id: i32,
    pub edition_title: String,
    pub activities: Vec<(i32, ActivityKind, String)>,
    /// None until staff set one.
    pub rule: Option<crate::domain::completion::Rule>,
    pub form: HashMap<String, String>,
    /// Enrolled participants, and how many of them meet the rule now.
    pub participants: u32,
    pub met: u32,
    /// Staff's decisions in the edition: (participant, name, decision).
    pub overrides: Vec<(i32, String, Override)>,
    /// The participant the page was opened for (from the cockpit), to decide for.
    pub person: Option<(i32, String)>,
}

#[server(prefix = "/api", endpoint = "load_completion_rule")]
pub async fn load_completion_rule(
    edition_id: i32,
    person: Option<i32>,
) -> Result<CompletionAdmin, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::completion_admin(&state, &caller, edition_id, person).await)
}

/// Saves the rule. When it would change whether some participants meet it, nothing is saved
/// unless `confirm` carries that number: the page asks first.
#[server(prefix = "/api", endpoint = "save_completion_rule")]
pub async fn save_completion_rule(
    edition_id: i32,
    #[server(default)] rule: HashMap<String, String>,
    confirm: Option<u32>,
) -> Result<u32, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::save_rule(&state, &caller, edition_id, rule, confirm).await)
}

/// Staff mark the rule as met (`met`) or not met (`not_met`) for one participant, or go back
/// to the rule (`clear`); a reason is always required and goes to the audit log.
#[server(prefix = "/api", endpoint = "set_completion_override")]
pub async fn set_completion_override(
    edition_id: i32,
    user_id: i32,
    decision: String,
    reason: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::set_override(&state, &caller, edition_id, user_id, decision, reason).await)
}
