use crate::both_databases;
use crate::helpers::{
    Backend, PASSWORD, TestApp, as_seen, error_kind, link_in, mail_text, token_of,
};
use app::domain::sessions::Timeouts;
use app::ssr::entities::{account_link, session, user};
use axum::http::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::Duration;

both_databases!(
    sign_up_mails_a_link_that_confirms_the_address_once,
    sign_up_answers_the_same_whether_or_not_the_address_is_registered,
    verification_links_expire_and_can_be_sent_again,
    sign_up_refuses_bad_input_and_changes_nothing,
    log_in_issues_a_new_session_and_log_out_ends_it,
    a_page_after_sign_out_is_signed_out_at_once,
    a_page_records_a_sessions_use_once_a_minute_and_keeps_what_pages_share,
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

/// Sign-up stores the account unconfirmed and signs nobody in; the mailed link confirms the
/// address (once) and signs its owner in. Opening the link alone changes nothing.
async fn sign_up_mails_a_link_that_confirms_the_address_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .call(
            "sign_up",
            &sign_up_form(" Niccolo.DellAcqua@Scuola.IT ", PASSWORD),
            None,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert!(response.session_cookie().is_none(), "nobody signed in yet");

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
    assert!(stored.email_verified_at.is_none());

    let mails = app.mailbox.wait_for(1).await;
    assert!(
        mails[0].contains("niccolo.dellacqua@scuola.it"),
        "{}",
        mails[0]
    );
    let link = link_in(&mails[0], "/verify-email/");
    let token = token_of(&link);
    // Only the token's hash is stored.
    crate::helpers::assert_only_hash_stored(&app, &token).await;

    // Opening the link shows whose address it confirms, and confirms nothing yet.
    let page = app.get(&link, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("niccolo.dellacqua@scuola.it"));
    assert!(unverified(&app, stored.id).await);

    let confirmed = app.call("verify_email", &[("token", &token)], None).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let session = confirmed.session_cookie().expect("signed in by the link");
    let me = app.call("current_user", &[], Some(&session)).await;
    assert_eq!(me.json()["email"], "niccolo.dellacqua@scuola.it");
    assert_eq!(me.json()["email_verified"], true);

    // Once only.
    let again = app.call("verify_email", &[("token", &token)], None).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("Used"), "{}", again.body);
    let page = app.get(&link, None).await;
    assert!(page.body.contains("già stato usato"), "{}", page.body);
}

async fn unverified(app: &TestApp, user_id: i32) -> bool {
    user::Entity::find_by_id(user_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("user")
        .email_verified_at
        .is_none()
}

/// The answer to a sign-up says nothing about whether the address has an account: byte for
/// byte the same (status, headers but the date, body). The owner of the address is told by
/// mail how to sign in instead, and no second account appears.
async fn sign_up_answers_the_same_whether_or_not_the_address_is_registered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = app
        .call(
            "sign_up",
            &sign_up_form("niccolo@scuola.it", PASSWORD),
            None,
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    app.mailbox.wait_for(1).await;

    let registered = app
        .call(
            "sign_up",
            &sign_up_form("NICCOLO@scuola.it", PASSWORD),
            None,
        )
        .await;
    let new = app
        .call(
            "sign_up",
            &sign_up_form("altra.persona@scuola.it", PASSWORD),
            None,
        )
        .await;
    assert_eq!(as_seen(&registered), as_seen(&new));
    assert_eq!(user::Entity::find().count(&app.state.db).await.unwrap(), 2);

    let mails = app.mailbox.wait_for(3).await;
    let to_owner: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("To: niccolo@scuola.it"))
        .collect();
    assert_eq!(to_owner.len(), 2, "{mails:?}");
    let told = to_owner
        .iter()
        .map(|m| mail_text(m))
        .find(|m| m.contains("esiste già"))
        .expect("an 'account exists' mail");
    assert!(told.contains("http://aula.test/password/forgot"), "{told}");
    assert!(!told.contains("/verify-email/"), "{told}");
}

