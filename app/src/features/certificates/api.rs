use crate::domain::certificates::Validity;
use crate::error::AppError;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// Someone who meets the rule (or whom staff marked as meeting it) and has no valid
/// certificate yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub user_id: i32,
    pub name: String,
    /// Staff marked the rule as met for them, with this reason.
    pub override_reason: Option<String>,
}

/// A certificate as staff see it in the edition's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCertificate {
    pub id: String,
    pub code: String,
    /// None once the person's account was deleted (the register outlives it).
    pub user_id: Option<i32>,
    pub name: String,
    pub issued_on: NaiveDate,
    pub validity: Validity,
    pub replaces: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificatesAdmin {
    pub edition_id: i32,
    pub edition_title: String,
    pub course_id: i32,
    pub has_rule: bool,
    /// Everyone still waiting for a certificate (the page lists the first ones).
    pub pending: Vec<Pending>,
    pub pending_total: u32,
    pub issued: Vec<IssuedCertificate>,
    pub valid_total: u32,
    pub signatory_name: String,
    pub signatory_role: String,
    pub languages: String,
    pub has_logo: bool,
}

/// What one round of issuing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueRound {
    pub issued: u32,
    /// Still waiting after this round (others may have issued some meanwhile).
    pub remaining: u32,
}

/// The participant's own certificate for an edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyCertificate {
    pub id: String,
    pub code: String,
    pub issued_on: NaiveDate,
}

/// What the public verification page says about a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    pub id: String,
    pub code: String,
    pub name: String,
    pub course: String,
    pub edition: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub hours: i32,
    pub issued_on: NaiveDate,
    pub issuer: String,
    pub validity: Validity,
    /// The stored record still matches its signature under the platform's key.
    pub signature_ok: bool,
    /// Whether the signature carried by the link (the QR code) matches; None without one.
    pub link_signature_ok: Option<bool>,
    pub signature: String,
    /// The payload that was signed, for checking offline.
    pub payload: String,
    /// The certificate this one replaced.
    pub replaces: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// None: no certificate with that id or code.
    pub certificate: Option<Verified>,
    /// The Ed25519 public key (base64url) that checks this certificate: the current one, or a
    /// retired one for a certificate signed before a rotation.
    pub public_key: String,
    /// That key's id, as `/.well-known/aula-certificate-key` lists it.
    pub key_id: String,
}

#[server(prefix = "/api", endpoint = "load_certificates")]
pub async fn load_certificates(edition_id: i32) -> Result<CertificatesAdmin, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::admin(&state, &caller, edition_id).await)
}

/// Issues certificates to up to `limit` of the people waiting; the page calls it again until
/// nobody is left, which drives its progress bar. Safe to call twice at once: nobody ever
/// gets two valid certificates for one edition.
#[server(prefix = "/api", endpoint = "issue_certificates")]
pub async fn issue_certificates(edition_id: i32, limit: u32) -> Result<IssueRound, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::issue_round(&state, &caller, edition_id, limit).await)
}

#[server(prefix = "/api", endpoint = "revoke_certificate")]
pub async fn revoke_certificate(
    id: String,
    category: String,
    reason: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::revoke(&state, &caller, id, category, reason).await)
}

/// Revokes a certificate and issues a new one from the participant's current profile (after
/// a name correction, say); returns the new certificate's id.
#[server(prefix = "/api", endpoint = "reissue_certificate")]
pub async fn reissue_certificate(id: String, reason: String) -> Result<String, AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::reissue(&state, &caller, id, reason).await)
}

#[server(prefix = "/api", endpoint = "save_certificate_template")]
pub async fn save_certificate_template(
    edition_id: i32,
    signatory_name: String,
    signatory_role: String,
    languages: String,
) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(
        service::save_template(
            &state,
            &caller,
            edition_id,
            signatory_name,
            signatory_role,
            languages,
        )
        .await,
    )
}

/// Public: by id (the QR code's link, with its signature `s`) or by the code typed in.
#[server(prefix = "/api", endpoint = "verify_certificate")]
pub async fn verify_certificate(
    query: String,
    s: Option<String>,
) -> Result<Verification, AppError> {
    let (state, _) = entry::read_public().await?;
    let client = respond(crate::ssr::auth::request_parts())
        .map(|parts| crate::ssr::client_address(&parts, state.settings.trust_proxy))?;
    respond(service::verify(&state, &client, query, s).await)
}
