//! Opening the database: SQLite by default, PostgreSQL when the URL says so.

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use std::time::Duration;

/// Connects and configures the pool. SQLite gets foreign keys, WAL (readers never wait for the
/// writer), a busy timeout (writers queue instead of failing) and `synchronous = FULL`: with WAL
/// this costs an fsync per commit, and in exchange a transaction acknowledged to a user survives
/// a power cut, which `NORMAL` does not promise.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|opts| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            opts.create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
        });
    }
    Database::connect(options).await
}

/// Today's date where the users are.
pub fn today_in_rome() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Rome)
        .date_naive()
}

/// Whether the database answers (used by `/healthz`).
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

/// Loads a row by id, or answers "not found": the first step of most scope checks.
pub async fn find_or_404<E>(
    db: &impl sea_orm::ConnectionTrait,
    id: i32,
) -> Result<E::Model, crate::error::AppError>
where
    E: sea_orm::EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    E::find_by_id(id)
        .one(db)
        .await?
        .ok_or(crate::error::AppError::NotFound)
}

/// A search box's condition: every word (at most five) must appear, in any case, in one of
/// `columns`.
pub fn search_condition(search: &str, columns: &[sea_orm::sea_query::Expr]) -> sea_orm::Condition {
    use sea_orm::sea_query::{ExprTrait, Func};
    let mut all = sea_orm::Condition::all();
    for word in search.split_whitespace().take(5) {
        let pattern = format!("%{}%", word.to_lowercase());
        let mut any = sea_orm::Condition::any();
        for column in columns {
            any = any.add(
                sea_orm::sea_query::Expr::expr(Func::lower(column.clone())).like(pattern.clone()),
            );
        }
        all = all.add(any);
    }
    all
}
