//! Groups: staff form them and assign ambassadors; each has a space with
//! announcements and a discussion board for peer support.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
