use crate::both_databases;
use crate::helpers::{Backend, PASSWORD, TestApp, error_kind};
use app::domain::sessions::Timeouts;
use app::ssr::entities::{session, user};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::Duration;

both_databases!(
    sign_up_creates_an_account_and_signs_in,
    sign_up_refuses_bad_input_and_changes_nothing,
    log_in_issues_a_new_session_and_log_out_ends_it,
    failed_logins_are_throttled_per_account,
    failed_logins_are_throttled_per_address,
    parallel_wrong_passwords_are_all_counted,
    a_school_behind_one_address_is_not_shut_out,
    sign_ups_from_one_address_are_limited,
    expired_sessions_are_refused,
    forged_cross_site_requests_are_refused,
);

fn sign_up_form<'a>(email: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("email", email),
        ("given_name", "Niccolò"),
        ("family_name", "Dell'Acqua"),
        ("school_name", "Liceo Galilei"),
        ("school_code", "pips01000x"),
        ("password", password),
    ]
}

async fn sign_up_creates_an_account_and_signs_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .call(
            "sign_up",
            &sign_up_form(" Niccolo.DellAcqua@Scuola.IT ", PASSWORD),
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let token = response.session_cookie().expect("a session cookie");
    let cookie = response
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let stored = user::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("user stored");
    assert_eq!(stored.email, "niccolo.dellacqua@scuola.it");
    assert_eq!(stored.given_name, "Niccolò");
    assert_eq!(stored.family_name, "Dell'Acqua");
    assert_eq!(stored.school_code, "PIPS01000X");
    assert!(
        stored
            .password_hash
            .as_deref()
            .is_some_and(|h| h.starts_with("$argon2id$"))
    );
    assert!(!stored.is_staff && !stored.is_ambassador);

    let me = app.call("current_user", &[], Some(&token)).await;
    assert_eq!(me.json()["email"], "niccolo.dellacqua@scuola.it");

    // The same address, in another case, cannot sign up twice.
    let again = app
        .call(
            "sign_up",
            &sign_up_form("NICCOLO.DELLACQUA@scuola.it", PASSWORD),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("EmailTaken"), "{}", again.body);
    assert_eq!(user::Entity::find().count(&app.state.db).await.unwrap(), 1);
}

async fn sign_up_refuses_bad_input_and_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (form, expected) in [
        (sign_up_form("not-an-email", PASSWORD), "EmailInvalid"),
        (sign_up_form("a@scuola.it", "password"), "PasswordCommon"),
        (sign_up_form("a@scuola.it", "corta"), "PasswordTooShort"),
    ] {
        let response = app.call("sign_up", &form, None).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            response.body.contains(expected),
            "{expected}: {}",
            response.body
        );
        assert!(response.session_cookie().is_none());
    }
    let mut bad_code = sign_up_form("a@scuola.it", PASSWORD);
    bad_code[4] = ("school_code", "12345");
    let response = app.call("sign_up", &bad_code, None).await;
    assert!(
        response.body.contains("SchoolCodeInvalid"),
        "{}",
        response.body
    );
    // A missing field is a clear error too, not a crash.
    let response = app.call("sign_up", &[("email", "a@scuola.it")], None).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(error_kind(&response), "Transport");
    assert_eq!(user::Entity::find().count(&app.state.db).await.unwrap(), 0);
}

async fn log_in_issues_a_new_session_and_log_out_ends_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, old_token) = app.user("anna@scuola.it", false, false).await;

    let wrong = log_in(&app, "anna@scuola.it", "sbagliata!!").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_kind(&wrong), "WrongCredentials");
    let unknown = log_in(&app, "nessuno@scuola.it", PASSWORD).await;
    assert_eq!(
        error_kind(&unknown),
        "WrongCredentials",
        "unknown accounts look the same"
    );

    let ok = app
        .call(
            "log_in",
            &[("email", " ANNA@scuola.it"), ("password", PASSWORD)],
            Some(&old_token),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    let new_token = ok.session_cookie().expect("new session");
    assert_ne!(new_token, old_token, "a new session id at login");
    assert_eq!(new_token.len(), 64, "256 random bits, hex");
    let old = app.call("current_user", &[], Some(&old_token)).await;
    assert_eq!(old.body, "null", "the previous session ended");

    let sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(sessions.len(), 1);
    assert_ne!(
        sessions[0].token_hash, new_token,
        "only a hash of the token is stored"
    );

    let out = app.call("log_out", &[], Some(&new_token)).await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(
        out.headers
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap_or_default().contains("Max-Age=0"))
    );
    assert_eq!(
        app.call("current_user", &[], Some(&new_token)).await.body,
        "null"
    );
    assert_eq!(
        session::Entity::find().count(&app.state.db).await.unwrap(),
        0
    );
}

async fn failed_logins_are_throttled_per_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.user("bruno@scuola.it", false, false).await;
    for _ in 0..5 {
        let response = log_in(&app, "bruno@scuola.it", "tentativo a caso").await;
        assert_eq!(error_kind(&response), "WrongCredentials");
    }
    // Now even the right password waits: the delay applies before any check.
    let response = log_in(&app, "bruno@scuola.it", PASSWORD).await;
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        response.body
    );
    let wait = response.json()["TooManyAttempts"]["retry_after_secs"]
        .as_u64()
        .expect("seconds");
    assert!((1..=300).contains(&wait), "{wait}");
    assert!(response.session_cookie().is_none());
    // Another account from the same address is not affected by this account's delay.
    app.user("carla@scuola.it", false, false).await;
    let other = log_in(&app, "carla@scuola.it", PASSWORD).await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
}

