//! Fixed-window request limits per client address, kept in memory by each instance (enough to
//! make walking through certificate codes pointless; no shared store needed).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct RateLimit {
    per_window: u32,
    window: Duration,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimit {
    pub fn new(per_window: u32, window: Duration) -> Self {
        Self {
            per_window,
            window,
            windows: Mutex::default(),
        }
    }

    /// Counts one request from `client`; `Err(seconds)` to wait when over the limit.
    pub fn check(&self, client: &str, now: Instant) -> Result<(), u64> {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if windows.len() > 100_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = windows.entry(client.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.per_window {
            let left = self.window.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_client_has_its_own_window() {
        let limit = RateLimit::new(3, Duration::from_secs(60));
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limit.check("a", start).is_ok());
        }
        assert_eq!(limit.check("a", start + Duration::from_secs(10)), Err(50));
        assert!(
            limit.check("b", start).is_ok(),
            "another client is not affected"
        );
        assert!(
            limit.check("a", start + Duration::from_secs(61)).is_ok(),
            "a new window"
        );
    }
}
