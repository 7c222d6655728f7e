//! Who is calling: sessions, the origin check, passwords. Sessions live in the database
//! (several server instances can share them); the cookie holds a random token of 256 bits and
//! the table only its hash.
//!
//! Server functions reach these through [`super::entry`], plain routes through the server's
//! extractors; scope, role and state follow in [`super::scope`].

use super::entities::{session, user};
use super::state::{AppState, Settings};
use crate::domain::roles::Roles;
use crate::domain::sessions::{self, SessionState};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use http::request::Parts;
use leptos::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    JoinType, QueryFilter, QuerySelect, QueryTrait, RelationTrait,
};
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "aula_session";

/// The signed-in user making the request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: i32,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub roles: Roles,
    /// Whether the owner has confirmed their address (needed to enrol).
    pub email_verified: bool,
    /// Whether staff have validated the registration (needed to enrol), and why not when
    /// they rejected it.
    pub registration: crate::domain::account::RegistrationStatus,
    pub registration_reason: Option<String>,
    /// The language stored on the account (mail, exports).
    pub language: crate::i18n::Locale,
    /// Hash of the session token this request came with.
    pub session: String,
}

impl Caller {
    pub fn is_staff(&self) -> bool {
        self.roles.staff
    }

    /// The role check of the access order: fails with "not allowed".
    pub fn require_staff(&self) -> Result<(), AppError> {
        if self.roles.staff {
            Ok(())
        } else {
            Err(AppError::NotAllowed)
        }
    }
}

pub fn request_parts() -> Result<Parts, AppError> {
    use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the context");
        AppError::Internal
    })
}

pub fn check_origin(parts: &Parts, settings: &Settings) -> Result<(), AppError> {
    let header =
        |name: http::header::HeaderName| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if origin_allowed(
        header(http::header::ORIGIN),
        header(http::header::REFERER),
        header(http::header::HOST),
        &settings.base_url,
    ) {
        Ok(())
    } else {
        tracing::warn!(
            origin = header(http::header::ORIGIN).unwrap_or("-"),
            path = %parts.uri.path(),
            "request from a foreign origin refused"
        );
        Err(AppError::ForeignOrigin)
    }
}

/// A state-changing request is accepted only from our own pages: its `Origin` (or, when a
/// browser omits it, its `Referer`) must be the configured public URL or the host the request
/// was sent to. Requests with neither are refused.
pub fn origin_allowed(
    origin: Option<&str>,
    referer: Option<&str>,
    host: Option<&str>,
    base_url: &str,
) -> bool {
    let source = match (origin, referer) {
        (Some(origin), _) if origin != "null" => Some(origin.trim_end_matches('/').to_owned()),
        (_, Some(referer)) => origin_of_url(referer),
        _ => None,
    };
    let Some(source) = source else { return false };
    if source.eq_ignore_ascii_case(base_url.trim_end_matches('/')) {
        return true;
    }
    // Another name of this server is fine, but only over the scheme it is served on: a page
    // served over plain http (which anyone on the way can write) never acts on an https site.
    let scheme = if base_url.starts_with("https://") {
        "https://"
    } else {
        "http://"
    };
    let authority = source
        .get(..scheme.len())
        .filter(|start| start.eq_ignore_ascii_case(scheme))
        .map(|_| &source[scheme.len()..]);
    matches!((authority, host), (Some(authority), Some(host)) if authority.eq_ignore_ascii_case(host))
}

fn origin_of_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// The signed-in user of a request, if its session cookie is valid.
pub async fn caller_of(state: &AppState, parts: &Parts) -> Result<Option<Caller>, AppError> {
    caller_of_headers(state, &parts.headers).await
}

/// [`caller_of`] from the request's headers alone (before the request is handed on).
pub async fn caller_of_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<Caller>, AppError> {
    caller_with(state, headers, false).await
}

/// [`caller_of_headers`] for a page about to be rendered, which may use the session as read for
/// another page a moment ago (see [`shared_session_row`]). Changes always read it afresh.
pub async fn caller_of_page_headers(
    state: &AppState,
    headers: &http::HeaderMap,
) -> Result<Option<Caller>, AppError> {
    caller_with(state, headers, true).await
}

async fn caller_with(
    state: &AppState,
    headers: &http::HeaderMap,
    shared: bool,
) -> Result<Option<Caller>, AppError> {
    let Some(token) = session_token(headers, session_cookie_name(&state.settings)) else {
        return Ok(None);
    };
    let hash = hash_token(&token);
    let row = if shared {
        shared_session_row(state, &hash).await?
    } else {
        session_row(state, &hash).await?
    };
    caller_from_row(state, hash, row).await
}

