use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::ssr::entities::user;
use axum::http::StatusCode;
use sea_orm::EntityTrait;

both_databases!(
    staff_grant_and_remove_roles,
    the_first_staff_account_comes_from_the_command,
    demo_data_can_be_seeded_twice
);

async fn staff_grant_and_remove_roles(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (staff_id, staff) = app.user("staff@aula.it", false, true).await;
    let (teacher_id, teacher) = app.user("teacher@scuola.it", false, false).await;
    let id = teacher_id.to_string();

    let response = app
        .call(
            "set_role",
            &[
                ("user_id", &id),
                ("role", "ambassador"),
                ("granted", "true"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
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
    let response = app
        .call(
            "set_role",
            &[("user_id", &id), ("role", "staff"), ("granted", "true")],
            Some(&staff),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let response = app
        .call(
            "set_role",
            &[
                ("user_id", &id),
                ("role", "ambassador"),
                ("granted", "false"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK);
    let changed = user::Entity::find_by_id(teacher_id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert!(changed.is_staff && !changed.is_ambassador);

    // Nobody removes their own staff role.
    let own = app
        .call(
            "set_role",
            &[
                ("user_id", &staff_id.to_string()),
                ("role", "staff"),
                ("granted", "false"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert!(own.body.contains("OwnStaffRole"));
    assert!(
        user::Entity::find_by_id(staff_id)
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .is_staff
    );

    let list = app
        .call(
            "list_users",
            &[("search", "teacher"), ("page", "1")],
            Some(&teacher),
        )
        .await;
    assert_eq!(
        list.json()["total"],
        1,
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
    let login = app
        .call(
            "log_in",
            &[("email", "direzione@aula.it"), ("password", &generated)],
            None,
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
}

async fn demo_data_can_be_seeded_twice(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let first = server::demo::seed(&app.state).await.expect("seed");
    let second = server::demo::seed(&app.state).await.expect("seed again");
    assert_eq!(first.len(), 5);
    assert_ne!(first[0].1, second[0].1, "new passwords at every start");
    let staff = &second[0];
    let login = app
        .call(
            "log_in",
            &[("email", &staff.0), ("password", &staff.1)],
            None,
        )
        .await;
    assert_eq!(login.status, StatusCode::OK, "{}", login.body);
    let open = app.call("open_editions", &[], None).await.json();
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    assert_eq!(open[0]["course_title"], "Corso online di base eTwinning");
    assert_eq!(open[0]["enrolled"], 2);
}
