use crate::domain::account::{AccountState, CorrectionStatus, RegistrationStatus};
use crate::domain::attendance::Source;
use crate::domain::audit::Action;
use crate::domain::certificates::RevocationCategory;
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::registration::RegistryMatch;
use crate::domain::submissions::SubmissionStatus;
use crate::error::AppError;
use crate::features::certificates::service::pdf_of;
use crate::features::submissions::service::stored_path;
use crate::i18n::{Locale, td_string};
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::entities::{
    activity, announcement, attendance, audit_event, calendar_feed, certificate,
    completion_override, course, edition, enrolment, group, group_ambassador, group_member,
    material_view, name_correction, quiz_attempt, recording_view, reply, session, sso_identity,
    submission, thread, user, webinar_speaker,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;

/// What the archive's JSON says about its shape, so a reader can tell versions apart.
const FORMAT: &str = "aula-personal-data/1";

/// The archive of the caller's own data: (file name, zip bytes).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn archive(state: &AppState, caller: &Caller) -> Result<(String, Vec<u8>), AppError> {
    let now = Utc::now();
    let data = collect(state, caller.id, now).await?;
    let mut files = Vec::new();
    for handed_in in &data.document.submissions {
        if let (Some(path), Some(key)) = (&handed_in.file, data.file_keys.get(&handed_in.id)) {
            // Keys are generated hex; anything else never reaches the file system.
            if !key.chars().all(|c| c.is_ascii_hexdigit()) {
                continue;
            }
            match tokio::fs::read(stored_path(state, key)).await {
                Ok(bytes) => files.push((path.clone(), bytes)),
                Err(error) => {
                    tracing::error!(%error, submission.id = handed_in.id, "a stored file is missing");
                }
            }
        }
    }
    for (path, record) in &data.certificates {
        files.push((path.clone(), pdf_of(state, record).await?));
    }
    let language: Locale = data.locale.parse().unwrap_or_default();
    let readme = td_string!(language, export.readme).to_string();
    let json = serde_json::to_vec_pretty(&data.document).map_err(|_| AppError::Internal)?;
    let bytes = tokio::task::spawn_blocking(move || zip(readme, json, files))
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|error| {
            tracing::error!(%error, "the export could not be packed");
            AppError::Internal
        })?;
    Ok((format!("aula-dati-{}.zip", now.date_naive()), bytes))
}

/// Names inside the archive (fixed, so a reader finds them whatever the person's language).
const DATA: &str = "dati.json";
const README: &str = "LEGGIMI.txt";
const WORK: &str = "consegne";
const CERTIFICATES: &str = "attestati";

