use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::domain::Field;
use app::domain::activities::{ActivityForm, ActivityKind, ActivityState};
use app::domain::attendance::matching::Outcome as Match;
use app::error::{AppError, Refusal};
use app::features::activities::api::{
    CreateActivity, DeleteActivity, LoadActivitiesAdmin, MoveActivity, OpenActivity, RecordView,
    SetActivityHidden, UpdateActivity,
};
use app::features::attendance::api::{
    ApplyImport, AttendanceEntry, LoadAttendance, LoadImport, SaveAttendance,
};
use app::features::calendar::api::ResetCalendar;
use app::features::editions::api::EditionPage;
use app::ssr::entities::{activity, attendance, edition, material_view};
use axum::http::{StatusCode, header};
use chrono::TimeDelta;
use sea_orm::{ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder};

both_databases!(
    staff_add_edit_order_and_remove_activities,
    participants_see_states_views_and_join_links_in_time,
    attendance_is_marked_within_scope,
    attendance_reports_are_previewed_then_applied_once,
    calendar_feeds_are_private_and_revocable,
    cloning_copies_activities_with_shifted_times,
    work_keeps_an_activity_from_deletion,
    hiding_takes_an_activity_out_of_sight_and_keeps_the_work,
);

fn form(kind: &str, title: &str) -> ActivityForm {
    ActivityForm {
        kind: kind.to_owned(),
        title: title.to_owned(),
        description: "Descrizione".to_owned(),
        due_at: "2027-03-20T23:59".to_owned(),
        estimated_hours: "1,5".to_owned(),
        counts: Some("on".to_owned()),
        url: "https://zoom.us/j/812345".to_owned(),
        starts_at: "2027-03-04T17:00".to_owned(),
        duration_minutes: "90".to_owned(),
        ..ActivityForm::default()
    }
}

async fn staff_add_edit_order_and_remove_activities(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    let create = |activity: ActivityForm| CreateActivity {
        edition_id: edition,
        activity,
    };
    let mut ids = Vec::new();
    for title in ["Webinar 1", "Webinar 2", "Webinar 3"] {
        let created = app
            .invoke(create(form("webinar", title)), Some(&staff))
            .await;
        ids.push(created.expect("created"));
    }
    let stored = activity::Entity::find_by_id(ids[0])
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.estimated_minutes, 90);
    // 17:00 in Rome in March (winter time) is 16:00 UTC.
    assert_eq!(
        stored.starts_at.unwrap().to_rfc3339(),
        "2027-03-04T16:00:00+00:00"
    );

    let bad = ActivityForm {
        starts_at: String::new(),
        ..form("webinar", "")
    };
    let refused = app.invoke(create(bad), Some(&staff)).await;
    let Err(AppError::Invalid(problems)) = refused else {
        panic!("expected problems, got {refused:?}")
    };
    let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
    assert!(
        fields.contains(&Field::Title) && fields.contains(&Field::StartsAt),
        "{fields:?}"
    );

    let up = MoveActivity {
        activity_id: ids[2],
        direction: "up".to_owned(),
    };
    assert_eq!(app.invoke(up, Some(&staff)).await, Ok(()));
    let order: Vec<String> = activity::Entity::find()
        .filter(activity::Column::EditionId.eq(edition))
        .order_by_asc(activity::Column::Position)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.title)
        .collect();
    assert_eq!(order, vec!["Webinar 1", "Webinar 3", "Webinar 2"]);

    let edit = UpdateActivity {
        activity_id: ids[1],
        activity: form("material", "Guida al TwinSpace"),
    };
    assert_eq!(app.invoke(edit, Some(&staff)).await, Ok(()));
    let admin = app
        .invoke(
            LoadActivitiesAdmin {
                edition_id: edition,
            },
            Some(&staff),
        )
        .await
        .expect("the activities page");
    assert_eq!(admin.activities[2].kind, ActivityKind::Material);
    assert_eq!(
        admin.activities[2].starts_at, None,
        "webinar fields dropped for a material"
    );

    let delete = DeleteActivity {
        activity_id: ids[0],
    };
    assert_eq!(app.invoke(delete, Some(&staff)).await, Ok(()));
    assert_eq!(
        activity::Entity::find().count(&app.state.db).await.unwrap(),
        2
    );
}

