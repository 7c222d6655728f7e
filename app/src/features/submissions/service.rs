use super::api::{AttachedFile, MySubmission, ReviewView, SubmissionReview, VersionView};
use crate::domain::activities::ActivityKind;
use crate::domain::submissions::{self, Design, FileType, SubmissionRefusal, SubmissionStatus};
use crate::domain::{Field, FieldProblem, Problem, text};
use crate::error::{AppError, Refusal};
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{names, to_local};
use crate::ssr::entities::{activity, group, submission};
use crate::ssr::scope::{self, InEdition, SubmissionInScope};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use std::path::PathBuf;

fn kind_of(model: &activity::Model) -> Option<ActivityKind> {
    Some(model.kind).filter(|k| matches!(k, ActivityKind::TaskSheet | ActivityKind::DesignExercise))
}

fn status_of(model: &submission::Model) -> SubmissionStatus {
    model.status
}

/// Every version by one participant for one activity, newest first.
async fn versions_of(
    db: &impl ConnectionTrait,
    activity_id: i32,
    user_id: i32,
) -> Result<Vec<submission::Model>, AppError> {
    Ok(submission::Entity::find()
        .filter(submission::Column::ActivityId.eq(activity_id))
        .filter(submission::Column::UserId.eq(user_id))
        .order_by_desc(submission::Column::Version)
        .all(db)
        .await?)
}

/// Work of `user_id` in these editions that came back for revision and was not handed in
/// again, as (edition, activity, activity title): the home page says so. The rule is
/// [`scope::still_sent_back`], asked per visible activity of the editions through the
/// `(activity, person)` index.
pub async fn sent_back_to(
    db: &impl ConnectionTrait,
    user_id: i32,
    editions: &[i32],
) -> Result<Vec<(i32, i32, String)>, AppError> {
    use sea_orm::QuerySelect;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    if editions.is_empty() {
        return Ok(Vec::new());
    }
    let theirs_sent_back = Query::select()
        .expr(Expr::val(1))
        .from(submission::Entity)
        .and_where(
            Expr::col((submission::Entity, submission::Column::ActivityId))
                .equals((activity::Entity, activity::Column::Id)),
        )
        .and_where(Expr::col((submission::Entity, submission::Column::UserId)).eq(user_id))
        .and_where(scope::still_sent_back())
        .to_owned();
    Ok(activity::Entity::find()
        .select_only()
        .column(activity::Column::EditionId)
        .column(activity::Column::Id)
        .column(activity::Column::Title)
        .filter(activity::Column::EditionId.is_in(editions.iter().copied()))
        .filter(activity::Column::Hidden.eq(false))
        .filter(Expr::exists(theirs_sent_back))
        .order_by_asc(activity::Column::Id)
        .into_tuple()
        .all(db)
        .await?)
}

fn latest_sent(versions: &[submission::Model]) -> Option<SubmissionStatus> {
    versions
        .iter()
        .map(status_of)
        .find(|s| *s != SubmissionStatus::Draft)
}

async fn views(
    db: &impl ConnectionTrait,
    activity: &activity::Model,
    versions: Vec<submission::Model>,
) -> Result<Vec<VersionView>, AppError> {
    let reviewers = names(db, versions.iter().filter_map(|v| v.reviewed_by)).await?;
    Ok(versions
        .into_iter()
        .map(|v| {
            let status = status_of(&v);
            let review = match (v.reviewed_by, v.reviewed_at) {
                (Some(by), Some(at)) => Some(ReviewView {
                    reviewer: reviewers.get(&by).cloned().unwrap_or_default(),
                    at: to_local(at),
                    feedback: v.feedback.clone().unwrap_or_default(),
                }),
                _ => None,
            };
            VersionView {
                id: v.id,
                version: v.version,
                status,
                design: v.design.as_deref().and_then(|d| serde_json::from_str(d).ok()),
                file: v.file_key.as_ref().map(|_| AttachedFile {
                    name: v.file_name.clone().unwrap_or_default(),
                    size_kb: (v.file_size.unwrap_or(0).max(0) + 1023) / 1024,
                    url: format!("/submissions/{}/file", v.id),
                }),
                late: matches!((v.submitted_at, activity.due_at), (Some(sent), Some(due)) if sent > due),
                submitted_at: v.submitted_at.map(to_local),
                body: v.body,
                review,
            }
        })
        .collect())
}

/// What a draft still lacks to be handed in.
fn missing(kind: ActivityKind, body: &str, design: &Design, has_file: bool) -> Vec<FieldProblem> {
    match kind {
        ActivityKind::DesignExercise => design.parse(true).err().unwrap_or_default(),
        _ if body.trim().is_empty() && !has_file => {
            vec![FieldProblem::new(Field::Body, Problem::TextOrFileRequired)]
        }
        _ => Vec::new(),
    }
}

