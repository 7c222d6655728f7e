//! Translated texts for values that come from the domain (problems, errors, statuses, dates).

use crate::domain::account_links::LinkProblem;
use crate::domain::activities::{ActivityKind, ActivityState};
use crate::domain::attendance::report::ReportError;
use crate::domain::dates;
use crate::domain::editions::EditionStatus;
use crate::domain::enrolment::{EnrolRefusal, EnrolmentStatus, WithdrawRefusal};
use crate::domain::outcome::Outcome;
use crate::domain::quiz::StartRefusal;
use crate::domain::roles::RoleChangeRefusal;
use crate::domain::submissions::{SubmissionRefusal, SubmissionStatus, UploadProblem};
use crate::domain::{Field, Problem};
use crate::error::{AppError, QuizRefusal, Refusal};
use crate::i18n::*;
use chrono::NaiveDate;

pub type I18n = leptos_i18n::I18nContext<Locale>;

pub fn long_date(i18n: I18n, date: NaiveDate) -> String {
    dates::long_date(date, i18n.get_locale())
}

pub fn date_range(i18n: I18n, from: NaiveDate, to: NaiveDate) -> String {
    dates::date_range(from, to, i18n.get_locale())
}

pub fn problem_in(locale: Locale, problem: Problem) -> String {
    match problem {
        Problem::Required => td_string!(locale, problems.required).to_string(),
        Problem::TooLong { max } => td_string!(locale, problems.too_long, max = max).to_string(),
        Problem::ControlCharacters => td_string!(locale, problems.control_characters).to_string(),
        Problem::EmailInvalid => td_string!(locale, problems.email_invalid).to_string(),
        Problem::EmailTaken => td_string!(locale, problems.email_taken).to_string(),
        Problem::SchoolCodeInvalid => td_string!(locale, problems.school_code_invalid).to_string(),
        Problem::TaxCodeInvalid => td_string!(locale, problems.tax_code_invalid).to_string(),
        Problem::PasswordTooShort { min } => {
            td_string!(locale, problems.password_too_short, min = min).to_string()
        }
        Problem::PasswordTooLong { max } => {
            td_string!(locale, problems.password_too_long, max = max).to_string()
        }
        Problem::PasswordCommon => td_string!(locale, problems.password_common).to_string(),
        Problem::PasswordLikeEmail => td_string!(locale, problems.password_like_email).to_string(),
        Problem::CourseCodeInvalid => td_string!(locale, problems.course_code_invalid).to_string(),
        Problem::CourseCodeTaken => td_string!(locale, problems.course_code_taken).to_string(),
        Problem::NotAWholeNumber => td_string!(locale, problems.not_a_whole_number).to_string(),
        Problem::OutOfRange { min, max } => {
            td_string!(locale, problems.out_of_range, min = min, max = max).to_string()
        }
        Problem::DateInvalid => td_string!(locale, problems.date_invalid).to_string(),
        Problem::ClosesBeforeOpens => td_string!(locale, problems.closes_before_opens).to_string(),
        Problem::EndsBeforeStarts => td_string!(locale, problems.ends_before_starts).to_string(),
        Problem::EnrolmentClosesAfterEnd => {
            td_string!(locale, problems.enrolment_closes_after_end).to_string()
        }
        Problem::NotANumber => td_string!(locale, problems.not_a_number).to_string(),
        Problem::UrlInvalid => td_string!(locale, problems.url_invalid).to_string(),
        Problem::DueBeforeOpens => td_string!(locale, problems.due_before_opens).to_string(),
        Problem::LinkOrPageRequired => {
            td_string!(locale, problems.link_or_page_required).to_string()
        }
        Problem::FeedbackRequired => td_string!(locale, problems.feedback_required).to_string(),
        Problem::TextOrFileRequired => {
            td_string!(locale, problems.text_or_file_required).to_string()
        }
        Problem::OneCorrectOption => td_string!(locale, problems.one_correct_option).to_string(),
        Problem::SomeCorrectOption => td_string!(locale, problems.some_correct_option).to_string(),
        Problem::TooFewOptions => td_string!(locale, problems.too_few_options).to_string(),
        Problem::FewerThanNamed => td_string!(locale, problems.fewer_than_named).to_string(),
        Problem::NoSuchAccount => td_string!(locale, problems.no_such_account).to_string(),
        Problem::PasswordWrong => td_string!(locale, problems.password_wrong).to_string(),
        Problem::SameEmail => td_string!(locale, problems.same_email).to_string(),
        Problem::SameName => td_string!(locale, problems.same_name).to_string(),
        Problem::NoneSelected => td_string!(locale, problems.none_selected).to_string(),
        Problem::TooMany { max } => td_string!(locale, problems.too_many, max = max).to_string(),
        Problem::RoleNotConfirmed => td_string!(locale, problems.role_not_confirmed).to_string(),
        Problem::AcceptedAnswerRequired => {
            td_string!(locale, problems.accepted_answer_required).to_string()
        }
    }
}

