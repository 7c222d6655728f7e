//! Webinars beyond attendance: speakers, the edition's attendance rules, and catching up on a
//! missed webinar with its recording and a check quiz.

use crate::both_databases;
use crate::helpers::{Backend, QuizSetup, TestApp};
use app::domain::Field;
use app::domain::activities::{ActivityForm, ActivityState};
use app::error::{AppError, Refusal};
use app::features::activities::api::{
    LoadActivitiesAdmin, MarkRecordingWatched, OpenActivity, SetSpeaker, UpdateActivity,
};
use app::features::attendance::api::{AttendanceEntry, SaveAttendance, SaveAttendanceRules};
use app::features::editions::api::EditionPage;
use app::features::quizzes::api::StartAttempt;
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
        .await;
    let set = |user_id: i32, assigned: bool| SetSpeaker {
        activity_id: webinar,
        user_id,
        assigned: assigned.to_string(),
    };
    assert_eq!(
        app.invoke(set(ambassador, true), Some(&staff)).await,
        Ok(())
    );
    // Twice changes nothing.
    assert_eq!(
        app.invoke(set(ambassador, true), Some(&staff)).await,
        Ok(())
    );
    assert_eq!(
        app.invoke(set(teacher, true), Some(&staff)).await,
        Err(AppError::Refused(Refusal::NotASpeaker))
    );

    let admin = app
        .invoke(
            LoadActivitiesAdmin {
                edition_id: edition,
            },
            Some(&staff),
        )
        .await
        .expect("the activities page");
    assert_eq!(admin.speakers.len(), 1);
    let choices: Vec<i32> = admin.speaker_choices.iter().map(|(id, _)| *id).collect();
    assert!(choices.contains(&ambassador) && !choices.contains(&teacher));
    let open = OpenActivity {
        activity_id: webinar,
    };
    let page = app
        .invoke(open.clone(), Some(&teacher_session))
        .await
        .expect("the webinar");
    assert_eq!(page.speakers, vec!["Maria Rossi amb@scuola.it".to_owned()]);

    assert_eq!(
        app.invoke(set(ambassador, false), Some(&staff)).await,
        Ok(())
    );
    let page = app
        .invoke(open, Some(&teacher_session))
        .await
        .expect("the webinar");
    assert!(page.speakers.is_empty());
}

