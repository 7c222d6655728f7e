use super::api::{EditionForStaff, EditionInfo, EditionSummary, MyEdition};
use crate::domain::editions::{EditionDates, EditionStatus, MAX_CAPACITY, MAX_TITLE};
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::problem::Problems;
use crate::domain::{Field, text};
use crate::error::{AppError, Refusal};
use crate::features::activities::service as activities;
use crate::features::completion::service as completion;
use crate::features::enrolment::service::{
    count_with_status, lock_edition, my_enrolment, promote_waiting,
};
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{find_or_404, today_in_rome};
use crate::ssr::entities::{course, edition, enrolment};
use crate::ssr::scope;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
};
use std::collections::HashMap;

pub struct EditionForm {
    pub title: String,
    pub enrolment_opens_on: String,
    pub enrolment_closes_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub capacity: String,
}

pub struct ValidEdition {
    pub title: String,
    pub dates: EditionDates,
    pub capacity: i32,
}

impl EditionForm {
    pub fn parse(&self) -> Result<ValidEdition, AppError> {
        let mut problems = Problems::new();
        let title = problems.check(Field::Title, text::single_line(&self.title, MAX_TITLE));
        let dates = EditionDates::parse(
            &mut problems,
            &self.enrolment_opens_on,
            &self.enrolment_closes_on,
            &self.starts_on,
            &self.ends_on,
        );
        let capacity = problems.check(
            Field::Capacity,
            text::whole_number(&self.capacity, 1, MAX_CAPACITY),
        );
        match (title, dates, capacity) {
            (Some(title), Some(dates), Some(capacity)) if problems.is_empty() => Ok(ValidEdition {
                title,
                dates,
                capacity: capacity as i32,
            }),
            _ => Err(AppError::invalid(problems.into_vec())),
        }
    }
}

fn status_of(model: &edition::Model) -> EditionStatus {
    model.status
}

pub(crate) fn dates_of(model: &edition::Model) -> EditionDates {
    EditionDates {
        enrolment_opens_on: model.enrolment_opens_on,
        enrolment_closes_on: model.enrolment_closes_on,
        starts_on: model.starts_on,
        ends_on: model.ends_on,
    }
}

/// Summaries of the editions `editions` selects (in its order), each with its course's title
/// and its enrolment counts: one statement whatever the number of editions, as the catalogue,
/// the home page and a course's page all list several.
pub async fn edition_summaries(
    db: &impl ConnectionTrait,
    editions: Select<edition::Entity>,
) -> Result<Vec<EditionSummary>, AppError> {
    Ok(summary_rows(db, editions)
        .await?
        .into_iter()
        .map(SummaryRow::into_summary)
        .collect())
}

async fn summary_rows(
    db: &impl ConnectionTrait,
    editions: Select<edition::Entity>,
) -> Result<Vec<SummaryRow>, AppError> {
    let count = |status: EnrolmentStatus| {
        Query::select()
            .expr(Expr::col((enrolment::Entity, enrolment::Column::Id)).count())
            .from(enrolment::Entity)
            .and_where(
                Expr::col((enrolment::Entity, enrolment::Column::EditionId))
                    .equals((edition::Entity, edition::Column::Id)),
            )
            .and_where(Expr::col((enrolment::Entity, enrolment::Column::Status)).eq(status))
            .to_owned()
    };
    Ok(editions
        .join(JoinType::InnerJoin, edition::Relation::Course.def())
        .column_as(course::Column::Title, "course_title")
        .column_as(course::Column::Description, "course_description")
        .column_as(course::Column::WorkloadHours, "course_workload_hours")
        .expr_as(count(EnrolmentStatus::Enrolled), "enrolled")
        .expr_as(count(EnrolmentStatus::Waitlisted), "waiting")
        .into_model::<SummaryRow>()
        .all(db)
        .await?)
}

/// An edition's row with what its summary adds (see [`edition_summaries`]).
#[derive(Clone, FromQueryResult)]
struct SummaryRow {
    #[sea_orm(nested)]
    edition: edition::Model,
    course_title: String,
    course_description: String,
    course_workload_hours: i32,
    enrolled: i64,
    waiting: i64,
}

