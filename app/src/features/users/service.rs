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

/// One person for staff (anonymised accounts are gone for everybody).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn load_person(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
) -> Result<super::api::PersonDetail, AppError> {
    let person = person_as_staff(state, caller, user_id).await?;
    let certificates = crate::features::certificates::service::valid_of(person.id)
        .count(&state.db)
        .await?;
    Ok(super::api::PersonDetail {
        is_me: person.id == caller.id,
        id: person.id,
        given_name: person.given_name,
        family_name: person.family_name,
        email: person.email,
        email_verified: person.email_verified_at.is_some(),
        school_name: person.school_name,
        school_code: person.school_code,
        is_ambassador: person.is_ambassador,
        is_staff: person.is_staff,
        state: person.account_state,
        created_at: crate::ssr::db::to_local(person.created_at),
        last_login_at: person.last_login_at.map(crate::ssr::db::to_local),
        certificates,
    })
}

async fn person_as_staff(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
) -> Result<user::Model, AppError> {
    let person = scope::user_as_staff(&state.db, caller, user_id).await?;
    if person.account_state == AccountState::Anonymised {
        return Err(AppError::NotFound);
    }
    Ok(person)
}

fn reason_of(input: &str) -> Result<String, AppError> {
    crate::domain::text::single_line(input, 500).map_err(|problem| {
        AppError::invalid(vec![crate::domain::FieldProblem::new(
            crate::domain::Field::Reason,
            problem,
        )])
    })
}

fn entry<'a>(
    caller: &Caller,
    action: crate::domain::audit::Action,
    user_id: i32,
    detail: &'a str,
    reason: Option<&'a str>,
) -> crate::features::audit::service::Entry<'a> {
    crate::features::audit::service::Entry {
        actor: Some(caller.id),
        action,
        edition: None,
        subject: Some(user_id),
        detail,
        reason,
    }
}

/// Mails a reset link to an active account, on record. The person's hourly allowance of links
/// applies here too.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn send_reset_link(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
) -> Result<(), AppError> {
    use crate::domain::account_links::LinkPurpose;
    use crate::features::accounts::{links, mails};
    let person = person_as_staff(state, caller, user_id).await?;
    if person.account_state == AccountState::Deactivated {
        return Err(AppError::Refused(Refusal::AccountDeactivated));
    }
    let now = chrono::Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let token = links::issue(&txn, person.id, LinkPurpose::ResetPassword, None, now)
        .await?
        .ok_or(AppError::TooManyAttempts {
            retry_after_secs: 3600,
        })?;
    let mail = mails::reset_password(&person, &state.settings.base_url, &token);
    crate::ssr::outbox::enqueue(&txn, vec![mail]).await?;
    crate::features::audit::service::record(
        &txn,
        vec![entry(
            caller,
            crate::domain::audit::Action::PasswordResetSent,
            person.id,
            &person.email,
            None,
        )],
    )
    .await?;
    txn.commit().await?;
    crate::ssr::outbox::wake();
    Ok(())
}

/// Closes or reopens an account, with the reason, on record. Closing ends every session of it;
/// nobody closes their own.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
/// Staff anonymise a person on request: the same code path as the retention job, audited
/// with staff's reason. Never one's own account (someone must be left to do it).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn anonymise_on_request(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
    reason: &str,
) -> Result<(), AppError> {
    let person = person_as_staff(state, caller, user_id).await?;
    let reason = reason_of(reason)?;
    if person.id == caller.id {
        return Err(AppError::Refused(Refusal::OwnAccount));
    }
    crate::features::lifecycle::service::anonymise(
        state,
        person.id,
        Some(caller.id),
        &reason,
        chrono::Utc::now(),
    )
    .await
}

pub async fn set_account_active(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
    active: bool,
    reason: &str,
) -> Result<(), AppError> {
    use crate::domain::audit::Action;
    let person = person_as_staff(state, caller, user_id).await?;
    let reason = reason_of(reason)?;
    if person.id == caller.id {
        return Err(AppError::Refused(Refusal::OwnAccount));
    }
    let (new_state, action) = if active {
        (AccountState::Active, Action::AccountReactivated)
    } else {
        (AccountState::Deactivated, Action::AccountDeactivated)
    };
    if person.account_state == new_state {
        return Ok(());
    }
    let txn = crate::ssr::db::begin(&state.db).await?;
    let mut changed: user::ActiveModel = person.clone().into();
    changed.account_state = Set(new_state);
    changed.update(&txn).await?;
    if !active {
        crate::ssr::auth::end_sessions_of(&txn, person.id, None).await?;
    }
    crate::features::audit::service::record(
        &txn,
        vec![entry(
            caller,
            action,
            person.id,
            &person.email,
            Some(&reason),
        )],
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user.id = person.id,
        active,
        "account state changed by staff"
    );
    Ok(())
}

/// Staff correct how a name is written; the old and new spelling go on record with the reason,
/// and every valid certificate is issued again under the corrected name (the old one shows as
/// replaced).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn correct_name(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
    given_name: &str,
    family_name: &str,
    reason: &str,
) -> Result<(), AppError> {
    use crate::domain::account::PersonName;
    use crate::domain::{Field, problem::Problems};
    let person = person_as_staff(state, caller, user_id).await?;
    let mut problems = Problems::new();
    let given = problems.check(Field::GivenName, PersonName::parse(given_name));
    let family = problems.check(Field::FamilyName, PersonName::parse(family_name));
    let reason = problems.check(Field::Reason, crate::domain::text::single_line(reason, 500));
    let (Some(given), Some(family), Some(reason)) = (given, family, reason) else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let txn = crate::ssr::db::begin(&state.db).await?;
    let renamed = rename(&txn, caller, &person, &given, &family, &reason).await?;
    txn.commit().await?;
    if renamed {
        reissue_under_new_name(state, caller, person.id, &reason).await?;
    }
    Ok(())
}

