//! What participants see: their activities in an edition, and one activity opened.

use super::api::{
    ActivityPage, CatchUp, MarkRecordingWatched, MyActivities, RecordView, open_activity,
};
use crate::domain::activities::{ActivityKind, ActivityState};
use crate::domain::dates::machine_time;
use crate::features::calendar::api::ResetCalendar;
use crate::i18n::*;
use crate::ui::badges::StateBadge;
use crate::ui::forms::action_error;
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, RichText, local_time};
use crate::ui::params::{found, id_param};
use crate::ui::text;
use leptos::prelude::*;
use leptos_meta::Title;

/// The participant's activities on the edition page (nothing for those not enrolled).
#[component]
pub fn MyActivitiesView(mine: MyActivities) -> impl IntoView {
    let i18n = use_i18n();
    let next = mine
        .next
        .and_then(|id| mine.activities.iter().find(|a| a.id == id).cloned());
    let upcoming: Vec<_> = mine
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::Webinar && a.state == ActivityState::Upcoming)
        .cloned()
        .collect();
    let has_calendar = mine.calendar;
    view! {
        <section class="my-activities" aria-labelledby="activities-heading">
            {mine.group.clone().map(|(id, name)| view! {
                <p class="group-link">{t!(i18n, groups.my_group)} ": " <a href=format!("/groups/{id}")>{name}</a></p>
            })}
            {next.map(|next| {
                // A webinar happens on a date; other activities are due by one.
                let when = match (next.starts_at, next.due_at) {
                    (Some(start), _) => Some((start, true)),
                    (None, Some(due)) => Some((due, false)),
                    _ => None,
                };
                view! {
                    <div class="next-up">
                        <p class="eyebrow">{t!(i18n, activities.next)}</p>
                        <a href=format!("/activities/{}", next.id)>{next.title.clone()}</a>
                        {when.map(|(at, happens)| view! {
                            <span class="aside">
                                {move || if happens {
                                    t_string!(i18n, activities.on, date = local_time(i18n, at)).to_string()
                                } else {
                                    t_string!(i18n, activities.by, date = local_time(i18n, at)).to_string()
                                }}
                            </span>
                        })}
                    </div>
                }
            })}
            <h2 id="activities-heading">{t!(i18n, activities.title)}</h2>
            {if mine.activities.is_empty() {
                view! { <EmptyState><p>{t!(i18n, activities.none_yet)}</p></EmptyState> }.into_any()
            } else {
                view! {
                    <ol class="activity-list">
                        {mine.activities.into_iter().map(|a| {
                            let when = a.starts_at.or(a.due_at);
                            let kind = a.kind;
                            view! {
                                <li class="activity-line">
                                    <div class="activity-summary">
                                        <span class=format!("badge kind-{}", kind.as_str())>{move || text::activity_kind(i18n, kind)}</span>
                                        <a href=format!("/activities/{}", a.id)>{a.title}</a>
                                        {when.map(|at| view! { <time class="aside" datetime=machine_time(at)>{move || local_time(i18n, at)}</time> })}
                                    </div>
                                    <StateBadge state=a.state/>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            {(!upcoming.is_empty()).then(|| view! {
                <section class="calendar" aria-labelledby="calendar-heading">
                    <h3 id="calendar-heading">{t!(i18n, activities.upcoming_webinars)}</h3>
                    <ul>
                        {upcoming.into_iter().map(|w| {
                            let at = w.starts_at;
                            view! { <li>{w.title} {at.map(|at| view! { <span class="aside">" · " {move || local_time(i18n, at)}</span> })}</li> }
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section class="calendar-link" aria-labelledby="calendar-link-heading">
                <h3 id="calendar-link-heading">{t!(i18n, activities.calendar)}</h3>
                <p class="hint">{t!(i18n, activities.calendar_explainer)}</p>
                {has_calendar.then(|| view! { <p class="hint">{t!(i18n, activities.calendar_exists)}</p> })}
                <CalendarReset has_calendar/>
            </section>
        </section>
    }
}

/// The button that makes a new private calendar address, and the address it made. An island:
/// the address is shown once, on the page that asked for it.
#[island]
fn CalendarReset(has_calendar: bool) -> impl IntoView {
    let i18n = use_i18n();
    let reset = ServerAction::<ResetCalendar>::new();
    let reset_error = action_error(reset);
    view! {
        <ErrorNotice error=reset_error/>
        <ActionForm action=reset>
            <button type="submit" class="button secondary small">
                {move || if has_calendar || reset.value().get().is_some_and(|r| r.is_ok()) {
                    t_string!(i18n, activities.calendar_replace).to_string()
                } else {
                    t_string!(i18n, activities.calendar_new).to_string()
                }}
            </button>
        </ActionForm>
        {move || reset.value().get().and_then(|r| r.ok()).map(|url| view! { <CalendarAddress url/> })}
    }
}

/// A new private calendar address: to copy, or to open straight in the phone's calendar app
/// (`webcal:`), shown once (only its hash is kept).
#[component]
fn CalendarAddress(url: String) -> impl IntoView {
    let i18n = use_i18n();
    let webcal = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .map(|rest| format!("webcal://{rest}"));
    let copied = RwSignal::new(false);
    let to_copy = url.clone();
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            // The promise is not awaited: the browser copies, or the address stays to select.
            let _ = window.navigator().clipboard().write_text(&to_copy);
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &to_copy;
    };
    view! {
        <div class="calendar-url">
            <label for="calendar-url">{t!(i18n, activities.calendar_address)}</label>
            <div class="inline-form">
                <input id="calendar-url" type="text" readonly value=url.clone()/>
                <button type="button" class="button secondary small" on:click=copy>
                    {move || if copied.get() { t_string!(i18n, activities.calendar_copied) } else { t_string!(i18n, activities.calendar_copy_button) }}
                </button>
            </div>
            {webcal.map(|href| view! {
                <p><a class="button primary small" href=href rel="external">{t!(i18n, activities.calendar_open)}</a></p>
            })}
            <p class="hint">{t!(i18n, activities.calendar_copy)}</p>
        </div>
    }
}

#[component]
pub fn ActivityPageView() -> impl IntoView {
    let id = id_param();
    // Starting a quiz attempt changes the activity's state ("In corso"): the page reloads.
    let start = ServerAction::<crate::features::quizzes::api::StartAttempt>::new();
    let page = Resource::new(
        move || (id.get(), start.version().get()),
        |(id, _)| found(id, open_activity),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(page) => view! { <ActivityView page start/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ActivityView(
    page: ActivityPage,
    start: ServerAction<crate::features::quizzes::api::StartAttempt>,
) -> impl IntoView {
    let i18n = use_i18n();
    let kind = page.kind;
    let id = page.id;
    let unread = kind == ActivityKind::Material && page.state.is_some_and(|s| !s.is_done());
    view! {
        <Title text=page.title.clone()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href=format!("/editions/{}", page.edition_id)>{page.edition_title.clone()}</a>
        </nav>
        <article class="activity">
            <header class="page-header">
                <p class="eyebrow">{move || text::activity_kind(i18n, kind)}</p>
                <h1>{page.title.clone()}</h1>
                <ActivityStateBadge state=page.state record_view=unread.then_some(id)/>
            </header>
            <dl class="facts">
                {page.starts_at.map(|at| view! { <div><dt>{t!(i18n, activities.starts_at)}</dt><dd>{move || local_time(i18n, at)}</dd></div> })}
                {page.duration_minutes.map(|d| view! { <div><dt>{t!(i18n, activities.duration)}</dt><dd>{d} " min"</dd></div> })}
                {page.due_at.map(|at| view! { <div><dt>{t!(i18n, activities.due_at)}</dt><dd>{move || local_time(i18n, at)}</dd></div> })}
                <div><dt>{t!(i18n, activities.estimated_hours)}</dt><dd>{move || {
                    // The form accepts either separator; the page writes the reader's own.
                    let hours = super::api::format_hours(page.estimated_minutes);
                    if i18n.get_locale() == Locale::it { hours.replace('.', ",") } else { hours }
                }} " h"</dd></div>
                {(!page.speakers.is_empty()).then(|| view! { <div><dt>{t!(i18n, activities.speakers)}</dt><dd>{page.speakers.join(", ")}</dd></div> })}
            </dl>
            {(!page.description.is_empty()).then(|| view! { <RichText text=page.description.clone()/> })}
            {page.body.clone().map(|body| view! { <section class="material-page card"><RichText text=body/></section> })}
            {page.url.clone().map(|url| view! {
                <p><a class="button primary" href=url rel="noopener noreferrer" target="_blank">{t!(i18n, activities.open_material)}</a></p>
            })}
            {unread.then(|| view! { <RecordViewForm activity_id=id/> })}
            {(kind == ActivityKind::Webinar).then(|| match page.join_url.clone() {
                Some(url) => view! { <p><a class="button primary" href=url rel="noopener noreferrer" target="_blank">{t!(i18n, activities.join)}</a></p> }.into_any(),
                None if page.over => ().into_any(),
                None => view! { <p class="hint">{t!(i18n, activities.join_later)}</p> }.into_any(),
            })}
            // The catch-up section carries the recording link itself.
            {page.recording_url.clone().filter(|_| page.catch_up.is_none()).map(|url| view! {
                <p><a href=url rel="noopener noreferrer" target="_blank">{t!(i18n, activities.recording)}</a></p>
            })}
            {page.catch_up.clone().map(|catch_up| view! { <CatchUpSection catch_up recording=page.recording_url.clone() webinar_id=id/> })}
            {page.may_mark_attendance.then(|| view! {
                <p><a class="button secondary" href=format!("/activities/{id}/attendance")>{t!(i18n, attendance.title)}</a></p>
            })}
            {page.may_edit_quiz.then(|| view! {
                <p><a class="button secondary" href=format!("/staff/activities/{id}/quiz")>{t!(i18n, quiz.questions)}</a></p>
            })}
            {matches!(kind, ActivityKind::TaskSheet | ActivityKind::DesignExercise).then(|| view! {
                <crate::features::submissions::pages::SubmissionSection activity_id=id/>
            })}
            {(kind == ActivityKind::Quiz).then(|| view! {
                <crate::features::quizzes::pages::QuizSection activity_id=id start/>
            })}
        </article>
    }
}

/// Where the participant stands with the activity. An island: a material opened here is
/// recorded as consulted once the page is live in the browser (opening the page is a read,
/// which records nothing; recording is a change, with the origin check), and the badge says so.
#[island]
fn ActivityStateBadge(state: Option<ActivityState>, record_view: Option<i32>) -> impl IntoView {
    let record = ServerAction::<RecordView>::new();
    Effect::new(move |_| {
        if let Some(activity_id) = record_view {
            record.dispatch(RecordView { activity_id });
        }
    });
    let state = move || match record.value().get() {
        Some(Ok(())) => Some(ActivityState::Viewed),
        _ => state,
    };
    view! { {move || state().map(|state| view! { <StateBadge state/> })} }
}

/// Without JavaScript, a button records that the material was consulted.
#[component]
fn RecordViewForm(activity_id: i32) -> impl IntoView {
    let i18n = use_i18n();
    // Raw HTML: what is inside <noscript> is not part of the page the browser hydrates.
    let form = move || {
        format!(
            r#"<form class="record-view" method="post" action="/api/record_view"><input type="hidden" name="activity_id" value="{activity_id}"><button type="submit" class="button secondary small">{}</button></form>"#,
            t_string!(i18n, activities.mark_viewed)
        )
    };
    view! { <noscript inner_html=form/> }
}

/// Catching up on a missed webinar: watch the recording, say so, pass the check quiz.
#[component]
fn CatchUpSection(catch_up: CatchUp, recording: Option<String>, webinar_id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let mark = ServerAction::<MarkRecordingWatched>::new();
    let error = action_error(mark);
    let watched =
        Signal::derive(move || catch_up.watched || mark.value().get().is_some_and(|r| r.is_ok()));
    let quiz_link = format!("/activities/{}", catch_up.quiz_id);
    let quiz_title = catch_up.quiz_title.clone();
    let quiz_state = catch_up.quiz_state;
    view! {
        <section class="catch-up card" aria-labelledby="catch-up-heading">
            <h2 id="catch-up-heading">{t!(i18n, recording.title)}</h2>
            {if catch_up.done {
                view! {
                    <p class="notice success">{t!(i18n, recording.done)}</p>
                    {recording.map(|url| view! {
                        <p><a href=url rel="noopener noreferrer" target="_blank">{t!(i18n, activities.recording)}</a></p>
                    })}
                }.into_any()
            } else {
                view! {
                    <p>{t!(i18n, recording.lead)}</p>
                    {recording.map(|url| view! {
                        <p><a class="button secondary" href=url rel="noopener noreferrer" target="_blank">{t!(i18n, recording.watch)}</a></p>
                    })}
                    <ErrorNotice error/>
                    <Show
                        when=move || watched.get()
                        fallback=move || view! {
                            <ActionForm action=mark>
                                <input type="hidden" name="activity_id" value=webinar_id/>
                                <button type="submit" class="button primary">{t!(i18n, recording.mark)}</button>
                            </ActionForm>
                        }
                    >
                        <p>{t!(i18n, recording.marked)}</p>
                        <p class="catch-up-quiz">
                            <a class="button primary" href=quiz_link.clone()>{quiz_title.clone()}</a>
                            " " <StateBadge state=quiz_state/>
                        </p>
                    </Show>
                }.into_any()
            }}
        </section>
    }
}