/// A link that has expired confirms nothing; a new one (asked for while signed in) does, and
/// the older ones stop working.
async fn verification_links_expire_and_can_be_sent_again(backend: Backend) {
    use sea_orm::sea_query::Expr;
    let app = TestApp::spawn(backend).await;
    app.call(
        "sign_up",
        &sign_up_form("tardiva@scuola.it", PASSWORD),
        None,
    )
    .await;
    let first = token_of(&link_in(
        &app.mailbox.wait_for(1).await[0],
        "/verify-email/",
    ));
    account_link::Entity::update_many()
        .col_expr(
            account_link::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::TimeDelta::seconds(1)),
        )
        .exec(&app.state.db)
        .await
        .unwrap();
    let late = app.call("verify_email", &[("token", &first)], None).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("Expired"), "{}", late.body);

    // Signing in works unconfirmed; the page reminds her and offers a new link.
    let signed_in = log_in(&app, "tardiva@scuola.it", PASSWORD).await;
    let session = signed_in.session_cookie().expect("signed in");
    let home = app.get("/", Some(&session)).await;
    assert!(
        home.body.contains("send_verification_again"),
        "{}",
        home.body
    );
    let again = app
        .call("send_verification_again", &[], Some(&session))
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let mails = app.mailbox.wait_for(2).await;
    let second = token_of(&link_in(&mails[1], "/verify-email/"));
    assert_ne!(first, second);
    let confirmed = app.call("verify_email", &[("token", &second)], None).await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let user = user::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(user.email_verified_at.is_some());
    let home = app.get("/", Some(&session)).await;
    assert!(!home.body.contains("send_verification_again"));
    // Malformed or unknown tokens are refused alike.
    for token in ["x", "../../etc", &"0".repeat(64)] {
        let refused = app.call("verify_email", &[("token", token)], None).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{token}");
        assert!(refused.body.contains("Unknown"), "{}", refused.body);
    }
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

/// Pages may use a session as read for another page a moment ago; a change through this
/// instance (a role, a sign-out) shows on the very next page, and one through another instance
/// (here: straight to the database, past this instance) within a second.
async fn a_page_after_sign_out_is_signed_out_at_once(backend: Backend) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::spawn(backend).await;
    let (id, token) = app.user("anna@scuola.it", false, false).await;
    let signed_in = |body: &str| body.contains("action=\"/api/log_out\"");
    let staff = |body: &str| body.contains("href=\"/staff/users\"");
    let db = &app.state.db;
    for _ in 0..2 {
        let home = app.get("/", Some(&token)).await;
        assert!(signed_in(&home.body) && !staff(&home.body), "{}", home.body);
    }
    let mut made_staff: user::ActiveModel = user::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("query")
        .expect("the user")
        .into();
    made_staff.is_staff = Set(true);
    made_staff.update(db).await.expect("made staff");
    let home = app.get("/", Some(&token)).await;
    assert!(staff(&home.body), "the new role shows on the next page");

    let out = app.call("log_out", &[], Some(&token)).await;
    assert_eq!(out.status, StatusCode::OK);
    let home = app.get("/", Some(&token)).await;
    assert!(!signed_in(&home.body), "signed out on the next page");

    // Another instance ends a session: its pages here end within a second.
    let (_, other) = app.user("bea@scuola.it", false, false).await;
    assert!(signed_in(&app.get("/", Some(&other)).await.body));
    session::Entity::delete_many()
        .exec(db.pool())
        .await
        .expect("sessions ended elsewhere");
    assert_eq!(
        app.call("current_user", &[], Some(&other)).await.body,
        "null",
        "a server function called on its own reads the session afresh"
    );
    tokio::time::sleep(app::ssr::shared::FRESH_FOR + Duration::from_millis(100)).await;
    assert!(!signed_in(&app.get("/", Some(&other)).await.body));
}

/// A session's use is recorded at most once a minute. Recording it drops the session as pages
/// share it, so the next page does not record it again, and nothing else pages share: were it
/// a write like any other, every page would read everything afresh after each participant's
/// minute.
async fn a_page_records_a_sessions_use_once_a_minute_and_keeps_what_pages_share(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, token) = app.user("ada@scuola.it", false, false).await;
    let db = &app.state.db;
    let last_seen = || async {
        session::Entity::find()
            .one(db)
            .await
            .expect("query")
            .expect("the session")
            .last_seen_at
    };
    let two_minutes_ago = chrono::Utc::now() - chrono::TimeDelta::minutes(2);
    session::Entity::update_many()
        .col_expr(
            session::Column::LastSeenAt,
            sea_orm::sea_query::Expr::value(two_minutes_ago),
        )
        .exec(db.pool())
        .await
        .expect("the session last used two minutes ago");
    let writes = db.writes();
    let home = app.get("/", Some(&token)).await;
    assert!(
        home.body.contains("action=\"/api/log_out\""),
        "{}",
        home.body
    );
    let recorded = last_seen().await;
    assert!(
        recorded > two_minutes_ago + chrono::TimeDelta::seconds(100),
        "the use is recorded: {recorded}"
    );
    assert_eq!(db.writes(), writes, "what pages share is kept");
    app.get("/", Some(&token)).await;
    assert_eq!(
        last_seen().await,
        recorded,
        "not recorded again within the minute"
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
