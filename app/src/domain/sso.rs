//! Single sign-on with OpenID Connect: the rules that decide whether an ID token may sign
//! someone in, and why a sign-in failed. The network half (discovery, keys, the code exchange)
//! is in `ssr::oidc`; the signature is checked there, everything else here.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// How long a sign-in started at a provider may take before it comes back.
pub const LOGIN_LIFETIME: TimeDelta = TimeDelta::minutes(10);

/// How long a person has to prove the local password when a provider's address matches an
/// existing account.
pub const LINK_LIFETIME: TimeDelta = TimeDelta::minutes(10);

/// Clocks of Aula and the provider may disagree by this much.
pub const CLOCK_SKEW: TimeDelta = TimeDelta::seconds(60);

/// Signature algorithms accepted on ID tokens: asymmetric ones only, so the keys that check a
/// token cannot make one (never `none`, never HMAC with a public key as its secret).
pub const ALLOWED_ALGORITHMS: [&str; 9] = [
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA",
];

/// A provider's name in addresses and settings: `[a-z0-9-]`, 1 to 32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProviderId(String);

impl ProviderId {
    pub fn parse(text: &str) -> Option<Self> {
        let ok = !text.is_empty()
            && text.len() <= 32
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| ProviderId(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `aud` is one client id or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    fn contains(&self, client_id: &str) -> bool {
        match self {
            Audience::One(aud) => aud == client_id,
            Audience::Many(list) => list.iter().any(|aud| aud == client_id),
        }
    }

    fn len(&self) -> usize {
        match self {
            Audience::One(_) => 1,
            Audience::Many(list) => list.len(),
        }
    }
}

/// The claims of an ID token Aula reads (after its signature was checked).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: Audience,
    pub exp: i64,
    pub iat: i64,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub azp: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient_bool")]
    pub email_verified: Option<bool>,
    #[serde(default)]
    pub given_name: Option<String>,
    #[serde(default)]
    pub family_name: Option<String>,
}

/// Some providers send `"email_verified": "true"`: read both forms, anything else as absent.
fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Sent {
        Bool(bool),
        Text(String),
        Other(serde::de::IgnoredAny),
    }
    Ok(match Sent::deserialize(d)? {
        Sent::Bool(b) => Some(b),
        Sent::Text(s) if s == "true" => Some(true),
        Sent::Text(s) if s == "false" => Some(false),
        Sent::Text(_) | Sent::Other(_) => None,
    })
}

/// What the token must say: issued by this provider, to this client, for this sign-in.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
}

/// Why a sign-in through a provider did not happen. Each has its own message; none reveals
/// anything about accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SsoProblem {
    /// The answer matched no sign-in started in this browser (tampered, replayed, another
    /// browser, or too late).
    State,
    /// The person cancelled at the provider, or the provider refused.
    Cancelled,
    /// The provider did not take the code back (used already, expired, or not ours).
    Code,
    /// The token's signature does not check out with the provider's keys.
    Signature,
    /// The token was issued by someone else.
    Issuer,
    /// The token was issued to another application.
    Audience,
    /// The token is out of date.
    Expired,
    /// The token belongs to another sign-in.
    Nonce,
    /// The provider cannot be reached or answered nonsense.
    Unavailable,
    /// The provider gave no address; Aula needs one.
    NoEmail,
    /// This provider account already signs in to another Aula account.
    TakenByOther,
    /// The Aula account is closed.
    AccountClosed,
}

impl SsoProblem {
    pub const ALL: [SsoProblem; 12] = [
        SsoProblem::State,
        SsoProblem::Cancelled,
        SsoProblem::Code,
        SsoProblem::Signature,
        SsoProblem::Issuer,
        SsoProblem::Audience,
        SsoProblem::Expired,
        SsoProblem::Nonce,
        SsoProblem::Unavailable,
        SsoProblem::NoEmail,
        SsoProblem::TakenByOther,
        SsoProblem::AccountClosed,
    ];

