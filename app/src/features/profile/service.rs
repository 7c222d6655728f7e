use super::api::Profile;
use crate::domain::account::{CorrectionStatus, Email, PersonName, SchoolCode, SchoolName};
use crate::domain::account_links::LinkPurpose;
use crate::domain::certificates::printed_name;
use crate::domain::problem::Problems;
use crate::domain::{Field, FieldProblem, Problem, password};
use crate::error::{AppError, Refusal};
use crate::features::accounts::{links, mails, service::attempt_login};
use crate::ssr::AppState;
use crate::ssr::auth::{self, Caller, passwords};
use crate::ssr::entities::{name_correction, user};
use crate::ssr::outbox;
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, SqlErr,
};

async fn me(db: &impl ConnectionTrait, caller: &Caller) -> Result<user::Model, AppError> {
    user::Entity::find_by_id(caller.id)
        .one(db)
        .await?
        .ok_or(AppError::NotSignedIn)
}

/// Valid certificates that print this person's name.
async fn certificates_of(db: &impl ConnectionTrait, user_id: i32) -> Result<u64, AppError> {
    Ok(crate::features::certificates::service::valid_of(user_id)
        .count(db)
        .await?)
}

pub async fn load(state: &AppState, caller: &Caller) -> Result<Profile, AppError> {
    let me = me(&state.db, caller).await?;
    let certificates = certificates_of(&state.db, me.id).await?;
    let pending_correction = name_correction::Entity::find()
        .filter(name_correction::Column::UserId.eq(me.id))
        .filter(name_correction::Column::Status.eq(CorrectionStatus::Pending))
        .one(&state.db)
        .await?
        .map(|c| printed_name(&c.given_name, &c.family_name));
    Ok(Profile {
        pending_correction,
        printed_name: printed_name(&me.given_name, &me.family_name),
        given_name: me.given_name,
        family_name: me.family_name,
        school_name: me.school_name,
        school_code: me.school_code,
        email: me.email,
        email_verified: me.email_verified_at.is_some(),
        language: me.locale,
        has_password: me.password_hash.is_some(),
        certificates,
    })
}

pub struct ProfileForm {
    pub given_name: String,
    pub family_name: String,
    pub school_name: String,
    pub school_code: String,
}

/// Saves names and school. Once a certificate prints the name, the name stays as it is here.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn save(state: &AppState, caller: &Caller, form: ProfileForm) -> Result<(), AppError> {
    let mut problems = Problems::new();
    let given = problems.check(Field::GivenName, PersonName::parse(&form.given_name));
    let family = problems.check(Field::FamilyName, PersonName::parse(&form.family_name));
    let school = problems.check(Field::SchoolName, SchoolName::parse(&form.school_name));
    let code = problems.check(Field::SchoolCode, SchoolCode::parse(&form.school_code));
    let (Some(given), Some(family), Some(school), Some(code)) = (given, family, school, code)
    else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let me = me(&state.db, caller).await?;
    let renamed = me.given_name != given.as_str() || me.family_name != family.as_str();
    if renamed && certificates_of(&state.db, me.id).await? > 0 {
        return Err(AppError::Refused(Refusal::NameOnCertificate));
    }
    let mut changed: user::ActiveModel = me.into();
    changed.given_name = Set(given.as_str().to_owned());
    changed.family_name = Set(family.as_str().to_owned());
    changed.school_name = Set(school.as_str().to_owned());
    changed.school_code = Set(code.as_str().to_owned());
    changed.update(&state.db).await?;
    tracing::info!(user.id = caller.id, renamed, "profile saved");
    Ok(())
}

