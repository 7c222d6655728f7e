//! The ministry's registry of school staff: staff upload its export (`/staff/registry`), see
//! what applying it would do, and apply it; pending registrations are then matched against it
//! (`service::match_pending`), and so is every new sign-up (`service::match_person`).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
