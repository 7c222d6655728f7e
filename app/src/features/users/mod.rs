//! People and their roles, as staff manage them.

pub mod api;
pub mod corrections_page;
pub mod pages;
pub mod person_page;
#[cfg(feature = "ssr")]
pub mod service;
