use super::api::{
    EditionForStaff, EditionInfo, EditionSummary, EnrolmentRow, MyEdition, MyEnrolment,
};
use crate::domain::editions::{EditionDates, EditionStatus, MAX_CAPACITY, MAX_TITLE};
use crate::domain::enrolment::{
    self as rules, EnrolDecision, EnrolRequest, EnrolmentStatus, WithdrawDecision,
    places_to_promote,
};
use crate::domain::paging::{self, DEFAULT_PAGE_SIZE, Page};
use crate::domain::problem::Problems;
use crate::domain::{Field, text};
use crate::error::{AppError, Refusal};
use crate::ssr::AppState;
use crate::ssr::auth::{Caller, guard, maybe_signed_in, signed_in};
use crate::ssr::db::{find_or_404, from_local, search_condition, to_local, today_in_rome};
use crate::ssr::entities::{activity, course, edition, enrolment, user};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
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
    EditionStatus::parse(&model.status).unwrap_or(EditionStatus::Draft)
}

fn dates_of(model: &edition::Model) -> EditionDates {
    EditionDates {
        enrolment_opens_on: model.enrolment_opens_on,
        enrolment_closes_on: model.enrolment_closes_on,
        starts_on: model.starts_on,
        ends_on: model.ends_on,
    }
}

fn enrolment_status_of(model: &enrolment::Model) -> EnrolmentStatus {
    EnrolmentStatus::parse(&model.status).unwrap_or(EnrolmentStatus::Withdrawn)
}

/// Counts of enrolments by edition and status, for many editions in one query.
async fn enrolment_counts(
    db: &impl ConnectionTrait,
    edition_ids: &[i32],
) -> Result<HashMap<(i32, EnrolmentStatus), u64>, AppError> {
    if edition_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String, i64)> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::EditionId)
        .column(enrolment::Column::Status)
        .column_as(enrolment::Column::Id.count(), "n")
        .filter(enrolment::Column::EditionId.is_in(edition_ids.iter().copied()))
        .group_by(enrolment::Column::EditionId)
        .group_by(enrolment::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, status, n)| {
            Some((
                (id, EnrolmentStatus::parse(&status)?),
                u64::try_from(n).unwrap_or(0),
            ))
        })
        .collect())
}

/// Summaries of editions, with their course titles and counts, in three queries whatever the count.
pub async fn edition_summaries(
    db: &impl ConnectionTrait,
    editions: Vec<edition::Model>,
) -> Result<Vec<EditionSummary>, AppError> {
    let ids: Vec<i32> = editions.iter().map(|e| e.id).collect();
    let counts = enrolment_counts(db, &ids).await?;
    let mut course_ids: Vec<i32> = editions.iter().map(|e| e.course_id).collect();
    course_ids.sort_unstable();
    course_ids.dedup();
    let courses: HashMap<i32, String> = course::Entity::find()
        .filter(course::Column::Id.is_in(course_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.title))
        .collect();
    Ok(editions
        .into_iter()
        .map(|e| EditionSummary {
            id: e.id,
            course_id: e.course_id,
            course_title: courses.get(&e.course_id).cloned().unwrap_or_default(),
            title: e.title.clone(),
            dates: dates_of(&e),
            status: status_of(&e),
            capacity: e.capacity,
            enrolled: counts
                .get(&(e.id, EnrolmentStatus::Enrolled))
                .copied()
                .unwrap_or(0),
            waiting: counts
                .get(&(e.id, EnrolmentStatus::Waitlisted))
                .copied()
                .unwrap_or(0),
        })
        .collect())
}

async fn summary(
    db: &impl ConnectionTrait,
    edition: edition::Model,
) -> Result<EditionSummary, AppError> {
    edition_summaries(db, vec![edition])
        .await?
        .pop()
        .ok_or(AppError::Internal)
}