pub fn error_in(locale: Locale, error: &AppError) -> String {
    match error {
        AppError::NotSignedIn => td_string!(locale, errors.not_signed_in).to_string(),
        AppError::ForeignOrigin => td_string!(locale, errors.foreign_origin).to_string(),
        AppError::NotAllowed => td_string!(locale, errors.not_allowed).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::Invalid(_) => td_string!(locale, errors.invalid).to_string(),
        AppError::WrongCredentials => td_string!(locale, errors.wrong_credentials).to_string(),
        AppError::TooManyAttempts { retry_after_secs } => {
            td_string!(locale, errors.too_many_attempts, count = *retry_after_secs).to_string()
        }
        AppError::Refused(refusal) => refusal_in(locale, *refusal),
        AppError::Internal => td_string!(locale, errors.internal).to_string(),
        AppError::Transport(_) => td_string!(locale, errors.transport).to_string(),
    }
}

pub fn refusal_in(locale: Locale, refusal: Refusal) -> String {
    match refusal {
        Refusal::Enrol(EnrolRefusal::EmailNotVerified) => {
            td_string!(locale, errors.email_not_verified).to_string()
        }
        Refusal::Enrol(EnrolRefusal::RegistrationPending) => {
            td_string!(locale, errors.registration_pending).to_string()
        }
        Refusal::Enrol(EnrolRefusal::RegistrationRejected) => {
            td_string!(locale, errors.registration_rejected).to_string()
        }
        Refusal::Enrol(EnrolRefusal::EditionNotOpen) => {
            td_string!(locale, errors.edition_not_open).to_string()
        }
        Refusal::Enrol(EnrolRefusal::EnrolmentNotYetOpen) => {
            td_string!(locale, errors.enrolment_not_yet_open).to_string()
        }
        Refusal::Enrol(EnrolRefusal::EnrolmentClosed) => {
            td_string!(locale, errors.enrolment_closed).to_string()
        }
        Refusal::Withdraw(WithdrawRefusal::EditionOver) => {
            td_string!(locale, errors.edition_over).to_string()
        }
        Refusal::RoleChange(RoleChangeRefusal::OwnStaffRole) => {
            td_string!(locale, errors.own_staff_role).to_string()
        }
        Refusal::StatusTransition => td_string!(locale, errors.status_transition).to_string(),
        Refusal::CloneOutOfRange => td_string!(locale, errors.clone_out_of_range).to_string(),
        Refusal::NotAnAmbassador => td_string!(locale, errors.not_an_ambassador).to_string(),
        Refusal::NotASpeaker => td_string!(locale, errors.not_a_speaker).to_string(),
        Refusal::CannotCatchUp => td_string!(locale, errors.cannot_catch_up).to_string(),
        Refusal::RuleChangesStatus { changed } => {
            td_string!(locale, completion.confirm_change, count = changed).to_string()
        }
        Refusal::Report(ReportError::Empty) => td_string!(locale, errors.report_empty).to_string(),
        Refusal::Report(ReportError::NotText) => {
            td_string!(locale, errors.report_not_text).to_string()
        }
        Refusal::Report(ReportError::NoParticipantTable) => {
            td_string!(locale, errors.report_no_table).to_string()
        }
        Refusal::Report(ReportError::NoAttendees) => {
            td_string!(locale, errors.report_no_attendees).to_string()
        }
        Refusal::Submission(SubmissionRefusal::AwaitingReview) => {
            td_string!(locale, errors.awaiting_review).to_string()
        }
        Refusal::Submission(SubmissionRefusal::AlreadyAccepted) => {
            td_string!(locale, errors.already_accepted).to_string()
        }
        Refusal::Submission(SubmissionRefusal::NotOpenYet) => {
            td_string!(locale, errors.not_open_yet).to_string()
        }
        Refusal::Submission(SubmissionRefusal::NotAwaitingReview) => {
            td_string!(locale, errors.not_awaiting_review).to_string()
        }
        Refusal::Submission(SubmissionRefusal::DraftChanged) => {
            td_string!(locale, errors.draft_changed).to_string()
        }
        Refusal::Upload(UploadProblem::Empty) => td_string!(locale, errors.file_empty).to_string(),
        Refusal::Upload(UploadProblem::TooLarge { max_mb }) => {
            td_string!(locale, errors.file_too_large, max = max_mb).to_string()
        }
        Refusal::Upload(UploadProblem::TypeNotAllowed) => {
            td_string!(locale, errors.file_type).to_string()
        }
        Refusal::Quiz(refusal) => quiz_refusal_in(locale, refusal),
        Refusal::CertificateNotValid => {
            td_string!(locale, errors.certificate_not_valid).to_string()
        }
        Refusal::ActivityHasWork => td_string!(locale, errors.activity_has_work).to_string(),
        Refusal::ImportAlreadyApplied => {
            td_string!(locale, errors.import_already_applied).to_string()
        }
        Refusal::AlreadyDecided => td_string!(locale, errors.already_decided).to_string(),
        Refusal::AccountDeactivated => td_string!(locale, errors.account_deactivated).to_string(),
        Refusal::OwnAccount => td_string!(locale, errors.own_account).to_string(),
        Refusal::NameOnCertificate => td_string!(locale, errors.name_on_certificate).to_string(),
        Refusal::Link(LinkProblem::Unknown) => td_string!(locale, errors.link_unknown).to_string(),
        Refusal::Link(LinkProblem::Used) => td_string!(locale, errors.link_used).to_string(),
        Refusal::Link(LinkProblem::Expired) => td_string!(locale, errors.link_expired).to_string(),
        Refusal::SingleSignOn(problem) => sso_problem_in(locale, problem),
        Refusal::LastSignInMethod => td_string!(locale, errors.last_sign_in_method).to_string(),
        Refusal::RegistryFile(crate::domain::registry::FileProblem::Empty) => {
            td_string!(locale, errors.registry_empty).to_string()
        }
        Refusal::RegistryFile(crate::domain::registry::FileProblem::MissingColumns) => {
            td_string!(locale, errors.registry_columns).to_string()
        }
        Refusal::RegistryImportNotPreview => {
            td_string!(locale, errors.registry_not_preview).to_string()
        }
    }
}

