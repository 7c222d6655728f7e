//! Single sign-on against a real OpenID Connect provider process (`oidc-provider`, see
//! `helpers::oidc_issuer`): the test plays the browser, following Aula's redirect to the
//! provider, signing in on its page, and bringing the code back to Aula.

use crate::both_databases;
use crate::helpers::{BASE_URL, Backend, PASSWORD, TestApp, location};
use app::ssr::entities::{sso_identity, sso_link_request, sso_login, user};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;

both_databases!(
    a_provider_account_makes_an_account_and_signs_it_in_again,
    a_tampered_or_foreign_state_is_refused,
    a_replayed_callback_or_code_is_refused,
    tokens_a_provider_should_not_have_issued_are_refused,
    an_existing_address_is_connected_only_with_its_password,
    a_signed_in_person_connects_and_disconnects_a_provider,
    cancelling_at_the_provider_and_closed_accounts_are_explained,
);

/// The browser at the provider's side: its cookies, no redirect followed on its own.
struct Browser {
    http: reqwest::Client,
    cookies: HashMap<String, String>,
}

impl Browser {
    fn new() -> Self {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends, keeps the cookies, and answers (status, where it redirects, body).
    async fn send(&mut self, request: reqwest::RequestBuilder) -> (u16, Option<String>, String) {
        let response = request
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        for value in response.headers().get_all("set-cookie") {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status().as_u16();
        let base = response.url().clone();
        let next = response
            .headers()
            .get("location")
            .map(|l| base.join(l.to_str().unwrap()).unwrap().to_string());
        (status, next, response.text().await.unwrap())
    }

    /// Signs in on the provider's page from its authorization address, and answers the
    /// address it sends the browser back to (Aula's callback).
    async fn sign_in(&mut self, authorize: &str, email: &str, names: (&str, &str)) -> String {
        let (status, interaction, _) = self.send(self.http.get(authorize)).await;
        assert_eq!(status, 303, "the provider asks who it is");
        let interaction = interaction.unwrap();
        let (status, _, page) = self.send(self.http.get(&interaction)).await;
        assert_eq!(status, 200);
        assert!(page.contains("Accedi a Test ID"), "{page}");
        let form = [
            ("email", email),
            ("password", "la password del provider"),
            ("given_name", names.0),
            ("family_name", names.1),
        ];
        let (status, resume, _) = self
            .send(self.http.post(format!("{interaction}/login")).form(&form))
            .await;
        assert_eq!(status, 303);
        let (status, back, body) = self.send(self.http.get(resume.unwrap())).await;
        assert_eq!(status, 303, "{body}");
        back.unwrap()
    }

    /// Cancels on the provider's page instead.
    async fn cancel(&mut self, authorize: &str) -> String {
        let (_, interaction, _) = self.send(self.http.get(authorize)).await;
        let (status, resume, _) = self
            .send(self.http.get(format!("{}/abort", interaction.unwrap())))
            .await;
        assert_eq!(status, 303);
        let (_, back, _) = self.send(self.http.get(resume.unwrap())).await;
        back.unwrap()
    }
}

/// Aula's answer to "Accedi con Test ID": where it sends the browser, and the cookie that ties
/// the sign-in to this browser.
struct Departure {
    authorize: String,
    state_cookie: String,
}

async fn depart(app: &TestApp, sso: &Router, query: &str, session: Option<&str>) -> Departure {
    let response = app
        .send_to(
            sso,
            request(&format!("/sso/test/start{query}"), session, None),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let authorize = location(&response);
    assert!(
        authorize.starts_with(&crate::helpers::oidc_issuer()),
        "{authorize}"
    );
    for must in [
        "code_challenge_method=S256",
        "code_challenge=",
        "nonce=",
        "state=",
        "scope=openid",
    ] {
        assert!(authorize.contains(must), "{must} in {authorize}");
    }
    Departure {
        authorize,
        state_cookie: cookie_named(&response, "aula_sso").expect("state cookie"),
    }
}

fn request(path: &str, session: Option<&str>, state_cookie: Option<&str>) -> Request<Body> {
    let mut cookies = Vec::new();
    if let Some(session) = session {
        cookies.push(format!("aula_session={session}"));
    }
    if let Some(state) = state_cookie {
        cookies.push(format!("aula_sso={state}"));
    }
    let mut request = Request::get(path)
        .header(header::HOST, "aula.test")
        .header(header::ACCEPT, "text/html")
        .header("x-forwarded-for", "203.0.113.9");
    if !cookies.is_empty() {
        request = request.header(header::COOKIE, cookies.join("; "));
    }
    request.body(Body::empty()).unwrap()
}

fn cookie_named(response: &crate::helpers::Response, name: &str) -> Option<String> {
    response
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.strip_prefix(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or_default().to_owned())
        .find(|v| !v.is_empty())
}

/// The callback address as Aula's router sees it (the path and query of `BASE_URL/...`).
fn path_of(callback: &str) -> String {
    callback
        .strip_prefix(BASE_URL)
        .unwrap_or_else(|| panic!("the provider sent the browser elsewhere: {callback}"))
        .to_owned()
}

async fn come_back(
    app: &TestApp,
    sso: &Router,
    callback: &str,
    state_cookie: Option<&str>,
    session: Option<&str>,
) -> crate::helpers::Response {
    let response = app
        .send_to(sso, request(&path_of(callback), session, state_cookie))
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    response
}

/// The whole round trip for `email`: Aula → provider → Aula.
async fn round_trip(
    app: &TestApp,
    sso: &Router,
    query: &str,
    email: &str,
    session: Option<&str>,
) -> crate::helpers::Response {
    let departure = depart(app, sso, query, session).await;
    let callback = Browser::new()
        .sign_in(&departure.authorize, email, ("Anna", "Bianchi"))
        .await;
    come_back(app, sso, &callback, Some(&departure.state_cookie), session).await
}

async fn users_with(app: &TestApp, email: &str) -> Vec<user::Model> {
    user::Entity::find()
        .filter(user::Column::Email.eq(email))
        .all(&app.state.db)
        .await
        .unwrap()
}

/// How many provider accounts are connected, to anyone.
async fn connections(app: &TestApp) -> u64 {
    sso_identity::Entity::find()
        .count(&app.state.db)
        .await
        .unwrap()
}

fn assert_refused(response: &crate::helpers::Response, problem: &str) {
    let to = location(response);
    assert!(
        to.starts_with(&format!("/login?sso_problem={problem}")),
        "expected {problem}, went to {to}"
    );
    assert_eq!(response.session_cookie(), None, "nobody signed in");
}

async fn a_provider_account_makes_an_account_and_signs_it_in_again(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sso = app.with_sso();
    let departure = depart(&app, &sso, "?next=%2Feditions%2F7", None).await;
    // Only the state's hash is kept; the browser holds the state itself.
    let pending = sso_login::Entity::find().all(&app.state.db).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(
        pending[0].state_hash,
        app::ssr::auth::hash_token(&departure.state_cookie)
    );
    assert!(departure.authorize.contains(&departure.state_cookie));

    let callback = Browser::new()
        .sign_in(
            &departure.authorize,
            "anna.bianchi@scuola.it",
            ("Anna", "Bianchi"),
        )
        .await;
    let back = come_back(&app, &sso, &callback, Some(&departure.state_cookie), None).await;
    assert_eq!(
        location(&back),
        "/editions/7",
        "lands where the person was going"
    );
    let session = back.session_cookie().expect("signed in");
    let created = users_with(&app, "anna.bianchi@scuola.it").await;
    assert_eq!(created.len(), 1);
    let anna = &created[0];
    assert_eq!(
        (anna.given_name.as_str(), anna.family_name.as_str()),
        ("Anna", "Bianchi")
    );
    assert!(
        anna.password_hash.is_none(),
        "signs in through the provider only"
    );
    assert!(
        anna.email_verified_at.is_some(),
        "the provider vouched for the address"
    );
    let identities = sso_identity::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].user_id, anna.id);
    assert_eq!(identities[0].issuer, crate::helpers::oidc_issuer());
    assert_eq!(
        sso_login::Entity::find()
            .count(&app.state.db)
            .await
            .unwrap(),
        0
    );
    let methods = app
        .invoke(
            app::features::sso::api::LoadSignInMethods {},
            Some(&session),
        )
        .await
        .unwrap();
    assert!(!methods.has_password);
    assert_eq!(methods.connections.len(), 1);
    assert!(
        !methods.connections[0].may_disconnect,
        "the only way in stays"
    );

    // Again, with another browser: the same account, no other.
    let again = round_trip(&app, &sso, "", "anna.bianchi@scuola.it", None).await;
    assert_eq!(location(&again), "/");
    assert!(again.session_cookie().is_some());
    assert_eq!(users_with(&app, "anna.bianchi@scuola.it").await.len(), 1);

    // Only Aula's own paths: another site as `next` lands on the home page.
    let away = round_trip(
        &app,
        &sso,
        "?next=https%3A%2F%2Fevil.example%2F",
        "anna.bianchi@scuola.it",
        None,
    )
    .await;
    assert_eq!(location(&away), "/");

    // A provider that does not vouch for the address: the account waits for confirmation;
    // one that gives no names sends the person to complete the profile.
    let departure = depart(&app, &sso, "", None).await;
    let callback = Browser::new()
        .sign_in(&departure.authorize, "unverified@scuola.it", ("", ""))
        .await;
    let back = come_back(&app, &sso, &callback, Some(&departure.state_cookie), None).await;
    assert_eq!(location(&back), "/account?complete=1");
    let unverified = &users_with(&app, "unverified@scuola.it").await[0];
    assert!(unverified.email_verified_at.is_none());
}

async fn a_tampered_or_foreign_state_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sso = app.with_sso();
    let departure = depart(&app, &sso, "", None).await;
    let callback = Browser::new()
        .sign_in(&departure.authorize, "mario@scuola.it", ("Mario", "Verdi"))
        .await;
    let state = departure.state_cookie.clone();
    let mut tampered_state = state.clone();
    tampered_state.replace_range(0..2, if &state[0..2] == "00" { "11" } else { "00" });

