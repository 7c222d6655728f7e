//! The database as requests reach it ([`Db`]), and the reads of a page render sharing one
//! transaction ([`PageReads`]).
//!
//! Every statement sent through the pool takes a connection and gives it back, and on its way
//! back sqlx pings it; on SQLite each of those steps is a hand-off to the connection's thread.
//! In the `pages` bench that was as much processor time as the statement itself (65-73 µs per
//! statement through the pool, 33-40 µs inside a transaction). A page render asks a dozen
//! small questions and changes nothing, so its reads go through one read transaction instead,
//! taken at its first read and given back when the render is over. It also sees one snapshot:
//! no section of a page shows a state another section of the same page has not reached.
//!
//! The page is named explicitly: [`Db::for_page`] is called where a server function learns that
//! it runs inside a page render (`entry`, next to the page's caller); a statement never looks
//! for a page around it.

use sea_orm::prelude::async_trait::async_trait;
use sea_orm::{
    AccessMode, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    ExecResult, IsolationLevel, QueryResult, Statement, TransactionError, TransactionOptions,
    TransactionTrait,
};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};

/// How long a page waits for a place before it reads through the pool statement by statement.
/// Places are given back when renders end; the wait only bounds the harm should one not be.
const PLACE_WAIT: Duration = Duration::from_millis(200);

/// The database: the pool, and for a page render its read transaction.
#[derive(Clone, Debug)]
pub struct Db {
    pool: DatabaseConnection,
    /// At most half the pool reads for pages, so that a render holding a place can always get a
    /// connection for a write (a session refresh, say) from the other half.
    places: Arc<Semaphore>,
    /// Page transactions opened so far (for tests and the bench).
    opened: Arc<AtomicU64>,
    /// Statements and transactions started so far, each a round trip to the database (for the
    /// bench: what a page costs in round trips).
    round_trips: Arc<AtomicU64>,
    /// What is read the same for everyone, kept for a moment (see [`super::shared`]).
    shared: super::shared::Shared,
    page: Option<Arc<Page>>,
}

impl Db {
    pub fn new(pool: DatabaseConnection, max_connections: u32) -> Self {
        let places = (max_connections / 2) as usize;
        Self {
            pool,
            places: Arc::new(Semaphore::new(places)),
            opened: Arc::default(),
            round_trips: Arc::default(),
            shared: super::shared::Shared::default(),
            page: None,
        }
    }

    /// The pool itself (migrations, closing).
    pub fn pool(&self) -> &DatabaseConnection {
        &self.pool
    }

    /// This database as seen by one page render: its reads share `page`'s transaction.
    pub fn for_page(&self, page: &PageReads) -> Self {
        Self {
            page: Some(page.0.clone()),
            ..self.clone()
        }
    }

    /// Places for page reads not taken now (for tests: every render gives its place back).
    pub fn free_page_places(&self) -> usize {
        self.places.available_permits()
    }

    /// How many page renders have read through a transaction of their own so far.
    pub fn page_transactions(&self) -> u64 {
        self.opened.load(Ordering::Relaxed)
    }

    /// How many statements (and transactions begun) went to the database so far.
    pub fn round_trips(&self) -> u64 {
        self.round_trips.load(Ordering::Relaxed)
    }

    /// How many writes have begun so far (for the bench: writes drop every shared value).
    pub fn writes(&self) -> u64 {
        self.shared.writes()
    }

    /// `load()`'s value, read once for all requests and kept for a moment under `name` and `id`
    /// (the object it is about, 0 for none); see [`super::shared`].
    pub async fn shared<T, E, F, Fut>(&self, name: &'static str, id: i64, load: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        self.shared.get((name, id), self.seen(), load).await
    }

    /// [`Self::shared`] for many objects at once: those not kept are read by one
    /// `load(missing ids)`, which answers each it found with its id.
    pub async fn shared_many<T, E, F, Fut>(
        &self,
        name: &'static str,
        ids: &[i64],
        load: F,
    ) -> Result<std::collections::HashMap<i64, T>, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(Vec<i64>) -> Fut,
        Fut: Future<Output = Result<Vec<(i64, T)>, E>>,
    {
        self.shared.get_many(name, ids, self.seen(), load).await
    }

    /// A write that changes only what the shared value `name`/`id` holds, and that nothing
    /// else reads back (a session's last use): it drops that value alone, and the page goes on
    /// reading in its transaction. Every other write drops all shared values: were a
    /// session's refresh one of them, a minute's refreshes of many sessions would have every
    /// page read everything afresh again and again.
    pub async fn write_touching_only(
        &self,
        name: &'static str,
        id: i64,
        stmt: Statement,
    ) -> Result<ExecResult, DbErr> {
        self.count();
        let result = self.pool.execute_raw(stmt).await;
        self.shared.forget((name, id));
        result
    }

