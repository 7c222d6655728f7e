use crate::both_databases;
use crate::helpers::{Backend, TestApp, error_kind};
use app::domain::enrolment::{EnrolRefusal, EnrolmentStatus, WithdrawRefusal};
use app::error::{AppError, Refusal};
use app::features::editions::api::{EditionPage, OpenEditions, UpdateEdition};
use app::features::enrolment::api::{Enrol, MyEnrolment, Withdraw};
use app::features::home::api::LoadHome;
use app::ssr::entities::{edition, enrolment};
use axum::http::StatusCode;
use chrono::Days;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

both_databases!(
    places_then_waiting_list_then_promotion,
    enrolling_twice_is_harmless,
    enrolment_respects_status_and_window,
    racing_for_the_last_place_only_one_wins,
    raising_the_capacity_promotes_those_waiting,
    home_page_lists_my_editions,
    a_visitor_browsing_the_catalogue_sees_the_edition_and_signs_up_into_it,
);

async fn statuses(app: &TestApp, edition_id: i32) -> Vec<(i32, String)> {
    let mut rows: Vec<(i32, String)> = enrolment::Entity::find()
        .filter(enrolment::Column::EditionId.eq(edition_id))
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.user_id, e.status.as_str().to_owned()))
        .collect();
    rows.sort();
    rows
}

async fn places_then_waiting_list_then_promotion(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 2).await;
    let mut users = Vec::new();
    for n in 0..4 {
        users.push(app.user(&format!("p{n}@scuola.it"), false, false).await);
    }
    let mut answers = Vec::new();
    for (_, token) in &users {
        let mine = app
            .invoke(
                Enrol {
                    edition_id: edition,
                },
                Some(token),
            )
            .await;
        answers.push(mine.expect("enrolled or in line"));
    }
    let enrolled = MyEnrolment {
        status: EnrolmentStatus::Enrolled,
        position: None,
    };
    let waiting = |position: u64| MyEnrolment {
        status: EnrolmentStatus::Waitlisted,
        position: Some(position),
    };
    assert_eq!(
        answers,
        vec![enrolled, enrolled, waiting(1), waiting(2)],
        "each told their place, or their position in line"
    );

    // The first withdraws: the first in line takes the place, the second moves up.
    let withdraw = Withdraw {
        edition_id: edition,
    };
    app.invoke(withdraw.clone(), Some(&users[0].1))
        .await
        .expect("withdrawn");
    let now = statuses(&app, edition).await;
    assert_eq!(now[0], (users[0].0, "withdrawn".to_owned()));
    assert_eq!(now[2], (users[2].0, "enrolled".to_owned()));
    assert_eq!(now[3], (users[3].0, "waitlisted".to_owned()));
    let page = app
        .invoke(
            EditionPage {
                edition_id: edition,
            },
            Some(&users[3].1),
        )
        .await
        .expect("the edition page");
    assert_eq!(page.mine, Some(waiting(1)));

    // Someone waiting who withdraws frees no place.
    app.invoke(withdraw.clone(), Some(&users[3].1))
        .await
        .expect("withdrawn");
    let after = statuses(&app, edition).await;
    assert_eq!(after.iter().filter(|(_, s)| s == "enrolled").count(), 2);
    // Withdrawing twice is harmless.
    let again = app.invoke(withdraw, Some(&users[3].1)).await;
    assert_eq!(again, Ok(()));
}

async fn enrolling_twice_is_harmless(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 5).await;
    let (_, token) = app.user("twice@scuola.it", false, false).await;
    let page = EditionPage {
        edition_id: edition,
    };
    // Before enrolling, the page knows who asks (and that they have no enrolment yet).
    let known = app
        .invoke(page.clone(), Some(&token))
        .await
        .expect("the edition page");
    assert_eq!((known.signed_in, known.mine), (true, None));
    let anonymous = app.invoke(page, None).await.expect("the edition page");
    assert!(!anonymous.signed_in);
    let enrol = Enrol {
        edition_id: edition,
    };
    let first = app.invoke(enrol.clone(), Some(&token)).await;
    let second = app.invoke(enrol, Some(&token)).await;
    assert!(first.is_ok());
    assert_eq!(first, second);
    assert_eq!(statuses(&app, edition).await.len(), 1);
}

