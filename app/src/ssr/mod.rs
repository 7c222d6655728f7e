//! Server-only infrastructure: state, database, sessions and access checks.

pub mod auth;
pub mod db;
pub mod entities;
pub mod entry;
pub mod form_posts;
pub mod headers;
pub mod mail;
pub mod memo;
pub mod oidc;
pub mod outbox;
pub mod page_reads;
pub mod rate_limit;
pub mod scheduler;
pub mod scope;
pub mod shared;
pub mod state;

pub use auth::Caller;
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

/// The client's address, for login throttling, request limits and the log. Behind a trusted
/// proxy, the right-most `X-Forwarded-For` entry: the one the proxy appended. Entries left of
/// it come from the client, who could write anything there to dodge a limit.
pub fn client_address(parts: &http::request::Parts, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(last) = forwarded
            .rsplit(',')
            .next()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    {
        return last.to_owned();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::client_address;

    fn parts(forwarded: Option<&str>) -> http::request::Parts {
        let mut request = http::Request::builder();
        if let Some(value) = forwarded {
            request = request.header("x-forwarded-for", value);
        }
        request.body(()).expect("request").into_parts().0
    }

    #[test]
    fn behind_a_proxy_the_address_it_appended_counts_not_what_the_client_wrote() {
        let forged = parts(Some("10.9.9.9, 198.51.100.4"));
        assert_eq!(client_address(&forged, true), "198.51.100.4");
        assert_eq!(
            client_address(&parts(Some("198.51.100.4")), true),
            "198.51.100.4"
        );
    }

    #[test]
    fn without_a_trusted_proxy_the_header_is_ignored() {
        assert_eq!(client_address(&parts(Some("10.9.9.9")), false), "unknown");
        assert_eq!(client_address(&parts(None), true), "unknown");
        assert_eq!(client_address(&parts(Some(" , ")), true), "unknown");
    }
}
