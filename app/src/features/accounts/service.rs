use super::api::SignedInUser;
use crate::domain::account::{
    AccountState, Email, PersonName, RegistrationStatus, SchoolCode, SchoolName,
};
use crate::domain::problem::Problems;
use crate::domain::{Field, Problem, login_throttle, password};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::ssr::auth::{self, Caller, passwords};
use crate::ssr::entities::{login_throttle as throttle, user};
use crate::ssr::{AppState, Settings};
use crate::ui::language::LOCALE_COOKIE;
use chrono::Utc;
use leptos_i18n::Locale as _;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, SqlErr};

const LOCALE_COOKIE_MAX_AGE: u64 = 365 * 24 * 60 * 60;

/// The signed-in user as the pages see them.
pub fn signed_in_user(caller: &Caller) -> SignedInUser {
    SignedInUser {
        id: caller.id,
        given_name: caller.given_name.clone(),
        family_name: caller.family_name.clone(),
        email: caller.email.clone(),
        is_ambassador: caller.roles.ambassador,
        is_staff: caller.roles.staff,
    }
}

pub struct SignUpForm {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub school_name: String,
    pub school_code: String,
    pub password: String,
}

pub struct NewAccount {
    pub email: Email,
    pub given_name: PersonName,
    pub family_name: PersonName,
    pub school_name: SchoolName,
    pub school_code: SchoolCode,
    pub password: String,
}

impl SignUpForm {
    /// Parses every field, reporting all problems at once.
    pub fn parse(&self) -> Result<NewAccount, AppError> {
        let mut problems = Problems::new();
        let email = problems.check(Field::Email, Email::parse(&self.email));
        let given_name = problems.check(Field::GivenName, PersonName::parse(&self.given_name));
        let family_name = problems.check(Field::FamilyName, PersonName::parse(&self.family_name));
        let school_name = problems.check(Field::SchoolName, SchoolName::parse(&self.school_name));
        let school_code = problems.check(Field::SchoolCode, SchoolCode::parse(&self.school_code));
        problems.check(
            Field::Password,
            password::check_new(&self.password, email.as_ref()),
        );
        match (email, given_name, family_name, school_name, school_code) {
            (
                Some(email),
                Some(given_name),
                Some(family_name),
                Some(school_name),
                Some(school_code),
            ) if problems.is_empty() => Ok(NewAccount {
                email,
                given_name,
                family_name,
                school_name,
                school_code,
                password: self.password.clone(),
            }),
            _ => Err(AppError::invalid(problems.into_vec())),
        }
    }
}

/// Creates the account and signs its owner in (ending any session the browser had);
/// answers the new session's token.
#[tracing::instrument(skip_all)]
pub async fn sign_up(
    state: &AppState,
    caller: Option<&Caller>,
    form: SignUpForm,
    language: Locale,
) -> Result<String, AppError> {
    let account = form.parse()?;
    let user = create_account(state, account, language, false).await?;
    tracing::info!(user.id = user.id, "account created");
    if let Some(previous) = caller {
        auth::end_session(state, &previous.session).await?;
    }
    auth::start_session(state, user.id).await
}

/// Creates an account (sign-up, the `create-staff` command, demo data).
pub async fn create_account(
    state: &AppState,
    account: NewAccount,
    language: Locale,
    is_staff: bool,
) -> Result<user::Model, AppError> {
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(account.email.as_str()))
        .one(&state.db)
        .await?;
    if taken.is_some() {
        return Err(AppError::invalid(vec![crate::domain::FieldProblem::new(
            Field::Email,
            Problem::EmailTaken,
        )]));
    }
    let hash = passwords::hash(account.password).await?;
    let inserted = user::ActiveModel {
        email: Set(account.email.as_str().to_owned()),
        given_name: Set(account.given_name.as_str().to_owned()),
        family_name: Set(account.family_name.as_str().to_owned()),
        school_name: Set(account.school_name.as_str().to_owned()),
        school_code: Set(account.school_code.as_str().to_owned()),
        school_region: Set(None),
        school_level: Set(None),
        locale: Set(language.as_str().to_owned()),
        is_ambassador: Set(false),
        is_staff: Set(is_staff),
        registration_status: Set(RegistrationStatus::Pending),
        account_state: Set(AccountState::Active),
        password_hash: Set(Some(hash)),
        created_at: Set(Utc::now()),
        last_login_at: Set(None),
        ..Default::default()
    }
    .insert(&state.db)
    .await;
    match inserted {
        Ok(user) => Ok(user),
        // Two sign-ups racing for one address: the unique index decides.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            Err(AppError::invalid(vec![crate::domain::FieldProblem::new(
                Field::Email,
                Problem::EmailTaken,
            )]))
        }
        Err(error) => Err(error.into()),
    }
}

/// Signs in from `address`, ending any session the browser had; answers the new session's
/// token and the account's language.
#[tracing::instrument(skip_all)]
pub async fn log_in(
    state: &AppState,
    caller: Option<&Caller>,
    email: &str,
    password: String,
    address: &str,
) -> Result<(String, Locale), AppError> {
    let normalised = email.trim().to_lowercase();
    let user = attempt_login(state, &normalised, password, address).await?;
    if let Some(previous) = caller {
        auth::end_session(state, &previous.session).await?;
    }
    let token = auth::start_session(state, user.id).await?;
    Ok((token, user.locale.parse().unwrap_or_default()))
}

