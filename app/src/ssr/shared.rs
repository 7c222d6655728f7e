//! Reads that are the same for everyone, shared by all requests for a moment.
//!
//! The catalogue of open editions is on every home page, signed in or not, and does not depend
//! on who asks. Reading it for each request was the heaviest statement of the home page; it is
//! read once and kept until anything is written to the database through this process, and at
//! most [`FRESH_FOR`] (another instance's writes show within that time).
//!
//! A value is kept only when no write began since the snapshot it was read from, so what is
//! kept is never older than the last write this process started. A write that began before
//! that snapshot and commits after it can still leave the value in place, for at most
//! [`FRESH_FOR`].

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a shared value may be served at most.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

struct Kept {
    at: Instant,
    writes: u64,
    value: Arc<dyn Any + Send + Sync>,
}

/// The shared values of one database, and how many writes it has seen begin (part of
/// [`super::db::Db`]; every clone shares them).
#[derive(Clone, Default)]
pub struct Shared {
    writes: Arc<AtomicU64>,
    kept: Arc<Mutex<HashMap<&'static str, Kept>>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("writes", &self.writes)
            .finish_non_exhaustive()
    }
}

impl Shared {
    /// A write begins: every kept value is out of date.
    pub fn write_begins(&self) {
        self.writes.fetch_add(1, Ordering::AcqRel);
    }

    /// How many writes have begun so far.
    pub fn writes(&self) -> u64 {
        self.writes.load(Ordering::Acquire)
    }

    /// The value kept under `name`, or `load()`'s. That is kept when no write began since
    /// `seen` (the [`Self::writes`] the data `load` reads are at least as new as: a read
    /// transaction's snapshot may be older than the call). Errors are not kept.
    pub async fn get<T, E, F, Fut>(&self, name: &'static str, seen: u64, load: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.fresh::<T>(name, self.writes()) {
            return Ok(value);
        }
        let value = load().await?;
        if self.writes() == seen {
            let kept = Kept {
                at: Instant::now(),
                writes: seen,
                value: Arc::new(value.clone()),
            };
            self.lock().insert(name, kept);
        }
        Ok(value)
    }

    fn fresh<T: Clone + 'static>(&self, name: &'static str, writes: u64) -> Option<T> {
        let kept = self.lock();
        let kept = kept.get(name)?;
        if kept.writes != writes || kept.at.elapsed() > FRESH_FOR {
            return None;
        }
        kept.value.downcast_ref::<T>().cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<&'static str, Kept>> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime")
    }

    #[test]
    fn a_value_is_read_once_until_a_write_begins() {
        let shared = Shared::default();
        let loads = AtomicUsize::new(0);
        let load = || async { Ok::<_, ()>(vec![loads.fetch_add(1, Ordering::SeqCst)]) };
        runtime().block_on(async {
            assert_eq!(
                shared.get("catalogue", shared.writes(), load).await,
                Ok(vec![0])
            );
            assert_eq!(
                shared.get("catalogue", shared.writes(), load).await,
                Ok(vec![0]),
                "kept"
            );
            shared.write_begins();
            assert_eq!(
                shared.get("catalogue", shared.writes(), load).await,
                Ok(vec![1]),
                "read again"
            );
            assert_eq!(
                shared.get("catalogue", shared.writes(), load).await,
                Ok(vec![1])
            );
        });
    }

    #[test]
    fn a_value_read_while_a_write_began_is_not_kept() {
        let shared = Shared::default();
        let loads = AtomicUsize::new(0);
        runtime().block_on(async {
            let first = shared
                .get("catalogue", shared.writes(), || async {
                    shared.write_begins();
                    Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst))
                })
                .await;
            assert_eq!(first, Ok(0));
            let second = shared
                .get("catalogue", shared.writes(), || async {
                    Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst))
                })
                .await;
            assert_eq!(second, Ok(1), "the first value may have missed the write");
        });
    }

    #[test]
    fn a_value_read_from_a_snapshot_older_than_a_write_is_not_kept() {
        let shared = Shared::default();
        let loads = AtomicUsize::new(0);
        let load = || async { Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst)) };
        runtime().block_on(async {
            let snapshot = shared.writes();
            shared.write_begins();
            assert_eq!(shared.get("catalogue", snapshot, load).await, Ok(0));
            assert_eq!(
                shared.get("catalogue", shared.writes(), load).await,
                Ok(1),
                "the snapshot's value was not kept"
            );
            assert_eq!(shared.get("catalogue", shared.writes(), load).await, Ok(1));
        });
    }

    #[test]
    fn a_value_is_kept_for_a_moment_only_and_errors_never() {
        let shared = Shared::default();
        let loads = AtomicUsize::new(0);
        let load = || async { Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst)) };
        runtime().block_on(async {
            assert_eq!(
                shared
                    .get("a", shared.writes(), || async { Err::<usize, _>(()) })
                    .await,
                Err(())
            );
            assert_eq!(
                shared.get("a", shared.writes(), load).await,
                Ok(0),
                "the error was not kept"
            );
            if let Some(kept) = shared.lock().get_mut("a")
                && let Some(earlier) = kept.at.checked_sub(FRESH_FOR + Duration::from_millis(1))
            {
                kept.at = earlier;
            }
            assert_eq!(
                shared.get("a", shared.writes(), load).await,
                Ok(1),
                "too old: read again"
            );
            assert_eq!(
                shared.get("b", shared.writes(), load).await,
                Ok(2),
                "each name its own value"
            );
        });
    }
}
