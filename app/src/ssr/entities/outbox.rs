use crate::domain::outbox::MailStatus;
use sea_orm::entity::prelude::*;

/// One mail: written with the change that causes it, sent by the outbox worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What the mail is about (`certificate_issued`, …), for staff.
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    /// Plain text; the HTML part is made from it when the mail is sent.
    pub body: String,
    /// The certificate whose stored PDF goes with the mail, under `attachment_name`.
    pub certificate_id: Option<String>,
    pub attachment_name: Option<String>,
    pub status: MailStatus,
    pub attempts: i32,
    /// Not to be tried before.
    pub due_at: DateTimeUtc,
    /// An instance is sending it until then; after that (it stopped half-way) anyone may.
    pub claimed_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