    // The state in the address changed (the cookie is the real one).
    let tampered = callback.replace(&state, &tampered_state);
    let answer = come_back(&app, &sso, &tampered, Some(&state), None).await;
    assert_refused(&answer, "state");
    // Both changed alike: no such sign-in was started.
    let answer = come_back(&app, &sso, &tampered, Some(&tampered_state), None).await;
    assert_refused(&answer, "state");
    // The right state, but in another browser (no cookie): login CSRF refused.
    let answer = come_back(&app, &sso, &callback, None, None).await;
    assert_refused(&answer, "state");
    assert!(users_with(&app, "mario@scuola.it").await.is_empty());
    assert_eq!(connections(&app).await, 0);
    // The refusals changed nothing: the genuine answer, in the browser that started it, signs
    // in (once).
    let answer = come_back(&app, &sso, &callback, Some(&state), None).await;
    assert!(answer.session_cookie().is_some(), "{}", location(&answer));
    assert_eq!(users_with(&app, "mario@scuola.it").await.len(), 1);

    // A sign-in that took longer than ten minutes.
    let departure = depart(&app, &sso, "", None).await;
    let callback = Browser::new()
        .sign_in(
            &departure.authorize,
            "giulia@scuola.it",
            ("Giulia", "Verdi"),
        )
        .await;
    use sea_orm::sea_query::Expr;
    sso_login::Entity::update_many()
        .col_expr(
            sso_login::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::TimeDelta::seconds(1)),
        )
        .exec(&app.state.db)
        .await
        .unwrap();
    let answer = come_back(&app, &sso, &callback, Some(&departure.state_cookie), None).await;
    assert_refused(&answer, "state");
    assert!(users_with(&app, "giulia@scuola.it").await.is_empty());
}

