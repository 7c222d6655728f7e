//! People and their roles, as staff manage them.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