/// Writes the new name with its audit entry (in `txn`); `false` when it is the same name.
pub async fn rename(
    txn: &impl sea_orm::ConnectionTrait,
    caller: &Caller,
    person: &user::Model,
    given: &crate::domain::account::PersonName,
    family: &crate::domain::account::PersonName,
    reason: &str,
) -> Result<bool, AppError> {
    let before = crate::domain::certificates::printed_name(&person.given_name, &person.family_name);
    let after = crate::domain::certificates::printed_name(given.as_str(), family.as_str());
    if before == after {
        return Ok(false);
    }
    let mut changed: user::ActiveModel = person.clone().into();
    changed.given_name = Set(given.as_str().to_owned());
    changed.family_name = Set(family.as_str().to_owned());
    changed.update(txn).await?;
    let detail = format!("{before} → {after}");
    crate::features::audit::service::record(
        txn,
        vec![entry(
            caller,
            crate::domain::audit::Action::NameCorrected,
            person.id,
            &detail,
            Some(reason),
        )],
    )
    .await?;
    tracing::info!(user.id = person.id, "name corrected");
    Ok(true)
}

/// Issues each valid certificate of `user_id` again, now that the name is corrected.
pub async fn reissue_under_new_name(
    state: &AppState,
    caller: &Caller,
    user_id: i32,
    reason: &str,
) -> Result<(), AppError> {
    let valid = crate::features::certificates::service::valid_of(user_id)
        .all(&state.db)
        .await?;
    for old in valid {
        crate::features::certificates::service::reissue(state, caller, old.id, reason.to_owned())
            .await?;
    }
    Ok(())
}

/// Requests to correct a printed name still waiting for staff, oldest first.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn pending_corrections(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<super::api::CorrectionRow>, AppError> {
    use crate::domain::account::CorrectionStatus;
    use crate::ssr::entities::name_correction;
    scope::staff(caller)?;
    let pending = name_correction::Entity::find()
        .filter(name_correction::Column::Status.eq(CorrectionStatus::Pending))
        .order_by_asc(name_correction::Column::RequestedAt)
        .limit(200)
        .all(&state.db)
        .await?;
    let people: std::collections::HashMap<i32, user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(pending.iter().map(|c| c.user_id)))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(pending
        .into_iter()
        .filter_map(|c| {
            let person = people.get(&c.user_id)?;
            Some(super::api::CorrectionRow {
                id: c.id,
                user_id: c.user_id,
                email: person.email.clone(),
                current: crate::domain::certificates::printed_name(
                    &person.given_name,
                    &person.family_name,
                ),
                requested: crate::domain::certificates::printed_name(&c.given_name, &c.family_name),
                note: c.note,
                requested_at: crate::ssr::db::to_local(c.requested_at),
            })
        })
        .collect())
}

/// Staff approve (the name changes and certificates are issued again) or reject (with a note
/// the person is mailed) a correction request. Deciding twice is refused.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn decide_correction(
    state: &AppState,
    caller: &Caller,
    correction_id: i32,
    approve: bool,
    note: &str,
) -> Result<(), AppError> {
    use crate::domain::account::{CorrectionStatus, PersonName};
    use crate::ssr::entities::name_correction;
    scope::staff(caller)?;
    let note = crate::domain::text::single_line(note, 500).ok();
    if !approve && note.is_none() {
        return Err(AppError::invalid(vec![crate::domain::FieldProblem::new(
            crate::domain::Field::Reason,
            crate::domain::Problem::Required,
        )]));
    }
    let now = chrono::Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let correction = name_correction::Entity::find_by_id(correction_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let person = user::Entity::find_by_id(correction.user_id)
        .one(&txn)
        .await?
        .filter(|p| p.account_state != AccountState::Anonymised)
        .ok_or(AppError::NotFound)?;
    // Only the request still pending is decided: a second click, or another staff member
    // first, changes nothing.
    let decided = name_correction::Entity::update_many()
        .col_expr(
            name_correction::Column::Status,
            Expr::value(if approve {
                CorrectionStatus::Approved
            } else {
                CorrectionStatus::Rejected
            }),
        )
        .col_expr(name_correction::Column::DecidedBy, Expr::value(caller.id))
        .col_expr(name_correction::Column::DecidedAt, Expr::value(now))
        .col_expr(
            name_correction::Column::DecisionNote,
            Expr::value(note.clone()),
        )
        .filter(name_correction::Column::Id.eq(correction.id))
        .filter(name_correction::Column::Status.eq(CorrectionStatus::Pending))
        .exec(&txn)
        .await?;
    if decided.rows_affected != 1 {
        return Err(AppError::Refused(Refusal::AlreadyDecided));
    }
    let reason = note
        .clone()
        .unwrap_or_else(|| format!("request {}", correction.id));
    let renamed = if approve {
        let given = PersonName::parse(&correction.given_name).map_err(|_| AppError::Internal)?;
        let family = PersonName::parse(&correction.family_name).map_err(|_| AppError::Internal)?;
        rename(&txn, caller, &person, &given, &family, &reason).await?
    } else {
        let mail = crate::features::accounts::mails::correction_rejected(
            &person,
            &correction,
            note.as_deref().unwrap_or_default(),
        );
        crate::ssr::outbox::enqueue(&txn, vec![mail]).await?;
        false
    };
    txn.commit().await?;
    crate::ssr::outbox::wake();
    if renamed {
        reissue_under_new_name(state, caller, person.id, &reason).await?;
    }
    Ok(())
}
