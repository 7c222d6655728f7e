//! Validating registrations: the tax code a person may give at sign-up, and staff's decision
//! (when, and why a registration was rejected). Who decided is in the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 3] = ["tax_code", "registration_reason", "registration_decided_at"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in [
            string_len_null("tax_code", 16),
            string_len_null("registration_reason", 500),
            timestamp_with_time_zone_null("registration_decided_at"),
        ] {
            manager
                .alter_table(Table::alter().table("users").add_column(column).to_owned())
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_users_tax_code")
                    .table("users")
                    .col("tax_code")
                    .to_owned(),
            )
            .await?;
        // The queue lists pending registrations oldest first.
        manager
            .create_index(
                Index::create()
                    .name("idx_users_registration")
                    .table("users")
                    .col("registration_status")
                    .col("created_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for index in ["idx_users_registration", "idx_users_tax_code"] {
            manager
                .drop_index(Index::drop().name(index).table("users").to_owned())
                .await?;
        }
        for column in COLUMNS {
            manager
                .alter_table(Table::alter().table("users").drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
