//! OpenID Connect providers, the network half: each provider's discovery document and keys
//! (fetched when first needed, then kept for an hour), the authorization request and the code
//! exchange (the `oauth2` crate, with PKCE), and the ID token's signature (`jsonwebtoken`,
//! asymmetric algorithms only). What the token must say is checked by `domain::sso`.
//!
//! Discovery and keys are a cache of what the provider publishes, so each instance may keep
//! its own: nothing here has to agree between instances.

use crate::domain::sso::{ALLOWED_ALGORITHMS, Expected, IdTokenClaims, ProviderId, SsoProblem};
use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    ExtraTokenFields, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope,
    StandardRevocableToken, StandardTokenResponse, TokenUrl,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long a discovery document and its keys are trusted before they are fetched again.
const METADATA_TTL: Duration = Duration::from_secs(60 * 60);
/// An unknown key id fetches the keys again (the provider rotated them), at most this often.
const KEYS_REFETCH_AFTER: Duration = Duration::from_secs(60);
/// Documents larger than this are not read: real ones are a few kilobytes.
const MAX_DOCUMENT_BYTES: usize = 512 * 1024;

/// One provider as configured (`AULA_OIDC_*`).
#[derive(Clone)]
pub struct ProviderSettings {
    pub id: ProviderId,
    /// On its button: "Accedi con {name}".
    pub name: String,
    /// Exactly as the provider's discovery document and tokens give it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for ProviderSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderSettings")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "…"))
            .finish()
    }
}

/// Whether `url` may be talked to: https, or http to this machine (tests, trying Aula out).
pub fn acceptable_url(url: &str) -> bool {
    match url::Url::parse(url) {
        Ok(url) if url.scheme() == "https" => url.host().is_some(),
        Ok(url) if url.scheme() == "http" => {
            matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
        }
        _ => false,
    }
}

/// The configured providers, with what was fetched from each.
#[derive(Clone, Default)]
pub struct Providers {
    list: Arc<[Provider]>,
}

impl std::fmt::Debug for Providers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.list.iter().map(|p| &p.settings))
            .finish()
    }
}

struct Provider {
    settings: ProviderSettings,
    http: reqwest::Client,
    metadata: Mutex<Option<Arc<Metadata>>>,
}

/// What discovery and the key set said.
struct Metadata {
    fetched: Instant,
    authorization_endpoint: String,
    token_endpoint: String,
    keys: Vec<Jwk>,
}

/// A sign-in about to leave for the provider: the address to send the browser to, and what to
/// keep until it comes back.
pub struct Departure {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct IdTokenField {
    #[serde(default)]
    id_token: Option<String>,
}

impl ExtraTokenFields for IdTokenField {}

/// The oauth2 client with a token response that carries the ID token; endpoints not set.
type BareClient = oauth2::Client<
    BasicErrorResponse,
    StandardTokenResponse<IdTokenField, BasicTokenType>,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
>;

/// The same with the authorization and token endpoints set.
type OidcClient = oauth2::Client<
    BasicErrorResponse,
    StandardTokenResponse<IdTokenField, BasicTokenType>,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

impl Providers {
    pub fn new(list: Vec<ProviderSettings>) -> Self {
        // Never follow redirects (a provider could send Aula's requests anywhere) and never
        // wait long: a sign-in is a person waiting.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent("Aula")
            .build()
            .unwrap_or_default();
        Providers {
            list: list
                .into_iter()
                .map(|settings| Provider {
                    settings,
                    http: http.clone(),
                    metadata: Mutex::new(None),
                })
                .collect(),
        }
    }

    pub fn settings(&self) -> impl Iterator<Item = &ProviderSettings> {
        self.list.iter().map(|p| &p.settings)
    }

    pub fn find(&self, id: &str) -> Option<&ProviderSettings> {
        self.provider(id).map(|p| &p.settings)
    }

    fn provider(&self, id: &str) -> Option<&Provider> {
        self.list.iter().find(|p| p.settings.id.as_str() == id)
    }

