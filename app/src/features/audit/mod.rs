//! The audit log: every change to a participant's record (attendance, reviews, overrides,
//! certificates, roles) with who, when, what and why; staff browse and filter it.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
