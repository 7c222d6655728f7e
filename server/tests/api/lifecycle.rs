//! The lifecycle of personal data, driven by the tests' own clock: nothing at 11 months;
//! inactive (hidden from the group) at 12, active again on signing in; a warning at 35, once;
//! anonymised at 36, with the certificate still verifying; staff anonymise on request.

use crate::both_databases;
use crate::helpers::{Backend, PASSWORD, TestApp, location, mail_text};
use app::domain::account::AccountState;
use app::features::certificates::api::IssueCertificates;
use app::features::lifecycle::service::{plan, run};
use app::ssr::entities::{certificate, session, thread, user};
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
};

both_databases!(
    a_profile_becomes_inactive_is_warned_and_is_anonymised_in_its_time,
    staff_anonymise_a_person_on_request
);

/// A couple of days past the mark of `months` (a month being a twelfth of a year).
fn months_ago(now: DateTime<Utc>, months: i64) -> DateTime<Utc> {
    now - TimeDelta::days(months * 365 / 12 + 2)
}

async fn last_signed_in(app: &TestApp, id: i32, at: DateTime<Utc>) {
    let mut person: user::ActiveModel = user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .into();
    person.last_login_at = Set(Some(at));
    person.update(&app.state.db).await.unwrap();
}

async fn person(app: &TestApp, id: i32) -> user::Model {
    user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
}

