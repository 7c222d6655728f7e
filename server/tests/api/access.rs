//! Who may call what: every server function × anonymous, a participant of group A, a
//! participant of group B, the ambassador of group A, the ambassador of group B, and staff,
//! always on objects of group A (own ids for some callers, foreign for others). The table must
//! name every registered server function, so a new one cannot be forgotten.

use crate::both_databases;
use crate::helpers::{Backend, PASSWORD, QuizSetup, TestApp, error_kind};
use app::ssr::entities::{edition, user};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::BTreeSet;

both_databases!(
    every_server_function_checks_access,
    a_server_function_never_acts_as_the_caller_of_a_page_before_it
);

/// An attacker's request: a staff member's page has been rendered and is still on its way out
/// when someone without a session calls a server function, polled on the same thread. A page
/// render's root owner becomes the thread's current owner (`Owner::new_root`) and a server
/// function's owner is made a child of whatever is current: were the page's owner still current
/// then, the call would inherit its contexts, among them the caller resolved for the page
/// (staff), and its reads would go through the page's transaction. Each call must stand on its
/// own request.
async fn a_server_function_never_acts_as_the_caller_of_a_page_before_it(backend: Backend) {
    use axum::body::Body;
    use axum::http::{Request, header};
    use tower::ServiceExt;
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (_, participant) = app.user("partecipante@scuola.it", false, false).await;
    for round in 0..3 {
        let request = Request::get("/")
            .header(header::HOST, "aula.test")
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, format!("aula_session={staff}"))
            .body(Body::empty())
            .expect("request");
        // Rendered; its body (and with it the page's owner) not yet sent.
        let page = app.router.clone().oneshot(request).await.expect("page");
        assert_eq!(page.status(), StatusCode::OK);
        let page_reads = app.state.db.page_transactions();
        let anonymous = app.call("current_user", &[], None).await;
        assert_eq!(anonymous.status, StatusCode::OK, "round {round}");
        assert_eq!(anonymous.body, "null", "round {round}: no session, nobody");
        let me = app.call("current_user", &[], Some(&participant)).await;
        assert_eq!(
            me.json()["email"],
            "partecipante@scuola.it",
            "round {round}"
        );
        assert_eq!(me.json()["is_staff"], false, "round {round}");
        assert_eq!(
            app.state.db.page_transactions(),
            page_reads,
            "round {round}: the calls read nothing as part of the page"
        );
        drop(page);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Participant,
    OtherParticipant,
    Ambassador,
    OtherAmbassador,
    Staff,
}

const CALLERS: [Caller; 6] = [
    Caller::Anonymous,
    Caller::Participant,
    Caller::OtherParticipant,
    Caller::Ambassador,
    Caller::OtherAmbassador,
    Caller::Staff,
];

/// What each caller gets: `A` allowed (200), `S` not signed in (401), `F` forbidden (403),
/// `N` not found (404), `R` refused in the state check (409: e.g. a mailed link that is not
/// valid, whoever sends it).
#[derive(Clone, Copy, Debug)]
enum Expect {
    A,
    S,
    F,
    N,
    R,
}

use Expect::*;

impl Expect {
    fn status(self) -> StatusCode {
        match self {
            A => StatusCode::OK,
            S => StatusCode::UNAUTHORIZED,
            F => StatusCode::FORBIDDEN,
            N => StatusCode::NOT_FOUND,
            R => StatusCode::CONFLICT,
        }
    }
}

/// Everybody.
const PUBLIC: [Expect; 6] = [A, A, A, A, A, A];
/// Any signed-in user.
const SIGNED_IN: [Expect; 6] = [S, A, A, A, A, A];
/// Staff only.
const STAFF: [Expect; 6] = [S, F, F, F, F, A];
/// Members of group A, its ambassador and staff; for everybody else group A does not exist.
const GROUP_A: [Expect; 6] = [S, A, N, A, N, A];

struct Fixture {
    webinar: String,
    material: String,
    doomed: String,
    import: String,
    participant_a: String,
    group: String,
    other_group: String,
    thread: String,
    participant_b: String,
    ambassador_a: String,
    course: String,
    open_edition: String,
    draft_edition: String,
    status_edition: String,
    target_user: String,
    task_sheet: String,
    submission: String,
    staff_submission: String,
    quiz: String,
    doomed_question: String,
}

