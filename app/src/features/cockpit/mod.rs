//! The ambassadors' (and staff's) view of an edition: a matrix of participants × activities with each state,
//! and the queue of work waiting for review (oldest first). Ambassadors see their groups,
//! staff see every group and can filter by one.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
