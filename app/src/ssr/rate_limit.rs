//! Fixed-window request limits per client address, counted in the database so that every
//! instance behind a load balancer counts against the same limit.

use crate::domain::rate_limit::{Limit, verdict, window_start};
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::auth::keyed_hash;
use crate::ssr::entities::request_limit;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// Windows older than this are deleted (any limit's window is far shorter).
const KEEP_FOR: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// Counts one request of `client` against `limit`; `TooManyAttempts` once over it.
pub async fn check(state: &AppState, limit: &Limit, client: &str) -> Result<(), AppError> {
    let now = Utc::now();
    let start = window_start(limit, now.timestamp());
    let key = keyed_hash(
        &state.settings.secret,
        &format!("{}|{client}|{start}", limit.action),
    );
    // One atomic statement: concurrent requests on any instance each add exactly one.
    request_limit::Entity::insert(request_limit::ActiveModel {
        key_hash: Set(key.clone()),
        window_start: Set(DateTime::from_timestamp(start, 0).unwrap_or(now)),
        requests: Set(1),
    })
    .on_conflict(
        OnConflict::column(request_limit::Column::KeyHash)
            .value(
                request_limit::Column::Requests,
                Expr::col((request_limit::Entity, request_limit::Column::Requests)).add(1),
            )
            .to_owned(),
    )
    .exec(&state.db)
    .await?;
    let requests = request_limit::Entity::find_by_id(key)
        .one(&state.db)
        .await?
        .map_or(1, |row| row.requests);
    if requests == 1 {
        // A client's first request in a window: a good moment to forget old windows.
        request_limit::Entity::delete_many()
            .filter(request_limit::Column::WindowStart.lt(now - KEEP_FOR))
            .exec(&state.db)
            .await?;
    }
    verdict(
        limit,
        u32::try_from(requests).unwrap_or(u32::MAX),
        start,
        now.timestamp(),
    )
    .map_err(|retry_after_secs| AppError::TooManyAttempts { retry_after_secs })
}
