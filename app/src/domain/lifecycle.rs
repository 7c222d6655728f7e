//! The lifecycle of personal data: a profile nobody has signed in to for a year becomes
//! inactive (hidden from others; signing in again reactivates it); a month before three years
//! the person is warned by mail; at three years the personal data are anonymised. The periods
//! are configured (`AULA_INACTIVE_AFTER_DAYS`, `AULA_WARN_BEFORE_DAYS`,
//! `AULA_ANONYMISE_AFTER_DAYS`).

use super::account::AccountState;
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    pub inactive_after_days: u32,
    pub warn_before_days: u32,
    pub anonymise_after_days: u32,
}

impl Default for Retention {
    /// One year, a month's notice, three years.
    fn default() -> Self {
        Self {
            inactive_after_days: 365,
            warn_before_days: 30,
            anonymise_after_days: 3 * 365,
        }
    }
}

impl Retention {
    /// Periods that make sense together: a warning before anonymising, inactivity first.
    pub fn new(inactive: u32, warn_before: u32, anonymise: u32) -> Result<Self, &'static str> {
        if inactive == 0 || anonymise == 0 {
            return Err("retention periods are at least a day");
        }
        if warn_before >= anonymise || inactive >= anonymise {
            return Err("anonymising comes after inactivity and after the warning");
        }
        Ok(Self {
            inactive_after_days: inactive,
            warn_before_days: warn_before,
            anonymise_after_days: anonymise,
        })
    }

    /// The moments a person's last sign-in must be before for each step to be due at `now`.
    pub fn cutoffs(self, now: DateTime<Utc>) -> Cutoffs {
        let days = |d: u32| TimeDelta::days(i64::from(d));
        Cutoffs {
            inactive: now - days(self.inactive_after_days),
            warn: now - days(self.anonymise_after_days) + days(self.warn_before_days),
            anonymise: now - days(self.anonymise_after_days),
        }
    }
}

/// Last active before these moments: the step is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    pub inactive: DateTime<Utc>,
    pub warn: DateTime<Utc>,
    pub anonymise: DateTime<Utc>,
}

/// What is due for one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Keep,
    MakeInactive,
    Warn,
    Anonymise,
}

/// The step due for an account last active at `last_active` (its last sign-in, or its creation).
/// Each step is due once: an account inactive already is not made inactive again, a person
/// warned already is not warned again. A closed account is not warned (it cannot sign in) but
/// is anonymised in its time.
pub fn step(
    state: AccountState,
    last_active: DateTime<Utc>,
    warned: bool,
    cutoffs: Cutoffs,
) -> Step {
    if state == AccountState::Anonymised {
        return Step::Keep;
    }
    if last_active < cutoffs.anonymise {
        return Step::Anonymise;
    }
    if last_active < cutoffs.warn && !warned && state != AccountState::Deactivated {
        return Step::Warn;
    }
    if last_active < cutoffs.inactive && state == AccountState::Active {
        return Step::MakeInactive;
    }
    Step::Keep
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A couple of days past the mark of `months` (a month being a twelfth of a year).
    fn months_ago(now: DateTime<Utc>, months: i64) -> DateTime<Utc> {
        now - TimeDelta::days(months * 365 / 12 + 2)
    }

    #[test]
    fn steps_at_11_12_35_and_36_months() {
        let now = Utc::now();
        let cutoffs = Retention::default().cutoffs(now);
        let at = |months| {
            step(
                AccountState::Active,
                months_ago(now, months),
                false,
                cutoffs,
            )
        };
        assert_eq!(at(11), Step::Keep);
        assert_eq!(at(12), Step::MakeInactive);
        assert_eq!(at(35), Step::Warn);
        assert_eq!(at(36), Step::Anonymise);
        // Inactive already, warned already: nothing again until the end.
        let inactive = |months, warned| {
            step(
                AccountState::Inactive,
                months_ago(now, months),
                warned,
                cutoffs,
            )
        };
        assert_eq!(inactive(13, false), Step::Keep);
        assert_eq!(inactive(35, true), Step::Keep);
        assert_eq!(inactive(36, true), Step::Anonymise);
        // A closed account is never warned, but anonymised in its time.
        assert_eq!(
            step(
                AccountState::Deactivated,
                months_ago(now, 35),
                false,
                cutoffs
            ),
            Step::Keep
        );
        assert_eq!(
            step(
                AccountState::Deactivated,
                months_ago(now, 37),
                false,
                cutoffs
            ),
            Step::Anonymise
        );
        assert_eq!(
            step(
                AccountState::Anonymised,
                months_ago(now, 60),
                false,
                cutoffs
            ),
            Step::Keep
        );
    }

    #[test]
    fn the_warning_comes_the_configured_days_before() {
        let now = Utc::now();
        let retention = Retention::new(100, 10, 200).unwrap();
        let cutoffs = retention.cutoffs(now);
        let days = |d| now - TimeDelta::days(d);
        assert_eq!(
            step(AccountState::Inactive, days(189), false, cutoffs),
            Step::Keep
        );
        assert_eq!(
            step(AccountState::Inactive, days(191), false, cutoffs),
            Step::Warn
        );
        assert_eq!(
            step(AccountState::Inactive, days(201), true, cutoffs),
            Step::Anonymise
        );
        assert!(Retention::new(300, 30, 200).is_err());
        assert!(Retention::new(100, 200, 200).is_err());
        assert!(Retention::new(0, 0, 10).is_err());
    }
}
