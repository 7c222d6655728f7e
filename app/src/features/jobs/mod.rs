//! `/staff/jobs`: the scheduler's jobs (see `ssr::scheduler`), each with its last run.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
