//! Database tables as SeaORM entities. They never cross the wire: features map them to DTOs.

pub mod course;
pub mod edition;
pub mod enrolment;
pub mod login_throttle;
pub mod session;
pub mod user;
