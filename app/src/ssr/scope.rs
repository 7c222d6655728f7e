//! The caller's place in an edition, loaded once per request and then asked through
//! [`EditionRole`](crate::domain::scoping::EditionRole).

use super::auth::Caller;
use super::entities::{enrolment, group, group_ambassador, group_member};
use crate::domain::enrolment::EnrolmentStatus;
use crate::domain::scoping::EditionRole;
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

pub async fn edition_role(
    db: &impl ConnectionTrait,
    caller: &Caller,
    edition_id: i32,
) -> Result<EditionRole, AppError> {
    if caller.is_staff() {
        return Ok(EditionRole::Staff);
    }
    let edition_groups: Vec<i32> = group::Entity::find()
        .select_only()
        .column(group::Column::Id)
        .filter(group::Column::EditionId.eq(edition_id))
        .into_tuple()
        .all(db)
        .await?;
    if !edition_groups.is_empty() {
        let tutored: Vec<i32> = group_ambassador::Entity::find()
            .select_only()
            .column(group_ambassador::Column::GroupId)
            .filter(group_ambassador::Column::UserId.eq(caller.id))
            .filter(group_ambassador::Column::GroupId.is_in(edition_groups))
            .into_tuple()
            .all(db)
            .await?;
        if !tutored.is_empty() {
            return Ok(EditionRole::Ambassador { groups: tutored });
        }
    }
    let enrolled = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .filter(enrolment::Column::UserId.eq(caller.id))
        .filter(enrolment::Column::Status.eq(EnrolmentStatus::Enrolled.as_str()))
        .one(db)
        .await?
        .is_some();
    if !enrolled {
        return Ok(EditionRole::Outsider);
    }
    let group = group_member::Entity::find_by_id((edition_id, caller.id))
        .one(db)
        .await?
        .map(|m| m.group_id);
    Ok(EditionRole::Participant { group })
}