async fn every_server_function_checks_access(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (participant, _) = app.user("participant@scuola.it", false, false).await;
    let (participant_b, _) = app.user("participant.b@scuola.it", false, false).await;
    let (ambassador, _) = app.user("ambassador@scuola.it", true, false).await;
    let (ambassador_b, _) = app.user("ambassador.b@scuola.it", true, false).await;
    app.user("staff@aula.it", false, true).await;
    let (target, _) = app.user("target@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let open_edition = app.edition(course, "open", 100).await;
    let group = app
        .group(open_edition, "A", &[participant], &[ambassador])
        .await;
    let other_group = app
        .group(open_edition, "B", &[participant_b], &[ambassador_b])
        .await;
    let thread = app.thread(group, participant).await;
    let webinar = app
        .activity(
            open_edition,
            "webinar",
            "Webinar 1",
            -chrono::TimeDelta::hours(3),
        )
        .await;
    let material = app
        .activity(open_edition, "material", "Guida", chrono::TimeDelta::zero())
        .await;
    let doomed = app
        .activity(
            open_edition,
            "material",
            "Da eliminare",
            chrono::TimeDelta::zero(),
        )
        .await;
    let import = app.empty_import(webinar, target).await;
    let task_sheet = app
        .activity(
            open_edition,
            "task_sheet",
            "Scheda 1",
            chrono::TimeDelta::zero(),
        )
        .await;
    let second_sheet = app
        .activity(
            open_edition,
            "task_sheet",
            "Scheda 2",
            chrono::TimeDelta::zero(),
        )
        .await;
    let submission = app
        .submission(task_sheet, participant, 1, "submitted")
        .await;
    let staff_submission = app
        .submission(second_sheet, participant, 1, "submitted")
        .await;
    let (quiz, questions) = app.quiz(open_edition, QuizSetup::default()).await;
    // The quiz confirms the webinar's recording, which the edition counts.
    catch_up_allowed(&app, open_edition, webinar, quiz).await;
    let fixture = Fixture {
        webinar: webinar.to_string(),
        material: material.to_string(),
        doomed: doomed.to_string(),
        import: import.to_string(),
        participant_a: participant.to_string(),
        group: group.to_string(),
        other_group: other_group.to_string(),
        thread: thread.to_string(),
        participant_b: participant_b.to_string(),
        ambassador_a: ambassador.to_string(),
        course: course.to_string(),
        open_edition: open_edition.to_string(),
        draft_edition: app.edition(course, "draft", 100).await.to_string(),
        status_edition: app.edition(course, "draft", 100).await.to_string(),
        target_user: target.to_string(),
        task_sheet: task_sheet.to_string(),
        submission: submission.to_string(),
        staff_submission: staff_submission.to_string(),
        quiz: quiz.to_string(),
        doomed_question: questions[2].to_string(),
    };

    let mut covered = BTreeSet::new();
    let mut counter = 0;
    for (label, expected) in table() {
        let endpoint = label.split(':').next().unwrap_or(label);
        covered.insert(format!("/api/{endpoint}"));
        for (caller, expect) in CALLERS.into_iter().zip(expected) {
            counter += 1;
            let session = session_of(&app, caller).await;
            let before = if matches!(expect, A) {
                None
            } else {
                // Mail queued by earlier rows goes out meanwhile: the snapshot waits for it.
                outbox_settled(&app).await;
                Some(app.snapshot().await)
            };
            let args = arguments(label, &fixture, counter, caller);
            let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let response = app.call(endpoint, &form, session.as_deref()).await;
            assert_eq!(
                response.status,
                expect.status(),
                "{endpoint} as {caller:?} on {:?}: {}",
                app.backend,
                response.body
            );
            if !matches!(expect, A) {
                let kind = error_kind(&response);
                let expected_kind = match expect {
                    S => "NotSignedIn",
                    F => "NotAllowed",
                    N => "NotFound",
                    R => "Refused",
                    A => unreachable!(),
                };
                assert_eq!(kind, expected_kind, "{endpoint} as {caller:?}");
                assert_unchanged(&app, before, &format!("{endpoint} as {caller:?}")).await;
            }
        }
    }

    // A refused role change left the target as it was.
    let target = user::Entity::find_by_id(target)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(target.is_ambassador, "only staff's grant went through");

    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    assert_eq!(
        covered, registered,
        "the access table must list every server function"
    );
}

/// `(label, server function, expectations)`; a label may add a variant after `:`.
fn table() -> Vec<(&'static str, [Expect; 6])> {
    vec![
        // Group spaces first: later rows withdraw the participants.
        ("load_group_space", GROUP_A),
        ("start_thread", GROUP_A),
        ("load_thread", GROUP_A),
        ("post_reply", GROUP_A),
        // Members may not announce: they reach the group, their role stops them.
        ("post_announcement", [S, F, N, A, N, A]),
        // Activities: everybody taking part in the edition opens them.
        // Part of the public edition page: an anonymous visitor gets nothing, not 401.
        ("open_activity", [S, A, A, A, A, A]),
        // Recording a view is a change of its own; only participants' views are kept.
        ("record_view", [S, A, A, A, A, A]),
        // Before anyone is marked present: every participant missed the webinar.
        ("mark_recording_watched", [S, A, A, F, F, F]),
        ("set_speaker", STAFF),
        ("set_activity_hidden", STAFF),
        ("save_attendance_rules", STAFF),
        ("reset_calendar", SIGNED_IN),
        // Both ambassadors see a sheet (each with their own group's participants only)...
        ("load_attendance", [S, F, F, A, A, A]),
        // ...and only group A's ambassador can mark a participant of group A.
        ("save_attendance", [S, F, F, A, N, A]),
        // Work: each participant has their own (an empty form for B); ambassadors have none.
        ("load_my_submission", SIGNED_IN),
        ("load_submission", GROUP_A),
        // The owner reaches their work but may not judge it.
        ("review_submission", [S, F, N, A, N, A]),
        ("load_cockpit", [S, F, F, A, A, A]),
        ("load_quiz", SIGNED_IN),
        // Only participants take quizzes.
        ("start_attempt", [S, A, A, F, F, F]),
        ("load_quiz_admin", STAFF),
        ("save_question", STAFF),
        ("delete_question", STAFF),
        // Part of the public edition page: an anonymous visitor gets nothing, not 401.
        ("load_completion_rule", STAFF),
        // A rule nobody meets, as nobody met the missing one: saved without a confirmation.
        ("save_completion_rule", STAFF),
        ("set_completion_override", STAFF),
        ("load_certificates", STAFF),
        ("issue_certificates", STAFF),
        ("save_certificate_template", STAFF),
        // Part of the public edition page: an anonymous visitor gets nothing, not 401.
        ("verify_certificate", PUBLIC),
        // An id nobody holds. Staff-only objects check the role first: everybody else is
        // refused whether or not the certificate exists; staff hear that it does not (their
        // success is tested in `certificates`).
        ("revoke_certificate", [S, F, F, F, F, N]),
        ("reissue_certificate", [S, F, F, F, F, N]),
        ("load_audit", STAFF),
        ("load_import", STAFF),
        ("apply_import", STAFF),
        ("load_activities_admin", STAFF),
        ("create_activity", STAFF),
        ("update_activity", STAFF),
        ("move_activity", STAFF),
        ("delete_activity", STAFF),
        ("load_groups_overview", STAFF),
        ("create_group", STAFF),
        ("split_into_groups", STAFF),
        ("set_group_ambassador", STAFF),
        ("appoint_ambassador", STAFF),
        ("move_to_group", STAFF),
        ("current_user", PUBLIC),
        ("sign_up", PUBLIC),
        ("log_in", PUBLIC),
        ("log_out", SIGNED_IN),
        ("set_language", PUBLIC),
        // A link's token is the only credential: a wrong one is refused for everybody.
        ("link_address", [R, R, R, R, R, R]),
        ("verify_email", [R, R, R, R, R, R]),
        ("send_verification_again", SIGNED_IN),
        ("request_password_reset", PUBLIC),
        ("reset_password", [R, R, R, R, R, R]),
        ("load_profile", SIGNED_IN),
        ("save_profile", SIGNED_IN),
        ("change_password", SIGNED_IN),
        ("change_email", SIGNED_IN),
        ("confirm_email_change", [R, R, R, R, R, R]),
        // Single sign-on: without a provider account kept aside in this browser (a cookie),
        // there is nothing to connect, for anybody.
        ("sso_providers", PUBLIC),
        ("load_sso_link", PUBLIC),
        ("confirm_sso_link", [R, R, R, R, R, R]),
        ("load_sign_in_methods", SIGNED_IN),
        // A connection nobody holds: one's own are found only among one's own.
        ("disconnect_sso", [S, N, N, N, N, N]),
        ("open_editions", PUBLIC),
        ("home", PUBLIC),
        ("edition_page", PUBLIC),
        // Drafts are invisible to everybody but staff.
        ("edition_page:draft", [N, N, N, N, N, A]),
        ("enrol", SIGNED_IN),
        ("withdraw", SIGNED_IN),
        ("list_courses", STAFF),
        ("course_detail", STAFF),
        ("create_course", STAFF),
        ("update_course", STAFF),
        ("create_edition", STAFF),
        ("update_edition", STAFF),
        ("change_edition_status", STAFF),
        ("clone_edition", STAFF),
        ("edition_admin", STAFF),
        ("enrolment_list", STAFF),
        ("list_users", STAFF),
        ("set_role", STAFF),
        ("load_person", STAFF),
        ("send_reset_link", STAFF),
        ("set_account_active", STAFF),
        ("correct_name", STAFF),
        ("load_name_corrections", STAFF),
        // No such request: staff learn so, nobody else learns anything.
        ("decide_name_correction", [S, F, F, F, F, N]),
        ("request_name_correction", SIGNED_IN),
        ("load_outbox", STAFF),
        // No such mail: staff learn so, nobody else learns anything.
        ("resend_mail", [S, F, F, F, F, N]),
        ("load_jobs", STAFF),
        ("load_registrations", STAFF),
        // Nobody with that id: staff learn so, nobody else learns anything.
        ("decide_registrations", [S, F, F, F, F, N]),
        ("load_registry", STAFF),
        ("retention_periods", PUBLIC),
        // Nobody with that id: staff learn so, nobody else learns anything.
        ("anonymise_person", [S, F, F, F, F, N]),
        // No such upload: staff learn so, nobody else learns anything.
        ("load_registry_import", [S, F, F, F, F, N]),
        ("apply_registry_import", [S, F, F, F, F, N]),
        ("discard_registry_import", [S, F, F, F, F, N]),
        ("run_job_now", STAFF),
    ]
}

/// A fresh session for each call (some calls end the session they come with).
async fn session_of(app: &TestApp, caller: Caller) -> Option<String> {
    let email = match caller {
        Caller::Anonymous => return None,
        Caller::Participant => "participant@scuola.it",
        Caller::OtherParticipant => "participant.b@scuola.it",
        Caller::Ambassador => "ambassador@scuola.it",
        Caller::OtherAmbassador => "ambassador.b@scuola.it",
        Caller::Staff => "staff@aula.it",
    };
    let user = user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    Some(
        app::ssr::auth::start_session(&app.state, user.id)
            .await
            .unwrap(),
    )
}

/// Well-formed arguments for each server function; `n` keeps created names unique.
fn arguments(label: &str, f: &Fixture, n: usize, caller: Caller) -> Vec<(&'static str, String)> {
    let edition_fields = |title: &str| {
        vec![
            ("title", title.to_owned()),
            ("enrolment_opens_on", "2027-02-01".to_owned()),
            ("enrolment_closes_on", "2027-03-05".to_owned()),
            ("starts_on", "2027-03-01".to_owned()),
            ("ends_on", "2027-03-31".to_owned()),
            ("capacity", "100".to_owned()),
        ]
    };
    let course_fields = |code: String| {
        vec![
            ("code", code),
            ("title", "Corso".to_owned()),
            ("description", String::new()),
            ("workload_hours", "25".to_owned()),
        ]
    };
    match label {
        "sign_up" => vec![
            ("email", format!("new{n}@scuola.it")),
            ("given_name", "Nuovo".to_owned()),
            ("family_name", "Docente".to_owned()),
            ("school_name", "IC Roma".to_owned()),
            ("school_code", "RMIC000001".to_owned()),
            ("password", PASSWORD.to_owned()),
        ],
        "log_in" => vec![
            ("email", "target@scuola.it".to_owned()),
            ("password", PASSWORD.to_owned()),
        ],
        "set_language" => vec![("locale", "en".to_owned())],
        "link_address" => vec![
            ("purpose", "reset_password".to_owned()),
            ("token", "ab".repeat(32)),
        ],
        "verify_email" | "confirm_email_change" => vec![("token", "cd".repeat(32))],
        "reset_password" => vec![
            ("token", "ef".repeat(32)),
            ("password", PASSWORD.to_owned()),
        ],
        "request_password_reset" => vec![("email", "participant@scuola.it".to_owned())],
        "confirm_sso_link" => vec![("password", PASSWORD.to_owned())],
        "disconnect_sso" => vec![("connection", "999999".to_owned())],
        "save_profile" => vec![
            ("given_name", "Nome".to_owned()),
            ("family_name", format!("Cognome {n}")),
            ("school_name", "IC Roma".to_owned()),
            ("school_code", "RMIC000001".to_owned()),
        ],
        "change_password" => vec![
            ("current_password", PASSWORD.to_owned()),
            ("password", PASSWORD.to_owned()),
        ],
        "change_email" => vec![
            ("email", format!("changed{n}@scuola.it")),
            ("current_password", PASSWORD.to_owned()),
        ],
        "edition_page:draft" => vec![("edition_id", f.draft_edition.clone())],
        "edition_page" | "enrol" | "withdraw" => vec![("edition_id", f.open_edition.clone())],
        "course_detail" => vec![("course_id", f.course.clone())],
        "create_course" => course_fields(format!("C{n}")),
        "update_course" => {
            let mut args = course_fields("ETW-BASE".to_owned());
            args.push(("course_id", f.course.clone()));
            args
        }
        "create_edition" => {
            let mut args = edition_fields("Nuova");
            args.push(("course_id", f.course.clone()));
            args
        }
        "update_edition" => {
            let mut args = edition_fields("Aggiornata");
            args.push(("edition_id", f.open_edition.clone()));
            args
        }
        "change_edition_status" => vec![
            ("edition_id", f.status_edition.clone()),
            ("status", "open".to_owned()),
        ],
        "clone_edition" => vec![
            ("edition_id", f.open_edition.clone()),
            ("title", "Copia".to_owned()),
            ("starts_on", "2027-10-04".to_owned()),
        ],
        "edition_admin" => vec![("edition_id", f.open_edition.clone())],
        "enrolment_list" => vec![
            ("edition_id", f.open_edition.clone()),
            ("search", String::new()),
            ("status", String::new()),
            ("page", "1".to_owned()),
        ],
        "load_group_space" => vec![("group_id", f.group.clone())],
        "open_activity" | "record_view" => vec![("activity_id", f.material.clone())],
        "load_attendance" => vec![("activity_id", f.webinar.clone())],
        "save_attendance" => vec![
            ("activity_id", f.webinar.clone()),
            ("entries[0][user_id]", f.participant_a.clone()),
            ("entries[0][present]", "on".to_owned()),
            ("entries[0][minutes]", "60".to_owned()),
        ],
        "load_import" | "apply_import" => vec![("import_id", f.import.clone())],
        "load_activities_admin" => vec![("edition_id", f.open_edition.clone())],
        "create_activity" | "update_activity" => {
            let mut args = vec![
                ("activity[kind]", "material".to_owned()),
                ("activity[title]", "Guida".to_owned()),
                ("activity[description]", String::new()),
                ("activity[opens_at]", String::new()),
                ("activity[due_at]", String::new()),
                ("activity[estimated_hours]", "1".to_owned()),
                ("activity[url]", "https://example.org".to_owned()),
                ("activity[body]", String::new()),
                ("activity[starts_at]", String::new()),
                ("activity[duration_minutes]", String::new()),
                ("activity[recording_url]", String::new()),
            ];
            if label == "create_activity" {
                args.push(("edition_id", f.open_edition.clone()));
            } else {
                args.push(("activity_id", f.material.clone()));
            }
            args
        }
        "load_my_submission" => vec![("activity_id", f.task_sheet.clone())],
        "load_submission" => vec![("submission_id", f.submission.clone())],
        // Each allowed reviewer judges a version of their own, still waiting.
        "review_submission" => vec![
            (
                "submission_id",
                if caller == Caller::Staff {
                    f.staff_submission.clone()
                } else {
                    f.submission.clone()
                },
            ),
            ("decision", "revise".to_owned()),
            ("feedback", "Manca la conclusione.".to_owned()),
        ],
        "load_cockpit" => vec![
            ("edition_id", f.open_edition.clone()),
            ("page", "1".to_owned()),
        ],
        "load_completion_rule" => {
            vec![("edition_id", f.open_edition.clone())]
        }
        "load_certificates" => {
            vec![("edition_id", f.open_edition.clone())]
        }
        "issue_certificates" => vec![
            ("edition_id", f.open_edition.clone()),
            ("limit", "1".to_owned()),
        ],
        "save_certificate_template" => vec![
            ("edition_id", f.open_edition.clone()),
            ("signatory_name", "Maria Rossi".to_owned()),
            ("signatory_role", "Dirigente".to_owned()),
            ("languages", "it_en".to_owned()),
        ],
        "set_completion_override" => vec![
            ("edition_id", f.open_edition.clone()),
            ("user_id", f.participant_a.clone()),
            ("decision", "not_met".to_owned()),
            ("reason", "Access check".to_owned()),
        ],
        "verify_certificate" => vec![("query", "AULA-2222-2222".to_owned())],
        "revoke_certificate" | "reissue_certificate" => vec![
            ("id", "0123456789abcdef0123456789abcdef".to_owned()),
            ("category", "other".to_owned()),
            ("reason", "Access check".to_owned()),
        ],
        "load_audit" => vec![("page", "1".to_owned())],
        "save_completion_rule" => vec![
            ("edition_id", f.open_edition.clone()),
            ("rule[hours]", "1000".to_owned()),
        ],
        "load_quiz" | "start_attempt" | "load_quiz_admin" => {
            vec![("activity_id", f.quiz.clone())]
        }
        "save_question" => vec![
            ("activity_id", f.quiz.clone()),
            ("question_id", "0".to_owned()),
            ("question[kind]", "true_false".to_owned()),
            ("question[prompt]", "La Terra è piatta.".to_owned()),
            ("question[points]", "1".to_owned()),
            ("question[truth]", "false".to_owned()),
        ],
        "delete_question" => vec![("question_id", f.doomed_question.clone())],
        "mark_recording_watched" => vec![("activity_id", f.webinar.clone())],
        "set_speaker" => vec![
            ("activity_id", f.webinar.clone()),
            ("user_id", f.ambassador_a.clone()),
            ("assigned", "true".to_owned()),
        ],
        // Keeps the catch-up allowed for the rows after it.
        "save_attendance_rules" => vec![
            ("edition_id", f.open_edition.clone()),
            ("min_minutes", "45".to_owned()),
            ("allow_recording", "on".to_owned()),
        ],
        "move_activity" => vec![
            ("activity_id", f.material.clone()),
            ("direction", "up".to_owned()),
        ],
        // Shows the material that is deleted later (already shown: staff's call changes
        // nothing the rows after rely on).
        "set_activity_hidden" => vec![
            ("activity_id", f.doomed.clone()),
            ("hidden", "false".to_owned()),
        ],
        // Each staff call deletes it; the others are refused before that.
        "delete_activity" => vec![("activity_id", f.doomed.clone())],
        "post_announcement" => vec![
            ("group_id", f.group.clone()),
            ("body", "Benvenuti nel gruppo!".to_owned()),
        ],
        "start_thread" => vec![
            ("group_id", f.group.clone()),
            ("title", "Domanda".to_owned()),
            ("body", "Come si fa?".to_owned()),
        ],
        "load_thread" => vec![("thread_id", f.thread.clone()), ("page", "1".to_owned())],
        "post_reply" => vec![
            ("thread_id", f.thread.clone()),
            ("body", "Così.".to_owned()),
        ],
        "load_groups_overview" => vec![("edition_id", f.open_edition.clone())],
        "create_group" => vec![
            ("edition_id", f.open_edition.clone()),
            ("name", format!("Gruppo {n}")),
        ],
        "split_into_groups" => vec![
            ("edition_id", f.open_edition.clone()),
            ("size", "20".to_owned()),
        ],
        // Changes nothing that later rows rely on: the ambassador already is group A's, and
        // participant B is already in group B.
        "set_group_ambassador" => vec![
            ("group_id", f.group.clone()),
            ("user_id", f.ambassador_a.clone()),
            ("assigned", "true".to_owned()),
        ],
        // The same: group A's ambassador appointed again, which changes nothing.
        "appoint_ambassador" => vec![
            ("group_id", f.group.clone()),
            ("email", "ambassador@scuola.it".to_owned()),
            ("grant_role", String::new()),
        ],
        "move_to_group" => vec![
            ("edition_id", f.open_edition.clone()),
            ("user_id", f.participant_b.clone()),
            ("group_id", f.other_group.clone()),
        ],
        "list_users" => vec![("search", String::new()), ("page", "1".to_owned())],
        "load_outbox" => vec![("page", "1".to_owned())],
        "decide_name_correction" => vec![
            ("correction_id", "987654".to_owned()),
            ("approve", "true".to_owned()),
            ("reason", String::new()),
        ],
        "request_name_correction" => vec![
            ("given_name", "Nome".to_owned()),
            ("family_name", format!("Corretto {n}")),
            ("reason", "refuso".to_owned()),
        ],
        "load_person" | "send_reset_link" => vec![("user_id", f.target_user.clone())],
        // Reopening an open account: allowed, and it changes nothing the other rows rely on.
        "set_account_active" => vec![
            ("user_id", f.target_user.clone()),
            ("active", "true".to_owned()),
            ("reason", "verifica".to_owned()),
        ],
        "correct_name" => vec![
            ("user_id", f.target_user.clone()),
            ("given_name", "Bersaglio".to_owned()),
            ("family_name", format!("Corretto {n}")),
            ("reason", "refuso".to_owned()),
        ],
        "resend_mail" => vec![("mail_id", "987654".to_owned())],
        "run_job_now" => vec![("name", "housekeeping".to_owned())],
        "anonymise_person" => vec![
            ("user_id", "987654".to_owned()),
            ("reason", "richiesta".to_owned()),
        ],
        "load_registry_import" | "apply_registry_import" | "discard_registry_import" => {
            vec![("import_id", "987654".to_owned())]
        }
        "load_registrations" => vec![("page", "1".to_owned())],
        "decide_registrations" => vec![
            ("user_ids[]", "987654".to_owned()),
            ("approve", "true".to_owned()),
        ],
        "set_role" => vec![
            ("user_id", f.target_user.clone()),
            ("role", "ambassador".to_owned()),
            ("granted", "true".to_owned()),
        ],
        _ => vec![],
    }
}

async fn catch_up_allowed(app: &TestApp, edition_id: i32, webinar: i32, quiz: i32) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
    let db = &app.state.db;
    let mut e = edition::Entity::find_by_id(edition_id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    e.allow_recording = Set(true);
    e.update(db).await.unwrap();
    let mut w = app::ssr::entities::activity::Entity::find_by_id(webinar)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    w.recording_url = Set(Some("https://video.example.org/1".to_owned()));
    w.update(db).await.unwrap();
    let mut q = app::ssr::entities::activity::Entity::find_by_id(quiz)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    q.confirms_webinar_id = Set(Some(webinar));
    q.update(db).await.unwrap();
}

both_databases!(every_plain_route_checks_access);

/// What a caller gets from a plain route: through the gate (`Through`: the page's answer or
/// a redirect back to it), sent to sign in (`Login`), `Forbidden` (403), `Missing` (404).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gate {
    Through,
    Login,
    Forbidden,
    Missing,
}

