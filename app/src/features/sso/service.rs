//! Single sign-on, the work: leaving for a provider, coming back from it, and connecting a
//! provider account to an Aula account.
//!
//! Coming back, a provider account signs in the Aula account it is connected to. An unknown
//! one whose address belongs to an Aula account is connected only once the person proves that
//! account's password (a provider saying "this is anna@…" is not enough: anyone can run a
//! provider). An unknown one with a new address gets a new account.

use super::api::{SignInMethods, SsoConnection, SsoLinkRequest, SsoProviderChoice};
use crate::domain::account::{AccountState, Email, PersonName, RegistrationStatus};
use crate::domain::sso::{self, IdTokenClaims, SsoProblem};
use crate::error::{AppError, Refusal};
use crate::features::accounts::service::{attempt_login, language_cookie, safe_next};
use crate::i18n::Locale;
use crate::ssr::AppState;
use crate::ssr::auth::{self, Caller, hash_token, random_token};
use crate::ssr::entities::{sso_identity, sso_link_request, sso_login, user};
use chrono::Utc;
use leptos_i18n::Locale as _;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, SqlErr,
};

/// The cookie that ties a sign-in at a provider to the browser that started it (its `state`).
pub const LOGIN_COOKIE: &str = "aula_sso";
/// The cookie that holds a pending connection while the person types their password.
pub const LINK_COOKIE: &str = "aula_sso_link";

/// Where the browser goes next, and the cookies it takes along.
#[derive(Debug)]
pub struct Leave {
    pub location: String,
    pub cookies: Vec<String>,
}

impl Leave {
    fn to(location: impl Into<String>) -> Self {
        Leave {
            location: location.into(),
            cookies: Vec::new(),
        }
    }

    fn with(mut self, cookie: String) -> Self {
        self.cookies.push(cookie);
        self
    }
}

/// The providers offered on the sign-in page.
pub fn providers(state: &AppState) -> Vec<SsoProviderChoice> {
    state
        .settings
        .sso
        .settings()
        .map(|p| SsoProviderChoice {
            id: p.id.as_str().to_owned(),
            name: p.name.clone(),
        })
        .collect()
}

/// `GET /sso/{provider}/start`: stores a pending sign-in and sends the browser to the
/// provider. With `connect` a signed-in person adds the provider to their account.
#[tracing::instrument(skip_all, fields(provider))]
pub async fn start(
    state: &AppState,
    caller: Option<&Caller>,
    provider: &str,
    next: Option<&str>,
    connect: bool,
    address: &str,
) -> Result<Leave, AppError> {
    if state.settings.sso.find(provider).is_none() {
        return Err(AppError::NotFound);
    }
    crate::ssr::rate_limit::check(state, &crate::domain::rate_limit::SSO_START, address).await?;
    let connect_user_id = caller.filter(|_| connect).map(|c| c.id);
    let next = safe_next(next);
    let redirect_uri = state.settings.sso_redirect_uri(provider);
    let departure = match state.settings.sso.depart(provider, &redirect_uri).await {
        Ok(departure) => departure,
        Err(problem) => return Ok(problem_page(problem, connect_user_id.is_some(), &next)),
    };
    let now = Utc::now();
    // Sign-ins that never came back are dropped here (each start pays for a few).
    sso_login::Entity::delete_many()
        .filter(sso_login::Column::ExpiresAt.lt(now))
        .exec(&state.db)
        .await?;
    sso_login::ActiveModel {
        state_hash: Set(hash_token(&departure.state)),
        provider: Set(provider.to_owned()),
        nonce: Set(departure.nonce),
        pkce_verifier: Set(departure.pkce_verifier),
        next: Set(next),
        connect_user_id: Set(connect_user_id),
        created_at: Set(now),
        expires_at: Set(now + sso::LOGIN_LIFETIME),
    }
    .insert(&state.db)
    .await?;
    tracing::info!(
        connect = connect_user_id.is_some(),
        "sign-in sent to the provider"
    );
    Ok(Leave::to(departure.url).with(cookie(
        state,
        LOGIN_COOKIE,
        &departure.state,
        "/sso",
        sso::LOGIN_LIFETIME.num_seconds(),
    )))
}

/// What the provider sent back (`GET /sso/{provider}/callback?…`).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    /// The issuer that answered (RFC 9207), when the provider says: it must be the one the
    /// sign-in was sent to (a provider cannot pass off another's answer as its own).
    pub iss: Option<String>,
}

