use super::api::UserRow;
use crate::domain::account::AccountState;
use crate::domain::paging::{self, DEFAULT_PAGE_SIZE, Page};
use crate::domain::roles::{self, Role};
use crate::error::{AppError, Refusal};
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::search_condition;
use crate::ssr::entities::user;
use crate::ssr::scope;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn list_users(
    state: &AppState,
    caller: &Caller,
    search: String,
    page: u64,
) -> Result<Page<UserRow>, AppError> {
    scope::staff(caller)?;
    let mut query =
        user::Entity::find().filter(user::Column::AccountState.ne(AccountState::Anonymised));
    query = query.filter(search_condition(
        &search,
        &[
            Expr::col(user::Column::GivenName),
            Expr::col(user::Column::FamilyName),
            Expr::col(user::Column::Email),
            Expr::col(user::Column::SchoolCode),
        ],
    ));
    let total = query.clone().count(&state.db).await?;
    let (number, offset) = paging::clamp(page, total, DEFAULT_PAGE_SIZE);
    let users = query
        .order_by_asc(user::Column::FamilyName)
        .order_by_asc(user::Column::GivenName)
        .order_by_asc(user::Column::Id)
        .offset(offset)
        .limit(DEFAULT_PAGE_SIZE)
        .all(&state.db)
        .await?;
    let items = users
        .into_iter()
        .map(|u| UserRow {
            is_me: u.id == caller.id,
            id: u.id,
            given_name: u.given_name,
            family_name: u.family_name,
            email: u.email,
            school_name: u.school_name,
            school_code: u.school_code,
            is_ambassador: u.is_ambassador,
            is_staff: u.is_staff,
        })
        .collect();
    Ok(Page {
        items,
        number,
        size: DEFAULT_PAGE_SIZE,
        total,
    })
}

/// Ends every group tutorship of `user_id`; answers each one's edition and audit detail.
async fn end_tutorships(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
) -> Result<Vec<(i32, String)>, AppError> {
    use crate::ssr::entities::{group, group_ambassador};
    let tutored: Vec<i32> = group_ambassador::Entity::find()
        .filter(group_ambassador::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.group_id)
        .collect();
    if tutored.is_empty() {
        return Ok(Vec::new());
    }
    group_ambassador::Entity::delete_many()
        .filter(group_ambassador::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(group::Entity::find()
        .filter(group::Column::Id.is_in(tutored))
        .order_by_asc(group::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.edition_id, format!("tutorship ended: {}", g.name)))
        .collect())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn set_role(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
    role: String,
    granted: String,
) -> Result<(), AppError> {
    let target = scope::user_as_staff(&state.db, caller, user_id).await?;
    let role = Role::parse(role.trim()).ok_or(AppError::NotFound)?;
    let granted = granted.trim() == "true";
    roles::check_role_change(caller.id, target.id, role, granted)
        .map_err(|refusal| AppError::Refused(Refusal::RoleChange(refusal)))?;
    let mut active: user::ActiveModel = target.into();
    match role {
        Role::Ambassador => active.is_ambassador = Set(granted),
        Role::Staff => active.is_staff = Set(granted),
    }
    let txn = crate::ssr::db::begin(&state.db).await?;
    active.update(&txn).await?;
    let detail = format!(
        "{}: {}",
        role.as_str(),
        if granted { "granted" } else { "withdrawn" }
    );
    let mut entries = vec![crate::features::audit::service::Entry {
        actor: Some(caller.id),
        action: crate::domain::audit::Action::RoleChanged,
        edition: None,
        subject: Some(user_id),
        detail: &detail,
        reason: None,
    }];
    // Without the role, the person tutors no group any more: each tutorship ends, on record.
    let ended = if role == Role::Ambassador && !granted {
        end_tutorships(&txn, user_id).await?
    } else {
        Vec::new()
    };
    for (edition, detail) in &ended {
        entries.push(crate::features::audit::service::Entry {
            actor: Some(caller.id),
            action: crate::domain::audit::Action::RoleChanged,
            edition: Some(*edition),
            subject: Some(user_id),
            detail,
            reason: None,
        });
    }
    crate::features::audit::service::record(&txn, entries).await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        target.id = user_id,
        role = role.as_str(),
        granted,
        "role changed"
    );
    Ok(())
}
