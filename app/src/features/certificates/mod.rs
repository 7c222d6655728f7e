//! Certificates: issuing them to everyone who meets the completion rule, the PDF, revoking and
//! re-issuing, the participant's download and the public verification page.

pub mod api;
#[cfg(feature = "ssr")]
pub mod logo;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod service;
