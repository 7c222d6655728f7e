use super::api::{Home, load_home};
use crate::features::editions::api::MyEdition;
use crate::features::editions::pages::{EditionCard, OpenEditionCards};
use crate::features::groups::api::MyGroup;
use crate::i18n::*;
use crate::ui::layout::use_session;
use crate::ui::messages::{EmptyState, ErrorNotice, Loading};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let staff = session.user.as_ref().is_some_and(|user| user.is_staff);
    // The whole page from one load: a section each would each load and render on its own.
    let data = Resource::new(|| (), |_| load_home());
    view! {
        <Title text=t_string!(i18n, home.title).to_string()/>
        {match session.user {
            Some(user) => view! {
                <section class="page-header">
                    <h1>{move || t_string!(i18n, home.greeting, name = user.given_name.clone()).to_string()}</h1>
                    <p class="lead">{t!(i18n, home.lead_signed_in)}</p>
                </section>
                {user.is_staff.then(|| view! { <StaffDesk/> })}
            }.into_any(),
            None => view! {
                <section class="hero">
                    <h1>{t!(i18n, home.hero_title)}</h1>
                    <p class="lead">{t!(i18n, home.hero_lead)}</p>
                    <p class="actions">
                        <a class="button primary" href="/signup">{t!(i18n, nav.sign_up)}</a>
                        <a class="button secondary" href="/login">{t!(i18n, nav.log_in)}</a>
                    </p>
                </section>
            }.into_any(),
        }}
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Home { mine, open }) => view! {
                        {mine.map(|mine| view! {
                            <MyGroups list=mine.groups/>
                            <MyEditions list=mine.editions staff/>
                        })}
                        <section class="open-editions">
                            <h2>{t!(i18n, home.open_editions)}</h2>
                            <OpenEditionCards list=open/>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error=Some(error)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MyEditions(
    list: Vec<MyEdition>,
    /// Staff who take part in no edition are not invited to enrol: their desk leads the page.
    staff: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() && staff {
        return ().into_any();
    }
    view! {
        <section class="my-editions" aria-labelledby="my-editions-heading">
            <h2 id="my-editions-heading">{t!(i18n, home.my_editions)}</h2>
            {if list.is_empty() {
                view! {
                    <EmptyState>
                        <p>{t!(i18n, home.no_editions)}</p>
                        <a class="button primary" href="/editions">{t!(i18n, home.browse)}</a>
                    </EmptyState>
                }.into_any()
            } else {
                view! { <MyEditionCards list/> }.into_any()
            }}
        </section>
    }
    .into_any()
}

/// The caller's editions, after any work of theirs that came back for revision.
#[component]
fn MyEditionCards(list: Vec<MyEdition>) -> impl IntoView {
    view! {
        <SentBack items=list.iter().flat_map(|e| e.sent_back.clone()).collect()/>
        <div class="card-grid">
            {list.into_iter().map(|item| view! { <EditionCard edition=item.summary mine=item.mine/> }).collect_view()}
        </div>
    }
}

/// Staff's way into their tools, first on their home page.
#[component]
fn StaffDesk() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card staff-desk" aria-labelledby="staff-desk-heading">
            <h2 id="staff-desk-heading">{t!(i18n, home.staff_desk)}</h2>
            <p class="hint">{t!(i18n, home.staff_desk_lead)}</p>
            <p class="actions">
                <a class="button primary" href="/staff">{t!(i18n, home.desk_courses)}</a>
                <a class="button secondary" href="/staff/registrations">{t!(i18n, home.desk_registrations)}</a>
                <a class="button secondary" href="/staff/users">{t!(i18n, home.desk_users)}</a>
                <a class="button secondary" href="/staff/audit">{t!(i18n, home.desk_audit)}</a>
                <a class="button secondary" href="/staff/mail">{t!(i18n, home.desk_mail)}</a>
                <a class="button secondary" href="/staff/name-corrections">{t!(i18n, home.desk_corrections)}</a>
                <a class="button secondary" href="/staff/registry">{t!(i18n, home.desk_registry)}</a>
                <a class="button secondary" href="/staff/jobs">{t!(i18n, home.desk_jobs)}</a>
            </p>
        </section>
    }
}

/// Work that came back for revision: the first thing a participant should see.
#[component]
fn SentBack(items: Vec<(i32, String)>) -> impl IntoView {
    let i18n = use_i18n();
    (!items.is_empty()).then(|| {
        view! {
            <div class="notice warning sent-back" role="status">
                <p><strong>{t!(i18n, home.sent_back)}</strong></p>
                <ul>
                    {items.into_iter().map(|(id, title)| view! {
                        <li><a href=format!("/activities/{id}#submission")>{title}</a></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}

/// The groups the user is an ambassador of or belongs to (shown only when there are some).
#[component]
fn MyGroups(list: Vec<MyGroup>) -> impl IntoView {
    let i18n = use_i18n();
    (!list.is_empty()).then(|| view! {
        <section class="my-groups" aria-labelledby="my-groups-heading">
            <h2 id="my-groups-heading">{t!(i18n, groups.my_groups)}</h2>
            <ul class="threads">
                {list.into_iter().map(|g| view! {
                    <li>
                        <a href=format!("/groups/{}", g.id)>{g.name}</a>
                        <span class="aside">
                            {g.edition_title} " · "
                            {move || if g.as_ambassador { t_string!(i18n, groups.as_ambassador) } else { t_string!(i18n, groups.as_member) }}
                        </span>
                        {g.as_ambassador.then(|| view! {
                            <a class="button link small" href=format!("/editions/{}/cockpit", g.edition_id)>{t!(i18n, cockpit.open)}</a>
                        })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}