/// Scope: an edition a participant may see (open to archived, never a draft); staff see all.
async fn visible_edition(
    db: &impl ConnectionTrait,
    edition_id: i32,
    caller: Option<&Caller>,
) -> Result<edition::Model, AppError> {
    let edition = edition::Entity::find_by_id(edition_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let staff = caller.is_some_and(Caller::is_staff);
    if staff || status_of(&edition).visible_to_participants() {
        Ok(edition)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn open_editions() -> Result<Vec<EditionSummary>, AppError> {
    let (state, _) = maybe_signed_in().await?;
    let editions = edition::Entity::find()
        .filter(edition::Column::Status.eq(EditionStatus::Open.as_str()))
        .order_by_asc(edition::Column::StartsOn)
        .order_by_asc(edition::Column::Id)
        .all(&state.db)
        .await?;
    edition_summaries(&state.db, editions).await
}

pub async fn edition_page(edition_id: i32) -> Result<EditionInfo, AppError> {
    let (state, caller) = maybe_signed_in().await?;
    let edition = visible_edition(&state.db, edition_id, caller.as_ref()).await?;
    let course = find_or_404::<course::Entity>(&state.db, edition.course_id).await?;
    let mine = match &caller {
        Some(caller) => my_enrolment(&state.db, edition.id, caller.id).await?,
        None => None,
    };
    let window = dates_of(&edition).enrolment_window(today_in_rome());
    Ok(EditionInfo {
        summary: summary(&state.db, edition).await?,
        course_description: course.description,
        workload_hours: course.workload_hours,
        window,
        signed_in: caller.is_some(),
        mine,
    })
}

pub async fn my_editions() -> Result<Vec<MyEdition>, AppError> {
    let (state, caller) = signed_in().await?;
    let mine = enrolment::Entity::find()
        .filter(enrolment::Column::UserId.eq(caller.id))
        .filter(enrolment::Column::Status.ne(EnrolmentStatus::Withdrawn.as_str()))
        .all(&state.db)
        .await?;
    let mut editions = edition::Entity::find()
        .filter(edition::Column::Id.is_in(mine.iter().map(|m| m.edition_id)))
        .filter(edition::Column::Status.ne(EditionStatus::Draft.as_str()))
        .order_by_asc(edition::Column::StartsOn)
        .all(&state.db)
        .await?;
    // What is running or coming first (soonest first), then what is over (latest first).
    let today = today_in_rome();
    editions.sort_by_key(|e| crate::domain::editions::listing_order(e.starts_on, e.ends_on, today));
    let summaries = edition_summaries(&state.db, editions).await?;
    let mut result = Vec::with_capacity(summaries.len());
    for summary in summaries {
        if let Some(me) = my_enrolment(&state.db, summary.id, caller.id).await? {
            result.push(MyEdition { summary, mine: me });
        }
    }
    Ok(result)
}

/// The caller's enrolment and, when waiting, their place in line.
async fn my_enrolment(
    db: &impl ConnectionTrait,
    edition_id: i32,
    user_id: i32,
) -> Result<Option<MyEnrolment>, AppError> {
    let Some(mine) = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::UserId.eq(user_id))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let status = enrolment_status_of(&mine);
    if status == EnrolmentStatus::Withdrawn {
        return Ok(Some(MyEnrolment {
            status,
            position: None,
        }));
    }
    let position = if status == EnrolmentStatus::Waitlisted {
        let ahead = enrolment::Entity::find()
            .filter(enrolment::Column::EditionId.eq(edition_id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted.as_str()))
            .filter(
                Condition::any()
                    .add(enrolment::Column::RequestedAt.lt(mine.requested_at))
                    .add(
                        Condition::all()
                            .add(enrolment::Column::RequestedAt.eq(mine.requested_at))
                            .add(enrolment::Column::Id.lt(mine.id)),
                    ),
            )
            .count(db)
            .await?;
        Some(ahead + 1)
    } else {
        None
    };
    Ok(Some(MyEnrolment { status, position }))
}

/// Takes the edition's row lock as the first write of a transaction, so that changes to one
/// edition's enrolments run one after the other on both databases (PostgreSQL: the row lock;
/// SQLite: the single writer, taken before anything is read).
async fn lock_edition(
    txn: &DatabaseTransaction,
    edition_id: i32,
) -> Result<edition::Model, AppError> {
    let updated = edition::Entity::update_many()
        .col_expr(
            edition::Column::EnrolmentVersion,
            Expr::col(edition::Column::EnrolmentVersion).add(1),
        )
        .filter(edition::Column::Id.eq(edition_id))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    edition::Entity::find_by_id(edition_id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

async fn count_with_status(
    db: &impl ConnectionTrait,
    edition_id: i32,
    status: EnrolmentStatus,
) -> Result<u64, AppError> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::Status.eq(status.as_str()))
        .count(db)
        .await?)
}

pub async fn enrol(edition_id: i32) -> Result<MyEnrolment, AppError> {
    let (state, caller) = guard().await?;
    visible_edition(&state.db, edition_id, Some(&caller)).await?;
    enrol_user(&state, edition_id, caller.id).await
}

/// Enrols `user_id`, or puts them in line when the edition is full. Asking twice is harmless.
pub async fn enrol_user(
    state: &AppState,
    edition_id: i32,
    user_id: i32,
) -> Result<MyEnrolment, AppError> {
    let txn = crate::ssr::db::begin(&state.db).await?;
    let edition = lock_edition(&txn, edition_id).await?;
    let current = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::UserId.eq(user_id))
        .one(&txn)
        .await?;
    let enrolled = count_with_status(&txn, edition_id, EnrolmentStatus::Enrolled).await?;
    let decision = rules::decide_enrol(EnrolRequest {
        edition_status: status_of(&edition),
        window: dates_of(&edition).enrolment_window(today_in_rome()),
        capacity: u32::try_from(edition.capacity).unwrap_or(0),
        enrolled: u32::try_from(enrolled).unwrap_or(u32::MAX),
        current: current.as_ref().map(enrolment_status_of),
    });
    let new_status = match decision {
        EnrolDecision::Unchanged(_) => None,
        EnrolDecision::TakePlace => Some(EnrolmentStatus::Enrolled),
        EnrolDecision::JoinWaitingList => Some(EnrolmentStatus::Waitlisted),
        EnrolDecision::Refuse(refusal) => return Err(AppError::Refused(Refusal::Enrol(refusal))),
    };
    if let Some(status) = new_status {
        let now = Utc::now();
        match current {
            Some(existing) => {
                let mut active: enrolment::ActiveModel = existing.into();
                active.status = Set(status.as_str().to_owned());
                active.requested_at = Set(now);
                active.updated_at = Set(now);
                active.update(&txn).await?;
            }
            None => {
                enrolment::ActiveModel {
                    edition_id: Set(edition_id),
                    user_id: Set(user_id),
                    status: Set(status.as_str().to_owned()),
                    requested_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        tracing::info!(
            user.id = user_id,
            edition.id = edition_id,
            status = status.as_str(),
            "enrolment"
        );
    }
    let mine = my_enrolment(&txn, edition_id, user_id)
        .await?
        .ok_or(AppError::Internal)?;
    txn.commit().await?;
    Ok(mine)
}

pub async fn withdraw(edition_id: i32) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    visible_edition(&state.db, edition_id, Some(&caller)).await?;
    withdraw_user(&state, edition_id, caller.id).await
}

/// Withdraws `user_id`; a place given up goes to the first in line.
pub async fn withdraw_user(
    state: &AppState,
    edition_id: i32,
    user_id: i32,
) -> Result<(), AppError> {
    let txn = crate::ssr::db::begin(&state.db).await?;
    let edition = lock_edition(&txn, edition_id).await?;
    let current = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::UserId.eq(user_id))
        .one(&txn)
        .await?;
    let decision = rules::decide_withdraw(
        status_of(&edition),
        current.as_ref().map(enrolment_status_of),
    );
    match (decision, current) {
        (WithdrawDecision::Refuse(refusal), _) => {
            return Err(AppError::Refused(Refusal::Withdraw(refusal)));
        }
        (WithdrawDecision::Withdraw { frees_place }, Some(existing)) => {
            let now = Utc::now();
            let mut active: enrolment::ActiveModel = existing.into();
            active.status = Set(EnrolmentStatus::Withdrawn.as_str().to_owned());
            active.updated_at = Set(now);
            active.update(&txn).await?;
            tracing::info!(user.id = user_id, edition.id = edition_id, "withdrawal");
            if frees_place {
                promote_waiting(&txn, &edition).await?;
            }
        }
        _ => {}
    }
    txn.commit().await?;
    Ok(())
}

/// Gives free places to those waiting, first come first served. Call with the edition locked.
async fn promote_waiting(
    txn: &DatabaseTransaction,
    edition: &edition::Model,
) -> Result<(), AppError> {
    let enrolled = count_with_status(txn, edition.id, EnrolmentStatus::Enrolled).await?;
    let waiting = count_with_status(txn, edition.id, EnrolmentStatus::Waitlisted).await?;
    let places = places_to_promote(
        status_of(edition),
        u32::try_from(edition.capacity).unwrap_or(0),
        u32::try_from(enrolled).unwrap_or(u32::MAX),
        u32::try_from(waiting).unwrap_or(u32::MAX),
    );
    if places == 0 {
        return Ok(());
    }
    let first_in_line = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted.as_str()))
        .order_by_asc(enrolment::Column::RequestedAt)
        .order_by_asc(enrolment::Column::Id)
        .limit(u64::from(places))
        .all(txn)
        .await?;
    let now = Utc::now();
    for promoted in first_in_line {
        let user_id = promoted.user_id;
        let mut active: enrolment::ActiveModel = promoted.into();
        active.status = Set(EnrolmentStatus::Enrolled.as_str().to_owned());
        active.updated_at = Set(now);
        active.update(txn).await?;
        tracing::info!(
            user.id = user_id,
            edition.id = edition.id,
            "promoted from the waiting list"
        );
    }
    Ok(())
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
        status: Set(EditionStatus::Draft.as_str().to_owned()),
        enrolment_version: Set(0),
        cloned_from_id: Set(cloned_from),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

