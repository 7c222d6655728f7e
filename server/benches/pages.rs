//! Page throughput as participants meet it: the release server on an embedded SQLite file with
//! the demo data and 32 more participants, each signed in with a session of their own, asked
//! for their home page and the edition page over 16 and then 64 keep-alive connections (each
//! request with the next participant's cookie and a browser's `Accept-Encoding`).
//!
//! Prints, for each page: `_rps`, the requests per second 64 connections get when each asks
//! again as soon as it is answered (and `_p99_ms_full`, the latency of that full queue; `_16`:
//! the same with 16 connections); `_p99_ms`, the 99th percentile latency when 64 connections
//! between them ask at the page's goal rate (3,000/s home, 1,500/s edition), each at a steady
//! pace, measured from when each request was due; `_cpu_us`, processor time per request;
//! `_statements`, statements and transactions begun per request; `_allocs`, allocations per
//! request (and the bytes they asked), counted over requests one after the other, the load
//! generator's own included: it moves a few per cent from run to run where the timings move
//! ±15 %.
//! For the paced run it also prints where the latencies lie (`_paced_latency`), the pages
//! answered less the page read transactions opened (`_paced_without_place`: pages that read
//! through the pool, having found no free place in time or written first, or that read nothing
//! of their own; none in most runs, dozens when places run out), and the
//! processor time the hypervisor gave other machines meanwhile (`_paced_steal`); when the late
//! answers (over 20 ms) were due, in bursts, counted in seconds from the first session
//! (`_paced_late`); and the writes begun meanwhile that drop every shared value (a session's
//! refresh drops only its own), with the longest a thread and a task on
//! the runtime overslept a 1 ms sleep (`_paced_writes`: a pause of the whole process or
//! machine shows in both, a busy or blocked runtime only in the second).
//! Server and load generator share the machine, as they would on a 2-core test box. Run with
//! `cargo xtask bench`.

#[path = "common.rs"]
mod common;
use app::domain::account::{Email, PersonName, SchoolCode, SchoolName};
use app::domain::editions::EditionStatus;
use app::domain::enrolment::EnrolmentStatus;
use app::features::accounts::service::{NewAccount, create_account};
use app::ssr::AppState;
use app::ssr::entities::{edition, enrolment};
use chrono::Utc;
use common::settings;
use http_body_util::BodyExt;
use hyper_util::rt::TokioIo;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The server binary's allocator (see `src/main.rs`), counting while `COUNTING` is on.
#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Whether allocations are being counted (for `_allocs`), and what was counted.
static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED_BYTES: AtomicU64 = AtomicU64::new(0);

/// mimalloc, with a count of allocations (reallocations included) and of the bytes asked.
/// Allocation is about a fifth of the server's time in the profile, and its count hardly moves
/// with what else the machine runs (a few per cent between runs, where requests per second move
/// ±15 %): it shows changes the throughput figures cannot.
struct Counting;

impl Counting {
    fn count(size: usize) {
        if COUNTING.load(Ordering::Relaxed) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            ALLOCATED_BYTES.fetch_add(size as u64, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is handed unchanged to mimalloc's own `GlobalAlloc`, which upholds the
// contract; the counting beside it touches only atomics (it never allocates).
#[allow(unsafe_code)]
unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::count(layout.size());
        // SAFETY: as for the trait, forwarded.
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        Self::count(layout.size());
        // SAFETY: as for the trait, forwarded.
        unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // SAFETY: as for the trait, forwarded.
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        Self::count(new_size);
        // SAFETY: as for the trait, forwarded.
        unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
    }
}

/// A browser's request for the page at `path`, signed in with `cookie`.
fn page_request(
    path: &str,
    cookie: &str,
) -> hyper::Request<http_body_util::Empty<hyper::body::Bytes>> {
    hyper::Request::get(path)
        .header(hyper::header::HOST, "127.0.0.1")
        .header(hyper::header::COOKIE, cookie)
        .header(hyper::header::ACCEPT, "text/html")
        .header(hyper::header::ACCEPT_ENCODING, "gzip, deflate, br, zstd")
        .body(http_body_util::Empty::<hyper::body::Bytes>::new())
        .expect("request")
}

/// Allocations per request, and bytes asked per request, over `REQUESTS` requests one after
/// the other on one connection (after as many unmeasured), the load generator's own included.
async fn allocations(addr: std::net::SocketAddr, path: &str, cookies: &[String]) -> (f64, f64) {
    const REQUESTS: u64 = 400;
    one_after_another(addr, path, cookies, REQUESTS, REQUESTS, || {
        ALLOCATIONS.store(0, Ordering::Relaxed);
        ALLOCATED_BYTES.store(0, Ordering::Relaxed);
        COUNTING.store(true, Ordering::Relaxed);
    })
    .await;
    COUNTING.store(false, Ordering::Relaxed);
    (
        ALLOCATIONS.load(Ordering::Relaxed) as f64 / REQUESTS as f64,
        ALLOCATED_BYTES.load(Ordering::Relaxed) as f64 / REQUESTS as f64,
    )
}

/// `unmeasured` and then `measured` requests for `path`, one after the other on one
/// connection, each with the next participant's cookie; `begin` runs between the two.
async fn one_after_another(
    addr: std::net::SocketAddr,
    path: &str,
    cookies: &[String],
    unmeasured: u64,
    measured: u64,
    begin: impl Fn(),
) {
    let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).ok();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(connection);
    for round in 0..unmeasured + measured {
        if round == unmeasured {
            begin();
        }
        let request = page_request(path, &cookies[round as usize % cookies.len()]);
        sender.ready().await.expect("connection ready");
        let response = sender.send_request(request).await.expect("response");
        assert_eq!(response.status(), hyper::StatusCode::OK, "{path}");
        response.into_body().collect().await.expect("body");
    }
}

