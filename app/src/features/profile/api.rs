use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::ssr::auth::request_parts,
    crate::ssr::{client_address, entry, respond},
};

/// What the profile page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub given_name: String,
    pub family_name: String,
    /// The name exactly as a certificate prints it.
    pub printed_name: String,
    pub school_name: String,
    pub school_code: String,
    pub email: String,
    pub email_verified: bool,
    /// `it` or `en`.
    pub language: String,
    /// Whether the account signs in with a password (single sign-on accounts may not).
    pub has_password: bool,
    /// Valid certificates carry the name: changing it then goes through staff.
    pub certificates: u64,
    /// A correction of the name waiting for staff: the name as it would print.
    pub pending_correction: Option<String>,
}

#[server(prefix = "/api", endpoint = "load_profile")]
pub async fn load_profile() -> Result<Profile, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::load(&state, &caller).await)
}

#[server(prefix = "/api", endpoint = "save_profile")]
pub async fn save_profile(
    given_name: String,
    family_name: String,
    school_name: String,
    school_code: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    let form = service::ProfileForm {
        given_name,
        family_name,
        school_name,
        school_code,
    };
    respond(service::save(&state, &caller, form).await)
}

/// Asks staff to correct the name that certificates print (replacing a request still waiting).
#[server(prefix = "/api", endpoint = "request_name_correction")]
pub async fn request_name_correction(
    given_name: String,
    family_name: String,
    reason: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::request_correction(&state, &caller, &given_name, &family_name, &reason).await)
}

/// Changes the password (the current one asked first); every other session of the account ends.
#[server(prefix = "/api", endpoint = "change_password")]
pub async fn change_password(current_password: String, password: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    let address =
        respond(request_parts()).map(|parts| client_address(&parts, state.settings.trust_proxy))?;
    respond(service::change_password(&state, &caller, current_password, password, &address).await)
}

/// Asks to use another address: a link goes to it, and the change happens when it is opened.
#[server(prefix = "/api", endpoint = "change_email")]
pub async fn change_email(email: String, current_password: String) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    let address =
        respond(request_parts()).map(|parts| client_address(&parts, state.settings.trust_proxy))?;
    respond(service::change_email(&state, &caller, &email, current_password, &address).await)?;
    leptos_axum::redirect("/check-mail?for=change_email");
    Ok(())
}

/// Confirms the new address with the link mailed to it.
#[server(prefix = "/api", endpoint = "confirm_email_change")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    let (state, _) = entry::change_public().await?;
    respond(service::confirm_email_change(&state, &token).await)?;
    leptos_axum::redirect("/account?email_changed=1");
    Ok(())
}