async fn staff_set_the_attendance_rules(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    let rules = |min_minutes: &str, allow_recording: bool| SaveAttendanceRules {
        edition_id: edition,
        min_minutes: min_minutes.to_owned(),
        allow_recording: allow_recording.then(|| "on".to_owned()),
    };
    for bad in ["0", "tanti", "601"] {
        let answer = app.invoke(rules(bad, false), Some(&staff)).await;
        assert!(
            matches!(&answer, Err(AppError::Invalid(p)) if p.iter().all(|p| p.field == Field::MinMinutes)),
            "{bad}: {answer:?}"
        );
    }
    let stored = edition::Entity::find_by_id(edition)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.allow_recording);
    let before = stored.attendance_min_minutes;
    assert_ne!(before, 30);

    assert_eq!(app.invoke(rules("30", true), Some(&staff)).await, Ok(()));
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
    let mark = |session: String| {
        let app = &app;
        async move {
            let call = MarkRecordingWatched {
                activity_id: webinar,
            };
            app.invoke(call, Some(&session)).await
        }
    };
    let cannot = Err(AppError::Refused(Refusal::CannotCatchUp));
    let webinar_state = |session: String| {
        let app = &app;
        async move {
            app.invoke(
                EditionPage {
                    edition_id: edition,
                },
                Some(&session),
            )
            .await
            .expect("the participant's activities")
            .activities
            .expect("a participant")
            .activities
            .into_iter()
            .find(|a| a.id == webinar)
            .map(|a| a.state)
            .expect("the webinar")
        }
    };
    let open = |session: String| {
        let app = &app;
        async move {
            let call = OpenActivity {
                activity_id: webinar,
            };
            app.invoke(call, Some(&session)).await.expect("the webinar")
        }
    };

    // Not offered while the edition does not allow it, or without a recording or a quiz.
    let page = open(anna_session.clone()).await;
    assert_eq!(page.catch_up, None);
    assert_eq!(page.state, Some(ActivityState::Missed));
    assert_eq!(mark(anna_session.clone()).await, cannot);

    let rules = SaveAttendanceRules {
        edition_id: edition,
        min_minutes: "45".to_owned(),
        allow_recording: Some("on".to_owned()),
    };
    assert_eq!(app.invoke(rules, Some(&staff)).await, Ok(()));
    let mut recorded = activity::Entity::find_by_id(webinar)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    recorded.recording_url = Set(Some("https://video.example.org/webinar-1".to_owned()));
    recorded.update(&app.state.db).await.unwrap();
    assert_eq!(mark(anna_session.clone()).await, cannot, "no quiz yet");

    // Staff attach the quiz to the webinar through the activity form.
    let quiz_form = |confirms: i32| UpdateActivity {
        activity_id: quiz,
        activity: ActivityForm {
            kind: "quiz".to_owned(),
            title: "Verifica registrazione".to_owned(),
            estimated_hours: "0,5".to_owned(),
            pass_percent: "60".to_owned(),
            max_attempts: "2".to_owned(),
            review_policy: "after_submission".to_owned(),
            confirms_webinar: confirms.to_string(),
            // Open already: the test edition has not reached its first day.
            opens_at: (app::ssr::db::to_local(chrono::Utc::now()) - TimeDelta::days(1))
                .format("%Y-%m-%dT%H:%M")
                .to_string(),
            ..ActivityForm::default()
        },
    };
    assert_eq!(app.invoke(quiz_form(webinar), Some(&staff)).await, Ok(()));
    // Only a webinar of the same edition can be confirmed.
    let material = app
        .activity(edition, "material", "Guida", TimeDelta::zero())
        .await;
    let refused = app.invoke(quiz_form(material), Some(&staff)).await;
    assert!(
        matches!(&refused, Err(AppError::Invalid(p)) if p.iter().any(|p| p.field == Field::ConfirmsWebinar)),
        "{refused:?}"
    );

    let page = open(anna_session.clone()).await;
    let offered = page.catch_up.expect("catching up offered");
    assert!(!offered.watched);
    assert_eq!(offered.quiz_id, quiz);
    assert_eq!(mark(anna_session.clone()).await, Ok(()));
    assert_eq!(mark(anna_session.clone()).await, Ok(()), "twice is fine");
    assert_eq!(
        recording_view::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        1
    );
    // Watching alone is not enough.
    assert_eq!(
        webinar_state(anna_session.clone()).await,
        ActivityState::Missed
    );

    // Anna passes the quiz: the webinar counts for her, and only for her.
    let attempt = app
        .invoke(StartAttempt { activity_id: quiz }, Some(&anna_session))
        .await
        .expect("attempt started");
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
        ActivityState::WatchedRecording
    );
    assert_eq!(
        webinar_state(bruno_session.clone()).await,
        ActivityState::Missed
    );
    let page = open(anna_session.clone()).await;
    assert!(page.catch_up.is_some_and(|c| c.done));

    // Staff and ambassadors do not mark recordings; nor can anyone for a webinar they attended.
    assert_eq!(mark(staff.clone()).await, Err(AppError::NotAllowed));
    let present = SaveAttendance {
        activity_id: webinar,
        entries: vec![AttendanceEntry {
            user_id: bruno,
            present: Some("on".to_owned()),
            minutes: "60".to_owned(),
        }],
    };
    assert_eq!(app.invoke(present, Some(&staff)).await, Ok(1));
    assert_eq!(
        webinar_state(bruno_session.clone()).await,
        ActivityState::Attended
    );
    assert_eq!(mark(bruno_session).await, cannot);
}