/// `AULA_BENCH_ONE_AFTER_ANOTHER=<page>:<n>` (`home` or `edition`): nothing timed, only `n`
/// requests for that page one after the other, for counting instructions under callgrind. Two
/// runs with different `n` differ by that many requests and nothing else: the difference in
/// instructions, divided by the difference in `n`, is what a request costs, steady from run to
/// run (`cargo xtask bench-instructions`).
fn one_after_another_only() -> Option<(String, u64)> {
    let asked = std::env::var("AULA_BENCH_ONE_AFTER_ANOTHER").ok()?;
    let (page, n) = asked.split_once(':')?;
    Some((page.to_owned(), n.parse().ok()?))
}

const PARTICIPANTS: usize = 32;
const WARM_UP: Duration = Duration::from_secs(2);
const RUN: Duration = Duration::from_secs(8);

/// The demo data, and `PARTICIPANTS` more people enrolled in its open edition, each with a
/// session: answers the edition's id and the session cookies.
async fn prepare(state: &AppState) -> (i32, Vec<String>) {
    server::demo::seed(state).await.expect("demo data");
    let open = edition::Entity::find()
        .filter(edition::Column::Status.eq(EditionStatus::Open))
        .one(&state.db)
        .await
        .expect("query")
        .expect("the demo's open edition");
    let mut cookies = Vec::new();
    for n in 0..PARTICIPANTS {
        let account = NewAccount {
            email: Email::parse(&format!("carico{n}@scuola.example")).expect("email"),
            given_name: PersonName::parse("Carla").expect("name"),
            family_name: PersonName::parse(&format!("Carico {n}")).expect("name"),
            school_name: SchoolName::parse("Liceo Galilei").expect("school"),
            school_code: SchoolCode::parse("PIPS01000X").expect("code"),
            tax_code: None,
            password: "una frase lunga per il carico".to_owned(),
        };
        let user = create_account(state, account, app::i18n::Locale::it, false)
            .await
            .expect("account");
        let now = Utc::now();
        enrolment::ActiveModel {
            edition_id: Set(open.id),
            user_id: Set(user.id),
            status: Set(EnrolmentStatus::Enrolled),
            requested_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&state.db)
        .await
        .expect("enrolment");
        let token = app::ssr::auth::start_session(state, user.id)
            .await
            .expect("session");
        SESSIONS_BEGAN.get_or_init(Instant::now);
        cookies.push(format!("aula_session={token}"));
    }
    (open.id, cookies)
}

