//! Shared widgets: layout, form fields, messages, badges, typed route parameters.

pub mod badges;
#[cfg(feature = "hydrate")]
pub mod form_memory;
pub mod forms;
pub mod language;
pub mod layout;
pub mod messages;
pub mod params;
pub mod text;
