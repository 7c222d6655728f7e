//! The frame of every page: header with navigation, language and account; footer.

use crate::domain::account::RegistrationStatus;
use crate::features::accounts::api::SignedInUser;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Who is signed in, shared by every page.
#[derive(Clone)]
pub struct Session {
    pub user: Option<SignedInUser>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Provides the [`Session`], known before the page is built: pages are built on the server
/// (the router resolves who asks first, see `ssr::entry::CallerOfPage`), and signing in or out
/// loads a new page.
pub fn provide_session() {
    #[cfg(feature = "ssr")]
    let user = crate::ssr::entry::caller_of_page()
        .map(|caller| crate::features::accounts::service::signed_in_user(&caller));
    #[cfg(not(feature = "ssr"))]
    let user = None;
    provide_context(Session { user });
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip)}</a>
        <header class="site-header">
            <div class="bar">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"A"</span>
                    <span class="brand-name">"Aula"</span>
                    <span class="brand-tagline">{t!(i18n, brand.tagline)}</span>
                </a>
                <LanguageSwitch/>
            </div>
            <Navigation/>
        </header>
        <main id="main" tabindex="-1">
            <AccountNotice/>
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, brand.footer)} " · " <a href="/verify">{t!(i18n, nav.verify)}</a> " · " <a href="/privacy">{t!(i18n, nav.privacy)}</a></p>
        </footer>
    }
}

#[component]
fn Navigation() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let location = use_location();
    let current = move |prefix: &'static str| {
        let path = location.pathname.get();
        let active = if prefix == "/" {
            path == "/"
        } else {
            path.starts_with(prefix)
        };
        if active { Some("page") } else { None }
    };
    view! {
        <nav class="site-nav" aria-label=move || t_string!(i18n, nav.label)>
            <ul class="nav-links">
                <li><a href="/" aria-current=move || current("/")>{t!(i18n, nav.home)}</a></li>
                <li><a href="/editions" aria-current=move || current("/editions")>{t!(i18n, nav.editions)}</a></li>
                {session.user.as_ref().filter(|u| u.is_staff).map(|_| view! {
                    <li><a href="/staff" aria-current=move || current("/staff/courses").or(if location.pathname.get() == "/staff" { Some("page") } else { None })>{t!(i18n, nav.staff)}</a></li>
                    <li><a href="/staff/users" aria-current=move || current("/staff/users")>{t!(i18n, nav.users)}</a></li>
                    <li><a href="/staff/audit" aria-current=move || current("/staff/audit")>{t!(i18n, nav.audit)}</a></li>
                })}
            </ul>
            {match session.user {
                Some(user) => view! {
                    <div class="account">
                        <a class="who" href="/account" aria-current=move || current("/account")>{display_name(&user)}</a>
                        <form method="post" action="/api/log_out">
                            <button type="submit" class="button link">{t!(i18n, nav.log_out)}</button>
                        </form>
                    </div>
                }.into_any(),
                None => view! {
                    <div class="account">
                        <a href="/login" class="button secondary small">{t!(i18n, nav.log_in)}</a>
                        <a href="/signup" class="button primary small">{t!(i18n, nav.sign_up)}</a>
                    </div>
                }.into_any(),
            }}
        </nav>
    }
}

/// Above every page: "address confirmed" after the verification link, or, until then, a
/// reminder to confirm it (enrolling waits for it) with a way to get a new link; then, until
/// staff validate the registration, what happens next (or why it was rejected).
#[component]
fn AccountNotice() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let just_verified = crate::ui::params::page_query("verified").as_deref() == Some("1");
    match session.user {
        // Confirmed, but the registration still waits for staff: both said.
        Some(user) if just_verified && !user.is_staff && user.registration == RegistrationStatus::Pending => view! {
            <crate::ui::messages::SuccessNotice>{t!(i18n, account.verified_only)}</crate::ui::messages::SuccessNotice>
            <div class="notice info registration-notice" role="status">
                <p>{t!(i18n, account.registration_pending)}</p>
            </div>
        }.into_any(),
        Some(_) if just_verified => view! {
            <crate::ui::messages::SuccessNotice>{t!(i18n, account.verified)}</crate::ui::messages::SuccessNotice>
        }.into_any(),
        Some(user) if !user.email_verified => view! {
            <div class="notice warning verify-reminder" role="status">
                <p>{move || t_string!(i18n, account.unverified, email = user.email.clone()).to_string()}</p>
                <form method="post" action="/api/send_verification_again">
                    <button type="submit" class="button secondary small">{t!(i18n, account.send_again)}</button>
                </form>
            </div>
        }.into_any(),
        Some(user) if !user.is_staff && user.registration == RegistrationStatus::Pending => view! {
            <div class="notice info registration-notice" role="status">
                <p>{t!(i18n, account.registration_pending)}</p>
            </div>
        }.into_any(),
        Some(user) if !user.is_staff && user.registration == RegistrationStatus::Rejected => view! {
            <div class="notice warning registration-notice" role="status">
                <p>{t!(i18n, account.registration_rejected)}</p>
                {user.registration_reason.clone().map(|reason| view! {
                    <p><strong>{t!(i18n, account.registration_reason)}</strong> " " {reason}</p>
                })}
            </div>
        }.into_any(),
        _ => ().into_any(),
    }
}

/// A plain form, so switching language works without JavaScript and reloads every text.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{}", location.pathname.get(), search)
        }
    };
    let is = move |locale: Locale| {
        if i18n.get_locale() == locale {
            "true"
        } else {
            "false"
        }
    };
    view! {
        <form class="language" method="post" action="/api/set_language" aria-label=move || t_string!(i18n, nav.language)>
            <input type="hidden" name="back" value=back/>
            <button type="submit" name="locale" value="it" aria-pressed=move || is(Locale::it) lang="it">"Italiano"</button>
            <button type="submit" name="locale" value="en" aria-pressed=move || is(Locale::en) lang="en">"English"</button>
        </form>
    }
}

/// The top of a staff page for one of an edition's tools (activities, groups, completion,
/// certificates): the window title, the way back to the edition, the heading and its lead.
#[component]
pub fn EditionToolHeader(
    edition_id: i32,
    edition_title: String,
    heading: String,
    lead: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <leptos_meta::Title text=format!("{heading} · {edition_title}")/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff">{t!(i18n, staff.title)}</a>
            " / "
            <a href=format!("/staff/editions/{edition_id}")>{edition_title.clone()}</a>
        </nav>
        <header class="page-header">
            <h1>{heading}</h1>
            <p class="lead">{lead}</p>
        </header>
    }
}

/// The name in the header: the person's name, or their address while the profile has none
/// (an account made through single sign-on whose provider gave no names).
fn display_name(user: &SignedInUser) -> String {
    let name = format!("{} {}", user.given_name, user.family_name);
    if name.trim().is_empty() {
        user.email.clone()
    } else {
        name.trim().to_owned()
    }
}
