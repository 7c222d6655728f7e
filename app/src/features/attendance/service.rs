use super::api::{AttendanceEntry, AttendanceRow, AttendanceSheet, ImportPreview};
use crate::domain::attendance::{Source, matching, report};
use crate::domain::scoping::EditionRole;
use crate::domain::{Field, FieldProblem, text};
use crate::error::{AppError, Refusal};
use crate::features::audit::service::{self as audit, Entry};
use crate::features::enrolment::service::enrolled_ids;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::names;
use crate::ssr::entities::{attendance, attendance_import, edition, group, user};
use crate::ssr::scope::{self, InEdition};
use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use std::collections::HashMap;

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn save_attendance_rules(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    min_minutes: String,
    allow_recording: bool,
) -> Result<(), AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let minutes = text::whole_number(&min_minutes, 1, 600).map_err(|problem| {
        AppError::invalid(vec![FieldProblem::new(Field::MinMinutes, problem)])
    })?;
    let mut active: edition::ActiveModel = edition.into();
    active.attendance_min_minutes = Set(minutes as i32);
    active.allow_recording = Set(allow_recording);
    active.updated_at = Set(Utc::now());
    active.update(&state.db).await?;
    Ok(())
}

/// One participant's attendance at one webinar.
struct Record {
    webinar: i32,
    participant: i32,
    minutes: i32,
    source: Source,
}

impl Record {
    /// Stores it, replacing what was recorded before for that participant and webinar.
    async fn save(
        &self,
        txn: &impl ConnectionTrait,
        recorded_by: i32,
        at: chrono::DateTime<Utc>,
    ) -> Result<(), AppError> {
        use attendance::Column;
        attendance::Entity::insert(attendance::ActiveModel {
            activity_id: Set(self.webinar),
            user_id: Set(self.participant),
            minutes: Set(self.minutes),
            source: Set(self.source),
            recorded_by: Set(Some(recorded_by)),
            recorded_at: Set(at),
        })
        .on_conflict(
            OnConflict::columns([Column::ActivityId, Column::UserId])
                .update_columns([
                    Column::Minutes,
                    Column::Source,
                    Column::RecordedBy,
                    Column::RecordedAt,
                ])
                .to_owned(),
        )
        .exec(txn)
        .await?;
        Ok(())
    }
}

