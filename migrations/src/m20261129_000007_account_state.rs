//! `users.activity_status` becomes `users.account_state`: the word *activity* belongs to the
//! activities of an edition, and this column says where an account stands (active, inactive,
//! anonymised).

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
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("users")
                    .rename_column("account_state", "activity_status")
                    .to_owned(),
            )
            .await
    }
}
