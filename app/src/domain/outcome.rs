//! What a plain form's route tells the page it sends the browser back to. Forms that carry a
//! file (submissions, attendance reports, the certificate logo) and the quiz form (which works without
//! JavaScript) are answered with a redirect whose address holds one code, `?work=handed_in`:
//! the route writes it and the page reads it, both from these two enums.

/// Which form the code is about: the query key it travels under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Submission,
    Quiz,
    Report,
    Logo,
}

impl Form {
    pub fn key(self) -> &'static str {
        match self {
            Form::Submission => "submission",
            Form::Quiz => "quiz",
            Form::Report => "report",
            Form::Logo => "logo",
        }
    }
}

/// What became of a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Kept (a draft, the logo).
    Saved,
    HandedIn,
    /// Kept as a draft, not handed in: something is missing.
    Incomplete,
    /// A field was refused.
    Invalid,
    Removed,
    Submitted,
    /// The form came without its file.
    Missing,
    /// The form could not be read at all.
    Unreadable,
    TooLarge,
    EmptyFile,
    FileType,
    NotPng,
    TooManyPixels,
    /// An attendance report with nothing in it, not text, without a participants' table, or
    /// without anybody in the table.
    EmptyReport,
    NotText,
    NoTable,
    NoAttendees,
    AwaitingReview,
    AlreadyAccepted,
    NotOpenYet,
    /// Another tab or a second click changed the draft meanwhile.
    Changed,
    TooLate,
    AlreadySubmitted,
    /// Something went wrong on the server: try again.
    Failed,
}

impl Outcome {
    const ALL: [Outcome; 24] = [
        Outcome::Saved,
        Outcome::HandedIn,
        Outcome::Incomplete,
        Outcome::Invalid,
        Outcome::Removed,
        Outcome::Submitted,
        Outcome::Missing,
        Outcome::Unreadable,
        Outcome::TooLarge,
        Outcome::EmptyFile,
        Outcome::FileType,
        Outcome::NotPng,
        Outcome::TooManyPixels,
        Outcome::EmptyReport,
        Outcome::NotText,
        Outcome::NoTable,
        Outcome::NoAttendees,
        Outcome::AwaitingReview,
        Outcome::AlreadyAccepted,
        Outcome::NotOpenYet,
        Outcome::Changed,
        Outcome::TooLate,
        Outcome::AlreadySubmitted,
        Outcome::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Saved => "saved",
            Outcome::HandedIn => "handed_in",
            Outcome::Incomplete => "incomplete",
            Outcome::Invalid => "invalid",
            Outcome::Removed => "removed",
            Outcome::Submitted => "submitted",
            Outcome::Missing => "missing",
            Outcome::Unreadable => "unreadable",
            Outcome::TooLarge => "too_large",
            Outcome::EmptyFile => "empty_file",
            Outcome::FileType => "file_type",
            Outcome::NotPng => "not_png",
            Outcome::TooManyPixels => "too_many_pixels",
            Outcome::EmptyReport => "empty",
            Outcome::NotText => "not_text",
            Outcome::NoTable => "no_table",
            Outcome::NoAttendees => "no_attendees",
            Outcome::AwaitingReview => "awaiting_review",
            Outcome::AlreadyAccepted => "accepted",
            Outcome::NotOpenYet => "not_open",
            Outcome::Changed => "changed",
            Outcome::TooLate => "too_late",
            Outcome::AlreadySubmitted => "already",
            Outcome::Failed => "failed",
        }
    }

    /// The outcome a code stands for; anything else in the address is ignored.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Whether the page shows it as a success.
    pub fn is_success(self) -> bool {
        matches!(
            self,
            Outcome::Saved | Outcome::HandedIn | Outcome::Removed | Outcome::Submitted
        )
    }

    /// The query that carries this outcome of `form` (`submission=handed_in`).
    pub fn query(self, form: Form) -> String {
        format!("{}={}", form.key(), self.code())
    }
}

impl From<crate::domain::submissions::UploadProblem> for Outcome {
    fn from(problem: crate::domain::submissions::UploadProblem) -> Self {
        use crate::domain::submissions::UploadProblem;
        match problem {
            UploadProblem::Empty => Outcome::EmptyFile,
            UploadProblem::TooLarge { .. } => Outcome::TooLarge,
            UploadProblem::TypeNotAllowed => Outcome::FileType,
        }
    }
}

impl From<crate::domain::attendance::report::ReportError> for Outcome {
    fn from(problem: crate::domain::attendance::report::ReportError) -> Self {
        use crate::domain::attendance::report::ReportError;
        match problem {
            ReportError::Empty => Outcome::EmptyReport,
            ReportError::NotText => Outcome::NotText,
            ReportError::NoParticipantTable => Outcome::NoTable,
            ReportError::NoAttendees => Outcome::NoAttendees,
        }
    }
}

impl From<crate::domain::submissions::SubmissionRefusal> for Outcome {
    fn from(refusal: crate::domain::submissions::SubmissionRefusal) -> Self {
        use crate::domain::submissions::SubmissionRefusal;
        match refusal {
            SubmissionRefusal::AwaitingReview => Outcome::AwaitingReview,
            SubmissionRefusal::AlreadyAccepted => Outcome::AlreadyAccepted,
            SubmissionRefusal::NotOpenYet => Outcome::NotOpenYet,
            _ => Outcome::Changed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_its_outcome() {
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::parse(outcome.code()), Some(outcome));
        }
        let mut codes: Vec<&str> = Outcome::ALL.iter().map(|o| o.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Outcome::ALL.len(), "codes are unique");
    }

    #[test]
    fn anything_else_in_the_address_is_ignored() {
        assert_eq!(Outcome::parse("<script>"), None);
        assert_eq!(Outcome::parse(""), None);
        assert_eq!(
            Outcome::HandedIn.query(Form::Submission),
            "submission=handed_in".to_owned()
        );
    }
}