/// What a request's caller is read from: the session's times and the user's fields a
/// [`Caller`] holds (every request reads it, so nothing else: no password hash, no school).
#[derive(Clone, FromQueryResult)]
struct CallerRow {
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    user_id: i32,
    email: String,
    given_name: String,
    family_name: String,
    locale: String,
    is_ambassador: bool,
    is_staff: bool,
    registration_status: crate::domain::account::RegistrationStatus,
    registration_reason: Option<String>,
    account_state: crate::domain::account::AccountState,
    email_verified_at: Option<DateTime<Utc>>,
}

async fn session_row(state: &AppState, hash: &str) -> Result<Option<CallerRow>, sea_orm::DbErr> {
    session::Entity::find_by_id(hash.to_owned())
        .select_only()
        .columns([session::Column::CreatedAt, session::Column::LastSeenAt])
        .column_as(user::Column::Id, "user_id")
        .columns([
            user::Column::Email,
            user::Column::GivenName,
            user::Column::FamilyName,
            user::Column::Locale,
            user::Column::IsAmbassador,
            user::Column::IsStaff,
            user::Column::RegistrationStatus,
            user::Column::RegistrationReason,
            user::Column::AccountState,
            user::Column::EmailVerifiedAt,
        ])
        .join(JoinType::InnerJoin, session::Relation::User.def())
        .into_model::<CallerRow>()
        .one(&state.db)
        .await
}

/// The session row for a page, shared by the pages of all requests for a moment like what pages
/// show everyone ([`super::shared`]): dropped as soon as this process writes anything (a
/// sign-out, a role change, a closed account), kept about a second otherwise, so a session
/// ended through another instance still shows pages here for about that second (a moment
/// longer for requests arriving while the first after it reads the row afresh). A token
/// that names no session is not kept (nobody can fill the memory with made-up tokens).
async fn shared_session_row(
    state: &AppState,
    hash: &str,
) -> Result<Option<CallerRow>, sea_orm::DbErr> {
    enum Miss {
        NoSession,
        Failed(sea_orm::DbErr),
    }
    let Some(key) = shared_key(hash) else {
        return session_row(state, hash).await;
    };
    let kept = state
        .db
        .shared(SHARED_SESSION, key, || async {
            match session_row(state, hash).await {
                Ok(Some(row)) => Ok((hash.to_owned(), row)),
                Ok(None) => Err(Miss::NoSession),
                Err(error) => Err(Miss::Failed(error)),
            }
        })
        .await;
    match kept {
        Ok((of, row)) if of == hash => Ok(Some(row)),
        Ok(_) => session_row(state, hash).await,
        Err(Miss::NoSession) => Ok(None),
        Err(Miss::Failed(error)) => Err(error),
    }
}

/// What session rows are shared under (with [`shared_key`]).
const SHARED_SESSION: &str = "session";

/// A session row is kept under its hash's first 64 bits, with the whole hash beside the row:
/// two tokens sharing those bits never share a row.
fn shared_key(hash: &str) -> Option<i64> {
    hash.get(..16)
        .and_then(|bits| u64::from_str_radix(bits, 16).ok())
        .map(|bits| bits as i64)
}

/// The caller a session row makes, after the session's expiry and refresh.
async fn caller_from_row(
    state: &AppState,
    hash: String,
    row: Option<CallerRow>,
) -> Result<Option<Caller>, AppError> {
    let Some(row) = row else {
        return Ok(None);
    };
    let now = Utc::now();
    match sessions::state(
        state.settings.session_timeouts,
        elapsed(row.created_at, now),
        elapsed(row.last_seen_at, now),
    ) {
        SessionState::Expired => {
            session::Entity::delete_by_id(hash).exec(&state.db).await?;
            return Ok(None);
        }
        SessionState::Valid { refresh: true } => {
            let refresh = session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now))
                .filter(session::Column::TokenHash.eq(hash.clone()))
                .build(state.db.get_database_backend());
            // Only this session's kept row is out of date (no page shows when a session was
            // last used), so the other shared values stay.
            match shared_key(&hash) {
                Some(key) => {
                    state
                        .db
                        .write_touching_only(SHARED_SESSION, key, refresh)
                        .await?;
                }
                None => {
                    state.db.execute_raw(refresh).await?;
                }
            }
        }
        SessionState::Valid { refresh: false } => {}
    }
    if row.account_state != crate::domain::account::AccountState::Active {
        return Ok(None);
    }
    Ok(Some(Caller {
        id: row.user_id,
        email: row.email,
        given_name: row.given_name,
        family_name: row.family_name,
        roles: Roles {
            ambassador: row.is_ambassador,
            staff: row.is_staff,
        },
        email_verified: row.email_verified_at.is_some(),
        registration: row.registration_status,
        registration_reason: row.registration_reason,
        language: row.locale.parse().unwrap_or_default(),
        session: hash,
    }))
}

