//! The certificate register outlives people and editions: deleting a user or an edition no
//! longer deletes their certificates with them (they were `ON DELETE CASCADE`). The links
//! become optional and are cleared instead; every printed field is already frozen on the row,
//! so the verification page still confirms what was certified.
//!
//! PostgreSQL changes the constraints in place. SQLite cannot alter a foreign key, so the table
//! is rebuilt (no other table refers to `certificates`, so dropping the old one touches nothing
//! else).

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every column, in order, as the table holds them before and after.
const COLUMNS: &str = "id, code, edition_id, user_id, valid_for, name, course_title, \
    edition_title, starts_on, ends_on, hours, issued_on, issuer, signatory_name, signatory_role, \
    languages, signature, issued_by, issued_at, revoked_at, revoked_reason, revoked_by, \
    replaces_id, replaced_by_id, revocation_category";

fn kept(
    name: &str,
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::SetNull)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                for (column, fk, table) in [
                    ("edition_id", "fk_certificates_edition", "editions"),
                    ("user_id", "fk_certificates_user", "users"),
                ] {
                    for statement in [
                        format!("ALTER TABLE certificates ALTER COLUMN {column} DROP NOT NULL"),
                        format!("ALTER TABLE certificates DROP CONSTRAINT {fk}"),
                        format!(
                            "ALTER TABLE certificates ADD CONSTRAINT {fk} FOREIGN KEY ({column}) \
                             REFERENCES {table} (id) ON DELETE SET NULL"
                        ),
                    ] {
                        db.execute_unprepared(&statement).await?;
                    }
                }
                Ok(())
            }
            _ => {
                let create = Table::create()
                    .table("certificates_new")
                    .col(string_len("id", 32).primary_key())
                    .col(string_len("code", 14).unique_key())
                    .col(integer_null("edition_id"))
                    .col(integer_null("user_id"))
                    .col(string_len_null("valid_for", 24).unique_key())
                    .col(string_len("name", 200))
                    .col(string_len("course_title", 200))
                    .col(string_len("edition_title", 200))
                    .col(date("starts_on"))
                    .col(date("ends_on"))
                    .col(integer("hours"))
                    .col(date("issued_on"))
                    .col(string_len("issuer", 200))
                    .col(string_len("signatory_name", 120))
                    .col(string_len("signatory_role", 120))
                    .col(string_len("languages", 10))
                    .col(string_len("signature", 100))
                    .col(integer_null("issued_by"))
                    .col(timestamp_with_time_zone("issued_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(text_null("revoked_reason"))
                    .col(integer_null("revoked_by"))
                    .col(string_len_null("replaces_id", 32))
                    .col(string_len_null("replaced_by_id", 32))
                    .col(text_null("revocation_category"))
                    .foreign_key(&mut kept(
                        "fk_certificates_edition",
                        ("certificates_new", "edition_id"),
                        ("editions", "id"),
                    ))
                    .foreign_key(&mut kept(
                        "fk_certificates_user",
                        ("certificates_new", "user_id"),
                        ("users", "id"),
                    ))
                    .to_string(SqliteQueryBuilder);
                // One script on one connection, in one transaction: statements spread over the
                // pool's connections could meet a snapshot taken before the old table went, and
                // a failure half-way must leave the old table as it was.
                db.execute_unprepared(&format!(
                    "BEGIN IMMEDIATE; \
                     {create}; \
                     INSERT INTO certificates_new ({COLUMNS}) SELECT {COLUMNS} FROM certificates; \
                     DROP TABLE certificates; \
                     ALTER TABLE certificates_new RENAME TO certificates; \
                     CREATE INDEX idx_certificates_edition ON certificates (edition_id, user_id); \
                     COMMIT;"
                ))
                .await?;
                Ok(())
            }
        }
    }

    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        // Going back would mean deleting certificates whose person or edition is gone: the
        // looser constraints stay.
        Ok(())
    }
}
