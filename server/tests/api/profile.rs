//! A person's own account: password recovery by mail, changing the password and the address,
//! the profile. Mail arrives at a real SMTP server.

use crate::both_databases;
use crate::helpers::{Backend, PASSWORD, TestApp, as_seen, link_in, mail_text, token_of};
use app::ssr::entities::{account_link, outbox, session, user};
use axum::http::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

both_databases!(
    a_reset_link_sets_a_new_password_once_and_ends_every_session,
    reset_requests_answer_the_same_and_are_limited,
    reset_links_expire_after_half_an_hour,
    changing_the_password_asks_the_current_one_and_ends_other_sessions,
    a_new_address_is_used_once_confirmed_and_the_old_one_is_told,
    the_profile_shows_the_printed_name_and_saves_changes,
    a_printed_name_is_corrected_through_staff_and_reissued,
);

async fn log_in(app: &TestApp, email: &str, password: &str) -> crate::helpers::Response {
    app.call("log_in", &[("email", email), ("password", password)], None)
        .await
}

async fn sessions_of(app: &TestApp, user_id: i32) -> u64 {
    session::Entity::find()
        .filter(session::Column::UserId.eq(user_id))
        .count(&app.state.db)
        .await
        .unwrap()
}

const NEW_PASSWORD: &str = "un'altra frase ancora più lunga";

