//! Accounts, sessions, login throttling, courses, editions and enrolments.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("email", 254))
                    .col(string_len("given_name", 80))
                    .col(string_len("family_name", 80))
                    .col(string_len("school_name", 200))
                    .col(string_len("school_code", 10))
                    .col(string_len_null("school_region", 80))
                    .col(string_len_null("school_level", 80))
                    .col(string_len("locale", 5).default("it").take())
                    .col(boolean("is_ambassador").default(false).take())
                    .col(boolean("is_staff").default(false).take())
                    .col(
                        string_len("registration_status", 16)
                            .default("pending")
                            .take(),
                    )
                    .col(string_len("activity_status", 16).default("active").take())
                    .col(string_null("password_hash"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_login_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string_len("token_hash", 64).primary_key().take())
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sessions_user")
                            .from("sessions", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_user")
                    .table("sessions")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("login_throttles")
                    .col(string_len("key_hash", 64).primary_key().take())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("last_failure_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("courses")
                    .col(pk_auto("id"))
                    .col(string_len_uniq("code", 20))
                    .col(string_len("title", 200))
                    .col(text("description"))
                    .col(integer("workload_hours"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("editions")
                    .col(pk_auto("id"))
                    .col(integer("course_id"))
                    .col(string_len("title", 200))
                    .col(date("enrolment_opens_on"))
                    .col(date("enrolment_closes_on"))
                    .col(date("starts_on"))
                    .col(date("ends_on"))
                    .col(integer("capacity"))
                    .col(string_len("status", 16).default("draft").take())
                    .col(big_integer("enrolment_version").default(0).take())
                    .col(integer_null("cloned_from_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_editions_course")
                            .from("editions", "course_id")
                            .to("courses", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_editions_cloned_from")
                            .from("editions", "cloned_from_id")
                            .to("editions", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_editions_course")
                    .table("editions")
                    .col("course_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_editions_status")
                    .table("editions")
                    .col("status")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("enrolments")
                    .col(pk_auto("id"))
                    .col(integer("edition_id"))
                    .col(integer("user_id"))
                    .col(string_len("status", 16))
                    .col(timestamp_with_time_zone("requested_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrolments_edition")
                            .from("enrolments", "edition_id")
                            .to("editions", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrolments_user")
                            .from("enrolments", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One enrolment per person and edition: enrolling twice can never create a second row.
        manager
            .create_index(
                Index::create()
                    .name("uq_enrolments_edition_user")
                    .table("enrolments")
                    .col("edition_id")
                    .col("user_id")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolments_edition_status")
                    .table("enrolments")
                    .col("edition_id")
                    .col("status")
                    .col("requested_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrolments_user")
                    .table("enrolments")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "enrolments",
            "editions",
            "courses",
            "login_throttles",
            "sessions",
            "users",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
