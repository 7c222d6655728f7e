//! Attendance reports from video platforms: reading them (`report`) and matching their rows
//! to an edition's participants (`matching`). Pure: the server reads the upload, these
//! functions say what it contains, and nothing is saved until staff confirm the preview.

pub mod matching;
pub mod report;
pub mod text;
