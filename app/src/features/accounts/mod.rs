//! Sign-up, log-in, log-out, language, and who is signed in.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
