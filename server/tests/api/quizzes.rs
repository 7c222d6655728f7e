use crate::both_databases;
use crate::helpers::{Backend, QuizSetup, TestApp, error_kind, location};
use app::ssr::entities::{activity, quiz_attempt};
use axum::http::StatusCode;
use chrono::{TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter,
};

both_databases!(
    answers_and_scores_stay_hidden_until_the_review_moment,
    an_attempt_is_recorded_once,
    late_answers_are_refused_and_attempts_are_limited,
    staff_write_questions_and_see_statistics,
    right_answers_wait_until_no_attempt_is_left,
    a_quiz_opens_with_its_edition_unless_staff_open_it,
    new_quizzes_offer_a_fixed_number_of_attempts,
    shuffled_options_do_not_give_away_the_authors_order,
    the_review_keeps_the_order_of_the_attempt,
);

struct Quiz {
    app: TestApp,
    quiz: i32,
    questions: Vec<i32>,
    anna: (i32, String),
    bruno: (i32, String),
    staff: String,
}

async fn quiz(backend: Backend, setup: QuizSetup) -> Quiz {
    let app = TestApp::spawn(backend).await;
    let anna = app.user("anna@scuola.it", false, false).await;
    let bruno = app.user("bruno@scuola.it", false, false).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    app.group(edition, "A", &[anna.0, bruno.0], &[]).await;
    let (quiz, questions) = app.quiz(edition, setup).await;
    Quiz {
        app,
        quiz,
        questions,
        anna,
        bruno,
        staff,
    }
}

impl Quiz {
    async fn start(&self, session: &str) -> crate::helpers::Response {
        self.app
            .call(
                "start_attempt",
                &[("activity_id", &self.quiz.to_string())],
                Some(session),
            )
            .await
    }

    async fn view(&self, session: &str) -> crate::helpers::Response {
        self.app
            .call(
                "load_quiz",
                &[("activity_id", &self.quiz.to_string())],
                Some(session),
            )
            .await
    }

    /// The right answers to the three questions (single choice index 1, true, "perché").
    fn right_answers(&self, version: &str) -> Vec<(String, String)> {
        vec![
            ("version".into(), version.into()),
            ("activity_id".into(), self.quiz.to_string()),
            (format!("q{}", self.questions[0]), "1".into()),
            (format!("q{}", self.questions[1]), "true".into()),
            // Case and accents do not matter.
            (format!("q{}", self.questions[2]), "  PERCHE ".into()),
        ]
    }

    async fn send(&self, attempt: i32, fields: &[(String, String)], session: &str) -> String {
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let response = self.app.send_answers(attempt, &fields, session).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let to = location(&response);
        to.split("quiz=")
            .nth(1)
            .and_then(|rest| rest.split('#').next())
            .unwrap_or_else(|| panic!("no outcome in {to}"))
            .to_owned()
    }

    async fn attempts(&self, user: i32) -> Vec<quiz_attempt::Model> {
        quiz_attempt::Entity::find()
            .filter(quiz_attempt::Column::ActivityId.eq(self.quiz))
            .filter(quiz_attempt::Column::UserId.eq(user))
            .all(&self.app.state.db)
            .await
            .unwrap()
    }
}

/// Whatever reveals a right answer: the accepted short answer, the grading keys.
fn assert_no_answers(body: &str, what: &str) {
    for secret in [
        "perch",
        "\"correct\"",
        "\"solution\"",
        "\"percent\":1",
        "\"passed\"",
    ] {
        assert!(!body.contains(secret), "{what} reveals {secret}: {body}");
    }
}

