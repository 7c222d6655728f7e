//! What can be wrong with a field of a form. The UI translates each variant; the server
//! returns them all at once so a user fixes a form in one go.

use serde::{Deserialize, Serialize};

/// A form field. Serialised with the same name as the form input it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Email,
    GivenName,
    FamilyName,
    SchoolName,
    SchoolCode,
    TaxCode,
    Password,
    Code,
    Title,
    Description,
    WorkloadHours,
    EnrolmentOpensOn,
    EnrolmentClosesOn,
    StartsOn,
    EndsOn,
    Capacity,
    Kind,
    OpensAt,
    DueAt,
    EstimatedHours,
    Url,
    Body,
    StartsAt,
    DurationMinutes,
    RecordingUrl,
    Name,
    GroupSize,
    Minutes,
    Decision,
    Feedback,
    ProjectTitle,
    AgeRange,
    Subjects,
    Objectives,
    Activities,
    DigitalTools,
    Evaluation,
    PassPercent,
    MaxAttempts,
    TimeLimitMinutes,
    MinMinutes,
    Webinars,
    TaskSheets,
    MinPercent,
    Hours,
    ConfirmsWebinar,
    ReviewPolicy,
    Prompt,
    Points,
    Options,
    Accepted,
    Reason,
    /// Why a certificate is revoked, in a few words anyone may read.
    Category,
    SignatoryName,
    SignatoryRole,
    Languages,
    /// Staff confirm giving someone the ambassador role.
    GrantRole,
    /// The password asked before changing the password or the address.
    CurrentPassword,
}

impl Field {
    /// The `name` of the form input this field comes from.
    pub fn input_name(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::GivenName => "given_name",
            Field::FamilyName => "family_name",
            Field::SchoolName => "school_name",
            Field::SchoolCode => "school_code",
            Field::TaxCode => "tax_code",
            Field::Password => "password",
            Field::Code => "code",
            Field::Title => "title",
            Field::Description => "description",
            Field::WorkloadHours => "workload_hours",
            Field::EnrolmentOpensOn => "enrolment_opens_on",
            Field::EnrolmentClosesOn => "enrolment_closes_on",
            Field::StartsOn => "starts_on",
            Field::EndsOn => "ends_on",
            Field::Capacity => "capacity",
            Field::Kind => "kind",
            Field::OpensAt => "opens_at",
            Field::DueAt => "due_at",
            Field::EstimatedHours => "estimated_hours",
            Field::Url => "url",
            Field::Body => "body",
            Field::StartsAt => "starts_at",
            Field::DurationMinutes => "duration_minutes",
            Field::RecordingUrl => "recording_url",
            Field::Name => "name",
            Field::GroupSize => "size",
            Field::Minutes => "minutes",
            Field::Decision => "decision",
            Field::Feedback => "feedback",
            Field::ProjectTitle => "project_title",
            Field::AgeRange => "age_range",
            Field::Subjects => "subjects",
            Field::Objectives => "objectives",
            Field::Activities => "activities",
            Field::DigitalTools => "digital_tools",
            Field::Evaluation => "evaluation",
            Field::PassPercent => "pass_percent",
            Field::MaxAttempts => "max_attempts",
            Field::TimeLimitMinutes => "time_limit_minutes",
            Field::MinMinutes => "min_minutes",
            Field::Webinars => "webinars",
            Field::TaskSheets => "task_sheets",
            Field::MinPercent => "min_percent",
            Field::Hours => "hours",
            Field::ConfirmsWebinar => "confirms_webinar",
            Field::ReviewPolicy => "review_policy",
            Field::Prompt => "prompt",
            Field::Points => "points",
            Field::Options => "options",
            Field::Accepted => "accepted",
            Field::Reason => "reason",
            Field::Category => "category",
            Field::SignatoryName => "signatory_name",
            Field::SignatoryRole => "signatory_role",
            Field::Languages => "languages",
            Field::GrantRole => "grant_role",
            Field::CurrentPassword => "current_password",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    TooLong {
        max: u32,
    },
    ControlCharacters,
    EmailInvalid,
    EmailTaken,
    SchoolCodeInvalid,
    /// Not a tax code: wrong length or layout, or the check character does not fit.
    TaxCodeInvalid,
    PasswordTooShort {
        min: u32,
    },
    PasswordTooLong {
        max: u32,
    },
    PasswordCommon,
    PasswordLikeEmail,
    CourseCodeInvalid,
    CourseCodeTaken,
    NotAWholeNumber,
    OutOfRange {
        min: i64,
        max: i64,
    },
    DateInvalid,
    ClosesBeforeOpens,
    EndsBeforeStarts,
    EnrolmentClosesAfterEnd,
    NotANumber,
    UrlInvalid,
    DueBeforeOpens,
    LinkOrPageRequired,
    FeedbackRequired,
    TextOrFileRequired,
    OneCorrectOption,
    SomeCorrectOption,
    TooFewOptions,
    AcceptedAnswerRequired,
    /// Fewer task sheets required than those named as required.
    FewerThanNamed,
    /// No account has this address.
    NoSuchAccount,
    /// Giving someone a role needs a confirmation.
    RoleNotConfirmed,
    /// The current password, asked before a change, is not the account's.
    PasswordWrong,
    /// A change of address to the address the account already has.
    SameEmail,
    /// A correction that spells the name as it is already.
    SameName,
    /// A decision for the people chosen in a list, and nobody was chosen.
    NoneSelected,
    /// More items than one request may carry.
    TooMany {
        max: u32,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: Field,
    pub problem: Problem,
}

impl FieldProblem {
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }
}

/// Collects the problems of a whole form while each field is parsed.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldProblem>);

impl Problems {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the parsed value, or records why it could not be parsed.
    pub fn check<T>(&mut self, field: Field, parsed: Result<T, Problem>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.0.push(FieldProblem::new(field, problem));
                None
            }
        }
    }

    pub fn push(&mut self, field: Field, problem: Problem) {
        self.0.push(FieldProblem::new(field, problem));
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_vec(self) -> Vec<FieldProblem> {
        self.0
    }
}
