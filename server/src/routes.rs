//! Plain HTTP routes beside the server functions: forms with files (work, attendance reports,
//! the certificate logo), the quiz form that works without JavaScript, downloads and feeds.
//! Each takes its caller and, for changes, the origin check from the extractors
//! ([`crate::extract`]), before it reads a body.

use crate::extract::{MaybeSignedIn, SameOrigin, SignedIn, status_of};
use app::domain::outcome::{Form, Outcome};
use app::error::{AppError, Refusal};
use app::features::attendance::service::create_import;
use app::features::calendar::service::calendar_for_token;
use app::ssr::AppState;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Reports larger than this are refused: real ones are a few hundred kilobytes at most.
pub const MAX_REPORT_BYTES: usize = 5 * 1024 * 1024;

#[derive(Deserialize)]
pub struct ImportTarget {
    activity_id: i32,
}

pub async fn upload_attendance_report(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    _: SameOrigin,
    Query(target): Query<ImportTarget>,
    request: Request,
) -> Response {
    let back = |outcome: Outcome| {
        Redirect::to(&format!(
            "/activities/{}/attendance?{}",
            target.activity_id,
            outcome.query(Form::Report)
        ))
        .into_response()
    };
    // Scope and role before the body: a report is read only for those who may import one.
    if let Err(error) =
        app::ssr::scope::activity_as_staff(&state.db, &caller, target.activity_id).await
    {
        return status_of(&error).into_response();
    }
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return back(Outcome::Missing);
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("report") => {
                let name = field.file_name().unwrap_or("report").to_owned();
                match field.bytes().await {
                    Ok(bytes) if bytes.len() > MAX_REPORT_BYTES => return back(Outcome::TooLarge),
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => return back(Outcome::TooLarge),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return back(Outcome::TooLarge),
        }
    }
    let Some((name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return back(Outcome::Missing);
    };
    match create_import(&state, &caller, target.activity_id, &name, &bytes).await {
        Ok(id) => Redirect::to(&format!("/attendance-imports/{id}")).into_response(),
        Err(AppError::Refused(Refusal::Report(problem))) => back(problem.into()),
        Err(error) => status_of(&error).into_response(),
    }
}

/// Registry exports are large (100,000 people is a few megabytes); more than this is not one.
pub const MAX_REGISTRY_BYTES: usize = 50 * 1024 * 1024;

/// `POST /staff/registry`: staff upload the ministry's registry export; the page of the upload
/// shows it being read, then its preview.
pub async fn upload_registry(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    _: SameOrigin,
    request: Request,
) -> Response {
    let back =
        |error: &str| Redirect::to(&format!("/staff/registry?error={error}")).into_response();
    // The role before the body: only staff's files are read.
    if let Err(error) = caller.require_staff() {
        return status_of(&error).into_response();
    }
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return back("missing");
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("registry") => {
                let name = field.file_name().unwrap_or("anagrafe.csv").to_owned();
                match field.bytes().await {
                    Ok(bytes) if bytes.len() > MAX_REGISTRY_BYTES => return back("too_large"),
                    Ok(bytes) => file = Some((name, bytes.to_vec())),
                    Err(_) => return back("too_large"),
                }
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return back("too_large"),
        }
    }
    let Some((name, bytes)) = file.filter(|(_, bytes)| !bytes.is_empty()) else {
        return back("missing");
    };
    use app::domain::registry::FileProblem;
    match app::features::registry::service::upload(&state, &caller, &name, &bytes).await {
        Ok(id) => Redirect::to(&format!("/staff/registry/{id}")).into_response(),
        Err(AppError::Refused(Refusal::RegistryFile(FileProblem::Empty))) => back("empty"),
        Err(AppError::Refused(Refusal::RegistryFile(FileProblem::MissingColumns))) => {
            back("columns")
        }
        Err(error) => status_of(&error).into_response(),
    }
}

