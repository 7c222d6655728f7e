//! Bodies are read only after the caller has been found allowed: a signed-in stranger cannot
//! make the server take in megabytes (or wait on a body that never ends).

use crate::both_databases;
use crate::helpers::{Backend, TestApp, file_part_start, multipart_post};
use axum::body::{Body, Bytes};
use std::time::Duration;

both_databases!(bodies_are_read_only_from_those_allowed_to_send_them);

/// A multipart upload whose body starts and then never ends: a route that reads it before
/// checking who sends it never answers.
async fn endless_upload(app: &TestApp, path: &str, session: &str) -> axum::http::StatusCode {
    let start = Bytes::from(format!(
        "{}%PDF-1.7 ",
        file_part_start("file", "big.pdf", "application/pdf")
    ));
    let body = futures::stream::once(async move { Ok::<_, std::io::Error>(start) })
        .chain(futures::stream::pending());
    let request = multipart_post(path, session, Body::from_stream(body));
    tokio::time::timeout(Duration::from_secs(5), app.send(request))
        .await
        .unwrap_or_else(|_| panic!("{path} read the body before checking who sent it"))
        .status
}

use futures::StreamExt;

async fn bodies_are_read_only_from_those_allowed_to_send_them(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let (_, stranger) = app.user("estraneo@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[anna], &[]).await;
    let task = app
        .activity(edition, "task_sheet", "Scheda 1", chrono::TimeDelta::zero())
        .await;
    let webinar = app
        .activity(
            edition,
            "webinar",
            "Webinar 1",
            -chrono::TimeDelta::hours(4),
        )
        .await;
    let refusals = [
        // Someone not enrolled hands in to another edition's task sheet.
        (format!("/activities/{task}/submission"), &stranger),
        // A participant uploads an attendance report, or the certificate logo.
        (
            format!("/attendance-imports?activity_id={webinar}"),
            &anna_session,
        ),
        (
            format!("/staff/editions/{edition}/certificate-logo"),
            &anna_session,
        ),
        // Answers to an attempt that does not exist (or is someone else's).
        ("/quiz-attempts/999".to_owned(), &anna_session),
    ];
    for (path, session) in refusals {
        let status = endless_upload(&app, &path, session).await;
        assert!(status.is_client_error(), "{path}: {status}");
    }
}
