use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use axum::http::StatusCode;

both_databases!(
    health_answers_while_the_database_does,
    pages_render_on_the_server,
    unknown_pages_and_ids_are_404,
    pages_render_while_other_routers_are_built
);

async fn health_answers_while_the_database_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body, "ok");

    app.state.db.clone().close().await.expect("close");
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
}

async fn pages_render_on_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 10).await;
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("lang=\"it\""), "Italian by default");
    assert!(
        home.body.contains("Edizione open"),
        "open editions listed on the home page"
    );
    assert!(
        home.body.contains("/pkg/aula.js"),
        "hydration script included"
    );

    let page = app.get(&format!("/editions/{edition}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Corso ETW-BASE"));
    assert!(page.body.contains("Accedi o registrati per iscriverti"));
}

async fn unknown_pages_and_ids_are_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let draft = app.edition(course, "draft", 10).await;
    for path in [
        "/nowhere",
        "/editions/987654",
        "/editions/not-a-number",
        &format!("/editions/{draft}"),
    ] {
        crate::helpers::step(&format!("GET {path}"));
        let response = app.get(path, None).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            response.body.contains("Pagina non trovata"),
            "{path}: a clear message"
        );
    }
}

/// SQLite is opened for safety: foreign keys enforced, WAL, a busy timeout, full fsync.
#[tokio::test]
async fn sqlite_is_configured_for_durability() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = TestApp::spawn(Backend::Sqlite).await;
    for (pragma, expected) in [
        ("foreign_keys", 1),
        ("synchronous", 2),
        ("busy_timeout", 10_000),
    ] {
        let row = app
            .state
            .db
            .query_one_raw(Statement::from_string(
                app.state.db.get_database_backend(),
                format!("PRAGMA {pragma}"),
            ))
            .await
            .unwrap()
            .expect("a row");
        assert_eq!(
            row.try_get_by_index::<i64>(0).unwrap(),
            expected,
            "PRAGMA {pragma}"
        );
    }
    let row = app
        .state
        .db
        .query_one_raw(Statement::from_string(
            app.state.db.get_database_backend(),
            "PRAGMA journal_mode",
        ))
        .await
        .unwrap()
        .expect("a row");
    assert_eq!(row.try_get_by_index::<String>(0).unwrap(), "wal");
    // Foreign keys hold: an enrolment for a missing edition is refused.
    let result = app
        .state
        .db
        .execute_unprepared(
            "INSERT INTO enrolments (edition_id, user_id, status, requested_at, updated_at) \
             VALUES (999, 999, 'enrolled', '2027-01-01T00:00:00Z', '2027-01-01T00:00:00Z')",
        )
        .await;
    assert!(result.is_err(), "foreign keys are enforced");
}

/// Pages rendered side by side, while other routers are built in the same process (as the
/// tests build one each, in parallel), all come back, whole, within ten seconds. Two faults
/// this caught: building a router generated the route list by rendering the app with resource
/// loading switched off process-wide, so a page whose data was first asked for at that moment
/// waited forever; and a page title written as a closure was read outside the page's reactive
/// arena, which panicked when another request had run on the same thread in between.
async fn pages_render_while_other_routers_are_built(backend: Backend) {
    let app = std::sync::Arc::new(TestApp::spawn(backend).await);
    let course = app.course("ETW-BASE").await;
    app.edition(course, "open", 10).await;
    let building = {
        let app = app.clone();
        tokio::spawn(async move {
            for _ in 0..30 {
                let _ = app.another_instance();
                tokio::task::yield_now().await;
            }
        })
    };
    let mut renders = Vec::new();
    for _ in 0..4 {
        let app = app.clone();
        renders.push(tokio::spawn(async move {
            for _ in 0..10 {
                let page = tokio::time::timeout(
                    std::time::Duration::from_secs(10),
                    app.get("/editions", None),
                )
                .await
                .expect("the page came back");
                assert_eq!(page.status, StatusCode::OK);
            }
        }));
    }
    for render in renders {
        render.await.expect("renders");
    }
    building.await.expect("routers built");
}
