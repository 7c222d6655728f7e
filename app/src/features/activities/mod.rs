//! Activities of an edition: staff add, edit, order and remove them; participants see what
//! to do next, open materials and webinars, and catch up on a missed webinar.

pub mod api;
#[cfg(feature = "ssr")]
pub mod facts;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_pages;
