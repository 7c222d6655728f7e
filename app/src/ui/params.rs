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

/// The value of `key` in the query of the page's address, on the server (the request) as in
/// the browser (inside islands, where there is no router).
pub fn page_query(key: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    let query = use_context::<http::request::Parts>()
        .and_then(|parts| parts.uri.query().map(str::to_owned));
    #[cfg(not(feature = "ssr"))]
    let query = window().location().search().ok();
    query_value(query.as_deref()?, key)
}

/// The first value of `key` in a query string (`a=1&b=x+y`, with or without the `?`), decoded.
pub fn query_value(query: &str, key: &str) -> Option<String> {
    query_pairs(query)
        .into_iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

/// The pairs of a query string (`application/x-www-form-urlencoded`), in order and decoded.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes())
        .into_owned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::query_value;

    #[test]
    fn a_query_value_is_found_and_decoded() {
        let query = "?page=2&__done=%2Fapi%2Fpost_reply&q=anna+rossi";
        assert_eq!(
            query_value(query, "__done").as_deref(),
            Some("/api/post_reply")
        );
        assert_eq!(query_value(query, "q").as_deref(), Some("anna rossi"));
        assert_eq!(query_value(query, "page").as_deref(), Some("2"));
        // Not UTF-8 once decoded: replaced, as browsers do.
        assert_eq!(query_value("a=%FF", "a").as_deref(), Some("\u{FFFD}"));
    }

    #[test]
    fn a_missing_key_or_an_empty_query_gives_nothing() {
        assert_eq!(query_value("page=2", "__err"), None);
        assert_eq!(query_value("", "page"), None);
        assert_eq!(query_value("flag", "flag").as_deref(), Some(""));
    }

    #[test]
    fn pairs_keep_their_order_and_repeats() {
        let pairs = super::query_pairs("tag=a&tag=b%26c&&note=x+y");
        let expected = [("tag", "a"), ("tag", "b&c"), ("note", "x y")];
        assert_eq!(pairs.len(), expected.len());
        for ((name, value), (want_name, want_value)) in pairs.iter().zip(expected) {
            assert_eq!((name.as_str(), value.as_str()), (want_name, want_value));
        }
    }
}