/// Why a sign-in through a provider did not go through, and what to do.
pub fn sso_problem_in(locale: Locale, problem: crate::domain::sso::SsoProblem) -> String {
    use crate::domain::sso::SsoProblem;
    match problem {
        SsoProblem::State => td_string!(locale, sso.problem_state).to_string(),
        SsoProblem::Cancelled => td_string!(locale, sso.problem_cancelled).to_string(),
        SsoProblem::Code => td_string!(locale, sso.problem_code).to_string(),
        SsoProblem::Signature => td_string!(locale, sso.problem_signature).to_string(),
        SsoProblem::Issuer => td_string!(locale, sso.problem_issuer).to_string(),
        SsoProblem::Audience => td_string!(locale, sso.problem_audience).to_string(),
        SsoProblem::Expired => td_string!(locale, sso.problem_expired).to_string(),
        SsoProblem::Nonce => td_string!(locale, sso.problem_nonce).to_string(),
        SsoProblem::Unavailable => td_string!(locale, sso.problem_unavailable).to_string(),
        SsoProblem::NoEmail => td_string!(locale, sso.problem_no_email).to_string(),
        SsoProblem::TakenByOther => td_string!(locale, sso.problem_taken).to_string(),
        SsoProblem::AccountClosed => td_string!(locale, errors.account_deactivated).to_string(),
    }
}

pub fn quiz_refusal_in(locale: Locale, refusal: QuizRefusal) -> String {
    match refusal {
        QuizRefusal::Start(StartRefusal::NotOpenYet) => {
            td_string!(locale, errors.not_open_yet).to_string()
        }
        QuizRefusal::Start(StartRefusal::Closed) => {
            td_string!(locale, errors.quiz_closed).to_string()
        }
        QuizRefusal::Start(StartRefusal::NoAttemptsLeft) => {
            td_string!(locale, errors.no_attempts_left).to_string()
        }
        QuizRefusal::Start(StartRefusal::AttemptInProgress) => {
            td_string!(locale, errors.attempt_in_progress).to_string()
        }
        QuizRefusal::TooLate => td_string!(locale, errors.quiz_too_late).to_string(),
        QuizRefusal::AlreadySubmitted => td_string!(locale, errors.already_submitted).to_string(),
        QuizRefusal::NoQuestions => td_string!(locale, errors.no_questions).to_string(),
    }
}

