//! Private calendar feeds (iCalendar) of a participant's webinars and due dates.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