struct Run {
    requests: usize,
    /// Every request answered, the warm-up's included.
    all_requests: usize,
    seconds: f64,
    /// Processor time this process (server and load generator) used while measuring.
    cpu_seconds: f64,
    /// Processor time the machine's hypervisor gave other machines while measuring, though
    /// this one was ready to run (`steal` in `/proc/stat`): a run that had much of it was
    /// slowed by its neighbours, not by its code.
    steal_seconds: f64,
    /// Latencies of the measured requests, in microseconds, sorted.
    latencies: Vec<u64>,
    /// The measured requests answered later than `LATE`: when each was due (since the
    /// sessions began) and its latency, in microseconds, sorted by when it was due.
    late: Vec<(u64, u64)>,
    /// Writes begun while measuring (each drops every shared value).
    writes: u64,
    /// The longest a thread of its own waited past its 1 ms sleeps while measuring (the
    /// process or the machine paused), and the same for a task on the server's runtime (its
    /// workers were busy or blocked), in microseconds.
    thread_stall: u64,
    runtime_stall: u64,
}

/// An answer later than this misses the goal (p99 under 20 ms).
const LATE: Duration = Duration::from_millis(20);

/// When the first participant's session began: each is refreshed (a write) a minute after
/// its last refresh.
static SESSIONS_BEGAN: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

impl Run {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    /// Processor time per request, in microseconds: steadier than requests per second on a
    /// shared machine, where other work takes turns on the cores.
    fn cpu_us(&self) -> f64 {
        self.cpu_seconds * 1e6 / self.requests.max(1) as f64
    }

    fn p99_ms(&self) -> f64 {
        self.percentile_ms(990)
    }

    /// The latency under which `per_mille` of the answers came, in milliseconds.
    fn percentile_ms(&self, per_mille: usize) -> f64 {
        let i =
            (self.latencies.len() * per_mille / 1000).min(self.latencies.len().saturating_sub(1));
        self.latencies.get(i).copied().unwrap_or(0) as f64 / 1000.0
    }

    /// Where the latencies lie, to tell a slower page (all of them move) from bursts of late
    /// answers (only the tail moves).
    fn spread(&self) -> String {
        format!(
            "p50 {:.1}, p90 {:.1}, p99 {:.1}, p99.9 {:.1}, max {:.1} ms",
            self.percentile_ms(500),
            self.percentile_ms(900),
            self.percentile_ms(990),
            self.percentile_ms(999),
            self.percentile_ms(1000),
        )
    }

    /// The late answers in bursts (due less than 100 ms after the one before), each with when
    /// it began (seconds since the sessions began), how many it held and its latest answer.
    fn bursts(&self) -> String {
        let mut bursts: Vec<(u64, u64, usize, u64)> = Vec::new();
        for &(due, latency) in &self.late {
            match bursts.last_mut() {
                Some((_, last, count, worst)) if due - *last < 100_000 => {
                    *last = due;
                    *count += 1;
                    *worst = (*worst).max(latency);
                }
                _ => bursts.push((due, due, 1, latency)),
            }
        }
        let shown: Vec<String> = bursts
            .iter()
            .map(|(first, last, count, worst)| {
                format!(
                    "{:.2}-{:.2} s: {count}, max {:.1} ms",
                    *first as f64 / 1e6,
                    *last as f64 / 1e6,
                    *worst as f64 / 1000.0
                )
            })
            .collect();
        format!(
            "{} late in {} bursts [{}]",
            self.late.len(),
            bursts.len(),
            shown.join("; ")
        )
    }
}

/// Until `stop`, sleeps 1 ms again and again on a thread of its own and answers the longest it
/// overslept while `measuring`, in microseconds.
fn thread_stalls(
    measuring: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut longest = 0;
        while !stop.load(Ordering::Relaxed) {
            let asleep = Instant::now();
            std::thread::sleep(Duration::from_millis(1));
            let over = asleep.elapsed().saturating_sub(Duration::from_millis(1));
            if measuring.load(Ordering::Relaxed) {
                longest = longest.max(over.as_micros() as u64);
            }
        }
        longest
    })
}

