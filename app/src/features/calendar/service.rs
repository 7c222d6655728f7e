//! Private calendar feeds: each participant can have one secret address (revocable by making a
//! new one) that serves their webinars and due dates as iCalendar.

use crate::domain::activities::ActivityKind;
use crate::domain::calendar;
use crate::error::AppError;
use crate::features::activities;
use crate::ssr::AppState;
use crate::ssr::auth::{Caller, hash_token};
use crate::ssr::db::find_or_404;
use crate::ssr::entities::{activity, calendar_feed, user};
use chrono::{TimeDelta, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// Makes a new private calendar address for the caller (the old one stops working).
pub async fn reset_calendar(state: &AppState, caller: &Caller) -> Result<String, AppError> {
    let token = crate::ssr::auth::random_token();
    calendar_feed::Entity::insert(calendar_feed::ActiveModel {
        user_id: Set(caller.id),
        token_hash: Set(hash_token(&token)),
        created_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::column(calendar_feed::Column::UserId)
            .update_columns([
                calendar_feed::Column::TokenHash,
                calendar_feed::Column::CreatedAt,
            ])
            .to_owned(),
    )
    .exec(&state.db)
    .await?;
    Ok(format!("{}/calendar/{token}.ics", state.settings.base_url))
}

/// The calendar behind a private address, or `None` for an unknown or revoked one.
pub async fn calendar_for_token(state: &AppState, token: &str) -> Result<Option<String>, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(feed) = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::TokenHash.eq(hash_token(token)))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let owner = find_or_404::<user::Entity>(&state.db, feed.user_id).await?;
    let editions = crate::features::enrolment::service::editions_of(&state.db, owner.id).await?;
    let activities = activity::Entity::find()
        .filter(activity::Column::EditionId.is_in(editions))
        .filter(activity::Column::Hidden.eq(false))
        .order_by_asc(activity::Column::Id)
        .all(&state.db)
        .await?;
    let base = &state.settings.base_url;
    let mut events = Vec::new();
    for a in activities {
        let url = Some(format!("{base}/activities/{}", a.id));
        if let (ActivityKind::Webinar, Some(start)) =
            (activities::service::kind_of(&a), a.starts_at)
        {
            events.push(calendar::Event {
                uid: format!("activity-{}@aula", a.id),
                summary: a.title.clone(),
                description: a.description.clone(),
                starts_at: start,
                ends_at: start + TimeDelta::minutes(i64::from(a.duration_minutes.unwrap_or(60))),
                url: url.clone(),
            });
        }
        if let Some(due) = a.due_at {
            events.push(calendar::due_event(
                format!("activity-{}-due@aula", a.id),
                format!("⏰ {}", a.title),
                due,
                url,
            ));
        }
    }
    Ok(Some(calendar::calendar(
        &format!("Aula – {} {}", owner.given_name, owner.family_name),
        &events,
        Utc::now(),
    )))
}