async fn a_profile_becomes_inactive_is_warned_and_is_anonymised_in_its_time(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (anna, _) = app.user("anna@scuola.it", false, false).await;
    let (bruno, bruno_session) = app.user("bruno@scuola.it", false, false).await;
    let edition = app.completed_edition(&staff, &[anna, bruno]).await;
    app.invoke(
        IssueCertificates {
            edition_id: edition,
            limit: 10,
        },
        Some(&staff),
    )
    .await
    .expect("certificates issued");
    // Each holder is mailed their certificate.
    app.mailbox.wait_for(2).await;
    let anna_certificate = certificate::Entity::find()
        .filter(certificate::Column::UserId.eq(anna))
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("Anna's certificate");
    let group = app::ssr::entities::group_member::Entity::find()
        .filter(app::ssr::entities::group_member::Column::UserId.eq(anna))
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .group_id;
    let anna_thread = app.thread(group, anna).await;
    let members_seen_by_bruno = || async {
        app.call(
            "load_group_space",
            &[("group_id", &group.to_string())],
            Some(&bruno_session),
        )
        .await
        .json()["members"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(members_seen_by_bruno().await, 2);
    let now = Utc::now();
    last_signed_in(&app, bruno, now).await;

    // 11 months: nothing is due.
    last_signed_in(&app, anna, months_ago(now, 11)).await;
    assert_eq!(
        run(&app.state, now)
            .await
            .unwrap()
            .counts()
            .iter()
            .map(|(_, n)| n)
            .sum::<u64>(),
        0
    );
    assert_eq!(person(&app, anna).await.account_state, AccountState::Active);

    // 12 months: inactive, and hidden from Bruno's view of the group (not from staff's).
    last_signed_in(&app, anna, months_ago(now, 12)).await;
    let done = run(&app.state, now).await.unwrap();
    assert_eq!(done.inactive, vec![anna]);
    assert_eq!(
        person(&app, anna).await.account_state,
        AccountState::Inactive
    );
    assert_eq!(members_seen_by_bruno().await, 1);
    // Run again: nothing more to do.
    assert!(run(&app.state, now).await.unwrap().inactive.is_empty());
    // Signing in again makes the profile active.
    let signed_in = app
        .call(
            "log_in",
            &[("email", "anna@scuola.it"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert!(signed_in.session_cookie().is_some(), "{}", signed_in.body);
    assert_eq!(person(&app, anna).await.account_state, AccountState::Active);
    assert_eq!(members_seen_by_bruno().await, 2);

    // 35 months: a warning mail with a sign-in link, once.
    last_signed_in(&app, anna, months_ago(now, 35)).await;
    let done = run(&app.state, now).await.unwrap();
    assert_eq!(done.warned, vec![anna]);
    assert_eq!(
        done.inactive,
        vec![anna],
        "and inactive, as a year has passed"
    );
    let mails = app.mailbox.wait_for(3).await;
    let mail = mail_text(&mails[2]);
    assert!(mail.contains("anna@scuola.it"), "{mail}");
    assert!(mail.contains("saranno anonimizzati"), "{mail}");
    assert!(mail.contains("/login"), "{mail}");
    assert!(person(&app, anna).await.lifecycle_warned_at.is_some());
    assert!(
        run(&app.state, now).await.unwrap().warned.is_empty(),
        "warned once"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mailbox.messages().len(), 3);

    // 36 months: the staff page's dry run says so, then the job anonymises.
    last_signed_in(&app, anna, months_ago(now, 36)).await;
    assert_eq!(plan(&app.state, now).await.unwrap().anonymised, vec![anna]);
    let jobs = app.call("load_jobs", &[], Some(&staff)).await.json();
    let lifecycle = jobs
        .as_array()
        .unwrap()
        .iter()
        .find(|job| job["name"] == "lifecycle")
        .unwrap()
        .clone();
    assert_eq!(lifecycle["plan"][2], serde_json::json!(["anonymised", 1]));
    // Through the scheduler, as a server runs it.
    let ran = app::ssr::scheduler::run_due(&app.state, "instance", now)
        .await
        .unwrap();
    assert!(ran.contains(&app::ssr::scheduler::Job::Lifecycle));
    let gone = person(&app, anna).await;
    assert_eq!(gone.account_state, AccountState::Anonymised);
    assert_eq!(
        (gone.given_name.as_str(), gone.family_name.as_str()),
        ("", "")
    );
    assert_eq!(gone.email, format!("anonimo-{anna}@anonimo.invalid"));
    assert_eq!(gone.school_code, "");
    assert!(gone.password_hash.is_none());
    assert_eq!(
        session::Entity::find()
            .filter(session::Column::UserId.eq(anna))
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    let post = thread::Entity::find_by_id(anna_thread)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(post.body, "");
    // Nobody signs in as her; her certificate still verifies with the name it printed.
    let refused = app
        .call(
            "log_in",
            &[("email", "anna@scuola.it"), ("password", PASSWORD)],
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let verified = app
        .call(
            "verify_certificate",
            &[("query", anna_certificate.id.as_str())],
            None,
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    assert!(
        verified.body.contains(&anna_certificate.name),
        "{}",
        verified.body
    );
    assert!(
        verified.body.contains("Valid") || verified.body.contains("valid"),
        "{}",
        verified.body
    );
    // Bruno, signed in now, is untouched.
    assert_eq!(
        person(&app, bruno).await.account_state,
        AccountState::Active
    );
    let audit = app.audit_of(anna).await;
    assert!(
        audit
            .iter()
            .any(|(action, _, actor)| action == "account_anonymised" && actor.is_none()),
        "{audit:?}"
    );
}

async fn staff_anonymise_a_person_on_request(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (staff_id, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (carla, carla_session) = app.user("carla@scuola.it", false, false).await;
    let id = carla.to_string();
    let refused = app
        .call(
            "anonymise_person",
            &[("user_id", &id), ("reason", "richiesta")],
            Some(&carla_session),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_reason = app
        .call(
            "anonymise_person",
            &[("user_id", &id), ("reason", " ")],
            Some(&staff),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let own = app
        .call(
            "anonymise_person",
            &[("user_id", &staff_id.to_string()), ("reason", "prova")],
            Some(&staff),
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert_eq!(
        person(&app, carla).await.account_state,
        AccountState::Active
    );
    let done = app
        .call(
            "anonymise_person",
            &[
                ("user_id", &id),
                ("reason", "Richiesta scritta del 3 novembre"),
            ],
            Some(&staff),
        )
        .await;
    assert!(
        done.status.is_success() || done.status.is_redirection(),
        "{}",
        done.body
    );
    let _ = location(&done);
    assert_eq!(
        person(&app, carla).await.account_state,
        AccountState::Anonymised
    );
    // Her session ended with her data.
    assert_eq!(
        app.call("current_user", &[], Some(&carla_session))
            .await
            .body,
        "null"
    );
    let audit = app.audit_of(carla).await;
    assert_eq!(audit.last().unwrap().0, "account_anonymised");
    assert_eq!(audit.last().unwrap().2, Some(staff_id));
    // Gone from the staff's list; her page is not found.
    let page = app
        .get(&format!("/staff/users/{carla}"), Some(&staff))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}