fn elapsed(since: DateTime<Utc>, now: DateTime<Utc>) -> std::time::Duration {
    (now - since).to_std().unwrap_or_default()
}

/// The session cookie's name: over https with the `__Host-` prefix, which browsers accept only
/// from this very host, over https, for the whole site (no other subdomain can plant one).
pub fn session_cookie_name(settings: &Settings) -> &'static str {
    if settings.secure_cookies() {
        SECURE_SESSION_COOKIE
    } else {
        SESSION_COOKIE
    }
}

pub const SECURE_SESSION_COOKIE: &str = "__Host-aula_session";

pub fn session_token(headers: &http::HeaderMap, cookie_name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == cookie_name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// 256 random bits as 64 hex digits: session tokens, mailed links, single sign-on states.
pub fn random_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A keyed hash, so that stored keys reveal neither addresses nor emails.
pub fn keyed_hash(secret: &[u8], value: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update((secret.len() as u64).to_be_bytes());
    hasher.update(secret);
    hasher.update(value.as_bytes());
    hex::encode(hasher.finalize())
}

/// Starts a new session for `user_id` and returns its token (for the cookie). A fresh token at
/// every sign-in, so a token planted before sign-in is worthless after it.
pub async fn start_session(state: &AppState, user_id: i32) -> Result<String, AppError> {
    let token = random_token();
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
    }
    .insert(&state.db)
    .await?;
    Ok(token)
}

/// Ends every session of `user_id` but `keep` (the one making the change, if any): after a
/// password change or reset, or when staff deactivate the account.
pub async fn end_sessions_of(
    db: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    keep: Option<&str>,
) -> Result<u64, AppError> {
    let mut delete = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        delete = delete.filter(session::Column::TokenHash.ne(keep));
    }
    Ok(delete.exec(db).await?.rows_affected)
}

pub async fn end_session(state: &AppState, token_hash: &str) -> Result<(), AppError> {
    session::Entity::delete_by_id(token_hash.to_owned())
        .exec(&state.db)
        .await?;
    Ok(())
}

