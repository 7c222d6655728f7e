use super::api::SignedInUser;
use super::{links, mails};
use crate::domain::account::{
    AccountState, Email, PersonName, RegistrationStatus, SchoolCode, SchoolName,
};
use crate::domain::account_links::LinkPurpose;
use crate::domain::problem::Problems;
use crate::domain::registration::TaxCode;
use crate::domain::{Field, Problem, login_throttle, password};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::ssr::auth::{self, Caller, passwords};
use crate::ssr::entities::{login_throttle as throttle, user};
use crate::ssr::outbox;
use crate::ssr::{AppState, Settings};
use crate::ui::language::LOCALE_COOKIE;
use chrono::Utc;
use leptos_i18n::Locale as _;
use sea_orm::sea_query::{CaseStatement, Expr, OnConflict};
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
        email_verified: caller.email_verified,
        registration: caller.registration,
        registration_reason: caller.registration_reason.clone(),
    }
}

pub struct SignUpForm {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub school_name: String,
    pub school_code: String,
    /// Optional: empty when not given.
    pub tax_code: String,
    pub password: String,
}

pub struct NewAccount {
    pub email: Email,
    pub given_name: PersonName,
    pub family_name: PersonName,
    pub school_name: SchoolName,
    pub school_code: SchoolCode,
    pub tax_code: Option<TaxCode>,
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
        let tax_code = if self.tax_code.trim().is_empty() {
            None
        } else {
            problems.check(Field::TaxCode, TaxCode::parse(&self.tax_code))
        };
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
                tax_code,
                password: self.password.clone(),
            }),
            _ => Err(AppError::invalid(problems.into_vec())),
        }
    }
}

/// Signs a person up. The answer is the same whether or not the address has an account
/// (nobody learns from it who is registered): a new address gets an account and a link to
/// confirm it, a known one a mail saying how to sign in. Nobody is signed in here; the link
/// does that. Any session the browser had ends.
#[tracing::instrument(skip_all)]
pub async fn sign_up(
    state: &AppState,
    caller: Option<&Caller>,
    form: SignUpForm,
    language: Locale,
    address: &str,
    next: &str,
) -> Result<(), AppError> {
    crate::ssr::rate_limit::check(state, &crate::domain::rate_limit::SIGN_UP, address).await?;
    let account = form.parse()?;
    // Hashed either way, so both answers take as long.
    let hash = passwords::hash(account.password.clone()).await?;
    // A few mails an hour per address, whoever owns it: the form cannot flood an inbox.
    let may_mail = match crate::ssr::rate_limit::check(
        state,
        &crate::domain::rate_limit::SIGN_UP_MAIL,
        account.email.as_str(),
    )
    .await
    {
        Ok(()) => true,
        Err(AppError::TooManyAttempts { .. }) => false,
        Err(error) => return Err(error),
    };
    let now = Utc::now();
    let base = &state.settings.base_url;
    let txn = crate::ssr::db::begin(&state.db).await?;
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(account.email.as_str()))
        .one(&txn)
        .await?;
    let mail = match existing {
        Some(owner) => {
            tracing::info!(user.id = owner.id, "sign-up with a registered address");
            may_mail.then(|| mails::account_exists(&owner, base))
        }
        None => {
            let inserted = new_account_row(&account, hash, language, false, None)
                .insert(&txn)
                .await;
            let user = match inserted {
                Ok(user) => user,
                // Another sign-up for this address got there first: it is theirs.
                Err(error)
                    if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
                {
                    return finish_sign_up(state, caller).await;
                }
                Err(error) => return Err(error.into()),
            };
            tracing::info!(user.id = user.id, "account created");
            // Someone the registry knows is validated at once.
            crate::features::registry::service::match_person(&txn, &user, base).await?;
            if may_mail {
                links::issue(&txn, user.id, LinkPurpose::VerifyEmail, None, now)
                    .await?
                    .map(|token| mails::verify_email(&user, base, &token, next))
            } else {
                None
            }
        }
    };
    outbox::enqueue(&txn, mail.into_iter().collect()).await?;
    txn.commit().await?;
    outbox::wake();
    finish_sign_up(state, caller).await
}

async fn finish_sign_up(state: &AppState, caller: Option<&Caller>) -> Result<(), AppError> {
    if let Some(previous) = caller {
        auth::end_session(state, &previous.session).await?;
    }
    Ok(())
}

