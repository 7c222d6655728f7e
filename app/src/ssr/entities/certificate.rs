use sea_orm::entity::prelude::*;

/// A certificate as issued: every printed field is frozen here.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificates")]
pub struct Model {
    /// 128 random bits as 32 hex digits: the public verification URL.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// `AULA-XXXX-XXXX`, for reading over the phone.
    #[sea_orm(unique)]
    pub code: String,
    /// None once the edition was deleted: the register outlives it.
    pub edition_id: Option<i32>,
    /// None once the person was deleted: the register outlives them.
    pub user_id: Option<i32>,
    /// `edition:user` while valid, none once revoked (unique: one valid certificate each).
    pub valid_for: Option<String>,
    pub name: String,
    pub course_title: String,
    pub edition_title: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub hours: i32,
    pub issued_on: Date,
    pub issuer: String,
    pub signatory_name: String,
    pub signatory_role: String,
    pub languages: String,
    /// Ed25519 over the canonical payload, base64url.
    pub signature: String,
    /// Which key made the signature (none: signed before keys had ids).
    pub key_id: Option<String>,
    pub issued_by: Option<i32>,
    pub issued_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub revoked_reason: Option<String>,
    pub revoked_by: Option<i32>,
    pub revocation_category: Option<crate::domain::certificates::RevocationCategory>,
    pub replaces_id: Option<String>,
    pub replaced_by_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
