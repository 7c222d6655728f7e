//! Work handed in for task sheets and design exercises: versions, drafts, reviews, and the
//! files that come with them (checked by their content, never by their name).

use super::activities::ActivityState;
use super::problem::Problems;
use super::{Field, FieldProblem, Problem, text};
use serde::{Deserialize, Serialize};

/// Where one version stands. A participant has at most one draft, always the newest version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum SubmissionStatus {
    Draft,
    Submitted,
    NeedsRevision,
    Accepted,
}

impl SubmissionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Draft => "draft",
            SubmissionStatus::Submitted => "submitted",
            SubmissionStatus::NeedsRevision => "needs_revision",
            SubmissionStatus::Accepted => "accepted",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        [
            SubmissionStatus::Draft,
            SubmissionStatus::Submitted,
            SubmissionStatus::NeedsRevision,
            SubmissionStatus::Accepted,
        ]
        .into_iter()
        .find(|s| s.as_str() == input)
    }
}

/// The participant's state for the activity, from the newest version that was handed in.
pub fn state_of(latest_sent: Option<SubmissionStatus>) -> ActivityState {
    match latest_sent {
        Some(SubmissionStatus::Submitted) => ActivityState::Submitted,
        Some(SubmissionStatus::NeedsRevision) => ActivityState::NeedsRevision,
        Some(SubmissionStatus::Accepted) => ActivityState::Accepted,
        Some(SubmissionStatus::Draft) | None => ActivityState::ToDo,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubmissionRefusal {
    /// The last version is waiting for its review.
    AwaitingReview,
    AlreadyAccepted,
    NotOpenYet,
    /// A review was asked of a version that is not waiting for one (already reviewed, or
    /// replaced by a newer version).
    NotAwaitingReview,
    /// A draft was changed in another tab since this one loaded it.
    DraftChanged,
}

/// Whether the participant may work on a new version (save a draft or hand it in).
pub fn may_write_version(latest_sent: Option<SubmissionStatus>) -> Result<(), SubmissionRefusal> {
    match latest_sent {
        Some(SubmissionStatus::Submitted) => Err(SubmissionRefusal::AwaitingReview),
        Some(SubmissionStatus::Accepted) => Err(SubmissionRefusal::AlreadyAccepted),
        _ => Ok(()),
    }
}

/// A reviewer's verdict on one version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Revise,
}

impl Decision {
    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "accept" => Some(Decision::Accept),
            "revise" => Some(Decision::Revise),
            _ => None,
        }
    }

    pub fn status(self) -> SubmissionStatus {
        match self {
            Decision::Accept => SubmissionStatus::Accepted,
            Decision::Revise => SubmissionStatus::NeedsRevision,
        }
    }
}

pub const MAX_FEEDBACK: u32 = 10_000;

/// The feedback that goes with a decision: a revision must say what to change.
pub fn parse_review(
    decision: &str,
    feedback: &str,
) -> Result<(Decision, String), Vec<FieldProblem>> {
    let mut problems = Problems::new();
    let decision = problems.check(
        Field::Decision,
        Decision::parse(decision).ok_or(Problem::Required),
    );
    let feedback = problems.check(Field::Feedback, text::multi_line(feedback, MAX_FEEDBACK));
    if let (Some(Decision::Revise), Some(feedback)) = (decision, &feedback)
        && feedback.is_empty()
    {
        problems.push(Field::Feedback, Problem::FeedbackRequired);
    }
    match (decision, feedback) {
        (Some(decision), Some(feedback)) if problems.is_empty() => Ok((decision, feedback)),
        _ => Err(problems.into_vec()),
    }
}

pub const MAX_TEXT: u32 = 50_000;

/// A design exercise as typed. Drafts keep whatever was typed; a submission needs every part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Design {
    #[serde(default)]
    pub project_title: String,
    #[serde(default)]
    pub age_range: String,
    #[serde(default)]
    pub subjects: String,
    #[serde(default)]
    pub objectives: String,
    #[serde(default)]
    pub activities: String,
    #[serde(default)]
    pub digital_tools: String,
    #[serde(default)]
    pub evaluation: String,
}