async fn a_replayed_callback_or_code_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sso = app.with_sso();
    let departure = depart(&app, &sso, "", None).await;
    let callback = Browser::new()
        .sign_in(&departure.authorize, "luca@scuola.it", ("Luca", "Neri"))
        .await;
    let first = come_back(&app, &sso, &callback, Some(&departure.state_cookie), None).await;
    assert!(first.session_cookie().is_some());
    // The same answer again (a copied address, the back button): the sign-in was used.
    let replayed = come_back(&app, &sso, &callback, Some(&departure.state_cookie), None).await;
    assert_refused(&replayed, "state");

    // The old code with a fresh sign-in of the attacker's own: the provider refuses it (used
    // already, and issued for another PKCE challenge).
    let fresh = depart(&app, &sso, "", None).await;
    let code = callback
        .split(['?', '&'])
        .find_map(|p| p.strip_prefix("code="))
        .unwrap();
    let fresh_state = &fresh.state_cookie;
    let forged = format!("{BASE_URL}/sso/test/callback?code={code}&state={fresh_state}");
    let answer = come_back(&app, &sso, &forged, Some(fresh_state), None).await;
    assert_refused(&answer, "code");

    // An answer that says another issuer sent it (a mix-up): refused before the code is used.
    let departure = depart(&app, &sso, "", None).await;
    let callback = Browser::new()
        .sign_in(&departure.authorize, "luca@scuola.it", ("Luca", "Neri"))
        .await;
    assert!(
        callback.contains("&iss="),
        "the provider names itself: {callback}"
    );
    let mixed_up = format!(
        "{}&iss=https%3A%2F%2Fanother.example",
        callback.split("&iss=").next().unwrap()
    );
    let answer = come_back(&app, &sso, &mixed_up, Some(&departure.state_cookie), None).await;
    assert_refused(&answer, "issuer");
    assert_eq!(users_with(&app, "luca@scuola.it").await.len(), 1);
}

