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
