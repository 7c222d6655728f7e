//! Enrolment in an edition, and its waiting list. Changes to one edition's enrolments run one
//! after the other (the edition's row is locked first), so capacity holds whatever the races.

use super::api::{EnrolmentRow, MyEnrolment};
use crate::domain::editions::EditionStatus;
use crate::domain::enrolment::{
    self as rules, EnrolDecision, EnrolRefusal, EnrolRequest, EnrolmentStatus, WithdrawDecision,
    places_to_promote,
};
use crate::domain::paging::{self, DEFAULT_PAGE_SIZE, Page};
use crate::error::{AppError, Refusal};
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{search_condition, today_in_rome};
use crate::ssr::entities::{edition, enrolment, user};
use crate::ssr::scope;
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

fn status_of(model: &enrolment::Model) -> EnrolmentStatus {
    model.status
}

fn edition_status(model: &edition::Model) -> EditionStatus {
    model.status
}

/// The people holding a place in an edition.
pub async fn enrolled_ids(
    db: &impl ConnectionTrait,
    edition_id: i32,
) -> Result<Vec<i32>, AppError> {
    Ok(enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::UserId)
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .into_tuple()
        .all(db)
        .await?)
}

/// A person's enrolment in an edition, whatever its status.
pub async fn enrolment_of(
    db: &impl ConnectionTrait,
    edition_id: i32,
    user_id: i32,
) -> Result<Option<enrolment::Model>, AppError> {
    Ok(enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::UserId.eq(user_id))
        .one(db)
        .await?)
}

