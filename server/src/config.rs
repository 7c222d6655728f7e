//! Configuration, read once from the environment into a typed struct.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `DATABASE_URL` | `sqlite://…` or `postgres://…` | `sqlite://data/aula.db?mode=rwc` |
//! | `AULA_DB_MAX_CONNECTIONS` | connection pool size | SQLite: twice the processor cores, at least 4; PostgreSQL: `10` |
//! | `LEPTOS_SITE_ADDR` | address and port to listen on | `127.0.0.1:3000` |
//! | `AULA_BASE_URL` | public URL of the site, used for origin checks and `Secure` cookies | `http://<LEPTOS_SITE_ADDR>` |
//! | `AULA_DATA_DIR` | folder for what Aula keeps besides the database (generated secrets, uploads) | `data` |
//! | `AULA_SECRET` | at least 32 characters; keys stored hashes; the same on every instance | required over https; on http generated once into `<data>/secrets/` (with a warning) |
//! | `AULA_SESSION_IDLE_MINUTES` | sign-out after this long without use | `480` |
//! | `AULA_SESSION_MAX_HOURS` | sign-out this long after sign-in, however busy | `168` |
//! | `AULA_TRUST_PROXY` | `true` behind one reverse proxy that appends the client's address to `X-Forwarded-For` (the right-most entry counts; the client can forge those left of it) | `false` |
//! | `AULA_UPLOAD_DIR` | folder for files handed in by participants (never served directly) | `<data>/uploads` |
//! | `AULA_UPLOAD_MAX_MB` | largest file a participant may attach | `10` |
//! | `AULA_SIGNING_KEY` | 64 hex digits: the Ed25519 seed that signs certificates; the same on every instance | required over https; on http derived from `AULA_SECRET` if set, else generated once into `<data>/secrets/` |
//! | `AULA_RETIRED_SIGNING_KEYS` | public keys (as `/.well-known/aula-certificate-key` printed them) of keys rotated out, comma-separated: certificates they signed still verify | none |
//! | `AULA_ISSUER` | the organisation printed on certificates | `Unità nazionale formazione docenti` |
//! | `AULA_SMTP_URL` | mail relay: `smtp://host:25` (plain, to a relay nearby), `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtps://user:password@host:465` (TLS) | none: mail is written as `.eml` files in `mail/` under the data folder |
//! | `AULA_MAIL_FROM` | sender of Aula's mail | `Aula <noreply@localhost>` |
//! | `AULA_OIDC_PROVIDERS` | single sign-on providers, comma-separated ids (`[a-z0-9-]`), each configured by the four below; the redirect URI to register with a provider is `<AULA_BASE_URL>/sso/<id>/callback` | none |
//! | `AULA_OIDC_<ID>_ISSUER` | the provider's issuer URL, exactly as its discovery document gives it (https, or http on this machine) | required per provider |
//! | `AULA_OIDC_<ID>_CLIENT_ID` / `AULA_OIDC_<ID>_CLIENT_SECRET` | Aula's registration with the provider (`<ID>` upper-cased, `-` as `_`) | id required, secret optional |
//! | `AULA_OIDC_<ID>_NAME` | the provider's name on its button ("Accedi con …") | the id |
//! | `AULA_INACTIVE_AFTER_DAYS` | a profile nobody signed in to for this long becomes inactive (hidden from others) | `365` |
//! | `AULA_WARN_BEFORE_DAYS` | the person is mailed this long before their data are anonymised | `30` |
//! | `AULA_ANONYMISE_AFTER_DAYS` | personal data of a profile nobody signed in to for this long are anonymised | `1095` |
//! | `LEPTOS_SITE_ROOT` | folder with the built browser bundle | `target/site` |
//! | `RUST_LOG` | log filter | `info` |

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/aula.db?mode=rwc";

#[derive(Clone)]
pub struct Config {
    pub database_url: String,
    pub db_max_connections: u32,
    pub site_addr: SocketAddr,
    pub base_url: String,
    pub data_dir: std::path::PathBuf,
    /// None: not set; on http it is then kept in the data folder (see `secrets`).
    pub secret: Option<Secret>,
    pub session_idle: Duration,
    pub session_max: Duration,
    pub trust_proxy: bool,
    pub site_root: String,
    pub upload_dir: String,
    pub upload_max_bytes: usize,
    pub upload_types: Vec<app::domain::submissions::FileType>,
    pub signing_key: Option<[u8; 32]>,
    pub retired_keys: Vec<app::ed25519_dalek::VerifyingKey>,
    pub issuer: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub sso_providers: Vec<app::ssr::oidc::ProviderSettings>,
    pub retention: app::domain::lifecycle::Retention,
}

