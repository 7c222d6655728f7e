//! Staff see the outbox: what is waiting, what was sent, what failed and why; and send a mail
//! again.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