pub fn edition_status_in(locale: Locale, status: EditionStatus) -> String {
    match status {
        EditionStatus::Draft => td_string!(locale, status.draft).to_string(),
        EditionStatus::Open => td_string!(locale, status.open).to_string(),
        EditionStatus::Running => td_string!(locale, status.running).to_string(),
        EditionStatus::Closed => td_string!(locale, status.closed).to_string(),
        EditionStatus::Archived => td_string!(locale, status.archived).to_string(),
    }
}

/// The label of the button that moves an edition to `status`.
pub fn edition_status_action_in(locale: Locale, status: EditionStatus) -> String {
    match status {
        EditionStatus::Draft => td_string!(locale, status.draft).to_string(),
        EditionStatus::Open => td_string!(locale, status.to_open).to_string(),
        EditionStatus::Running => td_string!(locale, status.to_running).to_string(),
        EditionStatus::Closed => td_string!(locale, status.to_closed).to_string(),
        EditionStatus::Archived => td_string!(locale, status.to_archived).to_string(),
    }
}

pub fn enrolment_status_in(locale: Locale, status: EnrolmentStatus) -> String {
    match status {
        EnrolmentStatus::Enrolled => td_string!(locale, enrolment.enrolled).to_string(),
        EnrolmentStatus::Waitlisted => td_string!(locale, enrolment.waitlisted).to_string(),
        EnrolmentStatus::Withdrawn => td_string!(locale, enrolment.withdrawn).to_string(),
    }
}

pub fn activity_kind_in(locale: Locale, kind: ActivityKind) -> String {
    match kind {
        ActivityKind::Material => td_string!(locale, kinds.material).to_string(),
        ActivityKind::Webinar => td_string!(locale, kinds.webinar).to_string(),
        ActivityKind::TaskSheet => td_string!(locale, kinds.task_sheet).to_string(),
        ActivityKind::DesignExercise => td_string!(locale, kinds.design_exercise).to_string(),
        ActivityKind::Quiz => td_string!(locale, kinds.quiz).to_string(),
    }
}

pub fn activity_state_in(locale: Locale, state: ActivityState) -> String {
    match state {
        ActivityState::ToDo => td_string!(locale, states.to_do).to_string(),
        ActivityState::Viewed => td_string!(locale, states.viewed).to_string(),
        ActivityState::Upcoming => td_string!(locale, states.upcoming).to_string(),
        ActivityState::Attended => td_string!(locale, states.attended).to_string(),
        ActivityState::TooShort => td_string!(locale, states.too_short).to_string(),
        ActivityState::Missed => td_string!(locale, states.missed).to_string(),
        ActivityState::WatchedRecording => td_string!(locale, states.watched_recording).to_string(),
        ActivityState::Submitted => td_string!(locale, states.submitted).to_string(),
        ActivityState::NeedsRevision => td_string!(locale, states.needs_revision).to_string(),
        ActivityState::Accepted => td_string!(locale, states.accepted).to_string(),
        ActivityState::Passed => td_string!(locale, states.passed).to_string(),
        ActivityState::Failed => td_string!(locale, states.failed).to_string(),
        ActivityState::InProgress => td_string!(locale, states.in_progress).to_string(),
    }
}

pub fn activity_kind(i18n: I18n, kind: ActivityKind) -> String {
    activity_kind_in(i18n.get_locale(), kind)
}

pub fn activity_state(i18n: I18n, state: ActivityState) -> String {
    activity_state_in(i18n.get_locale(), state)
}

/// Why an uploaded report was sent back.
pub fn upload_problem(i18n: I18n, outcome: Outcome) -> String {
    let locale = i18n.get_locale();
    match outcome {
        Outcome::EmptyReport => td_string!(locale, errors.report_empty).to_string(),
        Outcome::NotText => td_string!(locale, errors.report_not_text).to_string(),
        Outcome::NoTable => td_string!(locale, errors.report_no_table).to_string(),
        Outcome::NoAttendees => td_string!(locale, errors.report_no_attendees).to_string(),
        Outcome::TooLarge => td_string!(locale, errors.report_too_large).to_string(),
        _ => td_string!(locale, errors.report_missing).to_string(),
    }
}

pub fn submission_status_in(locale: Locale, status: SubmissionStatus) -> String {
    match status {
        SubmissionStatus::Draft => td_string!(locale, submissions.draft).to_string(),
        SubmissionStatus::Submitted => td_string!(locale, states.submitted).to_string(),
        SubmissionStatus::NeedsRevision => td_string!(locale, states.needs_revision).to_string(),
        SubmissionStatus::Accepted => td_string!(locale, states.accepted).to_string(),
    }
}

