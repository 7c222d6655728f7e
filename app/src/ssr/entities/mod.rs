//! Database tables as SeaORM entities. They never cross the wire: features map them to DTOs.

pub mod activity;
pub mod announcement;
pub mod attendance;
pub mod attendance_import;
pub mod audit_event;
pub mod calendar_feed;
pub mod certificate;
pub mod completion_override;
pub mod course;
pub mod edition;
pub mod enrolment;
pub mod group;
pub mod group_ambassador;
pub mod group_member;
pub mod login_throttle;
pub mod material_view;
pub mod quiz_attempt;
pub mod quiz_question;
pub mod recording_view;
pub mod reply;
pub mod request_limit;
pub mod session;
pub mod submission;
pub mod thread;
pub mod user;
pub mod webinar_speaker;
