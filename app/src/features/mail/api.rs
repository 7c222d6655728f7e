use crate::domain::outbox::MailStatus;
use crate::error::AppError;
use chrono::NaiveDateTime;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {super::service, crate::ssr::entry, crate::ssr::respond};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: i32,
    pub recipient: String,
    pub subject: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    /// When it was sent, or when it is tried next.
    pub sent_at: Option<NaiveDateTime>,
    pub due_at: NaiveDateTime,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxPage {
    pub rows: Vec<OutboxRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    /// How many mails stand in each state (in the order of `MailStatus::ALL`).
    pub counts: Vec<(MailStatus, u64)>,
}

#[server(prefix = "/api", endpoint = "load_outbox")]
pub async fn load_outbox(page: u64, status: Option<MailStatus>) -> Result<OutboxPage, AppError> {
    let (state, caller) = entry::read().await?;
    respond(service::browse(&state, &caller, page, status).await)
}

#[server(prefix = "/api", endpoint = "resend_mail")]
pub async fn resend_mail(mail_id: i32) -> Result<(), AppError> {
    let (state, caller) = entry::change().await?;
    respond(service::resend(&state, &caller, mail_id).await)
}
