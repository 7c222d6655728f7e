//! Building the application: database, migrations, state and router.

use crate::config::Config;
use app::app::{App, shell};
use app::domain::sessions::Timeouts;
use app::ssr::{AppState, Settings};
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRef, MatchedPath, State};
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use migrations::{Migrator, MigratorTrait};
use sea_orm::DbErr;
use std::collections::HashSet;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// The router's state: what Leptos needs, and what Aula needs.
#[derive(Clone)]
pub struct ServerState {
    pub leptos: LeptosOptions,
    pub app: AppState,
}

impl FromRef<ServerState> for LeptosOptions {
    fn from_ref(state: &ServerState) -> Self {
        state.leptos.clone()
    }
}

impl FromRef<ServerState> for AppState {
    fn from_ref(state: &ServerState) -> Self {
        state.app.clone()
    }
}

/// Connects to the database and brings its schema up to date.
pub async fn connect_and_migrate(
    database_url: &str,
    max_connections: u32,
) -> Result<app::ssr::db::Db, DbErr> {
    if let Some(path) = sqlite_path(database_url)
        && let Some(parent) = std::path::Path::new(&path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    let db = app::ssr::db::connect(database_url, max_connections).await?;
    Migrator::up(db.pool(), None).await?;
    Ok(db)
}

/// The file behind a `sqlite://path?…` URL, if it is one.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_owned())
}

pub fn app_state(config: &Config, keys: &crate::secrets::Keys, db: app::ssr::db::Db) -> AppState {
    AppState {
        db,
        settings: Arc::new(Settings {
            base_url: config.base_url.clone(),
            secret: keys.secret.clone(),
            session_timeouts: Timeouts {
                idle: config.session_idle,
                absolute: config.session_max,
            },
            trust_proxy: config.trust_proxy,
            upload_dir: config.upload_dir.clone().into(),
            upload_max_bytes: config.upload_max_bytes,
            upload_types: config.upload_types.clone(),
            signing_key: keys.signing_key.clone(),
            retired_keys: keys.retired.clone(),
            issuer: config.issuer.clone(),
            // Without a relay, mail is written to files someone trying Aula can open.
            mail: Some(app::ssr::mail::MailSettings {
                delivery: match &config.smtp_url {
                    Some(url) => app::ssr::mail::Delivery::Smtp(url.clone()),
                    None => app::ssr::mail::Delivery::Files(config.data_dir.join("mail")),
                },
                from: config.mail_from.clone(),
            }),
            sso: app::ssr::oidc::Providers::new(config.sso_providers.clone()),
            retention: config.retention,
        }),
    }
}

pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("aula")
        .site_root(config.site_root.clone())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        // Hashed bundle names, read from the `hash.txt` cargo-leptos writes beside the binary
        // (plain names when there is none).
        .hash_files(true)
        .build()
}

/// The plain routes beside the server functions and the pages, as (path, handler): forms with
/// files, the quiz form, downloads and feeds. The access test walks this list, so a new route
/// cannot be left out of it.
pub fn plain_routes(state: &AppState) -> Vec<(&'static str, MethodRouter<ServerState>)> {
    use crate::routes;
    use axum::extract::DefaultBodyLimit;
    let submission_limit = state.settings.upload_max_bytes + 256 * 1024;
    vec![
        (
            "/attendance-imports",
            post(routes::upload_attendance_report)
                .layer(DefaultBodyLimit::max(routes::MAX_REPORT_BYTES + 64 * 1024)),
        ),
        ("/calendar/{file}", get(routes::calendar_feed)),
        (
            "/staff/registry",
            post(routes::upload_registry).layer(DefaultBodyLimit::max(
                routes::MAX_REGISTRY_BYTES + 64 * 1024,
            )),
        ),
        (
            "/activities/{id}/submission",
            post(routes::save_submission).layer(DefaultBodyLimit::max(submission_limit)),
        ),
        ("/quiz-attempts/{id}", post(routes::submit_quiz_attempt)),
        ("/submissions/{id}/file", get(routes::submission_file)),
        ("/certificates/{file}", get(routes::certificate_pdf)),
        ("/account/export.zip", get(routes::personal_data)),
        ("/staff/registrations.csv", get(routes::registrations_csv)),
        (
            "/staff/editions/{id}/certificate-logo",
            post(routes::certificate_logo).layer(DefaultBodyLimit::max(
                app::features::certificates::logo::MAX_BYTES + 64 * 1024,
            )),
        ),
        (
            "/staff/editions/{id}/progress.csv",
            get(routes::progress_csv),
        ),
        (
            "/.well-known/aula-certificate-key",
            get(routes::certificate_key),
        ),
        ("/sso/{provider}/start", get(routes::sso_start)),
        ("/sso/{provider}/callback", get(routes::sso_callback)),
    ]
}