/// `GET /calendar/{token}.ics`: the participant's webinars and due dates.
pub async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(token) = file.strip_suffix(".ics") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match calendar_for_token(&state, token).await {
        Ok(Some(calendar)) => (
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
            ],
            calendar,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `POST /activities/{id}/submission`: the participant's submission form (text, design fields, a file),
/// saved as a draft or handed in; answered with a redirect back to the activity page.
pub async fn save_submission(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    _: SameOrigin,
    Path(activity_id): Path<i32>,
    request: Request,
) -> Response {
    use app::domain::submissions::Design;
    use app::features::submissions::service::{self, SubmissionForm, SubmissionSaved};

    let back = |outcome: Outcome| {
        Redirect::to(&format!(
            "/activities/{activity_id}?{}#submission",
            outcome.query(Form::Submission)
        ))
        .into_response()
    };
    // Scope and role before the body: a file is read only from those who may hand one in.
    if let Err(error) = service::activity_to_submit(&state, &caller, activity_id).await {
        return status_of(&error).into_response();
    }
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return back(Outcome::Unreadable);
    };
    let mut form = SubmissionForm::default();
    let mut design = Design::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    let max = state.settings.upload_max_bytes;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // The body limit cuts a file that is far too large.
            Err(_) => return back(Outcome::TooLarge),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            let sent_name = field.file_name().unwrap_or("file").to_owned();
            match field.bytes().await {
                Ok(bytes) if bytes.is_empty() => {}
                Ok(bytes) if bytes.len() > max => return back(Outcome::TooLarge),
                Ok(bytes) => file = Some((sent_name, bytes.to_vec())),
                Err(_) => return back(Outcome::TooLarge),
            }
            continue;
        }
        let Ok(value) = field.text().await else {
            return back(Outcome::Unreadable);
        };
        match name.as_str() {
            "version" => form.version = value.trim().parse().unwrap_or(0),
            "action" => form.hand_in = value == "hand_in",
            "remove_file" => form.remove_file = true,
            "body" => form.body = value,
            "project_title" => design.project_title = value,
            "age_range" => design.age_range = value,
            "subjects" => design.subjects = value,
            "objectives" => design.objectives = value,
            "activities" => design.activities = value,
            "digital_tools" => design.digital_tools = value,
            "evaluation" => design.evaluation = value,
            _ => {}
        }
    }
    form.design = design;
    match service::save_submission(&state, &caller, activity_id, form, file).await {
        Ok(SubmissionSaved::Draft) => back(Outcome::Saved),
        Ok(SubmissionSaved::HandedIn) => back(Outcome::HandedIn),
        Ok(SubmissionSaved::Incomplete) => back(Outcome::Incomplete),
        Err(AppError::Refused(Refusal::Upload(problem))) => back(problem.into()),
        Err(AppError::Refused(Refusal::Submission(refusal))) => back(refusal.into()),
        Err(AppError::Invalid(_)) => back(Outcome::Invalid),
        // A plain form would show an empty error page: back to the form, which says to retry.
        Err(AppError::Internal) => back(Outcome::Failed),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `GET /submissions/{id}/file`: a handed-in file, to the participant, their group's
/// ambassadors and staff; always as a download, never rendered by the browser.
pub async fn submission_file(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(submission_id): Path<i32>,
) -> Response {
    use app::domain::submissions::content_disposition;
    use app::features::submissions::service::file_for;

    match file_for(&state, &caller, submission_id).await {
        Ok((name, file_type, bytes)) => (
            [
                (header::CONTENT_TYPE, file_type.mime().to_owned()),
                (header::CONTENT_DISPOSITION, content_disposition(&name)),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `POST /quiz-attempts/{id}`: the answers of an attempt (a plain form, so that it works
/// without JavaScript too), graded and recorded once; back to the quiz with the outcome.
pub async fn submit_quiz_attempt(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    _: SameOrigin,
    Path(attempt_id): Path<i32>,
    request: Request,
) -> Response {
    use app::error::QuizRefusal;
    use app::features::quizzes::service::submit_attempt;

    // Scope before the body: answers are read only from the attempt's owner.
    if let Err(error) = app::ssr::scope::attempt_as_owner(&state.db, &caller, attempt_id).await {
        return status_of(&error).into_response();
    }
    let Ok(axum::Form(fields)) =
        axum::Form::<Vec<(String, String)>>::from_request(request, &state).await
    else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let version = fields
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse::<i32>().ok())
        .unwrap_or(0);
    let activity = fields
        .iter()
        .find(|(k, _)| k == "activity_id")
        .and_then(|(_, v)| v.parse::<i32>().ok())
        .unwrap_or(0);
    let back = |activity: i32, outcome: Outcome| {
        Redirect::to(&format!(
            "/activities/{activity}?{}#quiz",
            outcome.query(Form::Quiz)
        ))
        .into_response()
    };
    match submit_attempt(&state, &caller, attempt_id, version, &fields).await {
        Ok((activity, _)) => back(activity, Outcome::Submitted),
        Err(AppError::Refused(Refusal::Quiz(QuizRefusal::TooLate))) => {
            back(activity, Outcome::TooLate)
        }
        Err(AppError::Refused(Refusal::Quiz(QuizRefusal::AlreadySubmitted))) => {
            back(activity, Outcome::AlreadySubmitted)
        }
        Err(AppError::Internal) if activity > 0 => back(activity, Outcome::Failed),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `GET /certificates/{id}.pdf`: the certificate, for its holder and staff.
pub async fn certificate_pdf(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(file): Path<String>,
) -> Response {
    use app::features::certificates::service::pdf_for;
    let Some(id) = file.strip_suffix(".pdf") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match pdf_for(&state, &caller, id).await {
        Ok((certificate, bytes)) => download(
            "application/pdf",
            &format!("attestato-{}.pdf", certificate.code),
            bytes,
        ),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `GET /account/export.zip`: everything Aula holds about the signed-in person, for them.
pub async fn personal_data(State(state): State<AppState>, SignedIn(caller): SignedIn) -> Response {
    match app::features::export::service::archive(&state, &caller).await {
        Ok((name, bytes)) => download("application/zip", &name, bytes),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `GET /staff/registrations.csv?status=…`: the registrations queue as filtered, every page.
pub async fn registrations_csv(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Query(params): Query<std::collections::HashMap<String, String>>,
) -> Response {
    use app::features::registrations::{api::QueueQuery, service};
    let query = QueueQuery::read(|name| params.get(name).cloned());
    let filter = service::QueueFilter {
        status: query.status,
        waiting_long: query.waiting_long,
        matched: query.matched,
        search: query.search,
        page: 1,
    };
    match service::queue_csv(&state, &caller, filter).await {
        Ok((name, csv)) => download("text/csv; charset=utf-8", &name, csv),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `GET /staff/editions/{id}/progress.csv`: everyone's progress, for staff.
pub async fn progress_csv(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    Path(edition_id): Path<i32>,
) -> Response {
    match app::features::completion::service::progress_csv(&state, &caller, edition_id).await {
        Ok((name, csv)) => download("text/csv; charset=utf-8", &name, csv),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `GET /.well-known/aula-certificate-key`: the Ed25519 public keys that check certificates,
/// one per line as `ed25519 <key> <key id> current|retired`; the current one comes first.
pub async fn certificate_key(State(state): State<AppState>) -> Response {
    use app::domain::certificates::signing::{key_id, public_key_text};
    let lines: String = state
        .settings
        .verifying_keys()
        .iter()
        .enumerate()
        .map(|(i, key)| {
            let status = if i == 0 { "current" } else { "retired" };
            format!(
                "ed25519 {} {} {status}\n",
                public_key_text(key),
                key_id(key)
            )
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        lines,
    )
        .into_response()
}

/// `POST /staff/editions/{id}/certificate-logo`: the course's certificate logo (a PNG in the
/// `logo` field), or its removal (`remove=1`); answered with a redirect back to the page.
pub async fn certificate_logo(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    _: SameOrigin,
    Path(edition_id): Path<i32>,
    request: Request,
) -> Response {
    use app::features::certificates::logo::MAX_BYTES;
    use app::features::certificates::service::save_logo;
    let back = |outcome: Outcome| {
        Redirect::to(&format!(
            "/staff/editions/{edition_id}/certificates?{}#template-heading",
            outcome.query(Form::Logo)
        ))
        .into_response()
    };
    // Scope and role before the body: a logo is read only from staff.
    if let Err(error) = app::ssr::scope::edition_as_staff(&state.db, &caller, edition_id).await {
        return status_of(&error).into_response();
    }
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return back(Outcome::Missing);
    };
    let mut file: Option<Vec<u8>> = None;
    let mut remove = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("logo") => match field.bytes().await {
                Ok(bytes) if bytes.len() > MAX_BYTES => return back(Outcome::TooLarge),
                Ok(bytes) => file = Some(bytes.to_vec()).filter(|b| !b.is_empty()),
                Err(_) => return back(Outcome::TooLarge),
            },
            Ok(Some(field)) if field.name() == Some("remove") => remove = true,
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return back(Outcome::TooLarge),
        }
    }
    let upload = match (&file, remove) {
        (_, true) => None,
        (Some(bytes), false) => Some(bytes.as_slice()),
        (None, false) => return back(Outcome::Missing),
    };
    match save_logo(&state, &caller, edition_id, upload).await {
        Ok(Ok(())) => back(if remove {
            Outcome::Removed
        } else {
            Outcome::Saved
        }),
        Ok(Err(problem)) => back(problem.into()),
        Err(error) => status_of(&error).into_response(),
    }
}

#[derive(Deserialize)]
pub struct SsoStart {
    next: Option<String>,
    /// `1`: a signed-in person connects the provider to their account.
    connect: Option<String>,
}

/// `GET /sso/{provider}/start`: "Accedi con …". Stores the pending sign-in and sends the
/// browser to the provider (a link, so it works without JavaScript; what it stores is bounded
/// by a limit per client address and useless to anyone but this browser).
pub async fn sso_start(
    State(state): State<AppState>,
    MaybeSignedIn(caller): MaybeSignedIn,
    Path(provider): Path<String>,
    Query(start): Query<SsoStart>,
    parts: axum::http::request::Parts,
) -> Response {
    use app::features::sso::service;
    let address = app::ssr::client_address(&parts, state.settings.trust_proxy);
    let connect = start.connect.as_deref() == Some("1");
    match service::start(
        &state,
        caller.as_ref(),
        &provider,
        start.next.as_deref(),
        connect,
        &address,
    )
    .await
    {
        Ok(leave) => leave_to(leave),
        Err(error) => status_of(&error).into_response(),
    }
}

/// `GET /sso/{provider}/callback`: where the provider sends the browser back.
pub async fn sso_callback(
    State(state): State<AppState>,
    MaybeSignedIn(caller): MaybeSignedIn,
    Path(provider): Path<String>,
    Query(answer): Query<app::features::sso::service::Callback>,
    parts: axum::http::request::Parts,
) -> Response {
    use app::features::sso::service;
    let header = |name: header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let language = app::ui::language::choose(
        header(header::COOKIE).as_deref(),
        header(header::ACCEPT_LANGUAGE).as_deref(),
    );
    let held = service::cookie_value(&parts.headers, service::LOGIN_COOKIE);
    match service::callback(&state, caller.as_ref(), &provider, answer, held, language).await {
        Ok(leave) => leave_to(leave),
        Err(error) => status_of(&error).into_response(),
    }
}

/// A redirect (303) with the cookies that go along; never cached.
fn leave_to(leave: app::features::sso::service::Leave) -> Response {
    let mut response = Redirect::to(&leave.location).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    for cookie in leave.cookies {
        if let Ok(value) = axum::http::HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, value);
        }
    }
    response
}

/// A file to save (never shown in the page, never kept by a cache: it holds personal data).
fn download(content_type: &str, file_name: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}