/// `GET /sso/{provider}/callback`: checks that this browser started this sign-in, takes the
/// code back to the provider, checks the ID token, and signs the person in (or connects the
/// provider, or asks for the password of the account with that address).
#[tracing::instrument(skip_all, fields(provider))]
pub async fn callback(
    state: &AppState,
    caller: Option<&Caller>,
    provider: &str,
    answer: Callback,
    browser_state: Option<String>,
    language: Locale,
) -> Result<Leave, AppError> {
    if state.settings.sso.find(provider).is_none() {
        return Err(AppError::NotFound);
    }
    let clear = cookie(state, LOGIN_COOKIE, "", "/sso", 0);
    // The state must be the one this browser holds, and a pending sign-in's: used once.
    let pending = match (answer.state.as_deref(), browser_state.as_deref()) {
        (Some(sent), Some(held)) if same(sent, held) => take_pending(state, provider, sent).await?,
        _ => None,
    };
    let Some(pending) = pending else {
        tracing::warn!("callback without a matching sign-in");
        return Ok(problem_page(SsoProblem::State, false, "/").with(clear));
    };
    let connecting = pending.connect_user_id.is_some();
    let fail = |problem: SsoProblem| problem_page(problem, connecting, &pending.next);
    let issuer = state
        .settings
        .sso
        .find(provider)
        .map(|p| p.issuer.clone())
        .ok_or(AppError::NotFound)?;
    if answer.iss.as_deref().is_some_and(|said| said != issuer) {
        tracing::warn!("callback from another issuer");
        return Ok(fail(SsoProblem::Issuer).with(clear));
    }
    if let Some(error) = answer.error.as_deref() {
        tracing::info!(error, "provider answered with an error");
        return Ok(fail(SsoProblem::Cancelled).with(clear));
    }
    let Some(code) = answer
        .code
        .as_deref()
        .filter(|c| !c.is_empty() && c.len() <= 2048)
    else {
        return Ok(fail(SsoProblem::Code).with(clear));
    };
    let claims = match state
        .settings
        .sso
        .arrive(
            provider,
            &state.settings.sso_redirect_uri(provider),
            code,
            &pending.pkce_verifier,
            &pending.nonce,
            Utc::now(),
        )
        .await
    {
        Ok(claims) => claims,
        Err(problem) => return Ok(fail(problem).with(clear)),
    };
    let leave = match pending.connect_user_id {
        Some(user_id) => connect(state, caller, user_id, provider, &issuer, &claims).await?,
        None => {
            sign_in(
                state,
                caller,
                provider,
                &issuer,
                &claims,
                &pending.next,
                language,
            )
            .await?
        }
    };
    Ok(leave.with(clear))
}

/// The pending sign-in of this `state`, removed in the same statement that finds it, so that
/// of two callbacks with one state only one goes on.
async fn take_pending(
    state: &AppState,
    provider: &str,
    sent_state: &str,
) -> Result<Option<sso_login::Model>, AppError> {
    let hash = hash_token(sent_state);
    let Some(pending) = sso_login::Entity::find_by_id(hash.clone())
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let taken = sso_login::Entity::delete_many()
        .filter(sso_login::Column::StateHash.eq(hash))
        .exec(&state.db)
        .await?
        .rows_affected
        == 1;
    let usable = taken && pending.provider == provider && pending.expires_at > Utc::now();
    Ok(usable.then_some(pending))
}

/// A provider account connected from the profile by a signed-in person.
async fn connect(
    state: &AppState,
    caller: Option<&Caller>,
    user_id: i32,
    provider: &str,
    issuer: &str,
    claims: &IdTokenClaims,
) -> Result<Leave, AppError> {
    // The session that started the connection must be the one finishing it.
    if caller.map(|c| c.id) != Some(user_id) {
        return Ok(problem_page(SsoProblem::State, false, "/"));
    }
    match identity_of(&state.db, issuer, &claims.sub).await? {
        Some(identity) if identity.user_id == user_id => {}
        Some(_) => return Ok(problem_page(SsoProblem::TakenByOther, true, "/")),
        None => {
            let inserted = new_identity(user_id, provider, issuer, claims)
                .insert(&state.db)
                .await;
            match inserted {
                Ok(_) => {}
                Err(error)
                    if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) =>
                {
                    return Ok(problem_page(SsoProblem::TakenByOther, true, "/"));
                }
                Err(error) => return Err(error.into()),
            }
            tracing::info!(user.id = user_id, "provider account connected");
        }
    }
    Ok(Leave::to("/account?sso=connected#sign-in-methods"))
}