fn zip(
    readme: String,
    json: Vec<u8>,
    files: Vec<(String, Vec<u8>)>,
) -> zip::result::ZipResult<Vec<u8>> {
    use zip::CompressionMethod::{Deflated, Stored};
    use zip::write::SimpleFileOptions;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let text = SimpleFileOptions::default().compression_method(Deflated);
    writer.start_file(README, text)?;
    writer.write_all(readme.as_bytes())?;
    writer.start_file(DATA, text)?;
    writer.write_all(&json)?;
    // PDFs and office files are compressed already.
    let binary = SimpleFileOptions::default().compression_method(Stored);
    for (path, bytes) in files {
        writer.start_file(path, binary)?;
        writer.write_all(&bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// A name safe inside a zip on every system: letters, digits, `.`, `-`, `_`; at most 80 chars.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_start_matches('.');
    let short: String = trimmed
        .chars()
        .rev()
        .take(80)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if short.is_empty() {
        "file".into()
    } else {
        short
    }
}

struct Collected {
    document: Document,
    locale: String,
    /// Submission id → stored file key (kept out of the JSON: it is Aula's, not the person's).
    file_keys: HashMap<i32, String>,
    /// Path in the archive → certificate record, for the valid ones.
    certificates: Vec<(String, certificate::Model)>,
}

#[derive(Serialize)]
struct Document {
    format: &'static str,
    exported_at: DateTime<Utc>,
    profile: Profile,
    sign_in_providers: Vec<Provider>,
    sessions: Vec<SignedInSession>,
    calendar_feed_created_at: Option<DateTime<Utc>>,
    name_corrections: Vec<NameCorrection>,
    enrolments: Vec<Enrolment>,
    groups_tutored: Vec<GroupRef>,
    webinars_presented: Vec<ActivityRef>,
    submissions: Vec<HandedIn>,
    quiz_attempts: Vec<QuizAttempt>,
    attendance: Vec<Attendance>,
    materials_viewed: Vec<Viewed>,
    recordings_watched: Vec<Viewed>,
    threads: Vec<Thread>,
    replies: Vec<Reply>,
    announcements: Vec<Announcement>,
    completion_decisions: Vec<CompletionDecision>,
    certificates: Vec<Certificate>,
    record_of_decisions: Vec<AuditEntry>,
}

#[derive(Serialize)]
struct Profile {
    id: i32,
    email: String,
    email_verified_at: Option<DateTime<Utc>>,
    given_name: String,
    family_name: String,
    school_name: String,
    school_code: String,
    school_region: Option<String>,
    school_level: Option<String>,
    tax_code: Option<String>,
    language: String,
    ambassador: bool,
    staff: bool,
    registration_status: RegistrationStatus,
    registration_reason: Option<String>,
    registration_decided_at: Option<DateTime<Utc>>,
    registry_match: Option<RegistryMatch>,
    account_state: AccountState,
    has_password: bool,
    created_at: DateTime<Utc>,
    last_sign_in_at: Option<DateTime<Utc>>,
    retention_warning_sent_at: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct Provider {
    provider: String,
    issuer: String,
    subject: String,
    email: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

#[derive(Serialize)]
struct SignedInSession {
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct NameCorrection {
    given_name: String,
    family_name: String,
    note: String,
    status: CorrectionStatus,
    requested_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
    decision_note: Option<String>,
}

#[derive(Serialize, Clone)]
struct EditionRef {
    edition_id: i32,
    edition: String,
    course: String,
}

#[derive(Serialize)]
struct Enrolment {
    #[serde(flatten)]
    edition: EditionRef,
    status: EnrolmentStatus,
    requested_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    group: Option<String>,
}

#[derive(Serialize)]
struct GroupRef {
    #[serde(flatten)]
    edition: Option<EditionRef>,
    group: String,
}

#[derive(Serialize, Clone)]
struct ActivityRef {
    activity_id: i32,
    activity: String,
    edition_id: Option<i32>,
}

#[derive(Serialize)]
struct HandedIn {
    id: i32,
    #[serde(flatten)]
    activity: ActivityRef,
    version: i32,
    status: SubmissionStatus,
    text: String,
    design: Option<serde_json::Value>,
    file_name: Option<String>,
    /// Where the file is in this archive.
    file: Option<String>,
    updated_at: DateTime<Utc>,
    handed_in_at: Option<DateTime<Utc>>,
    reviewed_at: Option<DateTime<Utc>>,
    feedback: Option<String>,
}

#[derive(Serialize)]
struct QuizAttempt {
    #[serde(flatten)]
    activity: ActivityRef,
    number: i32,
    started_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    answers: Option<serde_json::Value>,
    points: Option<i32>,
    max_points: Option<i32>,
    percent: Option<i32>,
    passed: Option<bool>,
}

#[derive(Serialize)]
struct Attendance {
    #[serde(flatten)]
    activity: ActivityRef,
    minutes: i32,
    source: Source,
    recorded_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Viewed {
    #[serde(flatten)]
    activity: ActivityRef,
    at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Thread {
    id: i32,
    group: Option<String>,
    title: String,
    text: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Reply {
    thread_id: i32,
    text: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Announcement {
    group: Option<String>,
    text: String,
    created_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct CompletionDecision {
    #[serde(flatten)]
    edition: Option<EditionRef>,
    met: bool,
    reason: String,
    set_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Certificate {
    code: String,
    name: String,
    course: String,
    edition: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    hours: i32,
    issued_on: NaiveDate,
    revoked_at: Option<DateTime<Utc>>,
    revocation_category: Option<RevocationCategory>,
    /// Where the PDF is in this archive (valid certificates only).
    file: Option<String>,
}

#[derive(Serialize)]
struct AuditEntry {
    at: DateTime<Utc>,
    action: &'static str,
    edition_id: Option<i32>,
    detail: String,
}

/// The actions of the audit log whose subject is a person (the others' is an activity).
fn about_a_person(action: Action) -> bool {
    !matches!(
        action,
        Action::ActivityHidden
            | Action::ActivityShown
            | Action::ActivityDeleted
            | Action::MailResent
    )
}

async fn collect(
    state: &AppState,
    user_id: i32,
    now: DateTime<Utc>,
) -> Result<Collected, AppError> {
    let db = &state.db;
    let person = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let providers = sso_identity::Entity::find()
        .filter(sso_identity::Column::UserId.eq(user_id))
        .order_by_asc(sso_identity::Column::Id)
        .all(db)
        .await?;
    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .order_by_asc(session::Column::CreatedAt)
        .all(db)
        .await?;
    let feed = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    let corrections = name_correction::Entity::find()
        .filter(name_correction::Column::UserId.eq(user_id))
        .order_by_asc(name_correction::Column::Id)
        .all(db)
        .await?;
    let enrolments = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(user_id))
        .order_by_asc(enrolment::Column::Id)
        .all(db)
        .await?;
    let memberships = group_member::Entity::find()
        .filter(group_member::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let tutored = group_ambassador::Entity::find()
        .filter(group_ambassador::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let presented = webinar_speaker::Entity::find()
        .filter(webinar_speaker::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let submissions = submission::Entity::find()
        .filter(submission::Column::UserId.eq(user_id))
        .order_by_asc(submission::Column::Id)
        .all(db)
        .await?;
    let attempts = quiz_attempt::Entity::find()
        .filter(quiz_attempt::Column::UserId.eq(user_id))
        .order_by_asc(quiz_attempt::Column::Id)
        .all(db)
        .await?;
    let attendance = attendance::Entity::find()
        .filter(attendance::Column::UserId.eq(user_id))
        .order_by_asc(attendance::Column::RecordedAt)
        .all(db)
        .await?;
    let materials = material_view::Entity::find()
        .filter(material_view::Column::UserId.eq(user_id))
        .order_by_asc(material_view::Column::ViewedAt)
        .all(db)
        .await?;
    let recordings = recording_view::Entity::find()
        .filter(recording_view::Column::UserId.eq(user_id))
        .order_by_asc(recording_view::Column::MarkedAt)
        .all(db)
        .await?;
    let threads = thread::Entity::find()
        .filter(thread::Column::AuthorId.eq(user_id))
        .order_by_asc(thread::Column::Id)
        .all(db)
        .await?;
    let replies = reply::Entity::find()
        .filter(reply::Column::AuthorId.eq(user_id))
        .order_by_asc(reply::Column::Id)
        .all(db)
        .await?;
    let announcements = announcement::Entity::find()
        .filter(announcement::Column::AuthorId.eq(user_id))
        .order_by_asc(announcement::Column::Id)
        .all(db)
        .await?;
    let overrides = completion_override::Entity::find()
        .filter(completion_override::Column::UserId.eq(user_id))
        .order_by_asc(completion_override::Column::Id)
        .all(db)
        .await?;
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::UserId.eq(user_id))
        .order_by_asc(certificate::Column::IssuedAt)
        .all(db)
        .await?;
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::SubjectId.eq(user_id))
        .order_by_asc(audit_event::Column::Id)
        .all(db)
        .await?;

    // The names of what the records point at, each looked up once.
    let activity_ids: BTreeSet<i32> = presented
        .iter()
        .map(|s| s.activity_id)
        .chain(submissions.iter().map(|s| s.activity_id))
        .chain(attempts.iter().map(|a| a.activity_id))
        .chain(attendance.iter().map(|a| a.activity_id))
        .chain(materials.iter().map(|v| v.activity_id))
        .chain(recordings.iter().map(|v| v.activity_id))
        .collect();
    let activities: HashMap<i32, activity::Model> = activity::Entity::find()
        .filter(activity::Column::Id.is_in(activity_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let group_ids: BTreeSet<i32> = memberships
        .iter()
        .map(|m| m.group_id)
        .chain(tutored.iter().map(|t| t.group_id))
        .chain(threads.iter().map(|t| t.group_id))
        .chain(announcements.iter().map(|a| a.group_id))
        .collect();
    let groups: HashMap<i32, group::Model> = group::Entity::find()
        .filter(group::Column::Id.is_in(group_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g))
        .collect();
    let edition_ids: BTreeSet<i32> = enrolments
        .iter()
        .map(|e| e.edition_id)
        .chain(groups.values().map(|g| g.edition_id))
        .chain(overrides.iter().map(|o| o.edition_id))
        .collect();
    let editions: HashMap<i32, edition::Model> = edition::Entity::find()
        .filter(edition::Column::Id.is_in(edition_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let course_ids: BTreeSet<i32> = editions.values().map(|e| e.course_id).collect();
    let courses: HashMap<i32, course::Model> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();

    let edition_ref = |id: i32| {
        editions.get(&id).map(|e| EditionRef {
            edition_id: id,
            edition: e.title.clone(),
            course: courses
                .get(&e.course_id)
                .map(|c| c.title.clone())
                .unwrap_or_default(),
        })
    };
    let activity_ref = |id: i32| ActivityRef {
        activity_id: id,
        activity: activities
            .get(&id)
            .map(|a| a.title.clone())
            .unwrap_or_default(),
        edition_id: activities.get(&id).map(|a| a.edition_id),
    };
    let group_name = |id: i32| groups.get(&id).map(|g| g.name.clone());
    let group_in: HashMap<i32, i32> = memberships
        .iter()
        .map(|m| (m.edition_id, m.group_id))
        .collect();

    let mut file_keys = HashMap::new();
    let mut handed_in = Vec::with_capacity(submissions.len());
    for s in submissions {
        let file = match (&s.file_key, &s.file_name) {
            (Some(key), name) => {
                file_keys.insert(s.id, key.clone());
                Some(format!(
                    "{WORK}/{}-v{}-{}",
                    s.id,
                    s.version,
                    safe_name(name.as_deref().unwrap_or("file"))
                ))
            }
            (None, _) => None,
        };
        handed_in.push(HandedIn {
            id: s.id,
            activity: activity_ref(s.activity_id),
            version: s.version,
            status: s.status,
            text: s.body,
            design: s.design.as_deref().map(json_or_text),
            file_name: s.file_name,
            file,
            updated_at: s.updated_at,
            handed_in_at: s.submitted_at,
            reviewed_at: s.reviewed_at,
            feedback: s.feedback,
        });
    }

    let mut printed = Vec::new();
    let certificates = certificates
        .into_iter()
        .map(|c| {
            let file = c.revoked_at.is_none().then(|| {
                let path = format!("{CERTIFICATES}/attestato-{}.pdf", safe_name(&c.code));
                printed.push((path.clone(), c.clone()));
                path
            });
            Certificate {
                code: c.code,
                name: c.name,
                course: c.course_title,
                edition: c.edition_title,
                starts_on: c.starts_on,
                ends_on: c.ends_on,
                hours: c.hours,
                issued_on: c.issued_on,
                revoked_at: c.revoked_at,
                revocation_category: c.revocation_category,
                file,
            }
        })
        .collect();

    let document = Document {
        format: FORMAT,
        exported_at: now,
        profile: Profile {
            id: person.id,
            email: person.email,
            email_verified_at: person.email_verified_at,
            given_name: person.given_name,
            family_name: person.family_name,
            school_name: person.school_name,
            school_code: person.school_code,
            school_region: person.school_region,
            school_level: person.school_level,
            tax_code: person.tax_code,
            language: person.locale.clone(),
            ambassador: person.is_ambassador,
            staff: person.is_staff,
            registration_status: person.registration_status,
            registration_reason: person.registration_reason,
            registration_decided_at: person.registration_decided_at,
            registry_match: person.registry_match,
            account_state: person.account_state,
            has_password: person.password_hash.is_some(),
            created_at: person.created_at,
            last_sign_in_at: person.last_login_at,
            retention_warning_sent_at: person.lifecycle_warned_at,
        },
        sign_in_providers: providers
            .into_iter()
            .map(|p| Provider {
                provider: p.provider,
                issuer: p.issuer,
                subject: p.subject,
                email: p.email,
                created_at: p.created_at,
                last_used_at: p.last_used_at,
            })
            .collect(),
        sessions: sessions
            .into_iter()
            .map(|s| SignedInSession {
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
            })
            .collect(),
        calendar_feed_created_at: feed.map(|f| f.created_at),
        name_corrections: corrections
            .into_iter()
            .map(|c| NameCorrection {
                given_name: c.given_name,
                family_name: c.family_name,
                note: c.note,
                status: c.status,
                requested_at: c.requested_at,
                decided_at: c.decided_at,
                decision_note: c.decision_note,
            })
            .collect(),
        enrolments: enrolments
            .into_iter()
            .filter_map(|e| {
                Some(Enrolment {
                    edition: edition_ref(e.edition_id)?,
                    status: e.status,
                    requested_at: e.requested_at,
                    updated_at: e.updated_at,
                    group: group_in.get(&e.edition_id).and_then(|g| group_name(*g)),
                })
            })
            .collect(),
        groups_tutored: tutored
            .iter()
            .filter_map(|t| {
                let g = groups.get(&t.group_id)?;
                Some(GroupRef {
                    edition: edition_ref(g.edition_id),
                    group: g.name.clone(),
                })
            })
            .collect(),
        webinars_presented: presented
            .iter()
            .map(|s| activity_ref(s.activity_id))
            .collect(),
        submissions: handed_in,
        quiz_attempts: attempts
            .into_iter()
            .map(|a| QuizAttempt {
                activity: activity_ref(a.activity_id),
                number: a.number,
                started_at: a.started_at,
                submitted_at: a.submitted_at,
                answers: a.answers.as_deref().map(json_or_text),
                points: a.points,
                max_points: a.max_points,
                percent: a.percent,
                passed: a.passed,
            })
            .collect(),
        attendance: attendance
            .into_iter()
            .map(|a| Attendance {
                activity: activity_ref(a.activity_id),
                minutes: a.minutes,
                source: a.source,
                recorded_at: a.recorded_at,
            })
            .collect(),
        materials_viewed: materials
            .into_iter()
            .map(|v| Viewed {
                activity: activity_ref(v.activity_id),
                at: v.viewed_at,
            })
            .collect(),
        recordings_watched: recordings
            .into_iter()
            .map(|v| Viewed {
                activity: activity_ref(v.activity_id),
                at: v.marked_at,
            })
            .collect(),
        threads: threads
            .into_iter()
            .map(|t| Thread {
                id: t.id,
                group: group_name(t.group_id),
                title: t.title,
                text: t.body,
                created_at: t.created_at,
            })
            .collect(),
        replies: replies
            .into_iter()
            .map(|r| Reply {
                thread_id: r.thread_id,
                text: r.body,
                created_at: r.created_at,
            })
            .collect(),
        announcements: announcements
            .into_iter()
            .map(|a| Announcement {
                group: group_name(a.group_id),
                text: a.body,
                created_at: a.created_at,
            })
            .collect(),
        completion_decisions: overrides
            .into_iter()
            .map(|o| CompletionDecision {
                edition: edition_ref(o.edition_id),
                met: o.met,
                reason: o.reason,
                set_at: o.set_at,
            })
            .collect(),
        certificates,
        record_of_decisions: audit
            .into_iter()
            .filter(|e| about_a_person(e.action))
            .map(|e| AuditEntry {
                at: e.at,
                action: e.action.as_str(),
                edition_id: e.edition_id,
                detail: e.detail,
            })
            .collect(),
    };
    Ok(Collected {
        document,
        locale: person.locale,
        file_keys,
        certificates: printed,
    })
}

/// Stored JSON (a design, quiz answers) as JSON; anything else as the text it is.
fn json_or_text(stored: &str) -> serde_json::Value {
    serde_json::from_str(stored).unwrap_or_else(|_| serde_json::Value::String(stored.to_owned()))
}
