//! `/staff/registrations`: registrations waiting for staff, oldest first, with what each
//! person gave at sign-up; validate or reject one, or many chosen with their boxes.

use super::api::{
    DecideRegistrations, QueueQuery, RegistrationQueue, RegistrationRow, WAITING_LONG_DAYS,
    load_registrations, status_key,
};
use crate::domain::Field;
use crate::domain::account::RegistrationStatus;
use crate::domain::paging::page_number;
use crate::domain::registration::RegistryMatch;
use crate::i18n::*;
use crate::ui::forms::{FieldProblems, TextField, action_error, succeeded};
use crate::ui::messages::{
    EmptyState, ErrorNotice, Loading, PageError, Pagination, SuccessNotice, local_time,
};
use crate::ui::text::I18n;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The form the boxes of the list belong to (they sit in the table, the form under it).
const BULK_FORM: &str = "bulk-decision";

fn status_label(i18n: I18n, status: RegistrationStatus) -> String {
    match status {
        RegistrationStatus::Pending => t_string!(i18n, registrations.pending),
        RegistrationStatus::Validated => t_string!(i18n, registrations.validated),
        RegistrationStatus::Rejected => t_string!(i18n, registrations.rejected),
    }
    .to_string()
}

#[derive(Clone, PartialEq)]
struct Filters {
    query: QueueQuery,
    page: u64,
}

impl Filters {
    fn link(&self, page: u64) -> String {
        format!("/staff/registrations?{}&page={page}", self.query.params())
    }

    fn csv(&self) -> String {
        format!("/staff/registrations.csv?{}", self.query.params())
    }
}

