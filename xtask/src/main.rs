//! `cargo xtask run | test | bench`: the project's set-up and commands, idempotent so that a
//! warm machine pays nothing. Standard library only, so it builds in seconds.
//!
//! - `run [--release]`: installs what is missing (wasm target, cargo-leptos, wasm-bindgen,
//!   npm packages), builds with cargo-leptos and serves on SQLite with demo data.
//! - `test`: also installs Debian's Chromium and, if none answers, a PostgreSQL server; then
//!   runs unit and integration tests (SQLite and PostgreSQL) and the end-to-end tests.
//! - `e2e [--release]`: only the end-to-end tests (a shortcut while working on pages; with
//!   `--release`, against the optimised build, whose wasm went through wasm-opt).

mod mail_sink;
mod oidc_provider;
mod setup;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const USAGE: &str =
    "usage: cargo xtask <run [--release] | test | e2e [--release] | bench | bench-instructions>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(args.iter().any(|a| a == "--release")),
        Some("test") => test(),
        Some("e2e") => {
            let release = args.iter().any(|a| a == "--release");
            setup::build_tools()
                .and_then(|()| setup::npm_packages())
                .and_then(|()| setup::chromium())
                .and_then(|()| build_site(release))
                .and_then(|()| end_to_end(release))
        }
        Some("bench") => bench(),
        Some("bench-instructions") => bench_instructions(),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Build output lives outside the clone (shared by every checkout on this machine, so a fresh
/// clone starts warm), unless `CARGO_TARGET_DIR` says otherwise.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => home().join(".cache/aula/target"),
    }
}

pub fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"))
}

