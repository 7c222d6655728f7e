#![recursion_limit = "256"]
//! Aula: course management for teacher-training editions.
//!
//! - `domain`: the product's rules, pure and tested on their own;
//! - `features`: one folder per product noun (pages, server functions, services);
//! - `ui`: shared widgets; `ssr`: server-only infrastructure; `error`: the error type.

pub mod app;
pub mod domain;
pub mod error;
pub mod features;
#[cfg(feature = "ssr")]
pub mod ssr;
pub mod ui;

/// The server builds the certificate signing key with the same crate version.
#[cfg(feature = "ssr")]
pub use ed25519_dalek;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

/// Runs first once the bundle is loaded; then the islands of the page hydrate, each on its own
/// (Leptos' island script walks the page and calls each island's exported function).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // What a form posted without JavaScript answered (`?__path=…&__err=…`), for the islands'
    // actions to start from, as the router does in pages that hydrate whole.
    if let (Some(path), Some(error)) = (
        ui::params::page_query("__path"),
        ui::params::page_query("__err"),
    ) {
        leptos::prelude::provide_context(leptos::server::ServerActionError::new(&path, &error));
    }
    ui::form_memory::install();
    // The island script hydrates the islands right after this returns, without waiting on
    // anything but already settled promises: a task queued now runs once they all are.
    leptos::prelude::set_timeout(
        || {
            // "true" once the page is interactive: tells end-to-end tests (and styles, if ever
            // needed) where the page is.
            if let Some(root) = leptos::prelude::document().document_element() {
                let _ = root.set_attribute("data-hydrated", "true");
            }
            ui::messages::INTERACTIVE.store(true, std::sync::atomic::Ordering::Relaxed);
        },
        std::time::Duration::ZERO,
    );
}
