//! The audit log's vocabulary: every kind of change to a participant's record.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum Action {
    AttendanceRecorded,
    AttendanceImported,
    SubmissionReviewed,
    OverrideSet,
    OverrideCleared,
    CertificateIssued,
    CertificateRevoked,
    CertificateReissued,
    RoleChanged,
    ActivityHidden,
    ActivityShown,
    ActivityDeleted,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::AttendanceRecorded,
        Action::AttendanceImported,
        Action::SubmissionReviewed,
        Action::OverrideSet,
        Action::OverrideCleared,
        Action::CertificateIssued,
        Action::CertificateRevoked,
        Action::CertificateReissued,
        Action::RoleChanged,
        Action::ActivityHidden,
        Action::ActivityShown,
        Action::ActivityDeleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::AttendanceRecorded => "attendance_recorded",
            Action::AttendanceImported => "attendance_imported",
            Action::SubmissionReviewed => "submission_reviewed",
            Action::OverrideSet => "override_set",
            Action::OverrideCleared => "override_cleared",
            Action::CertificateIssued => "certificate_issued",
            Action::CertificateRevoked => "certificate_revoked",
            Action::CertificateReissued => "certificate_reissued",
            Action::RoleChanged => "role_changed",
            Action::ActivityHidden => "activity_hidden",
            Action::ActivityShown => "activity_shown",
            Action::ActivityDeleted => "activity_deleted",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_back_what_they_write() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::parse("dropped_table"), None);
    }
}