impl Design {
    fn parts(&self) -> [(Field, &str, u32); 7] {
        [
            (Field::ProjectTitle, self.project_title.as_str(), 200),
            (Field::AgeRange, self.age_range.as_str(), 100),
            (Field::Subjects, self.subjects.as_str(), 500),
            (Field::Objectives, self.objectives.as_str(), 10_000),
            (Field::Activities, self.activities.as_str(), 10_000),
            (Field::DigitalTools, self.digital_tools.as_str(), 5_000),
            (Field::Evaluation, self.evaluation.as_str(), 10_000),
        ]
    }

    /// Cleans every part; `complete` also requires each one (for handing it in).
    pub fn parse(&self, complete: bool) -> Result<Design, Vec<FieldProblem>> {
        let mut problems = Problems::new();
        let mut cleaned: Vec<String> = Vec::with_capacity(7);
        for (field, value, max) in self.parts() {
            let parsed = match field {
                Field::ProjectTitle | Field::AgeRange if complete => text::single_line(value, max),
                Field::ProjectTitle | Field::AgeRange => text::multi_line(value, max)
                    .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" ")),
                _ => text::multi_line(value, max),
            };
            match problems.check(field, parsed) {
                Some(v) if complete && v.is_empty() => problems.push(field, Problem::Required),
                Some(v) => cleaned.push(v),
                None => {}
            }
        }
        if !problems.is_empty() {
            return Err(problems.into_vec());
        }
        let mut parts = cleaned.into_iter();
        let mut next = || parts.next().unwrap_or_default();
        Ok(Design {
            project_title: next(),
            age_range: next(),
            subjects: next(),
            objectives: next(),
            activities: next(),
            digital_tools: next(),
            evaluation: next(),
        })
    }
}

/// The kinds of file a participant may attach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileType {
    Pdf,
    Docx,
    Odt,
    Png,
    Jpeg,
}

impl FileType {
    pub const ALL: [FileType; 5] = [
        FileType::Pdf,
        FileType::Docx,
        FileType::Odt,
        FileType::Png,
        FileType::Jpeg,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Pdf => "pdf",
            FileType::Docx => "docx",
            FileType::Odt => "odt",
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileType::Odt => "application/vnd.oasis.opendocument.text",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
        }
    }

    /// How the type is named to people.
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Docx => "Word (.docx)",
            FileType::Odt => "OpenDocument (.odt)",
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
        }
    }

    /// For a file field's `accept`: the extensions a file of this type may carry.
    pub fn accept(self) -> &'static str {
        match self {
            FileType::Pdf => ".pdf",
            FileType::Docx => ".docx",
            FileType::Odt => ".odt",
            FileType::Png => ".png",
            FileType::Jpeg => ".jpg,.jpeg",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.extension() == input)
    }

    /// What the bytes are, whatever the file is called.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(FileType::Png)
        } else if bytes.starts_with(b"\xFF\xD8\xFF") {
            Some(FileType::Jpeg)
        } else if bytes.starts_with(b"PK\x03\x04") {
            // OpenDocument stores its type uncompressed as the first entry; a Word document
            // names its parts under `word/`.
            if contains(
                bytes.get(..200).unwrap_or(bytes),
                b"application/vnd.oasis.opendocument.text",
            ) {
                Some(FileType::Odt)
            } else if contains(bytes, b"word/document.xml") {
                Some(FileType::Docx)
            } else {
                None
            }
        } else {
            None
        }
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadProblem {
    Empty,
    TooLarge { max_mb: u32 },
    TypeNotAllowed,
}

/// The file types a list such as `pdf, docx, jpg` names (`jpeg` is taken for `jpg`); the
/// first unknown name is the error.
pub fn parse_file_types(list: &str) -> Result<Vec<FileType>, String> {
    let mut types = Vec::new();
    for name in list
        .split(',')
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
    {
        let name = if name == "jpeg" {
            "jpg".to_owned()
        } else {
            name
        };
        let kind = FileType::parse(&name).ok_or(name)?;
        if !types.contains(&kind) {
            types.push(kind);
        }
    }
    Ok(types)
}