/// Confirms an address with the link mailed for it, and signs its owner in (ending any other
/// session the browser had); answers the new session's token.
#[tracing::instrument(skip_all)]
pub async fn verify_email(
    state: &AppState,
    caller: Option<&Caller>,
    token: &str,
) -> Result<String, AppError> {
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let link = links::use_once(&txn, LinkPurpose::VerifyEmail, token, now).await?;
    let owner = user::Entity::find_by_id(link.user_id)
        .one(&txn)
        .await?
        .filter(|u| u.account_state == AccountState::Active)
        .ok_or(AppError::Refused(crate::error::Refusal::Link(
            crate::domain::account_links::LinkProblem::Unknown,
        )))?;
    if owner.email_verified_at.is_none() {
        let mut verified: user::ActiveModel = owner.clone().into();
        verified.email_verified_at = Set(Some(now));
        verified.update(&txn).await?;
    }
    links::retire_all(&txn, owner.id, LinkPurpose::VerifyEmail, now).await?;
    txn.commit().await?;
    tracing::info!(user.id = owner.id, "address verified");
    if let Some(previous) = caller {
        auth::end_session(state, &previous.session).await?;
    }
    auth::start_session(state, owner.id).await
}

/// The address a link would confirm, for the page that asks to confirm it (nothing is used).
pub async fn address_of_link(
    state: &AppState,
    purpose: LinkPurpose,
    token: &str,
) -> Result<String, AppError> {
    let link = links::usable(&state.db, purpose, token, Utc::now()).await?;
    if let Some(new_email) = link.new_email {
        return Ok(new_email);
    }
    user::Entity::find_by_id(link.user_id)
        .one(&state.db)
        .await?
        .map(|u| u.email)
        .ok_or(AppError::NotFound)
}

/// Sends the caller a new verification link (the old ones stop working). Limited to a few an
/// hour; asking once verified changes nothing.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn send_verification_again(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    if caller.email_verified {
        return Ok(());
    }
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let owner = user::Entity::find_by_id(caller.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    links::retire_all(&txn, owner.id, LinkPurpose::VerifyEmail, now).await?;
    let Some(token) = links::issue(&txn, owner.id, LinkPurpose::VerifyEmail, None, now).await?
    else {
        return Err(AppError::TooManyAttempts {
            retry_after_secs: 3600,
        });
    };
    let mail = mails::verify_email(&owner, &state.settings.base_url, &token, "/");
    outbox::enqueue(&txn, vec![mail]).await?;
    txn.commit().await?;
    outbox::wake();
    Ok(())
}

/// Mails a password reset link to the account with this address, if there is one. Answers the
/// same either way; limited per client address and per account.
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(
    state: &AppState,
    email: &str,
    address: &str,
) -> Result<(), AppError> {
    crate::ssr::rate_limit::check(state, &crate::domain::rate_limit::PASSWORD_RESET, address)
        .await?;
    let email = Email::parse(email).map_err(|problem| {
        AppError::invalid(vec![crate::domain::FieldProblem::new(
            Field::Email,
            problem,
        )])
    })?;
    let now = Utc::now();
    let txn = crate::ssr::db::begin(&state.db).await?;
    let owner = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&txn)
        .await?
        .filter(|u| {
            matches!(
                u.account_state,
                AccountState::Active | AccountState::Inactive
            )
        });
    if let Some(owner) = owner
        && let Some(token) =
            links::issue(&txn, owner.id, LinkPurpose::ResetPassword, None, now).await?
    {
        let mail = mails::reset_password(&owner, &state.settings.base_url, &token);
        outbox::enqueue(&txn, vec![mail]).await?;
        tracing::info!(user.id = owner.id, "password reset link sent");
    }
    txn.commit().await?;
    outbox::wake();
    Ok(())
}

