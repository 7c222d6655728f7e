//! Tutoring groups with their spaces, the activities of an edition, and webinar attendance.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    name: &str,
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(on_delete)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, Restrict};

        // Per edition: the minutes a webinar must be attended to count, and whether watching
        // the recording (and passing its quiz) may stand in for attending.
        manager
            .alter_table(
                Table::alter()
                    .table("editions")
                    .add_column(integer("attendance_min_minutes").default(45).take())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("editions")
                    .add_column(boolean("allow_recording").default(false).take())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("groups")
                    .col(pk_auto("id"))
                    .col(integer("edition_id"))
                    .col(string_len("name", 100))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "fk_groups_edition",
                        ("groups", "edition_id"),
                        ("editions", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_groups_edition")
                    .table("groups")
                    .col("edition_id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("group_ambassadors")
                    .col(integer("group_id"))
                    .col(integer("user_id"))
                    .primary_key(Index::create().col("group_id").col("user_id"))
                    .foreign_key(&mut fk(
                        "fk_group_ambassadors_group",
                        ("group_ambassadors", "group_id"),
                        ("groups", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_group_ambassadors_user",
                        ("group_ambassadors", "user_id"),
                        ("users", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_group_ambassadors_user")
                    .table("group_ambassadors")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;

        // One group per participant and edition; moving someone changes only this row, their
        // work stays attached to them.
        manager
            .create_table(
                Table::create()
                    .table("group_members")
                    .col(integer("edition_id"))
                    .col(integer("user_id"))
                    .col(integer("group_id"))
                    .primary_key(Index::create().col("edition_id").col("user_id"))
                    .foreign_key(&mut fk(
                        "fk_group_members_edition",
                        ("group_members", "edition_id"),
                        ("editions", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_group_members_user",
                        ("group_members", "user_id"),
                        ("users", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_group_members_group",
                        ("group_members", "group_id"),
                        ("groups", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_group_members_group")
                    .table("group_members")
                    .col("group_id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("announcements")
                    .col(pk_auto("id"))
                    .col(integer("group_id"))
                    .col(integer("author_id"))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "fk_announcements_group",
                        ("announcements", "group_id"),
                        ("groups", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_announcements_author",
                        ("announcements", "author_id"),
                        ("users", "id"),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_announcements_group")
                    .table("announcements")
                    .col("group_id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("threads")
                    .col(pk_auto("id"))
                    .col(integer("group_id"))
                    .col(integer("author_id"))
                    .col(string_len("title", 200))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_activity_at"))
                    .foreign_key(&mut fk(
                        "fk_threads_group",
                        ("threads", "group_id"),
                        ("groups", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_threads_author",
                        ("threads", "author_id"),
                        ("users", "id"),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_threads_group")
                    .table("threads")
                    .col("group_id")
                    .col("last_activity_at")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("replies")
                    .col(pk_auto("id"))
                    .col(integer("thread_id"))
                    .col(integer("author_id"))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "fk_replies_thread",
                        ("replies", "thread_id"),
                        ("threads", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_replies_author",
                        ("replies", "author_id"),
                        ("users", "id"),
                        Restrict,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_replies_thread")
                    .table("replies")
                    .col("thread_id")
                    .to_owned(),
            )
            .await?;

        // Activities of every kind in one table: the columns of other kinds stay empty.
        manager
            .create_table(
                Table::create()
                    .table("activities")
                    .col(pk_auto("id"))
                    .col(integer("edition_id"))
                    .col(integer("position"))
                    .col(string_len("kind", 20))
                    .col(string_len("title", 200))
                    .col(text("description"))
                    .col(timestamp_with_time_zone_null("opens_at"))
                    .col(timestamp_with_time_zone_null("due_at"))
                    .col(integer("estimated_minutes"))
                    .col(boolean("counts"))
                    .col(string_len_null("url", 2000))
                    .col(text_null("body"))
                    .col(timestamp_with_time_zone_null("starts_at"))
                    .col(integer_null("duration_minutes"))
                    .col(string_len_null("recording_url", 2000))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "fk_activities_edition",
                        ("activities", "edition_id"),
                        ("editions", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_activities_edition")
                    .table("activities")
                    .col("edition_id")
                    .col("position")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("webinar_speakers")
                    .col(integer("activity_id"))
                    .col(integer("user_id"))
                    .primary_key(Index::create().col("activity_id").col("user_id"))
                    .foreign_key(&mut fk(
                        "fk_webinar_speakers_activity",
                        ("webinar_speakers", "activity_id"),
                        ("activities", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_webinar_speakers_user",
                        ("webinar_speakers", "user_id"),
                        ("users", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("material_views")
                    .col(integer("activity_id"))
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("viewed_at"))
                    .primary_key(Index::create().col("activity_id").col("user_id"))
                    .foreign_key(&mut fk(
                        "fk_material_views_activity",
                        ("material_views", "activity_id"),
                        ("activities", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_material_views_user",
                        ("material_views", "user_id"),
                        ("users", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("attendance")
                    .col(integer("activity_id"))
                    .col(integer("user_id"))
                    .col(integer("minutes"))
                    .col(string_len("source", 16))
                    .col(integer_null("recorded_by"))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .primary_key(Index::create().col("activity_id").col("user_id"))
                    .foreign_key(&mut fk(
                        "fk_attendance_activity",
                        ("attendance", "activity_id"),
                        ("activities", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attendance_user",
                        ("attendance", "user_id"),
                        ("users", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attendance_user")
                    .table("attendance")
                    .col("user_id")
                    .to_owned(),
            )
            .await?;

        // An uploaded attendance report between its preview and its application.
        manager
            .create_table(
                Table::create()
                    .table("attendance_imports")
                    .col(pk_auto("id"))
                    .col(integer("activity_id"))
                    .col(integer("uploaded_by"))
                    .col(string_len("file_name", 255))
                    .col(text("rows"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("applied_at"))
                    .foreign_key(&mut fk(
                        "fk_attendance_imports_activity",
                        ("attendance_imports", "activity_id"),
                        ("activities", "id"),
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        "fk_attendance_imports_user",
                        ("attendance_imports", "uploaded_by"),
                        ("users", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        // The private calendar address of a participant: only a hash is kept; revoking
        // replaces it.
        manager
            .create_table(
                Table::create()
                    .table("calendar_feeds")
                    .col(integer("user_id").primary_key().take())
                    .col(string_len_uniq("token_hash", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk(
                        "fk_calendar_feeds_user",
                        ("calendar_feeds", "user_id"),
                        ("users", "id"),
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "calendar_feeds",
            "attendance_imports",
            "attendance",
            "material_views",
            "webinar_speakers",
            "activities",
            "replies",
            "threads",
            "announcements",
            "group_members",
            "group_ambassadors",
            "groups",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in ["allow_recording", "attendance_min_minutes"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("editions")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
