//! Opening the database: SQLite by default, PostgreSQL when the URL says so.

pub use super::page_reads::Db;
use sea_orm::{
    ConnectOptions, Database, DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// Connects and configures the pool. SQLite gets foreign keys, WAL (readers never wait for the
/// writer), a busy timeout (writers queue instead of failing) and `synchronous = FULL`: with WAL
/// this costs an fsync per commit, and in exchange a transaction acknowledged to a user survives
/// a power cut, which `NORMAL` does not promise.
pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // AULA_LOG_SQL=1 logs each statement (never its values), to see what a page asks.
        .sqlx_logging(std::env::var_os("AULA_LOG_SQL").is_some());
    if url.starts_with("sqlite:") {
        // A file opened in this process does not go away as a server's connection can: pinging
        // it before each statement (the pool's default) doubled every statement's round trip
        // to the connection's thread.
        options.test_before_acquire(false);
        options.map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_connect(|connection, _| Box::pin(stable_query_plans(connection)))
        });
        options.map_sqlx_sqlite_opts(|opts| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            opts.create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10))
        });
    } else {
        // A PostgreSQL connection that sat idle may have been dropped by the server or a proxy:
        // only those are pinged before use, not every connection for every statement.
        options.test_before_acquire_if_idle_for(Duration::from_secs(30));
    }
    Ok(Db::new(Database::connect(options).await?, max_connections))
}

/// Keeps the plan SQLite made when it prepared a statement (its "query planner stability
/// guarantee").
///
/// Without it SQLite plans a statement again whenever a new value is bound to a parameter that
/// could change the plan, and `LIMIT ?` is one: every `.one()` carries it, so the prepared
/// statement cache saved nothing for them and each run parsed its SQL again (about a fifth of
/// the server's time under load, `sqlite3Reprepare`, in the `pages` bench profile). The plans
/// it could have chosen per value matter only with `ANALYZE` statistics, which Aula does not
/// gather.
#[allow(unsafe_code)]
async fn stable_query_plans(
    connection: &mut sea_orm::sqlx::SqliteConnection,
) -> Result<(), sea_orm::sqlx::Error> {
    use std::ffi::c_int;
    let mut handle = connection.lock_handle().await?;
    let raw = handle.as_raw_handle();
    // SAFETY: `raw` is this connection's open handle, locked for the call; the option takes an
    // int (on) and an optional int pointer for the new state (none).
    let code = unsafe {
        libsqlite3_sys::sqlite3_db_config(
            raw.as_ptr(),
            libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        )
    };
    if code == libsqlite3_sys::SQLITE_OK {
        Ok(())
    } else {
        Err(sea_orm::sqlx::Error::Configuration(
            format!("SQLite refused its query planner option (code {code})").into(),
        ))
    }
}

/// Starts a transaction that is going to write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`, waiting for its turn within the busy timeout): a default transaction
/// that reads first and writes later fails straight away with "database is locked" when
/// another request wrote in between, which is what many participants handing in at the same
/// moment did. PostgreSQL ignores the option.
pub async fn begin<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}

/// A statement about one object (a person, say) whose SQL is written once per kind of
/// database and kept. sea_query writes a statement's text anew each time it is built: for a
/// person's places, with their joins and subqueries, that was most of what reading them cost
/// (callgrind: about 120,000 of 160,000 instructions), though only the person changes. The
/// statement is built once with a stand-in id, and each use puts the real id where the
/// stand-in was bound.
pub struct KeptStatement {
    /// SQLite, PostgreSQL (`None`: the stand-in was not found among the statement's values, so
    /// it is built on every use).
    kept: [std::sync::OnceLock<Option<Kept>>; 2],
}

/// A statement, and the places among its values where its id is bound.
type Kept = (sea_orm::Statement, Vec<usize>);

impl KeptStatement {
    /// An id no object has, recognisable among a statement's values.
    const STAND_IN: i32 = i32::MIN;

    pub const fn new() -> Self {
        Self {
            kept: [std::sync::OnceLock::new(), std::sync::OnceLock::new()],
        }
    }

    /// The statement `build` makes for `id` on `backend`.
    pub fn with_id(
        &self,
        backend: sea_orm::DbBackend,
        id: i32,
        build: impl Fn(i32) -> sea_orm::Statement,
    ) -> sea_orm::Statement {
        let slot = match backend {
            sea_orm::DbBackend::Sqlite => &self.kept[0],
            sea_orm::DbBackend::Postgres => &self.kept[1],
            _ => return build(id),
        };
        let kept = slot.get_or_init(|| {
            let statement = build(Self::STAND_IN);
            let places: Vec<usize> = statement
                .values
                .iter()
                .flat_map(|values| values.0.iter().enumerate())
                .filter(|(_, value)| **value == sea_orm::Value::Int(Some(Self::STAND_IN)))
                .map(|(place, _)| place)
                .collect();
            (!places.is_empty()).then_some((statement, places))
        });
        let Some((statement, places)) = kept else {
            return build(id);
        };
        let mut statement = statement.clone();
        if let Some(values) = statement.values.as_mut() {
            for &place in places {
                if let Some(value) = values.0.get_mut(place) {
                    *value = sea_orm::Value::Int(Some(id));
                }
            }
        }
        statement
    }
}

