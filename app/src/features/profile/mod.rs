//! A person's own profile: the name printed on certificates, school, language, address and
//! password.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
