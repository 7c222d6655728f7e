//! What participants see: the catalogue of open editions and an edition's page.

use super::api::{EditionInfo, EditionSummary, edition_page, open_editions};
use crate::domain::editions::EditionStatus;
use crate::error::AppError;
use crate::features::activities::pages::MyActivitiesView;
use crate::features::certificates::pages::MyCertificateView;
use crate::features::completion::pages::MyProgressView;
use crate::features::enrolment::api::{Enrol, MyEnrolment, Withdraw};
use crate::features::enrolment::pages::EnrolmentPanel;
use crate::i18n::*;
use crate::ui::badges::{EnrolmentBadge, StatusBadge};
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError};
use crate::ui::params::{found, id_param};
use crate::ui::text;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn EditionCard(
    edition: EditionSummary,
    #[prop(optional)] mine: Option<MyEnrolment>,
    /// Listed right under the page's title (the catalogue): its title is a second-level
    /// heading, not a third, so headings never skip a level.
    #[prop(optional)]
    under_title: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/editions/{}", edition.id);
    let dates = edition.dates;
    let places_left = edition.places_left();
    let status = edition.status;
    view! {
        <article class="edition-card">
            <p class="eyebrow">{edition.course_title.clone()}</p>
            {if under_title {
                view! { <h2><a href=href>{edition.title.clone()}</a></h2> }.into_any()
            } else {
                view! { <h3><a href=href>{edition.title.clone()}</a></h3> }.into_any()
            }}
            <p class="dates">{move || text::date_range(i18n, dates.starts_on, dates.ends_on)}</p>
            <div class="card-footer">
                {match mine {
                    Some(mine) => view! { <EnrolmentBadge mine/> }.into_any(),
                    None if status == EditionStatus::Open => view! {
                        <span class="places">
                            {move || if places_left > 0 {
                                t_string!(i18n, editions.places_left, count = places_left).to_string()
                            } else {
                                t_string!(i18n, editions.full).to_string()
                            }}
                        </span>
                    }.into_any(),
                    None => view! { <StatusBadge status/> }.into_any(),
                }}
            </div>
        </article>
    }
}

#[component]
pub fn OpenEditionsList(#[prop(optional)] under_title: bool) -> impl IntoView {
    let editions = Resource::new(|| (), |_| open_editions());
    view! {
        <Suspense fallback=Loading>
            {move || Suspend::new(async move {
                match editions.await {
                    Ok(list) => view! { <OpenEditionCards list under_title/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error=Some(error)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The editions open for enrolment, as cards (or a word that there are none).
#[component]
pub fn OpenEditionCards(
    list: Vec<EditionSummary>,
    #[prop(optional)] under_title: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        view! { <EmptyState><p>{t!(i18n, editions.none_open)}</p></EmptyState> }.into_any()
    } else {
        view! {
            <div class="card-grid">
                {list.into_iter().map(|edition| view! { <EditionCard edition under_title/> }).collect_view()}
            </div>
        }
        .into_any()
    }
}

#[component]
pub fn CataloguePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, editions.catalogue_title).to_string()/>
        <section>
            <h1>{t!(i18n, editions.catalogue_title)}</h1>
            <p class="lead">{t!(i18n, editions.catalogue_lead)}</p>
            <OpenEditionsList under_title=true/>
        </section>
    }
}

#[component]
pub fn EditionPageView() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let enrol = ServerAction::<Enrol>::new();
    let withdraw = ServerAction::<Withdraw>::new();
    let page = Resource::new(
        move || (id.get(), enrol.version().get(), withdraw.version().get()),
        |(id, _, _)| found(id, edition_page),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <EditionDetails page enrol withdraw/> }.into_any(),
                    Err(error) => view! {
                        <Title text=t_string!(i18n, errors.not_found).to_string()/>
                        <PageError error/>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditionDetails(
    mut page: EditionInfo,
    enrol: ServerAction<Enrol>,
    withdraw: ServerAction<Withdraw>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The caller's own part came with the page; the enrolment box needs none of it.
    let (certificate, progress, activities) = (
        page.certificate.take(),
        page.progress.take(),
        page.activities.take(),
    );
    let summary = page.summary.clone();
    let dates = summary.dates;
    let title = summary.title.clone();
    let capacity = summary.capacity;
    let places_left = summary.places_left();
    let hours = page.workload_hours;
    view! {
        <Title text=title.clone()/>
        <article class="edition">
            <header class="page-header">
                <p class="eyebrow">{summary.course_title.clone()}</p>
                <h1>{title}</h1>
                <StatusBadge status=summary.status/>
            </header>
            <div class="edition-layout">
                <div class="edition-main">
                    // What is personal comes first: on a phone, progress and the next thing to do
                    // are on the first screen, and the course facts follow (for visitors the
                    // personal sections are empty).
                    <crate::features::cockpit::pages::CockpitLink edition_id=summary.id follows=page.follows/>
                    {certificate.map(|mine| view! { <MyCertificateView mine/> })}
                    {progress.map(|mine| view! { <MyProgressView mine/> })}
                    {activities.map(|mine| view! { <MyActivitiesView mine/> })}
                    <dl class="facts">
                        <div>
                            <dt>{t!(i18n, editions.course_dates)}</dt>
                            <dd>{move || text::date_range(i18n, dates.starts_on, dates.ends_on)}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, editions.enrolment_window)}</dt>
                            <dd>{move || text::date_range(i18n, dates.enrolment_opens_on, dates.enrolment_closes_on)}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, editions.workload)}</dt>
                            <dd>{move || t_string!(i18n, editions.hours, count = hours).to_string()}</dd>
                        </div>
                        <div>
                            <dt>{t!(i18n, editions.places)}</dt>
                            <dd>{move || t_string!(i18n, editions.places_of, count = places_left, capacity = capacity).to_string()}</dd>
                        </div>
                    </dl>
                    {(!page.course_description.is_empty()).then(|| {
                        let paragraphs: Vec<String> = page.course_description.split("\n\n").map(str::to_owned).collect();
                        view! {
                            <section class="description">
                                <h2>{t!(i18n, editions.about)}</h2>
                                {paragraphs.into_iter().map(|p| view! { <p class="prewrap">{p}</p> }).collect_view()}
                            </section>
                        }
                    })}
                </div>
                <aside class="enrolment-box" aria-labelledby="enrolment-heading">
                    <h2 id="enrolment-heading">{t!(i18n, enrolment.heading)}</h2>
                    <EnrolmentPanel page enrol withdraw/>
                </aside>
            </div>
        </article>
    }
}

/// Shown in place of a page when a read fails.
pub fn error_view(error: AppError) -> AnyView {
    view! { <PageError error/> }.into_any()
}
