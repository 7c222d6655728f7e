use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use axum::http::StatusCode;

both_databases!(
    health_answers_while_the_database_does,
    pages_render_on_the_server,
    unknown_pages_and_ids_are_404,
    pages_render_while_other_routers_are_built,
    pages_run_only_their_own_scripts_and_nothing_is_cached_or_framed,
    page_renders_read_in_one_transaction_and_give_it_back,
    what_pages_share_is_read_once_and_a_change_shows_on_the_next_render
);

async fn health_answers_while_the_database_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/healthz", None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.body, "ok");

    app.state.db.pool().clone().close().await.expect("close");
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

/// Every page carries a Content-Security-Policy whose nonce is on each of its inline scripts
/// (and only there: a fresh one per page); everything else allows nothing. No answer is kept
/// by a cache but the bundle; nothing may be framed; over https browsers are told to stay.
async fn pages_run_only_their_own_scripts_and_nothing_is_cached_or_framed(backend: Backend) {
    use axum::http::header;
    let app = TestApp::spawn(backend).await;
    let (_, session) = app.user("anna@scuola.it", false, false).await;
    let mut nonces = Vec::new();
    for (path, who) in [
        ("/", None),
        ("/", Some(session.as_str())),
        ("/nowhere", None),
    ] {
        let page = app.get(path, who).await;
        let policy = page
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("{path}: no Content-Security-Policy"))
            .to_owned();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        let script_src = policy
            .split(';')
            .find(|d| d.trim_start().starts_with("script-src "))
            .unwrap_or_else(|| panic!("{path}: no script-src in {policy}"));
        assert!(!script_src.contains("unsafe-inline"), "{policy}");
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy}"))
            .to_owned();
        assert!(nonce.len() >= 16, "{nonce}");
        // Every script that can run carries the nonce (leptos_i18n's empty placeholder
        // `<script></script>` has nothing to run: browsers skip it before any policy check).
        let tags: Vec<&str> = page
            .body
            .match_indices("<script")
            .filter(|(at, _)| !page.body[*at..].starts_with("<script></script>"))
            .map(|(at, _)| {
                let tag = &page.body[at..];
                &tag[..tag.find('>').unwrap_or(tag.len())]
            })
            .collect();
        assert!(!tags.is_empty(), "{path}: the hydration script");
        for tag in tags {
            assert!(
                tag.contains(&format!("nonce=\"{nonce}\"")),
                "{path}: a script without the page's nonce: {tag}"
            );
        }
        assert_eq!(
            page.headers
                .get(header::CACHE_CONTROL)
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path}"
        );
        assert!(!page.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "a nonce is never used twice");

    // A server function's answer: nothing may load from it, nothing keeps it.
    let answer = app.call("home", &[], Some(&session)).await;
    assert_eq!(answer.status, StatusCode::OK);
    let policy = answer
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok());
    assert!(
        policy.is_some_and(
            |p| p.starts_with("default-src 'none'") && p.contains("frame-ancestors 'none'")
        ),
        "{policy:?}"
    );
    assert_eq!(
        answer
            .headers
            .get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    assert_eq!(
        answer
            .headers
            .get(header::X_FRAME_OPTIONS)
            .and_then(|v| v.to_str().ok()),
        Some("DENY")
    );

    // Over https, HSTS.
    let https = app.instance_with(|s| s.base_url = "https://aula.test".to_owned());
    let request = axum::http::Request::get("/")
        .header(header::HOST, "aula.test")
        .body(axum::body::Body::empty())
        .unwrap();
    let page = app.send_to(&https, request).await;
    let hsts = page
        .headers
        .get(header::STRICT_TRANSPORT_SECURITY)
        .and_then(|v| v.to_str().ok());
    assert!(hsts.is_some_and(|h| h.starts_with("max-age=")), "{hsts:?}");
}