async fn participants_see_states_views_and_join_links_in_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (p, token) = app.user("p@scuola.it", false, false).await;
    let (_, outsider) = app.user("out@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    app.group(edition, "A", &[p], &[]).await;
    let material = app
        .activity(edition, "material", "Guida", TimeDelta::zero())
        .await;
    let soon = app
        .activity(
            edition,
            "webinar",
            "Webinar tra 10 minuti",
            TimeDelta::minutes(10),
        )
        .await;
    let later = app
        .activity(edition, "webinar", "Webinar domani", TimeDelta::days(1))
        .await;

    let my_activities = EditionPage {
        edition_id: edition,
    };
    let mine = app
        .invoke(my_activities.clone(), Some(&token))
        .await
        .expect("her activities")
        .activities
        .expect("a participant");
    let states: Vec<ActivityState> = mine.activities.iter().map(|a| a.state).collect();
    assert_eq!(
        states,
        vec![
            ActivityState::ToDo,
            ActivityState::Upcoming,
            ActivityState::Upcoming
        ]
    );
    assert_eq!(mine.group.map(|(_, name)| name).as_deref(), Some("A"));
    assert_eq!(
        app.invoke(my_activities.clone(), Some(&outsider))
            .await
            .map(|page| page.activities),
        Ok(None)
    );

    let open = |activity_id: i32, session: &str| {
        let app = &app;
        let session = session.to_owned();
        async move {
            app.invoke(OpenActivity { activity_id }, Some(&session))
                .await
        }
    };
    let opened = open(material, &token).await.expect("the material");
    assert_eq!(
        opened.url.as_deref(),
        Some("https://meet.example.org/room-1")
    );
    let views = || async {
        material_view::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap()
    };
    assert_eq!(views().await, 0, "reading the activity records nothing");
    let refused = app
        .call_from(
            "record_view",
            &[("activity_id", &material.to_string())],
            Some(&token),
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "a view is a change");
    assert_eq!(views().await, 0);
    let view = |activity_id: i32| RecordView { activity_id };
    for _ in 0..2 {
        assert_eq!(app.invoke(view(material), Some(&token)).await, Ok(()));
    }
    assert_eq!(views().await, 1, "viewing twice records once");
    assert_eq!(
        app.invoke(view(soon), Some(&token)).await,
        Err(AppError::NotFound)
    );

    let now = open(soon, &token).await.expect("the webinar");
    assert_eq!(
        now.join_url.as_deref(),
        Some("https://meet.example.org/room-1"),
        "shown from 15 minutes before"
    );
    // The raw answer, so that the link is known to be nowhere in it.
    let not_yet = app
        .call(
            "open_activity",
            &[("activity_id", &later.to_string())],
            Some(&token),
        )
        .await;
    assert_eq!(not_yet.status, StatusCode::OK);
    assert!(
        !not_yet.body.contains("room-1"),
        "the link is nowhere in the answer"
    );

    assert_eq!(
        open(later, &outsider).await.err(),
        Some(AppError::NotFound),
        "not enrolled: the activity is not in scope"
    );
    let page = app.get(&format!("/activities/{later}"), Some(&token)).await;
    assert!(!page.body.contains("room-1"));
    let mine = app
        .invoke(my_activities, Some(&token))
        .await
        .expect("her activities")
        .activities
        .expect("a participant");
    assert_eq!(mine.activities[0].state, ActivityState::Viewed);
}

async fn attendance_is_marked_within_scope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (p1, _) = app.user("p1@scuola.it", false, false).await;
    let (p2, _) = app.user("p2@scuola.it", false, false).await;
    let (_, amb_a) = app.user("a@scuola.it", true, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    let amb_id = app.user_id("a@scuola.it").await;
    app.group(edition, "A", &[p1], &[amb_id]).await;
    app.group(edition, "B", &[p2], &[]).await;
    let webinar = app
        .activity(edition, "webinar", "Webinar 1", -TimeDelta::hours(3))
        .await;

    let sheet = app
        .invoke(
            LoadAttendance {
                activity_id: webinar,
            },
            Some(&amb_a),
        )
        .await
        .expect("the attendance sheet");
    assert_eq!(sheet.rows.len(), 1, "the ambassador sees only their group");
    let save = |user_id: i32, present: bool, minutes: &str| {
        let call = SaveAttendance {
            activity_id: webinar,
            entries: vec![AttendanceEntry {
                user_id,
                present: present.then(|| "on".to_owned()),
                minutes: minutes.to_owned(),
            }],
        };
        let token = amb_a.clone();
        let app = &app;
        async move { app.invoke(call, Some(&token)).await }
    };
    assert_eq!(save(p1, true, "50").await, Ok(1));
    let stored = attendance::Entity::find_by_id((webinar, p1))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.minutes, stored.source),
        (50, app::domain::attendance::Source::Manual)
    );
    let logged = app.audit_of(p1).await;
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].0, "attendance_recorded");
    assert!(logged[0].1.ends_with(": 50 min"), "{logged:?}");

    // Another group's participant is out of reach, and nothing is written.
    assert_eq!(save(p2, true, "").await, Err(AppError::NotFound));
    let too_many = save(p1, true, "500").await;
    assert!(
        matches!(too_many, Err(AppError::Invalid(_))),
        "{too_many:?}"
    );
    assert_eq!(
        attendance::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );

    // Unticking removes the record; ticking without minutes counts the whole webinar.
    assert_eq!(save(p1, false, "50").await, Ok(0));
    assert_eq!(
        attendance::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(save(p1, true, "").await, Ok(1));
    let whole = attendance::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(whole.minutes, 90);
}

