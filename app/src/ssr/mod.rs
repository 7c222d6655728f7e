//! Server-only infrastructure: state, database, sessions and access checks.

pub mod auth;
pub mod db;
pub mod entities;
pub mod mail;
pub mod rate_limit;
pub mod scope;
pub mod state;

pub use auth::{Caller, guard, guard_anonymous};
pub use state::{AppState, Settings, state};

use crate::error::AppError;

/// Ends every server function: an error also sets the HTTP status it stands for, so clients
/// and tests see 401/403/404/409/422/429 rather than a bare 500.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_error_status(error.status());
    }
    result
}

/// Sets the status of an error response, except for plain HTML form posts (no JavaScript):
/// those are answered with a redirect back to the form, which must keep its 3xx status.
pub fn set_error_status(status: u16) {
    let form_post = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    });
    if form_post {
        return;
    }
    if let (Some(response), Ok(status)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        response.set_status(status);
    }
}

/// The client's address, for login throttling and the log. Behind a trusted proxy, the
/// left-most `X-Forwarded-For` entry; otherwise the peer of the connection.
pub fn client_address(parts: &http::request::Parts, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded
            .split(',')
            .next()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    {
        return first.to_owned();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}
