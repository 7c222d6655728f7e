//! Staff can hide an activity instead of deleting it once participants have worked on it:
//! hidden activities disappear from participants' pages and from completion, and their work
//! stays.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("activities")
                    .add_column(ColumnDef::new("hidden").boolean().not_null().default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("activities")
                    .drop_column("hidden")
                    .to_owned(),
            )
            .await
    }
}
