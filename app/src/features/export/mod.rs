//! The export of a person's own data (their right of access and portability): one zip with
//! everything Aula holds about them, as JSON, with the files they handed in and their
//! certificates' PDFs. Nothing of other people: not their names, not their posts, not who
//! reviewed or recorded what. Downloaded from the profile (`GET /account/export.zip`).

#[cfg(feature = "ssr")]
pub mod service;
