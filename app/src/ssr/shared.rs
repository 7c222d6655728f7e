//! Reads that are the same for everyone, shared by all requests for a moment.
//!
//! The catalogue of open editions is on every home page, signed in or not, and does not depend
//! on who asks. Reading it for each request was the heaviest statement of the home page; it is
//! read once and kept until anything is written to the database through this process, and
//! about [`FRESH_FOR`] otherwise (another instance's writes show within that time).
//!
//! The same holds for what one edition shows everyone on its page (its summary, activities and
//! completion decisions): those are kept under the edition's id.
//!
//! A value is kept only when no write began since the snapshot it was read from, so what is
//! kept is never older than the last write this process started. A write that began before
//! that snapshot and commits after it can still leave the value in place, for about
//! [`FRESH_FOR`]. A write that changes only one value (a session's last use) drops that value
//! alone ([`Shared::forget`]).
//!
//! When a value expires, every request in flight that needs it would miss it at once. The first
//! reads it afresh; the others are served the value kept until that read is over (see
//! [`Values::find`]), so each second does not begin with a burst of identical reads.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a shared value is served at most, but while one request reads it afresh (then up to
/// twice this).
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

/// A value being read afresh by one request, whose value will be kept.
struct Reading {
    /// Whose reading this is.
    number: u64,
    /// The writes begun before the snapshot it reads: its value is kept only if still so.
    writes: u64,
}

#[derive(Default)]
struct Values {
    kept: HashMap<Key, Kept>,
    readings: HashMap<Key, Reading>,
    readings_started: u64,
}

/// The shared values of one database, and how many writes it has seen begin (part of
/// [`super::db::Db`]; every clone shares them).
#[derive(Clone, Default)]
pub struct Shared {
    writes: Arc<AtomicU64>,
    values: Arc<Mutex<Values>>,
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

    /// A write that makes only the value under `key` out of date has ended: that value is read
    /// afresh next time, the others stay. A read of it already under way may still keep what
    /// it read before the write, for about [`FRESH_FOR`].
    pub fn forget(&self, key: Key) {
        let mut values = self.lock();
        values.kept.remove(&key);
        values.readings.remove(&key);
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
        let writes = self.writes();
        let ours = {
            let mut values = self.lock();
            if let Some(value) = values.find::<T>(key, writes) {
                return Ok(value);
            }
            self.start(&mut values, &[key], seen, writes)
        };
        let value = load().await?;
        self.keep(seen, [(key, value.clone())]);
        drop(ours);
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
        let ours = {
            let mut values = self.lock();
            for &id in ids {
                match values.find::<T>((name, id), writes) {
                    Some(value) => {
                        found.insert(id, value);
                    }
                    None => missing.push(id),
                }
            }
            if missing.is_empty() {
                return Ok(found);
            }
            let keys: Vec<Key> = missing.iter().map(|id| (name, *id)).collect();
            self.start(&mut values, &keys, seen, writes)
        };
        let loaded = load(missing).await?;
        self.keep(
            seen,
            loaded
                .iter()
                .map(|(id, value)| ((name, *id), value.clone())),
        );
        drop(ours);
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
        if all.kept.len() > PRUNE_ABOVE {
            all.kept.retain(|_, kept| kept.at.elapsed() <= FRESH_FOR);
        }
        for (key, value) in values {
            let value = Arc::new(value);
            all.kept.insert(
                key,
                Kept {
                    at,
                    writes: seen,
                    value,
                },
            );
        }
    }

