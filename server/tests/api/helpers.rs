//! Drives the real router (`server::startup::router`) over a fresh database per test: a SQLite
//! file in the temporary folder, or a new PostgreSQL database (dropped afterwards).

use app::domain::account::{AccountState, RegistrationStatus};
use app::domain::activities::ActivityKind;
use app::domain::editions::EditionStatus;
use app::domain::enrolment::EnrolmentStatus;
use app::domain::quiz::ReviewPolicy;
use app::domain::sessions::Timeouts;
use app::domain::submissions::SubmissionStatus;
use app::error::AppError;
use app::ssr::entities::{course, edition, user};
use app::ssr::{AppState, Settings};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Days, Utc};
use http_body_util::BodyExt;
use leptos::server_fn::ServerFn;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, Database, EntityTrait,
    QueryFilter,
};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub const BASE_URL: &str = "http://aula.test";
pub const PASSWORD: &str = "una frase lunga e segreta";
pub const OIDC_CLIENT_SECRET: &str = "aula-integration-secret";

/// The test OpenID Connect provider (`end2end/oidc/provider.mjs`: the npm package
/// `oidc-provider`), one process for the whole test run, started when first needed. Its `aula`
/// client sends the browser back to [`BASE_URL`]; it exits when this process does (it watches
/// its standard input, which this process holds open).
pub fn oidc_issuer() -> String {
    static ISSUER: OnceLock<String> = OnceLock::new();
    ISSUER
        .get_or_init(|| {
            use std::io::BufRead;
            use std::process::{Command, Stdio};
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("workspace root");
            let mut child = Command::new("node")
                .arg(root.join("end2end/oidc/provider.mjs"))
                .current_dir(root)
                .env(
                    "OIDC_REDIRECT_URIS",
                    format!("{BASE_URL}/sso/test/callback"),
                )
                .env("OIDC_CLIENT_SECRET", OIDC_CLIENT_SECRET)
                .env("OIDC_EXIT_WITH_STDIN", "1")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(match std::env::var_os("AULA_TEST_OIDC_LOG") {
                    Some(path) => std::fs::File::create(path)
                        .map(Stdio::from)
                        .unwrap_or_else(|_| Stdio::null()),
                    None => Stdio::null(),
                })
                .spawn()
                .expect("node end2end/oidc/provider.mjs (npm ci installs oidc-provider)");
            let stdout = child.stdout.take().expect("provider output");
            let mut output = std::io::BufReader::new(stdout);
            let mut line = String::new();
            output
                .read_line(&mut line)
                .expect("the provider's first line");
            // Read on, so the provider never blocks on (or trips over) its output.
            std::thread::spawn(move || std::io::copy(&mut output, &mut std::io::sink()));
            let said: serde_json::Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("provider said {line:?} ({e})"));
            // Its standard input stays open as long as this process lives.
            std::mem::forget(child);
            said["issuer"].as_str().expect("issuer").to_owned()
        })
        .clone()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one test body on each backend: `both_databases!(name, …)` makes `name::sqlite` and
/// `name::postgres` from `async fn name(backend: Backend)`.
#[macro_export]
macro_rules! both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    $crate::helpers::within_limit(super::$name($crate::helpers::Backend::Sqlite)).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    $crate::helpers::within_limit(super::$name($crate::helpers::Backend::Postgres)).await
                }
            }
        )*
    };
}

/// Notes progress on standard error; the harness shows it only for a failing test, so a test
/// stopped by its time limit tells where it was.
pub fn step(what: &str) {
    eprintln!("[{:?}] {what}", std::time::Instant::now());
}

/// A test that has not finished after two minutes fails, instead of stalling the whole run.
pub async fn within_limit(test: impl std::future::Future<Output = ()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(120), test)
        .await
        .is_err()
    {
        panic!("the test did not finish within 120 s");
    }
}

pub struct TestApp {
    pub router: Router,
    pub state: AppState,
    pub backend: Backend,
    /// Every mail the app sends, as a real SMTP server on localhost received it.
    pub mailbox: SmtpSink,
    _database: DatabaseGuard,
}

