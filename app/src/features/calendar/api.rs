//! The participant's private calendar address.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// Makes a new private calendar address (the old one stops working) and returns it.
#[server(prefix = "/api", endpoint = "reset_calendar")]
pub async fn reset_calendar() -> Result<String, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::reset_calendar(&state, &caller).await)
}