/// Asks staff to correct a name that valid certificates print; a request still waiting is
/// replaced. Without such certificates the profile form changes the name directly.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn request_correction(
    state: &AppState,
    caller: &Caller,
    given_name: &str,
    family_name: &str,
    note: &str,
) -> Result<(), AppError> {
    let mut problems = Problems::new();
    let given = problems.check(Field::GivenName, PersonName::parse(given_name));
    let family = problems.check(Field::FamilyName, PersonName::parse(family_name));
    let note = problems.check(
        Field::Reason,
        crate::domain::text::optional_single_line(note, 500),
    );
    let (Some(given), Some(family), Some(note)) = (given, family, note) else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let me = me(&state.db, caller).await?;
    if printed_name(given.as_str(), family.as_str())
        == printed_name(&me.given_name, &me.family_name)
    {
        return Err(AppError::invalid(vec![FieldProblem::new(
            Field::GivenName,
            Problem::SameName,
        )]));
    }
    let txn = crate::ssr::db::begin(&state.db).await?;
    name_correction::Entity::delete_many()
        .filter(name_correction::Column::UserId.eq(me.id))
        .filter(name_correction::Column::Status.eq(CorrectionStatus::Pending))
        .exec(&txn)
        .await?;
    name_correction::ActiveModel {
        user_id: Set(me.id),
        given_name: Set(given.as_str().to_owned()),
        family_name: Set(family.as_str().to_owned()),
        note: Set(note),
        status: Set(CorrectionStatus::Pending),
        requested_at: Set(Utc::now()),
        decided_by: Set(None),
        decided_at: Set(None),
        decision_note: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(user.id = me.id, "name correction requested");
    Ok(())
}

/// The current password, checked under the sign-in throttle (a session left open somewhere
/// must not become a way to guess it).
async fn check_current_password(
    state: &AppState,
    caller: &Caller,
    current: String,
    address: &str,
) -> Result<(), AppError> {
    match attempt_login(state, &caller.email, current, address).await {
        Ok(_) => Ok(()),
        Err(AppError::WrongCredentials) => Err(AppError::invalid(vec![FieldProblem::new(
            Field::CurrentPassword,
            Problem::PasswordWrong,
        )])),
        Err(other) => Err(other),
    }
}

/// Changes the password; the owner's other sessions end and they are told by mail.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    current: String,
    new_password: String,
    address: &str,
) -> Result<(), AppError> {
    let email = Email::parse(&caller.email).ok();
    password::check_new(&new_password, email.as_ref())
        .map_err(|problem| AppError::invalid(vec![FieldProblem::new(Field::Password, problem)]))?;
    check_current_password(state, caller, current, address).await?;
    let hash = passwords::hash(new_password).await?;
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let me = me(&txn, caller).await?;
    let mut changed: user::ActiveModel = me.clone().into();
    changed.password_hash = Set(Some(hash));
    changed.update(&txn).await?;
    links::retire_all(&txn, me.id, LinkPurpose::ResetPassword, now).await?;
    let ended = auth::end_sessions_of(&txn, me.id, Some(&caller.session)).await?;
    outbox::enqueue(
        &txn,
        vec![mails::password_changed(&me, &state.settings.base_url)],
    )
    .await?;
    txn.commit().await?;
    outbox::wake();
    tracing::info!(user.id = me.id, sessions_ended = ended, "password changed");
    Ok(())
}

/// Sends a link to `new_email`; the address changes when it is opened.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn change_email(
    state: &AppState,
    caller: &Caller,
    new_email: &str,
    current: String,
    address: &str,
) -> Result<(), AppError> {
    let new_email = Email::parse(new_email)
        .map_err(|problem| AppError::invalid(vec![FieldProblem::new(Field::Email, problem)]))?;
    if new_email.as_str() == caller.email {
        return Err(AppError::invalid(vec![FieldProblem::new(
            Field::Email,
            Problem::SameEmail,
        )]));
    }
    check_current_password(state, caller, current, address).await?;
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(new_email.as_str()))
        .one(&txn)
        .await?;
    if taken.is_some() {
        return Err(AppError::invalid(vec![FieldProblem::new(
            Field::Email,
            Problem::EmailTaken,
        )]));
    }
    let me = me(&txn, caller).await?;
    // Only the latest request counts: an older link stops working.
    links::retire_all(&txn, me.id, LinkPurpose::ChangeEmail, now).await?;
    let token = links::issue(
        &txn,
        me.id,
        LinkPurpose::ChangeEmail,
        Some(new_email.as_str()),
        now,
    )
    .await?
    .ok_or(AppError::TooManyAttempts {
        retry_after_secs: 3600,
    })?;
    let mail = mails::confirm_new_email(&me, new_email.as_str(), &state.settings.base_url, &token);
    outbox::enqueue(&txn, vec![mail]).await?;
    txn.commit().await?;
    outbox::wake();
    tracing::info!(user.id = me.id, "change of address asked");
    Ok(())
}

/// Puts the new address in use with the link mailed to it, and tells the old address.
#[tracing::instrument(skip_all)]
pub async fn confirm_email_change(state: &AppState, token: &str) -> Result<(), AppError> {
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let link = links::use_once(&txn, LinkPurpose::ChangeEmail, token, now).await?;
    let me = user::Entity::find_by_id(link.user_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let new_email = link.new_email.clone().ok_or(AppError::Internal)?;
    let old_email = me.email.clone();
    let mut changed: user::ActiveModel = me.clone().into();
    changed.email = Set(new_email.clone());
    changed.email_verified_at = Set(Some(now));
    match changed.update(&txn).await {
        Ok(_) => {}
        // Someone took the address since the link was sent.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Err(AppError::invalid(vec![FieldProblem::new(
                Field::Email,
                Problem::EmailTaken,
            )]));
        }
        Err(error) => return Err(error.into()),
    }
    outbox::enqueue(
        &txn,
        vec![mails::email_changed(&me, &old_email, &new_email)],
    )
    .await?;
    txn.commit().await?;
    outbox::wake();
    tracing::info!(user.id = me.id, "address changed");
    Ok(())
}
