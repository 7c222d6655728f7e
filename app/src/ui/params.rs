//! Route parameters, typed: an address whose id is not a number is "not found" at once,
//! instead of asking the server for an id no row has.

use crate::error::AppError;
use leptos::Params;
use leptos::prelude::*;
use leptos_router::hooks::use_params;
use leptos_router::params::Params;

#[derive(Params, Clone, Debug, PartialEq, Eq)]
struct IdParams {
    id: Option<i32>,
}

/// The route's `:id`, when it is a number.
pub fn id_param() -> Memo<Option<i32>> {
    let params = use_params::<IdParams>();
    Memo::new(move |_| params.read().as_ref().ok().and_then(|p| p.id))
}

#[derive(Params, Clone, Debug, PartialEq, Eq)]
struct ThreadParams {
    thread: Option<i32>,
}

/// The route's `:thread`, when it is a number.
pub fn thread_param() -> Memo<Option<i32>> {
    let params = use_params::<ThreadParams>();
    Memo::new(move |_| params.read().as_ref().ok().and_then(|p| p.thread))
}

/// Loads what the route's id names; no id: "not found", without a request.
pub async fn found<T, F>(id: Option<i32>, load: impl FnOnce(i32) -> F) -> Result<T, AppError>
where
    F: std::future::Future<Output = Result<T, AppError>>,
{
    match id {
        Some(id) => load(id).await,
        None => Err(AppError::NotFound),
    }
}
