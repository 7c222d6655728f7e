//! Work handed in (task sheets and design exercises, every version with its review) and
//! quizzes (settings on the activity, questions, attempts), and watching a missed webinar's
//! recording.

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

/// Quiz settings live on the activity: only quizzes fill them.
const QUIZ_COLUMNS: [&str; 5] = [
    "pass_percent",
    "max_attempts",
    "time_limit_minutes",
    "shuffle",
    "review_policy",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            integer_null("pass_percent"),
            integer_null("max_attempts"),
            integer_null("time_limit_minutes"),
            boolean("shuffle").default(false).take(),
            string_len_null("review_policy", 20),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table("activities")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }

        // One row per version a participant hands in; the newest may be a draft. A review
        // belongs to the version it judged, so history stays as it was.
        manager
            .create_table(
                Table::create()
                    .table("submissions")
                    .col(pk_auto("id"))
                    .col(integer("activity_id"))
                    .col(integer("user_id"))
                    .col(integer("version"))
                    .col(string_len("status", 20))
                    .col(text("body"))
                    .col(text_null("design"))
                    .col(string_len_null("file_name", 255))
                    .col(string_len_null("file_key", 64))
                    .col(string_len_null("file_type", 10))
                    .col(integer_null("file_size"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("submitted_at"))
                    .col(integer_null("reviewed_by"))
                    .col(timestamp_with_time_zone_null("reviewed_at"))
                    .col(text_null("feedback"))
                    .foreign_key(&mut fk(
                        "fk_submissions_activity",
                        ("submissions", "activity_id"),
                        ("activities", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_submissions_user",
                        ("submissions", "user_id"),
                        ("users", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_submissions_version")
                    .table("submissions")
                    .col("activity_id")
                    .col("user_id")
                    .col("version")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_submissions_status")
                    .table("submissions")
                    .col("status")
                    .col("submitted_at")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("quiz_questions")
                    .col(pk_auto("id"))
                    .col(integer("activity_id"))
                    .col(integer("position"))
                    .col(text("prompt"))
                    .col(integer("points"))
                    .col(text("kind"))
                    .foreign_key(&mut fk(
                        "fk_quiz_questions_activity",
                        ("quiz_questions", "activity_id"),
                        ("activities", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_quiz_questions_activity")
                    .table("quiz_questions")
                    .col("activity_id")
                    .col("position")
                    .to_owned(),
            )
            .await?;

        // `version` guards the submission: it is recorded only by the request that still
        // sees the version it read.
        manager
            .create_table(
                Table::create()
                    .table("quiz_attempts")
                    .col(pk_auto("id"))
                    .col(integer("activity_id"))
                    .col(integer("user_id"))
                    .col(integer("number"))
                    .col(big_integer("seed"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("started_at"))
                    .col(timestamp_with_time_zone_null("submitted_at"))
                    .col(text_null("answers"))
                    .col(integer_null("points"))
                    .col(integer_null("max_points"))
                    .col(integer_null("percent"))
                    .col(boolean_null("passed"))
                    .foreign_key(&mut fk(
                        "fk_quiz_attempts_activity",
                        ("quiz_attempts", "activity_id"),
                        ("activities", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_quiz_attempts_user",
                        ("quiz_attempts", "user_id"),
                        ("users", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_quiz_attempts_number")
                    .table("quiz_attempts")
                    .col("activity_id")
                    .col("user_id")
                    .col("number")
                    .unique()
                    .to_owned(),
            )
            .await?;

        // Catching up on a missed webinar (where the edition allows it): the participant says
        // they watched the recording, and passing the quiz attached to the webinar confirms it.
        let mut confirms = integer_null("confirms_webinar_id");
        manager
            .alter_table(
                Table::alter()
                    .table("activities")
                    .add_column(&mut confirms)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("recording_views")
                    .col(integer("activity_id"))
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("marked_at"))
                    .primary_key(Index::create().col("activity_id").col("user_id"))
                    .foreign_key(&mut fk(
                        "fk_recording_views_activity",
                        ("recording_views", "activity_id"),
                        ("activities", "id"),
                    ))
                    .foreign_key(&mut fk(
                        "fk_recording_views_user",
                        ("recording_views", "user_id"),
                        ("users", "id"),
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "recording_views",
            "quiz_attempts",
            "quiz_questions",
            "submissions",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in QUIZ_COLUMNS.into_iter().chain(["confirms_webinar_id"]) {
            manager
                .alter_table(
                    Table::alter()
                        .table("activities")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
