use super::api::{OutboxPage, OutboxRow};
use crate::domain::outbox::MailStatus;
use crate::domain::paging;
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{find_or_404, to_local};
use crate::ssr::entities::outbox;
use crate::ssr::scope;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

pub const PAGE_SIZE: u64 = 50;

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn browse(
    state: &AppState,
    caller: &Caller,
    page: u64,
    status: Option<MailStatus>,
) -> Result<OutboxPage, AppError> {
    scope::staff(caller)?;
    let db = &state.db;
    // One grouped count gives every tab its number, and the list its total.
    let by_status: Vec<(MailStatus, i64)> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Status)
        .column_as(outbox::Column::Id.count(), "count")
        .group_by(outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let count_of = |status: MailStatus| {
        by_status
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0))
    };
    let counts: Vec<(MailStatus, u64)> = MailStatus::ALL
        .into_iter()
        .map(|s| (s, count_of(s)))
        .collect();
    let total = match status {
        Some(status) => count_of(status),
        None => counts.iter().map(|(_, n)| n).sum(),
    };
    let mut query = outbox::Entity::find();
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status));
    }
    let pages = paging::page_count(total, PAGE_SIZE);
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_desc(outbox::Column::Id)
        .paginate(db, PAGE_SIZE)
        .fetch_page(page - 1)
        .await?
        .into_iter()
        .map(|row| OutboxRow {
            id: row.id,
            recipient: row.recipient,
            subject: row.subject,
            status: row.status,
            attempts: row.attempts,
            created_at: to_local(row.created_at),
            sent_at: row.sent_at.map(to_local),
            due_at: to_local(row.due_at),
            last_error: row.last_error,
        })
        .collect();
    Ok(OutboxPage {
        rows,
        page,
        pages,
        total,
        counts,
    })
}

/// Queues a mail again with a fresh set of tries (a failed one, or a sent one a person lost).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn resend(state: &AppState, caller: &Caller, mail_id: i32) -> Result<(), AppError> {
    scope::staff(caller)?;
    let row = find_or_404::<outbox::Entity>(&state.db, mail_id).await?;
    let detail = format!("{} → {}", row.kind, row.recipient);
    let mut again: outbox::ActiveModel = row.into();
    again.status = Set(MailStatus::Queued);
    again.attempts = Set(0);
    again.due_at = Set(Utc::now());
    again.claimed_until = Set(None);
    again.sent_at = Set(None);
    let txn = crate::ssr::db::begin(&state.db).await?;
    again.update(&txn).await?;
    crate::features::audit::service::record(
        &txn,
        vec![crate::features::audit::service::Entry {
            actor: Some(caller.id),
            action: crate::domain::audit::Action::MailResent,
            edition: None,
            subject: None,
            detail: &detail,
            reason: None,
        }],
    )
    .await?;
    txn.commit().await?;
    crate::ssr::outbox::wake();
    Ok(())
}
