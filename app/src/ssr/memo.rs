//! What one page render has already read, so that its parts do not read it again.
//!
//! A page's load is made of parts that each begin with what they need: the edition's page,
//! say, reads the caller's enrolments for both the enrolment box and the caller's role, and its
//! progress and activities both read the participant's facts. While a page is rendered on the
//! server they all run in the same request, for the same caller, and change nothing: the first
//! load of a row is shared with the others. Server functions called on their own (forms, later
//! reads) have no memo and always read the database.

use crate::error::AppError;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::OnceCell;

type Slot = Arc<dyn Any + Send + Sync>;

/// Provided for page renders only (next to [`super::entry::CallerOfPage`]).
#[derive(Clone, Default)]
pub struct PageMemo(Arc<Mutex<HashMap<(&'static str, i64), Slot>>>);

impl PageMemo {
    fn slot<T: Send + Sync + 'static>(&self, kind: &'static str, key: i64) -> Arc<OnceCell<T>> {
        let mut slots = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let slot = slots
            .entry((kind, key))
            .or_insert_with(|| Arc::new(OnceCell::<T>::new()) as Slot)
            .clone();
        drop(slots);
        // One kind always holds one type; should two ever disagree, the value is loaded anew.
        slot.downcast::<OnceCell<T>>()
            .unwrap_or_else(|_| Arc::new(OnceCell::new()))
    }
}

/// One key made of two ids (the caller and an edition, say).
pub fn pair(first: i32, second: i32) -> i64 {
    (i64::from(first) << 32) | i64::from(second as u32)
}

tokio::task_local! {
    /// The memo of the load running now, for the loads it makes in turn.
    static CURRENT: PageMemo;
}

/// `load()`, once per page render for each `(kind, key)`; sections asking at the same time wait
/// for the first load. Outside a page render, simply `load()`. Errors are not kept.
///
/// The memo travels with the load into the loads it makes: those run after awaits, when the
/// section that asked may already be gone (a page's sections are built twice while it renders,
/// and the first build's loads run on), and its context with it.
pub async fn once<T, F, Fut>(kind: &'static str, key: i64, load: F) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let memo = CURRENT
        .try_with(PageMemo::clone)
        .ok()
        .or_else(leptos::prelude::use_context::<PageMemo>);
    match memo {
        Some(memo) => memo
            .slot::<T>(kind, key)
            .get_or_try_init(|| CURRENT.scope(memo.clone(), load()))
            .await
            .cloned(),
        None => load().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::prelude::{Owner, provide_context};
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
    }

    #[test]
    fn a_page_render_loads_each_row_once() {
        let loads = AtomicUsize::new(0);
        let owner = Owner::new();
        owner.set();
        provide_context(PageMemo::default());
        runtime().block_on(async {
            for _ in 0..3 {
                let got = once("edition", 7, || async {
                    loads.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, AppError>("Edizione 7".to_owned())
                })
                .await;
                assert_eq!(got, Ok("Edizione 7".to_owned()));
            }
            let other = once("edition", 8, || async {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok::<_, AppError>("Edizione 8".to_owned())
            })
            .await;
            assert_eq!(other, Ok("Edizione 8".to_owned()));
        });
        assert_eq!(loads.load(Ordering::SeqCst), 2, "7 once, 8 once");
    }

    #[test]
    fn sections_asking_at_the_same_time_share_one_load() {
        let loads = AtomicUsize::new(0);
        let owner = Owner::new();
        owner.set();
        provide_context(PageMemo::default());
        let load = || async {
            loads.fetch_add(1, Ordering::SeqCst);
            tokio::task::yield_now().await;
            Ok::<_, AppError>(vec![1, 2, 3])
        };
        let (a, b) = runtime().block_on(async {
            tokio::join!(
                once("activities", pair(3, 7), load),
                once("activities", pair(3, 7), load)
            )
        });
        assert_eq!((a, b), (Ok(vec![1, 2, 3]), Ok(vec![1, 2, 3])));
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        assert_ne!(pair(3, 7), pair(7, 3), "the order of the ids counts");
    }

    #[test]
    fn loads_within_a_load_share_the_memo_once_the_asking_section_is_gone() {
        let loads = AtomicUsize::new(0);
        let page = Owner::new();
        page.set();
        provide_context(PageMemo::default());
        let load_inner = || async {
            loads.fetch_add(1, Ordering::SeqCst);
            Ok::<_, AppError>(7)
        };
        runtime().block_on(async {
            let first = once("progress", 1, || async {
                // The section's owner goes (as a rebuilt section's does) before the inner load.
                Owner::new().set();
                tokio::task::yield_now().await;
                once("facts", 1, load_inner).await
            })
            .await;
            assert_eq!(first, Ok(7));
            page.set();
            let second = once("activities", 1, || once("facts", 1, load_inner)).await;
            assert_eq!(second, Ok(7));
        });
        assert_eq!(loads.load(Ordering::SeqCst), 1, "facts loaded once");
    }

    #[test]
    fn errors_are_not_kept_and_without_a_page_every_call_loads() {
        let loads = AtomicUsize::new(0);
        runtime().block_on(async {
            for _ in 0..2 {
                let _ = once("edition", 7, || async {
                    loads.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, AppError>(1)
                })
                .await;
            }
        });
        assert_eq!(loads.load(Ordering::SeqCst), 2, "no page render, no memo");

        let owner = Owner::new();
        owner.set();
        provide_context(PageMemo::default());
        runtime().block_on(async {
            let failed = once("role", 1, || async { Err::<i32, _>(AppError::NotFound) }).await;
            assert_eq!(failed, Err(AppError::NotFound));
            let retried = once("role", 1, || async { Ok::<_, AppError>(5) }).await;
            assert_eq!(retried, Ok(5));
        });
    }
}
