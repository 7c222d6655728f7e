//! One error type that crosses the wire. Each variant says what went wrong in terms a user can
//! be told (the UI translates it); internal causes are logged on the server, never sent.

use crate::domain::{
    FieldProblem,
    enrolment::{EnrolRefusal, WithdrawRefusal},
    roles::RoleChangeRefusal,
};
use serde::{Deserialize, Serialize};
use server_fn_error::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    NotSignedIn,
    /// A state-changing request that did not come from one of our own pages.
    #[error("request from another site refused")]
    ForeignOrigin,
    #[error("not allowed")]
    NotAllowed,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldProblem>),
    #[error("wrong email or password")]
    WrongCredentials,
    #[error("too many attempts, retry in {retry_after_secs} s")]
    TooManyAttempts { retry_after_secs: u64 },
    #[error("refused: {0:?}")]
    Refused(Refusal),
    #[error("internal error")]
    Internal,
    /// The request or response could not be carried (network down, malformed arguments).
    #[error("transport: {0}")]
    Transport(String),
}

/// A request that is well-formed but not possible in the current state of things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    Enrol(EnrolRefusal),
    Withdraw(WithdrawRefusal),
    RoleChange(RoleChangeRefusal),
    /// The edition cannot move to that status from its current one.
    StatusTransition,
    /// A clone would put a date outside the calendar.
    CloneOutOfRange,
    /// Only people with the ambassador role can be a group's ambassador.
    NotAnAmbassador,
    /// Only staff and ambassadors speak at webinars.
    NotASpeaker,
    /// Catching up with a recording is not possible for this webinar (attended, not over,
    /// not allowed by the edition, or without a recording or a quiz to confirm it).
    CannotCatchUp,
    /// Saving the completion rule would change whether this many participants meet it: the
    /// page asks for a confirmation first.
    RuleChangesStatus {
        changed: u32,
    },
    /// An uploaded attendance report could not be read.
    Report(crate::domain::attendance::report::ReportError),
    Submission(crate::domain::submissions::SubmissionRefusal),
    /// An attached file was refused.
    Upload(crate::domain::submissions::UploadProblem),
    Quiz(QuizRefusal),
    /// The certificate is no longer valid (revoked or replaced meanwhile).
    CertificateNotValid,
    /// Participants have worked on the activity: it can be hidden, not deleted.
    ActivityHasWork,
    /// This attendance report was applied already (a second click, or the back button).
    ImportAlreadyApplied,
    /// Someone decided this already (another staff member, or a second click).
    AlreadyDecided,
    /// The account is closed: reopen it first.
    AccountDeactivated,
    /// Staff cannot deactivate their own account (nobody would be left to reopen it).
    OwnAccount,
    /// The name is printed on a valid certificate: it is corrected through staff.
    NameOnCertificate,
    /// A link sent by mail cannot be used (unknown, used, expired).
    Link(crate::domain::account_links::LinkProblem),
    /// A sign-in through a provider did not go through.
    SingleSignOn(crate::domain::sso::SsoProblem),
    /// The only way left to sign in to the account stays.
    LastSignInMethod,
    /// An uploaded registry file cannot be read at all.
    RegistryFile(crate::domain::registry::FileProblem),
    /// The registry file is not (or no longer) a preview: applied, discarded, or still read.
    RegistryImportNotPreview,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QuizRefusal {
    Start(crate::domain::quiz::StartRefusal),
    /// Answers arrived after the time limit or the closing time.
    TooLate,
    /// This attempt was already handed in (another tab, a second click).
    AlreadySubmitted,
    /// The quiz has no questions yet.
    NoQuestions,
}

impl AppError {
    pub fn invalid(problems: Vec<FieldProblem>) -> Self {
        AppError::Invalid(problems)
    }

    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotSignedIn | AppError::WrongCredentials => 401,
            AppError::ForeignOrigin | AppError::NotAllowed => 403,
            AppError::NotFound => 404,
            AppError::Invalid(_) => 422,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Refused(_) => 409,
            AppError::Transport(_) => 400,
            AppError::Internal => 500,
        }
    }

    /// The problems of one form field, if this error is about that field.
    pub fn problems_of(&self, field: crate::domain::Field) -> Vec<crate::domain::Problem> {
        match self {
            AppError::Invalid(problems) => problems
                .iter()
                .filter(|p| p.field == field)
                .map(|p| p.problem)
                .collect(),
            _ => Vec::new(),
        }
    }
}

mod server_fn_error {
    pub use leptos::server_fn::codec::JsonEncoding;
    pub use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = AppError::Transport(value.to_string());
        // On the server this means the request was malformed (missing or unreadable arguments):
        // answer 400, not the framework's 500.
        #[cfg(feature = "ssr")]
        crate::ssr::set_error_status(400);
        error
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        tracing::error!(error = %error, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(error: sea_orm::TransactionError<AppError>) -> Self {
        match error {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}