    /// Prepares the authorization request (code flow, PKCE S256, a fresh state and nonce).
    pub async fn depart(&self, id: &str, redirect_uri: &str) -> Result<Departure, SsoProblem> {
        let provider = self.provider(id).ok_or(SsoProblem::State)?;
        let metadata = provider.metadata(false).await?;
        let client = provider.client(&metadata, redirect_uri)?;
        let state = crate::ssr::auth::random_token();
        let nonce = crate::ssr::auth::random_token();
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, _) = client
            .authorize_url(|| CsrfToken::new(state.clone()))
            .add_scope(Scope::new("openid".into()))
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .add_extra_param("nonce", nonce.clone())
            .set_pkce_challenge(challenge)
            .url();
        Ok(Departure {
            url: url.to_string(),
            state,
            nonce,
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Takes the code back to the provider (with the PKCE verifier), and answers the ID
    /// token's claims once its signature, issuer, audience, times and nonce check out.
    pub async fn arrive(
        &self,
        id: &str,
        redirect_uri: &str,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
        now: DateTime<Utc>,
    ) -> Result<IdTokenClaims, SsoProblem> {
        let provider = self.provider(id).ok_or(SsoProblem::State)?;
        let metadata = provider.metadata(false).await?;
        let client = provider.client(&metadata, redirect_uri)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&provider.http)
            .await
            .map_err(|error| match error {
                RequestTokenError::ServerResponse(refusal) => {
                    tracing::warn!(provider = id, error = %refusal, "code refused by the provider");
                    SsoProblem::Code
                }
                other => {
                    tracing::warn!(provider = id, error = %other, "code exchange failed");
                    SsoProblem::Unavailable
                }
            })?;
        let token = response.extra_fields().id_token.clone().ok_or_else(|| {
            tracing::warn!(provider = id, "token response without an ID token");
            SsoProblem::Signature
        })?;
        let claims = provider.verify_signature(&token, metadata).await?;
        crate::domain::sso::check_claims(
            &claims,
            &Expected {
                issuer: &provider.settings.issuer,
                client_id: &provider.settings.client_id,
                nonce,
            },
            now,
        )
        .inspect_err(|problem| {
            tracing::warn!(provider = id, ?problem, "ID token refused");
        })?;
        Ok(claims)
    }
}

impl Provider {
    fn client(&self, metadata: &Metadata, redirect_uri: &str) -> Result<OidcClient, SsoProblem> {
        let unavailable = |_| SsoProblem::Unavailable;
        let mut client: OidcClient =
            BareClient::new(ClientId::new(self.settings.client_id.clone()))
                .set_auth_uri(
                    AuthUrl::new(metadata.authorization_endpoint.clone()).map_err(unavailable)?,
                )
                .set_token_uri(TokenUrl::new(metadata.token_endpoint.clone()).map_err(unavailable)?)
                .set_redirect_uri(RedirectUrl::new(redirect_uri.to_owned()).map_err(unavailable)?);
        if let Some(secret) = &self.settings.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.clone()));
        }
        Ok(client)
    }

    /// The discovery document and keys: from the cache while fresh, else fetched (keeping
    /// the old ones if the provider does not answer). `refresh_keys` fetches the keys again.
    async fn metadata(&self, refresh_keys: bool) -> Result<Arc<Metadata>, SsoProblem> {
        let mut cached = self.metadata.lock().await;
        let fresh = |m: &Arc<Metadata>| {
            let age = m.fetched.elapsed();
            age < METADATA_TTL && !(refresh_keys && age > KEYS_REFETCH_AFTER)
        };
        if let Some(metadata) = cached.as_ref().filter(|m| fresh(m)) {
            return Ok(metadata.clone());
        }
        match self.fetch_metadata().await {
            Ok(metadata) => {
                let metadata = Arc::new(metadata);
                *cached = Some(metadata.clone());
                Ok(metadata)
            }
            Err(problem) => cached.clone().ok_or(problem),
        }
    }

    async fn fetch_metadata(&self) -> Result<Metadata, SsoProblem> {
        #[derive(Deserialize)]
        struct Discovery {
            issuer: String,
            authorization_endpoint: String,
            token_endpoint: String,
            jwks_uri: String,
        }
        #[derive(Deserialize)]
        struct KeySet {
            keys: Vec<serde_json::Value>,
        }
        let id = self.settings.id.as_str();
        let address = format!(
            "{}/.well-known/openid-configuration",
            self.settings.issuer.trim_end_matches('/')
        );
        let discovery: Discovery = self.get_json(&address).await?;
        // The document must be the issuer's own (OpenID Connect Discovery, section 4.3).
        if discovery.issuer != self.settings.issuer {
            tracing::error!(
                provider = id,
                said = discovery.issuer,
                "discovery names another issuer"
            );
            return Err(SsoProblem::Unavailable);
        }
        for endpoint in [
            &discovery.authorization_endpoint,
            &discovery.token_endpoint,
            &discovery.jwks_uri,
        ] {
            if !acceptable_url(endpoint) {
                tracing::error!(provider = id, endpoint, "endpoint refused: not https");
                return Err(SsoProblem::Unavailable);
            }
        }
        let set: KeySet = self.get_json(&discovery.jwks_uri).await?;
        // Keys of kinds this library does not know are skipped, not fatal.
        let keys: Vec<Jwk> = set
            .keys
            .into_iter()
            .filter_map(|key| serde_json::from_value(key).ok())
            .collect();
        tracing::info!(
            provider = id,
            keys = keys.len(),
            "provider metadata fetched"
        );
        Ok(Metadata {
            fetched: Instant::now(),
            authorization_endpoint: discovery.authorization_endpoint,
            token_endpoint: discovery.token_endpoint,
            keys,
        })
    }

    async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        address: &str,
    ) -> Result<T, SsoProblem> {
        let id = self.settings.id.as_str();
        let unavailable = |error: &dyn std::fmt::Display| {
            tracing::warn!(provider = id, address, %error, "provider document not read");
            SsoProblem::Unavailable
        };
        let mut response = self
            .http
            .get(address)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| unavailable(&e))?;
        if !response.status().is_success() {
            return Err(unavailable(&response.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| unavailable(&e))? {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(unavailable(&"document too large"));
            }
            body.extend_from_slice(&chunk);
        }
        serde_json::from_slice(&body).map_err(|e| unavailable(&e))
    }

    /// The token's claims, if a key the provider publishes signed it with an allowed
    /// algorithm. An unknown key id fetches the keys once more (the provider rotated them).
    async fn verify_signature(
        &self,
        token: &str,
        metadata: Arc<Metadata>,
    ) -> Result<IdTokenClaims, SsoProblem> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| SsoProblem::Signature)?;
        let algorithm = format!("{:?}", header.alg);
        if !ALLOWED_ALGORITHMS.contains(&algorithm.as_str()) {
            tracing::warn!(algorithm, "ID token with a refused algorithm");
            return Err(SsoProblem::Signature);
        }
        let mut metadata = metadata;
        let mut key = signing_key(&metadata.keys, header.kid.as_deref(), &algorithm);
        if key.is_none() {
            metadata = self.metadata(true).await?;
            key = signing_key(&metadata.keys, header.kid.as_deref(), &algorithm);
        }
        let Some(key) = key else {
            tracing::warn!(kid = header.kid, "ID token signed with an unknown key");
            return Err(SsoProblem::Signature);
        };
        let key = jsonwebtoken::DecodingKey::from_jwk(key).map_err(|_| SsoProblem::Signature)?;
        let mut validation = jsonwebtoken::Validation::new(header.alg);
        // Claims are checked by `domain::sso::check_claims`, with Aula's clock and rules.
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.leeway = 0;
        jsonwebtoken::decode::<IdTokenClaims>(token, &key, &validation)
            .map(|data| data.claims)
            .map_err(|error| {
                tracing::warn!(%error, "ID token signature refused");
                SsoProblem::Signature
            })
    }
}