#[component]
pub fn RegistrationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filters = move || {
        query.with(|q| Filters {
            query: QueueQuery::read(|name| q.get(name)),
            page: page_number(q.get("page").as_deref()),
        })
    };
    let decide = ServerAction::<DecideRegistrations>::new();
    let error = action_error(decide);
    let done = succeeded(decide);
    let data = Resource::new(
        move || (filters(), decide.version().get()),
        |(f, _)| {
            load_registrations(
                Some(f.query.status),
                Some(f.query.waiting_long),
                f.query.matched,
                Some(f.query.search),
                f.page,
            )
        },
    );
    view! {
        <Title text=t_string!(i18n, registrations.title).to_string()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff">{t!(i18n, staff.title)}</a>
        </nav>
        <header class="page-header">
            <h1>{t!(i18n, registrations.title)}</h1>
            <p class="lead">{t!(i18n, registrations.lead)}</p>
            <p><a class="button secondary" href="/staff/registry">{t!(i18n, registrations.registry_link)}</a></p>
        </header>
        <Show when=move || done.get()>
            <SuccessNotice>{t!(i18n, registrations.decided)}</SuccessNotice>
        </Show>
        <ErrorNotice error/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(queue) => view! { <QueueView queue filters=filters() decide error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn QueueView(
    queue: RegistrationQueue,
    filters: Filters,
    decide: ServerAction<DecideRegistrations>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = filters.query.status;
    let pending = status == RegistrationStatus::Pending;
    let waiting_long = queue.waiting_long;
    let (partial, unmatched) = (queue.partial, queue.unmatched);
    let matched = filters.query.matched;
    let csv = filters.csv();
    let total = queue.total;
    let empty = queue.rows.is_empty();
    let link = {
        let filters = filters.clone();
        Callback::new(move |page: u64| filters.link(page))
    };
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, registrations.by_status)>
            {queue.counts.iter().map(|(each, count)| {
                let (each, count) = (*each, *count);
                view! {
                    <a href=format!("/staff/registrations?status={}", status_key(each))
                        aria-current=(status == each).then_some("page")>
                        {move || format!("{} ({count})", status_label(i18n, each))}
                    </a>
                }
            }).collect_view()}
        </nav>
        <form class="search" method="get" role="search">
            <input type="hidden" name="status" value=status_key(status)/>
            <div class="field">
                <label for="search-q">{t!(i18n, registrations.search_label)}</label>
                <input id="search-q" name="q" type="search" value=filters.query.search.clone()/>
            </div>
            {pending.then(|| view! {
                <div class="field">
                    <label for="matched">{t!(i18n, registrations.match_filter)}</label>
                    <select id="matched" name="matched">
                        <option value="" selected=matched.is_none()>{t!(i18n, registrations.match_any)}</option>
                        <option value="partial" selected=matched == Some(RegistryMatch::Partial)>
                            {move || t_string!(i18n, registrations.match_partial_count, count = partial).to_string()}
                        </option>
                        <option value="none" selected=matched == Some(RegistryMatch::None)>
                            {move || t_string!(i18n, registrations.match_none_count, count = unmatched).to_string()}
                        </option>
                    </select>
                </div>
                <div class="field checkbox">
                    <input id="waiting-long" type="checkbox" name="waiting_long" value="true" checked=filters.query.waiting_long/>
                    <label for="waiting-long">{move || t_string!(i18n, registrations.waiting_long, days = WAITING_LONG_DAYS, count = waiting_long).to_string()}</label>
                </div>
            })}
            <button type="submit" class="button secondary">{t!(i18n, staff.search)}</button>
        </form>
        {empty.then(|| view! {
            <EmptyState><p>{move || if pending { t_string!(i18n, registrations.none_pending) } else { t_string!(i18n, registrations.none) }}</p></EmptyState>
        })}
        {(!empty).then(|| view! {
            <p class="count with-actions">
                <span>{move || t_string!(i18n, staff.results, count = total).to_string()}</span>
                <a class="button secondary small" href=csv download rel="external">{t!(i18n, registrations.csv_download)}</a>
            </p>
            <div class="table-wrap" tabindex="0">
                <table class="registrations-table cards-on-phone">
                    <thead><tr>
                        {(status != RegistrationStatus::Validated).then(|| view! {
                            <th scope="col"><span class="visually-hidden">{t!(i18n, registrations.select)}</span></th>
                        })}
                        <th scope="col">{t!(i18n, registrations.person)}</th>
                        <th scope="col">{t!(i18n, registrations.school)}</th>
                        <th scope="col">{t!(i18n, fields.tax_code_short)}</th>
                        <th scope="col">{t!(i18n, registrations.in_registry)}</th>
                        <th scope="col">{t!(i18n, registrations.registered)}</th>
                        <th scope="col">{move || if pending { t_string!(i18n, registrations.decision) } else { t_string!(i18n, registrations.decided_at) }}</th>
                    </tr></thead>
                    <tbody>
                        {queue.rows.into_iter().map(|row| view! { <RegistrationLine row decide error/> }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Pagination number=queue.page pages=queue.pages link/>
            {(status != RegistrationStatus::Validated).then(|| view! { <BulkDecision decide error pending/> })}
        })}
    }
}

#[component]
fn RegistrationLine(
    row: RegistrationRow,
    decide: ServerAction<DecideRegistrations>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = format!("{} {}", row.given_name, row.family_name);
    let (registered, decided, days) = (row.registered_at, row.decided_at, row.days_waiting);
    let status = row.status;
    let reject_form = format!("reject-{}", row.user_id);
    let long = status == RegistrationStatus::Pending && days > WAITING_LONG_DAYS;
    view! {
        <tr data-user=row.user_id>
            {(status != RegistrationStatus::Validated).then(|| {
                let name = name.clone();
                view! {
                    <td class="select">
                        <input type="checkbox" name="user_ids[]" value=row.user_id form=BULK_FORM
                            id=format!("select-{}", row.user_id)
                            aria-label=move || t_string!(i18n, registrations.select_person, name = name.clone()).to_string()/>
                    </td>
                }
            })}
            <td data-label=move || t_string!(i18n, registrations.person)>
                <span>
                    <a href=format!("/staff/users/{}", row.user_id)>{name.clone()}</a>
                    <br/><small>{row.email.clone()}</small>
                    {(!row.email_verified).then(|| view! {
                        <br/><span class="badge state-pending">{t!(i18n, registrations.unconfirmed)}</span>
                    })}
                </span>
            </td>
            <td data-label=move || t_string!(i18n, registrations.school)>
                <span>
                    {if row.school_name.is_empty() { "—".to_owned() } else { row.school_name.clone() }}
                    <br/><small class="code">{row.school_code.clone()}</small>
                </span>
            </td>
            <td data-label=move || t_string!(i18n, fields.tax_code_short) class="code">{row.tax_code.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-label=move || t_string!(i18n, registrations.in_registry)>
                <RegistryEvidence found=row.registry_match evidence=row.evidence.clone()/>
            </td>
            <td data-label=move || t_string!(i18n, registrations.registered)>
                <span>
                    {move || local_time(i18n, registered)}
                    // Registered today: the time above says it ("waiting for 0 days" would not).
                    {(status == RegistrationStatus::Pending && days > 0).then(|| view! {
                        <br/><small class:attention=long>{move || t_string!(i18n, registrations.days_waiting, count = days).to_string()}</small>
                    })}
                </span>
            </td>
            <td data-label=move || if status == RegistrationStatus::Pending { t_string!(i18n, registrations.decision) } else { t_string!(i18n, registrations.decided_at) }>
                {match status {
                    RegistrationStatus::Validated => view! {
                        <span>{move || decided.map(|at| local_time(i18n, at)).unwrap_or_default()}</span>
                    }.into_any(),
                    RegistrationStatus::Rejected => view! {
                        <div class="decision">
                            <p>{move || decided.map(|at| local_time(i18n, at)).unwrap_or_default()}</p>
                            {row.reason.clone().map(|reason| view! { <p class="hint">{reason}</p> })}
                            <ActionForm action=decide>
                                <input type="hidden" name="user_ids[]" value=row.user_id/>
                                <input type="hidden" name="approve" value="true"/>
                                <button type="submit" class="button secondary small">{t!(i18n, registrations.validate_anyway)}</button>
                            </ActionForm>
                        </div>
                    }.into_any(),
                    RegistrationStatus::Pending => view! {
                        <div class="decision actions">
                            <ActionForm action=decide>
                                <input type="hidden" name="user_ids[]" value=row.user_id/>
                                <input type="hidden" name="approve" value="true"/>
                                <button type="submit" class="button primary small">{t!(i18n, registrations.validate)}</button>
                            </ActionForm>
                            <details class="confirm">
                                <summary class="button secondary small">{t!(i18n, registrations.reject)}</summary>
                                <ActionForm action=decide>
                                    <input type="hidden" name="user_ids[]" value=row.user_id/>
                                    <input type="hidden" name="approve" value="false"/>
                                    <TextField field=Field::Reason form=reject_form error required=true maxlength=500
                                        hint=t_string!(i18n, registrations.reason_hint).to_string()>
                                        {t!(i18n, registrations.reason)}
                                    </TextField>
                                    <button type="submit" class="button danger small">{t!(i18n, registrations.reject_confirm)}</button>
                                </ActionForm>
                            </details>
                        </div>
                    }.into_any(),
                }}
            </td>
        </tr>
    }
}

/// What the registry says about the person: the entry matched, beside what they gave.
#[component]
fn RegistryEvidence(
    found: Option<RegistryMatch>,
    evidence: Option<super::api::Evidence>,
) -> impl IntoView {
    let i18n = use_i18n();
    let badge = match found {
        Some(RegistryMatch::Exact) => view! { <span class="badge state-done">{t!(i18n, registrations.match_exact)}</span> }.into_any(),
        Some(RegistryMatch::Partial) => view! { <span class="badge state-attention">{t!(i18n, registrations.match_partial)}</span> }.into_any(),
        Some(RegistryMatch::None) => view! { <span class="badge">{t!(i18n, registrations.match_none)}</span> }.into_any(),
        None => view! { <span class="hint">{t!(i18n, registrations.match_not_compared)}</span> }.into_any(),
    };
    view! {
        <span class="evidence">
            {badge}
            {evidence.map(|evidence| {
                let line = evidence.line;
                let person = evidence.person;
                view! {
                    <br/>{format!("{} {}", person.given_name, person.family_name)}
                    <br/><small>{person.email.unwrap_or_else(|| "—".into())}</small>
                    <br/><small class="code">{person.tax_code.unwrap_or_else(|| "—".into())} " · " {person.school_code}</small>
                    <br/><small class="hint">{move || t_string!(i18n, registrations.registry_line, line = line).to_string()}</small>
                }
            })}
        </span>
    }
}

/// The decision for the people whose boxes are ticked: one form, two buttons.
#[component]
fn BulkDecision(
    decide: ServerAction<DecideRegistrations>,
    error: Signal<Option<crate::error::AppError>>,
    pending: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card bulk-decision" aria-labelledby="bulk-heading">
            <h2 id="bulk-heading">{t!(i18n, registrations.bulk_heading)}</h2>
            <p class="hint">{t!(i18n, registrations.bulk_hint)}</p>
            <ActionForm action=decide attr:id=BULK_FORM>
                <FieldProblems field=Field::Decision error form=None/>
                {pending.then(|| view! {
                    <TextField field=Field::Reason form="bulk" error maxlength=500
                        hint=t_string!(i18n, registrations.bulk_reason_hint).to_string()>
                        {t!(i18n, registrations.reason)}
                    </TextField>
                })}
                <div class="actions">
                    <button type="submit" name="approve" value="true" class="button primary">{t!(i18n, registrations.validate_selected)}</button>
                    {pending.then(|| view! {
                        <button type="submit" name="approve" value="false" class="button danger">{t!(i18n, registrations.reject_selected)}</button>
                    })}
                </div>
            </ActionForm>
        </section>
    }
}
