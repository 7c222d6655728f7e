use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::domain::roles::RoleChangeRefusal;
use app::error::{AppError, Refusal};
use app::features::accounts::api::LogIn;
use app::features::editions::api::OpenEditions;
use app::features::users::api::{ListUsers, SetRole};
use app::ssr::entities::user;
use sea_orm::EntityTrait;

both_databases!(
    staff_grant_and_remove_roles,
    the_first_staff_account_comes_from_the_command,
    demo_data_can_be_seeded_twice,
    a_withdrawn_ambassador_no_longer_reaches_her_groups,
    a_tutorship_without_the_role_gives_no_reach,
    staff_help_a_person_with_their_account_on_record
);

async fn staff_grant_and_remove_roles(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (staff_id, staff) = app.user("staff@aula.it", false, true).await;
    let (teacher_id, teacher) = app.user("teacher@scuola.it", false, false).await;
    let set = |user_id: i32, role: &str, granted: bool| SetRole {
        user_id,
        role: role.to_owned(),
        granted: granted.to_string(),
    };

    app.invoke(set(teacher_id, "ambassador", true), Some(&staff))
        .await
        .expect("granted");
    assert_eq!(
        app.audit_of(teacher_id).await,
        vec![(
            "role_changed".to_owned(),
            "ambassador: granted".to_owned(),
            Some(staff_id)
        )]
    );
    assert!(
        user::Entity::find_by_id(teacher_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .is_ambassador
    );
    app.invoke(set(teacher_id, "staff", true), Some(&staff))
        .await
        .expect("granted");
    app.invoke(set(teacher_id, "ambassador", false), Some(&staff))
        .await
        .expect("withdrawn");
    let changed = user::Entity::find_by_id(teacher_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(changed.is_staff && !changed.is_ambassador);

    // Nobody removes their own staff role.
    assert_eq!(
        app.invoke(set(staff_id, "staff", false), Some(&staff))
            .await,
        Err(AppError::Refused(Refusal::RoleChange(
            RoleChangeRefusal::OwnStaffRole
        )))
    );
    assert!(
        user::Entity::find_by_id(staff_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .is_staff
    );

    let search = ListUsers {
        search: "teacher".to_owned(),
        page: 1,
    };
    let list = app.invoke(search, Some(&teacher)).await;
    assert_eq!(
        list.map(|page| page.total),
        Ok(1),
        "the new staff member can list users"
    );
}

async fn the_first_staff_account_comes_from_the_command(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let account = |password: &str| server::commands::StaffAccount {
        email: "Direzione@Aula.it".into(),
        given_name: "Giulia".into(),
        family_name: "Bianchi".into(),
        school_name: "Unità nazionale".into(),
        school_code: "RMUN000000".into(),
        password: password.into(),
    };
    let weak = server::commands::create_staff(&app.state, account("password")).await;
    assert!(weak.is_err_and(|message| message.contains("most used")));
    let generated = server::commands::generate_password();
    let id = server::commands::create_staff(&app.state, account(&generated))
        .await
        .expect("created");
    let stored = user::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.is_staff);
    assert_eq!(stored.email, "direzione@aula.it");
    let again = server::commands::create_staff(&app.state, account(&generated)).await;
    assert!(again.is_err(), "no second account for one address");
    let login = LogIn {
        email: "direzione@aula.it".to_owned(),
        password: generated,
        next: None,
    };
    assert_eq!(app.invoke(login, None).await, Ok(()));
}

async fn demo_data_can_be_seeded_twice(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = server::demo::seed(&app.state).await.expect("seed");
    let second = server::demo::seed(&app.state).await.expect("seed again");
    assert_eq!(first.len(), 5);
    assert_ne!(first[0].1, second[0].1, "new passwords at every start");
    let staff = &second[0];
    let login = LogIn {
        email: staff.0.clone(),
        password: staff.1.clone(),
        next: None,
    };
    assert_eq!(app.invoke(login, None).await, Ok(()));
    let open = app
        .invoke(OpenEditions {}, None)
        .await
        .expect("the catalogue");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].course_title, "Corso online di base eTwinning");
    assert_eq!(open[0].enrolled, 2);
}