    /// The writes begun before the snapshot reads see: a page's reads see the one its
    /// transaction took, perhaps before some writes.
    fn seen(&self) -> u64 {
        self.page
            .as_ref()
            .and_then(|page| page.open.get())
            .and_then(Option::as_ref)
            .map_or_else(|| self.shared.writes(), |open| open.writes)
    }

    fn count(&self) {
        self.round_trips.fetch_add(1, Ordering::Relaxed);
    }

    /// Where a read goes: the page's transaction while the page has written nothing.
    async fn reader(&self) -> Result<Reader<'_>, DbErr> {
        let Some(page) = &self.page else {
            return Ok(Reader::Pool(&self.pool));
        };
        if page.wrote.load(Ordering::Acquire) {
            return Ok(Reader::Pool(&self.pool));
        }
        let open = page
            .open
            .get_or_try_init(|| async {
                let Ok(Ok(place)) =
                    tokio::time::timeout(PLACE_WAIT, self.places.clone().acquire_owned()).await
                else {
                    return Ok::<_, DbErr>(None);
                };
                self.count();
                let writes = self.shared.writes();
                let transaction = self.pool.begin().await?;
                self.opened.fetch_add(1, Ordering::Relaxed);
                Ok(Some(Open {
                    transaction,
                    writes,
                    _place: place,
                }))
            })
            .await?;
        Ok(match open {
            // A write may have come while the transaction opened: what it wrote must show.
            Some(open) if !page.wrote.load(Ordering::Acquire) => Reader::Page(&open.transaction),
            _ => Reader::Pool(&self.pool),
        })
    }

    /// Writes always go to the pool; from the first one on, the page reads there too, so that
    /// it sees what it wrote.
    fn writing(&self) {
        self.count();
        self.shared.write_begins();
        if let Some(page) = &self.page {
            page.wrote.store(true, Ordering::Release);
        }
    }
}

enum Reader<'a> {
    Pool(&'a DatabaseConnection),
    Page(&'a DatabaseTransaction),
}

/// Only plain `SELECT`s are reads; anything else (`INSERT … RETURNING` included) writes.
fn is_read(statement: &Statement) -> bool {
    let sql = statement.sql.trim_start();
    sql.get(..6)
        .is_some_and(|start| start.eq_ignore_ascii_case("select"))
}

/// One page render's read transaction, opened at its first read. Provided for page renders
/// only, beside the page's caller; dropped with the render, which rolls the transaction back
/// (it wrote nothing) and gives its connection and its place back.
#[derive(Clone, Default)]
pub struct PageReads(Arc<Page>);

#[derive(Default)]
struct Page {
    open: OnceCell<Option<Open>>,
    wrote: AtomicBool,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("open", &self.open.initialized())
            .field("wrote", &self.wrote)
            .finish()
    }
}

struct Open {
    transaction: DatabaseTransaction,
    /// Writes begun before the transaction (its snapshot has at most these).
    writes: u64,
    _place: OwnedSemaphorePermit,
}

#[async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.pool.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.writing();
        self.pool.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.writing();
        self.pool.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        if !is_read(&stmt) {
            self.writing();
            return self.pool.query_one_raw(stmt).await;
        }
        self.count();
        match self.reader().await? {
            Reader::Pool(pool) => pool.query_one_raw(stmt).await,
            Reader::Page(transaction) => transaction.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        if !is_read(&stmt) {
            self.writing();
            return self.pool.query_all_raw(stmt).await;
        }
        self.count();
        match self.reader().await? {
            Reader::Pool(pool) => pool.query_all_raw(stmt).await,
            Reader::Page(transaction) => transaction.query_all_raw(stmt).await,
        }
    }

    fn support_returning(&self) -> bool {
        self.pool.support_returning()
    }
}

/// Transactions are for changes: they always come from the pool.
#[async_trait]
impl TransactionTrait for Db {
    type Transaction = DatabaseTransaction;

    async fn begin(&self) -> Result<DatabaseTransaction, DbErr> {
        self.writing();
        self.pool.begin().await
    }

    async fn begin_with_config(
        &self,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.writing();
        self.pool
            .begin_with_config(isolation_level, access_mode)
            .await
    }

    async fn begin_with_options(
        &self,
        options: TransactionOptions,
    ) -> Result<DatabaseTransaction, DbErr> {
        self.writing();
        self.pool.begin_with_options(options).await
    }

