//! Courses: the reusable templates editions are made from. Staff only.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