/// Staff withdraw the ambassador role: the person's tutorships end (on record), and with them
/// the group space and the cockpit she reached through them.
async fn a_withdrawn_ambassador_no_longer_reaches_her_groups(backend: Backend) {
    use app::features::cockpit::api::LoadCockpit;
    use app::features::groups::api::LoadGroupSpace;
    use app::ssr::entities::{audit_event, group_ambassador};
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    let app = TestApp::spawn(backend).await;
    let (marco, marco_session) = app.user("marco@scuola.it", true, false).await;
    let (anna, _) = app.user("anna@scuola.it", false, false).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    let group = app.group(edition, "Gruppo A", &[anna], &[marco]).await;
    let cockpit = || LoadCockpit {
        edition_id: edition,
        group: None,
        page: 1,
        standing: None,
    };
    let space = || LoadGroupSpace { group_id: group };
    assert!(app.invoke(space(), Some(&marco_session)).await.is_ok());
    assert!(app.invoke(cockpit(), Some(&marco_session)).await.is_ok());

    let withdraw = SetRole {
        user_id: marco,
        role: "ambassador".to_owned(),
        granted: "false".to_owned(),
    };
    assert_eq!(app.invoke(withdraw, Some(&staff)).await, Ok(()));

    assert_eq!(
        app.invoke(space(), Some(&marco_session)).await.err(),
        Some(AppError::NotFound)
    );
    assert!(app.invoke(cockpit(), Some(&marco_session)).await.is_err());
    let page = app
        .get(&format!("/groups/{group}"), Some(&marco_session))
        .await;
    assert_eq!(page.status, axum::http::StatusCode::NOT_FOUND);
    let left = group_ambassador::Entity::find()
        .filter(group_ambassador::Column::UserId.eq(marco))
        .count(&app.state.db)
        .await
        .unwrap();
    assert_eq!(left, 0, "the tutorship ended");
    let recorded = audit_event::Entity::find()
        .filter(audit_event::Column::SubjectId.eq(marco))
        .filter(audit_event::Column::EditionId.eq(edition))
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(recorded.len(), 1, "{recorded:?}");
    assert!(recorded[0].detail.contains("Gruppo A"), "{recorded:?}");
}

/// A tutorship row for someone without the role (as one left over from before this rule)
/// reaches nothing.
async fn a_tutorship_without_the_role_gives_no_reach(backend: Backend) {
    use app::features::groups::api::LoadGroupSpace;
    let app = TestApp::spawn(backend).await;
    let (marco, marco_session) = app.user("marco@scuola.it", false, false).await;
    let (anna, _) = app.user("anna@scuola.it", false, false).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "running", 100).await;
    let group = app.group(edition, "Gruppo A", &[anna], &[marco]).await;
    assert_eq!(
        app.invoke(LoadGroupSpace { group_id: group }, Some(&marco_session))
            .await
            .err(),
        Some(AppError::NotFound)
    );
}

/// `serve --demo` against what looks like a real site (PostgreSQL, or an https address) stops
/// before touching anything and says how to insist; on a local SQLite trial it runs.
#[test]
fn demo_data_refuses_a_real_looking_site() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = std::env::temp_dir().join(format!("aula-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}/aula.db?mode=rwc", dir.display());
    let run = |database: &str, base_url: &str, wait: u64| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["serve", "--demo"])
            .env("DATABASE_URL", database)
            .env("AULA_BASE_URL", base_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("AULA_UPLOAD_DIR", dir.join("uploads"))
            .env("AULA_DATA_DIR", &dir)
            // A real site brings its own keys (without, it is refused for that first).
            .env(
                "AULA_SECRET",
                "demo test secret of at least thirty-two bytes",
            )
            .env("AULA_SIGNING_KEY", "ab".repeat(32))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary");
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                let mut stderr = String::new();
                use std::io::Read;
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut stderr)
                    .unwrap();
                return Some((status.success(), stderr));
            }
            if started.elapsed() > Duration::from_secs(wait) {
                child.kill().ok();
                child.wait().ok();
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let (ok, stderr) = run(
        "postgres://aula@127.0.0.1:1/aula",
        "http://127.0.0.1:3000",
        15,
    )
    .expect("refused at once, not started");
    assert!(!ok && stderr.contains("--force-demo"), "{stderr}");
    let (ok, stderr) =
        run(&sqlite, "https://aula.example.org", 15).expect("refused at once, not started");
    assert!(!ok && stderr.contains("--force-demo"), "{stderr}");
    assert!(!dir.join("aula.db").exists(), "nothing was created");
    // A local trial starts (and keeps running until stopped).
    assert!(run(&sqlite, "http://127.0.0.1:3000", 5).is_none());
    std::fs::remove_dir_all(&dir).ok();
}

