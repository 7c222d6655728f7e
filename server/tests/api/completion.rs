//! The completion rule: set by staff (with a confirmation when it changes who meets it), and
//! each participant's progress, always computed from current facts.

use crate::both_databases;
use crate::helpers::{Backend, QuizSetup, TestApp, error_kind};
use axum::http::StatusCode;
use chrono::TimeDelta;

both_databases!(progress_follows_the_rule_and_the_facts);

async fn progress_follows_the_rule_and_the_facts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let (bruno, bruno_session) = app.user("bruno@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[anna, bruno], &[]).await;
    let webinar = app
        .activity(edition, "webinar", "Webinar 1", -TimeDelta::hours(4))
        .await;
    let first = app
        .activity(
            edition,
            "task_sheet",
            "Il mio primo progetto",
            TimeDelta::zero(),
        )
        .await;
    app.activity(edition, "task_sheet", "Scheda 2", TimeDelta::zero())
        .await;
    let (quiz, questions) = app.quiz(edition, QuizSetup::default()).await;
    let id = edition.to_string();
    let progress = |session: String| {
        let id = id.clone();
        let app = &app;
        async move {
            app.call("load_my_progress", &[("edition_id", &id)], Some(&session))
                .await
                .json()
        }
    };

    // No rule yet: nobody meets it, and participants see no checklist.
    assert!(progress(anna_session.clone()).await.is_null());

    // Staff say nothing is required: everyone would meet it, which asks for a confirmation.
    let empty = app
        .call("save_completion_rule", &[("edition_id", &id)], Some(&staff))
        .await;
    assert_eq!(empty.status, StatusCode::CONFLICT, "{}", empty.body);
    assert!(empty.body.contains("\"changed\":2"), "{}", empty.body);
    assert!(
        progress(anna_session.clone()).await.is_null(),
        "not saved yet"
    );
    let confirmed = app
        .call(
            "save_completion_rule",
            &[("edition_id", &id), ("confirm", "2")],
            Some(&staff),
        )
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    assert_eq!(
        progress(anna_session.clone()).await["progress"]["met"],
        true
    );

    // Impossible thresholds are refused with a message per field.
    let bad = app
        .call(
            "save_completion_rule",
            &[
                ("edition_id", &id),
                ("rule[webinars]", "5"),
                ("rule[hours]", "molte"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("webinars") && bad.body.contains("hours"),
        "{}",
        bad.body
    );

    // The real rule would take the certificate away from both: staff must confirm.
    let quiz_field = format!("rule[quiz_{quiz}]");
    let including = format!("rule[including_{first}]");
    let rule = vec![
        ("edition_id", id.as_str()),
        ("rule[webinars]", "1"),
        ("rule[task_sheets]", "1"),
        (including.as_str(), "on"),
        (quiz_field.as_str(), "60"),
    ];
    let asked = app.call("save_completion_rule", &rule, Some(&staff)).await;
    assert_eq!(asked.status, StatusCode::CONFLICT, "{}", asked.body);
    assert_eq!(error_kind(&asked), "Refused");
    assert!(asked.body.contains("\"changed\":2"), "{}", asked.body);
    assert_eq!(
        progress(anna_session.clone()).await["progress"]["met"],
        true,
        "not saved yet"
    );
    let mut confirmed = rule.clone();
    confirmed.push(("confirm", "2"));
    let saved = app
        .call("save_completion_rule", &confirmed, Some(&staff))
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let mine = progress(anna_session.clone()).await;
    assert_eq!(mine["progress"]["met"], false);
    assert_eq!(mine["progress"]["percent"], 0);
    assert_eq!(mine["titles"][first.to_string()], "Il mio primo progetto");

    // Anna attends, has the named sheet accepted and passes the quiz: complete.
    let marked = app
        .call(
            "save_attendance",
            &[
                ("activity_id", &webinar.to_string()),
                ("entries[0][user_id]", &anna.to_string()),
                ("entries[0][present]", "on"),
                ("entries[0][minutes]", "80"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(marked.status, StatusCode::OK, "{}", marked.body);
    let sheet = app.submission(first, anna, 1, "submitted").await;
    let accepted = app
        .call(
            "review_submission",
            &[
                ("submission_id", &sheet.to_string()),
                ("decision", "accept"),
                ("feedback", ""),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK);
    let halfway = progress(anna_session.clone()).await;
    assert_eq!(halfway["progress"]["met"], false);
    let percent = halfway["progress"]["percent"].as_u64().unwrap();
    assert!(
        (60..100).contains(&percent),
        "two of three requirements: {percent}"
    );
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
        (format!("q{}", questions[2]), "x".to_owned()),
    ];
    let fields: Vec<(&str, &str)> = answers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    app.send_answers(attempt, &fields, &anna_session).await;
    let done = progress(anna_session.clone()).await;
    assert_eq!(done["progress"]["met"], true, "{done}");
    assert_eq!(done["progress"]["percent"], 100);
    assert_eq!(done["progress"]["requirements"][2]["achieved"], 66);

    // Bruno has done nothing: the named sheet is what he is missing, among the rest.
    let his = progress(bruno_session.clone()).await;
    assert_eq!(his["progress"]["requirements"][1]["missing"][0], first);

    // Staff see how many meet the rule; ambassadors and participants do not edit it.
    let admin = app
        .call("load_completion_rule", &[("edition_id", &id)], Some(&staff))
        .await
        .json();
    assert_eq!(
        (admin["met"].as_u64(), admin["participants"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(admin["form"][format!("quiz_{quiz}")], "60");
    // The cockpit shows where each one stands, and filters by it.
    let cockpit = app
        .call(
            "load_cockpit",
            &[("edition_id", &id), ("page", "1")],
            Some(&staff),
        )
        .await
        .json();
    let standings: Vec<(i64, String)> = cockpit["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["user_id"].as_i64().unwrap(),
                r["standing"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        standings.contains(&(i64::from(anna), "met".to_owned())),
        "{standings:?}"
    );
    assert!(
        standings
            .iter()
            .any(|(u, s)| *u == i64::from(bruno) && s != "met")
    );
    let only_met = app
        .call(
            "load_cockpit",
            &[("edition_id", &id), ("page", "1"), ("standing", "met")],
            Some(&staff),
        )
        .await
        .json();
    assert_eq!(only_met["rows"].as_array().unwrap().len(), 1);
    assert_eq!(only_met["rows"][0]["user_id"], anna);

    let refused = app
        .call(
            "save_completion_rule",
            &[("edition_id", &id)],
            Some(&anna_session),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