use Gate::{Forbidden as GF, Login as GL, Missing as GN, Through as GT};

fn gate_of(response: &crate::helpers::Response) -> Gate {
    let location = crate::helpers::location(response);
    match response.status {
        StatusCode::FORBIDDEN => Gate::Forbidden,
        StatusCode::NOT_FOUND => Gate::Missing,
        status if status.is_redirection() && location.starts_with("/login") => Gate::Login,
        status if status.is_success() || status.is_redirection() => Gate::Through,
        other => panic!("unexpected {other}: {}", response.body),
    }
}

/// A request as a browser sends it from Aula's own pages (or from `origin`).
fn plain_request(
    method: &str,
    path: &str,
    body: Option<(String, Vec<u8>)>,
    session: Option<&str>,
    origin: &str,
) -> axum::http::Request<axum::body::Body> {
    use axum::http::header;
    let mut request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "aula.test")
        .header(header::ACCEPT, "text/html")
        .header(header::ORIGIN, origin);
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("aula_session={token}"));
    }
    let body = match body {
        Some((content_type, bytes)) => {
            request = request.header(header::CONTENT_TYPE, content_type);
            axum::body::Body::from(bytes)
        }
        None => axum::body::Body::empty(),
    };
    request.body(body).expect("request")
}

/// A multipart form of text fields and at most one file.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----aula-access-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, file_name, bytes)) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Every plain route × the six callers, on objects of group A; then every route that changes
/// something, from a foreign site, as a caller it would otherwise let through.
async fn every_plain_route_checks_access(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (participant, participant_session) = app.user("participant@scuola.it", false, false).await;
    let (participant_b, _) = app.user("participant.b@scuola.it", false, false).await;
    let (ambassador, _) = app.user("ambassador@scuola.it", true, false).await;
    let (ambassador_b, _) = app.user("ambassador.b@scuola.it", true, false).await;
    app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[participant], &[ambassador]).await;
    app.group(edition, "B", &[participant_b], &[ambassador_b])
        .await;
    let sheet = app
        .activity(edition, "task_sheet", "Scheda", chrono::TimeDelta::zero())
        .await;
    let webinar = app
        .activity(edition, "webinar", "Webinar", -chrono::TimeDelta::hours(3))
        .await;
    let (quiz, _) = app.quiz(edition, QuizSetup::default()).await;
    // Participant A hands in a file, and starts the quiz.
    let pdf = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    let handed = app
        .send_submission(
            sheet,
            &[("version", "1"), ("action", "hand_in"), ("body", "Ecco")],
            Some(("lavoro.pdf", pdf)),
            &participant_session,
        )
        .await;
    let back = crate::helpers::location(&handed);
    assert!(back.contains("submission=handed_in"), "{back}");
    let submission = app::ssr::entities::submission::Entity::find()
        .filter(app::ssr::entities::submission::Column::UserId.eq(participant))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("handed in")
        .id;
    let started = app
        .call(
            "start_attempt",
            &[("activity_id", &quiz.to_string())],
            Some(&participant_session),
        )
        .await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let attempt: i32 = started.body.trim().parse().expect("attempt id");

    let report = multipart(
        &[],
        Some((
            "report",
            "presenze.csv",
            b"Nome,Email,Durata (minuti)\nMaria Rossi,participant@scuola.it,60\n",
        )),
    );
    let logo = multipart(&[("remove", "1")], None);
    let registry = multipart(
        &[],
        Some((
            "registry",
            "anagrafe.csv",
            b"Nome;Cognome;Email;Codice meccanografico\nMaria;Rossi;participant@scuola.it;FIIC812003\n",
        )),
    );
    let work = multipart(
        &[("version", "1"), ("action", "save"), ("body", "Bozza")],
        None,
    );
    let answers = (
        "application/x-www-form-urlencoded".to_owned(),
        format!("version=1&activity_id={quiz}").into_bytes(),
    );
    let nobody = "0123456789abcdef0123456789abcdef";
    type Body = Option<(String, Vec<u8>)>;
    let table: Vec<(&str, String, Body, [Gate; 6])> = vec![
        // Participants save their own work; ambassadors and staff have none to save.
        (
            "POST",
            format!("/activities/{sheet}/submission"),
            Some(work),
            [GL, GT, GT, GF, GF, GF],
        ),
        // An attempt is its taker's alone.
        (
            "POST",
            format!("/quiz-attempts/{attempt}"),
            Some(answers),
            [GL, GT, GN, GN, GN, GN],
        ),
        // A handed-in file: its owner, the ambassador of their group, staff.
        (
            "GET",
            format!("/submissions/{submission}/file"),
            None,
            [GL, GT, GN, GT, GN, GT],
        ),
        (
            "POST",
            format!("/attendance-imports?activity_id={webinar}"),
            Some(report),
            [GL, GF, GF, GF, GF, GT],
        ),
        (
            "GET",
            format!("/staff/editions/{edition}/progress.csv"),
            None,
            [GL, GF, GF, GF, GF, GT],
        ),
        (
            "GET",
            "/staff/registrations.csv?status=pending&matched=partial".to_owned(),
            None,
            [GL, GF, GF, GF, GF, GT],
        ),
        (
            "POST",
            "/staff/registry".to_owned(),
            Some(registry),
            [GL, GF, GF, GF, GF, GT],
        ),
        (
            "POST",
            format!("/staff/editions/{edition}/certificate-logo"),
            Some(logo),
            [GL, GF, GF, GF, GF, GT],
        ),
        // Certificates: an id nobody holds (the holder's and staff's downloads are tested in
        // `certificates`).
        (
            "GET",
            format!("/certificates/{nobody}.pdf"),
            None,
            [GL, GN, GN, GN, GN, GN],
        ),
        // Everyone signed in downloads their own data (what it holds is tested in `export`).
        (
            "GET",
            "/account/export.zip".to_owned(),
            None,
            [GL, GT, GT, GT, GT, GT],
        ),
        // Feeds are reached by their secret address alone.
        (
            "GET",
            format!("/calendar/{nobody}{nobody}.ics"),
            None,
            [GN; 6],
        ),
        (
            "GET",
            "/.well-known/aula-certificate-key".to_owned(),
            None,
            [GT; 6],
        ),
        // Single sign-on through a provider that is not configured (the flows through a real
        // provider are tested in `sso`).
        ("GET", "/sso/nowhere/start".to_owned(), None, [GN; 6]),
        (
            "GET",
            format!("/sso/nowhere/callback?code=x&state={nobody}"),
            None,
            [GN; 6],
        ),
    ];

    let mut covered = BTreeSet::new();
    for (method, path, body, expected) in &table {
        let route = server::startup::plain_routes(&app.state)
            .into_iter()
            .map(|(route, _)| route)
            .find(|route| matches_route(route, path))
            .unwrap_or_else(|| panic!("{path} is not a plain route"));
        covered.insert(route);
        for (caller, expect) in CALLERS.into_iter().zip(expected) {
            let session = session_of(&app, caller).await;
            let before = if *expect == Gate::Through {
                None
            } else {
                Some(app.snapshot().await)
            };
            let request = plain_request(
                method,
                path,
                body.clone(),
                session.as_deref(),
                crate::helpers::BASE_URL,
            );
            let response = app.send(request).await;
            assert_eq!(
                gate_of(&response),
                *expect,
                "{method} {path} as {caller:?} on {:?}: {} {}",
                app.backend,
                response.status,
                response.body
            );
            assert_unchanged(&app, before, &format!("{method} {path} as {caller:?}")).await;
        }
        if *method == "POST" {
            let allowed = CALLERS
                .into_iter()
                .zip(expected)
                .find(|(_, e)| **e == Gate::Through)
                .map(|(c, _)| c)
                .expect("somebody gets through");
            let session = session_of(&app, allowed).await;
            let before = Some(app.snapshot().await);
            let request = plain_request(
                method,
                path,
                body.clone(),
                session.as_deref(),
                "https://evil.example",
            );
            let response = app.send(request).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{path} from a foreign site"
            );
            assert_unchanged(&app, before, &format!("{path} from a foreign site")).await;
        }
    }
    let routes: BTreeSet<&str> = server::startup::plain_routes(&app.state)
        .into_iter()
        .map(|(route, _)| route)
        .collect();
    assert_eq!(covered, routes, "the table must list every plain route");
    // Neither the refused requests nor the foreign-site ones wrote anything: participant A's
    // only work is still the version handed in.
    let versions = app::ssr::entities::submission::Entity::find()
        .filter(app::ssr::entities::submission::Column::UserId.eq(participant))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(versions, 1);
}

