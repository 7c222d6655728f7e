use super::api::{
    CertificatesAdmin, IssueRound, IssuedCertificate, MyCertificate, Pending, Verification,
    Verified,
};
use super::pdf::{self, Printed};
use crate::domain::audit::Action;
use crate::domain::certificates::{
    self, Code, Languages, Payload, RevocationCategory, Validity, signing,
};
use crate::domain::scoping::EditionRole;
use crate::domain::{Field, FieldProblem, Problem, text};
use crate::error::{AppError, Refusal};
use crate::features::audit::service::{Entry, record};
use crate::features::completion::service as completion;
use crate::i18n::{Locale, td_string};
use crate::ssr::AppState;
use crate::ssr::auth::Caller;
use crate::ssr::db::{find_or_404, to_local};
use crate::ssr::entities::{certificate, course, edition, user};
use crate::ssr::outbox::{self, NewMail};
use crate::ssr::rate_limit;
use crate::ssr::scope;
use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder,
};
use std::collections::{HashMap, HashSet};

/// The most a page lists of the people still waiting (the action issues to all of them).
const PENDING_SHOWN: usize = 200;
/// The most one round issues, so the page's progress bar moves and a request stays short.
const MAX_ROUND: u32 = 100;

fn today() -> NaiveDate {
    to_local(Utc::now()).date()
}

fn valid_for(edition_id: i32, user_id: i32) -> String {
    format!("{edition_id}:{user_id}")
}

pub fn verify_url(state: &AppState, id: &str, signature: &str) -> String {
    format!("{}/verify/{id}?s={signature}", state.settings.base_url)
}

fn payload_of(c: &certificate::Model) -> Payload {
    Payload {
        id: c.id.clone(),
        code: c.code.clone(),
        name: c.name.clone(),
        course: c.course_title.clone(),
        edition: c.edition_title.clone(),
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        hours: c.hours,
        issued_on: c.issued_on,
    }
}

/// The certificate's validity; staff's reason only `for_staff`.
fn validity_of(c: &certificate::Model, for_staff: bool) -> Validity {
    let reason = c.revoked_reason.clone().filter(|_| for_staff);
    match (&c.revoked_at, &c.replaced_by_id) {
        (None, _) => Validity::Valid,
        (Some(at), None) => Validity::Revoked {
            on: to_local(*at).date(),
            category: c.revocation_category.unwrap_or(RevocationCategory::Other),
            reason,
        },
        (Some(at), Some(by)) => Validity::Replaced {
            on: to_local(*at).date(),
            reason,
            by: by.clone(),
        },
    }
}

pub fn printed_of(
    state: &AppState,
    c: &certificate::Model,
    logo: Option<std::sync::Arc<super::logo::Logo>>,
) -> Printed {
    Printed {
        logo,
        payload: payload_of(c),
        issuer: c.issuer.clone(),
        signatory_name: c.signatory_name.clone(),
        signatory_role: c.signatory_role.clone(),
        languages: Languages::parse(&c.languages).unwrap_or(Languages::ItEn),
        verify_url: verify_url(state, &c.id, &c.signature),
        signature: c.signature.clone(),
    }
}

/// A new certificate record for `person`, frozen from the edition and course as they are now.
fn new_record(
    state: &AppState,
    edition: &edition::Model,
    course: &course::Model,
    person: &user::Model,
    issued_by: Option<i32>,
) -> certificate::Model {
    use rand::RngCore;
    let mut id = [0u8; 16];
    let mut code = [0u8; 8];
    rand::rng().fill_bytes(&mut id);
    rand::rng().fill_bytes(&mut code);
    let payload = Payload {
        id: certificates::id_from_random(id),
        code: Code::from_random(code).as_str().to_owned(),
        name: certificates::printed_name(&person.given_name, &person.family_name),
        course: course.title.clone(),
        edition: edition.title.clone(),
        starts_on: edition.starts_on,
        ends_on: edition.ends_on,
        hours: course.workload_hours,
        issued_on: today(),
    };
    let signature = signing::sign(&state.settings.signing_key, &payload);
    let key_id = signing::key_id(&state.settings.signing_key.verifying_key());
    certificate::Model {
        id: payload.id,
        code: payload.code,
        edition_id: Some(edition.id),
        user_id: Some(person.id),
        valid_for: Some(valid_for(edition.id, person.id)),
        name: payload.name,
        course_title: payload.course,
        edition_title: payload.edition,
        starts_on: payload.starts_on,
        ends_on: payload.ends_on,
        hours: payload.hours,
        issued_on: payload.issued_on,
        issuer: state.settings.issuer.clone(),
        signatory_name: course.signatory_name.clone(),
        signatory_role: course.signatory_role.clone(),
        languages: Languages::parse(&course.certificate_languages)
            .unwrap_or(Languages::ItEn)
            .as_str()
            .to_owned(),
        signature,
        key_id: Some(key_id),
        issued_by,
        issued_at: Utc::now(),
        revoked_at: None,
        revoked_reason: None,
        revoked_by: None,
        revocation_category: None,
        replaces_id: None,
        replaced_by_id: None,
    }
}