async fn tokens_a_provider_should_not_have_issued_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sso = app.with_sso();
    // The test provider re-signs these addresses' ID tokens with a changed claim (see
    // end2end/oidc/provider.mjs).
    for (email, problem) in [
        ("wrong-audience@scuola.it", "audience"),
        ("expired@scuola.it", "expired"),
        ("wrong-issuer@scuola.it", "issuer"),
        ("forged@scuola.it", "signature"),
        ("no-email@scuola.it", "no_email"),
    ] {
        let answer = round_trip(&app, &sso, "", email, None).await;
        assert_refused(&answer, problem);
        assert!(users_with(&app, email).await.is_empty(), "{email}");
    }
    assert_eq!(connections(&app).await, 0);
    // The sign-in page explains each, in the person's language.
    let page = app.get("/login?sso_problem=audience", None).await;
    assert!(page.body.contains("Accesso non riuscito."), "{}", page.body);
    assert!(page.body.contains("altra applicazione"), "{}", page.body);
}

async fn an_existing_address_is_connected_only_with_its_password(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sso = app.with_sso();
    let (anna, _) = app.user("anna@scuola.it", false, false).await;
    let departure = depart(&app, &sso, "?next=%2Feditions", None).await;
    let callback = Browser::new()
        .sign_in(&departure.authorize, "anna@scuola.it", ("Anna", "Bianchi"))
        .await;
    let back = come_back(&app, &sso, &callback, Some(&departure.state_cookie), None).await;
    assert_eq!(location(&back), "/sso/link");
    assert_eq!(
        back.session_cookie(),
        None,
        "not signed in on the provider's word"
    );
    let link = cookie_named(&back, "aula_sso_link").expect("link cookie");
    let stored = sso_link_request::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert!(
        !format!("{stored:?}").contains(&link),
        "only the hash is kept"
    );

    let with_link = |endpoint: &str, form: &[(&str, &str)]| {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", crate::helpers::urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        Request::post(format!("/api/{endpoint}"))
            .header(header::HOST, "aula.test")
            .header(header::ORIGIN, BASE_URL)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("aula_sso_link={link}"))
            .header("x-forwarded-for", "203.0.113.9")
            .body(Body::from(body))
            .unwrap()
    };
    let shown = app.send_to(&sso, with_link("load_sso_link", &[])).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert_eq!(shown.json()["email"], "anna@scuola.it");
    assert_eq!(shown.json()["provider_name"], "Test ID");

    let wrong = app
        .send_to(
            &sso,
            with_link("confirm_sso_link", &[("password", "non è la sua password")]),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);
    assert_eq!(connections(&app).await, 0);
    let right = app
        .send_to(
            &sso,
            with_link("confirm_sso_link", &[("password", PASSWORD)]),
        )
        .await;
    assert!(
        right.status.is_success() || right.status.is_redirection(),
        "{}",
        right.body
    );
    assert!(right.session_cookie().is_some(), "signed in");
    let identities = sso_identity::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].user_id, anna);
    // Used once.
    let again = app
        .send_to(
            &sso,
            with_link("confirm_sso_link", &[("password", PASSWORD)]),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // From now on the provider signs Anna in directly, into the same account.
    let direct = round_trip(&app, &sso, "", "anna@scuola.it", None).await;
    assert!(direct.session_cookie().is_some());
    assert_eq!(users_with(&app, "anna@scuola.it").await.len(), 1);
}

