//! Webinars beyond attendance: speakers, the edition's attendance rules, and catching up on a
//! missed webinar with its recording and a check quiz.

use crate::both_databases;
use crate::helpers::{Backend, QuizSetup, TestApp, error_kind};
use app::ssr::entities::{activity, edition, recording_view};
use axum::http::StatusCode;
use chrono::TimeDelta;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, IntoActiveModel, PaginatorTrait};

both_databases!(
    staff_choose_speakers_among_staff_and_ambassadors,
    staff_set_the_attendance_rules,
    a_missed_webinar_is_caught_up_with_recording_and_quiz,
);

async fn staff_choose_speakers_among_staff_and_ambassadors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (ambassador, _) = app.user("amb@scuola.it", true, false).await;
    let (teacher, teacher_session) = app.user("anna@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[teacher], &[]).await;
    let webinar = app
        .activity(edition, "webinar", "Webinar 1", TimeDelta::days(2))
        .await
        .to_string();
    let set = |user: i32, assigned: &'static str| {
        let webinar = webinar.clone();
        let staff = staff.clone();
        let app = &app;
        async move {
            app.call(
                "set_speaker",
                &[
                    ("activity_id", &webinar),
                    ("user_id", &user.to_string()),
                    ("assigned", assigned),
                ],
                Some(&staff),
            )
            .await
        }
    };
    assert_eq!(set(ambassador, "true").await.status, StatusCode::OK);
    // Twice changes nothing.
    assert_eq!(set(ambassador, "true").await.status, StatusCode::OK);
    let refused = set(teacher, "true").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("NotASpeaker"), "{}", refused.body);

    let admin = app
        .call(
            "load_activities_admin",
            &[("edition_id", &edition.to_string())],
            Some(&staff),
        )
        .await
        .json();
    assert_eq!(admin["speakers"].as_array().unwrap().len(), 1);
    let choices: Vec<i64> = admin["speaker_choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c[0].as_i64().unwrap())
        .collect();
    assert!(choices.contains(&i64::from(ambassador)) && !choices.contains(&i64::from(teacher)));
    let page = app
        .call(
            "open_activity",
            &[("activity_id", &webinar)],
            Some(&teacher_session),
        )
        .await
        .json();
    assert_eq!(page["speakers"][0], "Maria Rossi amb@scuola.it");

    assert_eq!(set(ambassador, "false").await.status, StatusCode::OK);
    let page = app
        .call(
            "open_activity",
            &[("activity_id", &webinar)],
            Some(&teacher_session),
        )
        .await
        .json();
    assert!(page["speakers"].as_array().unwrap().is_empty());
}