fn active(c: certificate::Model) -> certificate::ActiveModel {
    // Every field is written: the record is new.
    c.into_active_model().reset_all()
}

/// Renders `records` on both cores (PDFs are the costly part of issuing).
async fn render_all(
    state: &AppState,
    records: &[certificate::Model],
    course_id: i32,
) -> Vec<Option<Vec<u8>>> {
    let logo = super::logo::load(&state.settings.upload_dir, course_id).await;
    let printed: Vec<Printed> = records
        .iter()
        .map(|c| printed_of(state, c, logo.clone()))
        .collect();
    tokio::task::spawn_blocking(move || {
        let half = printed.len().div_ceil(2).max(1);
        std::thread::scope(|scope| {
            let chunks: Vec<_> = printed
                .chunks(half)
                .map(|chunk| scope.spawn(move || chunk.iter().map(pdf::render).collect::<Vec<_>>()))
                .collect();
            chunks
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    })
    .await
    .unwrap_or_default()
}

/// Keeps the issued PDFs beside the uploads, so a download sends exactly what was issued.
async fn store(state: &AppState, records: &[certificate::Model], pdfs: &[Option<Vec<u8>>]) {
    let dir = state.settings.certificate_dir();
    if let Err(error) = tokio::fs::create_dir_all(&dir).await {
        tracing::error!(error = %error, "certificates: folder not created");
        return;
    }
    for (record, bytes) in records.iter().zip(pdfs) {
        if let Some(bytes) = bytes
            && let Err(error) =
                tokio::fs::write(dir.join(format!("{}.pdf", record.id)), bytes).await
        {
            tracing::error!(error = %error, "certificates: PDF not stored");
        }
    }
}

/// The mail that tells each participant of their certificate, with its PDF attached when
/// there is one; written to the outbox with the certificates.
fn announcements(
    state: &AppState,
    records: Vec<(certificate::Model, String, String, bool)>,
) -> Vec<NewMail> {
    let base = &state.settings.base_url;
    records
        .into_iter()
        .map(|(c, email, locale, has_pdf)| {
            let language: Locale = locale.parse().unwrap_or_default();
            let link = match c.edition_id {
                Some(edition) => format!("{base}/editions/{edition}"),
                None => format!("{base}/"),
            };
            let verify = format!("{base}/verify/{}", c.id);
            NewMail {
                kind: "certificate_issued",
                to: email,
                subject: td_string!(
                    language,
                    certificates.mail_subject,
                    course = &c.course_title
                )
                .to_string(),
                body: td_string!(
                    language,
                    certificates.mail_body,
                    name = &c.name,
                    course = &c.course_title,
                    edition = &c.edition_title,
                    link = &link,
                    code = &c.code,
                    verify = &verify
                )
                .to_string(),
                certificate: has_pdf.then(|| {
                    let file = td_string!(language, certificates.mail_file, code = &c.code);
                    (c.id.clone(), file.to_string())
                }),
            }
        })
        .collect()
}

/// The valid certificates of one person: those printing the name the account has now.
pub fn valid_of(user_id: i32) -> sea_orm::Select<certificate::Entity> {
    certificate::Entity::find()
        .filter(certificate::Column::UserId.eq(user_id))
        .filter(certificate::Column::ValidFor.is_not_null())
}

/// Who is still waiting for a certificate: enrolled, meeting the rule or marked as meeting it
/// by staff, and without a valid certificate. In user id order, so rounds take turns fairly.
pub async fn waiting(
    db: &impl ConnectionTrait,
    edition: &edition::Model,
) -> Result<Vec<(i32, Option<String>)>, AppError> {
    let meeting = completion::meeting(db, edition).await?;
    let holders: HashSet<i32> = certificate::Entity::find()
        .filter(certificate::Column::EditionId.eq(edition.id))
        .filter(certificate::Column::ValidFor.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .filter_map(|c| c.user_id)
        .collect();
    let mut waiting: Vec<(i32, Option<String>)> = meeting
        .into_iter()
        .filter(|(user, _)| !holders.contains(user))
        .collect();
    waiting.sort_by_key(|(user, _)| *user);
    Ok(waiting)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn admin(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
) -> Result<CertificatesAdmin, AppError> {
    let db = &state.db;
    let edition = scope::edition_as_staff(db, caller, edition_id).await?;
    let course = find_or_404::<course::Entity>(db, edition.course_id).await?;
    let waiting = waiting(db, &edition).await?;
    let shown: Vec<(i32, Option<String>)> = waiting.iter().take(PENDING_SHOWN).cloned().collect();
    let people = crate::ssr::db::names(db, shown.iter().map(|(u, _)| *u)).await?;
    let mut pending: Vec<Pending> = shown
        .into_iter()
        .map(|(user_id, override_reason)| Pending {
            user_id,
            name: people.get(&user_id).cloned().unwrap_or_default(),
            override_reason,
        })
        .collect();
    pending.sort_by(|a, b| a.name.cmp(&b.name));
    let issued_models = certificate::Entity::find()
        .filter(certificate::Column::EditionId.eq(edition.id))
        .order_by_desc(certificate::Column::IssuedAt)
        .all(db)
        .await?;
    let valid_total = issued_models
        .iter()
        .filter(|c| c.valid_for.is_some())
        .count() as u32;
    let issued = issued_models
        .into_iter()
        .map(|c| IssuedCertificate {
            validity: validity_of(&c, true),
            id: c.id,
            code: c.code,
            user_id: c.user_id,
            name: c.name,
            issued_on: c.issued_on,
            replaces: c.replaces_id,
        })
        .collect();
    Ok(CertificatesAdmin {
        edition_id: edition.id,
        edition_title: edition.title,
        course_id: course.id,
        has_rule: completion::rule_of_id(db, edition.id).await?,
        pending_total: waiting.len() as u32,
        pending,
        issued,
        valid_total,
        has_logo: super::logo::path_for(&state.settings.upload_dir, course.id).exists(),
        signatory_name: course.signatory_name,
        signatory_role: course.signatory_role,
        languages: course.certificate_languages,
    })
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn issue_round(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    limit: u32,
) -> Result<IssueRound, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    issue(state, Some(caller.id), &edition, limit.clamp(1, MAX_ROUND)).await
}

/// Issues certificates to up to `limit` people still waiting. The unique `valid_for` index
/// settles races: a row that would be a second valid certificate is simply not inserted.
pub async fn issue(
    state: &AppState,
    issued_by: Option<i32>,
    edition: &edition::Model,
    limit: u32,
) -> Result<IssueRound, AppError> {
    let db = &state.db;
    let course = find_or_404::<course::Entity>(db, edition.course_id).await?;
    let waiting = waiting(db, edition).await?;
    let chosen: Vec<i32> = waiting
        .iter()
        .take(limit as usize)
        .map(|(u, _)| *u)
        .collect();
    if chosen.is_empty() {
        return Ok(IssueRound {
            issued: 0,
            remaining: 0,
        });
    }
    let people: Vec<user::Model> = user::Entity::find()
        .filter(user::Column::Id.is_in(chosen.clone()))
        .all(db)
        .await?;
    let records: Vec<certificate::Model> = people
        .iter()
        .map(|p| new_record(state, edition, &course, p, issued_by))
        .collect();
    let pdfs = render_all(state, &records, course.id).await;
    let ids: Vec<String> = records.iter().map(|c| c.id.clone()).collect();
    let txn = crate::ssr::db::begin(db).await?;
    certificate::Entity::insert_many(records.iter().cloned().map(active))
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(&txn)
        .await?;
    let inserted: HashSet<String> = certificate::Entity::find()
        .filter(certificate::Column::Id.is_in(ids))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let entries: Vec<Entry> = records
        .iter()
        .filter(|c| inserted.contains(&c.id))
        .map(|c| Entry {
            actor: issued_by,
            action: Action::CertificateIssued,
            edition: Some(edition.id),
            subject: c.user_id,
            detail: &c.code,
            reason: None,
        })
        .collect();
    record(&txn, entries).await?;
    let mut kept = Vec::new();
    let mut kept_pdfs = Vec::new();
    for (c, pdf) in records.into_iter().zip(pdfs) {
        if inserted.contains(&c.id) {
            kept.push(c);
            kept_pdfs.push(pdf);
        }
    }
    // The PDFs are on disk before the mail that attaches them can be sent.
    store(state, &kept, &kept_pdfs).await;
    let contacts: HashMap<i32, (String, String)> = people
        .into_iter()
        .map(|p| (p.id, (p.email, p.locale)))
        .collect();
    let mails = announcements(
        state,
        kept.iter()
            .zip(&kept_pdfs)
            .filter_map(|(c, pdf)| {
                let (email, locale) = contacts.get(&c.user_id?)?.clone();
                Some((c.clone(), email, locale, pdf.is_some()))
            })
            .collect(),
    );
    outbox::enqueue(&txn, mails).await?;
    txn.commit().await?;
    outbox::wake();
    let issued = kept.len() as u32;
    tracing::info!(edition.id = edition.id, issued, "certificates issued");
    // An estimate: people someone else issued to meanwhile still count until the next round
    // looks again.
    let remaining = (waiting.len() as u32).saturating_sub(issued);
    Ok(IssueRound { issued, remaining })
}

fn reason_of(input: &str) -> Result<String, AppError> {
    text::single_line(input, 500)
        .map_err(|problem| AppError::invalid(vec![FieldProblem::new(Field::Reason, problem)]))
}

/// Marks a valid certificate as revoked; refused if it no longer is valid (another staff
/// member got there first), in which case nothing changes.
/// How a certificate stops being valid: revoked (in a category), or replaced by a new one.
enum Revocation<'a> {
    Revoked(RevocationCategory),
    ReplacedBy(&'a str),
}

async fn revoke_in(
    db: &impl ConnectionTrait,
    caller: &Caller,
    c: &certificate::Model,
    reason: &str,
    how: Revocation<'_>,
) -> Result<(), AppError> {
    let (category, replaced_by) = match how {
        Revocation::Revoked(category) => (Some(category), None),
        Revocation::ReplacedBy(id) => (None, Some(id)),
    };
    let changed = certificate::Entity::update_many()
        .col_expr(
            certificate::Column::ValidFor,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .col_expr(
            certificate::Column::RevokedAt,
            sea_orm::sea_query::Expr::value(Utc::now()),
        )
        .col_expr(
            certificate::Column::RevokedReason,
            sea_orm::sea_query::Expr::value(reason.to_owned()),
        )
        .col_expr(
            certificate::Column::RevokedBy,
            sea_orm::sea_query::Expr::value(caller.id),
        )
        .col_expr(
            certificate::Column::ReplacedById,
            sea_orm::sea_query::Expr::value(replaced_by.map(str::to_owned)),
        )
        .col_expr(
            certificate::Column::RevocationCategory,
            sea_orm::sea_query::Expr::value(category.map(|c| c.as_str().to_owned())),
        )
        .filter(certificate::Column::Id.eq(c.id.clone()))
        .filter(certificate::Column::ValidFor.is_not_null())
        .exec(db)
        .await?;
    if changed.rows_affected != 1 {
        return Err(AppError::Refused(Refusal::CertificateNotValid));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn revoke(
    state: &AppState,
    caller: &Caller,
    id: String,
    category: String,
    reason: String,
) -> Result<(), AppError> {
    let c = scope::certificate_as_staff(&state.db, caller, &id).await?;
    let category = RevocationCategory::parse(&category).ok_or_else(|| {
        AppError::invalid(vec![FieldProblem::new(Field::Category, Problem::Required)])
    })?;
    let reason = reason_of(&reason)?;
    let txn = crate::ssr::db::begin(&state.db).await?;
    revoke_in(&txn, caller, &c, &reason, Revocation::Revoked(category)).await?;
    record(
        &txn,
        vec![Entry {
            actor: Some(caller.id),
            action: Action::CertificateRevoked,
            edition: c.edition_id,
            subject: c.user_id,
            detail: &c.code,
            reason: Some(&reason),
        }],
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        user.id = caller.id,
        edition.id = c.edition_id,
        "certificate revoked"
    );
    Ok(())
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn reissue(
    state: &AppState,
    caller: &Caller,
    id: String,
    reason: String,
) -> Result<String, AppError> {
    let old = scope::certificate_as_staff(&state.db, caller, &id).await?;
    let reason = reason_of(&reason)?;
    let db = &state.db;
    // A person or an edition deleted since cannot receive a new certificate.
    let edition =
        find_or_404::<edition::Entity>(db, old.edition_id.ok_or(AppError::NotFound)?).await?;
    let course = find_or_404::<course::Entity>(db, edition.course_id).await?;
    let person = find_or_404::<user::Entity>(db, old.user_id.ok_or(AppError::NotFound)?).await?;
    let mut new = new_record(state, &edition, &course, &person, Some(caller.id));
    new.replaces_id = Some(old.id.clone());
    let pdfs = render_all(state, std::slice::from_ref(&new), course.id).await;
    let txn = crate::ssr::db::begin(db).await?;
    // The old one stops being valid before the new one takes its place in the unique index.
    revoke_in(&txn, caller, &old, &reason, Revocation::ReplacedBy(&new.id)).await?;
    certificate::Entity::insert(active(new.clone()))
        .exec_without_returning(&txn)
        .await?;
    let detail = format!("{} → {}", old.code, new.code);
    record(
        &txn,
        vec![Entry {
            actor: Some(caller.id),
            action: Action::CertificateReissued,
            edition: Some(edition.id),
            subject: old.user_id,
            detail: &detail,
            reason: Some(&reason),
        }],
    )
    .await?;
    store(state, std::slice::from_ref(&new), &pdfs).await;
    let has_pdf = pdfs.first().is_some_and(Option::is_some);
    let mails = announcements(
        state,
        vec![(new.clone(), person.email, person.locale, has_pdf)],
    );
    outbox::enqueue(&txn, mails).await?;
    txn.commit().await?;
    outbox::wake();
    Ok(new.id)
}

#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn save_template(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    signatory_name: String,
    signatory_role: String,
    languages: String,
) -> Result<(), AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    let course = find_or_404::<course::Entity>(&state.db, edition.course_id).await?;
    let mut problems = crate::domain::problem::Problems::new();
    // Optional lines: empty is allowed, control characters and overlong text are not.
    let optional = |input: &str| match text::single_line(input, 120) {
        Err(crate::domain::Problem::Required) => Ok(String::new()),
        other => other,
    };
    let name = problems.check(Field::SignatoryName, optional(&signatory_name));
    let role = problems.check(Field::SignatoryRole, optional(&signatory_role));
    let languages = problems.check(
        Field::Languages,
        Languages::parse(languages.trim()).ok_or(crate::domain::Problem::Required),
    );
    let (Some(name), Some(role), Some(languages)) = (name, role, languages) else {
        return Err(AppError::invalid(problems.into_vec()));
    };
    let mut active: course::ActiveModel = course.into();
    active.signatory_name = Set(name);
    active.signatory_role = Set(role);
    active.certificate_languages = Set(languages.as_str().to_owned());
    active.updated_at = Set(Utc::now());
    active.update(&state.db).await?;
    Ok(())
}

/// The caller's valid certificate for an edition they take part in, if any.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn mine(
    state: &AppState,
    caller: &Caller,
    edition: &edition::Model,
    role: &EditionRole,
) -> Result<Option<MyCertificate>, AppError> {
    // Someone who takes no part in the edition (a signed-in visitor of its page) has no
    // certificate there: nothing to show, not an error.
    if !role.takes_part() {
        return Ok(None);
    }
    // Read with the person's enrolments (one statement for the page): a certificate is only
    // ever issued to someone enrolled, and enrolment rows are never deleted.
    let place = scope::place(&state.db, edition.id, caller.id).await?;
    Ok(place.and_then(|place| {
        Some(MyCertificate {
            id: place.certificate_id?,
            code: place.certificate_code?,
            issued_on: place.certificate_issued_on?,
        })
    }))
}

/// The PDF of a certificate for its holder or staff; anyone else is told it does not exist.
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn pdf_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(certificate::Model, Vec<u8>), AppError> {
    let c = scope::certificate_as_holder(&state.db, caller, id).await?;
    // A revoked certificate is no longer handed to its holder as if it were good; staff keep
    // access to what was issued.
    if c.revoked_at.is_some() && !caller.is_staff() {
        return Err(AppError::Refused(Refusal::CertificateNotValid));
    }
    let bytes = pdf_of(state, &c).await?;
    Ok((c, bytes))
}

/// The PDF of a certificate record, whoever asks (callers check access first).
pub async fn pdf_of(state: &AppState, c: &certificate::Model) -> Result<Vec<u8>, AppError> {
    let path = state
        .settings
        .certificate_dir()
        .join(format!("{}.pdf", c.id));
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        // Not kept here (another instance issued it, or the folder was lost): the record is
        // frozen, so rendering it again gives the same certificate.
        Err(_) => {
            let edition = match c.edition_id {
                Some(id) => edition::Entity::find_by_id(id).one(&state.db).await?,
                None => None,
            };
            let logo = match edition {
                Some(edition) => {
                    super::logo::load(&state.settings.upload_dir, edition.course_id).await
                }
                None => None,
            };
            pdf::render(&printed_of(state, c, logo)).ok_or(AppError::Internal)?
        }
    };
    Ok(bytes)
}

/// Looks a certificate up by id or code, for anyone; `client` (the asker's address) is
/// rate-limited.
pub async fn verify(
    state: &AppState,
    client: &str,
    query: String,
    link_signature: Option<String>,
) -> Result<Verification, AppError> {
    rate_limit::check(state, &crate::domain::rate_limit::VERIFY, client).await?;
    let keys = state.settings.verifying_keys();
    let mut checked_with = keys[0];
    let query = query.trim();
    let found = if certificates::is_id(query) {
        certificate::Entity::find_by_id(query.to_owned())
            .one(&state.db)
            .await?
    } else if let Some(code) = Code::parse(query) {
        certificate::Entity::find()
            .filter(certificate::Column::Code.eq(code.as_str()))
            .one(&state.db)
            .await?
    } else {
        None
    };
    let certificate = found.map(|c| {
        let payload = payload_of(&c);
        // The key the certificate names, current or retired; one signed before keys had ids
        // is checked against each published key.
        let named: Vec<_> = keys
            .iter()
            .filter(|k| {
                c.key_id
                    .as_deref()
                    .is_none_or(|id| signing::key_id(k) == id)
            })
            .collect();
        let signed_by = named
            .iter()
            .find(|k| signing::verify(k, &payload, &c.signature));
        if let Some(key) = signed_by {
            checked_with = **key;
        }
        Verified {
            signature_ok: signed_by.is_some(),
            link_signature_ok: link_signature
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(|s| named.iter().any(|k| signing::verify(k, &payload, s))),
            payload: payload.canonical(),
            validity: validity_of(&c, false),
            id: c.id,
            code: c.code,
            name: c.name,
            course: c.course_title,
            edition: c.edition_title,
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            hours: c.hours,
            issued_on: c.issued_on,
            issuer: c.issuer,
            signature: c.signature,
            replaces: c.replaces_id,
        }
    });
    Ok(Verification {
        certificate,
        public_key: signing::public_key_text(&checked_with),
        key_id: signing::key_id(&checked_with),
    })
}

/// Saves (or with `None`, removes) the logo printed on the certificates of `edition_id`'s
/// course. Staff only; the picture is checked before anything is kept (the inner error says
/// what was wrong with it).
#[tracing::instrument(skip_all, fields(caller = caller.id))]
pub async fn save_logo(
    state: &AppState,
    caller: &Caller,
    edition_id: i32,
    upload: Option<&[u8]>,
) -> Result<Result<(), super::logo::LogoProblem>, AppError> {
    let edition = scope::edition_as_staff(&state.db, caller, edition_id).await?;
    match upload {
        Some(bytes) => {
            let logo = match super::logo::decode(bytes) {
                Ok(logo) => logo,
                Err(problem) => return Ok(Err(problem)),
            };
            super::logo::store(&state.settings.upload_dir, edition.course_id, &logo)
                .await
                .map_err(|error| {
                    tracing::error!(%error, "certificates: logo not stored");
                    AppError::Internal
                })?;
        }
        None => super::logo::remove(&state.settings.upload_dir, edition.course_id).await,
    }
    tracing::info!(
        user.id = caller.id,
        course.id = edition.course_id,
        "certificate logo changed"
    );
    Ok(Ok(()))
}