/// [`thread_stalls`] for a task on the runtime.
fn runtime_stalls(
    measuring: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<u64> {
    tokio::spawn(async move {
        let mut longest = 0;
        while !stop.load(Ordering::Relaxed) {
            let asleep = Instant::now();
            tokio::time::sleep(Duration::from_millis(1)).await;
            let over = asleep.elapsed().saturating_sub(Duration::from_millis(1));
            if measuring.load(Ordering::Relaxed) {
                longest = longest.max(over.as_micros() as u64);
            }
        }
        longest
    })
}

/// How the connections ask.
#[derive(Clone, Copy)]
enum Pace {
    /// Each connection asks again as soon as its answer arrives (a closed loop): how many
    /// requests per second the server can answer. Its latencies are those of a queue kept full:
    /// at 64 connections the mean is 64 ÷ throughput, whatever the server does.
    Flat,
    /// The connections between them ask `rate` times a second, each at its own steady pace
    /// (staggered), as many independent browsers would: a request's time counts from when it
    /// was due, so an answer that comes late also delays (and is charged to) the ones after it.
    Rate(f64),
}

/// `connections` keep-alive connections asking for `path` at `pace`, taking the sessions in
/// turn; only answers after the warm-up are counted.
async fn load(
    db: &app::ssr::db::Db,
    addr: std::net::SocketAddr,
    path: &str,
    cookies: &[String],
    connections: usize,
    pace: Pace,
) -> Run {
    let next = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let cookies = Arc::new(cookies.to_vec());
    let mut tasks = Vec::new();
    let begun = Instant::now();
    for index in 0..connections {
        let (next, answered, measuring, stop, cookies) = (
            next.clone(),
            answered.clone(),
            measuring.clone(),
            stop.clone(),
            cookies.clone(),
        );
        let path = path.to_owned();
        tasks.push(tokio::spawn(async move {
            let stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
            stream.set_nodelay(true).ok();
            let (mut sender, connection) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream))
                    .await
                    .expect("handshake");
            tokio::spawn(connection);
            let mut latencies = Vec::new();
            let mut late = Vec::new();
            let epoch = *SESSIONS_BEGAN.get_or_init(Instant::now);
            // When this connection's next request is due (paced runs only).
            let interval = match pace {
                Pace::Flat => None,
                Pace::Rate(rate) => Some(Duration::from_secs_f64(connections as f64 / rate)),
            };
            let mut due =
                interval.map(|every| begun + every.mul_f64(index as f64 / connections as f64));
            while !stop.load(Ordering::Relaxed) {
                let cookie = &cookies[next.fetch_add(1, Ordering::Relaxed) % cookies.len()];
                let request = page_request(&path, cookie);
                let started = match (due, interval) {
                    (Some(at), Some(every)) => {
                        tokio::time::sleep_until(at.into()).await;
                        due = Some(at + every);
                        at
                    }
                    _ => Instant::now(),
                };
                sender.ready().await.expect("connection ready");
                let response = sender.send_request(request).await.expect("response");
                assert_eq!(response.status(), hyper::StatusCode::OK, "{path}");
                let body = response.into_body().collect().await.expect("body");
                assert!(!body.to_bytes().is_empty());
                answered.fetch_add(1, Ordering::Relaxed);
                if measuring.load(Ordering::Relaxed) {
                    let latency = started.elapsed();
                    latencies.push(latency.as_micros() as u64);
                    if latency > LATE {
                        let due = started.saturating_duration_since(epoch);
                        late.push((due.as_micros() as u64, latency.as_micros() as u64));
                    }
                }
            }
            (latencies, late)
        }));
    }
    let thread_stall = thread_stalls(measuring.clone(), stop.clone());
    let runtime_stall = runtime_stalls(measuring.clone(), stop.clone());
    tokio::time::sleep(WARM_UP).await;
    let writes_before = db.writes();
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    let cpu_before = process_cpu_seconds();
    let steal_before = machine_steal_seconds();
    tokio::time::sleep(RUN).await;
    measuring.store(false, Ordering::Relaxed);
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = process_cpu_seconds() - cpu_before;
    let steal_seconds = machine_steal_seconds() - steal_before;
    let writes = db.writes() - writes_before;
    stop.store(true, Ordering::Relaxed);
    let mut latencies = Vec::new();
    let mut late = Vec::new();
    for task in tasks {
        let (theirs, their_late) = task.await.expect("load task");
        latencies.extend(theirs);
        late.extend(their_late);
    }
    latencies.sort_unstable();
    late.sort_unstable();
    Run {
        requests: latencies.len(),
        all_requests: answered.load(Ordering::Relaxed),
        seconds,
        cpu_seconds,
        steal_seconds,
        latencies,
        late,
        writes,
        thread_stall: thread_stall.join().unwrap_or(0),
        runtime_stall: runtime_stall.await.unwrap_or(0),
    }
}