/// A page render reads through one transaction of its own (a server function called on its own
/// does not), renders at once never wait on each other for good, each gives its connection back
/// when it is done, and what changed between two renders shows in the second.
async fn page_renders_read_in_one_transaction_and_give_it_back(backend: Backend) {
    use app::features::editions::api::EditionPage;
    use app::features::enrolment::api::Enrol;
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let edition = app.edition(course, "open", 10).await;
    let (_, token) = app.user("ada@example.org", false, false).await;
    let db = &app.state.db;
    let places = db.free_page_places();
    assert!(places > 0);
    let path = format!("/editions/{edition}");
    let enrolled = "Sei iscritto a questa edizione.";
    for round in 0..3 {
        let before = db.page_transactions();
        let pages = futures::future::join_all((0..8).map(|_| app.get(&path, Some(&token)))).await;
        for page in &pages {
            assert_eq!(page.status, StatusCode::OK, "round {round}");
            assert_eq!(page.body.contains(enrolled), round > 0, "round {round}");
        }
        assert!(
            db.page_transactions() > before,
            "round {round}: the renders read through transactions of their own"
        );
        let mut waited = 0;
        while db.free_page_places() < places && waited < 500 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            waited += 1;
        }
        assert_eq!(
            db.free_page_places(),
            places,
            "round {round}: every place given back"
        );
        if round == 0 {
            app.invoke(
                Enrol {
                    edition_id: edition,
                },
                Some(&token),
            )
            .await
            .expect("enrols");
        }
    }
    let before = db.page_transactions();
    app.invoke(
        EditionPage {
            edition_id: edition,
        },
        Some(&token),
    )
    .await
    .expect("reads");
    assert_eq!(
        db.page_transactions(),
        before,
        "a server function on its own reads the pool"
    );
}

/// What an edition shows everyone (its summary and activities) is read once for the renders of
/// a moment, so a participant's edition page costs a few round trips; and a change shows on the
/// very next render, on the edition's page and on the home page.
async fn what_pages_share_is_read_once_and_a_change_shows_on_the_next_render(backend: Backend) {
    use app::features::enrolment::api::Enrol;
    use app::ssr::entities::edition;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let app = TestApp::spawn(backend).await;
    let course = app.course("ETW-BASE").await;
    let id = app.edition(course, "open", 10).await;
    app.activity(id, "task_sheet", "Scheda uno", chrono::TimeDelta::zero())
        .await;
    let (_, token) = app.user("ada@example.org", false, false).await;
    app.invoke(Enrol { edition_id: id }, Some(&token))
        .await
        .expect("enrols");
    let db = &app.state.db;
    let path = format!("/editions/{id}");
    let first = app.get(&path, Some(&token)).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Scheda uno"), "{}", first.body);
    let before = db.round_trips();
    let again = app.get(&path, Some(&token)).await;
    let trips = db.round_trips() - before;
    assert!(again.body.contains("Scheda uno"));
    // The transaction, the participant's enrolments (with their certificate and calendar) and
    // facts: the session, the summary and the activities were kept from the first render.
    assert!(
        trips <= 3,
        "a participant's edition page took {trips} round trips"
    );

    app.activity(id, "task_sheet", "Scheda due", chrono::TimeDelta::zero())
        .await;
    let mut renamed: edition::ActiveModel = edition::Entity::find_by_id(id)
        .one(db)
        .await
        .expect("query")
        .expect("the edition")
        .into();
    renamed.title = Set("Edizione rinominata".to_owned());
    renamed.update(db).await.expect("renamed");
    let page = app.get(&path, Some(&token)).await;
    assert!(page.body.contains("Scheda due"), "the new activity shows");
    assert!(
        page.body.contains("Edizione rinominata"),
        "the new title shows"
    );
    let home = app.get("/", Some(&token)).await;
    assert!(
        home.body.contains("Edizione rinominata"),
        "and on the home page"
    );
    // The home page: the transaction and the participant's enrolments (which say whether any
    // work came back for revision, so the list of it is read only then).
    let before = db.round_trips();
    let again = app.get("/", Some(&token)).await;
    let trips = db.round_trips() - before;
    assert!(again.body.contains("Edizione rinominata"));
    assert!(
        trips <= 2,
        "a participant's home page took {trips} round trips"
    );
}
