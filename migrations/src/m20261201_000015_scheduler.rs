//! The scheduler's jobs: one row per job, holding who runs it now (a lease that runs out, so a
//! run that died is taken over), when it is next due, and how its last run went.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("scheduled_jobs")
                    .col(string_len("name", 40).primary_key())
                    .col(timestamp_with_time_zone("next_run_at"))
                    // The instance running it, until when (none: nobody).
                    .col(string_len_null("lease_owner", 64))
                    .col(timestamp_with_time_zone_null("lease_until"))
                    .col(timestamp_with_time_zone_null("last_started_at"))
                    .col(timestamp_with_time_zone_null("last_finished_at"))
                    .col(big_integer_null("last_duration_ms"))
                    .col(boolean_null("last_succeeded"))
                    // What the last run did, or why it failed (no personal data).
                    .col(string_len_null("last_result", 500))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("scheduled_jobs").to_owned())
            .await
    }
}