/// Sets a new password with a reset link: every session of the account ends, the other reset
/// links stop working, and the address counts as confirmed (the mail reached its owner).
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    state: &AppState,
    token: &str,
    password: String,
) -> Result<(), AppError> {
    let now = Utc::now();
    // Checked before the link is used, so a refused password leaves the link usable.
    let link = links::usable(&state.db, LinkPurpose::ResetPassword, token, now).await?;
    let owner = user::Entity::find_by_id(link.user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let email = Email::parse(&owner.email).ok();
    password::check_new(&password, email.as_ref()).map_err(|problem| {
        AppError::invalid(vec![crate::domain::FieldProblem::new(
            Field::Password,
            problem,
        )])
    })?;
    let hash = passwords::hash(password).await?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    links::use_once(&txn, LinkPurpose::ResetPassword, token, now).await?;
    let mut changed: user::ActiveModel = owner.clone().into();
    changed.password_hash = Set(Some(hash));
    if owner.email_verified_at.is_none() {
        changed.email_verified_at = Set(Some(now));
    }
    changed.update(&txn).await?;
    links::retire_all(&txn, owner.id, LinkPurpose::ResetPassword, now).await?;
    let ended = auth::end_sessions_of(&txn, owner.id, None).await?;
    outbox::enqueue(
        &txn,
        vec![mails::password_changed(&owner, &state.settings.base_url)],
    )
    .await?;
    txn.commit().await?;
    outbox::wake();
    tracing::info!(user.id = owner.id, sessions_ended = ended, "password reset");
    Ok(())
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
    let hash = passwords::hash(account.password.clone()).await?;
    // Made by staff or the demo: the address counts as confirmed.
    let inserted = new_account_row(&account, hash, language, is_staff, Some(Utc::now()))
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

/// A new account's row. Staff-made accounts (`verified_at` given) count as validated: staff
/// made them; people signing up wait for their registration to be validated.
fn new_account_row(
    account: &NewAccount,
    hash: String,
    language: Locale,
    is_staff: bool,
    verified_at: Option<chrono::DateTime<Utc>>,
) -> user::ActiveModel {
    let (registration, decided_at) = match verified_at {
        Some(at) => (RegistrationStatus::Validated, Some(at)),
        None => (RegistrationStatus::Pending, None),
    };
    user::ActiveModel {
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
        registration_status: Set(registration),
        registration_decided_at: Set(decided_at),
        tax_code: Set(account
            .tax_code
            .as_ref()
            .map(|code| code.as_str().to_owned())),
        account_state: Set(AccountState::Active),
        password_hash: Set(Some(hash)),
        created_at: Set(Utc::now()),
        last_login_at: Set(None),
        email_verified_at: Set(verified_at),
        ..Default::default()
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
///
/// Each attempt is counted as a failure *before* anything is checked, with one atomic
/// statement per counter, so a burst of parallel attempts cannot overwrite each other's counts
/// and only the free allowance ever reaches the (costly) password check. A success takes the
/// attempt back, and with it that account's earlier failures from the same address: a school
/// behind one address is slowed down only by failures that never turned into a sign-in.
pub async fn attempt_login(
    state: &AppState,
    email: &str,
    password: String,
    address: &str,
) -> Result<user::Model, AppError> {
    let now = Utc::now();
    let secret = &state.settings.secret;
    let counters = [
        Counter {
            key: auth::keyed_hash(secret, &format!("account:{email}")),
            policy: login_throttle::PER_ACCOUNT,
            slows_down: true,
        },
        Counter {
            key: auth::keyed_hash(secret, &format!("address:{address}")),
            policy: login_throttle::PER_ADDRESS,
            slows_down: true,
        },
        // This account's failures from this address, forgiven to the address on success.
        Counter {
            key: auth::keyed_hash(secret, &format!("pair:{address}|{email}")),
            policy: login_throttle::PER_ACCOUNT,
            slows_down: false,
        },
    ];
    let [account, address_counter, pair] = &counters;
    let before = throttle::Entity::find()
        .filter(throttle::Column::KeyHash.is_in(counters.iter().map(|c| c.key.clone())))
        .all(&state.db)
        .await?;
    // Every attempt counts, refused ones too: the counters say how many were made.
    let mut wait = None;
    for counter in counters.iter().filter(|c| c.slows_down) {
        let position = counter.count_failure(&state.db, now).await?;
        let (before, since) = counter.read_before(&before, now);
        wait = wait.max(counter.policy.wait_for_attempt(position, before, since));
    }
    pair.count_failure(&state.db, now).await?;
    if let Some(wait) = wait {
        tracing::warn!(%address, outcome = "throttled", "login attempt");
        return Err(too_many(wait));
    }

    let user = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&state.db)
        .await?;
    let stored = user
        .as_ref()
        .filter(|u| u.account_state != AccountState::Anonymised)
        .and_then(|u| u.password_hash.clone());
    let proven = passwords::verify(password, stored).await;
    // Only someone who knows the password learns that staff closed the account.
    if proven
        && let Some(user) = user.as_ref()
        && user.account_state == AccountState::Deactivated
    {
        tracing::warn!(user.id = user.id, %address, outcome = "deactivated", "login attempt");
        return Err(AppError::Refused(crate::error::Refusal::AccountDeactivated));
    }
    if proven && let Some(user) = user {
        forgive(&state.db, account, address_counter, pair).await?;
        let mut active_user: user::ActiveModel = user.clone().into();
        active_user.last_login_at = Set(Some(now));
        // Signing in keeps the data: an inactive profile is active again, a warning void.
        if user.account_state == AccountState::Inactive {
            active_user.account_state = Set(AccountState::Active);
        }
        active_user.lifecycle_warned_at = Set(None);
        active_user.update(&state.db).await?;
        tracing::info!(user.id = user.id, %address, outcome = "success", "login attempt");
        return Ok(user);
    }
    tracing::warn!(%address, known_account = user.is_some(), outcome = "failure", "login attempt");
    Err(AppError::WrongCredentials)
}

/// After a sign-in: the account starts afresh, and the address no longer carries this
/// account's failures from it (the attempt that succeeded included).
async fn forgive(
    db: &impl sea_orm::ConnectionTrait,
    account: &Counter,
    address: &Counter,
    pair: &Counter,
) -> Result<(), AppError> {
    use sea_orm::sea_query::ExprTrait;
    let forgiven = throttle::Entity::find_by_id(pair.key.clone())
        .one(db)
        .await?
        .map_or(1, |row| std::cmp::max(row.failures, 1));
    throttle::Entity::update_many()
        .col_expr(
            throttle::Column::Failures,
            CaseStatement::new()
                .case(
                    Expr::col(throttle::Column::Failures).gt(forgiven),
                    Expr::col(throttle::Column::Failures).sub(forgiven),
                )
                .finally(0)
                .into(),
        )
        .filter(throttle::Column::KeyHash.eq(address.key.clone()))
        .exec(db)
        .await?;
    throttle::Entity::delete_many()
        .filter(throttle::Column::KeyHash.is_in([account.key.clone(), pair.key.clone()]))
        .exec(db)
        .await?;
    Ok(())
}

fn too_many(wait: std::time::Duration) -> AppError {
    AppError::TooManyAttempts {
        retry_after_secs: wait.as_secs_f64().ceil() as u64,
    }
}

/// One row of the throttle table: failures for an account, an address, or both together.
struct Counter {
    key: String,
    policy: login_throttle::Policy,
    /// Whether its failures slow attempts down (the pair's are only kept to be forgiven).
    slows_down: bool,
}

impl Counter {
    /// The failures remembered in `rows` (read before this attempt), and the time since the
    /// last of them.
    fn read_before(
        &self,
        rows: &[throttle::Model],
        now: chrono::DateTime<Utc>,
    ) -> (u32, std::time::Duration) {
        match rows.iter().find(|r| r.key_hash == self.key) {
            Some(row) => {
                let since = (now - row.last_failure_at).to_std().unwrap_or_default();
                (
                    self.policy.remembered(row.failures.max(0) as u32, since),
                    since,
                )
            }
            None => (0, std::time::Duration::MAX),
        }
    }

    /// Adds one failure in a single statement (starting again from one once the old ones are
    /// forgotten) and answers the count including it.
    async fn count_failure(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        now: chrono::DateTime<Utc>,
    ) -> Result<u32, AppError> {
        use sea_orm::sea_query::ExprTrait;
        let forgotten_before = now
            - chrono::TimeDelta::from_std(self.policy.forget_after)
                .unwrap_or(chrono::TimeDelta::MAX);
        let failures = Expr::col((throttle::Entity, throttle::Column::Failures));
        let counted = throttle::Entity::insert(throttle::ActiveModel {
            key_hash: Set(self.key.clone()),
            failures: Set(1),
            last_failure_at: Set(now),
        })
        .on_conflict(
            OnConflict::column(throttle::Column::KeyHash)
                .value(
                    throttle::Column::Failures,
                    CaseStatement::new()
                        .case(
                            Expr::col((throttle::Entity, throttle::Column::LastFailureAt))
                                .lt(forgotten_before),
                            1,
                        )
                        .finally(failures.add(1)),
                )
                .value(throttle::Column::LastFailureAt, now)
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
        Ok(std::cmp::max(counted.failures, 1) as u32)
    }
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
            tax_code: "RSSMRA85T10A562X".into(),
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
                Field::TaxCode,
                Field::Password
            ]
        );
    }
}
