//! Links sent by mail that act on an account once: verify an address, reset a password,
//! confirm a new address. Each carries a random token; only its hash is stored.

use chrono::{DateTime, TimeDelta, Utc};

/// What a link is for. Stored as its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkPurpose {
    /// Confirms the address given at sign-up.
    VerifyEmail,
    /// Sets a new password without the old one.
    ResetPassword,
    /// Confirms a new address before it replaces the old one.
    ChangeEmail,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::VerifyEmail => "verify_email",
            LinkPurpose::ResetPassword => "reset_password",
            LinkPurpose::ChangeEmail => "change_email",
        }
    }

    /// How long a link stays usable: a reset link briefly (it is as good as the password),
    /// a verification long enough for a mail read two days later.
    pub fn lifetime(self) -> TimeDelta {
        match self {
            LinkPurpose::VerifyEmail | LinkPurpose::ChangeEmail => TimeDelta::hours(48),
            LinkPurpose::ResetPassword => TimeDelta::minutes(30),
        }
    }

    /// At most this many links of this kind per account per hour: a form submitted in a loop
    /// cannot fill someone's inbox.
    pub fn per_hour(self) -> usize {
        3
    }
}

/// Why a link cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LinkProblem {
    /// No such link (mistyped, or for something else).
    Unknown,
    /// Used already: each link works once.
    Used,
    Expired,
}

/// Whether a stored link can still be used at `now`.
pub fn usable(
    expires_at: DateTime<Utc>,
    used_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), LinkProblem> {
    if used_at.is_some() {
        Err(LinkProblem::Used)
    } else if now >= expires_at {
        Err(LinkProblem::Expired)
    } else {
        Ok(())
    }
}

/// Whether another link may be sent, given when the recent ones were made.
pub fn may_send_another(purpose: LinkPurpose, sent: &[DateTime<Utc>], now: DateTime<Utc>) -> bool {
    let hour_ago = now - TimeDelta::hours(1);
    sent.iter().filter(|at| **at > hour_ago).count() < purpose.per_hour()
}

/// A link's token as it may appear in a URL: 64 hex digits, nothing else.
pub fn well_formed(token: &str) -> bool {
    token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0).unwrap_or_default()
    }

    #[test]
    fn a_link_works_once_and_until_it_expires() {
        let expires = at(0) + LinkPurpose::ResetPassword.lifetime();
        assert_eq!(usable(expires, None, at(29)), Ok(()));
        assert_eq!(usable(expires, None, at(30)), Err(LinkProblem::Expired));
        assert_eq!(usable(expires, Some(at(5)), at(6)), Err(LinkProblem::Used));
        let verify = at(0) + LinkPurpose::VerifyEmail.lifetime();
        assert_eq!(usable(verify, None, at(47 * 60)), Ok(()));
        assert_eq!(usable(verify, None, at(48 * 60)), Err(LinkProblem::Expired));
    }

    #[test]
    fn links_are_sent_at_most_three_an_hour() {
        let purpose = LinkPurpose::ResetPassword;
        assert!(may_send_another(purpose, &[at(0), at(1)], at(2)));
        assert!(!may_send_another(purpose, &[at(0), at(1), at(2)], at(3)));
        // An hour after the first, one more may go.
        assert!(may_send_another(purpose, &[at(0), at(1), at(2)], at(61)));
    }

    #[test]
    fn tokens_in_urls_are_hex_of_the_right_length() {
        assert!(well_formed(&"a1".repeat(32)));
        assert!(!well_formed("abc"));
        assert!(!well_formed(&"zz".repeat(32)));
    }
}
