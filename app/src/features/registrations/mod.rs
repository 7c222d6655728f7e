//! Validating registrations: staff decide who may enrol (`/staff/registrations`), one by one
//! or many at once; each decision is mailed to the person and written to the audit log.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
