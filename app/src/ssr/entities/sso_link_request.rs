use sea_orm::entity::prelude::*;

/// A provider account waiting to be connected to the Aula account with its address, once the
/// person proves that account's password. Keyed by the hash of a token held in a cookie.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sso_link_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub token_hash: String,
    pub user_id: i32,
    pub provider: String,
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub next: String,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