/// The editions in which a person holds a place.
pub async fn editions_of(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<i32>, AppError> {
    Ok(enrolment::Entity::find()
        .select_only()
        .column(enrolment::Column::EditionId)
        .filter(enrolment::Column::UserId.eq(user_id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled))
        .into_tuple()
        .all(db)
        .await?)
}

/// The caller's enrolment and, when waiting, their place in line (for pages: see
/// [`crate::ssr::scope::enrolment_row`]).
pub async fn my_enrolment(
    db: &impl ConnectionTrait,
    edition_id: i32,
    user_id: i32,
) -> Result<Option<MyEnrolment>, AppError> {
    match crate::ssr::scope::enrolment_row(db, edition_id, user_id).await? {
        Some(mine) => Ok(Some(as_seen_by_holder(db, mine).await?)),
        None => Ok(None),
    }
}

/// An enrolment already loaded, as its holder sees it (with the place in the waiting list).
pub async fn as_seen_by_holder(
    db: &impl ConnectionTrait,
    mine: enrolment::Model,
) -> Result<MyEnrolment, AppError> {
    let edition_id = mine.edition_id;
    let status = status_of(&mine);
    if status == EnrolmentStatus::Withdrawn {
        return Ok(MyEnrolment {
            status,
            position: None,
        });
    }
    let position = if status == EnrolmentStatus::Waitlisted {
        let ahead = enrolment::Entity::find()
            .filter(enrolment::Column::EditionId.eq(edition_id))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
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
    Ok(MyEnrolment { status, position })
}

/// Takes the edition's row lock as the first write of a transaction, so that changes to one
/// edition's enrolments run one after the other on both databases (PostgreSQL: the row lock;
/// SQLite: the single writer, taken before anything is read).
pub(crate) async fn lock_edition(
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

pub async fn count_with_status(
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

/// The caller asks for a place (or a place in line).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn enrol(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
) -> Result<MyEnrolment, AppError> {
    scope::visible_edition(&state.db, Some(caller), edition_id).await?;
    if !caller.email_verified {
        return Err(AppError::Refused(Refusal::Enrol(
            EnrolRefusal::EmailNotVerified,
        )));
    }
    if let Some(refusal) = rules::registration_refusal(caller.registration) {
        return Err(AppError::Refused(Refusal::Enrol(refusal)));
    }
    enrol_user(state, edition_id, caller.id).await
}

/// Enrols `user_id`, or puts them in line when the edition is full. Asking twice is harmless.
pub async fn enrol_user(
    state: &AppState,
    edition_id: i32,
    user_id: i32,
) -> Result<MyEnrolment, AppError> {
    let txn = crate::ssr::db::begin(&state.db).await?;
    let edition = lock_edition(&txn, edition_id).await?;
    let current = enrolment_of(&txn, edition_id, user_id).await?;
    let enrolled = count_with_status(&txn, edition_id, EnrolmentStatus::Enrolled).await?;
    let decision = rules::decide_enrol(EnrolRequest {
        edition_status: edition_status(&edition),
        window: crate::features::editions::service::dates_of(&edition)
            .enrolment_window(today_in_rome()),
        capacity: u32::try_from(edition.capacity).unwrap_or(0),
        enrolled: u32::try_from(enrolled).unwrap_or(u32::MAX),
        current: current.as_ref().map(status_of),
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
                active.status = Set(status);
                active.requested_at = Set(now);
                active.updated_at = Set(now);
                active.update(&txn).await?;
            }
            None => {
                enrolment::ActiveModel {
                    edition_id: Set(edition_id),
                    user_id: Set(user_id),
                    status: Set(status),
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
        if status == EnrolmentStatus::Enrolled {
            crate::features::groups::service::place_newcomer(&txn, edition_id, user_id).await?;
        }
    }
    let row = enrolment_of(&txn, edition_id, user_id)
        .await?
        .ok_or(AppError::Internal)?;
    let mine = as_seen_by_holder(&txn, row).await?;
    txn.commit().await?;
    Ok(mine)
}

/// The caller gives up their place (or their place in line).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn withdraw(state: &AppState, caller: &Caller, edition_id: i32) -> Result<(), AppError> {
    scope::visible_edition(&state.db, Some(caller), edition_id).await?;
    withdraw_user(state, edition_id, caller.id).await
}

/// Withdraws `user_id`; a place given up goes to the first in line.
pub async fn withdraw_user(
    state: &AppState,
    edition_id: i32,
    user_id: i32,
) -> Result<(), AppError> {
    let txn = crate::ssr::db::begin(&state.db).await?;
    let edition = lock_edition(&txn, edition_id).await?;
    let current = enrolment_of(&txn, edition_id, user_id).await?;
    let decision =
        rules::decide_withdraw(edition_status(&edition), current.as_ref().map(status_of));
    match (decision, current) {
        (WithdrawDecision::Refuse(refusal), _) => {
            return Err(AppError::Refused(Refusal::Withdraw(refusal)));
        }
        (WithdrawDecision::Withdraw { frees_place }, Some(existing)) => {
            let now = Utc::now();
            let mut active: enrolment::ActiveModel = existing.into();
            active.status = Set(EnrolmentStatus::Withdrawn);
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
pub(crate) async fn promote_waiting(
    txn: &DatabaseTransaction,
    edition: &edition::Model,
) -> Result<(), AppError> {
    let enrolled = count_with_status(txn, edition.id, EnrolmentStatus::Enrolled).await?;
    let waiting = count_with_status(txn, edition.id, EnrolmentStatus::Waitlisted).await?;
    let places = places_to_promote(
        edition_status(edition),
        u32::try_from(edition.capacity).unwrap_or(0),
        u32::try_from(enrolled).unwrap_or(u32::MAX),
        u32::try_from(waiting).unwrap_or(u32::MAX),
    );
    if places == 0 {
        return Ok(());
    }
    let first_in_line = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .order_by_asc(enrolment::Column::RequestedAt)
        .order_by_asc(enrolment::Column::Id)
        .limit(u64::from(places))
        .all(txn)
        .await?;
    let now = Utc::now();
    for promoted in first_in_line {
        let user_id = promoted.user_id;
        let mut active: enrolment::ActiveModel = promoted.into();
        active.status = Set(EnrolmentStatus::Enrolled);
        active.updated_at = Set(now);
        active.update(txn).await?;
        tracing::info!(
            user.id = user_id,
            edition.id = edition.id,
            "promoted from the waiting list"
        );
        crate::features::groups::service::place_newcomer(txn, edition.id, user_id).await?;
    }
    Ok(())
}

/// An edition's enrolments, a page at a time, for staff.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn enrolment_list(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    search: String,
    status: String,
    page: u64,
) -> Result<Page<EnrolmentRow>, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;

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
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted))
        .order_by_asc(enrolment::Column::RequestedAt)
        .order_by_asc(enrolment::Column::Id)
        .into_tuple()
        .all(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .filter_map(|(enrolment, user)| {
            let user = user?;
            let status = status_of(&enrolment);
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
