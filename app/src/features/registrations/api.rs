use crate::domain::account::RegistrationStatus;
use crate::domain::registration::RegistryMatch;
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

/// A person's registration as staff weigh it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationRow {
    pub user_id: i32,
    pub given_name: String,
    pub family_name: String,
    pub email: String,
    pub email_verified: bool,
    pub school_name: String,
    pub school_code: String,
    pub tax_code: Option<String>,
    pub status: RegistrationStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub registered_at: NaiveDateTime,
    pub decided_at: Option<NaiveDateTime>,
    /// Whole days since the person registered.
    pub days_waiting: i64,
    /// How the registration matched the registry (none: never compared, no registry yet).
    pub registry_match: Option<RegistryMatch>,
    /// The registry's entry it matched, to compare side by side.
    pub evidence: Option<Evidence>,
}

/// A registry entry as staff compare it with what the person gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub person: crate::domain::registration::RegistryPerson,
    /// The line of the registry file it was read from.
    pub line: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationQueue {
    pub rows: Vec<RegistrationRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// How many registrations stand in each status (in the order of `STATUSES`).
    pub counts: Vec<(RegistrationStatus, u64)>,
    /// Pending for longer than [`WAITING_LONG_DAYS`].
    pub waiting_long: u64,
    /// Pending with a partial match in the registry, and with none.
    pub partial: u64,
    pub unmatched: u64,
}

/// The statuses in the order the page shows them.
pub const STATUSES: [RegistrationStatus; 3] = [
    RegistrationStatus::Pending,
    RegistrationStatus::Rejected,
    RegistrationStatus::Validated,
];

/// A registration pending longer than this is flagged (and has its own filter).
pub const WAITING_LONG_DAYS: i64 = 7;

/// The queue's filters as its address spells them (`status`, `matched`, `waiting_long`, `q`):
/// the page and its CSV read the same words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueQuery {
    pub status: RegistrationStatus,
    pub waiting_long: bool,
    pub matched: Option<RegistryMatch>,
    pub search: String,
}

impl QueueQuery {
    /// From the address's parameters; anything unknown means the default (pending, all).
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            status: match get("status").as_deref() {
                Some("validated") => RegistrationStatus::Validated,
                Some("rejected") => RegistrationStatus::Rejected,
                _ => RegistrationStatus::Pending,
            },
            waiting_long: get("waiting_long").as_deref() == Some("true"),
            matched: match get("matched").as_deref() {
                Some("partial") => Some(RegistryMatch::Partial),
                Some("none") => Some(RegistryMatch::None),
                Some("exact") => Some(RegistryMatch::Exact),
                _ => None,
            },
            search: get("q").unwrap_or_default(),
        }
    }

    /// The parameters back, for links (`?` not included).
    pub fn params(&self) -> String {
        format!(
            "status={}&q={}{}{}",
            status_key(self.status),
            urlencoding::encode(&self.search),
            if self.waiting_long {
                "&waiting_long=true"
            } else {
                ""
            },
            self.matched
                .map(|m| format!("&matched={}", match_key(m)))
                .unwrap_or_default()
        )
    }
}

pub fn match_key(found: RegistryMatch) -> &'static str {
    match found {
        RegistryMatch::None => "none",
        RegistryMatch::Partial => "partial",
        RegistryMatch::Exact => "exact",
    }
}

pub fn status_key(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Pending => "pending",
        RegistrationStatus::Validated => "validated",
        RegistrationStatus::Rejected => "rejected",
    }
}

#[server(prefix = "/api", endpoint = "load_registrations")]
pub async fn load_registrations(
    status: Option<RegistrationStatus>,
    waiting_long: Option<bool>,
    matched: Option<RegistryMatch>,
    search: Option<String>,
    page: u64,
) -> Result<RegistrationQueue, AppError> {
    let (state, caller) = entry::read().await?;
    let filter = service::QueueFilter {
        status: status.unwrap_or(RegistrationStatus::Pending),
        waiting_long: waiting_long.unwrap_or(false),
        matched,
        search: search.unwrap_or_default(),
        page,
    };
    respond(service::queue(&state, &caller, filter).await)
}

/// What a decision on several registrations did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionOutcome {
    pub decided: u64,
    /// Already decided (by a colleague, or a second click): left as they were.
    pub unchanged: u64,
}

/// Validates (`approve = "true"`) or rejects, with a reason the person reads, the registrations
/// of the people chosen (`user_ids[]`, one or many).
#[server(prefix = "/api", endpoint = "decide_registrations")]
pub async fn decide_registrations(
    user_ids: Option<Vec<i32>>,
    approve: String,
    reason: Option<String>,
) -> Result<DecisionOutcome, AppError> {
    let (state, caller) = entry::change().await?;
    respond(
        service::decide(
            &state,
            &caller,
            &user_ids.unwrap_or_default(),
            approve == "true",
            reason.as_deref().unwrap_or_default(),
        )
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_reads_back_what_its_params_say() {
        let query = QueueQuery {
            status: RegistrationStatus::Rejected,
            waiting_long: true,
            matched: Some(RegistryMatch::Partial),
            search: "Dell'Acqua & co".to_owned(),
        };
        let params = query.params();
        let read = QueueQuery::read(|name| {
            form_urlencoded::parse(params.as_bytes())
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.into_owned())
        });
        assert_eq!(read, query);
    }

    #[test]
    fn unknown_words_mean_the_defaults() {
        let read = QueueQuery::read(|name| match name {
            "status" => Some("everything".to_owned()),
            "matched" => Some("maybe".to_owned()),
            "waiting_long" => Some("1".to_owned()),
            _ => None,
        });
        assert_eq!(read.status, RegistrationStatus::Pending);
        assert_eq!(read.matched, None);
        assert!(!read.waiting_long);
        assert_eq!(read.search, "");
    }
}
