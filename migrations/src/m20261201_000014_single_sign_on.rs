//! Single sign-on: the provider accounts that sign people in (keyed by issuer and subject),
//! the sign-ins under way at a provider, and the requests to connect a provider account to an
//! existing Aula account (waiting for its password). Only hashes of the random values that a
//! browser holds are stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sso_identities")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    // The configured provider it was connected through (its button).
                    .col(string_len("provider", 32))
                    .col(string_len("issuer", 255))
                    .col(string_len("subject", 255))
                    // The address the provider gave when it was connected, to tell accounts apart.
                    .col(string_len("email", 254))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("sso_identities", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_sso_identities_issuer_subject")
                    .table("sso_identities")
                    .col("issuer")
                    .col("subject")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sso_identities_user")
                    .table("sso_identities")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sso_logins")
                    .col(string_len("state_hash", 64).primary_key())
                    .col(string_len("provider", 32))
                    .col(string_len("nonce", 64))
                    .col(string_len("pkce_verifier", 128))
                    .col(string_len("next", 500))
                    // Set when a signed-in person connects a provider from the profile.
                    .col(integer_null("connect_user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sso_link_requests")
                    .col(string_len("token_hash", 64).primary_key())
                    .col(integer("user_id"))
                    .col(string_len("provider", 32))
                    .col(string_len("issuer", 255))
                    .col(string_len("subject", 255))
                    .col(string_len("email", 254))
                    .col(string_len("next", 500))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("sso_link_requests", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["sso_link_requests", "sso_logins", "sso_identities"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
