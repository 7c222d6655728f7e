//! The checks every plain route starts with, as extractors: the caller ([`SignedIn`]) and, for
//! changes, the request's origin ([`SameOrigin`]). The same checks as the server functions'
//! (`app::ssr::entry`), in the same order: put `SignedIn` before `SameOrigin` in a handler's
//! arguments, and the body (a multipart form, say) last, so nothing is read before both hold.

use app::features::accounts::service::safe_next;
use app::ssr::AppState;
use app::ssr::auth::{Caller, caller_of, check_origin};
use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// The signed-in caller. Without a valid session the person is sent to sign in, and comes back
/// afterwards: to the address asked for, or for a form, to the page it was sent from.
pub struct SignedIn(pub Caller);

impl<S> FromRequestParts<S> for SignedIn
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        match caller_of(&state, parts).await {
            Ok(Some(caller)) => Ok(SignedIn(caller)),
            Ok(None) => Err(Redirect::to(&login_address(parts)).into_response()),
            Err(error) => Err(status_of(&error).into_response()),
        }
    }
}

/// The caller if signed in, else nobody (public routes that treat both).
pub struct MaybeSignedIn(pub Option<Caller>);

impl<S> FromRequestParts<S> for MaybeSignedIn
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        caller_of(&state, parts)
            .await
            .map(MaybeSignedIn)
            .map_err(|error| status_of(&error).into_response())
    }
}

/// A change that comes from one of Aula's own pages (cross-site request forgery refused).
pub struct SameOrigin;

impl<S> FromRequestParts<S> for SameOrigin
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        check_origin(parts, &state.settings)
            .map(|()| SameOrigin)
            .map_err(|error| status_of(&error).into_response())
    }
}

/// The sign-in page, with where to come back to.
fn login_address(parts: &Parts) -> String {
    let back = if parts.method == Method::GET {
        parts.uri.path_and_query().map(|p| p.as_str().to_owned())
    } else {
        parts
            .headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|referer| url::Url::parse(referer).ok())
            .map(|url| match url.query() {
                Some(query) => format!("{}?{query}", url.path()),
                None => url.path().to_owned(),
            })
    };
    let next = safe_next(back.as_deref());
    if next == "/" {
        "/login".to_owned()
    } else {
        format!("/login?next={}", urlencoding::encode(&next))
    }
}

/// The HTTP status an error stands for.
pub fn status_of(error: &app::error::AppError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::login_address;
    use axum::http::Request;

    fn parts(request: axum::http::request::Builder) -> axum::http::request::Parts {
        request.body(()).expect("request").into_parts().0
    }

    #[test]
    fn a_page_asked_for_comes_back_after_sign_in() {
        let get = parts(Request::get("/certificates/ab12.pdf"));
        assert_eq!(
            login_address(&get),
            "/login?next=%2Fcertificates%2Fab12.pdf"
        );
    }

    #[test]
    fn a_form_comes_back_to_its_page_and_never_to_another_site() {
        let post = parts(
            Request::post("/activities/7/submission")
                .header("referer", "http://aula.test/activities/7?tab=submission"),
        );
        assert_eq!(
            login_address(&post),
            "/login?next=%2Factivities%2F7%3Ftab%3Dsubmission"
        );
        let bare = parts(Request::post("/quiz-attempts/3"));
        assert_eq!(login_address(&bare), "/login");
        let odd = parts(Request::post("/quiz-attempts/3").header("referer", "javascript:alert(1)"));
        assert_eq!(login_address(&odd), "/login");
    }
}
