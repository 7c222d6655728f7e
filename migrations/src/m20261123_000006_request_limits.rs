//! Request counts per client and per window (e.g. look-ups on the public verification page),
//! in the database so that every instance counts against the same limit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("request_limits")
                    // A keyed hash of (what is limited, client address, window): no addresses stored.
                    .col(string_len("key_hash", 64).primary_key().take())
                    .col(timestamp_with_time_zone("window_start"))
                    .col(integer("requests"))
                    .to_owned(),
            )
            .await?;
        // Old windows are deleted by age.
        manager
            .create_index(
                Index::create()
                    .name("idx_request_limits_window_start")
                    .table("request_limits")
                    .col("window_start")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("request_limits").to_owned())
            .await
    }
}
