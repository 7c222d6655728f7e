use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::domain::Problem;
use app::domain::editions::EditionStatus;
use app::domain::enrolment::EnrolmentStatus;
use app::error::AppError;
use app::features::courses::api::{CourseDetail, CreateCourse};
use app::features::editions::api::{
    ChangeEditionStatus, CloneEdition, CreateEdition, EditionAdmin,
};
use app::features::enrolment::api::{Enrol, EnrolmentList};
use app::ssr::entities::{course, edition};
use sea_orm::{EntityTrait, PaginatorTrait};

both_databases!(
    staff_create_a_course_and_an_edition,
    course_codes_are_unique_and_validated,
    cloning_shifts_every_date,
    status_moves_forward_only,
    the_enrolment_list_is_searchable_and_paginated,
    the_catalogue_shows_a_change_made_a_moment_ago,
);

fn new_edition(course_id: i32, title: &str, capacity: &str) -> CreateEdition {
    CreateEdition {
        course_id,
        title: title.to_owned(),
        enrolment_opens_on: "2027-02-01".to_owned(),
        enrolment_closes_on: "2027-03-05".to_owned(),
        starts_on: "2027-03-01".to_owned(),
        ends_on: "2027-03-31".to_owned(),
        capacity: capacity.to_owned(),
    }
}

fn new_course(code: &str, title: &str, workload_hours: &str) -> CreateCourse {
    CreateCourse {
        code: code.to_owned(),
        title: title.to_owned(),
        description: "Tre webinar".to_owned(),
        workload_hours: workload_hours.to_owned(),
    }
}

/// The problems a refusal lists, or a panic for any other answer.
fn problems<T: std::fmt::Debug>(answer: Result<T, AppError>) -> Vec<Problem> {
    match answer {
        Err(AppError::Invalid(found)) => found.into_iter().map(|p| p.problem).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

async fn staff_create_a_course_and_an_edition(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course_id = app
        .invoke(
            new_course("etw-base", "Corso online di base eTwinning", "25"),
            Some(&staff),
        )
        .await
        .expect("course created");
    let stored = course::Entity::find()
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.code, "ETW-BASE");

    let id = app
        .invoke(
            new_edition(course_id, "Primavera 2027", "500"),
            Some(&staff),
        )
        .await
        .expect("edition created");
    let admin = app
        .invoke(EditionAdmin { edition_id: id }, Some(&staff))
        .await
        .expect("the edition's page");
    assert_eq!(admin.summary.status, EditionStatus::Draft);
    assert_eq!(admin.summary.capacity, 500);
    assert_eq!(admin.next_status, Some(EditionStatus::Open));

    let detail = app
        .invoke(CourseDetail { course_id }, Some(&staff))
        .await
        .expect("the course's page");
    assert_eq!(detail.editions.len(), 1);

    // Bad dates and capacity: every problem reported, nothing stored.
    let bad = CreateEdition {
        course_id,
        title: String::new(),
        enrolment_opens_on: "2027-03-10".to_owned(),
        enrolment_closes_on: "2027-03-01".to_owned(),
        starts_on: "2027-03-01".to_owned(),
        ends_on: "31/03/2027".to_owned(),
        capacity: "zero".to_owned(),
    };
    let found = problems(app.invoke(bad, Some(&staff)).await);
    for problem in [
        Problem::Required,
        Problem::ClosesBeforeOpens,
        Problem::DateInvalid,
        Problem::NotAWholeNumber,
    ] {
        assert!(found.contains(&problem), "{problem:?} in {found:?}");
    }
    assert_eq!(
        edition::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
}

async fn course_codes_are_unique_and_validated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let form = new_course("ETW-BASE", "Corso", "25");
    assert!(app.invoke(form.clone(), Some(&staff)).await.is_ok());
    let again = problems(app.invoke(form, Some(&staff)).await);
    assert_eq!(again, vec![Problem::CourseCodeTaken]);
    let bad = problems(
        app.invoke(new_course("a b", "x", "900"), Some(&staff))
            .await,
    );
    assert!(bad.contains(&Problem::CourseCodeInvalid), "{bad:?}");
    assert!(
        bad.iter().any(|p| matches!(p, Problem::OutOfRange { .. })),
        "{bad:?}"
    );
    assert_eq!(
        course::Entity::find().count(&app.state.db).await.unwrap(),
        1
    );
}

async fn cloning_shifts_every_date(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course_id = app.course("ETW-BASE").await;
    let source = app
        .invoke(
            new_edition(course_id, "Primavera 2027", "300"),
            Some(&staff),
        )
        .await
        .expect("edition created");

    let clone_as = |title: &str, starts_on: &str| CloneEdition {
        edition_id: source,
        title: title.to_owned(),
        starts_on: starts_on.to_owned(),
    };
    let clone = app
        .invoke(clone_as("Autunno 2027", "2027-10-04"), Some(&staff))
        .await
        .expect("cloned");
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
    assert_eq!(model.status, EditionStatus::Draft);
    assert_eq!(model.cloned_from_id, Some(source));

    let bad = app.invoke(clone_as("", ""), Some(&staff)).await;
    assert!(matches!(bad, Err(AppError::Invalid(_))), "{bad:?}");
    assert_eq!(
        edition::Entity::find().count(&app.state.db).await.unwrap(),
        2
    );
}

async fn status_moves_forward_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let id = app.edition(course, "draft", 10).await;
    for (to, allowed) in [
        ("running", false),
        ("open", true),
        ("draft", false),
        ("running", true),
        ("closed", true),
        ("archived", true),
        ("open", false),
        ("published", false),
    ] {
        let change = ChangeEditionStatus {
            edition_id: id,
            status: to.to_owned(),
        };
        let answer = app.invoke(change, Some(&staff)).await;
        if allowed {
            assert_eq!(answer, Ok(()), "to {to}");
        } else {
            assert!(
                matches!(answer, Err(AppError::Refused(_))),
                "to {to}: {answer:?}"
            );
        }
    }
    let model = edition::Entity::find_by_id(id)
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(model.status, EditionStatus::Archived);
}