async fn sign_in(
    state: &AppState,
    caller: Option<&Caller>,
    provider: &str,
    issuer: &str,
    claims: &IdTokenClaims,
    next: &str,
    language: Locale,
) -> Result<Leave, AppError> {
    let now = Utc::now();
    if let Some(identity) = identity_of(&state.db, issuer, &claims.sub).await? {
        let owner = user::Entity::find_by_id(identity.user_id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        if !matches!(
            owner.account_state,
            AccountState::Active | AccountState::Inactive
        ) {
            tracing::warn!(user.id = owner.id, "single sign-on into a closed account");
            return Ok(problem_page(SsoProblem::AccountClosed, false, next));
        }
        let mut used: sso_identity::ActiveModel = identity.into();
        used.last_used_at = Set(Some(now));
        used.update(&state.db).await?;
        return signed_in(state, caller, owner, next).await;
    }
    let Some(email) = claims
        .email
        .as_deref()
        .and_then(|email| Email::parse(email).ok())
    else {
        return Ok(problem_page(SsoProblem::NoEmail, false, next));
    };
    let existing = user::Entity::find()
        .filter(user::Column::Email.eq(email.as_str()))
        .one(&state.db)
        .await?;
    if let Some(owner) = existing {
        return ask_for_password(state, &owner, provider, issuer, claims, next).await;
    }
    let names = (
        claims.given_name.as_deref().map(PersonName::parse),
        claims.family_name.as_deref().map(PersonName::parse),
    );
    let complete = matches!(names, (Some(Ok(_)), Some(Ok(_))));
    let name = |n: Option<Result<PersonName, _>>| {
        n.and_then(Result::ok)
            .map(|n| n.as_str().to_owned())
            .unwrap_or_default()
    };
    let txn = crate::ssr::db::begin(&state.db).await?;
    let created = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        given_name: Set(name(names.0)),
        family_name: Set(name(names.1)),
        school_name: Set(String::new()),
        school_code: Set(String::new()),
        school_region: Set(None),
        school_level: Set(None),
        locale: Set(language.as_str().to_owned()),
        is_ambassador: Set(false),
        is_staff: Set(false),
        registration_status: Set(RegistrationStatus::Pending),
        account_state: Set(AccountState::Active),
        // Signs in through the provider only, until the person sets a password.
        password_hash: Set(None),
        created_at: Set(now),
        last_login_at: Set(None),
        // Confirmed only if the provider says it confirmed it.
        email_verified_at: Set(sso::verified_email(claims)
            .filter(|verified| Email::parse(verified).as_ref() == Ok(&email))
            .map(|_| now)),
        ..Default::default()
    }
    .insert(&txn)
    .await;
    let owner = match created {
        Ok(owner) => owner,
        // The same address signed up a moment ago: connect to it with its password instead.
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            return Ok(problem_page(SsoProblem::State, false, next));
        }
        Err(error) => return Err(error.into()),
    };
    new_identity(owner.id, provider, issuer, claims)
        .insert(&txn)
        .await?;
    // Someone the registry knows (by address) is validated at once.
    crate::features::registry::service::match_person(&txn, &owner, &state.settings.base_url)
        .await?;
    txn.commit().await?;
    tracing::info!(user.id = owner.id, "account created through single sign-on");
    // Names are printed on certificates: a provider that gave none sends the person to fill
    // them in first.
    let next = if complete {
        next.to_owned()
    } else {
        "/account?complete=1".to_owned()
    };
    signed_in(state, caller, owner, &next).await
}

/// The provider's address belongs to an Aula account: keep the provider account aside and ask
/// for that account's password (`/sso/link`).
async fn ask_for_password(
    state: &AppState,
    owner: &user::Model,
    provider: &str,
    issuer: &str,
    claims: &IdTokenClaims,
    next: &str,
) -> Result<Leave, AppError> {
    let token = random_token();
    let now = Utc::now();
    sso_link_request::Entity::delete_many()
        .filter(sso_link_request::Column::ExpiresAt.lt(now))
        .exec(&state.db)
        .await?;
    sso_link_request::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(owner.id),
        provider: Set(provider.to_owned()),
        issuer: Set(issuer.to_owned()),
        subject: Set(claims.sub.clone()),
        email: Set(owner.email.clone()),
        next: Set(next.to_owned()),
        expires_at: Set(now + sso::LINK_LIFETIME),
    }
    .insert(&state.db)
    .await?;
    tracing::info!(
        user.id = owner.id,
        "provider address matches an account: password asked"
    );
    Ok(Leave::to("/sso/link").with(cookie(
        state,
        LINK_COOKIE,
        &token,
        "/",
        sso::LINK_LIFETIME.num_seconds(),
    )))
}

