//! Product rules with no I/O. Compiled for the server and the browser alike, so the same
//! parsing can run in a form before it runs again, authoritatively, on the server.

pub mod account;
pub mod account_links;
pub mod activities;
pub mod attendance;
pub mod audit;
pub mod calendar;
pub mod certificates;
pub mod completion;
pub mod csv;
pub mod dates;
pub mod editions;
pub mod enrolment;
pub mod lifecycle;
pub mod login_throttle;
pub mod outbox;
pub mod outcome;
pub mod paging;
pub mod password;
pub mod problem;
pub mod quiz;
pub mod rate_limit;
pub mod registration;
pub mod registry;
pub mod rich_text;
pub mod roles;
pub mod scoping;
pub mod sessions;
pub mod sso;
pub mod submissions;
pub mod text;

pub use problem::{Field, FieldProblem, Problem};
