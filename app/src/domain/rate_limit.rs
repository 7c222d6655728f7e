//! Fixed-window request limits: the rule, without the counting (see `ssr::rate_limit`).

/// At most `per_window` requests per client in each fixed window of `window_secs` seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// What is limited; part of the key, so that limits do not share counts.
    pub action: &'static str,
    pub per_window: u32,
    pub window_secs: i64,
}

/// Look-ups per client address per minute on the public verification page: plenty for
/// people, too few to walk through the space of codes.
pub const VERIFY: Limit = Limit {
    action: "verify",
    per_window: 30,
    window_secs: 60,
};

/// New accounts per client address per quarter of an hour: a whole class signing up together
/// behind its school's one address fits; a script creating accounts by the thousand does not.
pub const SIGN_UP: Limit = Limit {
    action: "sign_up",
    per_window: 30,
    window_secs: 15 * 60,
};

/// Sign-up mails per address per hour (a verification link, or "you already have an
/// account"): someone typing another person's address in a loop sends them three at most.
pub const SIGN_UP_MAIL: Limit = Limit {
    action: "sign_up_mail",
    per_window: 3,
    window_secs: 60 * 60,
};

/// Password reset requests per client address per quarter of an hour (each account also gets
/// at most three links an hour).
pub const PASSWORD_RESET: Limit = Limit {
    action: "password_reset",
    per_window: 10,
    window_secs: 15 * 60,
};

/// Sign-ins started at a provider per client address per quarter of an hour: each stores a
/// pending sign-in; a school's class fits, a script filling the table does not.
pub const SSO_START: Limit = Limit {
    action: "sso_start",
    per_window: 60,
    window_secs: 15 * 60,
};

/// Posts (announcements, threads, replies) per person per minute: a conversation flows, a
/// script flooding a group does not.
pub const POST: Limit = Limit {
    action: "post",
    per_window: 10,
    window_secs: 60,
};

/// The start (Unix seconds) of the window that `now` falls in; windows are aligned to the
/// clock, so every instance agrees on them.
pub fn window_start(limit: &Limit, now: i64) -> i64 {
    now - now.rem_euclid(limit.window_secs.max(1))
}

/// Whether the `requests`-th request of the window starting at `start` may go ahead;
/// `Err(seconds)` to wait until the next window when it may not.
pub fn verdict(limit: &Limit, requests: u32, start: i64, now: i64) -> Result<(), u64> {
    if requests <= limit.per_window {
        return Ok(());
    }
    let left = (start + limit.window_secs - now).max(1);
    Err(u64::try_from(left).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: Limit = Limit {
        action: "test",
        per_window: 3,
        window_secs: 60,
    };

    #[test]
    fn windows_are_aligned_to_the_clock() {
        assert_eq!(window_start(&LIMIT, 120), 120);
        assert_eq!(window_start(&LIMIT, 179), 120);
        assert_eq!(window_start(&LIMIT, 180), 180);
        assert_eq!(window_start(&LIMIT, -1), -60, "before 1970 too");
    }

    #[test]
    fn requests_up_to_the_limit_go_ahead_then_wait_for_the_next_window() {
        for requests in 1..=3 {
            assert_eq!(verdict(&LIMIT, requests, 120, 130), Ok(()));
        }
        assert_eq!(verdict(&LIMIT, 4, 120, 130), Err(50));
        assert_eq!(
            verdict(&LIMIT, 4, 120, 180),
            Err(1),
            "never asks to wait zero seconds"
        );
    }
}
