//! Reads that are the same for everyone, shared by all requests for a moment.
//!
//! The catalogue of open editions is on every home page, signed in or not, and does not depend
//! on who asks. Reading it for each request was the heaviest statement of the home page; it is
//! read once and kept until anything is written to the database through this process, and at
//! most [`FRESH_FOR`] (another instance's writes show within that time).
//!
//! The same holds for what one edition shows everyone on its page (its summary, activities and
//! completion decisions): those are kept under the edition's id.
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

/// Beyond this many values, those past [`FRESH_FOR`] are dropped when one is kept (an edition
/// seldom looked at leaves nothing behind for long).
const PRUNE_ABOVE: usize = 256;

/// A value's name and, for values kept per object, the object's id (0 otherwise).
type Key = (&'static str, i64);

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
    kept: Arc<Mutex<HashMap<Key, Kept>>>,
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

    /// The value kept under `key`, or `load()`'s. That is kept when no write began since
    /// `seen` (the [`Self::writes`] the data `load` reads are at least as new as: a read
    /// transaction's snapshot may be older than the call). Errors are not kept.
    pub async fn get<T, E, F, Fut>(&self, key: Key, seen: u64, load: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.fresh::<T>(key, self.writes()) {
            return Ok(value);
        }
        let value = load().await?;
        self.keep(seen, [(key, value.clone())]);
        Ok(value)
    }

    /// The values kept under `name` for each of `ids`, with those not kept read by one
    /// `load(missing ids)`, which answers each it found with its id (see [`Self::get`]).
    pub async fn get_many<T, E, F, Fut>(
        &self,
        name: &'static str,
        ids: &[i64],
        seen: u64,
        load: F,
    ) -> Result<HashMap<i64, T>, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce(Vec<i64>) -> Fut,
        Fut: Future<Output = Result<Vec<(i64, T)>, E>>,
    {
        let writes = self.writes();
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for &id in ids {
            match self.fresh::<T>((name, id), writes) {
                Some(value) => {
                    found.insert(id, value);
                }
                None => missing.push(id),
            }
        }
        if missing.is_empty() {
            return Ok(found);
        }
        let loaded = load(missing).await?;
        self.keep(
            seen,
            loaded
                .iter()
                .map(|(id, value)| ((name, *id), value.clone())),
        );
        found.extend(loaded);
        Ok(found)
    }

    /// Keeps `values`, read from a snapshot at `seen` writes, unless a write began since.
    fn keep<T: Send + Sync + 'static>(
        &self,
        seen: u64,
        values: impl IntoIterator<Item = (Key, T)>,
    ) {
        if self.writes() != seen {
            return;
        }
        let at = Instant::now();
        let mut all = self.lock();
        if all.len() > PRUNE_ABOVE {
            all.retain(|_, kept| kept.at.elapsed() <= FRESH_FOR);
        }
        for (key, value) in values {
            let value = Arc::new(value);
            all.insert(
                key,
                Kept {
                    at,
                    writes: seen,
                    value,
                },
            );
        }
    }

    fn fresh<T: Clone + 'static>(&self, key: Key, writes: u64) -> Option<T> {
        let kept = self.lock();
        let kept = kept.get(&key)?;
        if kept.writes != writes || kept.at.elapsed() > FRESH_FOR {
            return None;
        }
        kept.value.downcast_ref::<T>().cloned()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, Kept>> {
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
                shared.get(("catalogue", 0), shared.writes(), load).await,
                Ok(vec![0])
            );
            assert_eq!(
                shared.get(("catalogue", 0), shared.writes(), load).await,
                Ok(vec![0]),
                "kept"
            );
            shared.write_begins();
            assert_eq!(
                shared.get(("catalogue", 0), shared.writes(), load).await,
                Ok(vec![1]),
                "read again"
            );
            assert_eq!(
                shared.get(("catalogue", 0), shared.writes(), load).await,
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
                .get(("catalogue", 0), shared.writes(), || async {
                    shared.write_begins();
                    Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst))
                })
                .await;
            assert_eq!(first, Ok(0));
            let second = shared
                .get(("catalogue", 0), shared.writes(), || async {
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
            assert_eq!(shared.get(("catalogue", 0), snapshot, load).await, Ok(0));
            assert_eq!(
                shared.get(("catalogue", 0), shared.writes(), load).await,
                Ok(1),
                "the snapshot's value was not kept"
            );
            assert_eq!(
                shared.get(("catalogue", 0), shared.writes(), load).await,
                Ok(1)
            );
        });
    }

    #[test]
    fn many_values_are_read_together_and_only_those_not_kept() {
        let shared = Shared::default();
        let asked = Mutex::new(Vec::new());
        let load = |ids: Vec<i64>| {
            asked.lock().expect("lock").push(ids.clone());
            // Id 9 does not exist: nothing is answered for it.
            async move {
                Ok::<_, ()>(
                    ids.into_iter()
                        .filter(|id| *id != 9)
                        .map(|id| (id, id * 10))
                        .collect(),
                )
            }
        };
        runtime().block_on(async {
            let first = shared
                .get_many("summary", &[1, 2], shared.writes(), load)
                .await;
            assert_eq!(first, Ok(HashMap::from([(1, 10), (2, 20)])));
            let second = shared
                .get_many("summary", &[2, 3, 9], shared.writes(), load)
                .await;
            assert_eq!(second, Ok(HashMap::from([(2, 20), (3, 30)])));
            assert_eq!(
                shared
                    .get(("summary", 3), shared.writes(), || async { Err(()) })
                    .await,
                Ok(30_i64),
                "kept one by one, for either way of asking"
            );
            shared.write_begins();
            let third = shared
                .get_many("summary", &[1], shared.writes(), load)
                .await;
            assert_eq!(third, Ok(HashMap::from([(1, 10)])));
        });
        assert_eq!(
            asked.into_inner().expect("lock"),
            vec![vec![1, 2], vec![3, 9], vec![1]],
            "only what was not kept is read, all of it at once"
        );
    }

    #[test]
    fn values_past_their_moment_are_dropped_once_there_are_many() {
        let shared = Shared::default();
        runtime().block_on(async {
            let ids: Vec<i64> = (0..=PRUNE_ABOVE as i64).collect();
            let all = |ids: Vec<i64>| async move {
                Ok::<_, ()>(ids.into_iter().map(|id| (id, id)).collect())
            };
            shared
                .get_many("old", &ids, shared.writes(), all)
                .await
                .expect("kept");
            for kept in shared.lock().values_mut() {
                if let Some(earlier) = kept.at.checked_sub(FRESH_FOR + Duration::from_millis(1)) {
                    kept.at = earlier;
                }
            }
            shared
                .get(("new", 0), shared.writes(), || async { Ok::<_, ()>(0) })
                .await
                .expect("kept");
        });
        assert_eq!(shared.lock().len(), 1, "only the fresh value is left");
    }

    #[test]
    fn a_value_is_kept_for_a_moment_only_and_errors_never() {
        let shared = Shared::default();
        let loads = AtomicUsize::new(0);
        let load = || async { Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst)) };
        runtime().block_on(async {
            assert_eq!(
                shared
                    .get(("a", 0), shared.writes(), || async { Err::<usize, _>(()) })
                    .await,
                Err(())
            );
            assert_eq!(
                shared.get(("a", 0), shared.writes(), load).await,
                Ok(0),
                "the error was not kept"
            );
            if let Some(kept) = shared.lock().get_mut(&("a", 0))
                && let Some(earlier) = kept.at.checked_sub(FRESH_FOR + Duration::from_millis(1))
            {
                kept.at = earlier;
            }
            assert_eq!(
                shared.get(("a", 0), shared.writes(), load).await,
                Ok(1),
                "too old: read again"
            );
            assert_eq!(
                shared.get(("a", 1), shared.writes(), load).await,
                Ok(2),
                "each key its own value"
            );
        });
    }
}
