//! The ministry's registry of school staff, as staff upload it: each upload (`registry_imports`,
//! first a preview, then applied or discarded) and the people read from it (`registry_entries`;
//! those of the applied upload are the registry). A person's registration remembers how it
//! matched the registry and against which entry (the evidence staff see).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("registry_imports")
                    .col(pk_auto("id"))
                    .col(string_len("file_name", 200))
                    .col(integer_null("uploaded_by"))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    // reading → preview → applied | discarded (an applied one later: replaced).
                    .col(string_len("status", 16))
                    .col(string_len("encoding", 16))
                    .col(string_len("separator", 4))
                    // People read from the file, and how many of them are stored yet.
                    .col(integer("people"))
                    .col(integer("stored"))
                    .col(integer("bad_line_count"))
                    // The first bad lines (line and problem), as JSON.
                    .col(text("bad_lines"))
                    .col(integer("duplicates"))
                    .col(integer_null("exact_matches"))
                    .col(integer_null("partial_matches"))
                    .col(timestamp_with_time_zone_null("applied_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("registry_entries")
                    .col(pk_auto("id"))
                    .col(integer("import_id"))
                    .col(integer("line"))
                    .col(string_len_null("email", 254))
                    .col(string_len_null("tax_code", 16))
                    .col(string_len("given_name", 120))
                    .col(string_len("family_name", 120))
                    .col(string_len("school_code", 10))
                    // Given and family name folded (no case, accents, punctuation): a partial
                    // match compares these.
                    .col(string_len("name_key", 250))
                    .foreign_key(
                        ForeignKey::create()
                            .from("registry_entries", "import_id")
                            .to("registry_imports", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("idx_registry_entries_import", vec!["import_id"]),
            ("idx_registry_entries_email", vec!["email"]),
            ("idx_registry_entries_tax_code", vec!["tax_code"]),
            (
                "idx_registry_entries_school_name",
                vec!["school_code", "name_key"],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table("registry_entries");
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        for column in [
            string_len_null("registry_match", 16),
            integer_null("registry_entry_id"),
        ] {
            manager
                .alter_table(Table::alter().table("users").add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["registry_entry_id", "registry_match"] {
            manager
                .alter_table(Table::alter().table("users").drop_column(column).to_owned())
                .await?;
        }
        manager
            .drop_table(Table::drop().table("registry_entries").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("registry_imports").to_owned())
            .await
    }
}
