//! The completion rule of an edition: its requirements, as JSON (`domain::completion::Rule`).
//! Requirements name activities by id; cloning an edition re-points them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut rule = text_null("completion_rule");
        manager
            .alter_table(
                Table::alter()
                    .table("editions")
                    .add_column(&mut rule)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("editions")
                    .drop_column("completion_rule")
                    .to_owned(),
            )
            .await
    }
}