/// Checks an uploaded file by its content and size, against the allowed types.
pub fn check_file(
    bytes: &[u8],
    max_bytes: usize,
    allowed: &[FileType],
) -> Result<FileType, UploadProblem> {
    if bytes.is_empty() {
        return Err(UploadProblem::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(UploadProblem::TooLarge {
            max_mb: (max_bytes / (1024 * 1024)) as u32,
        });
    }
    FileType::sniff(bytes)
        .filter(|kind| allowed.contains(kind))
        .ok_or(UploadProblem::TypeNotAllowed)
}

/// The name to show for an uploaded file: the last part of what the browser sent, without
/// control characters or path separators, with the extension of what the file really is.
pub fn display_name(sent: &str, kind: FileType) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|'))
        .take(120)
        .collect();
    let stem = cleaned
        .rsplit_once('.')
        .map(|(stem, _)| stem)
        .unwrap_or(&cleaned)
        .trim()
        .trim_matches('.');
    let stem = if stem.is_empty() { "file" } else { stem };
    format!("{stem}.{}", kind.extension())
}

/// A `Content-Disposition` that always downloads and survives any name (RFC 6266 / 5987).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.as_bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-' | b'_') {
            encoded.push(*byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_state_follows_the_newest_version_handed_in() {
        assert_eq!(state_of(None), ActivityState::ToDo);
        assert_eq!(state_of(Some(SubmissionStatus::Draft)), ActivityState::ToDo);
        assert_eq!(
            state_of(Some(SubmissionStatus::Submitted)),
            ActivityState::Submitted
        );
        assert_eq!(
            state_of(Some(SubmissionStatus::NeedsRevision)),
            ActivityState::NeedsRevision
        );
        assert_eq!(
            state_of(Some(SubmissionStatus::Accepted)),
            ActivityState::Accepted
        );
        for status in ["draft", "submitted", "needs_revision", "accepted"] {
            assert_eq!(SubmissionStatus::parse(status).unwrap().as_str(), status);
        }
        assert_eq!(SubmissionStatus::parse("nope"), None);
    }

    #[test]
    fn a_new_version_only_when_nothing_waits_and_nothing_is_accepted() {
        assert_eq!(may_write_version(None), Ok(()));
        assert_eq!(
            may_write_version(Some(SubmissionStatus::NeedsRevision)),
            Ok(())
        );
        assert_eq!(
            may_write_version(Some(SubmissionStatus::Submitted)),
            Err(SubmissionRefusal::AwaitingReview)
        );
        assert_eq!(
            may_write_version(Some(SubmissionStatus::Accepted)),
            Err(SubmissionRefusal::AlreadyAccepted)
        );
    }

    #[test]
    fn a_revision_needs_feedback_an_acceptance_does_not() {
        assert_eq!(
            parse_review("accept", "  "),
            Ok((Decision::Accept, String::new()))
        );
        assert_eq!(
            parse_review("revise", "Manca la rubrica\r\ndi valutazione"),
            Ok((Decision::Revise, "Manca la rubrica\ndi valutazione".into()))
        );
        assert_eq!(
            parse_review("revise", " "),
            Err(vec![FieldProblem::new(
                Field::Feedback,
                Problem::FeedbackRequired
            )])
        );
        assert_eq!(
            parse_review("maybe", "ok"),
            Err(vec![FieldProblem::new(Field::Decision, Problem::Required)])
        );
    }

    #[test]
    fn a_design_is_complete_only_with_every_part() {
        let full = Design {
            project_title: "  Il  nostro   giardino ".into(),
            age_range: "8-10".into(),
            subjects: "Scienze, italiano".into(),
            objectives: "Osservare le stagioni".into(),
            activities: "Diario condiviso\r\ncon la scuola partner".into(),
            digital_tools: "TwinSpace, Padlet".into(),
            evaluation: "Rubrica".into(),
        };
        let parsed = full.parse(true).unwrap();
        assert_eq!(parsed.project_title, "Il nostro giardino");
        assert_eq!(parsed.activities, "Diario condiviso\ncon la scuola partner");

        let partial = Design {
            project_title: "Bozza".into(),
            ..Default::default()
        };
        assert!(partial.parse(false).is_ok(), "a draft may be incomplete");
        let problems = partial.parse(true).unwrap_err();
        assert_eq!(problems.len(), 6);
        assert!(problems.iter().all(|p| p.problem == Problem::Required));
        assert!(!problems.iter().any(|p| p.field == Field::ProjectTitle));

        let bad = Design {
            project_title: "x".repeat(201),
            objectives: "a\u{0}b".into(),
            ..full
        };
        let problems = bad.parse(false).unwrap_err();
        assert!(problems.contains(&FieldProblem::new(
            Field::ProjectTitle,
            Problem::TooLong { max: 200 }
        )));
        assert!(problems.contains(&FieldProblem::new(
            Field::Objectives,
            Problem::ControlCharacters
        )));
    }

    #[test]
    fn files_are_recognised_by_content_not_by_name() {
        assert_eq!(FileType::sniff(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(
            FileType::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(FileType::Png)
        );
        assert_eq!(
            FileType::sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
            Some(FileType::Jpeg)
        );
        let mut odt = b"PK\x03\x04".to_vec();
        odt.extend_from_slice(&[0; 26]);
        odt.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.text");
        assert_eq!(FileType::sniff(&odt), Some(FileType::Odt));
        let mut docx = b"PK\x03\x04".to_vec();
        docx.extend_from_slice(&[0; 300]);
        docx.extend_from_slice(b"word/document.xml");
        assert_eq!(FileType::sniff(&docx), Some(FileType::Docx));
        // A zip that is neither, an executable, a script and HTML pretending to be a PDF.
        assert_eq!(FileType::sniff(b"PK\x03\x04other.txt"), None);
        assert_eq!(FileType::sniff(b"MZ\x90\0"), None);
        assert_eq!(FileType::sniff(b"#!/bin/sh\nrm -rf /"), None);
        assert_eq!(FileType::sniff(b"<html><script>alert(1)</script>"), None);
    }

    #[test]
    fn uploads_are_checked_for_size_and_type() {
        let all = FileType::ALL;
        assert_eq!(check_file(b"", 100, &all), Err(UploadProblem::Empty));
        assert_eq!(
            check_file(&[b'%'; 3 * 1024 * 1024], 2 * 1024 * 1024, &all),
            Err(UploadProblem::TooLarge { max_mb: 2 })
        );
        assert_eq!(
            check_file(b"hello", 100, &all),
            Err(UploadProblem::TypeNotAllowed)
        );
        assert_eq!(check_file(b"%PDF-1.4", 100, &all), Ok(FileType::Pdf));
        // A real PDF is still refused where only images are allowed.
        assert_eq!(
            check_file(b"%PDF-1.4", 100, &[FileType::Png, FileType::Jpeg]),
            Err(UploadProblem::TypeNotAllowed)
        );
    }

    #[test]
    fn names_are_cleaned_and_follow_the_real_type() {
        assert_eq!(
            display_name("C:\\Users\\anna\\Scheda 1.pdf", FileType::Pdf),
            "Scheda 1.pdf"
        );
        assert_eq!(
            display_name("../../etc/passwd", FileType::Pdf),
            "passwd.pdf"
        );
        assert_eq!(display_name("virus.exe", FileType::Png), "virus.png");
        assert_eq!(display_name("\"<>.pdf", FileType::Pdf), "file.pdf");
        assert_eq!(
            display_name("Attività è già.docx", FileType::Docx),
            "Attività è già.docx"
        );
    }

    #[test]
    fn downloads_carry_a_safe_disposition() {
        let header = content_disposition("Attività \"1\".pdf");
        assert!(header.starts_with("attachment; filename=\"Attivit_ _1_.pdf\""));
        assert!(header.ends_with("filename*=UTF-8''Attivit%C3%A0%20%221%22.pdf"));
        assert!(!header.contains('\n'));
    }

    #[test]
    fn file_type_lists_are_read_strictly() {
        assert_eq!(
            parse_file_types("PDF, jpeg ,jpg,"),
            Ok(vec![FileType::Pdf, FileType::Jpeg])
        );
        assert_eq!(parse_file_types("pdf, exe"), Err("exe".to_owned()));
        assert_eq!(parse_file_types(""), Ok(vec![]));
    }
}
