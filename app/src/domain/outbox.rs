//! Rules of the outbox: a mail's states and when a failed one is tried again.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Where a mail of the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "ssr",
    sea_orm(rs_type = "String", db_type = "Text", rename_all = "snake_case")
)]
pub enum MailStatus {
    /// Waiting to be sent (first time, or again after a failure).
    Queued,
    /// Accepted by the relay.
    Sent,
    /// Given up after [`MAX_ATTEMPTS`]; staff can send it again.
    Failed,
}

impl MailStatus {
    pub const ALL: [MailStatus; 3] = [MailStatus::Queued, MailStatus::Sent, MailStatus::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Queued => "queued",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A sent mail's text as it is kept: the tokens of single-use links (64 hex digits) removed, so
/// that a copy of the outbox opens no account. Only their hash is kept elsewhere.
pub fn without_link_tokens(body: &str) -> String {
    let mut kept = String::with_capacity(body.len());
    let mut run = String::new();
    for c in body.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
            continue;
        }
        kept.push_str(if run.len() == 64 { "[removed]" } else { &run });
        run.clear();
        kept.push(c);
    }
    kept.push_str(if run.len() == 64 { "[removed]" } else { &run });
    kept
}

/// Tries before a mail is given up: with the waits of [`retry_delay`], about a day.
pub const MAX_ATTEMPTS: i32 = 12;

/// The wait before the next try after `attempts` failed ones: one minute, doubling, at most
/// six hours (a relay down for maintenance is not flooded, and a day's outage loses nothing).
pub fn retry_delay(attempts: i32) -> Duration {
    let doublings = attempts.clamp(1, 30) as u32 - 1;
    let minutes = 1u64.checked_shl(doublings).unwrap_or(u64::MAX).min(360);
    Duration::from_secs(minutes * 60)
}

/// What happens to a mail after a try.
pub fn after_failure(attempts: i32) -> Option<Duration> {
    (attempts < MAX_ATTEMPTS).then(|| retry_delay(attempts))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_are_removed_from_kept_mail_and_nothing_else() {
        let token = "0123456789abcdef".repeat(4);
        let body = format!(
            "Apri https://aula.example/password/reset/{token} entro 30 minuti.\nCodice AULA-7K3M, anno 2026, deadbeef."
        );
        let kept = without_link_tokens(&body);
        assert_eq!(
            kept,
            "Apri https://aula.example/password/reset/[removed] entro 30 minuti.\nCodice AULA-7K3M, anno 2026, deadbeef."
        );
        // A token at the very end, and one followed by a query.
        assert_eq!(without_link_tokens(&format!("x/{token}")), "x/[removed]");
        assert_eq!(
            without_link_tokens(&format!("x/{token}?next=/editions/3")),
            "x/[removed]?next=/editions/3"
        );
    }

    #[test]
    fn statuses_read_back_what_they_write() {
        for status in MailStatus::ALL {
            assert_eq!(MailStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(MailStatus::parse("lost"), None);
    }

    #[test]
    fn retries_back_off_from_a_minute_to_six_hours() {
        let minutes: Vec<u64> = (1..=11).map(|a| retry_delay(a).as_secs() / 60).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360]);
        assert_eq!(retry_delay(0), Duration::from_secs(60));
        assert_eq!(retry_delay(i32::MAX), Duration::from_secs(360 * 60));
    }

    #[test]
    fn a_mail_is_given_up_after_the_last_attempt() {
        assert_eq!(after_failure(1), Some(Duration::from_secs(60)));
        assert!(after_failure(MAX_ATTEMPTS - 1).is_some());
        assert_eq!(after_failure(MAX_ATTEMPTS), None);
        let total: u64 = (1..MAX_ATTEMPTS).map(|a| retry_delay(a).as_secs()).sum();
        assert!(
            (20 * 3600..30 * 3600).contains(&total),
            "about a day: {total} s"
        );
    }
}