/// Waits (up to 20 s) until the outbox worker has sent every mail queued so far.
async fn outbox_settled(app: &TestApp) {
    use app::ssr::entities::outbox;
    for _ in 0..200 {
        let queued = outbox::Entity::find()
            .filter(outbox::Column::Status.eq(app::domain::outbox::MailStatus::Queued))
            .count(&app.state.db)
            .await
            .unwrap();
        if queued == 0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the outbox did not empty");
}

/// A refused request left every table as it was (row counts and contents alike).
async fn assert_unchanged(
    app: &TestApp,
    before: Option<std::collections::BTreeMap<String, (usize, u64)>>,
    what: &str,
) {
    let Some(before) = before else { return };
    let after = app.snapshot().await;
    let changed: Vec<&String> = after
        .iter()
        .filter(|(table, digest)| before.get(*table) != Some(digest))
        .map(|(table, _)| table)
        .collect();
    assert!(changed.is_empty(), "{what} changed {changed:?}");
    assert_eq!(before.len(), after.len(), "{what}: tables changed");
}

/// Whether a request path fits a route pattern (`{…}` matches one segment).
fn matches_route(route: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let (route, path): (Vec<&str>, Vec<&str>) =
        (route.split('/').collect(), path.split('/').collect());
    route.len() == path.len()
        && route
            .iter()
            .zip(&path)
            .all(|(r, p)| r == p || (r.starts_with('{') && r.ends_with('}')))
}