fn design_of(model: &submission::Model) -> Design {
    model
        .design
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or_default()
}

/// The caller's own work on an activity; `None` for activities without work to hand in, and
/// for staff and ambassadors (who have none).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn my_submission(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<Option<MySubmission>, AppError> {
    let InEdition {
        object: activity,
        role,
        ..
    } = scope::activity(&state.db, caller, activity_id).await?;
    let (Some(kind), true) = (kind_of(&activity), role.is_participant()) else {
        return Ok(None);
    };
    let mut all = versions_of(&state.db, activity.id, caller.id).await?;
    let locked = submissions::may_write_version(latest_sent(&all)).err();
    let next_version = all.first().map(|v| v.version + 1).unwrap_or(1);
    let draft = match all.first() {
        Some(first) if status_of(first) == SubmissionStatus::Draft => Some(all.remove(0)),
        _ => None,
    };
    let (next_version, missing) = match &draft {
        Some(d) => (
            d.version,
            missing(kind, &d.body, &design_of(d), d.file_key.is_some()),
        ),
        None => (next_version, missing(kind, "", &Design::default(), false)),
    };
    let draft = match draft {
        Some(d) => views(&state.db, &activity, vec![d]).await?.pop(),
        None => None,
    };
    Ok(Some(MySubmission {
        activity_id: activity.id,
        kind,
        versions: views(&state.db, &activity, all).await?,
        draft,
        next_version,
        locked,
        missing,
        max_file_mb: (state.settings.upload_max_bytes / (1024 * 1024)) as u32,
        file_types: state.settings.upload_types.clone(),
    }))
}