/// The page routes, generated once per process. Generating them renders the app with resource
/// loading switched off for the whole process (a global flag in `leptos_server`): a page being
/// rendered at that moment by another router in the same process waits forever for its data
/// (leptos issue #4773). A server builds one router; the integration tests build many, in
/// parallel, and now and then one of their pages hung.
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Compression level for what is sent (zstd for the browsers that take it, else brotli, else
/// gzip). Pages are compressed for every request: brotli's default (11) spent more time
/// squeezing a page than building it, and at 5 it was still a tenth of the server's work. At 1
/// a page is 2-6 % larger than at 3 (about 100-200 bytes of an 8 KB page) and the server
/// serves 10-30 % more pages: each response's compressor sets up far smaller tables. The
/// bundle is compressed once, at build time, at brotli's best.
const COMPRESSION_QUALITY: i32 = 1;

/// The whole HTTP surface: health check, server functions, plain routes, pages, static files.
pub fn router(state: AppState, leptos: LeptosOptions) -> Router {
    let routes = page_routes();
    let pages: Arc<HashSet<String>> =
        Arc::new(routes.iter().map(|route| route.path().to_owned()).collect());
    let server_state = ServerState {
        leptos: leptos.clone(),
        app: state.clone(),
    };
    let page_state = state.clone();
    let plain = plain_routes(&state);
    let https = state.settings.secure_cookies();
    let fallback_state = state.clone();
    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .route("/api/{*fn_name}", post(server_functions));
    for (path, handler) in plain {
        router = router.route(path, handler);
    }
    router
        .leptos_routes_with_context(
            &server_state,
            routes,
            move || {
                provide_context(page_state.clone());
                app::ssr::entry::provide_page_context();
            },
            {
                let leptos = leptos.clone();
                move || shell(leptos.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            ServerState,
            _,
        >(
            move || provide_context(fallback_state.clone()), shell
        ))
        // Pages and the browser bundle travel compressed: schools often have slow connections.
        .layer(axum::middleware::from_fn(crate::compression::zstd_pages))
        .layer(
            CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Precise(COMPRESSION_QUALITY)),
        )
        // A span per request with its method and route pattern only: addresses can carry names
        // (search boxes), emails and secrets (calendar feeds), which stay out of the log.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<Body>| {
                let route = request
                    .extensions()
                    .get::<MatchedPath>()
                    .map(MatchedPath::as_str)
                    .unwrap_or("-");
                tracing::info_span!("request", method = %request.method(), route)
            }),
        )
        .layer(axum::middleware::from_fn_with_state(
            PageCaller { pages, state },
            page_caller,
        ))
        .layer(axum::middleware::from_fn(plain_form_outcome))
        .layer(axum::middleware::from_fn_with_state(
            https,
            security_headers,
        ))
        .layer(axum::middleware::from_fn(own_owner))
        .with_state(server_state)
}

/// Each request is handled under a reactive owner of its own, with nothing above it.
///
/// A server function's owner (and with it what `use_context` finds: the caller, a page's memo
/// and reads) is made as a child of whatever owner the worker thread last had current, and a
/// page render can leave its own there: a sign-in once read through a page's transaction that
/// way. Under this root a request only ever finds what its own handling provided.
async fn own_owner(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    leptos::reactive::computed::ScopedFuture {
        owner: leptos::prelude::Owner::new_root(None),
        observer: None,
        fut: next.run(request),
    }
    .await
}

