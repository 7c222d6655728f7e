//! Editions (runs of a course) and enrolment in them: the catalogue, the edition page with
//! enrol/withdraw, and the staff pages that create, edit, move, clone and list them.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod staff_pages;