/// A minimal SMTP server on a free localhost port that keeps what it receives: the app talks
/// real SMTP to it, and tests read the messages.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    received: Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("SMTP sink binds");
        let port = listener.local_addr().expect("address").port();
        let received: Arc<std::sync::Mutex<Vec<String>>> = Arc::default();
        let keep = received.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let keep = keep.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(message) = data.as_mut() {
                            if line == "." {
                                keep.lock().expect("mailbox").push(std::mem::take(message));
                                data = None;
                                let _ = write.write_all(b"250 queued\r\n").await;
                            } else {
                                message.push_str(line.strip_prefix('.').unwrap_or(&line));
                                message.push('\n');
                            }
                            continue;
                        }
                        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
                            "DATA" => {
                                data = Some(String::new());
                                b"354 go on\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"502 not here\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        Self { port, received }
    }

    /// The messages received so far (headers and body, as sent).
    pub fn messages(&self) -> Vec<String> {
        self.received.lock().expect("mailbox").clone()
    }

    /// Waits (up to 20 s) until at least `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        for _ in 0..200 {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("expected {count} mails, got {}", self.messages().len());
    }
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as sent (downloads: zips, PDFs).
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The session token of a `Set-Cookie: aula_session=…` header, if any.
    pub fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.strip_prefix("aula_session="))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
            .next()
    }
}

/// Removes the test database when the test ends (also when it fails).
struct DatabaseGuard {
    backend: Backend,
    name: String,
}

impl Drop for DatabaseGuard {
    fn drop(&mut self) {
        step("drop database: start");
        match self.backend {
            Backend::Sqlite => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", self.name));
                }
            }
            Backend::Postgres => {
                let name = self.name.clone();
                // Drop runs outside async code: use a runtime of its own on a fresh thread.
                let _ = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    runtime.block_on(async {
                        let admin = Database::connect(postgres_admin_url()).await.ok()?;
                        admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await
                            .ok()
                    })
                })
                .join();
            }
        }
    }
}

pub fn postgres_admin_url() -> String {
    std::env::var("AULA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn unique_name() -> String {
    use rand::Rng;
    let suffix: u64 = rand::rng().random();
    format!("aula_test_{suffix:016x}")
}

/// One Argon2 hash of [`PASSWORD`], shared by the users tests create (hashing is slow on purpose).
fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        // A thread of its own: a runtime cannot start inside the test's runtime.
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime
                .block_on(app::ssr::auth::passwords::hash(PASSWORD.to_owned()))
                .expect("hash")
        })
        .join()
        .expect("hashing thread")
    })
    .clone()
}

static UPLOAD_DIRS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);

/// Small enough that a test can send a file over it cheaply.
pub const TEST_UPLOAD_MAX_BYTES: usize = 1024 * 1024;

fn leptos_options() -> leptos::prelude::LeptosOptions {
    leptos::prelude::LeptosOptions::builder()
        .output_name("aula")
        .site_root("target/site")
        .build()
}

/// A server function call as the browser sends it: a form-encoded POST.
fn call_request(
    endpoint: &str,
    form: &[(&str, &str)],
    session: Option<&str>,
    origin: Option<&str>,
) -> Request<Body> {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut request = Request::post(format!("/api/{endpoint}"))
        .header(header::HOST, "aula.test")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", "203.0.113.7");
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    if let Some(token) = session {
        request = request.header(header::COOKIE, format!("aula_session={token}"));
    }
    request.body(Body::from(body)).expect("request")
}

