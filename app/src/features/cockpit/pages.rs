//! `/editions/:id/cockpit`: the matrix and the review queue.

use super::api::{Cockpit, CockpitActivity, CockpitRow, QueueItem, load_cockpit};
use crate::domain::activities::ActivityKind;
use crate::domain::completion::Standing;
use crate::domain::paging::page_number;
use crate::i18n::*;
use crate::ui::badges::StateBadge;
use crate::ui::messages::{EmptyState, Loading, PageError, Pagination, local_time};
use crate::ui::params::{found, id_param};
use crate::ui::text;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CockpitPage() -> impl IntoView {
    let id = id_param();
    let query = use_query_map();
    let group = move || {
        query
            .read()
            .get("group")
            .and_then(|g| g.parse::<i32>().ok())
    };
    let page = move || page_number(query.read().get("page").as_deref());
    let standing = move || query.read().get("standing").and_then(|s| standing_from(&s));
    let data = Resource::new(
        move || (id.get(), group(), page(), standing()),
        |(id, group, page, standing)| found(id, move |id| load_cockpit(id, group, page, standing)),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(cockpit) => view! { <CockpitView cockpit/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CockpitView(cockpit: Cockpit) -> impl IntoView {
    let i18n = use_i18n();
    let edition_id = cockpit.edition_id;
    let group = cockpit.group;
    let standing = cockpit.standing;
    let link = move |page: u64| {
        let mut to = format!("/editions/{edition_id}/cockpit?page={page}");
        if let Some(g) = group {
            to.push_str(&format!("&group={g}"));
        }
        if let Some(s) = standing {
            to.push_str(&format!("&standing={}", standing_key(s)));
        }
        to
    };
    let (page, pages, total) = (cockpit.page, cockpit.pages, cockpit.total);
    // Attendance is kept per webinar: its sheets are one click from here.
    let webinars: Vec<(i32, String)> = cockpit
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::Webinar)
        .map(|a| (a.id, a.title.clone()))
        .collect();
    let context = MatrixContext {
        edition_id,
        counted: cockpit.counted,
        is_staff: cockpit.is_staff,
    };
    view! {
        <Title text=cockpit.edition_title.clone()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href=format!("/editions/{edition_id}")>{cockpit.edition_title.clone()}</a>
        </nav>
        <header class="page-header">
            <p class="eyebrow">{cockpit.edition_title.clone()}</p>
            <h1>{t!(i18n, cockpit.title)}</h1>
            {cockpit.is_staff.then(|| view! { <StaffLinks edition_id/> })}
        </header>

        <ReviewQueue queue=cockpit.queue/>

        {(!webinars.is_empty()).then(|| view! {
            <nav class="attendance-links" aria-labelledby="attendance-links-heading">
                <h2 id="attendance-links-heading">{t!(i18n, attendance.title)}</h2>
                <ul class="inline-list">
                    {webinars.into_iter().map(|(id, title)| view! {
                        <li><a href=format!("/activities/{id}/attendance")>{title}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
        })}

        <section class="matrix-section" aria-labelledby="matrix-heading">
            <h2 id="matrix-heading">{t!(i18n, cockpit.matrix)}</h2>
            <ul class="standing-counts">
                {cockpit.standings.into_iter().map(|(s, n)| view! {
                    <li><StandingBadge standing=s/> " " <strong>{n}</strong></li>
                }).collect_view()}
            </ul>
            <MatrixFilters groups=cockpit.groups group standing/>
            {if cockpit.rows.is_empty() {
                view! { <EmptyState><p>{t!(i18n, cockpit.no_participants)}</p></EmptyState> }.into_any()
            } else {
                view! {
                    <p class="count">{move || t_string!(i18n, staff.results, count = total).to_string()}</p>
                    <Matrix activities=cockpit.activities rows=cockpit.rows context/>
                    <Pagination number=page pages link=Callback::new(link)/>
                }.into_any()
            }}
        </section>
    }
}

/// Staff's ways out of the cockpit to the edition's other tools.
#[component]
fn StaffLinks(edition_id: i32) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="actions">
            <a class="button secondary small" href=format!("/staff/editions/{edition_id}/activities")>{t!(i18n, activities.manage)}</a>
            <a class="button secondary small" href=format!("/staff/editions/{edition_id}/groups")>{t!(i18n, groups.manage)}</a>
            <a class="button secondary small" href=format!("/staff/editions/{edition_id}/certificates")>{t!(i18n, certificates.title)}</a>
            <a class="button secondary small" href=format!("/staff/editions/{edition_id}/progress.csv") download rel="external">{t!(i18n, completion.export_csv)}</a>
        </p>
    }
}

/// Hand-ins waiting for a review, oldest first.
#[component]
fn ReviewQueue(queue: Vec<QueueItem>) -> impl IntoView {
    let i18n = use_i18n();
    let queue_len = queue.len();
    view! {
        <section class="review-queue" aria-labelledby="queue-heading">
            <h2 id="queue-heading">{move || t_string!(i18n, cockpit.queue, count = queue_len).to_string()}</h2>
            {if queue.is_empty() {
                view! { <EmptyState><p>{t!(i18n, cockpit.queue_empty)}</p></EmptyState> }.into_any()
            } else {
                view! {
                    <ol class="queue">
                        {queue.into_iter().map(|item| {
                            let at = item.submitted_at;
                            view! {
                                <li>
                                    <a href=format!("/submissions/{}", item.submission_id)>
                                        <strong>{item.participant}</strong> " · " {item.activity_title}
                                    </a>
                                    {item.untutored.then(|| view! { <span class="badge state-pending">{t!(i18n, cockpit.untutored)}</span> })}
                                    <span class="aside">
                                        {item.group.map(|g| format!("{g} · "))}
                                        {move || t_string!(i18n, submissions.version, number = item.version).to_string()} " · "
                                        {move || local_time(i18n, at)}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}

/// The matrix filters: by standing, and by group when there is more than one.
#[component]
fn MatrixFilters(
    groups: Vec<(i32, String)>,
    group: Option<i32>,
    standing: Option<Standing>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" class="filters">
            <div class="field">
                <label for="standing-filter">{t!(i18n, cockpit.standing)}</label>
                <select id="standing-filter" name="standing">
                    <option value="" selected=standing.is_none()>{t!(i18n, cockpit.everyone)}</option>
                    {[Standing::Met, Standing::Close, Standing::OnTrack, Standing::AtRisk].into_iter().map(|s| view! {
                        <option value=standing_key(s) selected=standing == Some(s)>{move || standing_label(i18n, s)}</option>
                    }).collect_view()}
                </select>
            </div>
            {(groups.len() > 1).then(|| view! {
                <div class="field">
                    <label for="group-filter">{t!(i18n, cockpit.group)}</label>
                    <select id="group-filter" name="group">
                        <option value="" selected=group.is_none()>{t!(i18n, cockpit.all_groups)}</option>
                        {groups.iter().map(|(id, name)| view! {
                            <option value=*id selected=group == Some(*id)>{name.clone()}</option>
                        }).collect_view()}
                    </select>
                </div>
            })}
            <button type="submit" class="button secondary small">{t!(i18n, cockpit.filter)}</button>
        </form>
    }
}

/// What every row of the matrix needs to know about the page it is on.
#[derive(Clone, Copy)]
struct MatrixContext {
    edition_id: i32,
    /// Activities that count towards completion.
    counted: u32,
    is_staff: bool,
}

/// One row per participant, one column per activity.
#[component]
fn Matrix(
    activities: Vec<CockpitActivity>,
    rows: Vec<CockpitRow>,
    context: MatrixContext,
) -> impl IntoView {
    let i18n = use_i18n();
    // On a phone each participant becomes a card: every cell carries its column's name.
    let titles: Vec<String> = activities.iter().map(|a| a.title.clone()).collect();
    let wide = activities.len() > 3;
    view! {
        {wide.then(|| view! { <p class="hint scroll-hint">{t!(i18n, cockpit.scroll_hint)}</p> })}
        <div class="table-wrap matrix-wrap" tabindex="0" role="region" aria-label=move || t_string!(i18n, cockpit.matrix_scroll)>
            <table class="matrix">
                <thead><tr>
                    <th scope="col" class="sticky">{t!(i18n, staff.name)}</th>
                    <th scope="col">{t!(i18n, cockpit.done)}</th>
                    <th scope="col">{t!(i18n, cockpit.standing)}</th>
                    {activities.iter().map(|a| {
                        let kind = a.kind;
                        view! {
                            <th scope="col" class="activity-col">
                                <a href=format!("/activities/{}", a.id) title=a.title.clone()>{a.title.clone()}</a>
                                <span class="aside">{move || text::activity_kind(i18n, kind)}</span>
                            </th>
                        }
                    }).collect_view()}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <MatrixRow row context titles=titles.clone()/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn MatrixRow(row: CockpitRow, context: MatrixContext, titles: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let MatrixContext {
        edition_id,
        counted,
        is_staff,
    } = context;
    let user_id = row.user_id;
    view! {
        <tr>
            <th scope="row" class="sticky">
                {row.name}
                {row.group.map(|g| view! { <span class="aside">{g}</span> })}
            </th>
            <td class="done" data-label=move || t_string!(i18n, cockpit.done)>{row.done} "/" {counted}</td>
            <td class="standing" data-label=move || t_string!(i18n, cockpit.standing)>{match row.standing {
                Some(standing) => view! { <StandingBadge standing/> " " <span class="aside">{row.percent} "%"</span> }.into_any(),
                None => view! { <span class="aside">"—"</span> }.into_any(),
            }}
            {row.decided.map(|d| view! {
                " " <span class="badge override" title=d.reason.clone()>
                    {move || if d.met { t_string!(i18n, completion.override_short_met) } else { t_string!(i18n, completion.override_short_not_met) }}
                </span>
            })}
            {is_staff.then(|| view! {
                " " <a class="aside" href=format!("/staff/editions/{edition_id}/completion?person={user_id}#overrides")>{t!(i18n, completion.decide)}</a>
            })}
            </td>
            {row.cells.into_iter().zip(titles).map(|(cell, title)| {
                let state = cell.state;
                match cell.submission {
                    Some(id) => view! { <td data-label=title><a href=format!("/submissions/{id}")><StateBadge state/></a></td> }.into_any(),
                    None => view! { <td data-label=title><StateBadge state/></td> }.into_any(),
                }
            }).collect_view()}
        </tr>
    }
}

/// A link to the cockpit on the edition page, for those who follow its participants.
#[component]
pub fn CockpitLink(edition_id: i32, follows: bool) -> impl IntoView {
    let i18n = use_i18n();
    follows.then(|| view! {
        <p class="cockpit-link"><a class="button primary" href=format!("/editions/{edition_id}/cockpit")>{t!(i18n, cockpit.open)}</a></p>
    })
}

fn standing_key(standing: Standing) -> &'static str {
    match standing {
        Standing::Met => "met",
        Standing::Close => "close",
        Standing::OnTrack => "on_track",
        Standing::AtRisk => "at_risk",
    }
}

fn standing_from(key: &str) -> Option<Standing> {
    [
        Standing::Met,
        Standing::Close,
        Standing::OnTrack,
        Standing::AtRisk,
    ]
    .into_iter()
    .find(|s| standing_key(*s) == key)
}

fn standing_label(i18n: crate::ui::text::I18n, standing: Standing) -> String {
    match standing {
        Standing::Met => t_string!(i18n, cockpit.met).to_string(),
        Standing::Close => t_string!(i18n, cockpit.close).to_string(),
        Standing::OnTrack => t_string!(i18n, cockpit.on_track).to_string(),
        Standing::AtRisk => t_string!(i18n, cockpit.at_risk).to_string(),
    }
}

#[component]
fn StandingBadge(standing: Standing) -> impl IntoView {
    let i18n = use_i18n();
    let tone = match standing {
        Standing::Met => "done",
        Standing::AtRisk => "attention",
        _ => "pending",
    };
    view! { <span class=format!("badge state-{tone}")>{move || standing_label(i18n, standing)}</span> }
}
