//! One folder per product noun, each with the same shape: `api.rs` (DTOs and thin server
//! functions), `service.rs` (server-only: queries and access checks), `pages.rs` (routes).

pub mod accounts;
pub mod activities;
pub mod audit;
pub mod certificates;
pub mod cockpit;
pub mod completion;
pub mod courses;
pub mod editions;
pub mod groups;
pub mod home;
pub mod quizzes;
pub mod submissions;
pub mod users;
