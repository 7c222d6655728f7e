//! Attendance of webinars: marked by hand (staff, or the ambassador for their groups),
//! imported from the video platform's report with a preview, and the edition's rules.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
