//! The signing key survives a restart (or certificates issued before it stop verifying), a
//! real site cannot start without its own keys, and a rotated-out key still checks what it
//! signed. Runs the real server binary, as an operator would.

use crate::both_databases;
use crate::helpers::{Backend, TestApp};
use app::features::certificates::api::{IssueCertificates, VerifyCertificate};
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

both_databases!(certificates_signed_before_a_key_rotation_still_verify);

/// A free port on localhost, for one server process.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

fn start(dir: &std::path::Path, port: u16, vars: &[(&str, &str)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .arg("serve")
        .current_dir(dir)
        .env_remove("AULA_SECRET")
        .env_remove("AULA_SIGNING_KEY")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}/aula.db?mode=rwc", dir.display()),
        )
        .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
        .env("AULA_BASE_URL", format!("http://127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in vars {
        command.env(name, value);
    }
    command.spawn().expect("the server binary")
}

/// The published keys, once the server answers (`None` if it stopped first).
fn published_keys(child: &mut Child, port: u16) -> Option<String> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if child.try_wait().ok().flatten().is_some() {
            return None;
        }
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let request = format!(
                "GET /.well-known/aula-certificate-key HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
            );
            let mut answer = String::new();
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_string(&mut answer).is_ok()
                && answer.starts_with("HTTP/1.1 200")
            {
                return answer.split("\r\n\r\n").nth(1).map(str::to_owned);
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// Stops the server; what it wrote (the log on standard output, errors on standard error).
fn stop(mut child: Child) -> String {
    child.kill().ok();
    child.wait().ok();
    let mut output = String::new();
    if let Some(mut pipe) = child.stdout.take() {
        pipe.read_to_string(&mut output).ok();
    }
    if let Some(mut pipe) = child.stderr.take() {
        pipe.read_to_string(&mut output).ok();
    }
    output
}

#[test]
fn a_restart_signs_with_the_same_key_and_https_needs_its_own() {
    let dir = std::env::temp_dir().join(format!("aula-restart-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();

    let port = free_port();
    let mut first = start(&dir, port, &[]);
    let before = published_keys(&mut first, port);
    let stderr = stop(first);
    let before = before.unwrap_or_else(|| panic!("the first start answered: {stderr}"));
    assert!(
        stderr.contains("AULA_SIGNING_KEY is not set"),
        "said loudly: {stderr}"
    );

    let port = free_port();
    let mut second = start(&dir, port, &[]);
    let after = published_keys(&mut second, port);
    let stderr = stop(second);
    let after = after.unwrap_or_else(|| panic!("the second start answered: {stderr}"));
    assert_eq!(
        before.lines().next(),
        after.lines().next(),
        "a restart changed the signing key"
    );

    // A real site never invents its keys: it refuses to start and says which are missing.
    let port = free_port();
    let mut https = start(&dir, port, &[("AULA_BASE_URL", "https://aula.example.org")]);
    let answered = published_keys(&mut https, port);
    let stderr = stop(https);
    assert!(answered.is_none(), "started over https without its keys");
    assert!(stderr.contains("AULA_SIGNING_KEY"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Staff rotate the key: new certificates are signed with the new one, the old public key is
/// published as retired, and certificates signed before still verify.
async fn certificates_signed_before_a_key_rotation_still_verify(backend: Backend) {
    use app::domain::certificates::signing::{key_id, public_key_text};
    let app = TestApp::spawn(backend).await;
    let (_, staff) = app.user("staff@aula.it", false, true).await;
    let (anna, _) = app.user("anna@scuola.it", false, false).await;
    let edition = app.completed_edition(&staff, &[anna]).await;
    let issue = IssueCertificates {
        edition_id: edition,
        limit: 10,
    };
    app.invoke(issue, Some(&staff)).await.expect("issued");
    let old = app.state.settings.signing_key.verifying_key();
    let code = {
        use sea_orm::EntityTrait;
        let c = app::ssr::entities::certificate::Entity::find()
            .one(&app.state.db)
            .await
            .unwrap()
            .expect("a certificate");
        assert_eq!(c.key_id.as_deref(), Some(key_id(&old).as_str()));
        c.code
    };

    // The next start: a new key, the old one retired.
    let rotated = app.instance_with(|settings| {
        settings.signing_key = app::ed25519_dalek::SigningKey::from_bytes(&[77; 32]);
        settings.retired_keys = vec![old];
    });
    let verify = VerifyCertificate {
        query: code.clone(),
        s: None,
    };
    let answer = app
        .invoke_via(&rotated, verify.clone(), None)
        .await
        .expect("an answer");
    let found = answer.certificate.expect("found");
    assert!(found.signature_ok, "signed before the rotation, still good");
    assert_eq!(answer.key_id, key_id(&old));
    assert_eq!(answer.public_key, public_key_text(&old));

    let request = axum::http::Request::get("/.well-known/aula-certificate-key")
        .header(axum::http::header::HOST, "aula.test")
        .body(axum::body::Body::empty())
        .unwrap();
    let published = app.send_to(&rotated, request).await.body;
    let lines: Vec<&str> = published.lines().collect();
    assert_eq!(lines.len(), 2, "{published}");
    assert!(lines[0].ends_with(" current"), "{published}");
    assert!(
        lines[1].contains(&public_key_text(&old)) && lines[1].ends_with(" retired"),
        "{published}"
    );

    // Without the retired key, the same certificate no longer checks: the key is what counts.
    let forgotten = app.instance_with(|settings| {
        settings.signing_key = app::ed25519_dalek::SigningKey::from_bytes(&[77; 32]);
    });
    let answer = app
        .invoke_via(&forgotten, verify, None)
        .await
        .expect("an answer");
    assert!(!answer.certificate.expect("found").signature_ok);
}