async fn send_to(router: &Router, request: Request<Body>) -> Response {
    let response = router
        .clone()
        .oneshot(request)
        .await
        .expect("router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Response {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, Timeouts::default()).await
    }

    pub async fn spawn_with(backend: Backend, session_timeouts: Timeouts) -> Self {
        step("spawn: start");
        let name = unique_name();
        let (url, guard) = match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir()
                    .join(format!("{name}.db"))
                    .display()
                    .to_string();
                (
                    format!("sqlite://{path}?mode=rwc"),
                    DatabaseGuard {
                        backend,
                        name: path,
                    },
                )
            }
            Backend::Postgres => {
                let admin = Database::connect(postgres_admin_url())
                    .await
                    .expect("PostgreSQL must be reachable (cargo xtask test starts one)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create database");
                admin.close().await.ok();
                let admin_url = postgres_admin_url();
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .unwrap_or(&admin_url);
                (format!("{base}/{name}"), DatabaseGuard { backend, name })
            }
        };
        let db = server::startup::connect_and_migrate(&url, 10)
            .await
            .expect("connect and migrate");
        let mailbox = SmtpSink::start().await;
        let state = AppState {
            db,
            settings: Arc::new(Settings {
                base_url: BASE_URL.to_owned(),
                secret: b"test secret of at least thirty-two bytes".to_vec(),
                session_timeouts,
                trust_proxy: true,
                upload_dir: std::env::temp_dir().join(format!(
                    "aula-test-uploads-{}-{}",
                    std::process::id(),
                    UPLOAD_DIRS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                )),
                upload_max_bytes: TEST_UPLOAD_MAX_BYTES,
                upload_types: app::domain::submissions::FileType::ALL.to_vec(),
                signing_key: app::ed25519_dalek::SigningKey::from_bytes(&[9; 32]),
                retired_keys: Vec::new(),
                issuer: "Unità nazionale formazione docenti".to_owned(),
                mail: Some(app::ssr::mail::MailSettings {
                    delivery: app::ssr::mail::Delivery::Smtp(format!(
                        "smtp://127.0.0.1:{}",
                        mailbox.port
                    )),
                    from: "Aula <noreply@aula.test>".to_owned(),
                }),
                sso: Default::default(),
                retention: Default::default(),
            }),
        };
        let router = server::startup::router(state.clone(), leptos_options());
        // As a running server does: mail written to the outbox is sent by the worker.
        app::ssr::outbox::start_worker(state.clone());
        step("spawn: ready");
        Self {
            router,
            state,
            backend,
            mailbox,
            _database: guard,
        }
    }

    /// Another server instance over the same database, as behind a load balancer.
    pub fn another_instance(&self) -> Router {
        server::startup::router(self.state.clone(), leptos_options())
    }

    /// An instance over the same database with changed settings (e.g. served over https).
    pub fn instance_with(&self, change: impl FnOnce(&mut Settings)) -> Router {
        let mut settings = (*self.state.settings).clone();
        change(&mut settings);
        let state = AppState {
            db: self.state.db.clone(),
            settings: Arc::new(settings),
        };
        server::startup::router(state, leptos_options())
    }

    /// An instance over the same database that offers single sign-on with the test provider
    /// (`Test ID`, id `test`), a real OpenID Connect provider process ([`oidc_issuer`]).
    pub fn with_sso(&self) -> Router {
        let issuer = oidc_issuer();
        self.instance_with(|settings| {
            settings.sso = app::ssr::oidc::Providers::new(vec![app::ssr::oidc::ProviderSettings {
                id: app::domain::sso::ProviderId::parse("test").expect("id"),
                name: "Test ID".to_owned(),
                issuer,
                client_id: "aula".to_owned(),
                client_secret: Some(OIDC_CLIENT_SECRET.to_owned()),
            }]);
        })
    }

    pub async fn send_to(&self, router: &Router, request: Request<Body>) -> Response {
        send_to(router, request).await
    }

    pub async fn send(&self, request: Request<Body>) -> Response {
        send_to(&self.router, request).await
    }

    /// Calls a server function by its own argument type, as the browser does (form-encoded POST
    /// from our own origin), and reads the answer as its own result type: renaming a field or
    /// changing a result fails to compile here, not at run time.
    pub async fn invoke<F>(&self, call: F, session: Option<&str>) -> Result<F::Output, AppError>
    where
        F: ServerFn<Error = AppError> + serde::Serialize,
        F::Output: serde::de::DeserializeOwned,
    {
        self.invoke_via(&self.router, call, session).await
    }

    /// The same, answered by the given instance.
    pub async fn invoke_via<F>(
        &self,
        instance: &Router,
        call: F,
        session: Option<&str>,
    ) -> Result<F::Output, AppError>
    where
        F: ServerFn<Error = AppError> + serde::Serialize,
        F::Output: serde::de::DeserializeOwned,
    {
        let body = serde_qs::to_string(&call).expect("server function arguments");
        let mut request = Request::post(F::PATH)
            .header(header::HOST, "aula.test")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, BASE_URL)
            .header("x-forwarded-for", "203.0.113.7");
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("aula_session={token}"));
        }
        let response = send_to(instance, request.body(Body::from(body)).expect("request")).await;
        if response.status.is_success() {
            Ok(serde_json::from_str(&response.body)
                .unwrap_or_else(|e| panic!("{} answered {} ({e})", F::PATH, response.body)))
        } else {
            Err(serde_json::from_str(&response.body)
                .unwrap_or_else(|e| panic!("{} failed with {} ({e})", F::PATH, response.body)))
        }
    }

    /// Calls a server function by name with raw form fields, as the browser does (form-encoded
    /// POST from our own origin), and answers the raw HTTP response. For what the exchange itself
    /// is about (cookies, statuses, malformed arguments, what a payload must not contain, the
    /// access table over every registered path); everything else uses [`TestApp::invoke`].
    pub async fn call(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        session: Option<&str>,
    ) -> Response {
        self.call_from(endpoint, form, session, Some(BASE_URL))
            .await
    }

    /// Same, with a chosen `Origin` header (or none).
    pub async fn call_from(
        &self,
        endpoint: &str,
        form: &[(&str, &str)],
        session: Option<&str>,
        origin: Option<&str>,
    ) -> Response {
        self.send(call_request(endpoint, form, session, origin))
            .await
    }

    pub async fn get(&self, path: &str, session: Option<&str>) -> Response {
        let mut request = Request::get(path)
            .header(header::HOST, "aula.test")
            .header(header::ACCEPT, "text/html");
        if let Some(token) = session {
            request = request.header(header::COOKIE, format!("aula_session={token}"));
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    /// The audit log's entries about `subject`, oldest first, as (action, detail, actor).
    pub async fn audit_of(&self, subject: i32) -> Vec<(String, String, Option<i32>)> {
        use app::ssr::entities::audit_event;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        audit_event::Entity::find()
            .filter(audit_event::Column::SubjectId.eq(subject))
            .order_by_asc(audit_event::Column::Id)
            .all(&self.state.db)
            .await
            .expect("audit log")
            .into_iter()
            .map(|e| (e.action.as_str().to_owned(), e.detail, e.actor_id))
            .collect()
    }

    /// Every table's row count and a digest of its rows, to show that a refused request
    /// changed nothing. Sessions (touched by every request), request limits and login
    /// throttles (which count requests by design) are left out.
    pub async fn snapshot(&self) -> std::collections::BTreeMap<String, (usize, u64)> {
        use sea_orm::{DbBackend, Statement};
        use std::hash::{Hash, Hasher};
        const BOOKKEEPING: [&str; 4] = [
            "sessions",
            "request_limits",
            "login_throttles",
            "seaql_migrations",
        ];
        let db = &self.state.db;
        let backend = db.get_database_backend();
        let text = |rows: Vec<sea_orm::QueryResult>, column: &str| -> Vec<String> {
            rows.iter()
                .map(|row| row.try_get::<String>("", column).expect("a text column"))
                .collect()
        };
        let tables = match backend {
            DbBackend::Postgres => {
                "SELECT table_name::text AS name FROM information_schema.tables \
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            }
            _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        };
        let tables = text(
            db.query_all_raw(Statement::from_string(backend, tables))
                .await
                .expect("tables"),
            "name",
        );
        let mut snapshot = std::collections::BTreeMap::new();
        for table in tables {
            if BOOKKEEPING.contains(&table.as_str()) {
                continue;
            }
            let rows = match backend {
                DbBackend::Postgres => {
                    format!("SELECT t::text AS r FROM \"{table}\" t ORDER BY 1")
                }
                _ => {
                    let columns = text(
                        db.query_all_raw(Statement::from_string(
                            backend,
                            format!("SELECT name FROM pragma_table_info('{table}')"),
                        ))
                        .await
                        .expect("columns"),
                        "name",
                    );
                    let row = columns
                        .iter()
                        .map(|c| format!("quote(\"{c}\")"))
                        .collect::<Vec<_>>()
                        .join(" || ',' || ");
                    format!("SELECT {row} AS r FROM \"{table}\" ORDER BY 1")
                }
            };
            let rows = text(
                db.query_all_raw(Statement::from_string(backend, rows))
                    .await
                    .expect("rows"),
                "r",
            );
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            rows.hash(&mut hasher);
            snapshot.insert(table, (rows.len(), hasher.finish()));
        }
        snapshot
    }

    /// A validated user with [`PASSWORD`], and a signed-in session token for them.
    pub async fn user(&self, email: &str, ambassador: bool, staff: bool) -> (i32, String) {
        step(&format!("user {email}"));
        let created = user::ActiveModel {
            email: Set(email.to_owned()),
            given_name: Set("Maria".to_owned()),
            family_name: Set(format!("Rossi {email}")),
            school_name: Set("IC Firenze 3".to_owned()),
            school_code: Set("FIIC812003".to_owned()),
            school_region: Set(None),
            school_level: Set(None),
            locale: Set("it".to_owned()),
            is_ambassador: Set(ambassador),
            is_staff: Set(staff),
            registration_status: Set(RegistrationStatus::Validated),
            account_state: Set(AccountState::Active),
            password_hash: Set(Some(password_hash())),
            created_at: Set(Utc::now()),
            last_login_at: Set(None),
            email_verified_at: Set(Some(Utc::now())),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("insert user");
        let token = app::ssr::auth::start_session(&self.state, created.id)
            .await
            .expect("session");
        (created.id, token)
    }

    /// A person who signed up (address confirmed) whose registration staff have not yet
    /// decided, with a session.
    pub async fn pending_user(&self, email: &str) -> (i32, String) {
        let (id, token) = self.user(email, false, false).await;
        user::Entity::update_many()
            .col_expr(
                user::Column::RegistrationStatus,
                sea_orm::sea_query::Expr::value(RegistrationStatus::Pending),
            )
            .filter(user::Column::Id.eq(id))
            .exec(&self.state.db)
            .await
            .expect("pending");
        (id, token)
    }

    pub async fn course(&self, code: &str) -> i32 {
        step("course");
        let now = Utc::now();
        course::ActiveModel {
            code: Set(code.to_owned()),
            title: Set(format!("Corso {code}")),
            description: Set("Descrizione".to_owned()),
            workload_hours: Set(25),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("insert course")
        .id
    }

    /// An edition of `course_id` with the given status, taking enrolments today when open.
    pub async fn edition(&self, course_id: i32, status: &str, capacity: i32) -> i32 {
        step("edition");
        let today = app::ssr::db::today_in_rome();
        let now = Utc::now();
        edition::ActiveModel {
            course_id: Set(course_id),
            title: Set(format!("Edizione {status}")),
            enrolment_opens_on: Set(today.checked_sub_days(Days::new(3)).expect("date")),
            enrolment_closes_on: Set(today.checked_add_days(Days::new(10)).expect("date")),
            starts_on: Set(today.checked_add_days(Days::new(7)).expect("date")),
            ends_on: Set(today.checked_add_days(Days::new(37)).expect("date")),
            capacity: Set(capacity),
            status: Set(EditionStatus::parse(status).expect("edition status")),
            enrolment_version: Set(0),
            cloned_from_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("insert edition")
        .id
    }
}

impl TestApp {
    /// A group of `edition_id` with these members (enrolled here) and ambassadors.
    pub async fn group(
        &self,
        edition_id: i32,
        name: &str,
        members: &[i32],
        ambassadors: &[i32],
    ) -> i32 {
        step("group");
        use app::ssr::entities::{enrolment, group, group_ambassador, group_member};
        let now = Utc::now();
        let group = group::ActiveModel {
            edition_id: Set(edition_id),
            name: Set(name.to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("group");
        for user_id in members {
            enrolment::ActiveModel {
                edition_id: Set(edition_id),
                user_id: Set(*user_id),
                status: Set(EnrolmentStatus::Enrolled),
                requested_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&self.state.db)
            .await
            .expect("enrolment");
            group_member::ActiveModel {
                edition_id: Set(edition_id),
                user_id: Set(*user_id),
                group_id: Set(group.id),
            }
            .insert(&self.state.db)
            .await
            .expect("member");
        }
        for user_id in ambassadors {
            group_ambassador::ActiveModel {
                group_id: Set(group.id),
                user_id: Set(*user_id),
            }
            .insert(&self.state.db)
            .await
            .expect("ambassador");
        }
        group.id
    }

    /// An edition whose rule asks for nothing, so everyone enrolled (in group "A") has
    /// completed it; `staff` is a staff member's session.
    pub async fn completed_edition(&self, staff: &str, people: &[i32]) -> i32 {
        step("completed_edition");
        let course = self.course("NEO-CERT").await;
        let edition = self.edition(course, "running", 1000).await;
        self.group(edition, "A", people, &[]).await;
        let rule = app::features::completion::api::SaveCompletionRule {
            edition_id: edition,
            rule: Default::default(),
            confirm: Some(people.len() as u32),
        };
        self.invoke(rule, Some(staff)).await.expect("rule saved");
        edition
    }

    pub async fn thread(&self, group_id: i32, author_id: i32) -> i32 {
        step("thread");
        let now = Utc::now();
        app::ssr::entities::thread::ActiveModel {
            group_id: Set(group_id),
            author_id: Set(author_id),
            title: Set("Primo giorno".to_owned()),
            body: Set("Ciao a tutti".to_owned()),
            created_at: Set(now),
            last_activity_at: Set(now),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("thread")
        .id
    }
}

impl TestApp {
    pub async fn user_id(&self, email: &str) -> i32 {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        user::Entity::find()
            .filter(user::Column::Email.eq(email))
            .one(&self.state.db)
            .await
            .expect("query")
            .expect("user")
            .id
    }

    /// An activity of `kind`; a webinar starts `starts_in` from now and lasts 90 minutes.
    pub async fn activity(
        &self,
        edition_id: i32,
        kind: &str,
        title: &str,
        starts_in: chrono::TimeDelta,
    ) -> i32 {
        step("activity");
        let now = Utc::now();
        let webinar = kind == "webinar";
        app::ssr::entities::activity::ActiveModel {
            edition_id: Set(edition_id),
            position: Set(1),
            kind: Set(ActivityKind::parse(kind).expect("activity kind")),
            title: Set(title.to_owned()),
            description: Set(String::new()),
            opens_at: Set(None),
            due_at: Set(None),
            estimated_minutes: Set(60),
            counts: Set(true),
            url: Set(Some("https://meet.example.org/room-1".to_owned())),
            body: Set(None),
            starts_at: Set(webinar.then(|| now + starts_in)),
            duration_minutes: Set(webinar.then_some(90)),
            recording_url: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("activity")
        .id
    }

    /// An (empty) uploaded report for a webinar, waiting to be applied.
    pub async fn empty_import(&self, activity_id: i32, uploaded_by: i32) -> i32 {
        step("empty_import");
        app::ssr::entities::attendance_import::ActiveModel {
            activity_id: Set(activity_id),
            uploaded_by: Set(uploaded_by),
            file_name: Set("zoom.csv".to_owned()),
            rows: Set("[[],[]]".to_owned()),
            created_at: Set(Utc::now()),
            applied_at: Set(None),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("import")
        .id
    }

    /// Uploads a file as the attendance page's form does (multipart, from our own origin).
    pub async fn upload_report(
        &self,
        activity_id: i32,
        file_name: &str,
        bytes: &[u8],
        session: &str,
    ) -> Response {
        let path = format!("/attendance-imports?activity_id={activity_id}");
        let body = file_part("report", file_name, "text/csv", bytes);
        self.send(multipart_post(&path, session, Body::from(body)))
            .await
    }
}

impl TestApp {
    /// A multipart form with one field, as a browser posts it from our own pages.
    pub async fn post_file(
        &self,
        path: &str,
        field: &str,
        file_name: &str,
        bytes: &[u8],
        session: &str,
    ) -> Response {
        let body = file_part(field, file_name, "application/octet-stream", bytes);
        self.send(multipart_post(path, session, Body::from(body)))
            .await
    }
}

/// The boundary between the parts of the test's multipart forms.
const BOUNDARY: &str = "----aula-test-boundary";

/// A multipart form with one file field, whole.
fn file_part(field: &str, file_name: &str, mime: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = file_part_start(field, file_name, mime).into_bytes();
    body.extend(bytes);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// The start of a file field, up to where its bytes begin.
pub fn file_part_start(field: &str, file_name: &str, mime: &str) -> String {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: {mime}\r\n\r\n"
    )
}

impl TestApp {
    /// Staff upload a registry file as the page's form sends it.
    pub async fn upload_registry(&self, session: &str, file_name: &str, bytes: &[u8]) -> Response {
        let body = file_part("registry", file_name, "text/csv", bytes);
        self.send(multipart_post("/staff/registry", session, Body::from(body)))
            .await
    }
}

/// A multipart POST from our own pages, signed in with `session`.
pub fn multipart_post(path: &str, session: &str, body: Body) -> Request<Body> {
    Request::post(path)
        .header(header::HOST, "aula.test")
        .header(header::ORIGIN, BASE_URL)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, format!("aula_session={session}"))
        .body(body)
        .expect("request")
}

pub fn urlencode(value: &str) -> String {
    urlencoding::encode(value).into_owned()
}

/// The variant name of a serialised `AppError` (`"NotAllowed"`, `{"Refused": …}` → `"Refused"`).
pub fn error_kind(response: &Response) -> String {
    match response.json() {
        serde_json::Value::String(kind) => kind,
        serde_json::Value::Object(map) => map.keys().next().cloned().unwrap_or_default(),
        other => panic!("unexpected error body {other}"),
    }
}

impl TestApp {
    /// A quiz of `edition_id` with three questions (single choice "Roma", true/false true,
    /// short answer "perché"), one point each.
    pub async fn quiz(&self, edition_id: i32, settings: QuizSetup) -> (i32, Vec<i32>) {
        step("quiz");
        use app::domain::quiz::Kind;
        let now = Utc::now();
        let quiz = app::ssr::entities::activity::ActiveModel {
            edition_id: Set(edition_id),
            position: Set(5),
            kind: Set(ActivityKind::Quiz),
            title: Set("Quiz finale".to_owned()),
            description: Set(String::new()),
            opens_at: Set(settings.opens_in.map(|d| now + d)),
            due_at: Set(settings.due_in.map(|d| now + d)),
            estimated_minutes: Set(30),
            counts: Set(true),
            url: Set(None),
            body: Set(None),
            starts_at: Set(None),
            duration_minutes: Set(None),
            recording_url: Set(None),
            pass_percent: Set(Some(60)),
            max_attempts: Set(settings.max_attempts),
            time_limit_minutes: Set(settings.time_limit_minutes),
            shuffle: Set(settings.shuffle),
            review_policy: Set(Some(
                ReviewPolicy::parse(settings.review).expect("review policy"),
            )),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("quiz")
        .id;
        let kinds = [
            (
                "Capitale d'Italia?",
                Kind::SingleChoice {
                    options: vec!["Milano".into(), "Roma".into(), "Torino".into()],
                    correct: 1,
                },
            ),
            ("Il cielo è blu.", Kind::TrueFalse { correct: true }),
            (
                "Parola che introduce una causa?",
                Kind::ShortAnswer {
                    accepted: vec!["perché".into()],
                },
            ),
        ];
        let mut ids = Vec::new();
        for (position, (prompt, kind)) in kinds.into_iter().enumerate() {
            let created = app::ssr::entities::quiz_question::ActiveModel {
                activity_id: Set(quiz),
                position: Set(position as i32 + 1),
                prompt: Set(prompt.to_owned()),
                points: Set(1),
                kind: Set(serde_json::to_string(&kind).expect("kind")),
                ..Default::default()
            }
            .insert(&self.state.db)
            .await
            .expect("question");
            ids.push(created.id);
        }
        (quiz, ids)
    }

    /// A version of `user_id`'s work on `activity_id` in the given status.
    pub async fn submission(
        &self,
        activity_id: i32,
        user_id: i32,
        version: i32,
        status: &str,
    ) -> i32 {
        step("submission");
        let now = Utc::now();
        app::ssr::entities::submission::ActiveModel {
            activity_id: Set(activity_id),
            user_id: Set(user_id),
            version: Set(version),
            status: Set(SubmissionStatus::parse(status).expect("submission status")),
            body: Set(format!("Versione {version}")),
            design: Set(None),
            file_name: Set(None),
            file_key: Set(None),
            file_type: Set(None),
            file_size: Set(None),
            updated_at: Set(now),
            submitted_at: Set((status != "draft").then_some(now)),
            reviewed_by: Set(None),
            reviewed_at: Set(None),
            feedback: Set(None),
            ..Default::default()
        }
        .insert(&self.state.db)
        .await
        .expect("submission")
        .id
    }

    /// Sends the work form as the activity page does (multipart, from our own origin).
    pub async fn send_submission(
        &self,
        activity_id: i32,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
        session: &str,
    ) -> Response {
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        if let Some((file_name, bytes)) = file {
            body.extend(file_part_start("file", file_name, "application/octet-stream").as_bytes());
            body.extend(bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
        let path = format!("/activities/{activity_id}/submission");
        self.send(multipart_post(&path, session, Body::from(body)))
            .await
    }

    /// Sends a quiz form as the activity page does.
    pub async fn send_answers(
        &self,
        attempt_id: i32,
        fields: &[(&str, &str)],
        session: &str,
    ) -> Response {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = Request::post(format!("/quiz-attempts/{attempt_id}"))
            .header(header::HOST, "aula.test")
            .header(header::ORIGIN, BASE_URL)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("aula_session={session}"))
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }
}

/// How [`TestApp::quiz`] sets the quiz up.
#[derive(Debug, Clone, Copy)]
pub struct QuizSetup {
    pub max_attempts: Option<i32>,
    pub time_limit_minutes: Option<i32>,
    pub shuffle: bool,
    /// `after_submission` or `after_close`.
    pub review: &'static str,
    pub due_in: Option<chrono::TimeDelta>,
    /// When staff opened it (the test editions have not started yet); `None`: not set, so it
    /// opens with the edition.
    pub opens_in: Option<chrono::TimeDelta>,
}

impl Default for QuizSetup {
    fn default() -> Self {
        Self {
            max_attempts: Some(2),
            time_limit_minutes: None,
            shuffle: false,
            review: "after_submission",
            due_in: None,
            opens_in: Some(chrono::TimeDelta::hours(-1)),
        }
    }
}

/// Where a redirect sends the browser.
pub fn location(response: &Response) -> String {
    response
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A mail's text as written, its quoted-printable encoding undone (soft line breaks, `=XX`).
pub fn mail_text(message: &str) -> String {
    let joined = message.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The path (with its query) of the first link to `prefix` (e.g. `/verify-email/`) in a mail.
pub fn link_in(message: &str, prefix: &str) -> String {
    let text = mail_text(message);
    let start = text
        .find(&format!("{BASE_URL}{prefix}"))
        .unwrap_or_else(|| panic!("no link to {prefix} in: {text}"));
    text[start + BASE_URL.len()..]
        .split(|c: char| c.is_whitespace() || c == '<' || c == '"')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The token at the end of a link's path (before any query).
pub fn token_of(link: &str) -> String {
    link.split('?')
        .next()
        .and_then(|path| path.rsplit('/').next())
        .unwrap_or_default()
        .to_owned()
}

/// Everything someone watching the answer sees but its date: status, sorted headers, body.
pub fn as_seen(response: &Response) -> (StatusCode, Vec<(String, String)>, String) {
    let mut headers: Vec<(String, String)> = response
        .headers
        .iter()
        .filter(|(name, _)| *name != "date")
        .map(|(name, value)| {
            (
                name.to_string(),
                value.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    headers.sort();
    (response.status, headers, response.body.clone())
}

/// The mailed link's token is stored only as its hash: the one link row there is.
pub async fn assert_only_hash_stored(app: &TestApp, token: &str) {
    use sea_orm::EntityTrait;
    let stored = app::ssr::entities::account_link::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].token_hash, app::ssr::auth::hash_token(token));
    assert!(!format!("{stored:?}").contains(token));
}
