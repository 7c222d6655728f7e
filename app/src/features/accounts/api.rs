// The sign-up server function takes one argument per field of its form.
#![allow(clippy::too_many_arguments)]

use crate::domain::account_links::LinkPurpose;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::ssr::auth::{cleared_session_cookie, request_parts, session_cookie, set_cookie},
    crate::ssr::{client_address, entry, respond},
};

/// The signed-in user, as the pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub id: i32,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub is_ambassador: bool,
    pub is_staff: bool,
    /// Until the address is confirmed the person cannot enrol.
    pub email_verified: bool,
    /// Until staff validate the registration the person cannot enrol either.
    pub registration: crate::domain::account::RegistrationStatus,
    /// Why staff rejected it.
    pub registration_reason: Option<String>,
}

#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    let (_, caller) = entry::read_public().await?;
    Ok(caller.as_ref().map(service::signed_in_user))
}

/// Signs up; answers the same (a page saying to check the mail) whether or not the address
/// has an account.
#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    email: String,
    given_name: String,
    family_name: String,
    school_name: String,
    school_code: String,
    tax_code: Option<String>,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let form = service::SignUpForm {
        email,
        given_name,
        family_name,
        school_name,
        school_code,
        tax_code: tax_code.unwrap_or_default(),
        password,
    };
    let (state, caller) = entry::change_public().await?;
    let language = crate::ui::language::chosen_locale();
    let address =
        respond(request_parts()).map(|parts| client_address(&parts, state.settings.trust_proxy))?;
    let next = service::safe_next(next.as_deref());
    respond(service::sign_up(&state, caller.as_ref(), form, language, &address, &next).await)?;
    if caller.is_some() {
        set_cookie(&cleared_session_cookie(&state.settings));
    }
    leptos_axum::redirect("/check-mail?for=sign_up");
    Ok(())
}

/// The address a mailed link is about, for the page that asks to confirm it.
#[server(prefix = "/api", endpoint = "link_address")]
pub async fn link_address(purpose: LinkPurpose, token: String) -> Result<String, AppError> {
    let (state, _) = entry::read_public().await?;
    respond(service::address_of_link(&state, purpose, &token).await)
}

/// Confirms the address with the mailed link and signs its owner in.
#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String, next: Option<String>) -> Result<(), AppError> {
    let (state, caller) = entry::change_public().await?;
    let session = respond(service::verify_email(&state, caller.as_ref(), &token).await)?;
    set_cookie(&session_cookie(&session, &state.settings));
    let next = service::safe_next(next.as_deref());
    leptos_axum::redirect(&with_query(&next, "verified=1"));
    Ok(())
}

#[server(prefix = "/api", endpoint = "send_verification_again")]
pub async fn send_verification_again() -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::send_verification_again(&state, &caller).await)?;
    leptos_axum::redirect("/check-mail?for=verify");
    Ok(())
}

/// Asks for a password reset link; answers the same whether or not the address has an account.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    let (state, _) = entry::change_public().await?;
    let address =
        respond(request_parts()).map(|parts| client_address(&parts, state.settings.trust_proxy))?;
    respond(service::request_password_reset(&state, &email, &address).await)?;
    leptos_axum::redirect("/check-mail?for=reset");
    Ok(())
}

/// Sets a new password with a reset link; every session of the account ends.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let (state, caller) = entry::change_public().await?;
    respond(service::reset_password(&state, &token, password).await)?;
    if caller.is_some() {
        set_cookie(&cleared_session_cookie(&state.settings));
    }
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

/// `path` with one more query parameter.
pub fn with_query(path: &str, parameter: &str) -> String {
    let separator = if path.contains('?') { '&' } else { '?' };
    format!("{path}{separator}{parameter}")
}

#[server(prefix = "/api", endpoint = "log_in")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    let (state, caller) = entry::change_public().await?;
    let address =
        respond(request_parts()).map(|parts| client_address(&parts, state.settings.trust_proxy))?;
    let (token, language) =
        respond(service::log_in(&state, caller.as_ref(), &email, password, &address).await)?;
    set_cookie(&session_cookie(&token, &state.settings));
    set_cookie(&service::language_cookie(language, &state.settings));
    leptos_axum::redirect(&service::safe_next(next.as_deref()));
    Ok(())
}

#[server(prefix = "/api", endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::log_out(&state, &caller).await)?;
    set_cookie(&cleared_session_cookie(&state.settings));
    leptos_axum::redirect("/");
    Ok(())
}

/// Switches the interface language; remembered in a cookie and, when signed in, on the account.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(locale: String, back: Option<String>) -> Result<(), AppError> {
    let (state, caller) = entry::change_public().await?;
    let language = respond(service::set_language(&state, caller.as_ref(), &locale).await)?;
    set_cookie(&service::language_cookie(language, &state.settings));
    leptos_axum::redirect(&service::safe_next(back.as_deref()));
    Ok(())
}