pub async fn create_edition(course_id: i32, form: EditionForm) -> Result<i32, AppError> {
    let (state, caller) = guard().await?;
    let course = find_or_404::<course::Entity>(&state.db, course_id).await?;
    caller.require_staff()?;
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
    leptos_axum::redirect(&format!("/staff/editions/{}", created.id));
    Ok(created.id)
}

pub async fn update_edition(edition_id: i32, form: EditionForm) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
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

pub async fn change_status(edition_id: i32, status: String) -> Result<(), AppError> {
    let (state, caller) = guard().await?;
    find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
    let to = EditionStatus::parse(&status).ok_or(AppError::Refused(Refusal::StatusTransition))?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    let edition = lock_edition(&txn, edition_id).await?;
    let from = status_of(&edition);
    if !from.can_become(to) {
        return Err(AppError::Refused(Refusal::StatusTransition));
    }
    let mut active: edition::ActiveModel = edition.into();
    active.status = Set(to.as_str().to_owned());
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

pub async fn clone_edition(
    edition_id: i32,
    title: String,
    starts_on: String,
) -> Result<i32, AppError> {
    let (state, caller) = guard().await?;
    let source = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
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
    // The edition's settings and activities come along, every time moved like the dates.
    let shift = chrono::TimeDelta::days((dates.starts_on - source.starts_on).num_days());
    let mut settings: edition::ActiveModel = created.clone().into();
    settings.attendance_min_minutes = Set(source.attendance_min_minutes);
    settings.allow_recording = Set(source.allow_recording);
    settings.update(&txn).await?;
    let activities = activity::Entity::find()
        .filter(activity::Column::EditionId.eq(source.id))
        .all(&txn)
        .await?;
    // Shifted on the wall clock: a 17:00 webinar stays at 17:00 across a change of summer time.
    let moved = |t: chrono::DateTime<Utc>| from_local(to_local(t) + shift);
    let now = Utc::now();
    // A quiz confirming a webinar's recording points at the copy of that webinar.
    let mut copies: std::collections::HashMap<i32, i32> = std::collections::HashMap::new();
    let mut confirming: Vec<(i32, i32)> = Vec::new();
    for a in activities {
        let source_id = a.id;
        let confirms = a.confirms_webinar_id;
        let copy = activity::ActiveModel {
            edition_id: Set(created.id),
            position: Set(a.position),
            kind: Set(a.kind),
            title: Set(a.title),
            description: Set(a.description),
            opens_at: Set(a.opens_at.map(moved)),
            due_at: Set(a.due_at.map(moved)),
            estimated_minutes: Set(a.estimated_minutes),
            counts: Set(a.counts),
            url: Set(a.url),
            body: Set(a.body),
            starts_at: Set(a.starts_at.map(moved)),
            duration_minutes: Set(a.duration_minutes),
            recording_url: Set(None),
            pass_percent: Set(a.pass_percent),
            max_attempts: Set(a.max_attempts),
            time_limit_minutes: Set(a.time_limit_minutes),
            shuffle: Set(a.shuffle),
            review_policy: Set(a.review_policy),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // The questions of a quiz come along too.
        let questions = crate::ssr::entities::quiz_question::Entity::find()
            .filter(crate::ssr::entities::quiz_question::Column::ActivityId.eq(source_id))
            .all(&txn)
            .await?;
        for q in questions {
            crate::ssr::entities::quiz_question::ActiveModel {
                activity_id: Set(copy.id),
                position: Set(q.position),
                prompt: Set(q.prompt),
                points: Set(q.points),
                kind: Set(q.kind),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        copies.insert(source_id, copy.id);
        if let Some(webinar) = confirms {
            confirming.push((copy.id, webinar));
        }
    }
    for (quiz, webinar) in confirming {
        activity::Entity::update_many()
            .col_expr(
                activity::Column::ConfirmsWebinarId,
                sea_orm::sea_query::Expr::value(copies.get(&webinar).copied()),
            )
            .filter(activity::Column::Id.eq(quiz))
            .exec(&txn)
            .await?;
    }
    // The completion rule comes along, naming the copies of its activities.
    if let Some(rule) = source
        .completion_rule
        .as_deref()
        .and_then(|text| serde_json::from_str::<crate::domain::completion::Rule>(text).ok())
    {
        let mut with_rule: edition::ActiveModel = created.clone().into();
        with_rule.completion_rule = Set(serde_json::to_string(&rule.remapped(&copies)).ok());
        with_rule.update(&txn).await?;
    }
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        edition.id = created.id,
        source.id = source.id,
        "edition cloned"
    );
    leptos_axum::redirect(&format!("/staff/editions/{}", created.id));
    Ok(created.id)
}

pub async fn edition_admin(edition_id: i32) -> Result<EditionForStaff, AppError> {
    let (state, caller) = signed_in().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;
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
        summary: summary(&state.db, edition).await?,
        course_code: course.code,
        withdrawn,
        next_status,
        cloned_from,
    })
}

pub async fn enrolment_list(
    edition_id: i32,
    search: String,
    status: String,
    page: u64,
) -> Result<Page<EnrolmentRow>, AppError> {
    let (state, caller) = signed_in().await?;
    let edition = find_or_404::<edition::Entity>(&state.db, edition_id).await?;
    caller.require_staff()?;

    let mut query = enrolment::Entity::find()
        .find_also_related(user::Entity)
        .filter(enrolment::Column::EditionId.eq(edition.id));
    if let Some(status) = EnrolmentStatus::parse(status.trim()) {
        query = query.filter(enrolment::Column::Status.eq(status.as_str()));
    }
    query = query.filter(search_condition(
        &search,
        &[
            Expr::col((user::Entity, user::Column::GivenName)),
            Expr::col((user::Entity, user::Column::FamilyName)),
            Expr::col((user::Entity, user::Column::Email)),
        ],
    ));
    let total = query.clone().count(&state.db).await?;
    let (number, offset) = paging::clamp(page, total, DEFAULT_PAGE_SIZE);
    let rows = query
        .order_by_asc(enrolment::Column::Status)
        .order_by_asc(Expr::col((user::Entity, user::Column::FamilyName)))
        .order_by_asc(Expr::col((user::Entity, user::Column::GivenName)))
        .order_by_asc(enrolment::Column::Id)
        .offset(offset)
        .limit(DEFAULT_PAGE_SIZE)
        .all(&state.db)
        .await?;

    // Places in line for everybody waiting, in one query.
    let line: Vec<i32> = enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::Id)
        .filter(enrolment::Column::EditionId.eq(edition.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted.as_str()))
        .order_by_asc(enrolment::Column::RequestedAt)
        .order_by_asc(enrolment::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .filter_map(|(enrolment, user)| {
            let user = user?;
            let status = enrolment_status_of(&enrolment);
            let position = line
                .iter()
                .position(|id| *id == enrolment.id)
                .map(|i| i as u64 + 1);
            Some(EnrolmentRow {
                user_id: user.id,
                given_name: user.given_name,
                family_name: user.family_name,
                email: user.email,
                school_name: user.school_name,
                school_code: user.school_code,
                status,
                position,
                requested_at: enrolment.requested_at,
            })
        })
        .collect();
    Ok(Page {
        items,
        number,
        size: DEFAULT_PAGE_SIZE,
        total,
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