/// Labels of fields that are shown in several places (design exercise parts).
pub fn field_label_in(locale: Locale, field: Field) -> String {
    match field {
        Field::ProjectTitle => td_string!(locale, fields.project_title).to_string(),
        Field::AgeRange => td_string!(locale, fields.age_range).to_string(),
        Field::Subjects => td_string!(locale, fields.subjects).to_string(),
        Field::Objectives => td_string!(locale, fields.objectives).to_string(),
        Field::Activities => td_string!(locale, fields.activities).to_string(),
        Field::DigitalTools => td_string!(locale, fields.digital_tools).to_string(),
        Field::Evaluation => td_string!(locale, fields.evaluation).to_string(),
        _ => field.input_name().to_owned(),
    }
}

/// What happened to the work form, from the outcome the page was sent back with.
pub fn submission_outcome_in(locale: Locale, outcome: Outcome, max_mb: u32) -> String {
    match outcome {
        Outcome::Saved => td_string!(locale, submissions.saved).to_string(),
        Outcome::HandedIn => td_string!(locale, submissions.handed_in).to_string(),
        Outcome::Incomplete => td_string!(locale, submissions.incomplete).to_string(),
        Outcome::TooLarge => td_string!(locale, errors.file_too_large, max = max_mb).to_string(),
        Outcome::FileType => td_string!(locale, errors.file_type).to_string(),
        Outcome::EmptyFile => td_string!(locale, errors.file_empty).to_string(),
        Outcome::AwaitingReview => td_string!(locale, errors.awaiting_review).to_string(),
        Outcome::AlreadyAccepted => td_string!(locale, errors.already_accepted).to_string(),
        Outcome::NotOpenYet => td_string!(locale, errors.not_open_yet).to_string(),
        Outcome::Changed => td_string!(locale, errors.draft_changed).to_string(),
        Outcome::Invalid => td_string!(locale, submissions.invalid).to_string(),
        Outcome::Failed => td_string!(locale, errors.internal).to_string(),
        _ => td_string!(locale, errors.transport).to_string(),
    }
}

// Reactive forms for components: they follow the interface language.

pub fn submission_status(i18n: I18n, status: SubmissionStatus) -> String {
    submission_status_in(i18n.get_locale(), status)
}

pub fn field_label(i18n: I18n, field: Field) -> String {
    field_label_in(i18n.get_locale(), field)
}

pub fn submission_outcome(i18n: I18n, outcome: Outcome, max_mb: u32) -> String {
    submission_outcome_in(i18n.get_locale(), outcome, max_mb)
}

pub fn question_kind(i18n: I18n, kind: &str) -> String {
    let locale = i18n.get_locale();
    match kind {
        "single" => td_string!(locale, quiz.kind_single).to_string(),
        "multiple" => td_string!(locale, quiz.kind_multiple).to_string(),
        "true_false" => td_string!(locale, quiz.kind_true_false).to_string(),
        _ => td_string!(locale, quiz.kind_short).to_string(),
    }
}

pub fn refusal(i18n: I18n, refusal: Refusal) -> String {
    refusal_in(i18n.get_locale(), refusal)
}

pub fn problem(i18n: I18n, problem: Problem) -> String {
    problem_in(i18n.get_locale(), problem)
}

pub fn error(i18n: I18n, error: &AppError) -> String {
    error_in(i18n.get_locale(), error)
}

pub fn edition_status(i18n: I18n, status: EditionStatus) -> String {
    edition_status_in(i18n.get_locale(), status)
}

pub fn edition_status_action(i18n: I18n, status: EditionStatus) -> String {
    edition_status_action_in(i18n.get_locale(), status)
}

pub fn enrolment_status(i18n: I18n, status: EnrolmentStatus) -> String {
    enrolment_status_in(i18n.get_locale(), status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_translated_with_their_numbers() {
        assert_eq!(
            problem_in(Locale::it, Problem::TooLong { max: 80 }),
            "Al massimo 80 caratteri."
        );
        assert_eq!(
            problem_in(Locale::en, Problem::PasswordTooShort { min: 8 }),
            "The password must have at least 8 characters."
        );
    }

    #[test]
    fn errors_are_translated() {
        assert_eq!(
            error_in(Locale::en, &AppError::NotAllowed),
            "You are not allowed to do this."
        );
        assert_eq!(
            error_in(
                Locale::it,
                &AppError::TooManyAttempts {
                    retry_after_secs: 30
                }
            ),
            "Troppi tentativi in poco tempo. Riprova tra 30 secondi."
        );
    }
}