/// A secret that never shows in logs or debug output.
#[derive(Clone)]
pub struct Secret {
    bytes: Vec<u8>,
}

impl Secret {
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret { bytes }
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database", &redact_url(&self.database_url))
            .field("site_addr", &self.site_addr)
            .field("base_url", &self.base_url)
            .field("data_dir", &self.data_dir)
            .field("session_idle", &self.session_idle)
            .field("session_max", &self.session_max)
            .field("trust_proxy", &self.trust_proxy)
            .field("site_root", &self.site_root)
            .field("upload_dir", &self.upload_dir)
            .field("sso_providers", &self.sso_providers)
            .field("retention", &self.retention)
            .finish_non_exhaustive()
    }
}

/// The URL without its password, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads the configuration through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let number = |name: &str, default: u64| positive_number(name, lookup(name), default);
        let site_addr = site_addr(lookup("LEPTOS_SITE_ADDR"))?;
        let base_url = base_url(lookup("AULA_BASE_URL"), site_addr)?;
        let secret = secret(lookup("AULA_SECRET"))?;
        let signing_key = signing_key(lookup("AULA_SIGNING_KEY"))?;
        // A real site must not invent its keys: a restart, or a second instance, would sign
        // with another key and every certificate issued so far would fail verification.
        if base_url.starts_with("https://") && (secret.is_none() || signing_key.is_none()) {
            return Err(ConfigError(
                "over https both AULA_SECRET and AULA_SIGNING_KEY must be set, the same on every \
                 instance (see README.md: Secrets)"
                    .to_owned(),
            ));
        }
        let data_dir: std::path::PathBuf = lookup("AULA_DATA_DIR")
            .unwrap_or_else(|| "data".to_owned())
            .into();
        let days = |name: &str, default: u32| {
            number(name, u64::from(default)).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        };
        let defaults = app::domain::lifecycle::Retention::default();
        let retention = app::domain::lifecycle::Retention::new(
            days("AULA_INACTIVE_AFTER_DAYS", defaults.inactive_after_days)?,
            days("AULA_WARN_BEFORE_DAYS", defaults.warn_before_days)?,
            days("AULA_ANONYMISE_AFTER_DAYS", defaults.anonymise_after_days)?,
        )
        .map_err(|why| ConfigError(format!("retention periods: {why}")))?;
        let database_url = database_url(lookup("DATABASE_URL"))?;
        let pool_size = u64::from(default_pool_size(&database_url));
        Ok(Self {
            retention,
            sso_providers: sso_providers(&lookup)?,
            signing_key,
            retired_keys: retired_keys(lookup("AULA_RETIRED_SIGNING_KEYS"))?,
            issuer: lookup("AULA_ISSUER")
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "Unità nazionale formazione docenti".to_owned()),
            smtp_url: smtp_url(lookup("AULA_SMTP_URL"))?,
            mail_from: lookup("AULA_MAIL_FROM")
                .unwrap_or_else(|| "Aula <noreply@localhost>".to_owned()),
            db_max_connections: u32::try_from(number("AULA_DB_MAX_CONNECTIONS", pool_size)?)
                .unwrap_or(u32::MAX),
            database_url,
            base_url,
            site_addr,
            secret,
            session_idle: Duration::from_secs(number("AULA_SESSION_IDLE_MINUTES", 480)? * 60),
            session_max: Duration::from_secs(number("AULA_SESSION_MAX_HOURS", 168)? * 3600),
            trust_proxy: trust_proxy(lookup("AULA_TRUST_PROXY"))?,
            site_root: lookup("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()),
            upload_dir: lookup("AULA_UPLOAD_DIR")
                .unwrap_or_else(|| data_dir.join("uploads").display().to_string()),
            upload_max_bytes: number("AULA_UPLOAD_MAX_MB", 10)?.min(1024) as usize * 1024 * 1024,
            upload_types: upload_types(lookup("AULA_UPLOAD_TYPES"))?,
            data_dir,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// Each setting is read by one function from its variable's value (`None` when unset).
fn positive_number(name: &str, value: Option<String>, default: u64) -> Result<u64, ConfigError> {
    match value {
        None => Ok(default),
        Some(value) => value
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                ConfigError(format!(
                    "{name} must be a positive whole number, not {value:?}"
                ))
            }),
    }
}