    /// Its name in the address of the page that explains it (`/login?sso_problem=…`).
    pub fn as_str(self) -> &'static str {
        match self {
            SsoProblem::State => "state",
            SsoProblem::Cancelled => "cancelled",
            SsoProblem::Code => "code",
            SsoProblem::Signature => "signature",
            SsoProblem::Issuer => "issuer",
            SsoProblem::Audience => "audience",
            SsoProblem::Expired => "expired",
            SsoProblem::Nonce => "nonce",
            SsoProblem::Unavailable => "unavailable",
            SsoProblem::NoEmail => "no_email",
            SsoProblem::TakenByOther => "taken",
            SsoProblem::AccountClosed => "closed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

/// Checks everything but the signature (checked before, with the provider's key): issuer,
/// audience (and `azp` when there are several), expiry and issue time with some clock skew,
/// and the nonce of this sign-in.
pub fn check_claims(
    claims: &IdTokenClaims,
    expected: &Expected,
    now: DateTime<Utc>,
) -> Result<(), SsoProblem> {
    if claims.iss != expected.issuer {
        return Err(SsoProblem::Issuer);
    }
    if !claims.aud.contains(expected.client_id) {
        return Err(SsoProblem::Audience);
    }
    if claims.aud.len() > 1 && claims.azp.as_deref() != Some(expected.client_id) {
        return Err(SsoProblem::Audience);
    }
    let now = now.timestamp();
    let skew = CLOCK_SKEW.num_seconds();
    if claims.exp <= now - skew || claims.iat > now + skew {
        return Err(SsoProblem::Expired);
    }
    let same_nonce = claims
        .nonce
        .as_deref()
        .is_some_and(|nonce| constant_time_eq(nonce.as_bytes(), expected.nonce.as_bytes()));
    if !same_nonce {
        return Err(SsoProblem::Nonce);
    }
    if claims.sub.is_empty() || claims.sub.len() > 255 {
        return Err(SsoProblem::Signature);
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The address a provider vouches for: only when it says it verified it.
pub fn verified_email(claims: &IdTokenClaims) -> Option<&str> {
    claims
        .email
        .as_deref()
        .filter(|_| claims.email_verified == Some(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("time")
    }

    fn claims() -> IdTokenClaims {
        IdTokenClaims {
            iss: "https://id.example".into(),
            sub: "248289761001".into(),
            aud: Audience::One("aula".into()),
            exp: now().timestamp() + 300,
            iat: now().timestamp() - 5,
            nonce: Some("n-0S6_WzA2Mj".into()),
            azp: None,
            email: Some("anna@example.org".into()),
            email_verified: Some(true),
            given_name: Some("Anna".into()),
            family_name: Some("Bianchi".into()),
        }
    }

    fn expected() -> Expected<'static> {
        Expected {
            issuer: "https://id.example",
            client_id: "aula",
            nonce: "n-0S6_WzA2Mj",
        }
    }

    #[test]
    fn a_token_for_this_sign_in_passes() {
        assert_eq!(check_claims(&claims(), &expected(), now()), Ok(()));
    }

    #[test]
    fn another_issuer_or_audience_is_refused() {
        let mut other = claims();
        other.iss = "https://id.example/".into();
        assert_eq!(
            check_claims(&other, &expected(), now()),
            Err(SsoProblem::Issuer)
        );
        let mut other = claims();
        other.aud = Audience::One("another-app".into());
        assert_eq!(
            check_claims(&other, &expected(), now()),
            Err(SsoProblem::Audience)
        );
        // Several audiences: ours must be the party it was issued to.
        let mut other = claims();
        other.aud = Audience::Many(vec!["aula".into(), "another-app".into()]);
        assert_eq!(
            check_claims(&other, &expected(), now()),
            Err(SsoProblem::Audience)
        );
        other.azp = Some("aula".into());
        assert_eq!(check_claims(&other, &expected(), now()), Ok(()));
    }

    #[test]
    fn expiry_and_issue_time_allow_a_minute_of_clock_skew() {
        let mut old = claims();
        old.exp = now().timestamp() - 59;
        assert_eq!(check_claims(&old, &expected(), now()), Ok(()));
        old.exp = now().timestamp() - 60;
        assert_eq!(
            check_claims(&old, &expected(), now()),
            Err(SsoProblem::Expired)
        );
        let mut future = claims();
        future.iat = now().timestamp() + 61;
        assert_eq!(
            check_claims(&future, &expected(), now()),
            Err(SsoProblem::Expired)
        );
    }

    #[test]
    fn the_nonce_must_be_this_sign_ins() {
        let mut other = claims();
        other.nonce = Some("n-another".into());
        assert_eq!(
            check_claims(&other, &expected(), now()),
            Err(SsoProblem::Nonce)
        );
        other.nonce = None;
        assert_eq!(
            check_claims(&other, &expected(), now()),
            Err(SsoProblem::Nonce)
        );
    }

    #[test]
    fn claims_read_from_json_as_providers_send_them() {
        let json = r#"{"iss":"https://id.example","sub":"1","aud":["aula"],"exp":1,"iat":1,
            "email":"a@b.it","email_verified":"true","extra":{"x":1}}"#;
        let read: IdTokenClaims = serde_json::from_str(json).expect("claims");
        assert_eq!(read.aud, Audience::Many(vec!["aula".into()]));
        assert_eq!(verified_email(&read), Some("a@b.it"));
        let json = r#"{"iss":"i","sub":"1","aud":"aula","exp":1,"iat":1,"email":"a@b.it"}"#;
        let unverified: IdTokenClaims = serde_json::from_str(json).expect("claims");
        assert_eq!(verified_email(&unverified), None);
    }

    #[test]
    fn provider_ids_and_problems_round_trip() {
        assert!(ProviderId::parse("scuola-1").is_some());
        for bad in ["", "Scuola", "a/b", "a b", &"x".repeat(33)] {
            assert!(ProviderId::parse(bad).is_none(), "{bad:?}");
        }
        for problem in SsoProblem::ALL {
            assert_eq!(SsoProblem::parse(problem.as_str()), Some(problem));
        }
        assert_eq!(SsoProblem::parse("other"), None);
    }
}