/// Processor time stolen from this machine so far, all cores (Linux: the `cpu` line of
/// `/proc/stat`, in ticks of 1/100 s); 0 where it cannot be read.
fn machine_steal_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/stat") else {
        return 0.0;
    };
    stat.lines()
        .find(|line| line.starts_with("cpu "))
        .and_then(|line| line.split_whitespace().nth(8))
        .and_then(|steal| steal.parse::<f64>().ok())
        .map_or(0.0, |ticks| ticks / 100.0)
}

/// User and system time of this process so far (Linux: `/proc/self/stat`, in clock ticks of
/// 1/100 s); 0 where it cannot be read.
fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("aula-bench-pages-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench folder");
    let url = format!("sqlite://{}?mode=rwc", dir.join("aula.db").display());
    // The server's pool size (`AULA_DB_MAX_CONNECTIONS`, else its default), to try others.
    let pool = std::env::var("AULA_DB_MAX_CONNECTIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| server::config::default_pool_size(&url));
    let db = server::startup::connect_and_migrate(&url, pool)
        .await
        .expect("database");
    let state = AppState {
        db,
        settings: Arc::new(settings(&dir)),
    };
    let (edition_id, cookies) = prepare(&state).await;
    let began = SESSIONS_BEGAN.get().copied().unwrap_or_else(Instant::now);
    println!(
        "sessions: {} begun over {:.1} s",
        cookies.len(),
        began.elapsed().as_secs_f64()
    );
    let db = state.db.clone();
    let leptos = leptos::prelude::LeptosOptions::builder()
        .output_name("aula")
        .site_root(dir.display().to_string())
        .build();
    let router = server::startup::router(state, leptos);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listen");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
        .expect("serve");
    });

    let edition = format!("/editions/{edition_id}");
    if let Some((page, n)) = one_after_another_only() {
        let path = match page.as_str() {
            "home" => "/",
            "edition" => edition.as_str(),
            other => panic!("AULA_BENCH_ONE_AFTER_ANOTHER: no page {other:?} (home or edition)"),
        };
        one_after_another(addr, path, &cookies, 0, n, || {}).await;
        std::fs::remove_dir_all(&dir).ok();
        return;
    }
    // The goals of issue 13: the throughput each page must reach, at which 64 connections must
    // see p99 under 20 ms.
    for (name, path, goal) in [("home", "/", 3000.0), ("edition", edition.as_str(), 1500.0)] {
        let at16 = load(&db, addr, path, &cookies, 16, Pace::Flat).await;
        println!("{name}_rps_16: {:.0} requests/s", at16.rps());
        println!("{name}_p99_ms_16: {:.1} ms", at16.p99_ms());
        let trips_before = db.round_trips();
        let at64 = load(&db, addr, path, &cookies, 64, Pace::Flat).await;
        // Counted over the warm-up too, as are the requests it divides by.
        let trips = db.round_trips() - trips_before;
        println!("{name}_rps: {:.0} requests/s", at64.rps());
        println!("{name}_p99_ms_full: {:.1} ms", at64.p99_ms());
        println!("{name}_cpu_us: {:.0} µs per request", at64.cpu_us());
        println!(
            "{name}_statements: {:.1} per request",
            trips as f64 / at64.all_requests.max(1) as f64
        );
        let (allocs, bytes) = allocations(addr, path, &cookies).await;
        println!(
            "{name}_allocs: {allocs:.0} per request ({:.0} KB asked)",
            bytes / 1024.0
        );
        let transactions_before = db.page_transactions();
        let paced = load(&db, addr, path, &cookies, 64, Pace::Rate(goal)).await;
        let transactions = db.page_transactions() - transactions_before;
        println!(
            "{name}_paced_rps: {:.0} requests/s (asked: {goal:.0})",
            paced.rps()
        );
        println!("{name}_p99_ms: {:.1} ms", paced.p99_ms());
        println!("{name}_paced_latency: {}", paced.spread());
        // Pages without a read transaction of their own read statement by statement.
        println!(
            "{name}_paced_without_place: {} of {} pages",
            paced.all_requests.saturating_sub(transactions as usize),
            paced.all_requests
        );
        println!(
            "{name}_paced_steal: {:.0} ms over {:.1} s",
            paced.steal_seconds * 1000.0,
            paced.seconds
        );
        println!("{name}_paced_late: {}", paced.bursts());
        println!(
            "{name}_paced_writes: {}; longest pause of a thread {:.1} ms, of the runtime {:.1} ms",
            paced.writes,
            paced.thread_stall as f64 / 1000.0,
            paced.runtime_stall as f64 / 1000.0
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}
