use crate::both_databases;
use crate::helpers::{Backend, TEST_UPLOAD_MAX_BYTES, TestApp, error_kind, location};
use app::ssr::entities::submission;
use axum::http::{StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

both_databases!(
    task_sheets_are_handed_in_reviewed_and_resubmitted,
    bad_files_and_bad_requests_change_nothing,
    design_exercises_are_handed_in_only_when_complete,
    the_cockpit_shows_each_tutor_their_own_groups,
    many_hand_in_at_the_same_moment,
);

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
    to.split("work=")
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
        .send_work(
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
    let hidden = app
        .call(
            "load_submission",
            &[("submission_id", &stored[0].id.to_string())],
            Some(&c.staff.1),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    // Handed in; a second click on the same form finds it already handed in.
    let fields = [
        ("version", "1"),
        ("action", "hand_in"),
        ("body", "La mia scheda"),
    ];
    assert_eq!(
        outcome(&app.send_work(c.sheet, &fields, None, anna_session).await),
        "handed_in"
    );
    assert_eq!(
        outcome(&app.send_work(c.sheet, &fields, None, anna_session).await),
        "handed_in"
    );
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored.len(), 1, "one version, handed in once");
    assert_eq!(stored[0].status.as_str(), "submitted");
    assert_eq!(stored[0].body, "La mia scheda");
    let first = stored[0].id.to_string();

    // While it waits for its review, it cannot be changed.
    let changed = app
        .send_work(
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
        .call(
            "review_submission",
            &[
                ("submission_id", &first),
                ("decision", "accept"),
                ("feedback", ""),
            ],
            Some(&c.ambassador_b.1),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let own = app
        .call(
            "review_submission",
            &[
                ("submission_id", &first),
                ("decision", "accept"),
                ("feedback", ""),
            ],
            Some(anna_session),
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);

    // A revision needs feedback.
    let bare = app
        .call(
            "review_submission",
            &[
                ("submission_id", &first),
                ("decision", "revise"),
                ("feedback", "  "),
            ],
            Some(&c.ambassador.1),
        )
        .await;
    assert_eq!(
        bare.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        bare.body
    );
    assert!(bare.body.contains("feedback"), "{}", bare.body);
    assert_eq!(
        versions(app, c.sheet, *anna).await[0].status.as_str(),
        "submitted"
    );
    let revise = app
        .call(
            "review_submission",
            &[
                ("submission_id", &first),
                ("decision", "revise"),
                ("feedback", "Aggiungi un esempio."),
            ],
            Some(&c.ambassador.1),
        )
        .await;
    assert_eq!(revise.status, StatusCode::OK, "{}", revise.body);
    let logged = app.audit_of(*anna).await;
    assert_eq!(
        logged.len(),
        1,
        "the refused reviews left no trace: {logged:?}"
    );
    assert_eq!(logged[0].0, "work_reviewed");
    assert!(logged[0].1.ends_with("(v1): needs_revision"), "{logged:?}");
    // A second review (another tab, or staff at the same time) changes nothing.
    let again = app
        .call(
            "review_submission",
            &[
                ("submission_id", &first),
                ("decision", "accept"),
                ("feedback", ""),
            ],
            Some(&c.staff.1),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(error_kind(&again), "Refused");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored[0].status.as_str(), "needs_revision");
    assert_eq!(stored[0].feedback.as_deref(), Some("Aggiungi un esempio."));
    assert_eq!(stored[0].reviewed_by, Some(c.ambassador.0));

    // The participant sees the feedback and hands in a second version, with a file.
    let mine = app
        .call(
            "load_my_work",
            &[("activity_id", &c.sheet.to_string())],
            Some(anna_session),
        )
        .await
        .json();
    assert_eq!(mine["next_version"], 2);
    assert_eq!(mine["versions"][0]["status"], "needs_revision");
    assert_eq!(
        mine["versions"][0]["review"]["feedback"],
        "Aggiungi un esempio."
    );
    let second = app
        .send_work(
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
    let review = app
        .call(
            "load_submission",
            &[("submission_id", &v2.id.to_string())],
            Some(&c.ambassador.1),
        )
        .await
        .json();
    assert_eq!(review["versions"].as_array().unwrap().len(), 2);
    assert_eq!(review["waiting"], v2.id);
    let accept = app
        .call(
            "review_submission",
            &[
                ("submission_id", &v2.id.to_string()),
                ("decision", "accept"),
                ("feedback", ""),
            ],
            Some(&c.staff.1),
        )
        .await;
    assert_eq!(accept.status, StatusCode::OK, "{}", accept.body);
    let after = app
        .send_work(
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
        .call(
            "load_my_activities",
            &[("edition_id", &c.edition.to_string())],
            Some(anna_session),
        )
        .await;
    assert!(
        list.body.contains("\"accepted\"") || list.body.contains("Accepted"),
        "{}",
        list.body
    );
}

async fn bad_files_and_bad_requests_change_nothing(backend: Backend) {
    let c = class(backend, "task_sheet").await;
    let app = &c.app;
    let (anna, session) = &c.participant;
    let hand_in = [("version", "1"), ("action", "hand_in"), ("body", "Testo")];

    // A program renamed to .pdf: the content decides.
    let exe = app
        .send_work(
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
        .send_work(c.sheet, &hand_in, Some(("grande.pdf", &big)), session)
        .await;
    assert_eq!(outcome(&over), "too_large");
    let mut huge = PDF.to_vec();
    huge.resize(TEST_UPLOAD_MAX_BYTES * 3, b' ');
    let far_over = app
        .send_work(c.sheet, &hand_in, Some(("enorme.pdf", &huge)), session)
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
    let missing = app.send_work(999_999, &hand_in, None, session).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let material = app
        .activity(c.edition, "material", "Guida", chrono::TimeDelta::zero())
        .await;
    assert_eq!(
        app.send_work(material, &hand_in, None, session)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Tutors do not hand in work.
    assert_eq!(
        app.send_work(c.sheet, &hand_in, None, &c.ambassador.1)
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
        .call(
            "load_submission",
            &[("submission_id", "999999")],
            Some(&c.staff.1),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
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
    let request = axum::http::Request::post(format!("/activities/{}/work", c.sheet))
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
        .send_work(c.sheet, &hand_in, Some(("scheda.pdf", PDF)), session)
        .await;
    assert_eq!(outcome(&fine), "handed_in");
    let theirs = app
        .call(
            "load_my_work",
            &[("activity_id", &c.sheet.to_string())],
            Some(&c.participant_b.1),
        )
        .await
        .json();
    assert_eq!(theirs["versions"].as_array().unwrap().len(), 0);
    assert!(theirs["draft"].is_null());
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
    let partial = app.send_work(c.sheet, &fields, None, session).await;
    assert_eq!(outcome(&partial), "incomplete");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status.as_str(), "draft", "kept as a draft");
    let mine = app
        .call(
            "load_my_work",
            &[("activity_id", &c.sheet.to_string())],
            Some(session),
        )
        .await
        .json();
    assert_eq!(mine["draft"]["design"]["project_title"], "Orto digitale");
    assert!(!mine["missing"].as_array().unwrap().is_empty());

    fields.extend([
        ("objectives", "Osservare la crescita delle piante"),
        ("activities", "Semina, diario fotografico, grafici"),
        ("digital_tools", "Tablet, foglio di calcolo"),
        ("evaluation", "Rubrica condivisa"),
    ]);
    let complete = app.send_work(c.sheet, &fields, None, session).await;
    assert_eq!(outcome(&complete), "handed_in");
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].status.as_str(), "submitted");
    let design: serde_json::Value =
        serde_json::from_str(stored[0].design.as_deref().unwrap()).unwrap();
    assert_eq!(design["evaluation"], "Rubrica condivisa");

    // Reviewed like a task sheet.
    let accept = app
        .call(
            "review_submission",
            &[
                ("submission_id", &stored[0].id.to_string()),
                ("decision", "accept"),
                ("feedback", "Ottimo lavoro"),
            ],
            Some(&c.ambassador.1),
        )
        .await;
    assert_eq!(accept.status, StatusCode::OK, "{}", accept.body);
    let stored = versions(app, c.sheet, *anna).await;
    assert_eq!(stored[0].status.as_str(), "accepted");
    assert_eq!(stored[0].feedback.as_deref(), Some("Ottimo lavoro"));
}

async fn the_cockpit_shows_each_tutor_their_own_groups(backend: Backend) {
    let c = class(backend, "task_sheet").await;
    let app = &c.app;
    let older = app
        .submission(c.sheet, c.participant_b.0, 1, "submitted")
        .await;
    let newer = app
        .submission(c.sheet, c.participant.0, 1, "submitted")
        .await;
    let edition = c.edition.to_string();
    let load = |session: String, group: Option<String>| {
        let edition = edition.clone();
        async move {
            let mut form = vec![("edition_id", edition), ("page", "1".to_owned())];
            if let Some(group) = group {
                form.push(("group", group));
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call("load_cockpit", &form, Some(&session)).await
        }
    };

    let mine = load(c.ambassador.1.clone(), None).await.json();
    let rows = mine["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "only group A: {mine}");
    assert_eq!(rows[0]["user_id"], c.participant.0);
    assert_eq!(rows[0]["cells"][0]["state"], "submitted");
    let queue = mine["queue"].as_array().unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0]["submission_id"], newer);

    // Asking for the other group reveals nothing of it.
    let group_b = mine["groups"].as_array().unwrap().len();
    assert_eq!(group_b, 1);
    let all = load(c.staff.1.clone(), None).await.json();
    assert_eq!(all["rows"].as_array().unwrap().len(), 2);
    let queue = all["queue"].as_array().unwrap();
    assert_eq!(queue.len(), 2);
    assert_eq!(queue[0]["submission_id"], older, "oldest first");
    let groups = all["groups"].as_array().unwrap();
    let b_id = groups
        .iter()
        .find(|g| g[1] == "B")
        .map(|g| g[0].to_string())
        .unwrap();
    let filtered = load(c.staff.1.clone(), Some(b_id.clone())).await.json();
    assert_eq!(filtered["rows"].as_array().unwrap().len(), 1);
    assert_eq!(filtered["rows"][0]["user_id"], c.participant_b.0);
    let sneaky = load(c.ambassador.1.clone(), Some(b_id)).await.json();
    assert_eq!(sneaky["rows"].as_array().unwrap().len(), 1);
    assert_eq!(
        sneaky["rows"][0]["user_id"], c.participant.0,
        "still only group A"
    );
    // Participants have no cockpit.
    assert_eq!(
        load(c.participant.1.clone(), None).await.status,
        StatusCode::FORBIDDEN
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
                    .send_work(
                        sheet,
                        &[("version", "1"), ("action", "save"), ("body", "Bozza")],
                        None,
                        &session,
                    )
                    .await;
                let handed_in = app
                    .send_work(
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
