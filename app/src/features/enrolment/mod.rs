//! Enrolment in an edition, and the waiting list.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
