//! Badges: the short coloured words that say where something stands, the same everywhere.

use super::text;
use crate::domain::activities::ActivityState;
use crate::domain::editions::EditionStatus;
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::submissions::SubmissionStatus;
use crate::features::enrolment::api::MyEnrolment;
use crate::i18n::*;
use leptos::prelude::*;

/// Where an activity stands for a participant.
#[component]
pub fn StateBadge(state: ActivityState) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match state {
        s if s.is_done() => "done",
        ActivityState::NeedsRevision
        | ActivityState::TooShort
        | ActivityState::Failed
        | ActivityState::Missed => "attention",
        _ => "pending",
    };
    view! { <span class=format!("badge state-{tone}")>{move || text::activity_state(i18n, state)}</span> }
}

/// An edition's status.
#[component]
pub fn StatusBadge(status: EditionStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class=format!("badge status-{}", status.as_str())>{move || text::edition_status(i18n, status)}</span> }
}

/// The caller's enrolment (with their place in line when waiting).
#[component]
pub fn EnrolmentBadge(mine: MyEnrolment) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge enrolment-{}", mine.status.as_str())>
            {move || match (mine.status, mine.position) {
                (EnrolmentStatus::Waitlisted, Some(position)) => {
                    t_string!(i18n, enrolment.waitlisted_at, position = position).to_string()
                }
                (status, _) => text::enrolment_status(i18n, status),
            }}
        </span>
    }
}

/// Where a version of someone's work stands.
#[component]
pub fn SubmissionStatusBadge(status: SubmissionStatus) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match status {
        SubmissionStatus::Accepted => "done",
        SubmissionStatus::NeedsRevision => "attention",
        _ => "pending",
    };
    view! { <span class=format!("badge state-{tone}")>{move || text::submission_status(i18n, status)}</span> }
}
