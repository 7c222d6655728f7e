//! Shared widgets: layout, form fields, messages, badges, typed route parameters.

pub mod badges;
pub mod forms;
pub mod language;
pub mod layout;
pub mod messages;
pub mod params;
pub mod text;
