//! Shared widgets: layout, form fields, messages.

pub mod forms;
pub mod language;
pub mod layout;
pub mod messages;
pub mod text;
