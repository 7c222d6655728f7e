//! The scheduler: with several instances on one database each due job runs once; a run that
//! died is taken over when its lease runs out; housekeeping removes only what is past keeping
//! and finds nothing the second time; staff see the last run. Time is the tests' own clock.

use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::ssr::entities::{account_link, scheduled_job, session, sso_login};
use app::ssr::scheduler::{Job, instance_name, run_due};
use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, PaginatorTrait};

both_databases!(
    three_instances_run_a_due_job_once,
    a_run_that_died_is_taken_over_when_its_lease_runs_out,
    housekeeping_removes_only_what_is_past_keeping,
    staff_see_each_job_and_ask_for_a_run
);

async fn job_row(app: &TestApp) -> scheduled_job::Model {
    scheduled_job::Entity::find_by_id(Job::Housekeeping.name())
        .one(&app.state.db)
        .await
        .unwrap()
        .expect("the job has a row")
}

/// Stored times lose sub-microsecond precision: compare to the millisecond.
fn same_time(a: DateTime<Utc>, b: DateTime<Utc>) -> bool {
    (a - b).num_milliseconds().abs() <= 1
}

async fn three_instances_run_a_due_job_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let now = Utc::now();
    let names: Vec<String> = (0..3).map(|_| instance_name()).collect();
    let (a, b, c) = tokio::join!(
        run_due(&app.state, &names[0], now),
        run_due(&app.state, &names[1], now),
        run_due(&app.state, &names[2], now)
    );
    let runs = [a.unwrap(), b.unwrap(), c.unwrap()];
    assert_eq!(
        runs.iter()
            .filter(|ran| ran.contains(&Job::Housekeeping))
            .count(),
        1,
        "exactly one instance ran it: {runs:?}"
    );
    let row = job_row(&app).await;
    assert_eq!(row.lease_owner, None, "the lease is given back");
    assert_eq!(row.last_succeeded, Some(true));
    assert!(same_time(row.next_run_at, now + TimeDelta::days(1)));
    // Not due again before its period.
    assert!(
        !run_due(&app.state, "instance-a", now + TimeDelta::hours(23))
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    assert!(
        run_due(&app.state, "instance-b", now + TimeDelta::days(1))
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
}

async fn a_run_that_died_is_taken_over_when_its_lease_runs_out(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (user_id, _) = app.user("persona@scuola.it", false, false).await;
    let now = Utc::now();
    // An instance took the lease five minutes ago and stopped half-way.
    scheduled_job::ActiveModel {
        name: Set(Job::Housekeeping.name().to_owned()),
        next_run_at: Set(now - TimeDelta::minutes(5)),
        lease_owner: Set(Some("stopped-instance".to_owned())),
        lease_until: Set(Some(
            now - TimeDelta::minutes(5) + Job::Housekeeping.lease(),
        )),
        last_started_at: Set(Some(now - TimeDelta::minutes(5))),
        last_finished_at: Set(None),
        last_duration_ms: Set(None),
        last_succeeded: Set(None),
        last_result: Set(None),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    let stale = old_session(&app, user_id, now).await;
    // While its lease holds, nobody else runs the job: it may still be running.
    assert!(
        !run_due(&app.state, "b", now)
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    assert!(
        !run_due(&app.state, "b", now + TimeDelta::minutes(9))
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    assert!(session_exists(&app, &stale).await);
    // Its lease ran out: another instance runs the job again from the start.
    let later = now + TimeDelta::minutes(11);
    assert!(
        run_due(&app.state, "b", later)
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    assert!(!session_exists(&app, &stale).await, "the work got done");
    let row = job_row(&app).await;
    assert_eq!(row.lease_owner, None);
    assert_eq!(row.last_succeeded, Some(true));
    assert!(same_time(row.last_started_at.unwrap(), later));
}

/// A unique key the size of a stored hash (64 characters at most).
fn fake_hash(tag: &str) -> String {
    format!("{tag}-{}", &app::ssr::auth::random_token()[..40])
}

async fn old_session(app: &TestApp, user_id: i32, now: DateTime<Utc>) -> String {
    let hash = fake_hash("stale");
    session::ActiveModel {
        token_hash: Set(hash.clone()),
        user_id: Set(user_id),
        created_at: Set(now - TimeDelta::days(60)),
        last_seen_at: Set(now - TimeDelta::days(60)),
    }
    .insert(&app.state.db)
    .await
    .unwrap();
    hash
}

async fn session_exists(app: &TestApp, hash: &str) -> bool {
    session::Entity::find_by_id(hash.to_owned())
        .one(&app.state.db)
        .await
        .unwrap()
        .is_some()
}

fn link(user_id: i32, tag: &str, expires_at: DateTime<Utc>) -> account_link::ActiveModel {
    account_link::ActiveModel {
        token_hash: Set(fake_hash(tag)),
        user_id: Set(user_id),
        purpose: Set("reset_password".to_owned()),
        new_email: Set(None),
        created_at: Set(expires_at - TimeDelta::hours(1)),
        expires_at: Set(expires_at),
        used_at: Set(None),
    }
}

fn pending_sign_in(tag: &str, expires_at: DateTime<Utc>) -> sso_login::ActiveModel {
    sso_login::ActiveModel {
        state_hash: Set(fake_hash(tag)),
        provider: Set("test".to_owned()),
        nonce: Set("nonce".to_owned()),
        pkce_verifier: Set("verifier".to_owned()),
        next: Set("/".to_owned()),
        connect_user_id: Set(None),
        created_at: Set(expires_at - TimeDelta::minutes(10)),
        expires_at: Set(expires_at),
    }
}

async fn housekeeping_removes_only_what_is_past_keeping(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (user_id, token) = app.user("persona@scuola.it", false, false).await;
    let now = Utc::now();
    let db = &app.state.db;
    old_session(&app, user_id, now).await;
    old_session(&app, user_id, now).await;
    link(user_id, "old", now - TimeDelta::days(3))
        .insert(db)
        .await
        .unwrap();
    // Expired only yesterday: kept a little longer, so a late click still hears "expired".
    link(user_id, "recent", now - TimeDelta::hours(2))
        .insert(db)
        .await
        .unwrap();
    link(user_id, "valid", now + TimeDelta::hours(2))
        .insert(db)
        .await
        .unwrap();
    pending_sign_in("gone", now - TimeDelta::minutes(1))
        .insert(db)
        .await
        .unwrap();
    pending_sign_in("current", now + TimeDelta::minutes(5))
        .insert(db)
        .await
        .unwrap();
    let sessions_before = session::Entity::find().count(db).await.unwrap();
    assert!(
        run_due(&app.state, "a", now)
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    let row = job_row(&app).await;
    let counts: Vec<(String, u64)> =
        serde_json::from_str(row.last_result.as_deref().unwrap()).unwrap();
    let count = |kind: &str| counts.iter().find(|(k, _)| k == kind).unwrap().1;
    assert_eq!(count("sessions"), 2);
    assert_eq!(count("links"), 1);
    assert_eq!(count("sign_ins"), 1);
    assert_eq!(
        session::Entity::find().count(db).await.unwrap(),
        sessions_before - 2
    );
    assert_eq!(account_link::Entity::find().count(db).await.unwrap(), 2);
    assert_eq!(sso_login::Entity::find().count(db).await.unwrap(), 1);
    // The person's own session is untouched: still signed in.
    let me = app.call("current_user", &[], Some(&token)).await;
    assert_eq!(me.json()["email"], "persona@scuola.it");
    // Run again at once (a run taken over after a crash does the same): nothing left to do.
    app::ssr::scheduler::make_due(&app.state, Job::Housekeeping, now)
        .await
        .unwrap();
    assert!(
        run_due(&app.state, "b", now + TimeDelta::seconds(1))
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    let row = job_row(&app).await;
    let counts: Vec<(String, u64)> =
        serde_json::from_str(row.last_result.as_deref().unwrap()).unwrap();
    assert!(counts.iter().all(|(_, n)| *n == 0), "{counts:?}");
    assert_eq!(counts.len(), 5);
    assert_eq!(account_link::Entity::find().count(db).await.unwrap(), 2);
}

async fn staff_see_each_job_and_ask_for_a_run(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("segreteria@scuola.it", false, true).await;
    let (_, participant) = app.user("persona@scuola.it", false, false).await;
    let jobs = app.call("load_jobs", &[], Some(&staff)).await;
    assert_eq!(jobs.status, StatusCode::OK);
    assert_eq!(jobs.json()[0]["name"], "housekeeping");
    assert_eq!(jobs.json()[0]["last_started_at"], serde_json::Value::Null);
    let now = Utc::now();
    run_due(&app.state, "a", now).await.unwrap();
    // Not due again for a day, unless staff ask.
    assert!(
        !run_due(&app.state, "a", now)
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    let refused = app
        .call(
            "run_job_now",
            &[("name", "housekeeping")],
            Some(&participant),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        !run_due(&app.state, "a", Utc::now())
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    let unknown = app
        .call("run_job_now", &[("name", "everything")], Some(&staff))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let asked = app
        .call("run_job_now", &[("name", "housekeeping")], Some(&staff))
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    assert!(
        run_due(&app.state, "a", Utc::now())
            .await
            .unwrap()
            .contains(&Job::Housekeeping)
    );
    let jobs = app.call("load_jobs", &[], Some(&staff)).await.json();
    assert_eq!(jobs[0]["last_succeeded"], true);
    assert_eq!(jobs[0]["running"], false);
    assert_eq!(jobs[0]["counts"][0][0], "sessions");
    let page = app.get("/staff/jobs", Some(&staff)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Pulizia"), "{}", page.body);
    assert!(page.body.contains("Riuscita"));
}