/// Runs a command from the workspace root, failing with its name if it fails.
pub fn run_command(command: &mut Command) -> Result<(), String> {
    // Program and arguments only: the environment carries test passwords.
    let shown = std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    println!("xtask: {shown}");
    let status = command
        .current_dir(root())
        .status()
        .map_err(|e| format!("{shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.env("CARGO_TARGET_DIR", target_dir());
    command
}

/// The same flags and compile-time environment cargo-leptos uses for its builds (components
/// are erased in debug and release alike: `always-erase-components`), so tests and benchmarks
/// reuse its compiled dependencies. `leptos` reads `LEPTOS_OUTPUT_NAME` when it is compiled
/// (`option_env!`): without it here, every switch between the tests and the site build
/// recompiled leptos and everything above it.
fn with_leptos_flags(command: &mut Command) -> &mut Command {
    command
        .env("RUSTFLAGS", "--cfg erase_components")
        .env("LEPTOS_OUTPUT_NAME", "aula")
}

fn build_site(release: bool) -> Result<(), String> {
    let mut command = cargo();
    // No `--split`: in islands mode the bundle holds only the islands, small enough whole.
    command.args(["leptos", "build"]);
    if release {
        // `.br` and `.gz` beside each bundle file, compressed hard once; the server sends those
        // as they are (its on-the-fly compression, tuned for pages, is lighter).
        command.args(["--release", "--precompress"]);
    }
    run_command(&mut command)
}

fn server_binary(release: bool) -> PathBuf {
    target_dir()
        .join(if release { "release" } else { "debug" })
        .join("server")
}

fn run(release: bool) -> Result<(), String> {
    setup::build_tools()?;
    setup::npm_packages()?;
    build_site(release)?;
    let mut command = Command::new(server_binary(release));
    command
        .arg("serve")
        .arg("--demo")
        .env("LEPTOS_SITE_ROOT", root().join("target/site"));
    // Single sign-on to try: "Accedi con Test ID" signs in through a local provider (any
    // address, any password). Without Node.js' packages Aula runs without it.
    let site = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
    let base = std::env::var("AULA_BASE_URL").unwrap_or_else(|_| format!("http://{site}"));
    let provider = if std::env::var_os("AULA_OIDC_PROVIDERS").is_none() {
        match oidc_provider::TestProvider::start(
            &format!("{}/sso/test/callback", base.trim_end_matches('/')),
            "aula-local-secret",
        ) {
            Ok(provider) => {
                println!(
                    "xtask: test sign-in provider \"Test ID\" at {}",
                    provider.issuer
                );
                command.envs(provider.environment());
                Some(provider)
            }
            Err(message) => {
                eprintln!("xtask: {message}; running without single sign-on");
                None
            }
        }
    } else {
        None
    };
    let result = run_command(&mut command);
    drop(provider);
    result
}

fn test() -> Result<(), String> {
    let started = Instant::now();
    setup::build_tools()?;
    setup::npm_packages()?;
    setup::chromium()?;
    let postgres_url = setup::postgres()?;

    // Unit and integration tests (the latter on SQLite and on PostgreSQL).
    let mut tests = cargo();
    with_leptos_flags(&mut tests)
        .args(["test", "--workspace"])
        .env("AULA_TEST_POSTGRES_URL", &postgres_url);
    run_command(&mut tests)?;

    // End-to-end, in Chromium, against the built site on a fresh SQLite database.
    build_site(false)?;
    end_to_end(false)?;
    println!("xtask: all tests passed in {:.0?}", started.elapsed());
    Ok(())
}

/// Kills the server when the tests end, however they end.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn end_to_end(release: bool) -> Result<(), String> {
    let site = ScratchSite::new(
        "e2e",
        3107,
        "end-to-end tests secret, not for production use",
    )?;

    // A staff account with a password only this run knows.
    let staff_email = "staff.e2e@aula.example";
    let staff_password = format!("e2e-{}-{}", std::process::id(), started_nanos());
    let mut create = Command::new(server_binary(release));
    create
        .args([
            "create-staff",
            "--email",
            staff_email,
            "--given",
            "Stella",
            "--family",
            "Staffieri",
            "--password-stdin",
        ])
        .envs(site.environment())
        .stdin(Stdio::piped());
    let mut child = create
        .current_dir(root())
        .spawn()
        .map_err(|e| format!("create-staff: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(staff_password.as_bytes())
            .map_err(|e| format!("create-staff: {e}"))?;
    }
    let status = child.wait().map_err(|e| format!("create-staff: {e}"))?;
    if !status.success() {
        return Err("create-staff failed".to_owned());
    }

    // Mail goes over real SMTP to a sink whose folder the tests read (verification, reset).
    let sink = mail_sink::MailSink::start(&site.data.join("mailbox"))?;
    let smtp = format!("smtp://127.0.0.1:{}", sink.port);
    // Single sign-on through a real OpenID Connect provider process.
    let provider = oidc_provider::TestProvider::start(
        &format!("{}/sso/test/callback", site.base_url),
        "aula-e2e-secret",
    )?;
    let provider_environment = provider.environment();
    let mut extra: Vec<(&str, &str)> = vec![("AULA_SMTP_URL", &smtp)];
    extra.extend(
        provider_environment
            .iter()
            .map(|(name, value)| (*name, value.as_str())),
    );
    let (_server, demo) = demo_server(release, &site, &extra)?;

    let mut playwright = Command::new(root().join("node_modules/.bin/playwright"));
    playwright
        .args(["test", "--config", "end2end/playwright.config.ts"])
        .env("AULA_E2E_BASE_URL", &site.base_url)
        .env("AULA_E2E_MAILBOX", &sink.folder)
        .env("AULA_E2E_STAFF_EMAIL", staff_email)
        .env("AULA_E2E_STAFF_PASSWORD", &staff_password);
    // The demo accounts (new passwords at every start) for tests that need an ambassador and
    // the participants of their group: AULA_E2E_AMBASSADOR, AULA_E2E_PARTICIPANT_1, … as
    // `email password`.
    let mut participants = 0;
    for (role, email, password) in &demo {
        let name = match role.as_str() {
            "ambassador" => "AULA_E2E_AMBASSADOR".to_owned(),
            "participant" => {
                participants += 1;
                format!("AULA_E2E_PARTICIPANT_{participants}")
            }
            _ => continue,
        };
        playwright.env(name, format!("{email} {password}"));
    }
    run_command(&mut playwright)
}

/// A server run's own data folder and SQLite database, with the environment that points the
/// server at them; the folder is removed when this is dropped.
struct ScratchSite {
    data: PathBuf,
    port: u16,
    base_url: String,
    environment: Vec<(&'static str, String)>,
}

impl ScratchSite {
    fn new(label: &str, port: u16, secret: &str) -> Result<Self, String> {
        let base_url = format!("http://127.0.0.1:{port}");
        let data = std::env::temp_dir().join(format!("aula-{label}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).map_err(|e| format!("{}: {e}", data.display()))?;
        let environment = vec![
            (
                "DATABASE_URL",
                format!("sqlite://{}/aula.db?mode=rwc", data.display()),
            ),
            ("AULA_DATA_DIR", data.display().to_string()),
            ("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}")),
            ("AULA_BASE_URL", base_url.clone()),
            ("AULA_SECRET", secret.to_owned()),
            ("RUST_LOG", "warn".to_owned()),
        ];
        Ok(Self {
            data,
            port,
            base_url,
            environment,
        })
    }

    fn environment(&self) -> impl Iterator<Item = (&str, &str)> {
        self.environment
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
    }
}

impl Drop for ScratchSite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// A demo account as the server prints it: (role, email, password).
type DemoAccount = (String, String, String);

/// Starts the server with demo data and waits until it answers; answers the running server
/// (stopped when dropped) and the demo accounts it printed.
fn demo_server(
    release: bool,
    site: &ScratchSite,
    extra: &[(&str, &str)],
) -> Result<(Server, Vec<DemoAccount>), String> {
    let mut server = Command::new(server_binary(release))
        .args(["serve", "--demo"])
        .envs(site.environment())
        .envs(extra.iter().copied())
        .env("LEPTOS_SITE_ROOT", root().join("target/site"))
        .current_dir(root())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("starting the server: {e}"))?;
    let output = server.stdout.take();
    let server = Server(server);
    let demo = output.map(demo_accounts).unwrap_or_default();
    wait_for_health(site.port, Duration::from_secs(60))?;
    Ok((server, demo))
}

/// Reads the demo accounts the server prints when it starts (`role email password` lines
/// before it listens), then keeps draining its output so that it never blocks on it.
fn demo_accounts(output: std::process::ChildStdout) -> Vec<DemoAccount> {
    use std::io::{BufRead, BufReader};
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut accounts = Vec::new();
        let mut sent = false;
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if sent {
                continue;
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                [role, email, password] if email.contains('@') => {
                    accounts.push((role.to_string(), email.to_string(), password.to_string()));
                }
                _ if !accounts.is_empty() && line.trim().is_empty() => {
                    let _ = sender.send(std::mem::take(&mut accounts));
                    sent = true;
                }
                _ => {}
            }
        }
        if !sent {
            let _ = sender.send(accounts);
        }
    });
    receiver
        .recv_timeout(Duration::from_secs(60))
        .unwrap_or_default()
}