/// Guessing many accounts from one address is slowed down too, past the allowance a school
/// sharing one address needs.
async fn failed_logins_are_throttled_per_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.user("victim@scuola.it", false, false).await;
    for n in 0..20 {
        let email = format!("guess{n}@scuola.it");
        let response = log_in(&app, &email, "tentativo a caso").await;
        assert_eq!(error_kind(&response), "WrongCredentials", "attempt {n}");
    }
    let response = log_in(&app, "victim@scuola.it", PASSWORD).await;
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        response.body
    );
    // The throttle table holds keyed hashes, never the address or the emails.
    let rows = app::ssr::entities::login_throttle::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert!(rows.iter().all(|r| r.key_hash.len() == 64
        && !r.key_hash.contains('@')
        && !r.key_hash.contains("203.0.113")));
}

async fn expired_sessions_are_refused(backend: Backend) {
    let app = TestApp::spawn_with(
        backend,
        Timeouts {
            idle: Duration::from_secs(1),
            absolute: Duration::from_secs(3600),
        },
    )
    .await;
    let (_, token) = app.user("dario@scuola.it", false, false).await;
    assert_ne!(
        app.call("current_user", &[], Some(&token)).await.body,
        "null"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        app.call("current_user", &[], Some(&token)).await.body,
        "null"
    );
    assert_eq!(
        session::Entity::find().count(&app.state.db).await.unwrap(),
        0,
        "expired sessions are deleted"
    );
}

async fn forged_cross_site_requests_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 10).await;
    let (_, token) = app.user("elena@scuola.it", false, false).await;
    let id = edition.to_string();
    for origin in [Some("https://evil.example"), Some("null"), None] {
        let response = app
            .call_from("enrol", &[("edition_id", &id)], Some(&token), origin)
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{origin:?}");
        assert_eq!(error_kind(&response), "ForeignOrigin");
        let response = app
            .call_from(
                "log_in",
                &[("email", "elena@scuola.it"), ("password", PASSWORD)],
                None,
                origin,
            )
            .await;
        assert_eq!(error_kind(&response), "ForeignOrigin", "login CSRF too");
    }
    let count = app_enrolments(&app).await;
    assert_eq!(count, 0, "nothing changed");
    // The same request from our own pages works.
    let response = app
        .call("enrol", &[("edition_id", &id)], Some(&token))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
}

async fn app_enrolments(app: &TestApp) -> u64 {
    app::ssr::entities::enrolment::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

/// Failures in the throttle table for a key (account or address), as the service keys them.
async fn failures_of(app: &TestApp, key: &str) -> i32 {
    let hashed = app::ssr::auth::keyed_hash(&app.state.settings.secret, key);
    app::ssr::entities::login_throttle::Entity::find_by_id(hashed)
        .one(&app.state.db)
        .await
        .unwrap()
        .map_or(0, |row| row.failures)
}

/// An attacker's burst: 100 wrong passwords for one account at once. Every one is counted
/// (each read-then-write used to overwrite the others' counts), only the free allowance is
/// checked against the password at all, and the right password then waits.
async fn parallel_wrong_passwords_are_all_counted(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::spawn(backend).await);
    app.user("bruno@scuola.it", false, false).await;
    let mut burst = Vec::new();
    for _ in 0..100 {
        let app = app.clone();
        burst.push(tokio::spawn(async move {
            let response = log_in(&app, "bruno@scuola.it", "tentativo a caso").await;
            error_kind(&response)
        }));
    }
    let mut checked = 0;
    for attempt in burst {
        match attempt.await.expect("attempt").as_str() {
            "WrongCredentials" => checked += 1,
            "TooManyAttempts" => {}
            other => panic!("unexpected answer {other}"),
        }
    }
    assert_eq!(failures_of(&app, "account:bruno@scuola.it").await, 100);
    assert!(
        checked <= app::domain::login_throttle::PER_ACCOUNT.free_failures,
        "{checked} attempts were checked against the password"
    );
    let right = log_in(&app, "bruno@scuola.it", PASSWORD).await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        right.body
    );
}

/// Thirty teachers of one school (one address behind its router) each mistype their password
/// once and then get it right: the next teacher is not kept out by her colleagues' typos.
async fn a_school_behind_one_address_is_not_shut_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for n in 0..30 {
        let email = format!("docente{n}@scuola.it");
        app.user(&email, false, false).await;
        let typo = log_in(&app, &email, "refuso").await;
        assert_eq!(error_kind(&typo), "WrongCredentials", "teacher {n}");
        let right = log_in(&app, &email, PASSWORD).await;
        assert_eq!(right.status, StatusCode::OK, "teacher {n}: {}", right.body);
    }
    app.user("ultima@scuola.it", false, false).await;
    let last = log_in(&app, "ultima@scuola.it", PASSWORD).await;
    assert_eq!(last.status, StatusCode::OK, "{}", last.body);
}

/// A class signs up together behind one address; a script creating accounts by the thousand
/// from it is stopped, and the refused sign-up creates nothing.
async fn sign_ups_from_one_address_are_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let limit = app::domain::rate_limit::SIGN_UP.per_window;
    for n in 0..limit {
        let email = format!("docente{n}@scuola.it");
        let response = app
            .call("sign_up", &sign_up_form(&email, PASSWORD), None)
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "sign-up {n}: {}",
            response.body
        );
    }
    let flood = app
        .call(
            "sign_up",
            &sign_up_form("uno.di.troppo@scuola.it", PASSWORD),
            None,
        )
        .await;
    assert_eq!(
        flood.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        flood.body
    );
    let accounts = user::Entity::find().count(&app.state.db).await.unwrap();
    assert_eq!(accounts, u64::from(limit));
}

/// Signs in through the server function, as the sign-in form does.
async fn log_in(app: &TestApp, email: &str, password: &str) -> crate::helpers::Response {
    app.call("log_in", &[("email", email), ("password", password)], None)
        .await
}
