//! Security headers. Pages get a Content-Security-Policy that lets only Aula's own scripts run:
//! the inline hydration script carries a fresh nonce, the bundle comes from Aula's own origin,
//! and WebAssembly may be compiled. Everything else (server functions, downloads, files) gets a
//! policy that allows nothing at all, set by the server's middleware when a page has not set
//! its own.

/// The policy of a rendered page whose inline scripts carry `nonce`.
///
/// `style-src-attr 'unsafe-inline'` lets the progress bars set their width with a `style`
/// attribute; style attributes cannot run scripts.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy of everything that is not a page: nothing may load, nobody may frame it.
pub const NOTHING: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'none'";

/// HSTS over https: browsers keep to https for two years once they have seen it.
pub const STRICT_TRANSPORT: &str = "max-age=63072000";

/// Where a page tells the server's middleware the nonce of its scripts: the middleware puts an
/// empty slot in the request, the page shell fills it. Every HTML answer then gets the page
/// policy with that nonce, whichever way the framework built it.
#[derive(Clone, Default)]
pub struct NonceSlot(pub std::sync::Arc<std::sync::Mutex<Option<String>>>);

impl NonceSlot {
    pub fn take(&self) -> Option<String> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// Called while the page shell renders: gives the page its nonce (the framework makes one per
/// page; an error page rendered outside it gets its own) and hands it to the server's
/// middleware, which sets the page's policy and `no-store` (pages show personal data).
pub fn for_page() {
    use leptos::prelude::*;
    let nonce = match leptos::nonce::use_nonce() {
        Some(nonce) => nonce,
        None => {
            leptos::nonce::provide_nonce();
            match leptos::nonce::use_nonce() {
                Some(nonce) => nonce,
                None => return,
            }
        }
    };
    if let Some(slot) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<NonceSlot>().cloned())
        && let Ok(mut slot) = slot.0.lock()
    {
        *slot = Some(nonce.to_string());
    }
}

/// Whether a bundle file's name carries a hash of its content (`/pkg/aula.<hash>.wasm`, as
/// cargo-leptos names them in release builds): such a file never changes.
pub fn content_hashed(path: &str) -> bool {
    let Some(name) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let parts: Vec<&str> = name.split('.').collect();
    matches!(parts.as_slice(), [_, hash, "js" | "wasm" | "css"]
        if hash.len() >= 10
            && hash.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            // Debug builds name the split loader with a placeholder of underscores.
            && hash.bytes().any(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_run_only_their_own_scripts_and_are_never_framed() {
        let policy = page_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("object-src 'none'"));
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
        assert!(!policy.contains("'unsafe-eval'"));
        assert!(NOTHING.starts_with("default-src 'none'"));
    }

    #[test]
    fn only_bundle_files_named_by_their_content_are_kept_for_good() {
        assert!(content_hashed("/pkg/aula.Xk3_9aQ-z1bC2d.wasm"));
        assert!(content_hashed("/pkg/aula.Xk3_9aQ-z1bC2d.css"));
        assert!(content_hashed("/pkg/__wasm_split.Xk3_9aQ-z1bC2d.js"));
        assert!(
            !content_hashed("/pkg/__wasm_split.______________________.js"),
            "the split loader of debug builds has a placeholder, not a hash"
        );
        assert!(
            !content_hashed("/pkg/chunk_12.wasm"),
            "split parts are named by their number"
        );
        assert!(
            !content_hashed("/pkg/aula.wasm"),
            "a plain name changes content"
        );
        assert!(!content_hashed("/pkg/aula_bg.wasm"));
        assert!(!content_hashed("/favicon.svg"));
        assert!(!content_hashed("/pkg/aula.Xk3_9aQ-z1bC2d.html"));
    }
}