impl SummaryRow {
    fn into_summary(self) -> EditionSummary {
        let e = self.edition;
        EditionSummary {
            id: e.id,
            course_id: e.course_id,
            course_title: self.course_title,
            dates: dates_of(&e),
            status: status_of(&e),
            capacity: e.capacity,
            enrolled: u64::try_from(self.enrolled).unwrap_or(0),
            waiting: u64::try_from(self.waiting).unwrap_or(0),
            title: e.title,
        }
    }
}

/// What an edition's summary row is kept under for all requests of a moment (see
/// [`crate::ssr::shared`]): it is the same for everyone.
const SUMMARY: &str = "edition_summary";

/// One edition's summary (its row, with its course and counts).
async fn summary(db: &impl ConnectionTrait, edition_id: i32) -> Result<SummaryRow, AppError> {
    summary_rows(db, edition::Entity::find_by_id(edition_id))
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Editions taking enrolments, for the catalogue (anyone may look). The same for everyone and
/// on every home page: read once for all requests of a moment (see [`crate::ssr::shared`]).
pub async fn open_editions(
    state: &AppState,
    _caller: Option<&Caller>,
) -> Result<Vec<EditionSummary>, AppError> {
    state
        .db
        .shared("open_editions", 0, || {
            let editions = edition::Entity::find()
                .filter(edition::Column::Status.eq(EditionStatus::Open))
                .order_by_asc(edition::Column::StartsOn)
                .order_by_asc(edition::Column::Id);
            edition_summaries(&state.db, editions)
        })
        .await
}

#[tracing::instrument(skip_all)]
pub async fn edition_page(
    state: &AppState,
    caller: Option<&Caller>,
    edition_id: i32,
) -> Result<EditionInfo, AppError> {
    // The edition with its course and counts, the same for everyone who looks: read once for
    // all the page's renders of a moment (see `crate::ssr::shared`).
    let mut row = state
        .db
        .shared(SUMMARY, i64::from(edition_id), || {
            summary(&state.db, edition_id)
        })
        .await?;
    let edition = scope::visible(caller, row.edition.clone())?;
    let course_description = std::mem::take(&mut row.course_description);
    let mut mine = None;
    let (mut follows, mut certificate, mut progress, mut my_activities) = (false, None, None, None);
    if let Some(caller) = caller {
        mine = my_enrolment(&state.db, edition.id, caller.id).await?;
        let role = scope::edition_role(&state.db, caller, edition.id).await?;
        follows = role.follows_participants();
        certificate =
            crate::features::certificates::service::mine(state, caller, &edition, &role).await?;
        if role.is_participant() {
            // Progress and the activity list both go through the edition's activities.
            let all = activities::of_edition_shared(state, edition.id).await?;
            progress = completion::my_progress(state, caller, &edition, &role, &all).await?;
            my_activities = activities::my_activities(state, caller, &edition, &role, &all).await?;
        }
    }
    let window = dates_of(&edition).enrolment_window(today_in_rome());
    Ok(EditionInfo {
        course_description,
        workload_hours: row.course_workload_hours,
        summary: row.into_summary(),
        window,
        signed_in: caller.is_some(),
        email_verified: caller.is_some_and(|c| c.email_verified),
        registration: caller
            .and_then(|c| crate::domain::enrolment::registration_refusal(c.registration)),
        mine,
        follows,
        certificate,
        progress,
        activities: my_activities,
    })
}

/// The caller's editions for their home page.
pub async fn my_editions(state: &AppState, caller: &Caller) -> Result<Vec<MyEdition>, AppError> {
    let places = scope::places_of(&state.db, caller.id).await?;
    let mine: Vec<enrolment::Model> = places
        .iter()
        .map(|place| place.enrolment.clone())
        .filter(|row| row.status != EnrolmentStatus::Withdrawn)
        .collect();
    if mine.is_empty() {
        return Ok(Vec::new());
    }
    // Summaries are the same for everyone: those read for other pages of the moment serve.
    let ids: Vec<i64> = mine.iter().map(|m| i64::from(m.edition_id)).collect();
    let rows = state
        .db
        .shared_many(SUMMARY, &ids, |missing| async move {
            let editions = edition::Entity::find().filter(edition::Column::Id.is_in(missing));
            Ok::<_, AppError>(
                summary_rows(&state.db, editions)
                    .await?
                    .into_iter()
                    .map(|row| (i64::from(row.edition.id), row))
                    .collect(),
            )
        })
        .await?;
    let mut rows: Vec<SummaryRow> = rows
        .into_values()
        .filter(|row| row.edition.status != EditionStatus::Draft)
        .collect();
    rows.sort_by_key(|row| (row.edition.starts_on, row.edition.id));
    let mut summaries: Vec<EditionSummary> =
        rows.into_iter().map(SummaryRow::into_summary).collect();
    // What is running or coming first (soonest first), then what is over (latest first).
    let today = today_in_rome();
    summaries.sort_by_key(|e| {
        crate::domain::editions::listing_order(e.dates.starts_on, e.dates.ends_on, today)
    });
    // What was sent back is listed by name, read only where the places say there is some.
    let ids: Vec<i32> = summaries
        .iter()
        .map(|e| e.id)
        .filter(|id| {
            places
                .iter()
                .any(|place| place.sent_back && place.enrolment.edition_id == *id)
        })
        .collect();
    let mut sent_back = if ids.is_empty() {
        Vec::new()
    } else {
        crate::features::submissions::service::sent_back_to(&state.db, caller.id, &ids).await?
    };
    let mut result = Vec::with_capacity(summaries.len());
    let mut enrolments: HashMap<i32, enrolment::Model> =
        mine.into_iter().map(|e| (e.edition_id, e)).collect();
    for summary in summaries {
        if let Some(row) = enrolments.remove(&summary.id) {
            let me = crate::features::enrolment::service::as_seen_by_holder(&state.db, row).await?;
            let edition_id = summary.id;
            let (mine, rest): (Vec<_>, Vec<_>) =
                sent_back.into_iter().partition(|(e, ..)| *e == edition_id);
            sent_back = rest;
            result.push(MyEdition {
                summary,
                mine: me,
                sent_back: mine.into_iter().map(|(_, id, title)| (id, title)).collect(),
            });
        }
    }
    Ok(result)
}

/// A new edition, always a draft.
pub async fn insert_edition(
    db: &impl ConnectionTrait,
    course_id: i32,
    title: String,
    dates: EditionDates,
    capacity: i32,
    cloned_from: Option<i32>,
) -> Result<edition::Model, AppError> {
    let now = Utc::now();
    Ok(edition::ActiveModel {
        course_id: Set(course_id),
        title: Set(title),
        enrolment_opens_on: Set(dates.enrolment_opens_on),
        enrolment_closes_on: Set(dates.enrolment_closes_on),
        starts_on: Set(dates.starts_on),
        ends_on: Set(dates.ends_on),
        capacity: Set(capacity),
        status: Set(EditionStatus::Draft),
        enrolment_version: Set(0),
        cloned_from_id: Set(cloned_from),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn create_edition(
    state: &AppState,
    caller: &Caller,
    course_id: i32,
    form: EditionForm,
) -> Result<i32, AppError> {
    let course = scope::course_as_staff(&state.db, caller, course_id).await?;
    let valid = form.parse()?;
    let created = insert_edition(
        &state.db,
        course.id,
        valid.title,
        valid.dates,
        valid.capacity,
        None,
    )
    .await?;
    tracing::info!(
        user.id = caller.id,
        edition.id = created.id,
        "edition created"
    );
    Ok(created.id)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn update_edition(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    form: EditionForm,
) -> Result<(), AppError> {
    scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let valid = form.parse()?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    let edition = lock_edition(&txn, edition_id).await?;
    let mut active: edition::ActiveModel = edition.into();
    active.title = Set(valid.title);
    active.enrolment_opens_on = Set(valid.dates.enrolment_opens_on);
    active.enrolment_closes_on = Set(valid.dates.enrolment_closes_on);
    active.starts_on = Set(valid.dates.starts_on);
    active.ends_on = Set(valid.dates.ends_on);
    active.capacity = Set(valid.capacity);
    active.updated_at = Set(Utc::now());
    let updated = active.update(&txn).await?;
    // More places may let people in from the waiting list.
    promote_waiting(&txn, &updated).await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        edition.id = edition_id,
        "edition updated"
    );
    Ok(())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn change_status(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    status: String,
) -> Result<(), AppError> {
    scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let to = EditionStatus::parse(&status).ok_or(AppError::Refused(Refusal::StatusTransition))?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    let edition = lock_edition(&txn, edition_id).await?;
    let from = status_of(&edition);
    if !from.can_become(to) {
        return Err(AppError::Refused(Refusal::StatusTransition));
    }
    let mut active: edition::ActiveModel = edition.into();
    active.status = Set(to);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        edition.id = edition_id,
        from = from.as_str(),
        to = to.as_str(),
        "edition status changed"
    );
    Ok(())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn clone_edition(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    title: String,
    starts_on: String,
) -> Result<i32, AppError> {
    let source = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let mut problems = Problems::new();
    let title = problems.check(Field::Title, text::single_line(&title, MAX_TITLE));
    let new_start = problems.check(Field::StartsOn, text::date(&starts_on));
    let (Some(title), Some(new_start)) = (title, new_start) else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let dates = dates_of(&source)
        .shifted_to_start(new_start)
        .ok_or(AppError::Refused(Refusal::CloneOutOfRange))?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    let created = insert_edition(
        &txn,
        source.course_id,
        title,
        dates,
        source.capacity,
        Some(source.id),
    )
    .await?;
    // The edition's settings, activities and rule come along, every time moved like the dates.
    let shift = chrono::TimeDelta::days((dates.starts_on - source.starts_on).num_days());
    let mut settings: edition::ActiveModel = created.clone().into();
    settings.attendance_min_minutes = Set(source.attendance_min_minutes);
    settings.allow_recording = Set(source.allow_recording);
    settings.update(&txn).await?;
    let copies = activities::copy_all(&txn, source.id, created.id, shift).await?;
    completion::copy_rule(&txn, &source, &created, &copies).await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        edition.id = created.id,
        source.id = source.id,
        "edition cloned"
    );
    Ok(created.id)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn edition_admin(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
) -> Result<EditionForStaff, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let course = find_or_404::<course::Entity>(&state.db, edition.course_id).await?;
    let cloned_from = match edition.cloned_from_id {
        Some(id) => edition::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map(|e| (e.id, e.title)),
        None => None,
    };
    let withdrawn = count_with_status(&state.db, edition.id, EnrolmentStatus::Withdrawn).await?;
    let next_status = status_of(&edition).next();
    Ok(EditionForStaff {
        summary: summary(&state.db, edition.id).await?.into_summary(),
        course_code: course.code,
        withdrawn,
        next_status,
        cloned_from,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(capacity: &str) -> EditionForm {
        EditionForm {
            title: "Primavera 2027".into(),
            enrolment_opens_on: "2027-02-01".into(),
            enrolment_closes_on: "2027-03-05".into(),
            starts_on: "2027-03-01".into(),
            ends_on: "2027-03-31".into(),
            capacity: capacity.into(),
        }
    }

    #[test]
    fn an_edition_form_parses() {
        let valid = form("500").parse().unwrap();
        assert_eq!(valid.capacity, 500);
        assert_eq!(valid.title, "Primavera 2027");
    }

    #[test]
    fn capacity_must_be_a_positive_whole_number() {
        for bad in ["0", "-3", "tanti", ""] {
            let Err(AppError::Invalid(problems)) = form(bad).parse() else {
                panic!("{bad} accepted")
            };
            assert!(
                problems.iter().all(|p| p.field == Field::Capacity),
                "{bad}: {problems:?}"
            );
        }
    }
}
