//! Installing what the commands need, only when it is missing (see shared/TOOLCHAIN.md for why
//! each recipe is the way it is).

use crate::{home, root, run_command};
use std::path::Path;
use std::process::{Command, Stdio};

const CARGO_LEPTOS_VERSION: &str = "0.3.11";

fn succeeds(command: &mut Command) -> bool {
    command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn output(command: &mut Command) -> Option<String> {
    let out = command.stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The wasm target, cargo-leptos and the wasm-bindgen CLI matching `Cargo.lock`.
pub fn build_tools() -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        run_command(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    let leptos = output(Command::new("cargo").args(["leptos", "--version"])).unwrap_or_default();
    if !leptos.contains(CARGO_LEPTOS_VERSION) {
        install_cargo_leptos()?;
    }

    let wanted = locked_version("wasm-bindgen").ok_or("wasm-bindgen is missing from Cargo.lock")?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if !have.split_whitespace().any(|word| word == wanted) {
        // Not --locked: the CLI's lock file pins a yanked dependency.
        run_command(Command::new("cargo").args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &wanted,
        ]))?;
    }
    Ok(())
}

/// `cargo install --locked cargo-leptos` fails on Rust 1.95 (its lock file wants a newer
/// `cargo-util-schemas`); installing from its source with that one dependency pinned works.
fn install_cargo_leptos() -> Result<(), String> {
    let locked = Command::new("cargo")
        .args([
            "install",
            "--locked",
            "cargo-leptos",
            "--version",
            CARGO_LEPTOS_VERSION,
        ])
        .status()
        .is_ok_and(|s| s.success());
    if locked {
        return Ok(());
    }
    let registry = home().join(".cargo/registry/src");
    let source = std::fs::read_dir(&registry)
        .map_err(|e| format!("{}: {e}", registry.display()))?
        .filter_map(Result::ok)
        .map(|index| {
            index
                .path()
                .join(format!("cargo-leptos-{CARGO_LEPTOS_VERSION}"))
        })
        .find(|path| path.is_dir())
        .ok_or("the cargo-leptos source was not fetched")?;
    let work = std::env::temp_dir().join(format!("cargo-leptos-{CARGO_LEPTOS_VERSION}-build"));
    let _ = std::fs::remove_dir_all(&work);
    run_command(Command::new("cp").arg("-r").arg(&source).arg(&work))?;
    let pinned = Command::new("cargo")
        .args(["update", "-p", "cargo-util-schemas", "--precise", "0.14.1"])
        .current_dir(&work)
        .status()
        .is_ok_and(|s| s.success());
    if !pinned {
        return Err("pinning cargo-util-schemas failed".to_owned());
    }
    let installed = Command::new("cargo")
        .args(["install", "--locked", "--path", "."])
        .current_dir(&work)
        .status()
        .is_ok_and(|s| s.success());
    if installed {
        Ok(())
    } else {
        Err("installing cargo-leptos failed".to_owned())
    }
}

/// The version of `package` in Cargo.lock.
fn locked_version(package: &str) -> Option<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).ok()?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{package}\"") {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_owned());
        }
    }
    None
}

/// Playwright and binaryen's wasm-opt from the npm registry (never a browser download).
pub fn npm_packages() -> Result<(), String> {
    let marker = root().join("node_modules/.package-lock.json");
    let lock = root().join("package-lock.json");
    let fresh = match (modified(&marker), modified(&lock)) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    if !fresh {
        run_command(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
        )?;
    }
    Ok(())
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    run_command(
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    run_command(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// valgrind, whose callgrind counts instructions (`cargo xtask bench-instructions`).
pub fn valgrind() -> Result<(), String> {
    if succeeds(Command::new("valgrind").arg("--version")) {
        return Ok(());
    }
    apt_install(&["valgrind"])
}

/// Debian's Chromium (Playwright drives it; its own browser download is not reachable here),
/// poppler's `pdftotext`, which tests use to read certificates back as text, and `unzip`, which
/// reads the personal data export back.
pub fn chromium() -> Result<(), String> {
    let mut missing = Vec::new();
    if !Path::new("/usr/bin/chromium").exists() {
        missing.extend(["chromium", "fonts-dejavu-core"]);
    }
    if !Path::new("/usr/bin/pdftotext").exists() {
        missing.push("poppler-utils");
    }
    if !Path::new("/usr/bin/unzip").exists() {
        missing.push("unzip");
    }
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    Ok(())
}

/// A PostgreSQL server for the integration tests; returns the URL of its maintenance database.
/// Uses `AULA_TEST_POSTGRES_URL` when set, else a server answering on 127.0.0.1:5432, else
/// starts (installing it first if needed) Debian's PostgreSQL.
pub fn postgres() -> Result<String, String> {
    // Set but empty counts as not set (`AULA_TEST_POSTGRES_URL= cargo xtask test`).
    if let Ok(url) = std::env::var("AULA_TEST_POSTGRES_URL")
        && !url.is_empty()
    {
        return Ok(url);
    }
    let trusted = "postgres://postgres@127.0.0.1:5432/postgres".to_owned();
    if listening() {
        return Ok(trusted);
    }
    if !Path::new("/usr/bin/pg_ctlcluster").exists() || clusters().is_empty() {
        apt_install(&["postgresql"])?;
    }
    for version in clusters() {
        let _ = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect", &version, "main", "start"])
            .status();
    }
    for _ in 0..40 {
        if listening() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    if !listening() {
        return Err("PostgreSQL did not start on 127.0.0.1:5432".to_owned());
    }
    // A fresh Debian cluster asks for a password over TCP: give the superuser one for the tests.
    let password = "aula-tests";
    let set = succeeds(
        Command::new("runuser")
            .args(["-u", "postgres", "--", "psql", "-c"])
            .arg(format!("ALTER USER postgres PASSWORD '{password}'")),
    );
    if set {
        Ok(format!(
            "postgres://postgres:{password}@127.0.0.1:5432/postgres"
        ))
    } else {
        Ok(trusted)
    }
}

fn listening() -> bool {
    std::net::TcpStream::connect_timeout(
        &std::net::SocketAddr::from(([127, 0, 0, 1], 5432)),
        std::time::Duration::from_millis(500),
    )
    .is_ok()
}

fn clusters() -> Vec<String> {
    std::fs::read_dir("/etc/postgresql")
        .map(|dir| {
            dir.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}
