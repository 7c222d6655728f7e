//! Plain HTTP routes beside the server functions: the attendance report upload (a multipart
//! form) and private calendar feeds.

use app::domain::attendance::report::ReportError;
use app::error::{AppError, Refusal};
use app::features::activities::service::{calendar_for_token, create_import};
use app::ssr::AppState;
use app::ssr::auth::{caller_of, check_origin};
use axum::extract::{Multipart, Path, Query, Request, State};
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
    Query(target): Query<ImportTarget>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    // The same checks as every server function, in the same order.
    let caller = match caller_of(&state, &parts).await {
        Ok(Some(caller)) => caller,
        Ok(None) => {
            return Redirect::to(&format!(
                "/login?next=/activities/{}/attendance",
                target.activity_id
            ))
            .into_response();
        }
        Err(error) => return status_of(&error).into_response(),
    };
    if check_origin(&parts, &state.settings).is_err() {
        return StatusCode::FORBIDDEN.into_response();
    }
    let back = |code: &str| {
        Redirect::to(&format!(
            "/activities/{}/attendance?report={code}",
            target.activity_id
        ))
        .into_response()
    };
    let request = Request::from_parts(parts, body);
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return back("missing");
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("report") => {
                let name = field.file_name().unwrap_or("report").to_owned();
                match field.bytes().await {
                    Ok(bytes) if bytes.len() > MAX_REPORT_BYTES => return back("too_large"),
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
    match create_import(&state, &caller, target.activity_id, &name, &bytes).await {
        Ok(id) => Redirect::to(&format!("/attendance-imports/{id}")).into_response(),
        Err(AppError::Refused(Refusal::Report(problem))) => back(match problem {
            ReportError::Empty => "empty",
            ReportError::NotText => "not_text",
            ReportError::NoParticipantTable => "no_table",
            ReportError::NoAttendees => "no_attendees",
        }),
        Err(error) => status_of(&error).into_response(),
    }
}

fn status_of(error: &AppError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
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

use axum::extract::FromRequest;
