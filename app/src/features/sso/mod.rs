//! Single sign-on with OpenID Connect: "Accedi con …" on the sign-in page, connecting a
//! provider account to an existing account (with its password), and the profile's list of
//! sign-in methods. The leaving and returning routes are plain (`/sso/{provider}/start`,
//! `/sso/{provider}/callback`); the rest are server functions.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
