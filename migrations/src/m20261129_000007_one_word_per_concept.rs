//! One word per concept in stored values too. `users.activity_status` becomes
//! `users.account_state`: the word *activity* belongs to the activities of an edition, and this
//! column says where an account stands (active, inactive, anonymised). What a participant hands
//! in is a *submission* everywhere: the audit log's `work_reviewed` becomes
//! `submission_reviewed`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .rename_column("activity_status", "account_state")
                    .to_owned(),
            )
            .await?;
        rename_action(manager, "work_reviewed", "submission_reviewed").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .rename_column("account_state", "activity_status")
                    .to_owned(),
            )
            .await?;
        rename_action(manager, "submission_reviewed", "work_reviewed").await
    }
}

async fn rename_action(manager: &SchemaManager<'_>, from: &str, to: &str) -> Result<(), DbErr> {
    manager
        .exec_stmt(
            Query::update()
                .table("audit_events")
                .value("action", to)
                .and_where(Expr::col("action").eq(from))
                .to_owned(),
        )
        .await
}
