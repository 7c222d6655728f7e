use crate::both_databases;
use crate::helpers::{Backend, TEST_UPLOAD_MAX_BYTES, TestApp, location};
use app::domain::Field;
use app::domain::activities::ActivityState;
use app::domain::submissions::SubmissionStatus;
use app::error::AppError;
use app::features::cockpit::api::LoadCockpit;
use app::features::editions::api::EditionPage;
use app::features::home::api::LoadHome;
use app::features::submissions::api::{LoadMySubmission, LoadSubmission, ReviewSubmission};
use app::ssr::entities::submission;
use axum::http::{StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

both_databases!(
    task_sheets_are_handed_in_reviewed_and_resubmitted,
    bad_files_and_bad_requests_change_nothing,
    design_exercises_are_handed_in_only_when_complete,
    the_cockpit_shows_each_ambassador_their_own_groups,
    many_hand_in_at_the_same_moment,
);

/// The activities the home page says came back for revision, across the caller's editions.
async fn sent_back_on_home(app: &TestApp, session: &str) -> Vec<i32> {
    let home = app
        .invoke(LoadHome {}, Some(session))
        .await
        .expect("the home page");
    home.mine
        .expect("signed in")
        .editions
        .iter()
        .flat_map(|edition| edition.sent_back.iter().map(|(id, _)| *id))
        .collect()
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// People and places: participant A (group A, ambassador A), participant B (group B,
/// ambassador B), staff, and a task sheet of their edition.
struct Class {
    app: TestApp,
    edition: i32,
    sheet: i32,
    participant: (i32, String),
    participant_b: (i32, String),
    ambassador: (i32, String),
    ambassador_b: (i32, String),
    staff: (i32, String),
}

async fn class(backend: Backend, kind: &str) -> Class {
    let app = TestApp::spawn(backend).await;
    let participant = app.user("anna@scuola.it", false, false).await;
    let participant_b = app.user("bruno@scuola.it", false, false).await;
    let ambassador = app.user("amb.a@scuola.it", true, false).await;
    let ambassador_b = app.user("amb.b@scuola.it", true, false).await;
    let staff = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[participant.0], &[ambassador.0])
        .await;
    app.group(edition, "B", &[participant_b.0], &[ambassador_b.0])
        .await;
    let sheet = app
        .activity(
            edition,
            kind,
            "Il mio primo progetto",
            chrono::TimeDelta::zero(),
        )
        .await;
    Class {
        app,
        edition,
        sheet,
        participant,
        participant_b,
        ambassador,
        ambassador_b,
        staff,
    }
}

async fn versions(app: &TestApp, activity: i32, user: i32) -> Vec<submission::Model> {
    submission::Entity::find()
        .filter(submission::Column::ActivityId.eq(activity))
        .filter(submission::Column::UserId.eq(user))
        .order_by_asc(submission::Column::Version)
        .all(&app.state.db)
        .await
        .unwrap()
}

fn outcome(response: &crate::helpers::Response) -> String {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let to = location(response);
    to.split("submission=")
        .nth(1)
        .and_then(|rest| rest.split('#').next())
        .unwrap_or_else(|| panic!("no outcome in {to}"))
        .to_owned()
}

async fn task_sheets_are_handed_in_reviewed_and_resubmitted(backend: Backend) {
    let c = class(backend, "task_sheet").await;
    let app = &c.app;
    let (anna, anna_session) = &c.participant;

    // A draft is kept, not handed in.
    let draft = app
        .send_submission(
            c.sheet,
            &[
                ("version", "1"),
                ("action", "save"),
                ("body", "Prima bozza"),
            ],
            None,
            anna_session,
        )
        .await;
    assert_eq!(outcome(&draft), "saved");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status.as_str(), "draft");
    // Nobody else sees a draft, not even staff.
    let load = |submission_id: i32| LoadSubmission { submission_id };
    let hidden = app.invoke(load(stored[0].id), Some(&c.staff.1)).await;
    assert_eq!(hidden.err(), Some(AppError::NotFound));

    // Handed in; a second click on the same form finds it already handed in.
    let fields = [
        ("version", "1"),
        ("action", "hand_in"),
        ("body", "La mia scheda"),
    ];
    assert_eq!(
        outcome(
            &app.send_submission(c.sheet, &fields, None, anna_session)
                .await
        ),
        "handed_in"
    );
    assert_eq!(
        outcome(
            &app.send_submission(c.sheet, &fields, None, anna_session)
                .await
        ),
        "handed_in"
    );
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored.len(), 1, "one version, handed in once");
    assert_eq!(stored[0].status.as_str(), "submitted");
    assert_eq!(stored[0].body, "La mia scheda");
    let first = stored[0].id;
    let review = |submission_id: i32, decision: &str, feedback: &str| ReviewSubmission {
        submission_id,
        decision: decision.to_owned(),
        feedback: feedback.to_owned(),
    };

    // While it waits for its review, it cannot be changed.
    let changed = app
        .send_submission(
            c.sheet,
            &[("version", "2"), ("action", "save"), ("body", "Altro")],
            None,
            anna_session,
        )
        .await;
    assert_eq!(outcome(&changed), "awaiting_review");
    assert_eq!(versions(app, c.sheet, *anna).await.len(), 1);

    // The other group's ambassador does not reach it; the participant may not judge it.
    let foreign = app
        .invoke(review(first, "accept", ""), Some(&c.ambassador_b.1))
        .await;
    assert_eq!(foreign, Err(AppError::NotFound));
    let own = app
        .invoke(review(first, "accept", ""), Some(anna_session))
        .await;
    assert_eq!(own, Err(AppError::NotAllowed));

    // A revision needs feedback.
    let bare = app
        .invoke(review(first, "revise", "  "), Some(&c.ambassador.1))
        .await;
    assert!(
        matches!(&bare, Err(AppError::Invalid(problems)) if problems.iter().any(|p| p.field == Field::Feedback)),
        "{bare:?}"
    );
    assert_eq!(
        versions(app, c.sheet, *anna).await[0].status.as_str(),
        "submitted"
    );
    app.invoke(
        review(first, "revise", "Aggiungi un esempio."),
        Some(&c.ambassador.1),
    )
    .await
    .expect("sent back for a revision");
    let logged = app.audit_of(*anna).await;
    assert_eq!(
        logged.len(),
        1,
        "the refused reviews left no trace: {logged:?}"
    );
    assert_eq!(logged[0].0, "submission_reviewed");
    assert!(logged[0].1.ends_with("(v1): needs_revision"), "{logged:?}");
    // A second review (another tab, or staff at the same time) changes nothing.
    let again = app
        .invoke(review(first, "accept", ""), Some(&c.staff.1))
        .await;
    assert!(matches!(again, Err(AppError::Refused(_))), "{again:?}");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored[0].status.as_str(), "needs_revision");
    assert_eq!(stored[0].feedback.as_deref(), Some("Aggiungi un esempio."));
    assert_eq!(stored[0].reviewed_by, Some(c.ambassador.0));

    // Her home page lists what came back (by name), and still does while she drafts the new
    // version.
    assert_eq!(sent_back_on_home(app, anna_session).await, vec![c.sheet]);
    let draft = app
        .send_submission(
            c.sheet,
            &[("version", "2"), ("action", "save"), ("body", "Bozza")],
            None,
            anna_session,
        )
        .await;
    assert_eq!(outcome(&draft), "saved");
    assert_eq!(sent_back_on_home(app, anna_session).await, vec![c.sheet]);

    // The participant sees the feedback and hands in a second version, with a file.
    let my_submission = LoadMySubmission {
        activity_id: c.sheet,
    };
    let mine = app
        .invoke(my_submission.clone(), Some(anna_session))
        .await
        .expect("her work")
        .expect("a task sheet");
    assert_eq!(mine.next_version, 2);
    assert_eq!(mine.versions[0].status, SubmissionStatus::NeedsRevision);
    assert_eq!(
        mine.versions[0]
            .review
            .as_ref()
            .map(|r| r.feedback.as_str()),
        Some("Aggiungi un esempio.")
    );
    let second = app
        .send_submission(
            c.sheet,
            &[
                ("version", "2"),
                ("action", "hand_in"),
                ("body", "Con un esempio"),
            ],
            Some(("../../etc/scheda finale.pdf", PDF)),
            anna_session,
        )
        .await;
    assert_eq!(outcome(&second), "handed_in");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored.len(), 2, "every version is kept");
    // Handed in again, it has left her home page's list.
    assert!(sent_back_on_home(app, anna_session).await.is_empty());
    assert_eq!(stored[0].body, "La mia scheda");
    let v2 = &stored[1];
    assert_eq!(v2.status.as_str(), "submitted");
    assert_eq!(v2.file_type.as_deref(), Some("pdf"));
    let key = v2.file_key.clone().unwrap();
    assert!(
        key.chars().all(|c| c.is_ascii_hexdigit()),
        "a generated name: {key}"
    );
    assert!(app.state.settings.upload_dir.join(&key).is_file());
    assert!(
        !v2.file_name.clone().unwrap().contains('/'),
        "{:?}",
        v2.file_name
    );

    // The file: to the participant, the group's ambassador and staff, always as a download.
    let url = format!("/submissions/{}/file", v2.id);
    for session in [anna_session, &c.ambassador.1, &c.staff.1] {
        let file = app.get(&url, Some(session)).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.body.as_bytes(), PDF);
        let disposition = file.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(!disposition.contains(".."), "{disposition}");
        assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    }
    for session in [&c.participant_b.1, &c.ambassador_b.1] {
        assert_eq!(
            app.get(&url, Some(session)).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let anonymous = app.get(&url, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        crate::helpers::location(&anonymous),
        format!("/login?next={}", crate::helpers::urlencode(&url)),
        "signed out: to sign in, and back to the file afterwards"
    );

    // The reviewer's page shows both versions; staff accept the second.
    let page = app
        .invoke(load(v2.id), Some(&c.ambassador.1))
        .await
        .expect("the review page");
    assert_eq!(page.versions.len(), 2);
    assert_eq!(page.waiting, Some(v2.id));
    app.invoke(review(v2.id, "accept", ""), Some(&c.staff.1))
        .await
        .expect("accepted");
    let after = app
        .send_submission(
            c.sheet,
            &[("version", "3"), ("action", "save"), ("body", "Ancora")],
            None,
            anna_session,
        )
        .await;
    assert_eq!(outcome(&after), "accepted");
    assert_eq!(versions(app, c.sheet, *anna).await.len(), 2);

    // The activity list says so.
    let list = app
        .invoke(
            EditionPage {
                edition_id: c.edition,
            },
            Some(anna_session),
        )
        .await
        .expect("her activities")
        .activities
        .expect("a participant");
    assert_eq!(list.activities[0].state, ActivityState::Accepted);
}

async fn bad_files_and_bad_requests_change_nothing(backend: Backend) {
    let c = class(backend, "task_sheet").await;
    let app = &c.app;
    let (anna, session) = &c.participant;
    let hand_in = [("version", "1"), ("action", "hand_in"), ("body", "Testo")];

    // A program renamed to .pdf: the content decides.
    let exe = app
        .send_submission(
            c.sheet,
            &hand_in,
            Some(("scheda.pdf", b"MZ\x90\x00\x03\x00\x00\x00 program")),
            session,
        )
        .await;
    assert_eq!(outcome(&exe), "file_type");
    // Over the configured size (just over, and far over).
    let mut big = PDF.to_vec();
    big.resize(TEST_UPLOAD_MAX_BYTES + 1, b' ');
    let over = app
        .send_submission(c.sheet, &hand_in, Some(("grande.pdf", &big)), session)
        .await;
    assert_eq!(outcome(&over), "too_large");
    let mut huge = PDF.to_vec();
    huge.resize(TEST_UPLOAD_MAX_BYTES * 3, b' ');
    let far_over = app
        .send_submission(c.sheet, &hand_in, Some(("enorme.pdf", &huge)), session)
        .await;
    assert_ne!(far_over.status, StatusCode::OK);
    assert_eq!(
        versions(app, c.sheet, *anna).await.len(),
        0,
        "nothing was saved"
    );
    let files = std::fs::read_dir(&app.state.settings.upload_dir)
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(files, 0, "no file was left behind");

    // Unknown ids, and activities without work to hand in.
    let missing = app.send_submission(999_999, &hand_in, None, session).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let material = app
        .activity(c.edition, "material", "Guida", chrono::TimeDelta::zero())
        .await;
    assert_eq!(
        app.send_submission(material, &hand_in, None, session)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Ambassadors and staff do not hand in work.
    assert_eq!(
        app.send_submission(c.sheet, &hand_in, None, &c.ambassador.1)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/submissions/999999/file", Some(session))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let unknown = app
        .invoke(
            LoadSubmission {
                submission_id: 999_999,
            },
            Some(&c.staff.1),
        )
        .await;
    assert_eq!(unknown.err(), Some(AppError::NotFound));
    let junk = app
        .call(
            "review_submission",
            &[
                ("submission_id", "abc"),
                ("decision", "accept"),
                ("feedback", ""),
            ],
            Some(&c.staff.1),
        )
        .await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        submission::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );

    // A form from another site is refused.
    let request = axum::http::Request::post(format!("/activities/{}/submission", c.sheet))
        .header(header::HOST, "aula.test")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .header(header::COOKIE, format!("aula_session={session}"))
        .body(axum::body::Body::from("--x--\r\n"))
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    // A good file after all that works, and the participant B's page knows nothing of it.
    let fine = app
        .send_submission(c.sheet, &hand_in, Some(("scheda.pdf", PDF)), session)
        .await;
    assert_eq!(outcome(&fine), "handed_in");
    let theirs = app
        .invoke(
            LoadMySubmission {
                activity_id: c.sheet,
            },
            Some(&c.participant_b.1),
        )
        .await
        .expect("their work")
        .expect("a task sheet");
    assert!(theirs.versions.is_empty());
    assert_eq!(theirs.draft, None);
}

async fn design_exercises_are_handed_in_only_when_complete(backend: Backend) {
    let c = class(backend, "design_exercise").await;
    let app = &c.app;
    let (anna, session) = &c.participant;
    let mut fields = vec![
        ("version", "1"),
        ("action", "hand_in"),
        ("project_title", "Orto digitale"),
        ("age_range", "8-10"),
        ("subjects", "Scienze, tecnologia"),
    ];
    let partial = app.send_submission(c.sheet, &fields, None, session).await;
    assert_eq!(outcome(&partial), "incomplete");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status.as_str(), "draft", "kept as a draft");
    let mine = app
        .invoke(
            LoadMySubmission {
                activity_id: c.sheet,
            },
            Some(session),
        )
        .await
        .expect("her work")
        .expect("a design exercise");
    let design = mine.draft.and_then(|d| d.design).expect("a design");
    assert_eq!(design.project_title, "Orto digitale");
    assert!(!mine.missing.is_empty());

    fields.extend([
        ("objectives", "Osservare la crescita delle piante"),
        ("activities", "Semina, diario fotografico, grafici"),
        ("digital_tools", "Tablet, foglio di calcolo"),
        ("evaluation", "Rubrica condivisa"),
    ]);
    let complete = app.send_submission(c.sheet, &fields, None, session).await;
    assert_eq!(outcome(&complete), "handed_in");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status.as_str(), "submitted");
    let design: serde_json::Value =
        serde_json::from_str(stored[0].design.as_deref().unwrap()).unwrap();
    assert_eq!(design["evaluation"], "Rubrica condivisa");

    // Reviewed like a task sheet.
    let accept = ReviewSubmission {
        submission_id: stored[0].id,
        decision: "accept".to_owned(),
        feedback: "Ottimo lavoro".to_owned(),
    };
    app.invoke(accept, Some(&c.ambassador.1))
        .await
        .expect("accepted");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored[0].status.as_str(), "accepted");
    assert_eq!(stored[0].feedback.as_deref(), Some("Ottimo lavoro"));
}