/// The published key that may have signed a token: by key id, or the only signing key when
/// the token names none. A key that says what it is for must be for signatures with this
/// algorithm.
fn signing_key<'k>(keys: &'k [Jwk], kid: Option<&str>, algorithm: &str) -> Option<&'k Jwk> {
    let fits = |key: &&Jwk| {
        let for_signing = !matches!(
            key.common.public_key_use,
            Some(PublicKeyUse::Encryption | PublicKeyUse::Other(_))
        );
        let same_algorithm = key
            .common
            .key_algorithm
            .is_none_or(|a| format!("{a:?}") == algorithm);
        for_signing && same_algorithm
    };
    match kid {
        Some(kid) => keys
            .iter()
            .filter(fits)
            .find(|key| key.common.key_id.as_deref() == Some(kid)),
        None => {
            let mut candidates = keys.iter().filter(fits);
            let only = candidates.next();
            candidates.next().is_none().then_some(only).flatten()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_this_machine() {
        assert!(acceptable_url("https://id.example.org/realms/scuola"));
        assert!(acceptable_url("http://127.0.0.1:4455"));
        assert!(acceptable_url("http://localhost:4455/x"));
        assert!(!acceptable_url("http://id.example.org"));
        assert!(!acceptable_url("ftp://id.example.org"));
        assert!(!acceptable_url("not a url"));
    }

    #[test]
    fn symmetric_and_unsigned_algorithms_are_refused() {
        use jsonwebtoken::Algorithm;
        for refused in [Algorithm::HS256, Algorithm::HS384, Algorithm::HS512] {
            assert!(!ALLOWED_ALGORITHMS.contains(&format!("{refused:?}").as_str()));
        }
        for allowed in [Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA] {
            assert!(ALLOWED_ALGORITHMS.contains(&format!("{allowed:?}").as_str()));
        }
    }

    #[test]
    fn the_signing_key_is_found_by_id_or_as_the_only_one() {
        let set: jsonwebtoken::jwk::JwkSet = serde_json::from_str(
            r#"{"keys":[
            {"kty":"RSA","kid":"a","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"},
            {"kty":"RSA","kid":"b","use":"enc","n":"AQAB","e":"AQAB"}]}"#,
        )
        .expect("key set");
        let found = signing_key(&set.keys, Some("a"), "RS256").map(|k| k.common.key_id.clone());
        assert_eq!(found, Some(Some("a".into())));
        // An encryption key never checks a signature; an RS256 key never checks ES256.
        assert!(signing_key(&set.keys, Some("b"), "RS256").is_none());
        assert!(signing_key(&set.keys, Some("a"), "ES256").is_none());
        // No key id: the only signing key.
        assert!(signing_key(&set.keys, None, "RS256").is_some());
    }
}