fn site_addr(value: Option<String>) -> Result<SocketAddr, ConfigError> {
    let text = value.unwrap_or_else(|| "127.0.0.1:3000".to_owned());
    text.parse().map_err(|_| {
        ConfigError(format!(
            "LEPTOS_SITE_ADDR must look like 127.0.0.1:3000, not {text:?}"
        ))
    })
}

fn base_url(value: Option<String>, site_addr: SocketAddr) -> Result<String, ConfigError> {
    let base_url = value.unwrap_or_else(|| format!("http://{site_addr}"));
    let base_url = base_url.trim().trim_end_matches('/').to_owned();
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(ConfigError(format!(
            "AULA_BASE_URL must start with http:// or https://, not {base_url:?}"
        )));
    }
    Ok(base_url)
}

fn secret(value: Option<String>) -> Result<Option<Secret>, ConfigError> {
    match value {
        Some(secret) if secret.len() >= 32 => Ok(Some(Secret::new(secret.into_bytes()))),
        Some(_) => Err(ConfigError(
            "AULA_SECRET must have at least 32 characters".to_owned(),
        )),
        None => Ok(None),
    }
}

fn smtp_url(value: Option<String>) -> Result<Option<String>, ConfigError> {
    let Some(url) = value.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    app::ssr::mail::check_url(&url).map_err(ConfigError)?;
    Ok(Some(url))
}

/// `AULA_OIDC_PROVIDERS` and, for each id, its `AULA_OIDC_<ID>_*` settings.
fn sso_providers(
    lookup: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<app::ssr::oidc::ProviderSettings>, ConfigError> {
    use app::domain::sso::ProviderId;
    let list = lookup("AULA_OIDC_PROVIDERS").unwrap_or_default();
    let mut providers: Vec<app::ssr::oidc::ProviderSettings> = Vec::new();
    for id in list.split(',').map(str::trim).filter(|id| !id.is_empty()) {
        let id = ProviderId::parse(id).ok_or_else(|| {
            ConfigError(format!(
                "AULA_OIDC_PROVIDERS: {id:?} is not a provider id (a-z, 0-9 and -, at most 32)"
            ))
        })?;
        if providers.iter().any(|p| p.id == id) {
            return Err(ConfigError(format!(
                "AULA_OIDC_PROVIDERS names {:?} twice",
                id.as_str()
            )));
        }
        let prefix = format!(
            "AULA_OIDC_{}_",
            id.as_str().to_uppercase().replace('-', "_")
        );
        let setting = |name: &str| {
            lookup(&format!("{prefix}{name}"))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let required = |name: &str| {
            setting(name).ok_or_else(|| ConfigError(format!("{prefix}{name} must be set")))
        };
        let issuer = required("ISSUER")?;
        if !app::ssr::oidc::acceptable_url(&issuer) {
            return Err(ConfigError(format!(
                "{prefix}ISSUER must be an https URL (http only on this machine), not {issuer:?}"
            )));
        }
        providers.push(app::ssr::oidc::ProviderSettings {
            name: setting("NAME").unwrap_or_else(|| id.as_str().to_owned()),
            client_id: required("CLIENT_ID")?,
            client_secret: setting("CLIENT_SECRET"),
            issuer,
            id,
        });
    }
    Ok(providers)
}

fn retired_keys(
    value: Option<String>,
) -> Result<Vec<app::ed25519_dalek::VerifyingKey>, ConfigError> {
    use app::domain::certificates::signing::public_key_from_text;
    value
        .unwrap_or_default()
        .split([',', ' ', '\n'])
        .filter(|text| !text.trim().is_empty())
        .map(|text| {
            public_key_from_text(text).ok_or_else(|| {
                ConfigError(format!(
                    "AULA_RETIRED_SIGNING_KEYS: {text:?} is not a public key as \
                     /.well-known/aula-certificate-key prints it"
                ))
            })
        })
        .collect()
}

/// The pool's size unless set. An SQLite connection works on a thread of its own, in this
/// process, on these cores: more connections than cores to keep busy only add hand-offs between
/// threads. In the `pages` bench on 2 cores, 4 connections served the edition page with a sixth
/// less processor time per request than 10. A PostgreSQL connection mostly waits for the
/// network and the server: 10.
pub fn default_pool_size(database_url: &str) -> u32 {
    if database_url.starts_with("sqlite:") {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
    } else {
        10
    }
}

fn database_url(value: Option<String>) -> Result<String, ConfigError> {
    let url = value.unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
    if !(url.starts_with("sqlite:")
        || url.starts_with("postgres://")
        || url.starts_with("postgresql://"))
    {
        return Err(ConfigError(
            "DATABASE_URL must start with sqlite:, postgres:// or postgresql://".to_owned(),
        ));
    }
    Ok(url)
}

fn trust_proxy(value: Option<String>) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::trim) {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(other) => Err(ConfigError(format!(
            "AULA_TRUST_PROXY must be true or false, not {other:?}"
        ))),
    }
}

