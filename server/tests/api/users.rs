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
    demo_data_can_be_seeded_twice
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
