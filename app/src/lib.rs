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

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazily loaded parts of the bundle: hydration waits for the page's part.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let body = leptos::prelude::document().body();
        let Some(body) = body else { return };
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        // Tells end-to-end tests (and styles, if ever needed) that the page is interactive.
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        leptos::prelude::request_animation_frame(|| {
            ui::messages::INTERACTIVE.store(true, std::sync::atomic::Ordering::Relaxed);
        });
    });
}
