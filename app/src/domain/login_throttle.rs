//! Growing delays after failed logins. Per account the delay is capped low, so an attacker
//! cannot keep the owner out for long; per address it grows much further.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Failures allowed before any delay applies.
    pub free_failures: u32,
    /// The longest delay ever imposed.
    pub max_delay: Duration,
    /// Failures older than this are forgotten.
    pub forget_after: Duration,
}

/// Per account (email): after 5 failures, 1 s, 2 s, 4 s … but never more than 5 minutes.
pub const PER_ACCOUNT: Policy = Policy {
    free_failures: 5,
    max_delay: Duration::from_secs(5 * 60),
    forget_after: Duration::from_secs(24 * 60 * 60),
};

/// Per client address: 20 free failures (a school shares one address), then up to an hour.
pub const PER_ADDRESS: Policy = Policy {
    free_failures: 20,
    max_delay: Duration::from_secs(60 * 60),
    forget_after: Duration::from_secs(24 * 60 * 60),
};

impl Policy {
    /// The wait imposed after `failures` consecutive failures.
    pub fn delay_after(&self, failures: u32) -> Duration {
        if failures < self.free_failures {
            return Duration::ZERO;
        }
        let exponent = (failures - self.free_failures).min(30);
        Duration::from_secs(1u64 << exponent).min(self.max_delay)
    }

    /// How long the caller must still wait before another attempt, if at all.
    /// `since_last_failure` is the time elapsed since the most recent failure.
    pub fn must_wait(&self, failures: u32, since_last_failure: Duration) -> Option<Duration> {
        if since_last_failure >= self.forget_after {
            return None;
        }
        let delay = self.delay_after(failures);
        (since_last_failure < delay).then(|| delay - since_last_failure)
    }

    /// Failures still remembered `since_last_failure` after the last of them.
    pub fn remembered(&self, failures: u32, since_last_failure: Duration) -> u32 {
        if since_last_failure >= self.forget_after {
            0
        } else {
            failures
        }
    }

    /// The wait for an attempt that was counted as failure number `position`. Just before it
    /// was counted, `before` failures were remembered, the last `since_last_failure` ago.
    /// Attempts counted in between (a parallel burst) were made at the same moment, so no time
    /// has passed since them.
    pub fn wait_for_attempt(
        &self,
        position: u32,
        before: u32,
        since_last_failure: Duration,
    ) -> Option<Duration> {
        let earlier = position.saturating_sub(1);
        if earlier == self.remembered(before, since_last_failure) {
            self.must_wait(earlier, since_last_failure)
        } else {
            self.must_wait(earlier, Duration::ZERO)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_cost_nothing() {
        for failures in 0..5 {
            assert_eq!(PER_ACCOUNT.delay_after(failures), Duration::ZERO);
        }
    }

    #[test]
    fn the_delay_doubles_then_stops_growing() {
        assert_eq!(PER_ACCOUNT.delay_after(5), Duration::from_secs(1));
        assert_eq!(PER_ACCOUNT.delay_after(6), Duration::from_secs(2));
        assert_eq!(PER_ACCOUNT.delay_after(9), Duration::from_secs(16));
        assert_eq!(PER_ACCOUNT.delay_after(20), Duration::from_secs(300));
        assert_eq!(PER_ACCOUNT.delay_after(u32::MAX), Duration::from_secs(300));
        assert_eq!(PER_ADDRESS.delay_after(40), Duration::from_secs(3600));
    }

    #[test]
    fn a_victim_is_never_locked_out_for_more_than_five_minutes() {
        for failures in 0..1000 {
            assert!(PER_ACCOUNT.delay_after(failures) <= Duration::from_secs(300));
        }
    }

    #[test]
    fn waiting_counts_down_from_the_last_failure() {
        let failures = 7; // 4 s
        assert_eq!(
            PER_ACCOUNT.must_wait(failures, Duration::from_secs(1)),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            PER_ACCOUNT.must_wait(failures, Duration::from_secs(4)),
            None
        );
        assert_eq!(PER_ACCOUNT.must_wait(2, Duration::ZERO), None);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let a_day = Duration::from_secs(24 * 60 * 60);
        assert_eq!(PER_ACCOUNT.must_wait(50, a_day), None);
        assert_eq!(PER_ACCOUNT.remembered(50, a_day), 0);
        assert_eq!(PER_ACCOUNT.remembered(50, Duration::from_secs(10)), 50);
    }

    #[test]
    fn one_attempt_after_another_waits_from_the_last_failure() {
        // The sixth attempt, 2 s after the fifth failure: the 1 s delay is over.
        assert_eq!(
            PER_ACCOUNT.wait_for_attempt(6, 5, Duration::from_secs(2)),
            None
        );
        assert_eq!(
            PER_ACCOUNT.wait_for_attempt(6, 5, Duration::from_millis(400)),
            Some(Duration::from_millis(600))
        );
        // The first attempt after a day: everything before is forgotten.
        assert_eq!(PER_ACCOUNT.wait_for_attempt(1, 0, Duration::MAX), None);
    }

    #[test]
    fn a_parallel_burst_waits_past_the_free_attempts() {
        // Fifty attempts read "no failures" at once and were counted 1..=50: the first five
        // go on, the others wait as if their predecessors had just failed.
        for position in 1..=5 {
            assert_eq!(
                PER_ACCOUNT.wait_for_attempt(position, 0, Duration::MAX),
                None
            );
        }
        assert_eq!(
            PER_ACCOUNT.wait_for_attempt(6, 0, Duration::MAX),
            Some(Duration::from_secs(1))
        );
        assert!(PER_ACCOUNT.wait_for_attempt(50, 0, Duration::MAX).is_some());
    }
}