fn started_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

/// Polls `GET /healthz` until it answers 200.
fn wait_for_health(port: u16, limit: Duration) -> Result<(), String> {
    use std::io::{Read, Write};
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let request = format!("GET /healthz HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
            let mut answer = String::new();
            let answered = stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_string(&mut answer).is_ok();
            if answered
                && (answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200"))
            {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    Err(format!(
        "the server did not become healthy on port {port} within {limit:?}"
    ))
}

/// The benchmarks, optimised; each prints its figures as `name: value unit` lines: the
/// browser bundle on an emulated phone (against the release site), then the server's.
fn bench() -> Result<(), String> {
    setup::build_tools()?;
    setup::npm_packages()?;
    setup::chromium()?;
    build_site(true)?;
    phone_bench()?;
    let mut command = cargo();
    command.args([
        "bench",
        "-p",
        "server",
        "--bench",
        "progress",
        "--bench",
        "certificates",
        "--bench",
        "pages",
        "--bench",
        "registry",
    ]);
    run_command(with_leptos_flags(&mut command))
}

/// Requests for the pages bench's runs one after the other under callgrind: the first costs
/// include warming up (prepared statements, what pages share), so the count is taken as the
/// difference between `FEW` and `MANY`.
const FEW: u64 = 50;
const MANY: u64 = 1050;

/// Instructions per page request (home, edition), counted by callgrind: the same from run to
/// run whatever else the machine does, where the pages bench's timings move ±15 %. Each page's
/// figure is the difference between two runs of the pages bench that differ only in how many
/// requests follow one another (`AULA_BENCH_ONE_AFTER_ANOTHER`), the load generator's share
/// included.
fn bench_instructions() -> Result<(), String> {
    setup::valgrind()?;
    let bench = pages_bench()?;
    for page in ["home", "edition"] {
        let few = instructions(&bench, page, FEW)?;
        let many = instructions(&bench, page, MANY)?;
        let each = many.saturating_sub(few) as f64 / (MANY - FEW) as f64;
        println!("{page}_instructions: {each:.0} per request");
    }
    Ok(())
}

/// Builds the pages bench (release) and answers its executable.
fn pages_bench() -> Result<PathBuf, String> {
    let mut command = cargo();
    command
        .args(["bench", "-p", "server", "--bench", "pages", "--no-run"])
        .current_dir(root())
        .stderr(Stdio::piped());
    let output = with_leptos_flags(&mut command)
        .output()
        .map_err(|e| format!("cargo bench: {e}"))?;
    let said = String::from_utf8_lossy(&output.stderr);
    eprint!("{said}");
    if !output.status.success() {
        return Err("cargo bench --bench pages --no-run failed".to_owned());
    }
    // "Executable benches/pages.rs (<path>)"
    said.lines()
        .filter(|line| line.contains("Executable") && line.contains("pages"))
        .find_map(|line| Some(PathBuf::from(line.rsplit_once('(')?.1.strip_suffix(')')?)))
        .ok_or_else(|| "cargo did not say where the pages bench is".to_owned())
}

/// Instructions callgrind counted for a whole run of the pages bench asking `n` times for
/// `page`, one request after another.
fn instructions(bench: &Path, page: &str, n: u64) -> Result<u64, String> {
    let out = std::env::temp_dir().join(format!("aula-callgrind-{}", std::process::id()));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(bench)
        .arg("--bench")
        .env("AULA_BENCH_ONE_AFTER_ANOTHER", format!("{page}:{n}"))
        .current_dir(root().join("server"))
        .output()
        .map_err(|e| format!("valgrind: {e}"))?;
    std::fs::remove_file(&out).ok();
    let said = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("the pages bench under callgrind failed:\n{said}"));
    }
    // "==1234== Collected : 123456789"
    said.lines()
        .find_map(|line| line.split_once("Collected :")?.1.trim().parse().ok())
        .ok_or_else(|| format!("callgrind gave no count:\n{said}"))
}

/// `end2end/bench/phone.mjs` against the release server with the demo data.
fn phone_bench() -> Result<(), String> {
    let site = ScratchSite::new("bench", 3108, "benchmark secret, not for production use")?;
    let (_server, demo) = demo_server(true, &site, &[])?;
    let (_, email, password) = demo
        .iter()
        .find(|(role, ..)| role == "participant")
        .ok_or("the demo data has no participant")?;
    run_command(
        Command::new("node")
            .arg("end2end/bench/phone.mjs")
            .env("AULA_BENCH_BASE_URL", &site.base_url)
            .env("AULA_BENCH_PARTICIPANT", format!("{email} {password}")),
    )
}
