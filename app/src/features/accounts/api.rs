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
}

#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    let (_, caller) = entry::read_public().await?;
    Ok(caller.as_ref().map(service::signed_in_user))
}

#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    email: String,
    given_name: String,
    family_name: String,
    school_name: String,
    school_code: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    let form = service::SignUpForm {
        email,
        given_name,
        family_name,
        school_name,
        school_code,
        password,
    };
    let (state, caller) = entry::change_public().await?;
    let language = crate::ui::language::chosen_locale();
    let address =
        respond(request_parts()).map(|parts| client_address(&parts, state.settings.trust_proxy))?;
    let token = respond(service::sign_up(&state, caller.as_ref(), form, language, &address).await)?;
    set_cookie(&session_cookie(&token, &state.settings));
    leptos_axum::redirect(&service::safe_next(next.as_deref()));
    Ok(())
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
