//! What the benchmarks share: the settings of a server under test (no mail, fixed keys).

use app::domain::sessions::Timeouts;
use app::ssr::Settings;
use std::time::Duration;

pub fn settings(dir: &std::path::Path) -> Settings {
    Settings {
        base_url: "http://127.0.0.1".to_owned(),
        secret: b"bench secret of at least thirty-two bytes!".to_vec(),
        session_timeouts: Timeouts {
            idle: Duration::from_secs(3600),
            absolute: Duration::from_secs(86_400),
        },
        trust_proxy: false,
        upload_dir: dir.join("uploads"),
        upload_max_bytes: 10 << 20,
        upload_types: app::domain::submissions::FileType::ALL.to_vec(),
        signing_key: app::ed25519_dalek::SigningKey::from_bytes(&[7; 32]),
        retired_keys: Vec::new(),
        issuer: "Unità nazionale formazione docenti".to_owned(),
        mail: None,
        sso: Default::default(),
        retention: Default::default(),
    }
}
