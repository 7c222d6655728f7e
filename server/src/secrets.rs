//! The site's two secrets: `AULA_SECRET` (keys stored hashes) and the certificate signing key.
//! A real site (https) sets both, the same on every instance, and `config` refuses to start
//! without them. A local trial over http may go without: each is generated once and kept in
//! the data folder, so a restart signs with the same key and certificates keep verifying.

use crate::config::Config;
use app::ed25519_dalek::{SigningKey, VerifyingKey};
use std::path::{Path, PathBuf};

/// The keys the server runs with, and what to warn about.
pub struct Keys {
    pub secret: Vec<u8>,
    pub signing_key: SigningKey,
    /// Public keys of rotated-out signing keys: they still check what they signed.
    pub retired: Vec<VerifyingKey>,
    /// Secrets generated or read from the data folder: said loudly at start-up.
    pub warnings: Vec<String>,
}

pub fn resolve(config: &Config) -> Result<Keys, String> {
    let folder = config.data_dir.join("secrets");
    let mut warnings = Vec::new();
    let secret = match &config.secret {
        Some(secret) => secret.bytes().to_vec(),
        None => {
            let (bytes, path) = kept(&folder, "secret")?;
            warnings.push(format!(
                "AULA_SECRET is not set: using the one kept in {} (set it on a real site)",
                path.display()
            ));
            bytes.to_vec()
        }
    };
    // Before keys were kept, a site with AULA_SECRET and no AULA_SIGNING_KEY signed with a key
    // derived from the secret: that key stays trusted for what it signed.
    let derived = config
        .secret
        .as_ref()
        .map(|secret| app::ssr::state::signing_key_from_secret(secret.bytes()));
    let signing_key = match (config.signing_key, &derived) {
        (Some(seed), _) => SigningKey::from_bytes(&seed),
        (None, Some(derived)) => derived.clone(),
        (None, None) => {
            let (seed, path) = kept(&folder, "signing-key")?;
            warnings.push(format!(
                "AULA_SIGNING_KEY is not set: certificates are signed with the key kept in {} \
                 (back it up, or set AULA_SIGNING_KEY on a real site)",
                path.display()
            ));
            SigningKey::from_bytes(&seed)
        }
    };
    let mut retired = config.retired_keys.clone();
    if let Some(derived) = derived.map(|key| key.verifying_key())
        && derived != signing_key.verifying_key()
        && !retired.contains(&derived)
    {
        retired.push(derived);
    }
    Ok(Keys {
        secret,
        signing_key,
        retired,
        warnings,
    })
}

/// 32 random bytes kept as hex in `folder/name`: read if there, made once if not (readable by
/// the server's user only). Two instances starting together read the same file.
fn kept(folder: &Path, name: &str) -> Result<([u8; 32], PathBuf), String> {
    let path = folder.join(name);
    let read = |path: &Path| -> Result<Option<[u8; 32]>, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => hex::decode(text.trim())
                .ok()
                .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                .map(Some)
                .ok_or_else(|| format!("{} is damaged: 64 hex digits expected", path.display())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(format!("cannot read {}: {error}", path.display())),
        }
    };
    if let Some(bytes) = read(&path)? {
        return Ok((bytes, path));
    }
    create_private_folder(folder)?;
    let bytes: [u8; 32] = rand::random();
    match write_new_private(&path, &hex::encode(bytes)) {
        Ok(()) => Ok((bytes, path)),
        // Another instance wrote it first: use theirs.
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => read(&path)?
            .map(|bytes| (bytes, path.clone()))
            .ok_or_else(|| format!("{} vanished while starting", path.display())),
        Err(error) => Err(format!("cannot write {}: {error}", path.display())),
    }
}

fn create_private_folder(folder: &Path) -> Result<(), String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))
}

fn write_new_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(format!("{text}\n").as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(folder: &Path, vars: &[(&str, &str)]) -> Config {
        let mut map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.insert("AULA_DATA_DIR".into(), folder.display().to_string());
        Config::from_lookup(|name| map.get(name).cloned()).expect("config")
    }

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("aula-secrets-{name}-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        dir
    }

    #[test]
    fn a_local_site_keeps_its_generated_keys_across_restarts() {
        let dir = folder("restart");
        let first = resolve(&config(&dir, &[])).expect("first start");
        assert_eq!(first.warnings.len(), 2, "both said loudly");
        let second = resolve(&config(&dir, &[])).expect("second start");
        assert_eq!(first.secret, second.secret);
        assert_eq!(
            first.signing_key.verifying_key(),
            second.signing_key.verifying_key()
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("secrets/signing-key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "readable by the server's user only");
        }
        std::fs::write(dir.join("secrets/signing-key"), "garbage").unwrap();
        assert!(
            resolve(&config(&dir, &[])).is_err(),
            "a damaged key is refused"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn set_keys_win_and_the_key_derived_before_stays_trusted() {
        let dir = folder("set");
        let secret = "0123456789abcdef0123456789abcdef";
        let seed = "ab".repeat(32);
        let keys = resolve(&config(
            &dir,
            &[("AULA_SECRET", secret), ("AULA_SIGNING_KEY", &seed)],
        ))
        .expect("start");
        assert!(keys.warnings.is_empty());
        assert!(!dir.exists(), "nothing written when both are set");
        assert_eq!(keys.signing_key.to_bytes(), [0xab; 32]);
        let derived = app::ssr::state::signing_key_from_secret(secret.as_bytes());
        assert_eq!(keys.retired, vec![derived.verifying_key()]);
        // Only the secret set: signs with the derived key, as before.
        let keys = resolve(&config(&dir, &[("AULA_SECRET", secret)])).expect("start");
        assert_eq!(keys.signing_key.to_bytes(), derived.to_bytes());
        assert!(keys.retired.is_empty());
    }
}
