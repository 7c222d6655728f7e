//! Quizzes: staff write the questions; participants take attempts within the limits; grading
//! happens on the server; answers and scores are shown only from the quiz's review moment.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