fn upload_types(
    value: Option<String>,
) -> Result<Vec<app::domain::submissions::FileType>, ConfigError> {
    let Some(list) = value else {
        return Ok(app::domain::submissions::FileType::ALL.to_vec());
    };
    match app::domain::submissions::parse_file_types(&list) {
        Ok(types) if !types.is_empty() => Ok(types),
        Ok(_) => Err(ConfigError(
            "AULA_UPLOAD_TYPES must name at least one of pdf, docx, odt, png, jpg".to_owned(),
        )),
        Err(unknown) => Err(ConfigError(format!(
            "AULA_UPLOAD_TYPES: {unknown:?} is not one of pdf, docx, odt, png, jpg"
        ))),
    }
}

fn signing_key(value: Option<String>) -> Result<Option<[u8; 32]>, ConfigError> {
    let Some(text) = value else {
        return Ok(None);
    };
    hex::decode(text.trim())
        .ok()
        .and_then(|b| <[u8; 32]>::try_from(b).ok())
        .map(Some)
        .ok_or_else(|| ConfigError("AULA_SIGNING_KEY must be 64 hexadecimal digits".to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn the_pool_is_sized_for_the_database_unless_set() {
        let sqlite = config(&[]).expect("the defaults");
        assert!(sqlite.database_url.starts_with("sqlite:"));
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        assert_eq!(
            sqlite.db_max_connections,
            u32::try_from(cores * 2).expect("cores").max(4)
        );
        let postgres = config(&[("DATABASE_URL", "postgres://aula@db.example/aula")])
            .expect("a PostgreSQL URL");
        assert_eq!(postgres.db_max_connections, 10);
        let set = config(&[("AULA_DB_MAX_CONNECTIONS", "7")]).expect("a size");
        assert_eq!(set.db_max_connections, 7);
    }

    #[test]
    fn single_sign_on_providers_are_read_and_checked() {
        let read = config(&[
            ("AULA_OIDC_PROVIDERS", "scuola, id-regione"),
            ("AULA_OIDC_SCUOLA_ISSUER", "https://id.scuola.example"),
            ("AULA_OIDC_SCUOLA_CLIENT_ID", "aula"),
            ("AULA_OIDC_SCUOLA_CLIENT_SECRET", "s3cret"),
            ("AULA_OIDC_SCUOLA_NAME", "Scuola ID"),
            ("AULA_OIDC_ID_REGIONE_ISSUER", "http://127.0.0.1:4455"),
            ("AULA_OIDC_ID_REGIONE_CLIENT_ID", "aula-regione"),
        ])
        .unwrap();
        let [scuola, regione] = &read.sso_providers[..] else {
            panic!("two providers")
        };
        assert_eq!(scuola.name, "Scuola ID");
        assert_eq!(scuola.client_secret.as_deref(), Some("s3cret"));
        assert_eq!(regione.id.as_str(), "id-regione");
        assert_eq!(regione.name, "id-regione");
        assert!(regione.client_secret.is_none());
        assert!(!format!("{read:?}").contains("s3cret"), "no secret in logs");

        let missing = config(&[("AULA_OIDC_PROVIDERS", "scuola")]).unwrap_err();
        assert!(missing.0.contains("AULA_OIDC_SCUOLA_ISSUER"), "{missing}");
        let plain_http = config(&[
            ("AULA_OIDC_PROVIDERS", "scuola"),
            ("AULA_OIDC_SCUOLA_ISSUER", "http://id.scuola.example"),
            ("AULA_OIDC_SCUOLA_CLIENT_ID", "aula"),
        ])
        .unwrap_err();
        assert!(plain_http.0.contains("https"), "{plain_http}");
        assert!(config(&[("AULA_OIDC_PROVIDERS", "Scuola")]).is_err());
    }

    #[test]
    fn retention_periods_are_read_and_must_fit_together() {
        let read = config(&[]).unwrap().retention;
        assert_eq!(read, app::domain::lifecycle::Retention::default());
        let read = config(&[
            ("AULA_INACTIVE_AFTER_DAYS", "180"),
            ("AULA_WARN_BEFORE_DAYS", "14"),
            ("AULA_ANONYMISE_AFTER_DAYS", "730"),
        ])
        .unwrap()
        .retention;
        assert_eq!(
            (
                read.inactive_after_days,
                read.warn_before_days,
                read.anonymise_after_days
            ),
            (180, 14, 730)
        );
        // Anonymising before the profile is even inactive makes no sense.
        assert!(config(&[("AULA_ANONYMISE_AFTER_DAYS", "100")]).is_err());
        assert!(config(&[("AULA_INACTIVE_AFTER_DAYS", "tanti")]).is_err());
    }

    #[test]
    fn defaults_run_on_local_sqlite() {
        let config = config(&[]).unwrap();
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.base_url, "http://127.0.0.1:3000");
        assert!(config.secret.is_none(), "kept in the data folder instead");
        assert_eq!(config.upload_dir, "data/uploads");
        assert_eq!(config.session_idle, Duration::from_secs(8 * 3600));
        assert!(!config.trust_proxy);
    }

    #[test]
    fn values_are_read_and_checked() {
        let config = config(&[
            ("DATABASE_URL", "postgres://aula:hunter2@db/aula"),
            ("AULA_BASE_URL", "https://aula.example.org/"),
            ("AULA_SECRET", "0123456789abcdef0123456789abcdef"),
            ("AULA_SIGNING_KEY", &"ab".repeat(32)),
            ("AULA_TRUST_PROXY", "true"),
        ])
        .unwrap();
        assert_eq!(config.base_url, "https://aula.example.org");
        assert!(config.secret.is_some());
        assert!(config.trust_proxy);
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[test]
    fn bad_values_are_refused_with_a_message() {
        assert!(config(&[("AULA_SECRET", "short")]).is_err());
        assert!(config(&[("LEPTOS_SITE_ADDR", "localhost")]).is_err());
        assert!(config(&[("AULA_BASE_URL", "aula.example.org")]).is_err());
        assert!(config(&[("DATABASE_URL", "mysql://x")]).is_err());
        assert!(config(&[("AULA_SESSION_IDLE_MINUTES", "0")]).is_err());
        assert!(config(&[("AULA_TRUST_PROXY", "maybe")]).is_err());
        assert!(config(&[("AULA_UPLOAD_TYPES", "pdf,exe")]).is_err());
        assert!(config(&[("AULA_UPLOAD_TYPES", " , ")]).is_err());
        assert!(config(&[("AULA_RETIRED_SIGNING_KEYS", "not-a-key")]).is_err());
        assert!(config(&[("AULA_SMTP_URL", "mail.example.org:25")]).is_err());
    }

    #[test]
    fn a_site_over_https_brings_its_own_keys() {
        let https = ("AULA_BASE_URL", "https://aula.example.org");
        let secret = ("AULA_SECRET", "0123456789abcdef0123456789abcdef");
        let key = "cd".repeat(32);
        let signing = ("AULA_SIGNING_KEY", key.as_str());
        for missing in [vec![https], vec![https, secret], vec![https, signing]] {
            let refused = config(&missing).expect_err("started without its keys");
            assert!(refused.0.contains("AULA_SIGNING_KEY"), "{refused}");
        }
        assert!(config(&[https, secret, signing]).is_ok());
        // A local trial over http may go without: its keys are kept in the data folder.
        assert!(config(&[]).is_ok());
    }

    #[test]
    fn retired_keys_are_read_as_they_were_published() {
        use app::domain::certificates::signing::public_key_text;
        let old = app::ed25519_dalek::SigningKey::from_bytes(&[5; 32]).verifying_key();
        let older = app::ed25519_dalek::SigningKey::from_bytes(&[6; 32]).verifying_key();
        let list = format!("{}, {}", public_key_text(&old), public_key_text(&older));
        let config = config(&[("AULA_RETIRED_SIGNING_KEYS", &list)]).unwrap();
        assert_eq!(config.retired_keys, vec![old, older]);
    }

    #[test]
    fn upload_types_default_to_all_and_can_be_narrowed() {
        use app::domain::submissions::FileType;
        assert_eq!(config(&[]).unwrap().upload_types, FileType::ALL.to_vec());
        let narrowed = config(&[("AULA_UPLOAD_TYPES", "pdf, jpeg")]).unwrap();
        assert_eq!(narrowed.upload_types, vec![FileType::Pdf, FileType::Jpeg]);
    }

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact_url("postgres://aula:s3cret@db:5432/aula"),
            "postgres://aula:***@db:5432/aula"
        );
        assert_eq!(redact_url("sqlite://data/aula.db"), "sqlite://data/aula.db");
    }
}
