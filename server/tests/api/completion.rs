//! The completion rule: set by staff (with a confirmation when it changes who meets it), and
//! each participant's progress, always computed from current facts.

use crate::both_databases;
use crate::helpers::{Backend, QuizSetup, TestApp};
use app::domain::Field;
use app::domain::completion::Standing;
use app::error::{AppError, Refusal};
use app::features::attendance::api::{AttendanceEntry, SaveAttendance};
use app::features::cockpit::api::LoadCockpit;
use app::features::completion::api::{LoadCompletionRule, SaveCompletionRule};
use app::features::editions::api::EditionPage;
use app::features::quizzes::api::StartAttempt;
use app::features::submissions::api::ReviewSubmission;
use chrono::TimeDelta;
use std::collections::HashMap;

both_databases!(
    progress_follows_the_rule_and_the_facts,
    every_progress_bar_has_an_accessible_name
);

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
    let progress = |session: String| {
        let app = &app;
        async move {
            app.invoke(
                EditionPage {
                    edition_id: edition,
                },
                Some(&session),
            )
            .await
            .expect("the participant's progress")
            .progress
            .map(|mine| mine.progress)
        }
    };
    let save = |fields: &[(String, &str)], confirm: Option<u32>| SaveCompletionRule {
        edition_id: edition,
        rule: fields
            .iter()
            .map(|(k, v)| (k.clone(), (*v).to_owned()))
            .collect::<HashMap<String, String>>(),
        confirm,
    };

    // No rule yet: nobody meets it, and participants see no checklist.
    assert_eq!(progress(anna_session.clone()).await, None);

    // Staff say nothing is required: everyone would meet it, which asks for a confirmation.
    assert_eq!(
        app.invoke(save(&[], None), Some(&staff)).await,
        Err(AppError::Refused(Refusal::RuleChangesStatus { changed: 2 }))
    );
    assert_eq!(progress(anna_session.clone()).await, None, "not saved yet");
    assert_eq!(app.invoke(save(&[], Some(2)), Some(&staff)).await, Ok(2));
    assert!(progress(anna_session.clone()).await.expect("a rule").met);

    // Impossible thresholds are refused with a message per field.
    let bad = app
        .invoke(
            save(
                &[("webinars".to_owned(), "5"), ("hours".to_owned(), "molte")],
                None,
            ),
            Some(&staff),
        )
        .await;
    let Err(AppError::Invalid(problems)) = bad else {
        panic!("expected problems, got {bad:?}")
    };
    let fields: Vec<Field> = problems.iter().map(|p| p.field).collect();
    assert!(
        fields.contains(&Field::Webinars) && fields.contains(&Field::Hours),
        "{problems:?}"
    );

    // The real rule would take the certificate away from both: staff must confirm.
    let rule = [
        ("webinars".to_owned(), "1"),
        ("task_sheets".to_owned(), "1"),
        (format!("including_{first}"), "on"),
        (format!("quiz_{quiz}"), "60"),
    ];
    assert_eq!(
        app.invoke(save(&rule, None), Some(&staff)).await,
        Err(AppError::Refused(Refusal::RuleChangesStatus { changed: 2 }))
    );
    assert!(
        progress(anna_session.clone()).await.expect("a rule").met,
        "not saved yet"
    );
    assert_eq!(app.invoke(save(&rule, Some(2)), Some(&staff)).await, Ok(2));
    let mine = app
        .invoke(
            EditionPage {
                edition_id: edition,
            },
            Some(&anna_session),
        )
        .await
        .expect("her progress")
        .progress
        .expect("a rule");
    assert!(!mine.progress.met);
    assert_eq!(mine.progress.percent, 0);
    assert_eq!(
        mine.titles.get(&first).map(String::as_str),
        Some("Il mio primo progetto")
    );

    // Anna attends, has the named sheet accepted and passes the quiz: complete.
    let mark = SaveAttendance {
        activity_id: webinar,
        entries: vec![AttendanceEntry {
            user_id: anna,
            present: Some("on".to_owned()),
            minutes: "80".to_owned(),
        }],
    };
    assert_eq!(app.invoke(mark, Some(&staff)).await, Ok(1));
    let sheet = app.submission(first, anna, 1, "submitted").await;
    let accept = ReviewSubmission {
        submission_id: sheet,
        decision: "accept".to_owned(),
        feedback: String::new(),
    };
    assert_eq!(app.invoke(accept, Some(&staff)).await, Ok(()));
    let halfway = progress(anna_session.clone()).await.expect("a rule");
    assert!(!halfway.met);
    assert!(
        (60..100).contains(&halfway.percent),
        "two of three requirements: {}",
        halfway.percent
    );
    let attempt = app
        .invoke(StartAttempt { activity_id: quiz }, Some(&anna_session))
        .await
        .expect("attempt started");
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
    let done = progress(anna_session.clone()).await.expect("a rule");
    assert!(done.met, "{done:?}");
    assert_eq!(done.percent, 100);
    assert_eq!(done.requirements[2].achieved, 66);

    // Bruno has done nothing: the named sheet is what he is missing, among the rest.
    let his = progress(bruno_session.clone()).await.expect("a rule");
    assert_eq!(his.requirements[1].missing[0], first);

    // Staff see how many meet the rule; ambassadors and participants do not edit it.
    let admin = app
        .invoke(
            LoadCompletionRule {
                edition_id: edition,
                person: None,
            },
            Some(&staff),
        )
        .await
        .expect("the rule's page");
    assert_eq!((admin.met, admin.participants), (1, 2));
    assert_eq!(
        admin.form.get(&format!("quiz_{quiz}")).map(String::as_str),
        Some("60")
    );
    // The cockpit shows where each one stands, and filters by it.
    let cockpit = |standing: Option<Standing>| {
        let app = &app;
        let staff = staff.clone();
        let call = LoadCockpit {
            edition_id: edition,
            group: None,
            page: 1,
            standing,
        };
        async move { app.invoke(call, Some(&staff)).await.expect("the cockpit") }
    };
    let all = cockpit(None).await;
    let standings: Vec<(i32, Option<Standing>)> =
        all.rows.iter().map(|r| (r.user_id, r.standing)).collect();
    assert!(
        standings.contains(&(anna, Some(Standing::Met))),
        "{standings:?}"
    );
    assert!(
        standings
            .iter()
            .any(|(u, s)| *u == bruno && *s != Some(Standing::Met))
    );
    let only_met = cockpit(Some(Standing::Met)).await;
    assert_eq!(only_met.rows.len(), 1);
    assert_eq!(only_met.rows[0].user_id, anna);

    assert_eq!(
        app.invoke(save(&[], None), Some(&anna_session)).await,
        Err(AppError::NotAllowed)
    );
}

/// A progress bar without a name is read out as a bare number (axe: aria-progressbar-name):
/// every one on the participant's edition page is named by a visible heading or a label.
async fn every_progress_bar_has_an_accessible_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, anna_session) = app.user("anna@scuola.it", false, false).await;
    let edition = app.completed_edition(&staff, &[anna]).await;
    let page = app
        .get(&format!("/editions/{edition}"), Some(&anna_session))
        .await;
    let bars: Vec<&str> = page
        .body
        .match_indices("role=\"progressbar\"")
        .map(|(at, _)| {
            let start = page.body[..at].rfind('<').unwrap_or(0);
            let end = at + page.body[at..].find('>').unwrap_or(0);
            &page.body[start..end]
        })
        .collect();
    assert!(!bars.is_empty(), "her progress is shown");
    for bar in bars {
        assert!(
            bar.contains("aria-labelledby=\"") || bar.contains("aria-label=\""),
            "a progress bar without a name: {bar}"
        );
    }
}
