//! Each certificate names the key that signed it, so keys can be rotated: the verification
//! page checks a certificate with the key it names, current or retired. Certificates signed
//! before have none and are checked against every published key.

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
                    .add_column(ColumnDef::new("key_id").string_len(16).null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("certificates")
                    .drop_column("key_id")
                    .to_owned(),
            )
            .await
    }
}
