use crate::domain::activities::{ActivityForm, ActivityKind, ActivityState};
use crate::domain::quiz::QuizSettings;
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// An activity with everything staff can edit (times local, Europe/Rome).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityDetails {
    pub id: i32,
    pub edition_id: i32,
    pub position: i32,
    pub kind: ActivityKind,
    pub title: String,
    pub description: String,
    pub opens_at: Option<NaiveDateTime>,
    pub due_at: Option<NaiveDateTime>,
    pub estimated_minutes: i32,
    pub counts: bool,
    pub url: Option<String>,
    pub body: Option<String>,
    pub starts_at: Option<NaiveDateTime>,
    pub duration_minutes: Option<i32>,
    pub recording_url: Option<String>,
    pub quiz: Option<QuizSettings>,
    pub confirms_webinar_id: Option<i32>,
    /// Hidden from participants and from completion.
    pub hidden: bool,
}

impl ActivityDetails {
    /// The form pre-filled with this activity, for editing.
    pub fn form(&self) -> ActivityForm {
        let time = |t: Option<NaiveDateTime>| {
            t.map(crate::domain::dates::machine_time)
                .unwrap_or_default()
        };
        let quiz = self.quiz.unwrap_or_default();
        ActivityForm {
            kind: self.kind.as_str().to_owned(),
            title: self.title.clone(),
            description: self.description.clone(),
            opens_at: time(self.opens_at),
            due_at: time(self.due_at),
            estimated_hours: format_hours(self.estimated_minutes),
            counts: self.counts.then(|| "on".to_owned()),
            url: self.url.clone().unwrap_or_default(),
            body: self.body.clone().unwrap_or_default(),
            starts_at: time(self.starts_at),
            duration_minutes: self
                .duration_minutes
                .map(|d| d.to_string())
                .unwrap_or_default(),
            recording_url: self.recording_url.clone().unwrap_or_default(),
            pass_percent: quiz.pass_percent.to_string(),
            max_attempts: quiz.max_attempts.map(|n| n.to_string()).unwrap_or_default(),
            time_limit_minutes: quiz
                .time_limit_minutes
                .map(|n| n.to_string())
                .unwrap_or_default(),
            shuffle: quiz.shuffle.then(|| "on".to_owned()),
            review_policy: quiz.review.as_str().to_owned(),
            confirms_webinar: self
                .confirms_webinar_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
        }
    }
}

/// Minutes as hours for a form field ("1.5").
pub fn format_hours(minutes: i32) -> String {
    let hours = f64::from(minutes) / 60.0;
    let text = format!("{hours:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivitiesAdmin {
    pub edition_id: i32,
    pub edition_title: String,
    pub attendance_min_minutes: i32,
    pub allow_recording: bool,
    pub activities: Vec<ActivityDetails>,
    /// Who speaks at which webinar: (activity id, user id, name).
    pub speakers: Vec<(i32, i32, String)>,
    /// Who may speak: staff and ambassadors, by name.
    pub speaker_choices: Vec<(i32, String)>,
}

/// One activity as a participant sees it in their list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyActivity {
    pub id: i32,
    pub kind: ActivityKind,
    pub title: String,
    pub due_at: Option<NaiveDateTime>,
    pub starts_at: Option<NaiveDateTime>,
    pub estimated_minutes: i32,
    pub counts: bool,
    pub state: ActivityState,
}

/// The participant's side of an edition: activities and their group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyActivities {
    pub activities: Vec<MyActivity>,
    pub next: Option<i32>,
    pub group: Option<(i32, String)>,
    /// Whether the caller has a private calendar address.
    pub calendar: bool,
}

/// An activity opened by a participant (or previewed by staff and ambassadors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPage {
    pub id: i32,
    pub edition_id: i32,
    pub edition_title: String,
    pub kind: ActivityKind,
    pub title: String,
    pub description: String,
    pub opens_at: Option<NaiveDateTime>,
    pub due_at: Option<NaiveDateTime>,
    pub estimated_minutes: i32,
    pub url: Option<String>,
    pub body: Option<String>,
    pub starts_at: Option<NaiveDateTime>,
    pub duration_minutes: Option<i32>,
    /// Shown to enrolled participants from shortly before the start until the end.
    pub join_url: Option<String>,
    /// A webinar that has ended: no join link will come.
    pub over: bool,
    pub recording_url: Option<String>,
    pub speakers: Vec<String>,
    pub state: Option<ActivityState>,
    pub may_mark_attendance: bool,
    pub may_edit_quiz: bool,
    /// A missed webinar the participant may catch up on with its recording.
    pub catch_up: Option<CatchUp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatchUp {
    /// The participant has said they watched the recording.
    pub watched: bool,
    /// The quiz that confirms it, and where the participant stands with it.
    pub quiz_id: i32,
    pub quiz_title: String,
    pub quiz_state: ActivityState,
    /// Caught up: the webinar counts.
    pub done: bool,
}

#[server(prefix = "/api", endpoint = "load_activities_admin")]
pub async fn load_activities_admin(edition_id: i32) -> Result<ActivitiesAdmin, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::activities_admin(&state, &caller, edition_id).await)
}

#[server(prefix = "/api", endpoint = "create_activity")]
pub async fn create_activity(edition_id: i32, activity: ActivityForm) -> Result<i32, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::create_activity(&state, &caller, edition_id, activity).await)
}

#[server(prefix = "/api", endpoint = "update_activity")]
pub async fn update_activity(activity_id: i32, activity: ActivityForm) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::update_activity(&state, &caller, activity_id, activity).await)
}

#[server(prefix = "/api", endpoint = "move_activity")]
pub async fn move_activity(activity_id: i32, direction: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::move_activity(&state, &caller, activity_id, direction).await)
}

#[server(prefix = "/api", endpoint = "delete_activity")]
pub async fn delete_activity(activity_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::delete_activity(&state, &caller, activity_id).await)
}

/// Hides an activity (`hidden` = "true") from participants and completion, or shows it again.
#[server(prefix = "/api", endpoint = "set_activity_hidden")]
pub async fn set_activity_hidden(activity_id: i32, hidden: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::set_activity_hidden(&state, &caller, activity_id, hidden == "true").await)
}

/// Adds (`assigned` = "true") or removes a speaker of a webinar.
#[server(prefix = "/api", endpoint = "set_speaker")]
pub async fn set_speaker(activity_id: i32, user_id: i32, assigned: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::set_speaker(&state, &caller, activity_id, user_id, assigned).await)
}

/// The participant says they watched a missed webinar's recording.
#[server(prefix = "/api", endpoint = "mark_recording_watched")]
pub async fn mark_recording_watched(activity_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::mark_recording_watched(&state, &caller, activity_id).await)
}

/// An activity as the caller sees it (reading records nothing).
#[server(prefix = "/api", endpoint = "open_activity")]
pub async fn open_activity(activity_id: i32) -> Result<ActivityPage, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::open_activity(&state, &caller, activity_id).await)
}

/// A participant has opened a material: it counts as viewed.
#[server(prefix = "/api", endpoint = "record_view")]
pub async fn record_view(activity_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::record_view(&state, &caller, activity_id).await)
}
