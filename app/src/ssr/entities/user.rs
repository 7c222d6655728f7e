use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Lower-cased, unique.
    #[sea_orm(unique)]
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub school_name: String,
    pub school_code: String,
    pub school_region: Option<String>,
    pub school_level: Option<String>,
    /// `it` or `en`.
    pub locale: String,
    pub is_ambassador: bool,
    pub is_staff: bool,
    pub registration_status: crate::domain::account::RegistrationStatus,
    /// Why staff rejected the registration (shown to the person).
    pub registration_reason: Option<String>,
    pub registration_decided_at: Option<DateTimeUtc>,
    /// *Codice fiscale*, upper-cased, when the person gave it.
    pub tax_code: Option<String>,
    /// How the registration matched the registry when last compared (none: not yet compared).
    pub registry_match: Option<crate::domain::registration::RegistryMatch>,
    /// The registry entry it matched (the evidence).
    pub registry_entry_id: Option<i32>,
    /// When the person was told their data will be anonymised (cleared by signing in).
    pub lifecycle_warned_at: Option<DateTimeUtc>,
    pub account_state: crate::domain::account::AccountState,
    /// Argon2id PHC string; absent for accounts that only use single sign-on.
    pub password_hash: Option<String>,
    pub created_at: DateTimeUtc,
    pub last_login_at: Option<DateTimeUtc>,
    /// When the owner proved the address is theirs; until then they cannot enrol.
    pub email_verified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::enrolment::Entity")]
    Enrolment,
}

impl Related<super::enrolment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Enrolment.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
