//! Enrolment, capacity and the waiting list. The server serialises every change to one
//! edition's enrolments and then asks these functions what to do.

use super::editions::{EditionStatus, EnrolmentWindow};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum EnrolmentStatus {
    Enrolled,
    Waitlisted,
    Withdrawn,
}

impl EnrolmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Enrolled => "enrolled",
            EnrolmentStatus::Waitlisted => "waitlisted",
            EnrolmentStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "enrolled" => Some(EnrolmentStatus::Enrolled),
            "waitlisted" => Some(EnrolmentStatus::Waitlisted),
            "withdrawn" => Some(EnrolmentStatus::Withdrawn),
            _ => None,
        }
    }
}

/// What the server knows when a participant asks to enrol.
#[derive(Debug, Clone, Copy)]
pub struct EnrolRequest {
    pub edition_status: EditionStatus,
    pub window: EnrolmentWindow,
    pub capacity: u32,
    /// Participants currently holding a place.
    pub enrolled: u32,
    /// The participant's own enrolment in this edition, if any.
    pub current: Option<EnrolmentStatus>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnrolDecision {
    /// Already enrolled or waiting: asking again changes nothing.
    Unchanged(EnrolmentStatus),
    TakePlace,
    JoinWaitingList,
    Refuse(EnrolRefusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnrolRefusal {
    /// The person has not yet confirmed their address.
    EmailNotVerified,
    /// Staff have not yet validated the person's registration.
    RegistrationPending,
    /// Staff rejected the person's registration.
    RegistrationRejected,
    EditionNotOpen,
    EnrolmentNotYetOpen,
    EnrolmentClosed,
}

/// Whether a person's registration lets them enrol themselves (staff may still place anyone).
pub fn registration_refusal(
    registration: crate::domain::account::RegistrationStatus,
) -> Option<EnrolRefusal> {
    use crate::domain::account::RegistrationStatus;
    match registration {
        RegistrationStatus::Validated => None,
        RegistrationStatus::Pending => Some(EnrolRefusal::RegistrationPending),
        RegistrationStatus::Rejected => Some(EnrolRefusal::RegistrationRejected),
    }
}

pub fn decide_enrol(request: EnrolRequest) -> EnrolDecision {
    if let Some(status @ (EnrolmentStatus::Enrolled | EnrolmentStatus::Waitlisted)) =
        request.current
    {
        return EnrolDecision::Unchanged(status);
    }
    if request.edition_status != EditionStatus::Open {
        return EnrolDecision::Refuse(EnrolRefusal::EditionNotOpen);
    }
    match request.window {
        EnrolmentWindow::NotYetOpen => EnrolDecision::Refuse(EnrolRefusal::EnrolmentNotYetOpen),
        EnrolmentWindow::Closed => EnrolDecision::Refuse(EnrolRefusal::EnrolmentClosed),
        EnrolmentWindow::Open if request.enrolled < request.capacity => EnrolDecision::TakePlace,
        EnrolmentWindow::Open => EnrolDecision::JoinWaitingList,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawDecision {
    /// Nothing to withdraw from: harmless, nothing changes.
    Unchanged,
    /// Leave; when a place is given up, the first in line takes it.
    Withdraw {
        frees_place: bool,
    },
    Refuse(WithdrawRefusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WithdrawRefusal {
    /// The edition is over: its records are kept as they are.
    EditionOver,
}

pub fn decide_withdraw(
    edition_status: EditionStatus,
    current: Option<EnrolmentStatus>,
) -> WithdrawDecision {
    match current {
        None | Some(EnrolmentStatus::Withdrawn) => WithdrawDecision::Unchanged,
        Some(_) if edition_status.is_over() => {
            WithdrawDecision::Refuse(WithdrawRefusal::EditionOver)
        }
        Some(status) => WithdrawDecision::Withdraw {
            frees_place: status == EnrolmentStatus::Enrolled,
        },
    }
}

/// How many of those waiting take a place when the free places change (a withdrawal, or staff
/// raising the capacity). Promotion stops once the edition is over.
pub fn places_to_promote(
    edition_status: EditionStatus,
    capacity: u32,
    enrolled: u32,
    waiting: u32,
) -> u32 {
    if !matches!(edition_status, EditionStatus::Open | EditionStatus::Running) {
        return 0;
    }
    capacity.saturating_sub(enrolled).min(waiting)
}

#[cfg(test)]
mod tests {
    use super::*;
    use EditionStatus::*;

    fn request(current: Option<EnrolmentStatus>, enrolled: u32) -> EnrolRequest {
        EnrolRequest {
            edition_status: Open,
            window: EnrolmentWindow::Open,
            capacity: 2,
            enrolled,
            current,
        }
    }

    #[test]
    fn a_free_place_is_taken() {
        assert_eq!(decide_enrol(request(None, 0)), EnrolDecision::TakePlace);
        assert_eq!(decide_enrol(request(None, 1)), EnrolDecision::TakePlace);
    }

    #[test]
    fn a_full_edition_puts_people_in_line() {
        assert_eq!(
            decide_enrol(request(None, 2)),
            EnrolDecision::JoinWaitingList
        );
        // Over capacity (staff lowered it) still means a waiting list, never a place.
        assert_eq!(
            decide_enrol(request(None, 5)),
            EnrolDecision::JoinWaitingList
        );
    }

    #[test]
    fn enrolling_twice_is_harmless() {
        use EnrolmentStatus::*;
        assert_eq!(
            decide_enrol(request(Some(Enrolled), 2)),
            EnrolDecision::Unchanged(Enrolled)
        );
        assert_eq!(
            decide_enrol(request(Some(Waitlisted), 2)),
            EnrolDecision::Unchanged(Waitlisted)
        );
        // Even after the window has closed.
        let closed = EnrolRequest {
            window: EnrolmentWindow::Closed,
            ..request(Some(Enrolled), 2)
        };
        assert_eq!(decide_enrol(closed), EnrolDecision::Unchanged(Enrolled));
    }

    #[test]
    fn someone_who_withdrew_may_come_back() {
        assert_eq!(
            decide_enrol(request(Some(EnrolmentStatus::Withdrawn), 0)),
            EnrolDecision::TakePlace
        );
        assert_eq!(
            decide_enrol(request(Some(EnrolmentStatus::Withdrawn), 2)),
            EnrolDecision::JoinWaitingList
        );
    }

    #[test]
    fn only_open_editions_within_their_window_take_enrolments() {
        for status in [Draft, Running, Closed, Archived] {
            let req = EnrolRequest {
                edition_status: status,
                ..request(None, 0)
            };
            assert_eq!(
                decide_enrol(req),
                EnrolDecision::Refuse(EnrolRefusal::EditionNotOpen),
                "{status:?}"
            );
        }
        let early = EnrolRequest {
            window: EnrolmentWindow::NotYetOpen,
            ..request(None, 0)
        };
        assert_eq!(
            decide_enrol(early),
            EnrolDecision::Refuse(EnrolRefusal::EnrolmentNotYetOpen)
        );
        let late = EnrolRequest {
            window: EnrolmentWindow::Closed,
            ..request(None, 0)
        };
        assert_eq!(
            decide_enrol(late),
            EnrolDecision::Refuse(EnrolRefusal::EnrolmentClosed)
        );
    }

    #[test]
    fn withdrawing_frees_a_place_only_for_those_who_held_one() {
        use EnrolmentStatus::*;
        assert_eq!(
            decide_withdraw(Open, Some(Enrolled)),
            WithdrawDecision::Withdraw { frees_place: true }
        );
        assert_eq!(
            decide_withdraw(Running, Some(Enrolled)),
            WithdrawDecision::Withdraw { frees_place: true }
        );
        assert_eq!(
            decide_withdraw(Open, Some(Waitlisted)),
            WithdrawDecision::Withdraw { frees_place: false }
        );
        assert_eq!(
            decide_withdraw(Open, Some(Withdrawn)),
            WithdrawDecision::Unchanged
        );
        assert_eq!(decide_withdraw(Open, None), WithdrawDecision::Unchanged);
        assert_eq!(
            decide_withdraw(Closed, Some(Enrolled)),
            WithdrawDecision::Refuse(WithdrawRefusal::EditionOver)
        );
        assert_eq!(
            decide_withdraw(Archived, Some(Waitlisted)),
            WithdrawDecision::Refuse(WithdrawRefusal::EditionOver)
        );
    }

    #[test]
    fn promotion_fills_free_places_in_order_and_no_more() {
        assert_eq!(places_to_promote(Open, 10, 9, 3), 1);
        assert_eq!(places_to_promote(Open, 10, 5, 3), 3);
        assert_eq!(places_to_promote(Open, 10, 10, 3), 0);
        assert_eq!(places_to_promote(Open, 10, 12, 3), 0);
        assert_eq!(places_to_promote(Running, 10, 9, 0), 0);
        assert_eq!(places_to_promote(Closed, 10, 0, 3), 0);
    }

    #[test]
    fn status_names_round_trip() {
        for status in [
            EnrolmentStatus::Enrolled,
            EnrolmentStatus::Waitlisted,
            EnrolmentStatus::Withdrawn,
        ] {
            assert_eq!(EnrolmentStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(EnrolmentStatus::parse("pending"), None);
    }
}
