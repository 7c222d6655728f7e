//! When a signed-in session ends.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Ends a session nobody has used for this long.
    pub idle: Duration,
    /// Ends every session this long after sign-in, however busy.
    pub absolute: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(8 * 60 * 60),
            absolute: Duration::from_secs(7 * 24 * 60 * 60),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Expired,
    /// Valid; `refresh` says whether to record this use (done at most once a minute, so that
    /// reading pages does not turn into a write per request).
    Valid {
        refresh: bool,
    },
}

pub const REFRESH_EVERY: Duration = Duration::from_secs(60);

/// `age` is the time since sign-in, `idle` the time since the last recorded use.
pub fn state(timeouts: Timeouts, age: Duration, idle: Duration) -> SessionState {
    if age >= timeouts.absolute || idle >= timeouts.idle {
        SessionState::Expired
    } else {
        SessionState::Valid {
            refresh: idle >= REFRESH_EVERY,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    #[test]
    fn fresh_sessions_are_valid_and_not_rewritten() {
        assert_eq!(
            state(Timeouts::default(), MIN, Duration::from_secs(5)),
            SessionState::Valid { refresh: false }
        );
    }

    #[test]
    fn use_is_recorded_once_a_minute() {
        assert_eq!(
            state(Timeouts::default(), 10 * MIN, MIN),
            SessionState::Valid { refresh: true }
        );
    }

    #[test]
    fn idle_sessions_expire() {
        let t = Timeouts::default();
        assert_eq!(state(t, t.idle, t.idle), SessionState::Expired);
        assert_eq!(
            state(t, t.idle, t.idle - MIN),
            SessionState::Valid { refresh: true }
        );
    }

    #[test]
    fn busy_sessions_still_expire_at_the_absolute_limit() {
        let t = Timeouts::default();
        assert_eq!(state(t, t.absolute, Duration::ZERO), SessionState::Expired);
    }
}
