//! Accounts made real: verified addresses, the single-use links sent by mail (address
//! verification, password reset, change of address; only a hash of each link's token is
//! stored), and requests to correct a name already printed on certificates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .add_column(timestamp_with_time_zone_null("email_verified_at"))
                    .to_owned(),
            )
            .await?;
        // Accounts made before verification existed were made by staff or demo data: they
        // keep working as they did.
        manager
            .get_connection()
            .execute_unprepared("UPDATE users SET email_verified_at = created_at")
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("account_tokens")
                    .col(string_len("token_hash", 64).primary_key())
                    .col(integer("user_id"))
                    .col(string_len("purpose", 20))
                    // For a change of address: the address to be verified.
                    .col(string_null("new_email"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .from("account_tokens", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_account_tokens_user_purpose")
                    .table("account_tokens")
                    .col("user_id")
                    .col("purpose")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("name_corrections")
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string_len("given_name", 80))
                    .col(string_len("family_name", 80))
                    // What the person says about it (optional).
                    .col(string_len("note", 500))
                    .col(string_len("status", 10))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(integer_null("decided_by"))
                    .col(timestamp_with_time_zone_null("decided_at"))
                    .col(string_len_null("decision_note", 500))
                    .foreign_key(
                        ForeignKey::create()
                            .from("name_corrections", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_name_corrections_status")
                    .table("name_corrections")
                    .col("status")
                    .col("requested_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("name_corrections").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("account_tokens").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .drop_column("email_verified_at")
                    .to_owned(),
            )
            .await
    }
}
