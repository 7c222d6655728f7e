//! The document shell and the route table.

use crate::features::accounts::pages::{LoginPage, SignupPage};
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
use crate::features::quizzes::pages::QuizAdminPage;
use crate::features::submissions::pages::SubmissionPage;
use crate::features::users::pages::UsersPage;
use crate::i18n::*;
use crate::ui::language::chosen_locale;
use crate::ui::layout::{Layout, provide_session};
use crate::ui::messages::PageError;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{FlatRoutes, Route, Router};
use leptos_router::{Lazy, LazyRoute, SsrMode, path};

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
                <HydrationScripts options/>
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
        <I18nSubContextProvider initial_locale=Signal::stored(locale)>
            <Html attr:lang=locale.as_str() attr:dir="ltr"/>
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
    // In the browser the server's title is kept until the page's own part of the bundle has
    // arrived and its <Title> takes over: without a text of its own, the formatter alone
    // blanked the window title in between.
    #[cfg(feature = "hydrate")]
    {
        let shown = document().title();
        let text = match shown.strip_suffix(" · Aula") {
            Some(page) => page.to_owned(),
            None if shown == "Aula" => String::new(),
            None => shown,
        };
        view! { <Title text formatter/> }
    }
    #[cfg(not(feature = "hydrate"))]
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
                <Route path=path!("/") view={Lazy::<HomeRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/signup") view={Lazy::<SignupRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/editions") view={Lazy::<CatalogueRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/editions/:id") view={Lazy::<EditionRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff") view={Lazy::<StaffHomeRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/courses/:id") view={Lazy::<CourseRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id") view={Lazy::<EditionAdminRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/users") view={Lazy::<UsersRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id/groups") view={Lazy::<GroupsAdminRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/groups/:id") view={Lazy::<GroupSpaceRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id/activities") view={Lazy::<ActivitiesAdminRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/activities/:id") view={Lazy::<ActivityRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/activities/:id/attendance") view={Lazy::<AttendanceRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/attendance-imports/:id") view={Lazy::<ImportPreviewRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/groups/:id/threads/:thread") view={Lazy::<ThreadRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/editions/:id/cockpit") view={Lazy::<CockpitRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/submissions/:id") view={Lazy::<SubmissionRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/activities/:id/quiz") view={Lazy::<QuizAdminRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id/completion") view={Lazy::<CompletionRuleRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/editions/:id/certificates") view={Lazy::<CertificatesRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/staff/audit") view={Lazy::<AuditLogRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/verify") view={Lazy::<VerifyRoute>::new()} ssr=SsrMode::Async/>
                <Route path=path!("/verify/:id") view={Lazy::<VerifyRoute>::new()} ssr=SsrMode::Async/>
            </FlatRoutes>
        </Layout>
    }
}

/// Pages are lazily loaded parts of the browser bundle (`cargo leptos build --split`), in five
/// groups: a first visit downloads the frame and its page's group, not the code of every page.
/// Groups rather than one part per page: every part would otherwise come with the many small
/// shared parts it needs, each a request of its own (over 200 for the edition page).
macro_rules! page_group {
    ($(#[$doc:meta])* $group:ident, $kind:ident { $($route:ident => $page:ident,)* }) => {
        // The variants are the routes, named as such.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $kind {
            $($route,)*
        }

        $(#[$doc])*
        #[lazy]
        fn $group(page: $kind) -> AnyView {
            match page {
                $($kind::$route => view! { <$page/> }.into_any(),)*
            }
        }

        $(
            struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    $group($kind::$route).await
                }
            }
        )*
    };
}

page_group! {
    /// The way in: home, sign-in and sign-up, the catalogue, certificate checks.
    visitor_pages, VisitorPage {
        HomeRoute => HomePage,
        LoginRoute => LoginPage,
        SignupRoute => SignupPage,
        CatalogueRoute => CataloguePage,
        VerifyRoute => VerifyPage,
    }
}

page_group! {
    /// An edition's page on its own: what participants open most, often first on a phone.
    edition_page, EditionPage {
        EditionRoute => EditionPageView,
    }
}

page_group! {
    /// What participants and ambassadors work in: activities, hand-ins, groups.
    participant_pages, ParticipantPage {
        ActivityRoute => ActivityPageView,
        SubmissionRoute => SubmissionPage,
        GroupSpaceRoute => GroupSpacePage,
        ThreadRoute => ThreadPage,
    }
}

page_group! {
    /// The tools that run an edition: settings, activities, quizzes, groups, attendance,
    /// completion, certificates, the cockpit.
    edition_tools, EditionTool {
        EditionAdminRoute => EditionAdminPage,
        ActivitiesAdminRoute => ActivitiesAdminPage,
        QuizAdminRoute => QuizAdminPage,
        GroupsAdminRoute => GroupsAdminPage,
        AttendanceRoute => AttendancePage,
        ImportPreviewRoute => ImportPreviewPage,
        CompletionRuleRoute => CompletionRulePage,
        CertificatesRoute => CertificatesPage,
        CockpitRoute => CockpitPage,
    }
}

page_group! {
    /// The staff desk: courses, people, the audit log.
    staff_desk, StaffDeskPage {
        StaffHomeRoute => StaffHomePage,
        CourseRoute => CoursePage,
        UsersRoute => UsersPage,
        AuditLogRoute => AuditLogPage,
    }
}
