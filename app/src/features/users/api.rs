use crate::domain::paging::Page;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i32,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub school_name: String,
    pub school_code: String,
    pub is_ambassador: bool,
    pub is_staff: bool,
    pub is_me: bool,
}

#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users(search: String, page: u64) -> Result<Page<UserRow>, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::list_users(&state, &caller, search, page).await)
}

/// Grants (`granted = "true"`) or removes a role.
#[server(prefix = "/api", endpoint = "set_role")]
pub async fn set_role(user_id: i32, role: String, granted: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::set_role(&state, &caller, user_id, role, granted).await)
}

/// One person, as staff see them on `/staff/users/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetail {
    pub id: i32,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub email_verified: bool,
    pub school_name: String,
    pub school_code: String,
    pub is_ambassador: bool,
    pub is_staff: bool,
    pub state: crate::domain::account::AccountState,
    pub created_at: chrono::NaiveDateTime,
    pub last_login_at: Option<chrono::NaiveDateTime>,
    /// Valid certificates printing the current name.
    pub certificates: u64,
    pub is_me: bool,
}

#[server(prefix = "/api", endpoint = "load_person")]
pub async fn load_person(user_id: i32) -> Result<PersonDetail, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::load_person(&state, &caller, user_id).await)
}

/// Mails the person a password reset link (as "forgot password" would).
#[server(prefix = "/api", endpoint = "send_reset_link")]
pub async fn send_reset_link(user_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::send_reset_link(&state, &caller, user_id).await)
}

/// Closes (`active = "false"`) or reopens an account; closing ends its sessions.
#[server(prefix = "/api", endpoint = "set_account_active")]
pub async fn set_account_active(
    user_id: i32,
    active: String,
    reason: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::set_account_active(&state, &caller, user_id, active == "true", &reason).await)
}

/// Anonymises a person's personal data on their request (right to erasure), with the reason;
/// then back to the people list.
#[server(prefix = "/api", endpoint = "anonymise_person")]
pub async fn anonymise_person(user_id: i32, reason: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::anonymise_on_request(&state, &caller, user_id, &reason).await)?;
    leptos_axum::redirect("/staff/users?anonymised=1");
    Ok(())
}

/// Corrects how a person's name is written (a typo, missing accents), with the reason.
#[server(prefix = "/api", endpoint = "correct_name")]
pub async fn correct_name(
    user_id: i32,
    given_name: String,
    family_name: String,
    reason: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(
        service::correct_name(&state, &caller, user_id, &given_name, &family_name, &reason).await,
    )
}

/// A request to correct a name that certificates print, waiting for staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRow {
    pub id: i32,
    pub user_id: i32,
    pub email: String,
    /// As certificates print it now.
    pub current: String,
    /// As the person asks it to be printed.
    pub requested: String,
    pub note: String,
    pub requested_at: chrono::NaiveDateTime,
}

#[server(prefix = "/api", endpoint = "load_name_corrections")]
pub async fn load_name_corrections() -> Result<Vec<CorrectionRow>, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::pending_corrections(&state, &caller).await)
}

/// Approves (`approve = "true"`: the name changes, certificates are issued again) or rejects
/// (with a note for the person) a correction request.
#[server(prefix = "/api", endpoint = "decide_name_correction")]
pub async fn decide_name_correction(
    correction_id: i32,
    approve: String,
    reason: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(
        service::decide_correction(&state, &caller, correction_id, approve == "true", &reason)
            .await,
    )
}