async fn enrolment_respects_status_and_window(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let (_, token) = app.user("late@scuola.it", false, false).await;

    let enrol = |edition_id: i32| Enrol { edition_id };
    let running = app.edition(course, "running", 5).await;
    assert_eq!(
        app.invoke(enrol(running), Some(&token)).await,
        Err(AppError::Refused(Refusal::Enrol(
            EnrolRefusal::EditionNotOpen
        )))
    );

    let draft = app.edition(course, "draft", 5).await;
    assert_eq!(
        app.invoke(enrol(draft), Some(&token)).await,
        Err(AppError::NotFound),
        "drafts are invisible to participants"
    );

    let late = app.edition(course, "open", 5).await;
    let model = edition::Entity::find_by_id(late)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let yesterday = app::ssr::db::today_in_rome()
        .checked_sub_days(Days::new(1))
        .unwrap();
    let mut active: edition::ActiveModel = model.into();
    active.enrolment_opens_on = Set(yesterday.checked_sub_days(Days::new(10)).unwrap());
    active.enrolment_closes_on = Set(yesterday);
    active.update(&app.state.db).await.unwrap();
    assert_eq!(
        app.invoke(enrol(late), Some(&token)).await,
        Err(AppError::Refused(Refusal::Enrol(
            EnrolRefusal::EnrolmentClosed
        )))
    );
    assert_eq!(
        app.invoke(enrol(424_242), Some(&token)).await,
        Err(AppError::NotFound)
    );
    // Malformed arguments, as only a hand-made request sends them.
    let junk = app
        .call("enrol", &[("edition_id", "tre")], Some(&token))
        .await;
    assert_eq!(junk.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_kind(&junk), "Transport");
    assert!(
        enrolment::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty(),
        "nothing changed"
    );

    // Once the edition is over, nobody can withdraw.
    let closed = app.edition(course, "open", 5).await;
    app.invoke(enrol(closed), Some(&token))
        .await
        .expect("enrolled");
    edition::Entity::update_many()
        .col_expr(
            edition::Column::Status,
            sea_orm::sea_query::Expr::value("closed"),
        )
        .filter(edition::Column::Id.eq(closed))
        .exec(&app.state.db)
        .await
        .unwrap();
    assert_eq!(
        app.invoke(Withdraw { edition_id: closed }, Some(&token))
            .await,
        Err(AppError::Refused(Refusal::Withdraw(
            WithdrawRefusal::EditionOver
        )))
    );
}

