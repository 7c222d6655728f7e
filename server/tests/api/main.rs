//! Integration tests: the real router over real databases (a SQLite file and a PostgreSQL
//! server). Every test runs on both; each gets a database of its own.

// A failing test should stop right there, with the value it choked on.
#![allow(clippy::unwrap_used)]

mod helpers;

mod access;
mod accounts;
mod activities;
mod certificates;
mod completion;
mod editions;
mod enrolment;
mod export;
mod groups;
mod health_and_pages;
mod jobs;
mod lifecycle;
mod mail;
mod profile;
mod quizzes;
mod registrations;
mod registry;
mod secrets;
mod sso;
mod submissions;
mod uploads;
mod users;
mod webinars;