/// Enrolled participants the caller follows in an edition, with their group names.
async fn followed_participants(
    db: &impl ConnectionTrait,
    edition_id: i32,
    role: &EditionRole,
) -> Result<Vec<(i32, Option<String>)>, AppError> {
    let enrolled = enrolled_ids(db, edition_id).await?;
    let memberships = crate::features::groups::service::membership(db, edition_id).await?;
    let group_names: HashMap<i32, String> = group::Entity::find()
        .filter(group::Column::EditionId.eq(edition_id))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    Ok(enrolled
        .into_iter()
        .filter(|user| role.may_follow(memberships.get(user).copied(), false))
        .map(|user| {
            (
                user,
                memberships
                    .get(&user)
                    .and_then(|g| group_names.get(g))
                    .cloned(),
            )
        })
        .collect())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn attendance_sheet(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
) -> Result<AttendanceSheet, AppError> {
    let InEdition {
        object: model,
        edition,
        role,
    } = scope::webinar_as_follower(&state.db, caller, activity_id).await?;
    let followed = followed_participants(&state.db, edition.id, &role).await?;
    let records: HashMap<i32, attendance::Model> = attendance::Entity::find()
        .filter(attendance::Column::ActivityId.eq(model.id))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| (a.user_id, a))
        .collect();
    let people = names(&state.db, followed.iter().map(|(id, _)| *id)).await?;
    let mut rows: Vec<AttendanceRow> = followed
        .into_iter()
        .map(|(user_id, group)| AttendanceRow {
            user_id,
            name: people.get(&user_id).cloned().unwrap_or_default(),
            group,
            minutes: records.get(&user_id).map(|a| a.minutes),
            source: records.get(&user_id).map(|a| a.source),
        })
        .collect();
    rows.sort_by(|a, b| (&a.group, &a.name).cmp(&(&b.group, &b.name)));
    Ok(AttendanceSheet {
        activity_id: model.id,
        edition_id: edition.id,
        title: model.title,
        duration_minutes: model.duration_minutes.unwrap_or(0),
        required_minutes: edition.attendance_min_minutes,
        rows,
        may_import: role.is_staff(),
    })
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn save_attendance(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    entries: Vec<AttendanceEntry>,
) -> Result<u32, AppError> {
    let InEdition {
        object: model,
        edition,
        role,
    } = scope::webinar_as_follower(&state.db, caller, activity_id).await?;
    let followed: Vec<i32> = followed_participants(&state.db, edition.id, &role)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    let duration = i64::from(model.duration_minutes.unwrap_or(0).max(1));
    // Everything is checked before anything is written.
    let mut changes = Vec::with_capacity(entries.len());
    let mut problems = Vec::new();
    for entry in &entries {
        if !followed.contains(&entry.user_id) {
            return Err(AppError::NotFound);
        }
        let minutes = if entry.present.is_some() {
            match entry.minutes.trim() {
                "" => Some(duration as i32),
                typed => match text::whole_number(typed, 0, duration) {
                    Ok(m) => Some(m as i32),
                    Err(problem) => {
                        problems.push(FieldProblem::new(Field::Minutes, problem));
                        None
                    }
                },
            }
        } else {
            None
        };
        changes.push((entry.user_id, minutes));
    }
    if !problems.is_empty() {
        return Err(AppError::invalid(problems));
    }
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    for (user_id, minutes) in &changes {
        match minutes {
            Some(minutes) => {
                let record = Record {
                    webinar: model.id,
                    participant: *user_id,
                    minutes: *minutes,
                    source: Source::Manual,
                };
                record.save(&txn, caller.id, now).await?;
            }
            None => {
                attendance::Entity::delete_by_id((model.id, *user_id))
                    .exec(&txn)
                    .await?;
            }
        }
    }
    let details: Vec<String> = changes
        .iter()
        .map(|(_, minutes)| match minutes {
            Some(m) => format!("{}: {m} min", model.title),
            None => format!("{}: —", model.title),
        })
        .collect();
    audit::record(
        &txn,
        changes
            .iter()
            .zip(&details)
            .map(|((user_id, _), detail)| Entry {
                actor: Some(caller.id),
                action: crate::domain::audit::Action::AttendanceRecorded,
                edition: Some(edition.id),
                subject: Some(*user_id),
                detail,
                reason: None,
            })
            .collect(),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = model.id,
        entries = changes.len(),
        "attendance marked"
    );
    Ok(changes.iter().filter(|(_, m)| m.is_some()).count() as u32)
}

/// Reads an uploaded report and keeps its matched preview until staff apply it. Called by the
/// upload route (multipart), after its own sign-in and origin checks.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn create_import(
    state: &AppState,
    caller: &Caller,
    activity_id: i32,
    file_name: &str,
    bytes: &[u8],
) -> Result<i32, AppError> {
    let model = scope::activity_as_staff(&state.db, caller, activity_id).await?;
    if crate::features::activities::service::kind_of(&model)
        != crate::domain::activities::ActivityKind::Webinar
    {
        return Err(AppError::NotFound);
    }
    let report = report::read(bytes).map_err(|e| AppError::Refused(Refusal::Report(e)))?;
    let participants = participants_for_matching(&state.db, model.edition_id).await?;
    let rows = matching::match_attendees(&report.attendees, &participants);
    let stored =
        serde_json::to_string(&(rows, report.unreadable_rows)).map_err(|_| AppError::Internal)?;
    let name: String = file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(255)
        .collect();
    let created = attendance_import::ActiveModel {
        activity_id: Set(model.id),
        uploaded_by: Set(caller.id),
        file_name: Set(if name.is_empty() {
            "report".to_owned()
        } else {
            name
        }),
        rows: Set(stored),
        created_at: Set(Utc::now()),
        applied_at: Set(None),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = model.id,
        import.id = created.id,
        "attendance report uploaded"
    );
    Ok(created.id)
}

