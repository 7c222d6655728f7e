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
    PasswordResetSent,
    AccountDeactivated,
    AccountReactivated,
    NameCorrected,
    MailResent,
    RegistrationValidated,
    RegistrationRejected,
    AccountAnonymised,
}

impl Action {
    pub const ALL: [Action; 20] = [
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
        Action::PasswordResetSent,
        Action::AccountDeactivated,
        Action::AccountReactivated,
        Action::NameCorrected,
        Action::MailResent,
        Action::RegistrationValidated,
        Action::RegistrationRejected,
        Action::AccountAnonymised,
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
            Action::PasswordResetSent => "password_reset_sent",
            Action::AccountDeactivated => "account_deactivated",
            Action::AccountReactivated => "account_reactivated",
            Action::NameCorrected => "name_corrected",
            Action::MailResent => "mail_resent",
            Action::RegistrationValidated => "registration_validated",
            Action::RegistrationRejected => "registration_rejected",
            Action::AccountAnonymised => "account_anonymised",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Action::ALL.into_iter().find(|a| a.as_str() == text)
    }
}

/// The detail of a registration the registry validated (no staff member decided).
pub const REGISTRY_DETAIL: &str = "registry";

/// What an entry's stored detail says, read back for display: details are written in a fixed
/// form (never translated when stored) and shown in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail<'a> {
    /// "ambassador: granted", "staff: withdrawn".
    Role {
        role: crate::domain::roles::Role,
        granted: bool,
    },
    /// "tutorship ended: Gruppo 1": the role went, and with it the group.
    TutorshipEnded { group: &'a str },
    /// "Scheda 1 (v2): needs_revision".
    Reviewed {
        activity: &'a str,
        version: u32,
        status: crate::domain::submissions::SubmissionStatus,
    },
    /// A registration validated because the registry matched it.
    Registry,
    /// Anything else is shown as written (titles, codes, minutes).
    Text(&'a str),
}

impl<'a> Detail<'a> {
    pub fn read(action: Action, detail: &'a str) -> Self {
        use crate::domain::roles::Role;
        use crate::domain::submissions::SubmissionStatus;
        let parsed = match action {
            Action::RoleChanged => detail
                .strip_prefix("tutorship ended: ")
                .map(|group| Detail::TutorshipEnded { group })
                .or_else(|| {
                    let (role, change) = detail.split_once(": ")?;
                    let granted = match change {
                        "granted" => true,
                        "withdrawn" => false,
                        _ => return None,
                    };
                    Some(Detail::Role {
                        role: Role::parse(role)?,
                        granted,
                    })
                }),
            Action::SubmissionReviewed => (|| {
                let (head, status) = detail.rsplit_once("): ")?;
                let (activity, version) = head.rsplit_once(" (v")?;
                Some(Detail::Reviewed {
                    activity,
                    version: version.parse().ok()?,
                    status: SubmissionStatus::parse(status)?,
                })
            })(),
            Action::RegistrationValidated if detail == REGISTRY_DETAIL => Some(Detail::Registry),
            _ => None,
        };
        parsed.unwrap_or(Detail::Text(detail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::roles::Role;
    use crate::domain::submissions::SubmissionStatus;

    #[test]
    fn details_are_read_back_for_display_in_any_language() {
        assert_eq!(
            Detail::read(Action::RoleChanged, "ambassador: withdrawn"),
            Detail::Role {
                role: Role::Ambassador,
                granted: false
            }
        );
        assert_eq!(
            Detail::read(Action::RoleChanged, "tutorship ended: Gruppo: sera"),
            Detail::TutorshipEnded {
                group: "Gruppo: sera"
            }
        );
        assert_eq!(
            Detail::read(
                Action::SubmissionReviewed,
                "Scheda (v1) finale (v2): needs_revision"
            ),
            Detail::Reviewed {
                activity: "Scheda (v1) finale",
                version: 2,
                status: SubmissionStatus::NeedsRevision
            }
        );
        // What does not follow the form is shown as it is, never dropped.
        assert_eq!(
            Detail::read(Action::RoleChanged, "wizard: granted"),
            Detail::Text("wizard: granted")
        );
        assert_eq!(
            Detail::read(Action::AttendanceImported, "Webinar 1: 90 min"),
            Detail::Text("Webinar 1: 90 min")
        );
    }

    #[test]
    fn actions_read_back_what_they_write() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::parse("dropped_table"), None);
    }
}