async fn signed_in(
    state: &AppState,
    caller: Option<&Caller>,
    owner: user::Model,
    next: &str,
) -> Result<Leave, AppError> {
    if let Some(previous) = caller {
        auth::end_session(state, &previous.session).await?;
    }
    let mut seen: user::ActiveModel = owner.clone().into();
    seen.last_login_at = Set(Some(Utc::now()));
    // Signing in keeps the data: an inactive profile is active again, a warning void.
    if owner.account_state == AccountState::Inactive {
        seen.account_state = Set(AccountState::Active);
    }
    seen.lifecycle_warned_at = Set(None);
    let owner = seen.update(&state.db).await?;
    let token = auth::start_session(state, owner.id).await?;
    tracing::info!(user.id = owner.id, "signed in through single sign-on");
    let language: Locale = owner.locale.parse().unwrap_or_default();
    Ok(Leave::to(safe_next(Some(next)))
        .with(auth::session_cookie(&token, &state.settings))
        .with(language_cookie(language, &state.settings)))
}

/// The pending connection of this browser, for `/sso/link`.
pub async fn link_request(
    state: &AppState,
    token: Option<&str>,
) -> Result<Option<SsoLinkRequest>, AppError> {
    let Some(request) = pending_link(state, token).await? else {
        return Ok(None);
    };
    let has_password = user::Entity::find_by_id(request.user_id)
        .one(&state.db)
        .await?
        .is_some_and(|u| u.password_hash.is_some());
    Ok(Some(SsoLinkRequest {
        provider_name: provider_name(state, &request.provider),
        email: request.email,
        has_password,
    }))
}

async fn pending_link(
    state: &AppState,
    token: Option<&str>,
) -> Result<Option<sso_link_request::Model>, AppError> {
    let Some(token) = token.filter(|t| t.len() == 64) else {
        return Ok(None);
    };
    Ok(sso_link_request::Entity::find_by_id(hash_token(token))
        .one(&state.db)
        .await?
        .filter(|r| r.expires_at > Utc::now()))
}

