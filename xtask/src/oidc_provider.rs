//! The test OpenID Connect provider (`end2end/oidc/provider.mjs`, the npm package
//! `oidc-provider`) as a child process: the end-to-end tests sign in through it, and
//! `cargo xtask run` offers it as "Test ID" so single sign-on can be tried locally.

use crate::root;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub struct TestProvider {
    child: Child,
    pub issuer: String,
    secret: String,
}

impl TestProvider {
    /// Starts it on a free port with one client, `aula`, that returns to `redirect_uri`.
    pub fn start(redirect_uri: &str, secret: &str) -> Result<Self, String> {
        use std::io::{BufRead, BufReader};
        let mut child = Command::new("node")
            .arg(root().join("end2end/oidc/provider.mjs"))
            .current_dir(root())
            .env("OIDC_REDIRECT_URIS", redirect_uri)
            .env("OIDC_CLIENT_SECRET", secret)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting the test OpenID Connect provider: {e}"))?;
        let output = child.stdout.take().ok_or("the provider has no output")?;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(output).lines();
            let _ = sender.send(lines.next().and_then(Result::ok));
            // Keep reading, so the provider never blocks on a full pipe.
            for _ in lines {}
        });
        let mut provider = TestProvider {
            child,
            issuer: String::new(),
            secret: secret.to_owned(),
        };
        let line = receiver
            .recv_timeout(Duration::from_secs(30))
            .ok()
            .flatten()
            .ok_or("the test OpenID Connect provider did not start (npm ci installs it)")?;
        // {"issuer":"http://127.0.0.1:<port>"}
        provider.issuer = line
            .split('"')
            .nth(3)
            .filter(|issuer| issuer.starts_with("http://127.0.0.1:"))
            .ok_or_else(|| format!("the provider said {line:?}"))?
            .to_owned();
        Ok(provider)
    }

    /// The server's settings for it: provider id `test`, shown as "Test ID".
    pub fn environment(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AULA_OIDC_PROVIDERS", "test".to_owned()),
            ("AULA_OIDC_TEST_ISSUER", self.issuer.clone()),
            ("AULA_OIDC_TEST_CLIENT_ID", "aula".to_owned()),
            ("AULA_OIDC_TEST_CLIENT_SECRET", self.secret.clone()),
            ("AULA_OIDC_TEST_NAME", "Test ID".to_owned()),
        ]
    }
}

impl Drop for TestProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