const ZOOM: &str = "\u{feff}Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n\
    Anna Bianchi,ANNA@scuola.it,11/05/2026 05:00:00 PM,11/05/2026 05:30:00 PM,30,No\n\
    Anna Bianchi,anna@scuola.it,11/05/2026 05:35:00 PM,11/05/2026 06:00:00 PM,25,No\n\
    Maria Rossi p2@scuola.it,,11/05/2026 05:00:00 PM,11/05/2026 06:00:00 PM,60,Yes\n\
    Ospite Sconosciuto,,11/05/2026 05:00:00 PM,11/05/2026 06:00:00 PM,60,Yes\n";

async fn attendance_reports_are_previewed_then_applied_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (anna, _) = app.user("anna@scuola.it", false, false).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (_, amb) = app.user("amb@scuola.it", true, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    app.group(edition, "A", &[anna], &[]).await;
    let webinar = app
        .activity(edition, "webinar", "Webinar 1", -TimeDelta::hours(3))
        .await;

    for (bytes, code) in [
        (&b""[..], "missing"),
        (&b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..], "not_text"),
        (&b"nome,cognome\nAnna,Bianchi\n"[..], "no_table"),
    ] {
        let response = app
            .upload_report(webinar, "report.csv", bytes, &staff)
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER);
        let location = response
            .headers
            .get(header::LOCATION)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        assert!(location.ends_with(&format!("report={code}")), "{location}");
    }
    let by_ambassador = app
        .upload_report(webinar, "report.csv", ZOOM.as_bytes(), &amb)
        .await;
    assert_eq!(
        by_ambassador.status,
        StatusCode::FORBIDDEN,
        "importing is for staff: refused before the webinar is even looked up"
    );
    assert_eq!(
        attendance::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );

    let response = app
        .upload_report(webinar, "zoom.csv", ZOOM.as_bytes(), &staff)
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let location = response
        .headers
        .get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let import_id: i32 = location
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the preview's address");
    assert_eq!(
        attendance::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0,
        "nothing saved before confirming"
    );

    let preview = app
        .invoke(LoadImport { import_id }, Some(&staff))
        .await
        .expect("the preview");
    let rows = &preview.rows;
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].attendee.minutes, 55, "join/leave rows summed");
    assert_eq!(rows[0].outcome, Match::ByEmail(anna));
    assert_eq!(rows[2].outcome, Match::Unmatched);

    assert_eq!(
        app.invoke(ApplyImport { import_id }, Some(&staff)).await,
        Ok(1)
    );
    let record = attendance::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (record.user_id, record.minutes, record.source),
        (anna, 55, app::domain::attendance::Source::Import)
    );
    // A second click on the same preview records and audits nothing more.
    let before = app.snapshot().await;
    assert_eq!(
        app.invoke(ApplyImport { import_id }, Some(&staff)).await,
        Err(AppError::Refused(Refusal::ImportAlreadyApplied))
    );
    assert_eq!(app.snapshot().await, before);
    assert_eq!(
        app.audit_of(anna).await.len(),
        1,
        "one audit entry per import"
    );

    // The same file again changes nothing.
    let again = app
        .upload_report(webinar, "zoom.csv", ZOOM.as_bytes(), &staff)
        .await;
    let second: i32 = again
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| location.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .expect("the second preview's address");
    assert_eq!(
        app.invoke(ApplyImport { import_id: second }, Some(&staff))
            .await,
        Ok(1),
        "the same minutes, written again"
    );
    let records = attendance::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].minutes, 55);
}

