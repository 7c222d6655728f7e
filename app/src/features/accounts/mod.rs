//! Sign-up (with a confirmed address), sign-in, sign-out, password recovery, language, and who
//! is signed in.

pub mod api;
#[cfg(feature = "ssr")]
pub mod links;
#[cfg(feature = "ssr")]
pub mod mails;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
