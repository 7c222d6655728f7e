//! The home page: a participant's editions, and what is open for enrolment.

pub mod api;
pub mod pages;