/// On `/staff/users/{id}` staff send a reset link, close and reopen an account and correct a
/// name; each goes on record with who did it (and why), and closing ends the sessions.
async fn staff_help_a_person_with_their_account_on_record(backend: Backend) {
    use app::ssr::entities::audit_event;
    use axum::http::StatusCode;
    use sea_orm::QueryOrder;
    let app = TestApp::spawn(backend).await;
    let (staff_id, staff) = app.user("staff@aula.it", false, true).await;
    let (teacher_id, teacher) = app.user("teacher@scuola.it", false, false).await;
    let id = teacher_id.to_string();

    let page = app.get(&format!("/staff/users/{id}"), Some(&staff)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("teacher@scuola.it"), "{}", page.body);
    let not_staff = app.get(&format!("/staff/users/{id}"), Some(&teacher)).await;
    assert_eq!(not_staff.status, StatusCode::FORBIDDEN);

    let sent = app
        .call("send_reset_link", &[("user_id", &id)], Some(&staff))
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let mails = app.mailbox.wait_for(1).await;
    assert!(mails[0].contains("To: teacher@scuola.it"));
    crate::helpers::link_in(&mails[0], "/password/reset/");

    // Nobody closes their own account.
    let own = app
        .call(
            "set_account_active",
            &[
                ("user_id", &staff_id.to_string()),
                ("active", "false"),
                ("reason", "prova"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT, "{}", own.body);
    let no_reason = app
        .call(
            "set_account_active",
            &[("user_id", &id), ("active", "false"), ("reason", " ")],
            Some(&staff),
        )
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    let closed = app
        .call(
            "set_account_active",
            &[
                ("user_id", &id),
                ("active", "false"),
                ("reason", "richiesta della persona"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
    let me = app.call("current_user", &[], Some(&teacher)).await;
    assert_eq!(me.body, "null", "the session ended");
    let refused = app
        .call(
            "log_in",
            &[
                ("email", "teacher@scuola.it"),
                ("password", crate::helpers::PASSWORD),
            ],
            None,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert!(
        refused.body.contains("AccountDeactivated"),
        "{}",
        refused.body
    );
    // A wrong password learns nothing about it.
    let guess = app
        .call(
            "log_in",
            &[
                ("email", "teacher@scuola.it"),
                ("password", "tentativo a caso"),
            ],
            None,
        )
        .await;
    assert_eq!(guess.status, StatusCode::UNAUTHORIZED);

    let reopened = app
        .call(
            "set_account_active",
            &[("user_id", &id), ("active", "true"), ("reason", "chiarito")],
            Some(&staff),
        )
        .await;
    assert_eq!(reopened.status, StatusCode::OK, "{}", reopened.body);
    let back = app
        .call(
            "log_in",
            &[
                ("email", "teacher@scuola.it"),
                ("password", crate::helpers::PASSWORD),
            ],
            None,
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);

    let corrected = app
        .call(
            "correct_name",
            &[
                ("user_id", &id),
                ("given_name", "Nicolò"),
                ("family_name", "D'Amico"),
                ("reason", "accento mancante"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(corrected.status, StatusCode::OK, "{}", corrected.body);
    let person = user::Entity::find_by_id(teacher_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (person.given_name.as_str(), person.family_name.as_str()),
        ("Nicolò", "D'Amico")
    );

    // (action, actor, subject, detail, reason)
    type Logged = (String, Option<i32>, Option<i32>, String, Option<String>);
    let logged: Vec<Logged> = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                e.action.as_str().to_owned(),
                e.actor_id,
                e.subject_id,
                e.detail,
                e.reason,
            )
        })
        .collect();
    let who = Some(staff_id);
    let whom = Some(teacher_id);
    assert_eq!(
        logged,
        vec![
            (
                "password_reset_sent".into(),
                who,
                whom,
                "teacher@scuola.it".into(),
                None
            ),
            (
                "account_deactivated".into(),
                who,
                whom,
                "teacher@scuola.it".into(),
                Some("richiesta della persona".into())
            ),
            (
                "account_reactivated".into(),
                who,
                whom,
                "teacher@scuola.it".into(),
                Some("chiarito".into())
            ),
            (
                "name_corrected".into(),
                who,
                whom,
                "Maria Rossi teacher@scuola.it → Nicolò D'Amico".into(),
                Some("accento mancante".into())
            ),
        ]
    );
}