async fn calendar_feeds_are_private_and_revocable(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (p, token) = app.user("p@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 100).await;
    app.group(edition, "A", &[p], &[]).await;
    app.activity(
        edition,
        "webinar",
        "Webinar di benvenuto, parte 1",
        TimeDelta::days(2),
    )
    .await;
    // The edition page offers to make an address, then says there is one.
    let has_calendar = || async {
        app.invoke(
            EditionPage {
                edition_id: edition,
            },
            Some(&token),
        )
        .await
        .expect("the edition page")
        .activities
        .expect("a participant's activities")
        .calendar
    };
    assert!(!has_calendar().await);
    let url = app
        .invoke(ResetCalendar {}, Some(&token))
        .await
        .expect("a private address");
    assert!(has_calendar().await);
    let path = url
        .strip_prefix(crate::helpers::BASE_URL)
        .unwrap()
        .to_owned();
    let feed = app.get(&path, None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers
            .get(header::CONTENT_TYPE)
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(feed.body.as_bytes()));
    let calendar = parser.next().expect("a calendar").expect("parses");
    assert_eq!(calendar.events.len(), 1);
    assert!(
        feed.body
            .contains("SUMMARY:Webinar di benvenuto\\, parte 1")
    );

    let newer = app
        .invoke(ResetCalendar {}, Some(&token))
        .await
        .expect("a private address");
    assert_ne!(newer, url);
    assert_eq!(
        app.get(&path, None).await.status,
        StatusCode::NOT_FOUND,
        "the old address is revoked"
    );
    assert_eq!(
        app.get("/calendar/not-a-token.ics", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.invoke(ResetCalendar {}, None).await,
        Err(AppError::NotSignedIn)
    );
}

async fn cloning_copies_activities_with_shifted_times(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let source = app.edition(course, "open", 100).await;
    let webinar = app
        .activity(source, "webinar", "Webinar 1", TimeDelta::days(10))
        .await;
    // A check quiz for the webinar's recording, with its questions.
    let (quiz, _) = app.quiz(source, crate::helpers::QuizSetup::default()).await;
    let mut attach = activity::Entity::find_by_id(quiz)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    attach.confirms_webinar_id = sea_orm::ActiveValue::Set(Some(webinar));
    sea_orm::ActiveModelTrait::update(attach, &app.state.db)
        .await
        .unwrap();
    // The certificate requirements name the source's quiz.
    use app::domain::completion::{Requirement, Rule};
    let rule = Rule {
        requirements: vec![
            Requirement::WebinarsAttended { at_least: 1 },
            Requirement::QuizPassed {
                activity: quiz,
                min_percent: 70,
            },
        ],
    };
    let model = edition::Entity::find_by_id(source)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let mut with_rule = model.clone().into_active_model();
    with_rule.completion_rule = sea_orm::ActiveValue::Set(serde_json::to_string(&rule).ok());
    sea_orm::ActiveModelTrait::update(with_rule, &app.state.db)
        .await
        .unwrap();
    let new_start = model.starts_on + TimeDelta::days(28);
    let copy = app::features::editions::api::CloneEdition {
        edition_id: source,
        title: "Copia".to_owned(),
        starts_on: new_start.to_string(),
    };
    let clone = app.invoke(copy, Some(&staff)).await.expect("cloned");
    let original = activity::Entity::find()
        .filter(activity::Column::EditionId.eq(source))
        .filter(activity::Column::Kind.eq("webinar"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let copied = activity::Entity::find()
        .filter(activity::Column::EditionId.eq(clone))
        .filter(activity::Column::Kind.eq("webinar"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(copied.title, "Webinar 1");
    let local = |t| app::ssr::db::to_local(t);
    assert_eq!(
        local(copied.starts_at.unwrap()),
        local(original.starts_at.unwrap()) + TimeDelta::days(28),
        "same wall-clock time, 28 days later"
    );
    let copied_quiz = activity::Entity::find()
        .filter(activity::Column::EditionId.eq(clone))
        .filter(activity::Column::Kind.eq("quiz"))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        copied_quiz.confirms_webinar_id,
        Some(copied.id),
        "the copy confirms the copied webinar"
    );
    let questions = app::ssr::entities::quiz_question::Entity::find()
        .filter(app::ssr::entities::quiz_question::Column::ActivityId.eq(copied_quiz.id))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(questions, 3);
    // The clone's rule asks the same, of the copied quiz.
    let cloned_rule: Rule = edition::Entity::find_by_id(clone)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .completion_rule
        .and_then(|text| serde_json::from_str(&text).ok())
        .expect("the clone has the rule");
    assert_eq!(
        cloned_rule.requirements,
        vec![
            Requirement::WebinarsAttended { at_least: 1 },
            Requirement::QuizPassed {
                activity: copied_quiz.id,
                min_percent: 70,
            },
        ]
    );
    assert_ne!(copied_quiz.id, quiz);
}

/// Deleting an activity would take participants' work with it (hand-ins, attempts,
/// attendance): once there is any, it is refused and nothing changes; an activity nobody worked
/// on goes, and the log says who removed it.
async fn work_keeps_an_activity_from_deletion(backend: Backend) {
    use app::ssr::entities::{audit_event, submission};
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, _) = app.user("anna@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[anna], &[]).await;
    let sheet = app
        .activity(edition, "task_sheet", "Scheda 1", TimeDelta::zero())
        .await;
    let untouched = app
        .activity(edition, "material", "Guida", TimeDelta::zero())
        .await;
    app.submission(sheet, anna, 1, "submitted").await;

    let sheet_id = sheet.to_string();
    let refused = app
        .call(
            "delete_activity",
            &[("activity_id", &sheet_id)],
            Some(&staff),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::CONFLICT,
        "an activity with a hand-in was deleted: {}",
        refused.body
    );
    assert!(refused.body.contains("ActivityHasWork"), "{}", refused.body);
    assert!(
        activity::Entity::find_by_id(sheet)
            .one(&app.state.db)
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        submission::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1,
        "the hand-in is kept"
    );

    let untouched_id = untouched.to_string();
    let deleted = app
        .call(
            "delete_activity",
            &[("activity_id", &untouched_id)],
            Some(&staff),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let logged: Vec<String> = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action.as_str().to_owned())
        .collect();
    assert_eq!(logged, vec!["activity_deleted".to_owned()]);
}

/// Hiding takes the activity out of participants' lists and pages and out of completion, keeps
/// their work, shows on staff's page, and is audited both ways.
async fn hiding_takes_an_activity_out_of_sight_and_keeps_the_work(backend: Backend) {
    use app::ssr::entities::{audit_event, submission};
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[anna], &[]).await;
    let sheet = app
        .activity(edition, "task_sheet", "Scheda 1", TimeDelta::zero())
        .await;
    app.submission(sheet, anna, 1, "submitted").await;

    let hide = |hidden: &str| SetActivityHidden {
        activity_id: sheet,
        hidden: hidden.to_owned(),
    };
    let refused = app.invoke(hide("true"), Some(&anna_session)).await;
    assert_eq!(refused, Err(AppError::NotAllowed));
    assert_eq!(app.invoke(hide("true"), Some(&staff)).await, Ok(()));
    let mine = app
        .invoke(
            EditionPage {
                edition_id: edition,
            },
            Some(&anna_session),
        )
        .await
        .expect("her activities")
        .activities
        .expect("a participant");
    assert!(mine.activities.is_empty(), "{:?}", mine.activities);
    let opened = app
        .invoke(OpenActivity { activity_id: sheet }, Some(&anna_session))
        .await;
    assert_eq!(opened.err(), Some(AppError::NotFound));
    let admin = app
        .invoke(
            LoadActivitiesAdmin {
                edition_id: edition,
            },
            Some(&staff),
        )
        .await
        .expect("staff's page");
    assert_eq!(admin.activities.len(), 1);
    assert!(admin.activities[0].hidden);
    assert_eq!(
        submission::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );

    assert_eq!(app.invoke(hide("false"), Some(&staff)).await, Ok(()));
    let mine = app
        .invoke(
            EditionPage {
                edition_id: edition,
            },
            Some(&anna_session),
        )
        .await
        .expect("her activities")
        .activities
        .expect("a participant");
    assert_eq!(mine.activities.len(), 1);
    let logged: Vec<String> = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action.as_str().to_owned())
        .collect();
    assert_eq!(
        logged,
        vec!["activity_hidden".to_owned(), "activity_shown".to_owned()]
    );
}
