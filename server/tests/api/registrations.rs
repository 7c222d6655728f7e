//! Validating registrations: a person who signed up cannot enrol until staff validate them;
//! staff validate or reject (with a reason) one by one or many at once, each decision mailed
//! and audited, and never twice.

use crate::both_databases;
use crate::helpers::{Backend, PASSWORD, TestApp, link_in, mail_text, token_of};
use app::domain::account::RegistrationStatus;
use app::ssr::entities::user;
use axum::http::StatusCode;
use sea_orm::EntityTrait;

both_databases!(
    a_person_who_signed_up_enrols_only_once_validated,
    a_rejected_registration_says_why_and_can_be_reconsidered,
    many_registrations_are_decided_at_once_each_once,
    sign_up_checks_the_tax_code,
    the_queue_lists_pending_registrations_oldest_first_with_filters
);

async fn status_of(app: &TestApp, user_id: i32) -> (RegistrationStatus, Option<String>) {
    let person = user::Entity::find_by_id(user_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("person");
    (person.registration_status, person.registration_reason)
}

async fn a_person_who_signed_up_enrols_only_once_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 10).await.to_string();
    let signed_up = app
        .call(
            "sign_up",
            &[
                ("email", "giulia@scuola.it"),
                ("given_name", "Giulia"),
                ("family_name", "Bianchi"),
                ("school_name", "IC Firenze 3"),
                ("school_code", "FIIC812003"),
                ("tax_code", "bncgli90a41h501e"),
                ("password", PASSWORD),
            ],
            None,
        )
        .await;
    assert_eq!(signed_up.status, StatusCode::OK, "{}", signed_up.body);
    let mails = app.mailbox.wait_for(1).await;
    let link = link_in(&mails[0], "/verify-email/");
    let confirmed = app
        .call("verify_email", &[("token", &token_of(&link))], None)
        .await;
    let session = confirmed.session_cookie().expect("signed in");
    let person = app.user_id("giulia@scuola.it").await;
    let stored = user::Entity::find_by_id(person)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.tax_code.as_deref(), Some("BNCGLI90A41H501E"));
    assert_eq!(stored.registration_status, RegistrationStatus::Pending);

    // Signed in, sees the catalogue and the edition, but cannot enrol yet, and is told why.
    let me = app.call("current_user", &[], Some(&session)).await.json();
    assert_eq!(me["registration"], "pending");
    let page = app
        .get(&format!("/editions/{edition}"), Some(&session))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("appena la segreteria avrà validato"),
        "{}",
        page.body
    );
    let refused = app
        .call("enrol", &[("edition_id", &edition)], Some(&session))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("RegistrationPending"),
        "{}",
        refused.body
    );

    // Staff find the person in the queue and validate them.
    let queue = app
        .call("load_registrations", &[("page", "1")], Some(&staff))
        .await
        .json();
    assert_eq!(queue["rows"][0]["email"], "giulia@scuola.it");
    assert_eq!(queue["rows"][0]["tax_code"], "BNCGLI90A41H501E");
    let person_id = person.to_string();
    let decided = app
        .call(
            "decide_registrations",
            &[("user_ids[]", &person_id), ("approve", "true")],
            Some(&staff),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(decided.json()["decided"], 1);
    assert_eq!(
        status_of(&app, person).await.0,
        RegistrationStatus::Validated
    );
    let mails = app.mailbox.wait_for(2).await;
    let mail = mail_text(&mails[1]);
    assert!(mail.contains("giulia@scuola.it"), "{mail}");
    assert!(mail.contains("è stata validata"), "{mail}");
    let audit = app.audit_of(person).await;
    assert!(
        audit
            .iter()
            .any(|(action, _, actor)| action == "registration_validated" && actor.is_some()),
        "{audit:?}"
    );

    // The same session enrols now.
    let enrolled = app
        .call("enrol", &[("edition_id", &edition)], Some(&session))
        .await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
    assert_eq!(enrolled.json()["status"], "enrolled");
    // Deciding again changes nothing and says so.
    let again = app
        .call(
            "decide_registrations",
            &[
                ("user_ids[]", &person_id),
                ("approve", "false"),
                ("reason", "no"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert_eq!(
        status_of(&app, person).await.0,
        RegistrationStatus::Validated
    );
}

async fn a_rejected_registration_says_why_and_can_be_reconsidered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (person, session) = app.pending_user("luca@scuola.it").await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 10).await.to_string();
    let id = person.to_string();
    // Rejecting needs a reason the person can read.
    let no_reason = app
        .call(
            "decide_registrations",
            &[("user_ids[]", &id), ("approve", "false"), ("reason", "  ")],
            Some(&staff),
        )
        .await;
    assert_eq!(
        no_reason.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_reason.body
    );
    assert!(no_reason.body.contains("reason"), "{}", no_reason.body);
    assert_eq!(status_of(&app, person).await.0, RegistrationStatus::Pending);
    // A participant cannot decide, not even their own.
    let own = app
        .call(
            "decide_registrations",
            &[("user_ids[]", &id), ("approve", "true")],
            Some(&session),
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, person).await.0, RegistrationStatus::Pending);

    let reason = "Il codice meccanografico non corrisponde a nessuna scuola.";
    let rejected = app
        .call(
            "decide_registrations",
            &[
                ("user_ids[]", &id),
                ("approve", "false"),
                ("reason", reason),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.body);
    assert_eq!(
        status_of(&app, person).await,
        (RegistrationStatus::Rejected, Some(reason.to_owned()))
    );
    let mails = app.mailbox.wait_for(1).await;
    let mail = mail_text(&mails[0]);
    assert!(mail.contains(reason), "{mail}");
    assert!(mail.contains("non abbiamo potuto validare"), "{mail}");
    let me = app.call("current_user", &[], Some(&session)).await.json();
    assert_eq!(me["registration"], "rejected");
    assert_eq!(me["registration_reason"], reason);
    let home = app.get("/", Some(&session)).await;
    assert!(home.body.contains(reason), "the person reads why");
    let refused = app
        .call("enrol", &[("edition_id", &edition)], Some(&session))
        .await;
    assert!(
        refused.body.contains("RegistrationRejected"),
        "{}",
        refused.body
    );
    let audit = app.audit_of(person).await;
    assert!(
        audit
            .iter()
            .any(|(action, _, _)| action == "registration_rejected"),
        "{audit:?}"
    );

    // Rejecting twice changes nothing; validating after all does.
    let twice = app
        .call(
            "decide_registrations",
            &[
                ("user_ids[]", &id),
                ("approve", "false"),
                ("reason", "altro"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let validated = app
        .call(
            "decide_registrations",
            &[("user_ids[]", &id), ("approve", "true")],
            Some(&staff),
        )
        .await;
    assert_eq!(validated.status, StatusCode::OK, "{}", validated.body);
    assert_eq!(
        status_of(&app, person).await,
        (RegistrationStatus::Validated, None)
    );
    let enrolled = app
        .call("enrol", &[("edition_id", &edition)], Some(&session))
        .await;
    assert_eq!(enrolled.status, StatusCode::OK, "{}", enrolled.body);
}

async fn many_registrations_are_decided_at_once_each_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let mut pending = Vec::new();
    for n in 0..4 {
        pending.push(app.pending_user(&format!("persona{n}@scuola.it")).await.0);
    }
    let (validated, _) = app.user("gia.validata@scuola.it", false, false).await;
    let ids: Vec<String> = pending.iter().map(i32::to_string).collect();
    // Nobody ticked: said so, nothing changes.
    let none = app
        .call("decide_registrations", &[("approve", "true")], Some(&staff))
        .await;
    assert_eq!(
        none.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        none.body
    );
    assert!(none.body.contains("NoneSelected"), "{}", none.body);
    // Three ticked, as the page's boxes send them (`user_ids[]` repeated).
    let mut form: Vec<(&str, &str)> = ids[..3]
        .iter()
        .map(|id| ("user_ids[]", id.as_str()))
        .collect();
    form.push(("approve", "true"));
    let decided = app.call("decide_registrations", &form, Some(&staff)).await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(decided.json()["decided"], 3);
    assert_eq!(decided.json()["unchanged"], 0);
    // Again with the fourth and someone validated long ago: only the fourth moves.
    let validated_id = validated.to_string();
    let mut form: Vec<(&str, &str)> = ids.iter().map(|id| ("user_ids[]", id.as_str())).collect();
    form.push(("user_ids[]", &validated_id));
    form.push(("approve", "true"));
    let decided = app.call("decide_registrations", &form, Some(&staff)).await;
    assert_eq!(decided.status, StatusCode::OK, "{}", decided.body);
    assert_eq!(decided.json()["decided"], 1);
    assert_eq!(decided.json()["unchanged"], 4);
    for id in &pending {
        assert_eq!(status_of(&app, *id).await.0, RegistrationStatus::Validated);
    }
    // One mail and one audit entry per person decided, none for the others.
    let mails = app.mailbox.wait_for(4).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mailbox.messages().len(), 4, "{mails:?}");
    for id in &pending {
        let audit = app.audit_of(*id).await;
        assert_eq!(
            audit
                .iter()
                .filter(|(action, _, _)| action == "registration_validated")
                .count(),
            1
        );
    }
    assert!(app.audit_of(validated).await.is_empty());
}

async fn sign_up_checks_the_tax_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let form = |tax_code: &'static str| {
        vec![
            ("email", "anna@scuola.it"),
            ("given_name", "Anna"),
            ("family_name", "Verdi"),
            ("school_name", "IC Firenze 3"),
            ("school_code", "FIIC812003"),
            ("tax_code", tax_code),
            ("password", PASSWORD),
        ]
    };
    // The last character does not fit the others.
    let wrong = app.call("sign_up", &form("BNCGLI90A41H501X"), None).await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("TaxCodeInvalid"), "{}", wrong.body);
    assert!(
        user::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .is_empty()
    );
    // Left empty, it is simply not given.
    let without = app.call("sign_up", &form(""), None).await;
    assert_eq!(without.status, StatusCode::OK, "{}", without.body);
    let stored = user::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.tax_code, None);
    assert_eq!(stored.registration_status, RegistrationStatus::Pending);
}