async fn answers_and_scores_stay_hidden_until_the_review_moment(backend: Backend) {
    let q = quiz(
        backend,
        QuizSetup {
            review: "after_close",
            due_in: Some(TimeDelta::days(2)),
            ..QuizSetup::default()
        },
    )
    .await;
    let session = &q.anna.1;
    let started = q.start(session).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let attempt = started.json().as_i64().unwrap() as i32;

    // While answering: the questions and options, nothing that grades them.
    let view = q.view(session).await;
    assert!(view.body.contains("Capitale d'Italia?"), "{}", view.body);
    assert!(view.body.contains("Torino"));
    assert_no_answers(&view.body, "the running quiz");
    let page = q
        .app
        .get(&format!("/activities/{}", q.quiz), Some(session))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Capitale d"), "the page shows the quiz");
    assert_no_answers(&page.body, "the quiz page");

    let version = q.attempts(q.anna.0).await[0].version.to_string();
    assert_eq!(
        q.send(attempt, &q.right_answers(&version), session).await,
        "submitted"
    );
    let stored = &q.attempts(q.anna.0).await[0];
    assert_eq!(
        (stored.points, stored.max_points, stored.passed),
        (Some(3), Some(3), Some(true))
    );

    // Graded, but the quiz is still open: no score, no solutions yet.
    let view = q.view(session).await;
    assert!(view.json()["past"][0]["score"].is_null(), "{}", view.body);
    assert!(!view.json()["results_from"].is_null());
    assert_no_answers(&view.body, "the quiz before it closes");
    let page = q
        .app
        .get(&format!("/activities/{}", q.quiz), Some(session))
        .await;
    assert_no_answers(&page.body, "the quiz page before it closes");

    // Once it closes, the results and the right answers are there.
    let mut closing = activity::Entity::find_by_id(q.quiz)
        .one(&q.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    closing.due_at = Set(Some(Utc::now() - TimeDelta::minutes(5)));
    closing.update(&q.app.state.db).await.unwrap();
    let view = q.view(session).await.json();
    let score = &view["past"][0]["score"];
    assert_eq!(score["percent"], 100, "{view}");
    assert_eq!(score["passed"], true);
    assert_eq!(score["questions"][2]["solution"], "perché");
    assert_eq!(view["may_start"], "Closed");
}

async fn an_attempt_is_recorded_once(backend: Backend) {
    let q = quiz(backend, QuizSetup::default()).await;
    let session = &q.anna.1;

    // Two "start" clicks at once: one attempt.
    let (first, second) = tokio::join!(q.start(session), q.start(session));
    for response in [&first, &second] {
        assert!(
            [StatusCode::OK, StatusCode::CONFLICT].contains(&response.status),
            "{}",
            response.body
        );
    }
    let ids: Vec<i64> = [first, second]
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .map(|r| r.json().as_i64().unwrap())
        .collect();
    assert!(!ids.is_empty());
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
    assert_eq!(q.attempts(q.anna.0).await.len(), 1);
    let attempt = ids[0] as i32;

    // Immediate review: the score comes with the answer. A double click (two requests at
    // once with the same answers) records it once and reports success to both.
    let answers = q.right_answers("1");
    let (a, b) = tokio::join!(
        q.send(attempt, &answers, session),
        q.send(attempt, &answers, session)
    );
    assert_eq!((a.as_str(), b.as_str()), ("submitted", "submitted"));
    let stored = q.attempts(q.anna.0).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].version, 2);
    assert_eq!(stored[0].percent, Some(100));

    // Different answers from a stale tab are refused and change nothing.
    let mut wrong = q.right_answers("1");
    wrong[2].1 = "0".into();
    assert_eq!(q.send(attempt, &wrong, session).await, "already");
    let stored = q.attempts(q.anna.0).await;
    assert_eq!(stored[0].percent, Some(100));
    let view = q.view(session).await.json();
    assert_eq!(view["past"][0]["score"]["percent"], 100);
    assert_eq!(view["attempts_used"], 1);

    // Someone else's attempt does not exist for Bruno.
    let theirs = q
        .app
        .send_answers(attempt, &[("version", "2")], &q.bruno.1)
        .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    let unknown = q
        .app
        .send_answers(987_654, &[("version", "1")], session)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn late_answers_are_refused_and_attempts_are_limited(backend: Backend) {
    let q = quiz(
        backend,
        QuizSetup {
            time_limit_minutes: Some(10),
            max_attempts: Some(2),
            ..QuizSetup::default()
        },
    )
    .await;
    let session = &q.anna.1;
    let attempt = q.start(session).await.json().as_i64().unwrap() as i32;

    // The time limit is the server's: an attempt started 11 minutes ago is over.
    let mut earlier = quiz_attempt::Entity::find_by_id(attempt)
        .one(&q.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    earlier.started_at = Set(Utc::now() - TimeDelta::minutes(11));
    earlier.update(&q.app.state.db).await.unwrap();
    assert_eq!(
        q.send(attempt, &q.right_answers("1"), session).await,
        "too_late"
    );
    let stored = &q.attempts(q.anna.0).await[0];
    assert!(stored.answers.is_none(), "late answers are not kept");
    assert_eq!((stored.percent, stored.passed), (Some(0), Some(false)));

    // The second and last attempt, in time.
    let second = q.start(session).await.json().as_i64().unwrap() as i32;
    assert_ne!(second, attempt);
    assert_eq!(
        q.send(second, &q.right_answers("1"), session).await,
        "submitted"
    );
    let refused = q.start(session).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(error_kind(&refused), "Refused");
    assert!(refused.body.contains("NoAttemptsLeft"), "{}", refused.body);
    assert_eq!(q.attempts(q.anna.0).await.len(), 2);
    let view = q.view(session).await.json();
    assert_eq!(view["may_start"], "NoAttemptsLeft");
    assert_eq!(view["past"][0]["expired"], true);

    // Bruno's own attempts are untouched; ambassadors and staff do not take quizzes.
    assert!(q.attempts(q.bruno.0).await.is_empty());
    assert_eq!(q.start(&q.staff).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        q.app
            .call("start_attempt", &[("activity_id", "424242")], Some(session))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

async fn staff_write_questions_and_see_statistics(backend: Backend) {
    let q = quiz(backend, QuizSetup::default()).await;
    let quiz = q.quiz.to_string();
    let save = |fields: Vec<(&'static str, &'static str)>| {
        let quiz = quiz.clone();
        let staff = q.staff.clone();
        let app = &q.app;
        async move {
            let mut form = vec![("activity_id", quiz.as_str()), ("question_id", "0")];
            form.extend(fields);
            app.call("save_question", &form, Some(&staff)).await
        }
    };

    // Two right options for a single choice: refused with a message for the options.
    let bad = save(vec![
        ("question[kind]", "single"),
        ("question[prompt]", "Quale?"),
        ("question[points]", "2"),
        ("question[options]", "*Uno\n*Due\nTre"),
    ])
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("options"), "{}", bad.body);
    let good = save(vec![
        ("question[kind]", "multiple"),
        ("question[prompt]", "Strumenti di videoscrittura?"),
        ("question[points]", "2"),
        ("question[options]", "*Writer\nPaint\n*Docs"),
    ])
    .await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);

    // Anna answers: two right, one wrong, the new one right.
    let attempt = q.start(&q.anna.1).await.json().as_i64().unwrap() as i32;
    let new_id = good.json().as_i64().unwrap();
    let mut answers = q.right_answers("1");
    answers[4].1 = "perciò".into();
    answers.push((format!("q{new_id}"), "0".into()));
    answers.push((format!("q{new_id}"), "2".into()));
    assert_eq!(q.send(attempt, &answers, &q.anna.1).await, "submitted");
    let stored = &q.attempts(q.anna.0).await[0];
    // 1 + 1 + 0 + 2 of 5 points: 80%.
    assert_eq!(
        (stored.points, stored.max_points, stored.percent),
        (Some(4), Some(5), Some(80))
    );

    let admin = q
        .app
        .call("load_quiz_admin", &[("activity_id", &quiz)], Some(&q.staff))
        .await
        .json();
    let questions = admin["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 4);
    assert_eq!(
        (
            questions[0]["answered"].as_i64(),
            questions[0]["right"].as_i64()
        ),
        (Some(1), Some(1))
    );
    assert_eq!(
        (
            questions[2]["answered"].as_i64(),
            questions[2]["right"].as_i64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(questions[3]["form"]["options"], "*Writer\nPaint\n*Docs");
    assert_eq!(admin["attempts"][0]["percent"], 80);

    // Unknown question ids are not found, and change nothing.
    let unknown = q
        .app
        .call(
            "delete_question",
            &[("question_id", "999999")],
            Some(&q.staff),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

/// A participant who hands in a blank attempt with attempts still left sees her score but not
/// one right answer (she could copy them into the next attempt); with none left, she does.
async fn right_answers_wait_until_no_attempt_is_left(backend: Backend) {
    let q = quiz(backend, QuizSetup::default()).await;
    let session = &q.anna.1;
    let blank = |version: &str| {
        vec![
            ("version".to_owned(), version.to_owned()),
            ("activity_id".to_owned(), q.quiz.to_string()),
        ]
    };
    let first = q.start(session).await.json().as_i64().unwrap() as i32;
    let version = q.attempts(q.anna.0).await[0].version.to_string();
    assert_eq!(q.send(first, &blank(&version), session).await, "submitted");

    let view = q.view(session).await;
    assert_no_answers_but_score(&view.body, "the quiz with an attempt left");
    let json = view.json();
    assert_eq!(json["past"][0]["score"]["percent"], 0, "{}", view.body);
    assert_eq!(json["solutions_later"], true);
    let page = q
        .app
        .get(&format!("/activities/{}", q.quiz), Some(session))
        .await;
    assert_no_answers_but_score(&page.body, "the quiz page with an attempt left");
    assert!(
        page.body.contains("Le risposte corrette saranno visibili"),
        "the page says when the answers come"
    );

    let second = q.start(session).await.json().as_i64().unwrap() as i32;
    let version = q.attempts(q.anna.0).await[1].version.to_string();
    assert_eq!(q.send(second, &blank(&version), session).await, "submitted");
    let view = q.view(session).await.json();
    assert_eq!(view["solutions_later"], false);
    assert_eq!(
        view["past"][1]["score"]["questions"][2]["solution"],
        "perché"
    );
}

/// What would give a right answer away, a score aside.
fn assert_no_answers_but_score(body: &str, what: &str) {
    for secret in ["perch", "\"correct\"", "\"solution\""] {
        assert!(!body.contains(secret), "{what} reveals {secret}: {body}");
    }
}

/// The test editions start in a week: a quiz with no opening time of its own cannot be
/// started before then; once staff open it, it can.
async fn a_quiz_opens_with_its_edition_unless_staff_open_it(backend: Backend) {
    let q = quiz(
        backend,
        QuizSetup {
            opens_in: None,
            ..QuizSetup::default()
        },
    )
    .await;
    let session = &q.anna.1;
    let refused = q.start(session).await;
    assert_eq!(error_kind(&refused), "Refused", "{}", refused.body);
    assert!(refused.body.contains("NotOpenYet"), "{}", refused.body);
    assert!(q.attempts(q.anna.0).await.is_empty());
    assert_eq!(q.view(session).await.json()["may_start"], "NotOpenYet");

    let mut opening = activity::Entity::find_by_id(q.quiz)
        .one(&q.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into_active_model();
    opening.opens_at = Set(Some(Utc::now() - TimeDelta::minutes(1)));
    opening.update(&q.app.state.db).await.unwrap();
    let started = q.start(session).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
}

/// The form for a new activity suggests a fixed number of attempts for a quiz.
async fn new_quizzes_offer_a_fixed_number_of_attempts(backend: Backend) {
    let q = quiz(backend, QuizSetup::default()).await;
    let edition = activity::Entity::find_by_id(q.quiz)
        .one(&q.app.state.db)
        .await
        .unwrap()
        .unwrap()
        .edition_id;
    let page = q
        .app
        .get(
            &format!("/staff/editions/{edition}/activities"),
            Some(&q.staff),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let field = page
        .body
        .split("<input")
        .find(|tag| {
            tag.split('>')
                .next()
                .is_some_and(|input| input.contains("id=\"f-new-activity-max_attempts\""))
        })
        .unwrap_or_else(|| panic!("no attempts field for a new activity: {}", page.body));
    let input = field.split('>').next().unwrap_or_default();
    assert!(input.contains("value=\"3\""), "{input}");
}

/// With shuffling on, the options travel numbered in the order shown: the numbers carry
/// nothing of the author's order (authors often put the right answer first). Choosing an
/// option by its shown number still grades as that option.
async fn shuffled_options_do_not_give_away_the_authors_order(backend: Backend) {
    let q = quiz(
        backend,
        QuizSetup {
            shuffle: true,
            max_attempts: Some(20),
            ..QuizSetup::default()
        },
    )
    .await;
    let session = &q.anna.1;
    // Several attempts: each has its own order, and none may show the author's numbers.
    for round in 0..4 {
        let attempt = q.start(session).await.json().as_i64().unwrap() as i32;
        let view = q.view(session).await.json();
        let questions = view["running"]["questions"]
            .as_array()
            .expect("questions")
            .clone();
        let choice = questions
            .iter()
            .find(|question| question["id"] == q.questions[0])
            .expect("the single-choice question");
        let options = choice["shape"]["SingleChoice"].as_array().expect("options");
        let numbers: Vec<i64> = options.iter().map(|o| o[0].as_i64().unwrap()).collect();
        assert_eq!(numbers, vec![0, 1, 2], "round {round}: {choice}");
        let roma = options
            .iter()
            .find(|o| o[1] == "Roma")
            .map(|o| o[0].as_i64().unwrap().to_string())
            .expect("Roma is offered");

        let version = q
            .attempts(q.anna.0)
            .await
            .into_iter()
            .find(|a| a.id == attempt)
            .expect("the attempt")
            .version
            .to_string();
        let mut answers = q.right_answers(&version);
        answers[2].1 = roma;
        assert_eq!(q.send(attempt, &answers, session).await, "submitted");
        let stored = q
            .attempts(q.anna.0)
            .await
            .into_iter()
            .find(|a| a.id == attempt)
            .expect("the attempt");
        assert_eq!(
            stored.points,
            Some(3),
            "round {round}: Roma counts as right"
        );
    }
}

/// The review after submission lists the questions in the order the attempt showed them, so
/// "question 2" is the same question in both.
async fn the_review_keeps_the_order_of_the_attempt(backend: Backend) {
    let q = quiz(
        backend,
        QuizSetup {
            shuffle: true,
            max_attempts: Some(1),
            ..QuizSetup::default()
        },
    )
    .await;
    let session = &q.anna.1;
    let attempt = q.start(session).await.json().as_i64().unwrap() as i32;
    let view = q.view(session).await.json();
    let shown: Vec<String> = view["running"]["questions"]
        .as_array()
        .expect("questions")
        .iter()
        .map(|question| question["prompt"].as_str().unwrap().to_owned())
        .collect();
    let version = view["running"]["version"].as_i64().unwrap().to_string();
    assert_eq!(
        q.send(attempt, &q.right_answers(&version), session).await,
        "submitted"
    );
    let view = q.view(session).await.json();
    let reviewed: Vec<String> = view["past"][0]["score"]["questions"]
        .as_array()
        .expect("the review, question by question")
        .iter()
        .map(|question| question["prompt"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(reviewed, shown);
}
