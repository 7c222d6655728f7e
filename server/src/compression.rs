//! Pages compressed with zstd by a compressor each thread keeps.
//!
//! Every page is compressed for every request. The general compression layer starts a new zstd
//! stream per response, not knowing its size: it sets up a compressor with tables for a large
//! window each time, which in the `pages` bench was a twentieth of the server's work. A page is
//! small and complete once rendered, so it is compressed here in one piece, by a compressor kept
//! from one response to the next, with tables sized to the page. Browsers that do not take
//! zstd, and everything but pages, still go through the general layer (which leaves alone what
//! arrives here already compressed).

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::cell::RefCell;

/// zstd's level for pages: see `startup::COMPRESSION_QUALITY`.
const LEVEL: i32 = 1;

thread_local! {
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
}

/// Compresses pages (`text/html`) for browsers that take zstd.
pub async fn zstd_pages(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let wanted = accepts_zstd(request.headers());
    let response = next.run(request).await;
    if !wanted || !is_page(response.headers()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Pages are paginated: none is large enough to need a limit here.
    let Ok(page) = axum::body::to_bytes(body, usize::MAX).await else {
        // The render failed half-way: nothing usable was sent yet, so say so.
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Some(compressed) = compress(&page) else {
        return Response::from_parts(parts, Body::from(page));
    };
    let headers = &mut parts.headers;
    headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("zstd"));
    headers.remove(header::CONTENT_LENGTH);
    headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    Response::from_parts(parts, Body::from(compressed))
}

/// `page` compressed with this thread's compressor; `None` if zstd refuses (the caller sends
/// it as it is).
fn compress(page: &[u8]) -> Option<Vec<u8>> {
    COMPRESSOR.with(|kept| {
        let mut kept = kept.try_borrow_mut().ok()?;
        if kept.is_none() {
            *kept = zstd::bulk::Compressor::new(LEVEL).ok();
        }
        kept.as_mut()?.compress(page).ok()
    })
}

fn is_page(headers: &HeaderMap) -> bool {
    !headers.contains_key(header::CONTENT_ENCODING)
        && headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|kind| kind.starts_with("text/html"))
}

/// Whether `Accept-Encoding` lists zstd (without `q=0`).
fn accepts_zstd(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|coding| {
            let mut pieces = coding.split(';').map(str::trim);
            let named = pieces
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("zstd"));
            let refused = pieces.any(|piece| {
                piece
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            named && !refused
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::get;
    use tower::ServiceExt;

    fn asking(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_str(accept) {
            headers.insert(header::ACCEPT_ENCODING, value);
        }
        headers
    }

    #[test]
    fn zstd_is_taken_when_listed_and_not_refused() {
        assert!(accepts_zstd(&asking("gzip, deflate, br, zstd")));
        assert!(accepts_zstd(&asking("ZSTD;q=0.5")));
        assert!(!accepts_zstd(&asking("gzip, deflate, br")));
        assert!(!accepts_zstd(&asking("br, zstd;q=0")));
        assert!(!accepts_zstd(&asking("zstdx")));
        assert!(!accepts_zstd(&HeaderMap::new()));
    }

    const PAGE: &str = "<!DOCTYPE html><html><body><p>Benvenuta, Giulia</p></body></html>";

    fn app() -> Router {
        Router::new()
            .route(
                "/",
                get(|| async { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE) }),
            )
            .route("/data", get(|| async { "plain text" }))
            .layer(axum::middleware::from_fn(zstd_pages))
    }

    async fn ask(path: &str, accept: &str) -> (HeaderMap, Vec<u8>) {
        let request = Request::get(path)
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .expect("a request");
        let response = app().oneshot(request).await.expect("a response");
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (headers, body.to_vec())
    }

    #[tokio::test]
    async fn a_page_comes_back_in_zstd_and_decodes_to_itself() {
        for _ in 0..2 {
            // The second time with the compressor the first one left.
            let (headers, body) = ask("/", "gzip, br, zstd").await;
            assert_eq!(headers[header::CONTENT_ENCODING], "zstd");
            assert_eq!(headers[header::VARY], "accept-encoding");
            let page = zstd::bulk::decompress(&body, 1 << 20).expect("zstd");
            assert_eq!(page, PAGE.as_bytes());
        }
    }

    #[tokio::test]
    async fn other_answers_and_other_browsers_are_left_alone() {
        let (headers, body) = ask("/", "gzip, br").await;
        assert!(!headers.contains_key(header::CONTENT_ENCODING));
        assert_eq!(body, PAGE.as_bytes());
        let (headers, body) = ask("/data", "zstd").await;
        assert!(!headers.contains_key(header::CONTENT_ENCODING));
        assert_eq!(body, b"plain text");
    }
}
