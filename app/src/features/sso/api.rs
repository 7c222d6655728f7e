use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::ssr::auth::{request_parts, set_cookie},
    crate::ssr::{client_address, entry, respond},
};

/// A provider offered on the sign-in page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoProviderChoice {
    pub id: String,
    pub name: String,
}

/// A provider account waiting for the password of the Aula account with its address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoLinkRequest {
    pub provider_name: String,
    pub email: String,
    /// Accounts without a password connect providers from the profile instead.
    pub has_password: bool,
}

/// A connected provider account, on the profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SsoConnection {
    pub id: i32,
    pub provider_name: String,
    pub email: String,
    /// Wall-clock times in Rome.
    pub connected_at: chrono::NaiveDateTime,
    pub last_used_at: Option<chrono::NaiveDateTime>,
    pub may_disconnect: bool,
}

/// The profile's "sign-in methods".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInMethods {
    pub has_password: bool,
    pub connections: Vec<SsoConnection>,
    pub to_connect: Vec<SsoProviderChoice>,
}

#[server(prefix = "/api", endpoint = "sso_providers")]
pub async fn sso_providers() -> Result<Vec<SsoProviderChoice>, AppError> {
    let (state, _) = entry::read_public().await?;
    Ok(service::providers(&state))
}

/// The connection this browser is asked to confirm (none: expired or never started).
#[server(prefix = "/api", endpoint = "load_sso_link")]
pub async fn load_sso_link() -> Result<Option<SsoLinkRequest>, AppError> {
    let (state, _) = entry::read_public().await?;
    let parts = respond(request_parts())?;
    let token = service::cookie_value(&parts.headers, service::LINK_COOKIE);
    respond(service::link_request(&state, token.as_deref()).await)
}

/// Connects the provider account with the password of the account that has its address,
/// and signs in.
#[server(prefix = "/api", endpoint = "confirm_sso_link")]
pub async fn confirm_sso_link(password: String) -> Result<(), AppError> {
    let (state, caller) = entry::change_public().await?;
    let parts = respond(request_parts())?;
    let token = service::cookie_value(&parts.headers, service::LINK_COOKIE);
    let address = client_address(&parts, state.settings.trust_proxy);
    let leave = respond(
        service::confirm_link(
            &state,
            caller.as_ref(),
            token.as_deref(),
            password,
            &address,
        )
        .await,
    )?;
    for cookie in &leave.cookies {
        set_cookie(cookie);
    }
    leptos_axum::redirect(&leave.location);
    Ok(())
}

#[server(prefix = "/api", endpoint = "load_sign_in_methods")]
pub async fn load_sign_in_methods() -> Result<SignInMethods, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::methods(&state, &caller).await)
}

/// Disconnects one of the caller's provider accounts.
#[server(prefix = "/api", endpoint = "disconnect_sso")]
pub async fn disconnect_sso(connection: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::disconnect(&state, &caller, connection).await)?;
    leptos_axum::redirect("/account?sso=disconnected#sign-in-methods");
    Ok(())
}