    async fn transaction<F, T, E>(&self, callback: F) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.writing();
        self.pool.transaction(callback).await
    }

    async fn transaction_with_config<F, T, E>(
        &self,
        callback: F,
        isolation_level: Option<IsolationLevel>,
        access_mode: Option<AccessMode>,
    ) -> Result<T, TransactionError<E>>
    where
        F: for<'c> FnOnce(
                &'c DatabaseTransaction,
            ) -> Pin<Box<dyn Future<Output = Result<T, E>> + Send + 'c>>
            + Send,
        T: Send,
        E: std::fmt::Display + std::fmt::Debug + Send,
    {
        self.writing();
        self.pool
            .transaction_with_config(callback, isolation_level, access_mode)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(sql: &str) -> Statement {
        Statement::from_string(DbBackend::Sqlite, sql)
    }

    #[test]
    fn only_selects_are_reads() {
        assert!(is_read(&statement("SELECT 1")));
        assert!(is_read(&statement("  select \"id\" FROM \"user\"")));
        assert!(!is_read(&statement(
            "INSERT INTO \"session\" (\"id\") VALUES (?) RETURNING \"id\""
        )));
        assert!(!is_read(&statement(
            "UPDATE \"session\" SET \"last_seen_at\" = ?"
        )));
        assert!(!is_read(&statement("DELETE FROM \"session\"")));
        assert!(!is_read(&statement("SEL")));
    }

    /// A database file of its own (an in-memory SQLite pool has a single connection).
    async fn db(max_connections: u32) -> Db {
        static FILES: AtomicU64 = AtomicU64::new(0);
        let path = std::env::temp_dir().join(format!(
            "aula-page-reads-{}-{}.db",
            std::process::id(),
            FILES.fetch_add(1, Ordering::Relaxed)
        ));
        super::super::db::connect(
            &format!("sqlite://{}?mode=rwc", path.display()),
            max_connections,
        )
        .await
        .expect("a database")
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    }

    #[test]
    fn a_page_reads_in_one_transaction_and_gives_its_place_back() {
        runtime().block_on(async {
            let db = db(4).await;
            assert_eq!(db.free_page_places(), 2, "half the pool");
            let page = PageReads::default();
            let reads = db.for_page(&page);
            let one = reads.query_one_raw(statement("SELECT 1")).await;
            assert!(matches!(one, Ok(Some(_))));
            assert!(matches!(reads.reader().await, Ok(Reader::Page(_))));
            assert_eq!(db.free_page_places(), 1, "the page holds a place");
            drop(reads);
            drop(page);
            assert_eq!(db.free_page_places(), 2, "given back with the page");
            assert!(
                matches!(db.reader().await, Ok(Reader::Pool(_))),
                "no page: the pool"
            );
        });
    }

    #[test]
    fn after_a_write_the_page_reads_through_the_pool() {
        runtime().block_on(async {
            let db = db(4).await;
            let page = PageReads::default();
            let reads = db.for_page(&page);
            reads
                .query_one_raw(statement("SELECT 1"))
                .await
                .expect("a read");
            reads
                .execute_unprepared("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
                .await
                .expect("a write");
            assert!(matches!(reads.reader().await, Ok(Reader::Pool(_))));
        });
    }

    #[test]
    fn without_a_free_place_a_page_reads_through_the_pool() {
        runtime().block_on(async {
            let db = db(2).await;
            let first = PageReads::default();
            let second = PageReads::default();
            let (a, b) = (db.for_page(&first), db.for_page(&second));
            a.query_one_raw(statement("SELECT 1"))
                .await
                .expect("a read");
            assert!(matches!(a.reader().await, Ok(Reader::Page(_))));
            b.query_one_raw(statement("SELECT 1"))
                .await
                .expect("a read");
            assert!(matches!(b.reader().await, Ok(Reader::Pool(_))));
        });
    }

    #[test]
    fn a_write_touching_one_shared_value_leaves_the_others_and_the_page_transaction() {
        runtime().block_on(async {
            let db = db(4).await;
            db.execute_unprepared("CREATE TABLE t (x INTEGER)")
                .await
                .expect("a table");
            let page = PageReads::default();
            let reads = db.for_page(&page);
            let loads = AtomicU64::new(0);
            let read = |name: &'static str| {
                reads.shared(name, 1, || async {
                    Ok::<_, DbErr>(loads.fetch_add(1, Ordering::SeqCst))
                })
            };
            assert_eq!(read("session").await, Ok(0));
            assert_eq!(read("catalogue").await, Ok(1));
            reads
                .query_one_raw(statement("SELECT 1"))
                .await
                .expect("a read");
            reads
                .write_touching_only("session", 1, statement("INSERT INTO t VALUES (1)"))
                .await
                .expect("a write");
            assert_eq!(read("session").await, Ok(2), "read afresh");
            assert_eq!(read("catalogue").await, Ok(1), "still kept");
            assert!(
                matches!(reads.reader().await, Ok(Reader::Page(_))),
                "the page still reads in its transaction"
            );
            reads
                .execute_unprepared("INSERT INTO t VALUES (2)")
                .await
                .expect("another write");
            assert_eq!(read("catalogue").await, Ok(3), "any other write drops it");
        });
    }
}