async fn a_reset_link_sets_a_new_password_once_and_ends_every_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, open_session) = app.user("smemorata@scuola.it", false, false).await;
    let asked = app
        .call(
            "request_password_reset",
            &[("email", " Smemorata@Scuola.it ")],
            None,
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let mails = app.mailbox.wait_for(1).await;
    let link = link_in(&mails[0], "/password/reset/");
    let token = token_of(&link);
    // Only the token's hash is stored.
    crate::helpers::assert_only_hash_stored(&app, &token).await;
    // Once sent, the outbox keeps the mail without the token.
    let mut kept = String::new();
    for _ in 0..100 {
        let row = outbox::Entity::find()
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap();
        if row.status == app::domain::outbox::MailStatus::Sent {
            kept = row.body;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(kept.contains("/password/reset/[removed]"), "{kept}");
    assert!(!kept.contains(&token));

    let page = app.get(&link, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("smemorata@scuola.it"), "{}", page.body);

    // A password the rules refuse leaves the link usable.
    let weak = app
        .call(
            "reset_password",
            &[("token", &token), ("password", "corta")],
            None,
        )
        .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reset = app
        .call(
            "reset_password",
            &[("token", &token), ("password", NEW_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(sessions_of(&app, id).await, 0, "every session ended");
    let me = app.call("current_user", &[], Some(&open_session)).await;
    assert_eq!(me.body, "null");

    assert_eq!(
        log_in(&app, "smemorata@scuola.it", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        log_in(&app, "smemorata@scuola.it", NEW_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
    // Once only.
    let replay = app
        .call(
            "reset_password",
            &[("token", &token), ("password", "e una terza frase segreta")],
            None,
        )
        .await;
    assert_eq!(replay.status, StatusCode::CONFLICT);
    assert!(replay.body.contains("Used"), "{}", replay.body);
    // The owner is told the password changed.
    let mails = app.mailbox.wait_for(2).await;
    assert!(mail_text(&mails[1]).contains("password"), "{}", mails[1]);
}

/// Known and unknown addresses get the same answer; a known one gets at most three links an
/// hour, and a client asking too often is slowed down.
async fn reset_requests_answer_the_same_and_are_limited(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.user("nota@scuola.it", false, false).await;
    let ask = |email: &'static str| {
        let app = &app;
        async move {
            app.call("request_password_reset", &[("email", email)], None)
                .await
        }
    };
    let known = ask("nota@scuola.it").await;
    let unknown = ask("ignota@scuola.it").await;
    assert_eq!(as_seen(&known), as_seen(&unknown));
    for _ in 0..4 {
        assert_eq!(ask("nota@scuola.it").await.status, StatusCode::OK);
    }
    // Let the worker send what it has, then count: three links, not six.
    app.mailbox.wait_for(3).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.mailbox.messages().len(), 3);
    let links = account_link::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(links, 3);
    // Ten requests per quarter hour from one client: the eleventh waits.
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(ask("ignota@scuola.it").await.status);
    }
    assert_eq!(
        statuses.last(),
        Some(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

async fn reset_links_expire_after_half_an_hour(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.user("lenta@scuola.it", false, false).await;
    app.call(
        "request_password_reset",
        &[("email", "lenta@scuola.it")],
        None,
    )
    .await;
    let token = token_of(&link_in(
        &app.mailbox.wait_for(1).await[0],
        "/password/reset/",
    ));
    let link = account_link::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        link.expires_at - link.created_at,
        chrono::TimeDelta::minutes(30)
    );
    account_link::Entity::update_many()
        .col_expr(
            account_link::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::TimeDelta::seconds(1)),
        )
        .exec(&app.state.db)
        .await
        .unwrap();
    let late = app
        .call(
            "reset_password",
            &[("token", &token), ("password", NEW_PASSWORD)],
            None,
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("Expired"), "{}", late.body);
    let page = app.get(&format!("/password/reset/{token}"), None).await;
    assert!(page.body.contains("scaduto"), "{}", page.body);
    assert_eq!(
        log_in(&app, "lenta@scuola.it", PASSWORD).await.status,
        StatusCode::OK,
        "the old password still works"
    );
}

async fn changing_the_password_asks_the_current_one_and_ends_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, here) = app.user("prudente@scuola.it", false, false).await;
    let elsewhere = log_in(&app, "prudente@scuola.it", PASSWORD)
        .await
        .session_cookie()
        .expect("second session");
    let wrong = app
        .call(
            "change_password",
            &[
                ("current_password", "non è questa"),
                ("password", NEW_PASSWORD),
            ],
            Some(&here),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("PasswordWrong"), "{}", wrong.body);
    assert_eq!(sessions_of(&app, id).await, 2);

    let changed = app
        .call(
            "change_password",
            &[("current_password", PASSWORD), ("password", NEW_PASSWORD)],
            Some(&here),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let me = app.call("current_user", &[], Some(&here)).await;
    assert_eq!(
        me.json()["email"],
        "prudente@scuola.it",
        "this session goes on"
    );
    let other = app.call("current_user", &[], Some(&elsewhere)).await;
    assert_eq!(other.body, "null", "the other session ended");
    assert_eq!(
        log_in(&app, "prudente@scuola.it", NEW_PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
    let mails = app.mailbox.wait_for(1).await;
    assert!(mails[0].contains("prudente@scuola.it"));
}

async fn a_new_address_is_used_once_confirmed_and_the_old_one_is_told(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, session) = app.user("vecchia@scuola.it", false, false).await;
    app.user("occupata@scuola.it", false, false).await;
    let taken = app
        .call(
            "change_email",
            &[
                ("email", "occupata@scuola.it"),
                ("current_password", PASSWORD),
            ],
            Some(&session),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("EmailTaken"), "{}", taken.body);
    let wrong = app
        .call(
            "change_email",
            &[
                ("email", "nuova@scuola.it"),
                ("current_password", "sbagliata del tutto"),
            ],
            Some(&session),
        )
        .await;
    assert!(wrong.body.contains("PasswordWrong"), "{}", wrong.body);

    let asked = app
        .call(
            "change_email",
            &[("email", "Nuova@Scuola.it"), ("current_password", PASSWORD)],
            Some(&session),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{}", asked.body);
    let mails = app.mailbox.wait_for(1).await;
    assert!(mails[0].contains("To: nuova@scuola.it"), "{}", mails[0]);
    let token = token_of(&link_in(&mails[0], "/change-email/"));
    // Nothing changes until the link is used.
    let unchanged = user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged.email, "vecchia@scuola.it");

    let confirmed = app
        .call("confirm_email_change", &[("token", &token)], None)
        .await;
    assert_eq!(confirmed.status, StatusCode::OK, "{}", confirmed.body);
    let changed = user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.email, "nuova@scuola.it");
    let mails = app.mailbox.wait_for(2).await;
    assert!(mails[1].contains("To: vecchia@scuola.it"), "{}", mails[1]);
    assert!(mail_text(&mails[1]).contains("nuova@scuola.it"));
    assert_eq!(
        log_in(&app, "nuova@scuola.it", PASSWORD).await.status,
        StatusCode::OK
    );
    let replay = app
        .call("confirm_email_change", &[("token", &token)], None)
        .await;
    assert_eq!(replay.status, StatusCode::CONFLICT);
}

async fn the_profile_shows_the_printed_name_and_saves_changes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, session) = app.user("profilo@scuola.it", false, false).await;
    let page = app.get("/account", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Maria Rossi profilo@scuola.it"),
        "{}",
        page.body
    );
    let saved = app
        .call(
            "save_profile",
            &[
                ("given_name", "  Maria  Grazia "),
                ("family_name", "De Santis"),
                ("school_name", "IC Firenze 3"),
                ("school_code", "fiic812003"),
            ],
            Some(&session),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let page = app.get("/account", Some(&session)).await;
    assert!(
        page.body.contains("Maria Grazia De Santis"),
        "{}",
        page.body
    );
    let bad = app
        .call(
            "save_profile",
            &[
                ("given_name", ""),
                ("family_name", "De Santis"),
                ("school_name", "IC Firenze 3"),
                ("school_code", "12"),
            ],
            Some(&session),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("SchoolCodeInvalid"), "{}", bad.body);
    let stored = user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.given_name, "Maria Grazia");
    // Without a session, the page sends to sign in.
    let anonymous = app.get("/account", None).await;
    assert_ne!(anonymous.status, StatusCode::OK);
}

/// Once a certificate prints the name, the person asks for a correction; staff approve it and
/// the certificate is issued again under the new name (the old one replaced), or reject it with
/// a reason the person is mailed. A request is decided once.
async fn a_printed_name_is_corrected_through_staff_and_reissued(backend: Backend) {
    use app::features::certificates::api::IssueCertificates;
    use app::ssr::entities::{certificate, name_correction};
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, session) = app.user("anna@scuola.it", false, false).await;
    let edition = app.completed_edition(&staff, &[anna]).await;
    app.invoke(
        IssueCertificates {
            edition_id: edition,
            limit: 10,
        },
        Some(&staff),
    )
    .await
    .expect("issued");
    app.mailbox.wait_for(1).await;

    let direct = app
        .call(
            "save_profile",
            &[
                ("given_name", "Anna Maria"),
                ("family_name", "Rossi"),
                ("school_name", "IC Firenze 3"),
                ("school_code", "FIIC812003"),
            ],
            Some(&session),
        )
        .await;
    assert_eq!(direct.status, StatusCode::CONFLICT, "{}", direct.body);
    assert!(direct.body.contains("NameOnCertificate"), "{}", direct.body);

    let ask = |given: &'static str| {
        let (app, session) = (&app, session.clone());
        async move {
            app.call(
                "request_name_correction",
                &[
                    ("given_name", given),
                    ("family_name", "Rossi"),
                    ("reason", "manca il secondo nome"),
                ],
                Some(&session),
            )
            .await
        }
    };
    assert_eq!(ask("Anna Mria").await.status, StatusCode::OK);
    // A second request replaces the first.
    assert_eq!(ask("Anna Maria").await.status, StatusCode::OK);
    let page = app.get("/account", Some(&session)).await;
    assert!(
        page.body.contains("Anna Maria Rossi"),
        "the pending request shows"
    );
    let listed = app.call("load_name_corrections", &[], Some(&staff)).await;
    let rows = listed.json();
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");
    assert_eq!(rows[0]["requested"], "Anna Maria Rossi");
    let id = rows[0]["id"].to_string();

    let approved = app
        .call(
            "decide_name_correction",
            &[("correction_id", &id), ("approve", "true"), ("reason", "")],
            Some(&staff),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let person = user::Entity::find_by_id(anna)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(person.given_name, "Anna Maria");
    let all = certificate::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "the old one and its replacement");
    let valid: Vec<_> = all.iter().filter(|c| c.valid_for.is_some()).collect();
    assert_eq!(valid.len(), 1);
    assert!(
        valid[0].name.starts_with("Anna Maria Rossi"),
        "{}",
        valid[0].name
    );
    assert!(valid[0].replaces_id.is_some());

    let again = app
        .call(
            "decide_name_correction",
            &[("correction_id", &id), ("approve", "true"), ("reason", "")],
            Some(&staff),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("AlreadyDecided"), "{}", again.body);

    // Rejected: a reason is needed, and the person is told it.
    assert_eq!(ask("Annamaria").await.status, StatusCode::OK);
    let pending = name_correction::Entity::find()
        .filter(name_correction::Column::Status.eq(app::domain::account::CorrectionStatus::Pending))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let id = pending.id.to_string();
    let no_reason = app
        .call(
            "decide_name_correction",
            &[
                ("correction_id", &id),
                ("approve", "false"),
                ("reason", " "),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let before = app.mailbox.messages().len();
    let rejected = app
        .call(
            "decide_name_correction",
            &[
                ("correction_id", &id),
                ("approve", "false"),
                ("reason", "il nome all'anagrafe è Anna Maria"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    // The certificate mails of earlier may still be arriving: look for this one among all.
    let mut told = String::new();
    for _ in 0..100 {
        let mails = app.mailbox.wait_for(before + 1).await;
        if let Some(found) = mails
            .iter()
            .map(|m| mail_text(m))
            .find(|t| t.contains("il nome all'anagrafe è Anna Maria"))
        {
            told = found;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        told.contains("il nome all'anagrafe è Anna Maria"),
        "no mail said why"
    );
    let person = user::Entity::find_by_id(anna)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        person.given_name, "Anna Maria",
        "a rejected request changes nothing"
    );
}
