//! Certificates (frozen records of what they certify), staff overrides of the completion rule,
//! the audit log, and the certificate template on the course.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The course's certificate template: who signs, and in which languages it is written.
        for column in [
            string_len("signatory_name", 120).default("").take(),
            string_len("signatory_role", 120).default("").take(),
            string_len("certificate_languages", 10)
                .default("it_en")
                .take(),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("courses")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }

        // A certificate never changes what it certifies: every printed field is copied here.
        // `valid_for` holds "edition:user" while the certificate is valid and NULL once it is
        // revoked; its unique index is what makes two valid certificates for one participant of
        // one edition impossible, whichever instance or request tries (NULLs never collide, on
        // SQLite and PostgreSQL alike).
        manager
            .create_table(
                Table::create()
                    .table("certificates")
                    .col(string_len("id", 32).primary_key())
                    .col(string_len("code", 14).unique_key())
                    .col(integer("edition_id"))
                    .col(integer("user_id"))
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
                    .foreign_key(&mut fk(
                        "fk_certificates_edition",
                        ("certificates", "edition_id"),
                        ("editions", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_certificates_user",
                        ("certificates", "user_id"),
                        ("users", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_certificates_edition")
                    .table("certificates")
                    .col("edition_id")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;

        // Staff decide for one participant, with a reason, whatever the rule says.
        manager
            .create_table(
                Table::create()
                    .table("completion_overrides")
                    .col(pk_auto("id"))
                    .col(integer("edition_id"))
                    .col(integer("user_id"))
                    .col(boolean("met"))
                    .col(text("reason"))
                    .col(integer_null("set_by"))
                    .col(timestamp_with_time_zone("set_at"))
                    .foreign_key(&mut fk(
                        "fk_overrides_edition",
                        ("completion_overrides", "edition_id"),
                        ("editions", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_overrides_user",
                        ("completion_overrides", "user_id"),
                        ("users", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_overrides_participant")
                    .table("completion_overrides")
                    .col("edition_id")
                    .col("user_id")
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Who did what to whose record, when and why. No foreign keys: the log outlives what
        // it mentions, and names are resolved when it is read.
        manager
            .create_table(
                Table::create()
                    .table("audit_events")
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("actor_id"))
                    .col(string_len("action", 40))
                    .col(integer_null("edition_id"))
                    .col(integer_null("subject_id"))
                    .col(text("detail"))
                    .col(text_null("reason"))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_audit_at", "at"),
            ("idx_audit_edition", "edition_id"),
            ("idx_audit_subject", "subject_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("audit_events")
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["audit_events", "completion_overrides", "certificates"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in ["signatory_name", "signatory_role", "certificate_languages"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("courses")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
