//! The outbox: every mail Aula sends is first a row here, written in the same transaction as
//! the change that causes it, and sent later by a worker (with retries) that claims it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(pk_auto("id"))
                    .col(string_len("kind", 40))
                    .col(string("recipient"))
                    .col(string("subject"))
                    .col(text("body"))
                    // Attached: the stored PDF of this certificate, under this file name.
                    .col(string_null("certificate_id"))
                    .col(string_null("attachment_name"))
                    .col(string_len("status", 10))
                    .col(integer("attempts").default(0))
                    .col(timestamp_with_time_zone("due_at"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(string_null("last_error"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_status_due")
                    .table("outbox")
                    .col("status")
                    .col("due_at")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("outbox").to_owned())
            .await
    }
}
