//! What every request can reach: the database and the settings. Provided to server functions
//! and pages as context; tests build their own with their own database.

use crate::domain::sessions::Timeouts;
use crate::error::AppError;
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: super::page_reads::Db,
    pub settings: Arc<Settings>,
}

/// Settings the app needs at request time (read once from the environment by `server`).
/// Their `Debug` leaves out every secret (logs and panics print it).
#[derive(Clone)]
pub struct Settings {
    /// The public origin, e.g. `https://aula.example.org` (no trailing slash).
    pub base_url: String,
    /// Keys the hashes of login-throttle records; set the same on every instance.
    pub secret: Vec<u8>,
    pub session_timeouts: Timeouts,
    /// Whether to believe `X-Forwarded-For` (only behind a reverse proxy that sets it).
    pub trust_proxy: bool,
    /// Where files handed in by participants are kept (outside the web root).
    pub upload_dir: std::path::PathBuf,
    /// The largest file a participant may attach.
    pub upload_max_bytes: usize,
    /// The kinds of file participants may attach.
    pub upload_types: Vec<crate::domain::submissions::FileType>,
    /// Signs certificates; its public half is published on the verification page.
    pub signing_key: ed25519_dalek::SigningKey,
    /// Keys that signed certificates before a rotation: published and trusted for checking,
    /// never used to sign.
    pub retired_keys: Vec<ed25519_dalek::VerifyingKey>,
    /// The organisation that issues certificates, as printed on them.
    pub issuer: String,
    /// Where mail goes; none: no mail is sent.
    pub mail: Option<crate::ssr::mail::MailSettings>,
    /// Single sign-on providers (none: only email and password).
    pub sso: crate::ssr::oidc::Providers,
    /// How long personal data are kept (see `domain::lifecycle`).
    pub retention: crate::domain::lifecycle::Retention,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("secret", &"…")
            .field("session_timeouts", &self.session_timeouts)
            .field("trust_proxy", &self.trust_proxy)
            .field("upload_dir", &self.upload_dir)
            .field("upload_max_bytes", &self.upload_max_bytes)
            .field("upload_types", &self.upload_types)
            .field("signing_key", &"…")
            .field("retired_keys", &self.retired_keys.len())
            .field("issuer", &self.issuer)
            .field("mail", &self.mail)
            .field("sso", &self.sso)
            .field("retention", &self.retention)
            .finish()
    }
}

impl Settings {
    /// Issued certificates, as PDF files named by their id.
    pub fn certificate_dir(&self) -> std::path::PathBuf {
        self.upload_dir.join("certificates")
    }

    /// Every key that checks certificates: the current one first, then the retired ones.
    pub fn verifying_keys(&self) -> Vec<ed25519_dalek::VerifyingKey> {
        let mut keys = vec![self.signing_key.verifying_key()];
        keys.extend(self.retired_keys.iter().copied());
        keys
    }

    /// Where a provider sends the browser back to after a sign-in (registered with it).
    pub fn sso_redirect_uri(&self, provider: &str) -> String {
        format!("{}/sso/{provider}/callback", self.base_url)
    }

    /// Cookies carry `Secure` whenever the site is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// The certificate signing key when none is configured: derived from the secret, so every
/// instance sharing `AULA_SECRET` signs alike.
pub fn signing_key_from_secret(secret: &[u8]) -> ed25519_dalek::SigningKey {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(b"aula certificate signing key v1\0");
    hasher.update(secret);
    ed25519_dalek::SigningKey::from_bytes(&hasher.finalize().into())
}

/// The state of the current request (pages and server functions alike).
pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        AppError::Internal
    })
}

#[cfg(test)]
impl Settings {
    /// Settings for unit tests: a site served over https, fixed keys, no mail.
    pub fn example() -> Self {
        Settings {
            base_url: "https://aula.example.org".into(),
            secret: vec![42; 32],
            session_timeouts: Default::default(),
            trust_proxy: false,
            upload_dir: "uploads".into(),
            upload_max_bytes: 1024,
            upload_types: crate::domain::submissions::FileType::ALL.to_vec(),
            signing_key: ed25519_dalek::SigningKey::from_bytes(&[7; 32]),
            retired_keys: Vec::new(),
            issuer: "Aula".into(),
            mail: None,
            sso: Default::default(),
            retention: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_holds_no_secret() {
        let settings = Settings {
            mail: Some(crate::ssr::mail::MailSettings {
                delivery: crate::ssr::mail::Delivery::Smtp(
                    "smtp://aula:hunter2@relay.example.org:587".into(),
                ),
                from: "Aula <noreply@aula.example.org>".into(),
            }),
            ..Settings::example()
        };
        let shown = format!("{settings:?}");
        assert!(shown.contains("aula.example.org"), "{shown}");
        for secret in ["42, 42", "7, 7", "hunter2"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
    }
}
