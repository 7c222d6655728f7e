use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub id: i32,
    pub name: String,
    pub ambassadors: Vec<Person>,
    pub members: Vec<Person>,
}

/// An edition's groups, as staff arrange them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupsOverview {
    pub edition_id: i32,
    pub edition_title: String,
    pub groups: Vec<GroupSummary>,
    /// Enrolled participants in no group yet.
    pub unassigned: Vec<Person>,
    /// People with the ambassador role, who may be assigned to a group.
    pub ambassadors: Vec<Person>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: i32,
    pub author: String,
    pub body: String,
    /// Local time (Europe/Rome).
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadSummary {
    pub id: i32,
    pub title: String,
    pub author: String,
    pub replies: u64,
    pub last_activity: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSpace {
    pub id: i32,
    pub name: String,
    pub edition_id: i32,
    pub edition_title: String,
    pub ambassadors: Vec<Person>,
    pub members: Vec<Person>,
    pub announcements: Vec<Post>,
    pub threads: Vec<ThreadSummary>,
    pub may_announce: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadView {
    pub id: i32,
    pub group_id: i32,
    pub group_name: String,
    pub title: String,
    pub opening: Post,
    /// One page of the replies, oldest first.
    pub replies: Vec<Post>,
    pub reply_count: u64,
    pub page: u64,
    pub pages: u64,
}

/// A group the caller is an ambassador of or belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyGroup {
    pub id: i32,
    pub name: String,
    pub edition_id: i32,
    pub edition_title: String,
    pub as_ambassador: bool,
}

#[server(prefix = "/api", endpoint = "load_groups_overview")]
pub async fn load_groups_overview(edition_id: i32) -> Result<GroupsOverview, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::groups_overview(&state, &caller, edition_id).await)
}

#[server(prefix = "/api", endpoint = "create_group")]
pub async fn create_group(edition_id: i32, name: String) -> Result<i32, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::create_group(&state, &caller, edition_id, name).await)
}

/// Puts every enrolled participant without a group into new groups of about `size`.
#[server(prefix = "/api", endpoint = "split_into_groups")]
pub async fn split_into_groups(edition_id: i32, size: String) -> Result<u64, AppError> {
    let (state, caller) = entry::change().await?;
    let language = crate::ui::language::chosen_locale();
    respond(service::split_into_groups(&state, &caller, edition_id, size, language).await)
}

#[server(prefix = "/api", endpoint = "set_group_ambassador")]
pub async fn set_group_ambassador(
    group_id: i32,
    user_id: i32,
    assigned: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::set_group_ambassador(&state, &caller, group_id, user_id, assigned).await)
}

/// Makes the person with `email` an ambassador of the group; `grant_role` ("true") confirms
/// giving the role to someone who does not hold it yet.
#[server(prefix = "/api", endpoint = "appoint_ambassador")]
pub async fn appoint_ambassador(
    group_id: i32,
    email: String,
    #[server(default)] grant_role: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::appoint_ambassador(&state, &caller, group_id, email, grant_role).await)
}

/// Moves a participant to another group of the same edition; their work stays theirs.
#[server(prefix = "/api", endpoint = "move_to_group")]
pub async fn move_to_group(edition_id: i32, user_id: i32, group_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::move_to_group(&state, &caller, edition_id, user_id, group_id).await)
}

#[server(prefix = "/api", endpoint = "load_group_space")]
pub async fn load_group_space(group_id: i32) -> Result<GroupSpace, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::group_space(&state, &caller, group_id).await)
}

#[server(prefix = "/api", endpoint = "post_announcement")]
pub async fn post_announcement(group_id: i32, body: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::post_announcement(&state, &caller, group_id, body).await)
}

#[server(prefix = "/api", endpoint = "start_thread")]
pub async fn start_thread(group_id: i32, title: String, body: String) -> Result<i32, AppError> {
    let (state, caller) = entry::change().await?;
    let (group, thread) =
        respond(service::start_thread(&state, &caller, group_id, title, body).await)?;
    leptos_axum::redirect(&format!("/groups/{group}/threads/{thread}"));
    Ok(thread)
}

#[server(prefix = "/api", endpoint = "load_thread")]
pub async fn load_thread(thread_id: i32, page: u64) -> Result<ThreadView, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::thread_view(&state, &caller, thread_id, page).await)
}

#[server(prefix = "/api", endpoint = "post_reply")]
pub async fn post_reply(thread_id: i32, body: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::post_reply(&state, &caller, thread_id, body).await)
}