/// Twelve participants race for one place, all at once: exactly one gets it, the others are
/// in line with distinct positions.
async fn racing_for_the_last_place_only_one_wins(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::spawn(backend).await);
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 1).await;
    let mut tokens = Vec::new();
    for n in 0..12 {
        tokens.push(
            app.user(&format!("race{n}@scuola.it"), false, false)
                .await
                .1,
        );
    }
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let app = app.clone();
            tokio::spawn(async move {
                app.invoke(
                    Enrol {
                        edition_id: edition,
                    },
                    Some(&token),
                )
                .await
            })
        })
        .collect();
    let mut enrolled = 0;
    let mut positions = Vec::new();
    for task in tasks {
        let mine = task.await.unwrap().expect("enrolled or in line");
        match (mine.status, mine.position) {
            (EnrolmentStatus::Enrolled, None) => enrolled += 1,
            (EnrolmentStatus::Waitlisted, Some(position)) => positions.push(position),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(enrolled, 1, "one place, one winner");
    positions.sort();
    assert_eq!(positions, (1..=11).collect::<Vec<u64>>());
    let stored = statuses(&app, edition).await;
    assert_eq!(stored.iter().filter(|(_, s)| s == "enrolled").count(), 1);
    assert_eq!(stored.len(), 12);
}

async fn raising_the_capacity_promotes_those_waiting(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 1).await;
    for n in 0..4 {
        let (_, token) = app.user(&format!("w{n}@scuola.it"), false, false).await;
        app.invoke(
            Enrol {
                edition_id: edition,
            },
            Some(&token),
        )
        .await
        .expect("enrolled or in line");
    }
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let model = edition::Entity::find_by_id(edition)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let bigger = UpdateEdition {
        edition_id: edition,
        title: "Edizione più grande".to_owned(),
        enrolment_opens_on: model.enrolment_opens_on.to_string(),
        enrolment_closes_on: model.enrolment_closes_on.to_string(),
        starts_on: model.starts_on.to_string(),
        ends_on: model.ends_on.to_string(),
        capacity: "3".to_owned(),
    };
    app.invoke(bigger, Some(&staff)).await.expect("updated");
    let now = statuses(&app, edition).await;
    assert_eq!(now.iter().filter(|(_, s)| s == "enrolled").count(), 3);
    assert_eq!(now.iter().filter(|(_, s)| s == "waitlisted").count(), 1);
}

async fn home_page_lists_my_editions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 1).await;
    let (_, first) = app.user("first@scuola.it", false, false).await;
    let (_, second) = app.user("second@scuola.it", false, false).await;
    for token in [&first, &second] {
        app.invoke(
            Enrol {
                edition_id: edition,
            },
            Some(token),
        )
        .await
        .expect("enrolled or in line");
    }
    let mine = app
        .invoke(LoadHome {}, Some(&second))
        .await
        .expect("the home page's data")
        .mine
        .expect("signed in")
        .editions;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].mine.status, EnrolmentStatus::Waitlisted);
    assert_eq!(mine[0].summary.title, "Edizione open");
    assert_eq!(mine[0].summary.course_title, "Corso ETW-BASE");
    assert_eq!((mine[0].summary.enrolled, mine[0].summary.waiting), (1, 1));
    // The catalogue counts each edition's own enrolments, in the order editions start.
    let other = app.course("ETW-PLUS").await;
    let empty = app.edition(other, "open", 5).await;
    let catalogue = app.invoke(OpenEditions {}, None).await.expect("catalogue");
    let seen: Vec<_> = catalogue
        .iter()
        .map(|e| (e.id, e.course_title.as_str(), e.enrolled, e.waiting))
        .collect();
    assert_eq!(
        seen,
        [
            (edition, "Corso ETW-BASE", 1, 1),
            (empty, "Corso ETW-PLUS", 0, 0)
        ]
    );
    let page = app.get("/", Some(&second)).await;
    assert!(page.body.contains("Le mie edizioni"));
    assert!(
        page.body.contains("In lista d&#x27;attesa (posizione 1)")
            || page.body.contains("In lista d'attesa (posizione 1)"),
        "{}",
        page.body
    );
}

