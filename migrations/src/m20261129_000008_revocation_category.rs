//! Why a certificate was revoked, in one of a few categories: the public verification page shows
//! the category and the date, never staff's own words (which may name people or reasons that
//! are nobody else's business). Revocations made before have none, and show as "other".

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("certificates")
                    .add_column(ColumnDef::new("revocation_category").text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("certificates")
                    .drop_column("revocation_category")
                    .to_owned(),
            )
            .await
    }
}