async fn staff_set_the_attendance_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    let id = edition.to_string();
    for bad in ["0", "tanti", "601"] {
        let response = app
            .call(
                "save_attendance_rules",
                &[("edition_id", &id), ("min_minutes", bad)],
                Some(&staff),
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(response.body.contains("min_minutes"), "{}", response.body);
    }
    let stored = edition::Entity::find_by_id(edition)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.allow_recording);
    let before = stored.attendance_min_minutes;
    assert_ne!(before, 30);

    let saved = app
        .call(
            "save_attendance_rules",
            &[
                ("edition_id", &id),
                ("min_minutes", "30"),
                ("allow_recording", "on"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let stored = edition::Entity::find_by_id(edition)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.attendance_min_minutes, 30);
    assert!(stored.allow_recording);
}

async fn a_missed_webinar_is_caught_up_with_recording_and_quiz(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let (bruno, bruno_session) = app.user("bruno@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[anna, bruno], &[]).await;
    // Ended two hours ago; nobody attended.
    let webinar = app
        .activity(edition, "webinar", "Webinar 1", -TimeDelta::hours(4))
        .await;
    let (quiz, questions) = app.quiz(edition, QuizSetup::default()).await;
    let id = webinar.to_string();
    let mark = |session: String| {
        let id = id.clone();
        let app = &app;
        async move {
            app.call(
                "mark_recording_watched",
                &[("activity_id", &id)],
                Some(&session),
            )
            .await
        }
    };
    let webinar_state = |session: String| {
        let app = &app;
        async move {
            let mine = app
                .call(
                    "load_my_activities",
                    &[("edition_id", &edition.to_string())],
                    Some(&session),
                )
                .await
                .json();
            mine["activities"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["id"] == webinar)
                .map(|a| a["state"].as_str().unwrap().to_owned())
                .unwrap()
        }
    };

    // Not offered while the edition does not allow it, or without a recording or a quiz.
    let page = app
        .call(
            "open_activity",
            &[("activity_id", &id)],
            Some(&anna_session),
        )
        .await
        .json();
    assert!(page["catch_up"].is_null());
    assert_eq!(page["state"], "missed");
    let refused = mark(anna_session.clone()).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("CannotCatchUp"), "{}", refused.body);

    let rules = app
        .call(
            "save_attendance_rules",
            &[
                ("edition_id", &edition.to_string()),
                ("min_minutes", "45"),
                ("allow_recording", "on"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(rules.status, StatusCode::OK);
    let mut recorded = activity::Entity::find_by_id(webinar)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    recorded.recording_url = Set(Some("https://video.example.org/webinar-1".to_owned()));
    recorded.update(&app.state.db).await.unwrap();
    assert_eq!(
        mark(anna_session.clone()).await.status,
        StatusCode::CONFLICT,
        "no quiz yet"
    );

    // Staff attach the quiz to the webinar through the activity form.
    let quiz_form = [
        ("activity_id", quiz.to_string()),
        ("activity[kind]", "quiz".to_owned()),
        ("activity[title]", "Verifica registrazione".to_owned()),
        ("activity[description]", String::new()),
        ("activity[opens_at]", String::new()),
        ("activity[due_at]", String::new()),
        ("activity[estimated_hours]", "0,5".to_owned()),
        ("activity[url]", String::new()),
        ("activity[body]", String::new()),
        ("activity[starts_at]", String::new()),
        ("activity[duration_minutes]", String::new()),
        ("activity[recording_url]", String::new()),
        ("activity[pass_percent]", "60".to_owned()),
        ("activity[max_attempts]", "2".to_owned()),
        ("activity[time_limit_minutes]", String::new()),
        ("activity[review_policy]", "after_submission".to_owned()),
        ("activity[confirms_webinar]", id.clone()),
    ];
    let form: Vec<(&str, &str)> = quiz_form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let attached = app.call("update_activity", &form, Some(&staff)).await;
    assert_eq!(attached.status, StatusCode::OK, "{}", attached.body);
    // Only a webinar of the same edition can be confirmed.
    let mut wrong = form.clone();
    let material = app
        .activity(edition, "material", "Guida", TimeDelta::zero())
        .await
        .to_string();
    wrong.retain(|(k, _)| *k != "activity[confirms_webinar]");
    wrong.push(("activity[confirms_webinar]", &material));
    let refused = app.call("update_activity", &wrong, Some(&staff)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("confirms_webinar"),
        "{}",
        refused.body
    );

    let page = app
        .call(
            "open_activity",
            &[("activity_id", &id)],
            Some(&anna_session),
        )
        .await
        .json();
    assert_eq!(page["catch_up"]["watched"], false);
    assert_eq!(page["catch_up"]["quiz_id"], quiz);
    assert_eq!(mark(anna_session.clone()).await.status, StatusCode::OK);
    assert_eq!(
        mark(anna_session.clone()).await.status,
        StatusCode::OK,
        "twice is fine"
    );
    assert_eq!(
        recording_view::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
    // Watching alone is not enough.
    assert_eq!(webinar_state(anna_session.clone()).await, "missed");

    // Anna passes the quiz: the webinar counts for her, and only for her.
    let attempt = app
        .call(
            "start_attempt",
            &[("activity_id", &quiz.to_string())],
            Some(&anna_session),
        )
        .await
        .json()
        .as_i64()
        .unwrap() as i32;
    let answers = [
        ("version".to_owned(), "1".to_owned()),
        (format!("q{}", questions[0]), "1".to_owned()),
        (format!("q{}", questions[1]), "true".to_owned()),
        (format!("q{}", questions[2]), "perché".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let sent = app.send_answers(attempt, &fields, &anna_session).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(
        webinar_state(anna_session.clone()).await,
        "watched_recording"
    );
    assert_eq!(webinar_state(bruno_session.clone()).await, "missed");
    let page = app
        .call(
            "open_activity",
            &[("activity_id", &id)],
            Some(&anna_session),
        )
        .await
        .json();
    assert_eq!(page["catch_up"]["done"], true);

    // Staff and ambassadors do not mark recordings; nor can anyone for a webinar they attended.
    let staff_mark = mark(staff.clone()).await;
    assert_eq!(staff_mark.status, StatusCode::FORBIDDEN);
    assert_eq!(error_kind(&staff_mark), "NotAllowed");
    let saved = app
        .call(
            "save_attendance",
            &[
                ("activity_id", &id),
                ("entries[0][user_id]", &bruno.to_string()),
                ("entries[0][present]", "on"),
                ("entries[0][minutes]", "60"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(webinar_state(bruno_session.clone()).await, "attended");
    assert_eq!(mark(bruno_session).await.status, StatusCode::CONFLICT);
}
