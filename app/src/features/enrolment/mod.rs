//! Enrolment in an edition, and the waiting list.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
