//! The outbox: a mail is a row written in the same transaction as the change that causes it
//! ([`enqueue`]); a worker in each running instance sends what is due ([`deliver_due`]).
//!
//! An instance claims the rows it is about to send for a while (`claimed_until`), in a
//! transaction that PostgreSQL runs with `FOR UPDATE SKIP LOCKED` and SQLite with its write
//! lock, so two instances never take the same mail; if an instance stops half-way its claims
//! run out and another sends what it left. A restart loses nothing: the rows stay.

use super::entities::outbox;
use super::mail::{Mail, Sender};
use crate::domain::outbox::{MailStatus, after_failure};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{LockBehavior, LockType};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
};
use std::path::Path;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Notify;

/// How long an instance keeps the mails it claimed: longer than the slowest relay's answer.
const CLAIM: Duration = Duration::from_secs(300);
/// Mails claimed at once.
const BATCH: u64 = 20;
/// How often the worker looks for due mail when nobody wakes it.
const POLL: Duration = Duration::from_secs(2);

/// A mail to write into the outbox.
pub struct NewMail {
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// A certificate whose stored PDF is attached, and the attachment's file name.
    pub certificate: Option<(String, String)>,
}

impl NewMail {
    /// A mail of text alone (no attachment).
    pub fn text(kind: &'static str, to: impl Into<String>, subject: String, body: String) -> Self {
        Self {
            kind,
            to: to.into(),
            subject,
            body,
            certificate: None,
        }
    }
}

/// Writes `mails` with the change in `db` (a transaction): they are sent only if it commits.
/// Call [`wake`] after the commit.
pub async fn enqueue(db: &impl ConnectionTrait, mails: Vec<NewMail>) -> Result<(), DbErr> {
    if mails.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = mails.into_iter().map(|mail| {
        let (certificate_id, attachment_name) = mail.certificate.unzip();
        outbox::ActiveModel {
            kind: Set(mail.kind.to_owned()),
            recipient: Set(mail.to),
            subject: Set(mail.subject),
            body: Set(mail.body),
            certificate_id: Set(certificate_id),
            attachment_name: Set(attachment_name),
            status: Set(MailStatus::Queued),
            attempts: Set(0),
            due_at: Set(now),
            claimed_until: Set(None),
            last_error: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        }
    });
    outbox::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

static WAKE: LazyLock<Notify> = LazyLock::new(Notify::new);

/// Tells this instance's worker that mail is waiting (the others find it when they next look).
pub fn wake() {
    WAKE.notify_one();
}

/// Claims what is due at `now` and not claimed by a running instance.
async fn claim<C>(db: &C, now: DateTime<Utc>) -> Result<Vec<outbox::Model>, DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    let txn = super::db::begin(db).await?;
    let mut due = outbox::Entity::find()
        .filter(outbox::Column::Status.eq(MailStatus::Queued))
        .filter(outbox::Column::DueAt.lte(now))
        .filter(
            Condition::any()
                .add(outbox::Column::ClaimedUntil.is_null())
                .add(outbox::Column::ClaimedUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::Id)
        .limit(BATCH);
    if txn.get_database_backend() == DbBackend::Postgres {
        due = due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = due.all(&txn).await?;
    if rows.is_empty() {
        return Ok(rows);
    }
    let until = now + chrono::TimeDelta::from_std(CLAIM).unwrap_or(chrono::TimeDelta::MAX);
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::ClaimedUntil,
            sea_orm::sea_query::Expr::value(until),
        )
        .filter(outbox::Column::Id.is_in(rows.iter().map(|r| r.id)))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(rows)
}

/// Sends every mail due at `now` (in rounds of [`BATCH`]); answers how many were sent.
pub async fn deliver_due<C>(
    db: &C,
    sender: &Sender,
    certificate_dir: &Path,
    now: DateTime<Utc>,
) -> Result<usize, DbErr>
where
    C: ConnectionTrait + TransactionTrait,
{
    let mut sent = 0;
    loop {
        let rows = claim(db, now).await?;
        if rows.is_empty() {
            return Ok(sent);
        }
        for row in rows {
            let id = row.id;
            let attempts = row.attempts + 1;
            let result = match mail_of(&row, certificate_dir).await {
                Ok(mail) => sender.send(id, mail).await,
                Err(error) => Err(error),
            };
            let kept_body = crate::domain::outbox::without_link_tokens(&row.body);
            let mut update: outbox::ActiveModel = row.into();
            update.attempts = Set(attempts);
            update.claimed_until = Set(None);
            match result {
                Ok(()) => {
                    sent += 1;
                    update.status = Set(MailStatus::Sent);
                    update.sent_at = Set(Some(Utc::now()));
                    update.last_error = Set(None);
                    update.body = Set(kept_body);
                }
                Err(error) => {
                    tracing::warn!(mail = id, attempts, error = %error, "mail: not sent");
                    update.last_error = Set(Some(error.chars().take(300).collect()));
                    match after_failure(attempts) {
                        Some(wait) => {
                            let wait = chrono::TimeDelta::from_std(wait)
                                .unwrap_or(chrono::TimeDelta::hours(6));
                            // From the pass's own clock: not again in this pass.
                            update.due_at = Set(now + wait);
                        }
                        None => update.status = Set(MailStatus::Failed),
                    }
                }
            }
            update.update(db).await?;
        }
    }
}

async fn mail_of(row: &outbox::Model, certificate_dir: &Path) -> Result<Mail, String> {
    let attachment = match (&row.certificate_id, &row.attachment_name) {
        (Some(certificate), Some(name)) => {
            let path = certificate_dir.join(format!("{certificate}.pdf"));
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|error| format!("the certificate's PDF cannot be read: {error}"))?;
            Some((name.clone(), bytes))
        }
        _ => None,
    };
    Ok(Mail {
        to: row.recipient.clone(),
        subject: row.subject.clone(),
        body: row.body.clone(),
        attachment,
    })
}

/// Runs for as long as the server: sends due mail when woken and every few seconds.
pub fn start_worker(state: super::AppState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let Some(settings) = state.settings.mail.clone() else {
            return;
        };
        // One sender for the server's life: its relay connections are reused between rounds.
        let sender = match Sender::new(&settings) {
            Ok(sender) => sender,
            Err(error) => {
                tracing::error!("mail: {error}; nothing will be sent");
                return;
            }
        };
        let certificate_dir = state.settings.certificate_dir();
        loop {
            if let Err(error) = deliver_due(&state.db, &sender, &certificate_dir, Utc::now()).await
            {
                tracing::error!(error = %error, "mail: the outbox could not be read");
            }
            let _ = tokio::time::timeout(POLL, WAKE.notified()).await;
        }
    })
}