    /// The caller reads `keys` afresh from a snapshot at `seen` writes. When what it reads will
    /// be kept and nobody reads them already, it is their reading until the returned guard is
    /// dropped.
    fn start(
        &self,
        values: &mut Values,
        keys: &[Key],
        seen: u64,
        writes: u64,
    ) -> Option<OurReading> {
        if seen != writes {
            return None;
        }
        values.readings_started += 1;
        let number = values.readings_started;
        let mut ours = Vec::new();
        for &key in keys {
            if values.is_being_read(key, writes) {
                continue;
            }
            values.readings.insert(key, Reading { number, writes });
            ours.push(key);
        }
        (!ours.is_empty()).then(|| OurReading {
            values: self.values.clone(),
            number,
            keys: ours,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Values> {
        self.values.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Values {
    /// The value kept under `key`, if no write began since it was read and it is fresh. Past
    /// [`FRESH_FOR`] it is still served while another request reads it afresh (for another
    /// [`FRESH_FOR`] at most), so that when it expires the requests in flight do not all send
    /// the same statement: one reads, the others are answered as they were a moment before.
    /// Nobody waits for that read (a page waiting would hold its read transaction's place).
    fn find<T: Clone + 'static>(&self, key: Key, writes: u64) -> Option<T> {
        let kept = self.kept.get(&key)?;
        if kept.writes != writes {
            return None;
        }
        let age = kept.at.elapsed();
        if age > FRESH_FOR && (age > 2 * FRESH_FOR || !self.is_being_read(key, writes)) {
            return None;
        }
        kept.value.downcast_ref::<T>().cloned()
    }

    /// Whether a request reads `key` afresh, for a value that will be kept.
    fn is_being_read(&self, key: Key, writes: u64) -> bool {
        self.readings
            .get(&key)
            .is_some_and(|reading| reading.writes == writes)
    }
}

/// One request's reading of values afresh. Dropped when the read is over (its value kept, or
/// an error, or the request gone): the values are no longer being read.
struct OurReading {
    values: Arc<Mutex<Values>>,
    number: u64,
    keys: Vec<Key>,
}

impl Drop for OurReading {
    fn drop(&mut self) {
        let mut values = self.values.lock().unwrap_or_else(PoisonError::into_inner);
        for key in &self.keys {
            if values
                .readings
                .get(key)
                .is_some_and(|reading| reading.number == self.number)
            {
                values.readings.remove(key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use tokio::sync::Notify;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime")
    }

    /// Makes every value kept look `by` older.
    fn age(shared: &Shared, by: Duration) {
        for kept in shared.lock().kept.values_mut() {
            if let Some(earlier) = kept.at.checked_sub(by) {
                kept.at = earlier;
            }
        }
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
            age(&shared, FRESH_FOR + Duration::from_millis(1));
            shared
                .get(("new", 0), shared.writes(), || async { Ok::<_, ()>(0) })
                .await
                .expect("kept");
        });
        assert_eq!(shared.lock().kept.len(), 1, "only the fresh value is left");
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
            age(&shared, FRESH_FOR + Duration::from_millis(1));
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

    /// Two requests for `key` past its moment: the first reads afresh (doing `during_the_read`
    /// as it begins) and holds its read open until the second is answered (`started`, then
    /// `release`), so the second always finds the read under way. Values count the reads.
    async fn while_one_reads_another_asks(
        shared: &Shared,
        key: Key,
        loads: &AtomicUsize,
        during_the_read: impl FnOnce(),
    ) -> (Result<usize, ()>, Result<usize, ()>) {
        let (started, release) = (Notify::new(), Notify::new());
        let read = || async { Ok(loads.fetch_add(1, Ordering::SeqCst)) };
        let first = shared.get(key, shared.writes(), || async {
            during_the_read();
            started.notify_one();
            release.notified().await;
            read().await
        });
        let second = async {
            started.notified().await;
            let answer = shared.get(key, shared.writes(), read).await;
            release.notify_one();
            answer
        };
        tokio::join!(first, second)
    }

    #[test]
    fn past_its_moment_a_value_is_served_while_one_request_reads_it_afresh() {
        let shared = Shared::default();
        let loads = AtomicUsize::new(0);
        let load = || async { Ok::<_, ()>(loads.fetch_add(1, Ordering::SeqCst)) };
        runtime().block_on(async {
            assert_eq!(
                shared.get(("catalogue", 0), shared.writes(), load).await,
                Ok(0)
            );
            age(&shared, FRESH_FOR + Duration::from_millis(1));
            assert_eq!(
                while_one_reads_another_asks(&shared, ("catalogue", 0), &loads, || {}).await,
                (Ok(1), Ok(0)),
                "the second is answered with the value kept, without reading"
            );
            assert_eq!(
                shared.get(("catalogue", 0), shared.writes(), load).await,
                Ok(1),
                "the new value is kept"
            );
        });
        assert_eq!(loads.into_inner(), 2);
    }

    #[test]
    fn a_value_is_not_served_past_its_moment_after_a_write_or_a_failed_read() {
        let shared = Shared::default();
        let loads = AtomicUsize::new(0);
        let load = || async { Ok::<_, &str>(loads.fetch_add(1, Ordering::SeqCst)) };
        let (started, release) = (Notify::new(), Notify::new());
        runtime().block_on(async {
            // Past twice its moment, it is not served even while being read.
            shared
                .get(("a", 0), shared.writes(), load)
                .await
                .expect("read");
            age(&shared, 2 * FRESH_FOR + Duration::from_millis(1));
            assert_eq!(
                while_one_reads_another_asks(&shared, ("a", 0), &loads, || {}).await,
                (Ok(2), Ok(1))
            );

            // A write began: the value kept is out of date, being read or not.
            age(&shared, FRESH_FOR + Duration::from_millis(1));
            assert_eq!(
                while_one_reads_another_asks(&shared, ("a", 0), &loads, || shared.write_begins())
                    .await,
                (Ok(4), Ok(3))
            );

            // The read that failed is over: the next request past the moment reads itself.
            shared
                .get(("b", 0), shared.writes(), load)
                .await
                .expect("read");
            age(&shared, FRESH_FOR + Duration::from_millis(1));
            let failed = shared
                .get(("b", 0), shared.writes(), || async {
                    Err::<usize, _>("failed")
                })
                .await;
            assert_eq!(failed, Err("failed"));
            assert_eq!(shared.get(("b", 0), shared.writes(), load).await, Ok(6));

            // So is the read of a request gone in the middle of it (its client left).
            age(&shared, FRESH_FOR + Duration::from_millis(1));
            let gone = Notify::new();
            let first = async {
                let read = tokio::select! {
                    read = shared.get(("b", 0), shared.writes(), || async {
                        started.notify_one();
                        std::future::pending::<Result<usize, &str>>().await
                    }) => read,
                    () = release.notified() => Err("gone"),
                };
                gone.notify_one();
                read
            };
            let second = async {
                started.notified().await;
                release.notify_one();
                gone.notified().await;
                shared.get(("b", 0), shared.writes(), load).await
            };
            assert_eq!(tokio::join!(first, second), (Err("gone"), Ok(7)));
        });
    }

    #[test]
    fn many_values_past_their_moment_are_served_while_being_read_and_the_rest_read() {
        let shared = Shared::default();
        let asked = Mutex::new(Vec::new());
        let (started, release) = (Notify::new(), Notify::new());
        let tens = |ids: Vec<i64>| ids.into_iter().map(|id| (id, id * 10)).collect::<Vec<_>>();
        let load = |ids: Vec<i64>| {
            asked.lock().expect("lock").push(ids.clone());
            async { Ok::<_, ()>(tens(ids)) }
        };
        runtime().block_on(async {
            shared
                .get_many("summary", &[1, 2], shared.writes(), load)
                .await
                .expect("read");
            age(&shared, FRESH_FOR + Duration::from_millis(1));
            let first = shared.get_many("summary", &[1, 2], shared.writes(), |ids| {
                asked.lock().expect("lock").push(ids.clone());
                async {
                    started.notify_one();
                    release.notified().await;
                    Ok::<_, ()>(tens(ids))
                }
            });
            let second = async {
                started.notified().await;
                let read = shared
                    .get_many("summary", &[2, 3], shared.writes(), load)
                    .await;
                release.notify_one();
                read
            };
            let (first, second) = tokio::join!(first, second);
            assert_eq!(first, Ok(HashMap::from([(1, 10), (2, 20)])));
            assert_eq!(second, Ok(HashMap::from([(2, 20), (3, 30)])));
        });
        assert_eq!(
            asked.into_inner().expect("lock"),
            vec![vec![1, 2], vec![1, 2], vec![3]],
            "2 was being read: served as kept, not read twice"
        );
    }
}