async fn the_enrolment_list_is_searchable_and_paginated(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 30).await;
    for n in 0..32 {
        let (_, token) = app
            .user(&format!("docente{n:02}@scuola.it"), false, false)
            .await;
        app.invoke(
            Enrol {
                edition_id: edition,
            },
            Some(&token),
        )
        .await
        .expect("enrolled or in line");
    }
    let list = |search: &str, status: &str, page: u64| {
        let app = &app;
        let staff = staff.clone();
        let call = EnrolmentList {
            edition_id: edition,
            search: search.to_owned(),
            status: status.to_owned(),
            page,
        };
        async move { app.invoke(call, Some(&staff)).await.expect("the list") }
    };
    let first = list("", "", 1).await;
    assert_eq!(first.total, 32);
    assert_eq!(first.items.len(), 25);
    let second = list("", "", 2).await;
    assert_eq!(second.items.len(), 7);
    let past_the_end = list("", "", 99).await;
    assert_eq!(past_the_end.number, 2, "clamped to the last page");

    let one = list("DOCENTE07", "", 1).await;
    assert_eq!(one.total, 1, "case-insensitive search by email");
    assert_eq!(one.items[0].email, "docente07@scuola.it");
    let by_name = list("rossi docente1", "", 1).await;
    assert_eq!(
        by_name.total, 10,
        "every word must match (family name and email)"
    );
    let waiting = list("", "waitlisted", 1).await;
    assert_eq!(waiting.total, 2);
    assert_eq!(waiting.items[0].status, EnrolmentStatus::Waitlisted);
    assert_eq!(waiting.items[0].position, Some(1));
    let none = list("nessuno", "", 1).await;
    assert_eq!(none.total, 0);
}

/// The catalogue is read once for all requests of a moment (`app::ssr::shared`): a change made
/// through this server shows on the very next page, not a moment later.
async fn the_catalogue_shows_a_change_made_a_moment_ago(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let course = app.course("ETW-BASE").await;
    let id = app.edition(course, "draft", 10).await;
    let home = app.get("/", None).await;
    assert!(
        !home.body.contains("Edizione draft"),
        "a draft is not offered"
    );
    for (status, shown) in [("open", true), ("running", false)] {
        let change = ChangeEditionStatus {
            edition_id: id,
            status: status.to_owned(),
        };
        assert_eq!(app.invoke(change, Some(&staff)).await, Ok(()), "{status}");
        let home = app.get("/", None).await;
        assert_eq!(home.body.contains("Edizione draft"), shown, "{status}");
    }
}
