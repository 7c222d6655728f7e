//! The document shell and the route table.

use crate::features::accounts::pages::{
    CheckMailPage, ForgotPasswordPage, LoginPage, ResetPasswordPage, SignupPage, VerifyEmailPage,
};
use crate::features::activities::pages::ActivityPageView;
use crate::features::activities::staff_pages::ActivitiesAdminPage;
use crate::features::attendance::pages::{AttendancePage, ImportPreviewPage};
use crate::features::audit::pages::AuditLogPage;
use crate::features::certificates::pages::{CertificatesPage, VerifyPage};
use crate::features::cockpit::pages::CockpitPage;
use crate::features::completion::pages::CompletionRulePage;
use crate::features::courses::pages::{CoursePage, StaffHomePage};
use crate::features::editions::pages::{CataloguePage, EditionPageView};
use crate::features::editions::staff_pages::EditionAdminPage;
use crate::features::groups::pages::{GroupSpacePage, GroupsAdminPage, ThreadPage};
use crate::features::home::pages::HomePage;
use crate::features::jobs::pages::JobsPage;
use crate::features::lifecycle::pages::PrivacyPage;
use crate::features::mail::pages::OutboxPageView;
use crate::features::profile::pages::{ChangeEmailPage, ProfilePage};
use crate::features::quizzes::pages::QuizAdminPage;
use crate::features::registrations::pages::RegistrationsPage;
use crate::features::registry::pages::{RegistryImportPage, RegistryPage};
use crate::features::sso::pages::SsoLinkPage;
use crate::features::submissions::pages::SubmissionPage;
use crate::features::users::corrections_page::CorrectionsPage;
use crate::features::users::pages::UsersPage;
use crate::features::users::person_page::PersonPage;
use crate::i18n::*;
use crate::ui::language::chosen_locale;
use crate::ui::layout::{Layout, provide_session};
use crate::ui::messages::PageError;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{SsrMode, path};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::headers::for_page();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                // The stylesheet first: the browser bundle's preload must not hold it up. Its
                // name carries a hash of its content (release builds), so it is cached for good.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <MetaTags/>
                <HydrationScripts options islands=true/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The server's choice of language holds for the whole page (see `ui::language`): the
    // library's own detection and cookie are switched off.
    let locale = chosen_locale();
    view! {
        <I18nContextProvider enable_cookie=false set_lang_attr_on_html=false set_dir_attr_on_html=false>
        <I18nSubContextProvider initial_locale=locale>
            // "false" until the islands of the page have hydrated (see `hydrate`).
            <Html attr:lang=locale.as_str() attr:dir="ltr" attr:data-hydrated="false"/>
            // Every page's <Title> text is a plain string, never a closure: leptos_meta reads
            // titles after the page has rendered, outside the page's reactive arena, and a
            // closure reading a signal there panicked now and then under concurrent requests.
            {root_title()}
            <Router>
                <Routed/>
            </Router>
        </I18nSubContextProvider>
        </I18nContextProvider>
    }
}

/// The window title: "<page> · Aula", each page giving its part with a `<Title>`.
fn root_title() -> impl IntoView {
    let formatter = |title: String| {
        if title.is_empty() {
            "Aula".to_owned()
        } else {
            format!("{title} · Aula")
        }
    };
    view! { <Title formatter/> }
}

/// Pages render completely on the server before they are sent (`SsrMode::Async`): titles and
/// HTTP statuses are right, and the page is whole without JavaScript.
/// Everything that needs the router: the session (its actions read errors from the URL),
/// the layout and the pages.
#[component]
fn Routed() -> impl IntoView {
    provide_session();
    view! {
        <Layout>
            <FlatRoutes fallback=|| view! { <PageError error=crate::error::AppError::NotFound/> }>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async/>
                <Route path=path!("/signup") view=SignupPage ssr=SsrMode::Async/>
                <Route path=path!("/check-mail") view=CheckMailPage ssr=SsrMode::Async/>
                <Route path=path!("/verify-email/:token") view=VerifyEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/password/forgot") view=ForgotPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/password/reset/:token") view=ResetPasswordPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=ProfilePage ssr=SsrMode::Async/>
                <Route path=path!("/sso/link") view=SsoLinkPage ssr=SsrMode::Async/>
                <Route path=path!("/change-email/:token") view=ChangeEmailPage ssr=SsrMode::Async/>
                <Route path=path!("/editions") view=CataloguePage ssr=SsrMode::Async/>
                <Route path=path!("/editions/:id") view=EditionPageView ssr=SsrMode::Async/>
                <Route path=path!("/staff") view=StaffHomePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/courses/:id") view=CoursePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id") view=EditionAdminPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/users") view=UsersPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/users/:id") view=PersonPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/name-corrections") view=CorrectionsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id/groups") view=GroupsAdminPage ssr=SsrMode::Async/>
                <Route path=path!("/groups/:id") view=GroupSpacePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id/activities") view=ActivitiesAdminPage ssr=SsrMode::Async/>
                <Route path=path!("/activities/:id") view=ActivityPageView ssr=SsrMode::Async/>
                <Route path=path!("/activities/:id/attendance") view=AttendancePage ssr=SsrMode::Async/>
                <Route path=path!("/attendance-imports/:id") view=ImportPreviewPage ssr=SsrMode::Async/>
                <Route path=path!("/groups/:id/threads/:thread") view=ThreadPage ssr=SsrMode::Async/>
                <Route path=path!("/editions/:id/cockpit") view=CockpitPage ssr=SsrMode::Async/>
                <Route path=path!("/submissions/:id") view=SubmissionPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/activities/:id/quiz") view=QuizAdminPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id/completion") view=CompletionRulePage ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id/certificates") view=CertificatesPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/audit") view=AuditLogPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/mail") view=OutboxPageView ssr=SsrMode::Async/>
                <Route path=path!("/staff/jobs") view=JobsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/registrations") view=RegistrationsPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/registry") view=RegistryPage ssr=SsrMode::Async/>
                <Route path=path!("/staff/registry/:id") view=RegistryImportPage ssr=SsrMode::Async/>
                <Route path=path!("/verify") view=VerifyPage ssr=SsrMode::Async/>
                <Route path=path!("/privacy") view=PrivacyPage ssr=SsrMode::Async/>
                <Route path=path!("/verify/:id") view=VerifyPage ssr=SsrMode::Async/>
            </FlatRoutes>
        </Layout>
    }
}
