//! The completion rule of an edition and everyone's progress against it: the participant's
//! checklist on the edition page, and the staff form that sets the rule.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