/// Checks credentials under the throttling rules; logs every attempt (never the password).
pub async fn attempt_login(
    state: &AppState,
    email: &str,
    password: String,
    address: &str,
) -> Result<user::Model, AppError> {
    let now = Utc::now();
    let account_key = auth::keyed_hash(&state.settings.secret, &format!("account:{email}"));
    let address_key = auth::keyed_hash(&state.settings.secret, &format!("address:{address}"));
    let records = throttle::Entity::find()
        .filter(throttle::Column::KeyHash.is_in([account_key.clone(), address_key.clone()]))
        .all(&state.db)
        .await?;
    let since =
        |record: &throttle::Model| (now - record.last_failure_at).to_std().unwrap_or_default();
    let record_of = |key: &str| records.iter().find(|r| r.key_hash == key);
    let wait = [
        (&account_key, login_throttle::PER_ACCOUNT),
        (&address_key, login_throttle::PER_ADDRESS),
    ]
    .into_iter()
    .filter_map(|(key, policy)| {
        let record = record_of(key)?;
        policy.must_wait(record.failures.max(0) as u32, since(record))
    })
    .max();
    if let Some(wait) = wait {
        tracing::warn!(%address, outcome = "throttled", "login attempt");
        return Err(AppError::TooManyAttempts {
            retry_after_secs: wait.as_secs_f64().ceil() as u64,
        });
    }

    let user = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&state.db)
        .await?;
    let active = user
        .as_ref()
        .is_some_and(|u| u.account_state == AccountState::Active);
    let stored = user
        .as_ref()
        .filter(|_| active)
        .and_then(|u| u.password_hash.clone());
    if passwords::verify(password, stored).await
        && let Some(user) = user
    {
        throttle::Entity::delete_by_id(account_key)
            .exec(&state.db)
            .await?;
        let mut active_user: user::ActiveModel = user.clone().into();
        active_user.last_login_at = Set(Some(now));
        active_user.update(&state.db).await?;
        tracing::info!(user.id = user.id, %address, outcome = "success", "login attempt");
        return Ok(user);
    }

    for (key, policy) in [
        (account_key, login_throttle::PER_ACCOUNT),
        (address_key, login_throttle::PER_ADDRESS),
    ] {
        let failures = match record_of(&key) {
            Some(record) => {
                policy.failures_after_another(record.failures.max(0) as u32, since(record))
            }
            None => 1,
        };
        throttle::Entity::insert(throttle::ActiveModel {
            key_hash: Set(key),
            failures: Set(failures.min(i32::MAX as u32) as i32),
            last_failure_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(throttle::Column::KeyHash)
                .update_columns([throttle::Column::Failures, throttle::Column::LastFailureAt])
                .to_owned(),
        )
        .exec(&state.db)
        .await?;
    }
    tracing::warn!(%address, known_account = user.is_some(), outcome = "failure", "login attempt");
    Err(AppError::WrongCredentials)
}

pub async fn log_out(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    auth::end_session(state, &caller.session).await?;
    tracing::info!(user.id = caller.id, "logged out");
    Ok(())
}

/// Switches the interface language, and stores it on the account when signed in. Only Aula's
/// languages are accepted.
#[tracing::instrument(skip_all)]
pub async fn set_language(
    state: &AppState,
    caller: Option<&Caller>,
    locale: &str,
) -> Result<Locale, AppError> {
    let language: Locale = locale.parse().map_err(|_| AppError::NotFound)?;
    if let Some(caller) = caller {
        user::Entity::update_many()
            .col_expr(
                user::Column::Locale,
                sea_orm::sea_query::Expr::value(language.as_str()),
            )
            .filter(user::Column::Id.eq(caller.id))
            .exec(&state.db)
            .await?;
    }
    Ok(language)
}

/// The cookie that keeps the chosen language (a year).
pub fn language_cookie(language: Locale, settings: &Settings) -> String {
    let secure = if settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{LOCALE_COOKIE}={}; Path=/; SameSite=Lax; Max-Age={LOCALE_COOKIE_MAX_AGE}{secure}",
        language.as_str()
    )
}

/// Where to go after signing in: only a path of this site, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next.map(str::trim) {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/editions/3")), "/editions/3");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/a\r\nSet-Cookie: x")), "/");
    }

    #[test]
    fn sign_up_reports_every_problem_at_once() {
        let form = SignUpForm {
            email: "not-an-email".into(),
            given_name: " ".into(),
            family_name: "Rossi".into(),
            school_name: "".into(),
            school_code: "XX".into(),
            password: "short".into(),
        };
        let Err(AppError::Invalid(problems)) = form.parse() else {
            panic!("expected problems")
        };
        let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                Field::Email,
                Field::GivenName,
                Field::SchoolName,
                Field::SchoolCode,
                Field::Password
            ]
        );
    }
}
