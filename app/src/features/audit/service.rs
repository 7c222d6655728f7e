use super::api::{AuditEntry, AuditPage};
use crate::domain::audit::Action;
use crate::domain::paging;
use crate::error::AppError;
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{names, to_local};
use crate::ssr::entities::{audit_event, edition};
use crate::ssr::scope;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

pub const PAGE_SIZE: u64 = 50;

/// One change to a participant's record, written in the same transaction as the change.
pub struct Entry<'a> {
    pub actor: Option<i32>,
    pub action: Action,
    pub edition: Option<i32>,
    pub subject: Option<i32>,
    pub detail: &'a str,
    pub reason: Option<&'a str>,
}

pub async fn record(db: &impl ConnectionTrait, entries: Vec<Entry<'_>>) -> Result<(), AppError> {
    if entries.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = entries.into_iter().map(|e| audit_event::ActiveModel {
        at: Set(now),
        actor_id: Set(e.actor),
        action: Set(e.action),
        edition_id: Set(e.edition),
        subject_id: Set(e.subject),
        detail: Set(e.detail.to_owned()),
        reason: Set(e.reason.map(str::to_owned)),
        ..Default::default()
    });
    audit_event::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn browse(
    state: &AppState,
    caller: &Caller,
    page: u64,
    action: Option<Action>,
    edition_id: Option<i32>,
    subject_id: Option<i32>,
) -> Result<AuditPage, AppError> {
    scope::staff(caller)?;
    let db = &state.db;
    let mut query = audit_event::Entity::find();
    if let Some(action) = action {
        query = query.filter(audit_event::Column::Action.eq(action.as_str()));
    }
    if let Some(edition_id) = edition_id {
        query = query.filter(audit_event::Column::EditionId.eq(edition_id));
    }
    if let Some(subject_id) = subject_id {
        query = query.filter(audit_event::Column::SubjectId.eq(subject_id));
    }
    let total = query.clone().count(db).await?;
    let pages = paging::page_count(total, PAGE_SIZE);
    let page = page.clamp(1, pages);
    let rows = query
        .order_by_desc(audit_event::Column::At)
        .order_by_desc(audit_event::Column::Id)
        .paginate(db, PAGE_SIZE)
        .fetch_page(page - 1)
        .await?;
    let mentioned: Vec<i32> = rows
        .iter()
        .flat_map(|e| [e.actor_id, e.subject_id])
        .flatten()
        .chain(subject_id)
        .collect();
    let people = names(db, mentioned).await?;
    let editions: Vec<(i32, String)> = edition::Entity::find()
        .order_by_desc(edition::Column::StartsOn)
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.title))
        .collect();
    let edition_title = |id: i32| {
        editions
            .iter()
            .find(|(e, _)| *e == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| format!("#{id}"))
    };
    let person = |id: i32| people.get(&id).cloned().unwrap_or_else(|| format!("#{id}"));
    let entries = rows
        .into_iter()
        .map(|e| AuditEntry {
            at: to_local(e.at),
            actor: e.actor_id.map(person),
            action: e.action,
            edition: e.edition_id.map(|id| (id, edition_title(id))),
            subject: e.subject_id.map(|id| (id, person(id))),
            detail: e.detail,
            reason: e.reason,
        })
        .collect();
    Ok(AuditPage {
        entries,
        page,
        pages,
        total,
        editions,
        subject: subject_id.map(|id| (id, person(id))),
    })
}
