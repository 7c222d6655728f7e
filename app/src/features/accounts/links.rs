//! Making and using the single-use links of [`crate::domain::account_links`]. The mail holds
//! the token; the table only its hash, so a copy of the database opens no account.

use crate::domain::account_links::{self, LinkProblem, LinkPurpose};
use crate::error::{AppError, Refusal};
use crate::ssr::auth::hash_token;
use crate::ssr::entities::account_link;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};

/// Makes a link for `user_id`, unless this account was sent enough of them in the last hour
/// (then `None`: the caller sends nothing and answers as if it had).
pub async fn issue(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: LinkPurpose,
    new_email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<String>, AppError> {
    let recent: Vec<DateTime<Utc>> = account_link::Entity::find()
        .filter(account_link::Column::UserId.eq(user_id))
        .filter(account_link::Column::Purpose.eq(purpose.as_str()))
        .filter(account_link::Column::CreatedAt.gt(now - chrono::TimeDelta::hours(1)))
        .all(db)
        .await?
        .into_iter()
        .map(|link| link.created_at)
        .collect();
    if !account_links::may_send_another(purpose, &recent, now) {
        tracing::warn!(
            user.id = user_id,
            purpose = purpose.as_str(),
            "link not sent: too many this hour"
        );
        return Ok(None);
    }
    let token = crate::ssr::auth::random_token();
    account_link::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        purpose: Set(purpose.as_str().to_owned()),
        new_email: Set(new_email.map(str::to_owned)),
        created_at: Set(now),
        expires_at: Set(now + purpose.lifetime()),
        used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(Some(token))
}

/// The link behind `token`, if it can still be used (read only: for showing the page).
pub async fn usable(
    db: &impl ConnectionTrait,
    purpose: LinkPurpose,
    token: &str,
    now: DateTime<Utc>,
) -> Result<account_link::Model, AppError> {
    let link = find(db, purpose, token).await?;
    account_links::usable(link.expires_at, link.used_at, now).map_err(refused)?;
    Ok(link)
}

/// Uses the link behind `token` (in the transaction of what it does): of two requests with the
/// same link, exactly one gets it.
pub async fn use_once(
    db: &impl ConnectionTrait,
    purpose: LinkPurpose,
    token: &str,
    now: DateTime<Utc>,
) -> Result<account_link::Model, AppError> {
    let link = usable(db, purpose, token, now).await?;
    let taken = account_link::Entity::update_many()
        .col_expr(account_link::Column::UsedAt, Expr::value(now))
        .filter(account_link::Column::TokenHash.eq(link.token_hash.clone()))
        .filter(account_link::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    if taken.rows_affected != 1 {
        return Err(refused(LinkProblem::Used));
    }
    Ok(link)
}

/// Retires the account's other unused links of this kind (a newer one, or the password was
/// changed meanwhile): an old mail stops working.
pub async fn retire_all(
    db: &impl ConnectionTrait,
    user_id: i32,
    purpose: LinkPurpose,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    account_link::Entity::update_many()
        .col_expr(account_link::Column::UsedAt, Expr::value(now))
        .filter(account_link::Column::UserId.eq(user_id))
        .filter(account_link::Column::Purpose.eq(purpose.as_str()))
        .filter(account_link::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

async fn find(
    db: &impl ConnectionTrait,
    purpose: LinkPurpose,
    token: &str,
) -> Result<account_link::Model, AppError> {
    if !account_links::well_formed(token) {
        return Err(refused(LinkProblem::Unknown));
    }
    account_link::Entity::find_by_id(hash_token(token))
        .filter(account_link::Column::Purpose.eq(purpose.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| refused(LinkProblem::Unknown))
}

fn refused(problem: LinkProblem) -> AppError {
    AppError::Refused(Refusal::Link(problem))
}