/// The work form as the browser sends it (a multipart form, because of the file).
#[derive(Debug, Clone, Default)]
pub struct SubmissionForm {
    /// The version the form was showing: a second click on "hand in" finds it already sent.
    pub version: i32,
    pub hand_in: bool,
    pub body: String,
    pub design: Design,
    pub remove_file: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmissionSaved {
    Draft,
    HandedIn,
    /// Saved as a draft, but not handed in: something is missing.
    Incomplete,
}

pub fn stored_path(state: &AppState, key: &str) -> PathBuf {
    state.settings.upload_dir.join(key)
}

fn new_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn refused(refusal: SubmissionRefusal) -> AppError {
    AppError::Refused(Refusal::Submission(refusal))
}

/// The activity the caller may send a submission for (scope, then role): checked before the
/// form's body, and its file, is read.
pub async fn activity_to_submit(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<(activity::Model, ActivityKind), AppError> {
    let InEdition {
        object: activity,
        role,
        ..
    } = scope::activity(&state.db, caller, activity_id).await?;
    let kind = kind_of(&activity).ok_or(AppError::NotFound)?;
    if !role.is_participant() {
        return Err(AppError::NotAllowed);
    }
    Ok((activity, kind))
}

/// Saves the participant's draft, with a new file if one came, and hands it in when asked.
/// Nothing changes when the input or the file is refused.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn save_submission(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    form: SubmissionForm,
    file: Option<(String, Vec<u8>)>,
) -> Result<SubmissionSaved, AppError> {
    let (activity, kind) = activity_to_submit(state, caller, activity_id).await?;
    let now = Utc::now();
    if activity.opens_at.is_some_and(|opens| now < opens) {
        return Err(refused(SubmissionRefusal::NotOpenYet));
    }
    let body = text::multi_line(&form.body, submissions::MAX_TEXT)
        .map_err(|p| AppError::invalid(vec![FieldProblem::new(Field::Body, p)]))?;
    let design = form.design.parse(false).map_err(AppError::invalid)?;
    let upload = match file {
        Some((name, bytes)) => {
            let kind = submissions::check_file(
                &bytes,
                state.settings.upload_max_bytes,
                &state.settings.upload_types,
            )
            .map_err(|p| AppError::Refused(Refusal::Upload(p)))?;
            Some((submissions::display_name(&name, kind), kind, bytes))
        }
        None => None,
    };

    // The file goes to disk first, under a fresh name; it is removed again if the database
    // refuses the version.
    let file = match upload {
        Some((name, file_type, bytes)) => {
            let key = new_key();
            let path = stored_path(state, &key);
            tokio::fs::create_dir_all(&state.settings.upload_dir)
                .await
                .and(tokio::fs::write(&path, &bytes).await)
                .map_err(|error| {
                    tracing::error!(%error, "could not store an uploaded file");
                    AppError::Internal
                })?;
            Some(StoredFile {
                key,
                name,
                file_type,
                size: bytes.len() as i32,
            })
        }
        None => None,
    };
    let stored = file.as_ref().map(|f| f.key.clone());
    let content = Content { body, design, file };
    let result = write_version(state, caller, &activity, kind, form, content).await;
    match result {
        Ok((saved, replaced)) => {
            if let Some(old) = replaced {
                // The draft's previous file belonged to nobody else.
                tokio::fs::remove_file(stored_path(state, &old)).await.ok();
            }
            Ok(saved)
        }
        Err(error) => {
            if let Some(key) = stored {
                tokio::fs::remove_file(stored_path(state, &key)).await.ok();
            }
            Err(error)
        }
    }
}

/// A file handed in, already on disk under `key`.
struct StoredFile {
    key: String,
    name: String,
    file_type: FileType,
    size: i32,
}

/// What a participant sends for a version, checked: the text, the design, a new file.
struct Content {
    body: String,
    design: Design,
    file: Option<StoredFile>,
}

/// Writes the participant's draft, or hands it in; answers the outcome and the key of a file
/// the draft no longer holds.
async fn write_version(
    state: &AppState,
    caller: &Caller,
    activity: &activity::Model,
    kind: ActivityKind,
    form: SubmissionForm,
    content: Content,
) -> Result<(SubmissionSaved, Option<String>), AppError> {
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let all = versions_of(&txn, activity.id, caller.id).await?;
    let design_json = (kind == ActivityKind::DesignExercise)
        .then(|| serde_json::to_string(&content.design).unwrap_or_default());
    // A second click on "hand in": that version was already sent with this very content.
    if form.hand_in
        && let Some(sent) = all
            .iter()
            .find(|v| v.version == form.version && status_of(v) != SubmissionStatus::Draft)
        && sent.body == content.body
        && sent.design == design_json
        && content.file.is_none()
    {
        return Ok((SubmissionSaved::HandedIn, None));
    }
    submissions::may_write_version(latest_sent(&all)).map_err(refused)?;
    let draft = all
        .first()
        .filter(|v| status_of(v) == SubmissionStatus::Draft)
        .cloned();
    let version = draft
        .as_ref()
        .map(|d| d.version)
        .unwrap_or_else(|| all.first().map(|v| v.version + 1).unwrap_or(1));
    if form.version != version {
        return Err(refused(SubmissionRefusal::DraftChanged));
    }
    let (mut active, replaced) = match draft {
        Some(draft) => with_file(draft, content.file.as_ref(), form.remove_file),
        None => {
            let new = submission::ActiveModel {
                activity_id: Set(activity.id),
                user_id: Set(caller.id),
                version: Set(version),
                status: Set(SubmissionStatus::Draft),
                ..Default::default()
            };
            (attach(new, content.file.as_ref()), None)
        }
    };
    let has_file = match &active.file_key {
        sea_orm::ActiveValue::Set(key) | sea_orm::ActiveValue::Unchanged(key) => key.is_some(),
        sea_orm::ActiveValue::NotSet => false,
    };
    let lacking = missing(kind, &content.body, &content.design, has_file);
    active.body = Set(content.body);
    active.design = Set(design_json);
    active.updated_at = Set(now);
    let outcome = if !form.hand_in {
        SubmissionSaved::Draft
    } else if !lacking.is_empty() {
        SubmissionSaved::Incomplete
    } else {
        active.status = Set(SubmissionStatus::Submitted);
        active.submitted_at = Set(Some(now));
        SubmissionSaved::HandedIn
    };
    match active.save(&txn).await {
        Ok(_) => {}
        // Another tab created the same version a moment ago.
        Err(error) if error.sql_err().is_some() => {
            return Err(refused(SubmissionRefusal::DraftChanged));
        }
        Err(error) => return Err(error.into()),
    }
    txn.commit().await?;
    if outcome == SubmissionSaved::HandedIn {
        tracing::info!(
            user.id = caller.id,
            activity.id = activity.id,
            version,
            "submission handed in"
        );
    }
    Ok((outcome, replaced))
}

/// The draft with its file kept, replaced by `file`, or removed; answers the key of the file
/// it no longer holds.
fn with_file(
    draft: submission::Model,
    file: Option<&StoredFile>,
    remove_file: bool,
) -> (submission::ActiveModel, Option<String>) {
    let keep_file = file.is_none() && !remove_file;
    let replaced = if keep_file {
        None
    } else {
        draft.file_key.clone()
    };
    let mut active: submission::ActiveModel = draft.into();
    if !keep_file {
        active.file_key = Set(None);
        active.file_name = Set(None);
        active.file_type = Set(None);
        active.file_size = Set(None);
    }
    (attach(active, file), replaced)
}

fn attach(
    mut active: submission::ActiveModel,
    file: Option<&StoredFile>,
) -> submission::ActiveModel {
    if let Some(file) = file {
        active.file_key = Set(Some(file.key.clone()));
        active.file_name = Set(Some(file.name.clone()));
        active.file_type = Set(Some(file.file_type.extension().to_owned()));
        active.file_size = Set(Some(file.size));
    }
    active
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn submission_review(
    state: &AppState,
    caller: &Caller,
    submission_id: i32,
) -> Result<SubmissionReview, AppError> {
    let SubmissionInScope {
        submission: model,
        activity,
        edition,
        role,
        group: group_id,
    } = scope::submission(&state.db, caller, submission_id).await?;
    let kind = kind_of(&activity).ok_or(AppError::NotFound)?;
    let versions: Vec<submission::Model> = versions_of(&state.db, activity.id, model.user_id)
        .await?
        .into_iter()
        .filter(|v| status_of(v) != SubmissionStatus::Draft)
        .collect();
    let waiting = versions
        .first()
        .filter(|v| role.follows_participants() && status_of(v) == SubmissionStatus::Submitted)
        .map(|v| v.id);
    let participant = names(&state.db, [model.user_id])
        .await?
        .remove(&model.user_id)
        .unwrap_or_default();
    let group = match group_id {
        Some(id) => group::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|g| g.name),
        None => None,
    };
    Ok(SubmissionReview {
        activity_id: activity.id,
        activity_title: activity.title.clone(),
        kind,
        edition_id: edition.id,
        edition_title: edition.title,
        participant,
        group,
        versions: views(&state.db, &activity, versions).await?,
        waiting,
    })
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn review(
    state: &AppState,
    caller: &Caller,
    submission_id: i32,
    decision: String,
    feedback: String,
) -> Result<(), AppError> {
    let SubmissionInScope {
        submission: model,
        activity,
        edition,
        ..
    } = scope::submission_as_reviewer(&state.db, caller, submission_id).await?;
    let (decision, feedback) =
        submissions::parse_review(&decision, &feedback).map_err(AppError::invalid)?;
    // Only a version still waiting is judged: a second reviewer (or a second click) finds
    // it already done and changes nothing. The review and its audit entry land together.
    let txn = crate::ssr::db::begin(&state.db).await?;
    let updated = submission::Entity::update_many()
        .col_expr(
            submission::Column::Status,
            sea_orm::sea_query::Expr::value(decision.status().as_str()),
        )
        .col_expr(
            submission::Column::ReviewedBy,
            sea_orm::sea_query::Expr::value(caller.id),
        )
        .col_expr(
            submission::Column::ReviewedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            submission::Column::Feedback,
            sea_orm::sea_query::Expr::value((!feedback.is_empty()).then_some(feedback)),
        )
        .filter(submission::Column::Id.eq(model.id))
        .filter(submission::Column::Status.eq(SubmissionStatus::Submitted))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(refused(SubmissionRefusal::NotAwaitingReview));
    }
    let detail = format!(
        "{} (v{}): {}",
        activity.title,
        model.version,
        decision.status().as_str()
    );
    crate::features::audit::service::record(
        &txn,
        vec![crate::features::audit::service::Entry {
            actor: Some(caller.id),
            action: crate::domain::audit::Action::SubmissionReviewed,
            edition: Some(edition.id),
            subject: Some(model.user_id),
            detail: &detail,
            reason: None,
        }],
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        submission.id = model.id,
        decision = ?decision,
        "submission reviewed"
    );
    Ok(())
}

/// A handed-in file for download, if the caller may see it: (name, type, bytes).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn file_for(
    state: &AppState,
    caller: &Caller,
    submission_id: i32,
) -> Result<(String, FileType, Vec<u8>), AppError> {
    let model = scope::submission(&state.db, caller, submission_id)
        .await?
        .submission;
    let (Some(key), Some(file_type)) = (
        model.file_key.as_deref(),
        model.file_type.as_deref().and_then(FileType::parse),
    ) else {
        return Err(AppError::NotFound);
    };
    // Keys are generated hex; anything else never reaches the file system.
    if !key.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::NotFound);
    }
    let bytes = tokio::fs::read(stored_path(state, key))
        .await
        .map_err(|error| {
            tracing::error!(%error, submission.id = model.id, "a stored file is missing");
            AppError::NotFound
        })?;
    Ok((
        model.file_name.unwrap_or_else(|| "file".into()),
        file_type,
        bytes,
    ))
}