async fn the_queue_lists_pending_registrations_oldest_first_with_filters(backend: Backend) {
    use app::ssr::entities::user;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (recent, _) = app.pending_user("recente@scuola.it").await;
    let (old, _) = app.pending_user("vecchia@scuola.it").await;
    let mut aged: user::ActiveModel = user::Entity::find_by_id(old)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    aged.created_at = Set(chrono::Utc::now() - chrono::TimeDelta::days(10));
    aged.update(&app.state.db).await.unwrap();
    let queue = app
        .call("load_registrations", &[("page", "1")], Some(&staff))
        .await
        .json();
    assert_eq!(queue["total"], 2);
    assert_eq!(queue["rows"][0]["user_id"], old, "oldest first");
    assert_eq!(queue["rows"][1]["user_id"], recent);
    assert_eq!(queue["rows"][0]["days_waiting"], 10);
    assert_eq!(queue["waiting_long"], 1);
    // Staff themselves and people already validated are not in the queue.
    assert_eq!(queue["counts"][0], serde_json::json!(["pending", 2]));
    let long = app
        .call(
            "load_registrations",
            &[("page", "1"), ("waiting_long", "true")],
            Some(&staff),
        )
        .await
        .json();
    assert_eq!(long["total"], 1);
    assert_eq!(long["rows"][0]["user_id"], old);
    let search = app
        .call(
            "load_registrations",
            &[("page", "1"), ("search", "recente")],
            Some(&staff),
        )
        .await
        .json();
    assert_eq!(search["total"], 1);
    assert_eq!(search["rows"][0]["user_id"], recent);
    let page = app.get("/staff/registrations", Some(&staff)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("vecchia@scuola.it"));
    assert!(
        page.body.contains("in attesa da 10 giorni"),
        "{}",
        page.body
    );
    // Registered today: the time says it, no "0 days".
    assert!(!page.body.contains("in attesa da 0 giorni"));
    assert!(
        page.body
            .contains("/staff/registrations.csv?status=pending&amp;q="),
        "the page links its CSV"
    );
    let rejected_tab = app
        .get("/staff/registrations?status=rejected", Some(&staff))
        .await;
    assert!(
        rejected_tab
            .body
            .contains("Nessuna registrazione in questo elenco")
    );

    // The CSV holds the queue as filtered, every row, oldest first, with translated headings.
    let csv = app
        .get("/staff/registrations.csv?status=pending", Some(&staff))
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(
        csv.headers[axum::http::header::CONTENT_TYPE],
        "text/csv; charset=utf-8"
    );
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 3, "{}", csv.body);
    assert!(
        lines[0].starts_with("cognome,nome,email,email confermata,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains("vecchia@scuola.it"),
        "oldest first: {}",
        lines[1]
    );
    assert!(lines[1].contains(",10,In attesa,"), "{}", lines[1]);
    assert!(lines[2].contains("recente@scuola.it"));
    let long = app
        .get(
            "/staff/registrations.csv?status=pending&waiting_long=true&q=",
            Some(&staff),
        )
        .await;
    assert_eq!(long.body.trim_start_matches('\u{feff}').lines().count(), 2);
    assert!(long.body.contains("vecchia@scuola.it") && !long.body.contains("recente@"));
}
