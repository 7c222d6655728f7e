//! Activities of an edition: staff add, edit, order and remove them; participants see what
//! to do next and open materials and webinars; staff and ambassadors record attendance.

pub mod api;
pub mod attendance_pages;
#[cfg(feature = "ssr")]
pub mod facts;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_pages;