pub fn session_cookie(token: &str, settings: &Settings) -> String {
    let max_age = settings.session_timeouts.absolute.as_secs();
    let secure = if settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let name = session_cookie_name(settings);
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub fn cleared_session_cookie(settings: &Settings) -> String {
    let secure = if settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let name = session_cookie_name(settings);
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}

/// Adds a `Set-Cookie` header to the response of the current server function or page.
pub fn set_cookie(cookie: &str) {
    if let (Some(response), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(cookie),
    ) {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

pub mod passwords {
    //! Argon2id (the crate's defaults: 19 MiB, 2 passes), run off the async threads.
    use crate::error::AppError;
    use argon2::Argon2;
    use argon2::password_hash::{
        PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
    };
    use std::sync::OnceLock;
    use tokio::sync::{Semaphore, SemaphorePermit};

    /// One Argon2 run takes 19 MiB and a core for a while: a burst of sign-ins waits its turn
    /// here instead of taking the memory and the blocking threads all at once.
    async fn turn() -> Result<SemaphorePermit<'static>, AppError> {
        static TURNS: OnceLock<Semaphore> = OnceLock::new();
        TURNS
            .get_or_init(|| {
                Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
            })
            .acquire()
            .await
            .map_err(|_| AppError::Internal)
    }

    pub async fn hash(password: String) -> Result<String, AppError> {
        let _turn = turn().await?;
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|hash| hash.to_string())
        })
        .await
        .map_err(|_| AppError::Internal)?
        .map_err(|error| {
            tracing::error!(%error, "password hashing failed");
            AppError::Internal
        })
    }

    /// Checks `password` against `stored`. Without a stored hash, a dummy hash is checked
    /// instead, so unknown accounts take as long to refuse as known ones. The comparison of
    /// hashes inside `argon2` runs in constant time.
    pub async fn verify(password: String, stored: Option<String>) -> bool {
        let Ok(_turn) = turn().await else {
            return false;
        };
        tokio::task::spawn_blocking(move || {
            let known = stored.is_some();
            let stored = stored.unwrap_or_else(|| dummy_hash().to_owned());
            let Ok(parsed) = PasswordHash::new(&stored) else {
                return false;
            };
            let matches = Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            known && matches
        })
        .await
        .unwrap_or(false)
    }

    fn dummy_hash() -> &'static str {
        static DUMMY: OnceLock<String> = OnceLock::new();
        DUMMY.get_or_init(|| {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(b"not a password anybody has", &salt)
                .map(|hash| hash.to_string())
                .unwrap_or_default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://aula.example.org";

    #[test]
    fn same_origin_requests_pass() {
        assert!(origin_allowed(
            Some("https://aula.example.org"),
            None,
            Some("aula.example.org"),
            BASE
        ));
        assert!(origin_allowed(
            Some("http://127.0.0.1:3000"),
            None,
            Some("127.0.0.1:3000"),
            "http://aula.local"
        ));
        assert!(origin_allowed(
            None,
            Some("https://aula.example.org/editions/3"),
            None,
            BASE
        ));
    }

    #[test]
    fn foreign_or_missing_origins_are_refused() {
        assert!(!origin_allowed(
            Some("https://evil.example"),
            None,
            Some("aula.example.org"),
            BASE
        ));
        assert!(!origin_allowed(
            Some("null"),
            None,
            Some("aula.example.org"),
            BASE
        ));
        assert!(!origin_allowed(None, None, Some("aula.example.org"), BASE));
        assert!(!origin_allowed(
            None,
            Some("https://evil.example/aula.example.org"),
            Some("aula.example.org"),
            BASE
        ));
        assert!(!origin_allowed(
            Some("https://aula.example.org.evil.example"),
            None,
            Some("aula.example.org"),
            BASE
        ));
    }

    #[test]
    fn an_origin_over_another_scheme_is_refused() {
        // The same host over plain http, against a site served over https.
        assert!(!origin_allowed(
            Some("http://aula.example.org"),
            None,
            Some("aula.example.org"),
            BASE
        ));
        assert!(!origin_allowed(
            None,
            Some("http://aula.example.org/editions"),
            Some("aula.example.org"),
            BASE
        ));
        assert!(!origin_allowed(
            Some("http://127.0.0.1:3000"),
            None,
            Some("127.0.0.1:3000"),
            BASE
        ));
    }

    #[test]
    fn the_session_cookie_is_host_bound_over_https() {
        let token = "cd".repeat(32);
        let mut headers = http::HeaderMap::new();
        // A cookie without the prefix (which any subdomain could have planted) is not read.
        headers.insert(
            http::header::COOKIE,
            format!("{SESSION_COOKIE}={token}").parse().unwrap(),
        );
        assert_eq!(session_token(&headers, SECURE_SESSION_COOKIE), None);
        headers.insert(
            http::header::COOKIE,
            format!("{SECURE_SESSION_COOKIE}={token}").parse().unwrap(),
        );
        assert_eq!(session_token(&headers, SECURE_SESSION_COOKIE), Some(token));
    }

    #[test]
    fn session_tokens_are_read_only_when_well_formed() {
        let mut headers = http::HeaderMap::new();
        let token = "ab".repeat(32);
        headers.insert(
            http::header::COOKIE,
            format!("i18n_pref_locale=en; {SESSION_COOKIE}={token}")
                .parse()
                .unwrap(),
        );
        assert_eq!(session_token(&headers, SESSION_COOKIE), Some(token));
        headers.insert(
            http::header::COOKIE,
            format!("{SESSION_COOKIE}=../etc/passwd").parse().unwrap(),
        );
        assert_eq!(session_token(&headers, SESSION_COOKIE), None);
    }

    #[test]
    fn cookies_are_http_only_lax_and_secure_over_https() {
        let settings = Settings::example();
        let cookie = session_cookie("abc", &settings);
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax")
                && cookie.contains("Secure")
        );
        // `__Host-`: Secure, Path=/ and no Domain, or browsers drop it.
        assert!(cookie.starts_with("__Host-aula_session=abc;"), "{cookie}");
        assert!(cookie.contains("Path=/") && !cookie.contains("Domain"));
        assert!(cleared_session_cookie(&settings).starts_with("__Host-aula_session=;"));
        let plain = Settings {
            base_url: "http://127.0.0.1:3000".into(),
            ..settings
        };
        assert!(!session_cookie("abc", &plain).contains("Secure"));
        assert!(session_cookie("abc", &plain).starts_with("aula_session=abc;"));
    }

    #[test]
    fn keyed_hashes_depend_on_the_secret() {
        assert_ne!(
            keyed_hash(b"one", "address:1.2.3.4"),
            keyed_hash(b"two", "address:1.2.3.4")
        );
        assert_eq!(keyed_hash(b"one", "x").len(), 64);
    }
}
