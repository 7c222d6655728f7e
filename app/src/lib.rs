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
    let plain_links = PlainLinks::install();
    // "false" while the page's part loads and hydrates, "true" once it is interactive: tells
    // end-to-end tests (and styles, if ever needed) where the page is.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "false");
    }
    leptos::task::spawn_local(async move {
        let body = leptos::prelude::document().body();
        let Some(body) = body else { return };
        leptos::mount::hydrate_from_async(body, app::App)
            .await
            .forget();
        drop(plain_links);
        if let Some(root) = leptos::prelude::document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
        leptos::prelude::request_animation_frame(|| {
            ui::messages::INTERACTIVE.store(true, std::sync::atomic::Ordering::Relaxed);
        });
    });
}

/// Until the page is hydrated, a click on a link is left to the browser (a full page load).
///
/// The router listens for clicks as soon as the frame of the bundle runs, while the page's own
/// part may still be on its way; a navigation it took over in that gap was lost (the page
/// never changed). A listener on the window's capture phase keeps such clicks from the router;
/// dropping the value removes it.
#[cfg(feature = "hydrate")]
struct PlainLinks {
    window: web_sys::Window,
    listener: wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>,
}

#[cfg(feature = "hydrate")]
impl PlainLinks {
    fn install() -> Option<Self> {
        use wasm_bindgen::JsCast;
        let window = web_sys::window()?;
        let listener = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(
            |event: web_sys::Event| {
                let on_link = event
                    .target()
                    .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                    .and_then(|element| element.closest("a[href]").ok().flatten())
                    .is_some();
                if on_link {
                    event.stop_propagation();
                }
            },
        );
        window
            .add_event_listener_with_callback_and_bool(
                "click",
                listener.as_ref().unchecked_ref(),
                true,
            )
            .ok()?;
        Some(Self { window, listener })
    }
}

#[cfg(feature = "hydrate")]
impl Drop for PlainLinks {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        let _ = self.window.remove_event_listener_with_callback_and_bool(
            "click",
            self.listener.as_ref().unchecked_ref(),
            true,
        );
    }
}