/// Connects the provider account kept aside once the password of the Aula account is right
/// (under the sign-in throttle), and signs the person in. Answers the session token and where
/// to go.
#[tracing::instrument(skip_all)]
pub async fn confirm_link(
    state: &AppState,
    caller: Option<&Caller>,
    token: Option<&str>,
    password: String,
    address: &str,
) -> Result<Leave, AppError> {
    let request = pending_link(state, token)
        .await?
        .ok_or(AppError::Refused(Refusal::SingleSignOn(SsoProblem::State)))?;
    let owner = user::Entity::find_by_id(request.user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Refused(Refusal::SingleSignOn(SsoProblem::State)))?;
    let owner = attempt_login(state, &owner.email, password, address).await?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    let taken = sso_link_request::Entity::delete_many()
        .filter(sso_link_request::Column::TokenHash.eq(request.token_hash.clone()))
        .exec(&txn)
        .await?
        .rows_affected;
    if taken != 1 {
        return Err(AppError::Refused(Refusal::SingleSignOn(SsoProblem::State)));
    }
    match identity_of(&txn, &request.issuer, &request.subject).await? {
        Some(identity) if identity.user_id == owner.id => {}
        Some(_) => {
            return Err(AppError::Refused(Refusal::SingleSignOn(
                SsoProblem::TakenByOther,
            )));
        }
        None => {
            sso_identity::ActiveModel {
                user_id: Set(owner.id),
                provider: Set(request.provider.clone()),
                issuer: Set(request.issuer.clone()),
                subject: Set(request.subject.clone()),
                email: Set(request.email.clone()),
                created_at: Set(Utc::now()),
                last_used_at: Set(Some(Utc::now())),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    txn.commit().await?;
    tracing::info!(
        user.id = owner.id,
        "provider account connected with the password"
    );
    Ok(signed_in(state, caller, owner, &request.next)
        .await?
        .with(cookie(state, LINK_COOKIE, "", "/", 0)))
}

/// The profile's "sign-in methods": the password, connected providers, providers to connect.
pub async fn methods(state: &AppState, caller: &Caller) -> Result<SignInMethods, AppError> {
    let me = user::Entity::find_by_id(caller.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    let connected = sso_identity::Entity::find()
        .filter(sso_identity::Column::UserId.eq(caller.id))
        .order_by_asc(sso_identity::Column::CreatedAt)
        .all(&state.db)
        .await?;
    let to_connect = providers(state)
        .into_iter()
        .filter(|p| !connected.iter().any(|c| c.provider == p.id))
        .collect();
    let has_password = me.password_hash.is_some();
    let ways_in = connected.len() + usize::from(has_password);
    Ok(SignInMethods {
        has_password,
        connections: connected
            .into_iter()
            .map(|c| SsoConnection {
                id: c.id,
                provider_name: provider_name(state, &c.provider),
                email: c.email,
                connected_at: crate::ssr::db::to_local(c.created_at),
                last_used_at: c.last_used_at.map(crate::ssr::db::to_local),
                // The last way in stays: nobody locks themselves out.
                may_disconnect: ways_in > 1,
            })
            .collect(),
        to_connect,
    })
}

/// Removes a connected provider account from the caller's own account (never the last way
/// to sign in).
#[tracing::instrument(skip_all, fields(caller = caller.id, connection))]
pub async fn disconnect(
    state: &AppState,
    caller: &Caller,
    connection: i32,
) -> Result<(), AppError> {
    let txn = crate::ssr::db::begin(&state.db).await?;
    // Scope: only one's own connections are found.
    let identity = sso_identity::Entity::find_by_id(connection)
        .filter(sso_identity::Column::UserId.eq(caller.id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let me = user::Entity::find_by_id(caller.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotSignedIn)?;
    let others = sso_identity::Entity::find()
        .filter(sso_identity::Column::UserId.eq(caller.id))
        .filter(sso_identity::Column::Id.ne(identity.id))
        .all(&txn)
        .await?
        .len();
    if me.password_hash.is_none() && others == 0 {
        return Err(AppError::Refused(Refusal::LastSignInMethod));
    }
    sso_identity::Entity::delete_by_id(identity.id)
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!("provider account disconnected");
    Ok(())
}

async fn identity_of(
    db: &impl ConnectionTrait,
    issuer: &str,
    subject: &str,
) -> Result<Option<sso_identity::Model>, AppError> {
    Ok(sso_identity::Entity::find()
        .filter(sso_identity::Column::Issuer.eq(issuer))
        .filter(sso_identity::Column::Subject.eq(subject))
        .one(db)
        .await?)
}

fn new_identity(
    user_id: i32,
    provider: &str,
    issuer: &str,
    claims: &IdTokenClaims,
) -> sso_identity::ActiveModel {
    let now = Utc::now();
    sso_identity::ActiveModel {
        user_id: Set(user_id),
        provider: Set(provider.to_owned()),
        issuer: Set(issuer.to_owned()),
        subject: Set(claims.sub.clone()),
        email: Set(claims
            .email
            .as_deref()
            .and_then(|e| Email::parse(e).ok())
            .map(|e| e.as_str().to_owned())
            .unwrap_or_default()),
        created_at: Set(now),
        last_used_at: Set(Some(now)),
        ..Default::default()
    }
}

fn provider_name(state: &AppState, id: &str) -> String {
    state
        .settings
        .sso
        .find(id)
        .map_or_else(|| id.to_owned(), |p| p.name.clone())
}

/// The page that explains a failed sign-in: the sign-in page, or the profile when connecting.
fn problem_page(problem: SsoProblem, connecting: bool, next: &str) -> Leave {
    let problem = problem.as_str();
    if connecting {
        Leave::to(format!("/account?sso_problem={problem}#sign-in-methods"))
    } else if next == "/" {
        Leave::to(format!("/login?sso_problem={problem}"))
    } else {
        Leave::to(format!(
            "/login?sso_problem={problem}&next={}",
            urlencoding::encode(next)
        ))
    }
}

fn cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> String {
    let secure = if state.settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// The value of cookie `name` in a request's headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    auth::session_token(headers, name)
}

fn same(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}
