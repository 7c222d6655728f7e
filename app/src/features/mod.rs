//! One folder per product noun, each with the same shape: `api.rs` (DTOs and thin server
//! functions that resolve the caller once), `service.rs` (server-only: the work, given
//! `(&AppState, &Caller, …)`, reaching objects through the scope loaders of `ssr::scope`),
//! `pages.rs` (routes).

pub mod accounts;
pub mod activities;
pub mod attendance;
pub mod audit;
pub mod calendar;
pub mod certificates;
pub mod cockpit;
pub mod completion;
pub mod courses;
pub mod editions;
pub mod enrolment;
pub mod export;
pub mod groups;
pub mod home;
pub mod jobs;
pub mod lifecycle;
pub mod mail;
pub mod profile;
pub mod quizzes;
pub mod registrations;
pub mod registry;
pub mod sso;
pub mod submissions;
pub mod users;