async fn participants_for_matching(
    db: &impl ConnectionTrait,
    edition_id: i32,
) -> Result<Vec<matching::Participant>, AppError> {
    let enrolled = enrolled_ids(db, edition_id).await?;
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(enrolled))
        .all(db)
        .await?
        .into_iter()
        .map(|u| matching::Participant {
            user_id: u.id,
            email: u.email,
            given_name: u.given_name,
            family_name: u.family_name,
        })
        .collect())
}

/// The matched rows (and the numbers of unreadable lines) kept with an uploaded report.
fn stored_rows(
    import: &attendance_import::Model,
) -> Result<(Vec<matching::PreviewRow>, Vec<usize>), AppError> {
    serde_json::from_str(&import.rows).map_err(|_| AppError::Internal)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn import_preview(
    state: &AppState,
    caller: &Caller,
    import_id: i32,
) -> Result<ImportPreview, AppError> {
    let (import, model) = scope::import_as_staff(&state.db, caller, import_id).await?;
    let (rows, unreadable_rows) = stored_rows(&import)?;
    let ids = rows.iter().flat_map(|r| match &r.outcome {
        matching::Outcome::ByEmail(id) | matching::Outcome::ByName(id) => vec![*id],
        matching::Outcome::Ambiguous(ids) => ids.clone(),
        matching::Outcome::Unmatched => vec![],
    });
    let people = names(&state.db, ids).await?;
    Ok(ImportPreview {
        import_id: import.id,
        activity_id: model.id,
        title: model.title,
        file_name: import.file_name,
        rows,
        names: people.into_iter().collect(),
        unreadable_rows,
        applied: import.applied_at.is_some(),
    })
}

/// Records the matched rows of a report; answers the webinar's id and how many were recorded.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn apply_import(
    state: &AppState,
    caller: &Caller,
    import_id: i32,
) -> Result<(i32, u32), AppError> {
    let (import, model) = scope::import_as_staff(&state.db, caller, import_id).await?;
    let (rows, _) = stored_rows(&import)?;
    let totals = matching::minutes_by_participant(&rows);
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    // Claimed first, in the same transaction: of two clicks, only one records and audits.
    let claimed = attendance_import::Entity::update_many()
        .col_expr(attendance_import::Column::AppliedAt, Expr::value(now))
        .filter(attendance_import::Column::Id.eq(import.id))
        .filter(attendance_import::Column::AppliedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Refused(Refusal::ImportAlreadyApplied));
    }
    for (user_id, minutes) in &totals {
        let record = Record {
            webinar: model.id,
            participant: *user_id,
            minutes: i32::try_from(*minutes).unwrap_or(i32::MAX),
            source: Source::Import,
        };
        record.save(&txn, caller.id, now).await?;
    }
    let details: Vec<(i32, String)> = totals
        .iter()
        .map(|(user_id, minutes)| (*user_id, format!("{}: {minutes} min", model.title)))
        .collect();
    audit::record(
        &txn,
        details
            .iter()
            .map(|(user_id, detail)| Entry {
                actor: Some(caller.id),
                action: crate::domain::audit::Action::AttendanceImported,
                edition: Some(model.edition_id),
                subject: Some(*user_id),
                detail,
                reason: None,
            })
            .collect(),
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        activity.id = model.id,
        import.id = import_id,
        recorded = totals.len(),
        "attendance imported"
    );
    Ok((model.id, totals.len() as u32))
}