impl Default for KeptStatement {
    fn default() -> Self {
        Self::new()
    }
}

/// Today's date where the users are.
pub fn today_in_rome() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Rome)
        .date_naive()
}

/// Whether the database answers (used by `/healthz`).
pub async fn ping(db: &Db) -> bool {
    db.pool().ping().await.is_ok()
}

/// Loads a row by id, or answers "not found": the first step of most scope checks. Once per
/// page render (see [`super::memo`]).
pub async fn find_or_404<E>(
    db: &impl sea_orm::ConnectionTrait,
    id: i32,
) -> Result<E::Model, crate::error::AppError>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    super::memo::once(std::any::type_name::<E>(), i64::from(id), || async {
        E::find_by_id(id)
            .one(db)
            .await?
            .ok_or(crate::error::AppError::NotFound)
    })
    .await
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

/// A stored instant as the users' wall-clock time (Europe/Rome).
pub fn to_local(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    at.with_timezone(&chrono_tz::Europe::Rome).naive_local()
}

/// A wall-clock time typed by a user (Europe/Rome) as an instant. In the autumn hour that
/// happens twice the first is taken; a time skipped in spring moves an hour later.
pub fn from_local(local: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let rome = chrono_tz::Europe::Rome;
    rome.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            rome.from_local_datetime(&(local + chrono::TimeDelta::hours(1)))
                .earliest()
        })
        .map(|at| at.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| local.and_utc())
}

/// Display names ("Given Family") of users, in one query.
pub async fn names(
    db: &impl sea_orm::ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<std::collections::HashMap<i32, String>, crate::error::AppError> {
    use super::entities::user;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut ids: Vec<i32> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(user::Entity::find()
        .filter(user::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, format!("{} {}", u.given_name, u.family_name)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// A statement binding `id` twice among other values, as built afresh.
    fn about(id: i32, backend: sea_orm::DbBackend) -> sea_orm::Statement {
        use super::super::entities::enrolment;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};
        enrolment::Entity::find()
            .filter(enrolment::Column::UserId.eq(id))
            .filter(enrolment::Column::EditionId.ne(7))
            .filter(enrolment::Column::Id.ne(id))
            .build(backend)
    }

    #[test]
    fn a_kept_statement_is_the_one_built_for_each_id() {
        let kept = KeptStatement::new();
        for backend in [sea_orm::DbBackend::Sqlite, sea_orm::DbBackend::Postgres] {
            for id in [42, 3, 42] {
                let statement = kept.with_id(backend, id, |id| about(id, backend));
                let fresh = about(id, backend);
                assert_eq!(statement.sql, fresh.sql);
                assert_eq!(statement.values, fresh.values);
            }
        }
    }

    #[test]
    fn a_statement_without_the_stand_in_is_built_each_time() {
        let kept = KeptStatement::new();
        let built = std::sync::atomic::AtomicUsize::new(0);
        let backend = sea_orm::DbBackend::Sqlite;
        for id in [1, 2] {
            // Binds another value, not the id: nothing to put the id in.
            let statement = kept.with_id(backend, id, |_| {
                built.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                about(5, backend)
            });
            assert_eq!(statement.values, about(5, backend).values);
        }
        assert_eq!(built.load(std::sync::atomic::Ordering::Relaxed), 3);
    }

    #[test]
    fn rome_time_round_trips_and_handles_daylight_saving() {
        let winter = NaiveDate::from_ymd_opt(2027, 1, 15)
            .unwrap()
            .and_hms_opt(17, 0, 0)
            .unwrap();
        assert_eq!(from_local(winter).to_rfc3339(), "2027-01-15T16:00:00+00:00");
        assert_eq!(to_local(from_local(winter)), winter);
        let summer = NaiveDate::from_ymd_opt(2027, 7, 15)
            .unwrap()
            .and_hms_opt(17, 0, 0)
            .unwrap();
        assert_eq!(from_local(summer).to_rfc3339(), "2027-07-15T15:00:00+00:00");
        // 28 March 2027, 02:30 does not exist in Rome: taken as 03:30.
        let skipped = NaiveDate::from_ymd_opt(2027, 3, 28)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(
            to_local(from_local(skipped)).to_string(),
            "2027-03-28 03:30:00"
        );
    }
}