/// Someone browsing the catalogue opens an edition: the page answers 200 with no error box,
/// offers both sign-up and sign-in, and both carry her back to the edition afterwards.
async fn a_visitor_browsing_the_catalogue_sees_the_edition_and_signs_up_into_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 10).await;
    let page = app.get(&format!("/editions/{edition}"), None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        !page.body.contains("role=\"alert\""),
        "an error box for a visitor"
    );
    // Signed in but not enrolled (yet): the same, her personal sections simply empty.
    let (_, outsider) = app.user("ospite@scuola.it", false, false).await;
    let seen = app
        .get(&format!("/editions/{edition}"), Some(&outsider))
        .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    assert!(
        !seen.body.contains("role=\"alert\""),
        "an error box for someone not enrolled"
    );
    assert!(seen.body.contains("Iscriviti"), "enrolment offered");
    // No section of hers failed quietly (the data handed to the browser carries no error).
    assert!(
        !seen.body.contains(r#"\"Err\""#),
        "a section answered with an error: {}",
        seen.body
    );
    let next = format!("next=/editions/{edition}");
    assert!(
        page.body.contains(&format!("href=\"/signup?{next}\"")),
        "sign-up offered"
    );
    assert!(
        page.body.contains(&format!("href=\"/login?{next}\"")),
        "sign-in offered"
    );

    let signup = app.get(&format!("/signup?{next}"), None).await;
    assert!(
        signup.body.contains(&format!("href=\"/login?{next}\"")),
        "the way back keeps next"
    );
    let target = format!("/editions/{edition}");
    let response = app
        .call_from(
            "sign_up",
            &[
                ("email", "anna.rossi@scuola.it"),
                ("given_name", "Anna"),
                ("family_name", "Rossi"),
                ("school_name", "Liceo Galilei"),
                ("school_code", "pips01000x"),
                ("password", "una frase lunga e segreta"),
                ("next", &target),
            ],
            None,
            Some(crate::helpers::BASE_URL),
        )
        .await;
    // Sign-up lands on "check your mail"; the mailed link carries her on to the edition.
    assert!(
        format!("{:?}", response.headers).contains("/check-mail"),
        "{:?}",
        response.headers
    );
    let mails = app.mailbox.wait_for(1).await;
    let link = crate::helpers::link_in(&mails[0], "/verify-email/");
    assert!(link.ends_with(&format!("?{next}")), "{link}");
    let token = crate::helpers::token_of(&link);

    // Signed in but unconfirmed: the edition says to confirm first, and enrolling is refused.
    let session = app
        .call(
            "log_in",
            &[
                ("email", "anna.rossi@scuola.it"),
                ("password", "una frase lunga e segreta"),
            ],
            None,
        )
        .await
        .session_cookie()
        .expect("signed in");
    let page = app.get(&target, Some(&session)).await;
    assert!(
        page.body.contains("conferma prima il tuo indirizzo"),
        "{}",
        page.body
    );
    let edition_id = edition.to_string();
    let refused = app
        .call("enrol", &[("edition_id", &edition_id)], Some(&session))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("EmailNotVerified"),
        "{}",
        refused.body
    );

    let confirmed = app
        .call_from(
            "verify_email",
            &[("token", &token), ("next", &target)],
            Some(&session),
            Some(crate::helpers::BASE_URL),
        )
        .await;
    let landed = crate::helpers::location(&confirmed);
    let redirected = confirmed
        .headers
        .get("serverfnredirect")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let expected = format!("{target}?verified=1");
    assert!(
        landed == expected || redirected == expected,
        "after confirming: {landed:?} / {redirected:?} ({})",
        confirmed.status
    );
    let session = confirmed.session_cookie().expect("a fresh session");
    // Confirmed, the registration still waits for staff.
    let waiting = app
        .call("enrol", &[("edition_id", &edition_id)], Some(&session))
        .await;
    assert!(
        waiting.body.contains("RegistrationPending"),
        "{}",
        waiting.body
    );
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let person = app.user_id("anna.rossi@scuola.it").await.to_string();
    let validated = app
        .call(
            "decide_registrations",
            &[("user_ids[]", &person), ("approve", "true")],
            Some(&staff),
        )
        .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    let enrolled = app
        .call("enrol", &[("edition_id", &edition_id)], Some(&session))
        .await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
    // Elsewhere than Aula's own paths is never a destination.
    let response = app
        .call(
            "sign_up",
            &[
                ("email", "bruno@scuola.it"),
                ("given_name", "Bruno"),
                ("family_name", "Verdi"),
                ("school_name", "Liceo Galilei"),
                ("school_code", "pips01000x"),
                ("password", "una frase lunga e segreta"),
                ("next", "https://evil.example/"),
            ],
            None,
        )
        .await;
    assert!(!crate::helpers::location(&response).contains("evil"));
    assert!(!format!("{:?}", response.headers).contains("evil"));
}
