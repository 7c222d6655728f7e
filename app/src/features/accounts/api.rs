use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::respond};

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
    respond(service::current_user().await)
}

#[server(prefix = "/api", endpoint = "sign_up")]
pub async fn sign_up(
    email: String,
    given_name: String,
    family_name: String,
    school_name: String,
    school_code: String,
    password: String,
) -> Result<(), AppError> {
    let form = service::SignUpForm {
        email,
        given_name,
        family_name,
        school_name,
        school_code,
        password,
    };
    respond(service::sign_up(form).await)
}

#[server(prefix = "/api", endpoint = "log_in")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    respond(service::log_in(email, password, next).await)
}

#[server(prefix = "/api", endpoint = "log_out")]
pub async fn log_out() -> Result<(), AppError> {
    respond(service::log_out().await)
}

/// Switches the interface language; remembered in a cookie and, when signed in, on the account.
#[server(prefix = "/api", endpoint = "set_language")]
pub async fn set_language(locale: String, back: Option<String>) -> Result<(), AppError> {
    respond(service::set_language(locale, back).await)
}
