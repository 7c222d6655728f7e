use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::ssr::entities::{course, edition};
use axum::http::StatusCode;
use sea_orm::{EntityTrait, PaginatorTrait};

both_databases!(
    staff_create_a_course_and_an_edition,
    course_codes_are_unique_and_validated,
    cloning_shifts_every_date,
    status_moves_forward_only,
    the_enrolment_list_is_searchable_and_paginated,
);

fn edition_form<'a>(title: &'a str, capacity: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        ("enrolment_opens_on", "2027-02-01"),
        ("enrolment_closes_on", "2027-03-05"),
        ("starts_on", "2027-03-01"),
        ("ends_on", "2027-03-31"),
        ("capacity", capacity),
    ]
}

async fn staff_create_a_course_and_an_edition(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let response = app
        .call(
            "create_course",
            &[
                ("code", "etw-base"),
                ("title", "Corso online di base eTwinning"),
                ("description", "Tre webinar"),
                ("workload_hours", "25"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let course_id = response.json().as_i64().unwrap().to_string();
    let stored = course::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.code, "ETW-BASE");

    let mut form = edition_form("Primavera 2027", "500");
    form.push(("course_id", &course_id));
    let response = app.call("create_edition", &form, Some(&staff)).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let id = response.json().as_i64().unwrap().to_string();
    let admin = app
        .call("edition_admin", &[("edition_id", &id)], Some(&staff))
        .await
        .json();
    assert_eq!(admin["summary"]["status"], "draft");
    assert_eq!(admin["summary"]["capacity"], 500);
    assert_eq!(admin["next_status"], "open");

    let detail = app
        .call("course_detail", &[("course_id", &course_id)], Some(&staff))
        .await
        .json();
    assert_eq!(detail["editions"].as_array().map(Vec::len), Some(1));

    // Bad dates and capacity: every problem reported, nothing stored.
    let bad = [
        ("course_id", course_id.as_str()),
        ("title", ""),
        ("enrolment_opens_on", "2027-03-10"),
        ("enrolment_closes_on", "2027-03-01"),
        ("starts_on", "2027-03-01"),
        ("ends_on", "31/03/2027"),
        ("capacity", "zero"),
    ];
    let response = app.call("create_edition", &bad, Some(&staff)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for problem in [
        "Required",
        "ClosesBeforeOpens",
        "DateInvalid",
        "NotAWholeNumber",
    ] {
        assert!(
            response.body.contains(problem),
            "{problem}: {}",
            response.body
        );
    }
    assert_eq!(
        edition::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
}

async fn course_codes_are_unique_and_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let form = [
        ("code", "ETW-BASE"),
        ("title", "Corso"),
        ("description", ""),
        ("workload_hours", "25"),
    ];
    assert_eq!(
        app.call("create_course", &form, Some(&staff)).await.status,
        StatusCode::OK
    );
    let again = app.call("create_course", &form, Some(&staff)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("CourseCodeTaken"));
    let bad = app
        .call(
            "create_course",
            &[
                ("code", "a b"),
                ("title", "x"),
                ("description", ""),
                ("workload_hours", "900"),
            ],
            Some(&staff),
        )
        .await;
    assert!(
        bad.body.contains("CourseCodeInvalid") && bad.body.contains("OutOfRange"),
        "{}",
        bad.body
    );
    assert_eq!(
        course::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
}

async fn cloning_shifts_every_date(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course_id = app.course("ETW-BASE").await.to_string();
    let mut form = edition_form("Primavera 2027", "300");
    form.push(("course_id", &course_id));
    let source = app
        .call("create_edition", &form, Some(&staff))
        .await
        .json()
        .as_i64()
        .unwrap()
        .to_string();

    let response = app
        .call(
            "clone_edition",
            &[
                ("edition_id", &source),
                ("title", "Autunno 2027"),
                ("starts_on", "2027-10-04"),
            ],
            Some(&staff),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let clone = response.json().as_i64().unwrap() as i32;
    let model = edition::Entity::find_by_id(clone)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    // 2027-03-01 → 2027-10-04 is 217 days; every date moves by the same amount.
    assert_eq!(model.starts_on.to_string(), "2027-10-04");
    assert_eq!(model.ends_on.to_string(), "2027-11-03");
    assert_eq!(model.enrolment_opens_on.to_string(), "2027-09-06");
    assert_eq!(model.enrolment_closes_on.to_string(), "2027-10-08");
    assert_eq!(model.capacity, 300);
    assert_eq!(model.status.as_str(), "draft");
    assert_eq!(
        model.cloned_from_id.map(|id| id.to_string()),
        Some(source.clone())
    );

    let bad = app
        .call(
            "clone_edition",
            &[("edition_id", &source), ("title", ""), ("starts_on", "")],
            Some(&staff),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        edition::Entity::find().count(&app.state.db).await.unwrap(),
        2
    );
}

async fn status_moves_forward_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let id = app.edition(course, "draft", 10).await.to_string();
    for (to, expected) in [
        ("running", StatusCode::CONFLICT),
        ("open", StatusCode::OK),
        ("draft", StatusCode::CONFLICT),
        ("running", StatusCode::OK),
        ("closed", StatusCode::OK),
        ("archived", StatusCode::OK),
        ("open", StatusCode::CONFLICT),
        ("published", StatusCode::CONFLICT),
    ] {
        let response = app
            .call(
                "change_edition_status",
                &[("edition_id", &id), ("status", to)],
                Some(&staff),
            )
            .await;
        assert_eq!(response.status, expected, "to {to}: {}", response.body);
    }
    let model = edition::Entity::find_by_id(id.parse::<i32>().unwrap())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(model.status.as_str(), "archived");
}

async fn the_enrolment_list_is_searchable_and_paginated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 30).await;
    let id = edition.to_string();
    for n in 0..32 {
        let (_, token) = app
            .user(&format!("docente{n:02}@scuola.it"), false, false)
            .await;
        app.call("enrol", &[("edition_id", &id)], Some(&token))
            .await;
    }
    let list = |search: &'static str, status: &'static str, page: &'static str| {
        let app = &app;
        let staff = staff.clone();
        let id = id.clone();
        async move {
            app.call(
                "enrolment_list",
                &[
                    ("edition_id", &id),
                    ("search", search),
                    ("status", status),
                    ("page", page),
                ],
                Some(&staff),
            )
            .await
            .json()
        }
    };
    let first = list("", "", "1").await;
    assert_eq!(first["total"], 32);
    assert_eq!(first["items"].as_array().map(Vec::len), Some(25));
    let second = list("", "", "2").await;
    assert_eq!(second["items"].as_array().map(Vec::len), Some(7));
    let past_the_end = list("", "", "99").await;
    assert_eq!(past_the_end["number"], 2, "clamped to the last page");

    let one = list("DOCENTE07", "", "1").await;
    assert_eq!(one["total"], 1, "case-insensitive search by email");
    assert_eq!(one["items"][0]["email"], "docente07@scuola.it");
    let by_name = list("rossi docente1", "", "1").await;
    assert_eq!(
        by_name["total"], 10,
        "every word must match (family name and email)"
    );
    let waiting = list("", "waitlisted", "1").await;
    assert_eq!(waiting["total"], 2);
    assert_eq!(waiting["items"][0]["position"], 1);
    let none = list("nessuno", "", "1").await;
    assert_eq!(none["total"], 0);
}
