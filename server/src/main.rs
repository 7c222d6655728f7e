//! `server [serve] [--demo [--force-demo]]` runs Aula; `server create-staff …` creates a staff account.

use server::config::{Config, redact_url};
use server::{commands, demo, startup};
use std::io::Read;
use std::process::ExitCode;

/// Pages allocate many small strings and futures: glibc's allocator was a fifth of the profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage:
  server [serve] [--demo [--force-demo]]
      Runs Aula (configuration from the environment: see README.md).
      --demo creates demo data and prints the demo accounts' passwords; it refuses
      PostgreSQL and an https address (a real site) unless --force-demo is given.
  server create-staff --email E --given G --family F [--school-name S] [--school-code C] [--password-stdin]
      Creates a staff account. The password is read from standard input with
      --password-stdin, otherwise generated and printed once.";

#[tokio::main]
async fn main() -> ExitCode {
    init_logging();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("configuration error: {error}");
            return ExitCode::from(2);
        }
    };
    let result = match args.first().map(String::as_str) {
        None | Some("serve") | Some("--demo") => {
            let demo_data = args.iter().any(|a| a == "--demo");
            match demo::allowed(&config, demo_data, args.iter().any(|a| a == "--force-demo")) {
                Ok(()) => serve(config, demo_data).await,
                Err(refusal) => Err(refusal),
            }
        }
        Some("create-staff") => create_staff(config, &args[1..]).await,
        Some("--help") | Some("-h") | Some("help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

async fn serve(config: Config, demo_data: bool) -> Result<(), String> {
    tracing::info!(?config, "starting");
    let keys = server::secrets::resolve(&config)?;
    for warning in &keys.warnings {
        tracing::warn!("{warning}");
    }
    let db = startup::connect_and_migrate(&config.database_url, config.db_max_connections)
        .await
        .map_err(|e| format!("database {}: {e}", redact_url(&config.database_url)))?;
    let state = startup::app_state(&config, &keys, db);
    if demo_data {
        let credentials = demo::seed(&state).await?;
        println!("\nDemo accounts (passwords are new at every start with --demo):");
        for (email, password, role) in credentials {
            println!("  {role:<12} {email:<36} {password}");
        }
        println!();
    }
    app::ssr::outbox::start_worker(state.clone());
    app::ssr::scheduler::start(state.clone());
    for provider in &config.sso_providers {
        tracing::info!(
            provider = provider.id.as_str(),
            issuer = provider.issuer,
            redirect_uri = state.settings.sso_redirect_uri(provider.id.as_str()),
            "single sign-on provider (register this redirect URI with it)"
        );
    }
    let router = startup::router(state, startup::leptos_options(&config));
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.site_addr))?;
    tracing::info!(
        "listening on http://{} (public URL {})",
        config.site_addr,
        config.base_url
    );
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server stopped: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

async fn create_staff(config: Config, args: &[String]) -> Result<(), String> {
    let mut email = None;
    let mut given = None;
    let mut family = None;
    let mut school_name = "Unità nazionale".to_owned();
    let mut school_code = "RMUN000000".to_owned();
    let mut password_stdin = false;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match flag.as_str() {
            "--email" => email = Some(value()?),
            "--given" => given = Some(value()?),
            "--family" => family = Some(value()?),
            "--school-name" => school_name = value()?,
            "--school-code" => school_code = value()?,
            "--password-stdin" => password_stdin = true,
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let (Some(email), Some(given), Some(family)) = (email, given, family) else {
        return Err(format!(
            "--email, --given and --family are required\n{USAGE}"
        ));
    };
    let (password, generated) = if password_stdin {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .map_err(|e| format!("reading the password: {e}"))?;
        (input.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (commands::generate_password(), true)
    };
    let keys = server::secrets::resolve(&config)?;
    let db = startup::connect_and_migrate(&config.database_url, 2)
        .await
        .map_err(|e| format!("database {}: {e}", redact_url(&config.database_url)))?;
    let state = startup::app_state(&config, &keys, db);
    let account = commands::StaffAccount {
        email: email.clone(),
        given_name: given,
        family_name: family,
        school_name,
        school_code,
        password: password.clone(),
    };
    let id = commands::create_staff(&state, account).await?;
    println!("staff account {email} created (id {id})");
    if generated {
        println!("password (shown only now): {password}");
    }
    Ok(())
}
