//! Work handed in for task sheets and design exercises: drafts, versions with their files,
//! reviews by the group's ambassador or staff, and the history of it all.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