/// Headers every response carries unless its handler chose otherwise: no framing, no type
/// sniffing, no cross-site referrer detail, a Content-Security-Policy that allows nothing (pages
/// set their own, with the nonce of their scripts), `no-store` on everything but the browser
/// bundle and the icon (answers carry personal data), and HSTS when the site is served over
/// https.
async fn security_headers(
    State(https): State<bool>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use app::ssr::headers;
    let path = request.uri().path();
    let static_file = path.starts_with("/pkg/") || path == "/favicon.svg";
    let path_of_request = path.to_owned();
    let slot = headers::NonceSlot::default();
    let mut request = request;
    request.extensions_mut().insert(slot.clone());
    let mut response = next.run(request).await;
    let set = response.headers_mut();
    // A page: its policy carries the nonce its shell used. Set here, not through the page's
    // response options: the framework builds some answers (after redirects) without those.
    if let Some(nonce) = slot.take()
        && let Ok(policy) = HeaderValue::from_str(&headers::page_policy(&nonce))
    {
        set.insert(header::CONTENT_SECURITY_POLICY, policy);
        set.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    let defaults = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::CONTENT_SECURITY_POLICY, headers::NOTHING),
    ];
    for (name, value) in defaults {
        if !set.contains_key(&name) {
            set.insert(name, HeaderValue::from_static(value));
        }
    }
    if !set.contains_key(header::CACHE_CONTROL) {
        set.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if !static_file {
                "no-store"
            } else if headers::content_hashed(path_of_request.as_str()) {
                // The name changes with the content: a year, never asked again.
                "public, max-age=31536000, immutable"
            } else {
                // Same name, new content after a deploy: ask each time (304 when unchanged).
                "no-cache"
            }),
        );
    }
    if https {
        set.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(headers::STRICT_TRANSPORT),
        );
    }
    response
}

/// What [`page_caller`] needs: the paths of the pages, and the database.
#[derive(Clone)]
struct PageCaller {
    pages: Arc<HashSet<String>>,
    state: AppState,
}

/// Resolves who asks for a page before Leptos renders it (see `app::ssr::entry::CallerOfPage`):
/// for the pages' routes, and for anything else the fallback renders as a page (not found).
async fn page_caller(
    State(PageCaller { pages, state }): State<PageCaller>,
    mut request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let is_page = match request.extensions().get::<MatchedPath>() {
        Some(route) => pages.contains(route.as_str()),
        None => is_page_address(request.uri().path()),
    };
    if is_page && matches!(*request.method(), Method::GET | Method::HEAD) {
        let page = app::ssr::entry::CallerOfPage::resolve(&state, request.headers()).await;
        request.extensions_mut().insert(page);
    }
    next.run(request).await
}

/// Whether an address no route matched would be answered with a page, not a file of the site.
fn is_page_address(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !path.starts_with("/pkg/") && !path.starts_with("/api/") && !last.contains('.')
}

/// Answers a path under `/api/` that names no server function (each one that exists has its
/// own route, made by `leptos_routes_with_context`).
async fn server_functions(
    State(state): State<AppState>,
    request: Request<Body>,
) -> impl IntoResponse {
    leptos_axum::handle_server_fns_with_context(move || provide_context(state.clone()), request)
        .await
}

/// A form posted to a server function without JavaScript goes back to its page: the address
/// says there which function went well (see `app::ssr::form_posts`).
async fn plain_form_outcome(
    request: Request<Body>,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let function_path = request.uri().path().to_owned();
    if !function_path.starts_with("/api/") {
        return next.run(request).await;
    }
    let referer = request
        .headers()
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut response = next.run(request).await;
    let back = response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|location| {
            app::ssr::form_posts::back_to_form(location, referer.as_deref(), &function_path)
        })
        .and_then(|location| HeaderValue::from_str(&location).ok());
    if let Some(location) = back {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// `200 ok` once the database answers; `503` when it does not.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    if app::ssr::db::ping(&state.db).await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

#[cfg(test)]
mod tests {
    use super::{is_page_address, sqlite_path};

    #[test]
    fn addresses_no_route_matched_are_pages_unless_files() {
        assert!(is_page_address("/no/such/page"));
        assert!(is_page_address("/"));
        assert!(!is_page_address("/pkg/aula.3f2a.wasm"));
        assert!(!is_page_address("/favicon.ico"));
        assert!(!is_page_address("/api/nothing"));
    }

    #[test]
    fn sqlite_paths_are_found_in_urls() {
        assert_eq!(
            sqlite_path("sqlite://data/aula.db?mode=rwc").as_deref(),
            Some("data/aula.db")
        );
        assert_eq!(
            sqlite_path("sqlite:/tmp/x.db").as_deref(),
            Some("/tmp/x.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/aula"), None);
    }
}
