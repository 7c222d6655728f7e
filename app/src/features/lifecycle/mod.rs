//! The lifecycle of personal data (rules in `domain::lifecycle`): the daily job that makes
//! profiles inactive, warns people and anonymises their data, what its next run would do (a dry
//! run for staff), and anonymising one person on request (the same code path).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
