//! The composition root: configuration, database, router. `main.rs` runs it; the tests in
//! `tests/` build the same router over their own databases.

pub mod commands;
pub mod compression;
pub mod config;
pub mod demo;
pub mod extract;
pub mod routes;
pub mod secrets;
pub mod startup;