async fn the_cockpit_shows_each_ambassador_their_own_groups(backend: Backend) {
    let c = class(backend, "task_sheet").await;
    let app = &c.app;
    let older = app
        .submission(c.sheet, c.participant_b.0, 1, "submitted")
        .await;
    let newer = app
        .submission(c.sheet, c.participant.0, 1, "submitted")
        .await;
    let load = |session: String, group: Option<i32>| async move {
        let call = LoadCockpit {
            edition_id: c.edition,
            group,
            page: 1,
            standing: None,
        };
        app.invoke(call, Some(&session)).await
    };

    let mine = load(c.ambassador.1.clone(), None)
        .await
        .expect("the cockpit");
    assert_eq!(mine.rows.len(), 1, "only group A: {mine:?}");
    assert_eq!(mine.rows[0].user_id, c.participant.0);
    assert_eq!(mine.rows[0].cells[0].state, ActivityState::Submitted);
    assert_eq!(mine.queue.len(), 1);
    assert_eq!(mine.queue[0].submission_id, newer);

    // Asking for the other group reveals nothing of it.
    assert_eq!(mine.groups.len(), 1);
    let all = load(c.staff.1.clone(), None).await.expect("the cockpit");
    assert_eq!(all.rows.len(), 2);
    assert_eq!(all.queue.len(), 2);
    assert_eq!(all.queue[0].submission_id, older, "oldest first");
    let b_id = all
        .groups
        .iter()
        .find(|(_, name)| name == "B")
        .map(|(id, _)| *id)
        .expect("group B");
    let filtered = load(c.staff.1.clone(), Some(b_id))
        .await
        .expect("the cockpit");
    assert_eq!(filtered.rows.len(), 1);
    assert_eq!(filtered.rows[0].user_id, c.participant_b.0);
    let sneaky = load(c.ambassador.1.clone(), Some(b_id))
        .await
        .expect("the cockpit");
    assert_eq!(sneaky.rows.len(), 1);
    assert_eq!(
        sneaky.rows[0].user_id, c.participant.0,
        "still only group A"
    );
    // Participants have no cockpit.
    assert_eq!(
        load(c.participant.1.clone(), None).await.err(),
        Some(AppError::NotAllowed)
    );

    // The page itself renders for the ambassador.
    let page = app
        .get(
            &format!("/editions/{}/cockpit", c.edition),
            Some(&c.ambassador.1),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
}

/// The evening before a deadline: many participants save and hand in at once. Every one of
/// them must succeed (on SQLite a transaction that read before writing used to fail at once
/// with "database is locked" when another request wrote in between).
async fn many_hand_in_at_the_same_moment(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::spawn(backend).await);
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    let sheet = app
        .activity(
            edition,
            "task_sheet",
            "Il mio primo progetto",
            chrono::TimeDelta::zero(),
        )
        .await;
    let mut people = Vec::new();
    for n in 0..24 {
        people.push(
            app.user(&format!("ultimo{n}@scuola.it"), false, false)
                .await,
        );
    }
    let ids: Vec<i32> = people.iter().map(|(id, _)| *id).collect();
    app.group(edition, "A", &ids, &[]).await;
    let tasks: Vec<_> = people
        .iter()
        .map(|(_, session)| {
            let app = app.clone();
            let session = session.clone();
            tokio::spawn(async move {
                // A draft first, then the hand-in: two transactions per person.
                let draft = app
                    .send_submission(
                        sheet,
                        &[("version", "1"), ("action", "save"), ("body", "Bozza")],
                        None,
                        &session,
                    )
                    .await;
                let handed_in = app
                    .send_submission(
                        sheet,
                        &[
                            ("version", "1"),
                            ("action", "hand_in"),
                            ("body", "La mia scheda"),
                        ],
                        None,
                        &session,
                    )
                    .await;
                (outcome(&draft), outcome(&handed_in))
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(
            task.await.unwrap(),
            ("saved".to_owned(), "handed_in".to_owned())
        );
    }
    for id in ids {
        let stored = versions(&app, sheet, id).await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].status.as_str(), "submitted");
    }
}