async fn a_signed_in_person_connects_and_disconnects_a_provider(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sso = app.with_sso();
    let (marta, session) = app.user("marta@scuola.it", false, false).await;
    // Marta's provider account has another address: connecting goes by who is signed in.
    let back = round_trip(
        &app,
        &sso,
        "?connect=1",
        "marta.privata@example.org",
        Some(&session),
    )
    .await;
    assert_eq!(location(&back), "/account?sso=connected#sign-in-methods");
    let identities = sso_identity::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].user_id, marta);
    assert_eq!(identities[0].email, "marta.privata@example.org");
    assert!(
        users_with(&app, "marta.privata@example.org")
            .await
            .is_empty()
    );

    // Someone else cannot connect the same provider account.
    let (_, other) = app.user("altro@scuola.it", false, false).await;
    let taken = round_trip(
        &app,
        &sso,
        "?connect=1",
        "marta.privata@example.org",
        Some(&other),
    )
    .await;
    assert_eq!(
        location(&taken),
        "/account?sso_problem=taken#sign-in-methods"
    );

    let methods = app
        .invoke(
            app::features::sso::api::LoadSignInMethods {},
            Some(&session),
        )
        .await
        .unwrap();
    assert!(methods.has_password);
    let connection = &methods.connections[0];
    assert!(connection.may_disconnect, "the password remains");
    // Nobody disconnects another person's connection.
    let foreign = app
        .invoke(
            app::features::sso::api::DisconnectSso {
                connection: connection.id,
            },
            Some(&other),
        )
        .await;
    assert_eq!(foreign, Err(app::error::AppError::NotFound));
    app.invoke(
        app::features::sso::api::DisconnectSso {
            connection: connection.id,
        },
        Some(&session),
    )
    .await
    .unwrap();
    assert_eq!(connections(&app).await, 0);

    // An account without a password keeps its last provider.
    let created = round_trip(&app, &sso, "", "solo.provider@example.org", None).await;
    let only = created.session_cookie().unwrap();
    let methods = app
        .invoke(app::features::sso::api::LoadSignInMethods {}, Some(&only))
        .await
        .unwrap();
    let refused = app
        .invoke(
            app::features::sso::api::DisconnectSso {
                connection: methods.connections[0].id,
            },
            Some(&only),
        )
        .await;
    assert_eq!(
        refused,
        Err(app::error::AppError::Refused(
            app::error::Refusal::LastSignInMethod
        ))
    );
}

async fn cancelling_at_the_provider_and_closed_accounts_are_explained(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let sso = app.with_sso();
    let departure = depart(&app, &sso, "", None).await;
    let callback = Browser::new().cancel(&departure.authorize).await;
    assert!(callback.contains("error=access_denied"), "{callback}");
    let answer = come_back(&app, &sso, &callback, Some(&departure.state_cookie), None).await;
    assert_refused(&answer, "cancelled");

    // Staff closed the account: the provider no longer signs it in.
    let made = round_trip(&app, &sso, "", "chiuso@example.org", None).await;
    assert!(made.session_cookie().is_some());
    let closed = users_with(&app, "chiuso@example.org").await[0].clone();
    let mut active: user::ActiveModel = closed.into();
    active.account_state =
        sea_orm::ActiveValue::Set(app::domain::account::AccountState::Deactivated);
    sea_orm::ActiveModelTrait::update(active, &app.state.db)
        .await
        .unwrap();
    let answer = round_trip(&app, &sso, "", "chiuso@example.org", None).await;
    assert_refused(&answer, "closed");

    // A provider nobody configured.
    let unknown = app
        .send_to(&sso, request("/sso/altro/start", None, None))
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
