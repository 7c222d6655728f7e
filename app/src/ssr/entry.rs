//! How a server function starts. It resolves the caller here, once, and hands
//! `(&AppState, &Caller)` to its service; services never read the request themselves, so they
//! can be called (and tested) without one. The plain axum routes have the same checks as
//! extractors (`server::extract`).
//!
//! - [`change`]: signed in, then the request must come from our own pages (cross-site forgery);
//! - [`read`]: signed in (reads change nothing, so no origin check: they also run while a page
//!   is rendered on the server, where the page request has no `Origin`);
//! - [`read_public`]: anyone, signed in or not;
//! - [`change_public`]: sign-up, sign-in, the language switch: the origin check alone (it stops
//!   a foreign site from signing a victim into the attacker's account).
//!
//! Scope, role and state follow in the service, through the loaders of [`super::scope`].
//! An error here also sets the response status, as [`super::respond`] does for the service's.

use super::auth::{Caller, caller_of, check_origin, request_parts};
use super::state::{AppState, state};
use crate::error::AppError;

/// For server functions that change something: signed in → request origin.
pub async fn change() -> Result<(AppState, Caller), AppError> {
    signed_in(true).await
}

/// For server functions that only read, for a signed-in user.
pub async fn read() -> Result<(AppState, Caller), AppError> {
    signed_in(false).await
}

/// For reads open to everybody, which may show more to a signed-in user.
pub async fn read_public() -> Result<(AppState, Option<Caller>), AppError> {
    anyone(false).await
}

/// For changes anyone may ask for (sign-up, sign-in, the language): the origin check alone.
pub async fn change_public() -> Result<(AppState, Option<Caller>), AppError> {
    anyone(true).await
}

async fn signed_in(same_origin: bool) -> Result<(AppState, Caller), AppError> {
    let (state, caller) = anyone(false).await?;
    let caller = super::respond(caller.ok_or(AppError::NotSignedIn))?;
    if same_origin {
        super::respond(request_parts().and_then(|parts| check_origin(&parts, &state.settings)))?;
    }
    Ok((state, caller))
}

async fn anyone(same_origin: bool) -> Result<(AppState, Option<Caller>), AppError> {
    super::respond(
        async {
            let mut state = state()?;
            let parts = request_parts()?;
            if same_origin {
                check_origin(&parts, &state.settings)?;
            }
            let caller = match leptos::prelude::use_context::<CallerOfPage>() {
                Some(page) => {
                    state.db = state.db.for_page(&page.reads);
                    page.caller
                        .get_or_try_init(|| caller_of(&state, &parts))
                        .await?
                        .clone()
                }
                None => caller_of(&state, &parts).await?,
            };
            Ok((state, caller))
        }
        .await,
    )
}

/// The caller of a page being rendered, resolved once for all its parts (the layout's session,
/// each section's data) instead of once per part, with the render's reads (one transaction,
/// see [`super::page_reads`]). Provided for page renders only: a server function called on its
/// own resolves its caller itself and reads through the pool.
///
/// The router resolves it before the render ([`CallerOfPage::resolve`]), so that the frame of
/// every page (navigation, account notices) knows who is signed in at once instead of each of
/// its parts waiting for a load of its own.
#[derive(Clone, Default)]
pub struct CallerOfPage {
    caller: std::sync::Arc<tokio::sync::OnceCell<Option<Caller>>>,
    reads: super::page_reads::PageReads,
}

impl CallerOfPage {
    /// The caller of a page about to be rendered, read from its request's headers through the
    /// page's own reads (its session perhaps as read for another page a moment ago, see
    /// `auth::caller_of_page_headers`). A failure is left to the render: its sections try
    /// again and say so.
    pub async fn resolve(state: &AppState, headers: &http::HeaderMap) -> Self {
        let page = Self::default();
        let state = AppState {
            db: state.db.for_page(&page.reads),
            settings: state.settings.clone(),
        };
        let resolved = page
            .caller
            .get_or_try_init(|| super::auth::caller_of_page_headers(&state, headers))
            .await;
        if let Err(error) = resolved {
            tracing::warn!(%error, "the caller of a page could not be resolved before its render");
        }
        page
    }

    /// Who is signed in, when known already.
    pub fn signed_in(&self) -> Option<&Caller> {
        self.caller.get().and_then(Option::as_ref)
    }
}

/// The signed-in caller of the page being rendered, as the router resolved it (none outside a
/// page render, or when resolving failed).
pub fn caller_of_page() -> Option<Caller> {
    leptos::prelude::with_context::<CallerOfPage, _>(|page| page.signed_in().cloned()).flatten()
}

/// What a page render shares among its parts: its caller and reads ([`CallerOfPage`]) and what
/// it has loaded ([`super::memo::PageMemo`]). Called by the router for every request it hands to
/// Leptos, and provided for page renders only (they alone carry the router's `RequestUrl`): a
/// server function called on its own shares nothing with anything.
pub fn provide_page_context() {
    use leptos::prelude::{provide_context, use_context, with_context};
    if use_context::<leptos_router::location::RequestUrl>().is_some() {
        let page = with_context::<http::request::Parts, _>(|parts| {
            parts.extensions.get::<CallerOfPage>().cloned()
        })
        .flatten()
        .unwrap_or_default();
        provide_context(page);
        provide_context(super::memo::PageMemo::default());
    }
}
