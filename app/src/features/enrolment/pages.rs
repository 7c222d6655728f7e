//! Enrolment on the pages: the participant's enrolment box on the edition page, and the staff's
//! enrolment list on the edition's staff page.

use super::api::{Enrol, Withdraw, enrolment_list};
use crate::domain::editions::{EditionStatus, EnrolmentWindow};
use crate::domain::enrolment::{self as rules, EnrolmentStatus};
use crate::domain::paging;
use crate::features::editions::api::EditionInfo;
use crate::i18n::*;
use crate::ui::forms::{Submit, action_error};
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, Pagination};
use crate::ui::text;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The edition page's enrolment box: sign in, enrol or join the waiting list, one's place in
/// line, or withdrawing (with a confirmation).
#[component]
pub fn EnrolmentPanel(
    page: EditionInfo,
    enrol: ServerAction<Enrol>,
    withdraw: ServerAction<Withdraw>,
) -> impl IntoView {
    let i18n = use_i18n();
    let edition_id = page.summary.id;
    let enrol_error = action_error(enrol);
    let withdraw_error = action_error(withdraw);
    let error = Signal::derive(move || enrol_error.get().or(withdraw_error.get()));
    let dates = page.summary.dates;
    let full = page.summary.places_left() == 0;
    let edition_over = page.summary.status.is_over();
    let taking_enrolments =
        page.summary.status == EditionStatus::Open && page.window == EnrolmentWindow::Open;

    let body = match page.mine {
        _ if !page.signed_in => {
            let here = format!("/editions/{edition_id}");
            let log_in = crate::features::accounts::pages::with_next("/login", &here);
            let sign_up = crate::features::accounts::pages::with_next("/signup", &here);
            view! {
                <p>{t!(i18n, enrolment.sign_in_to_enrol)}</p>
                <p class="actions">
                    <a class="button primary" href=sign_up>{t!(i18n, nav.sign_up)}</a>
                    " "
                    <a class="button secondary" href=log_in>{t!(i18n, nav.log_in)}</a>
                </p>
            }
            .into_any()
        }
        Some(mine) if mine.status != EnrolmentStatus::Withdrawn => view! {
            <p class="enrolment-state">
                {match (mine.status, mine.position) {
                    _ if edition_over && mine.status == EnrolmentStatus::Waitlisted => view! {
                        <strong>{t!(i18n, enrolment.waiting_when_over)}</strong>
                    }.into_any(),
                    _ if edition_over => view! { <strong>{t!(i18n, enrolment.you_took_part)}</strong> }.into_any(),
                    (EnrolmentStatus::Waitlisted, Some(position)) => view! {
                        <strong>{move || t_string!(i18n, enrolment.you_are_waiting, position = position).to_string()}</strong>
                    }.into_any(),
                    _ => view! { <strong>{t!(i18n, enrolment.you_are_enrolled)}</strong> }.into_any(),
                }}
            </p>
            // Offered only while the server would accept it: not once the edition is over.
            {matches!(
                rules::decide_withdraw(page.summary.status, Some(mine.status)),
                rules::WithdrawDecision::Withdraw { .. }
            )
            .then(|| view! {
                <details class="confirm">
                    <summary class="button secondary">{t!(i18n, enrolment.withdraw)}</summary>
                    <p>{t!(i18n, enrolment.withdraw_confirm_text)}</p>
                    <ActionForm action=withdraw>
                        <input type="hidden" name="edition_id" value=edition_id/>
                        <Submit pending=withdraw.pending() class="button danger">{t!(i18n, enrolment.withdraw_confirm)}</Submit>
                    </ActionForm>
                </details>
            })}
        }
        .into_any(),
        // Those who tutor or run the edition follow it from the cockpit: no place for them.
        _ if page.follows => view! {
            <p>{t!(i18n, enrolment.you_follow)}</p>
            <p><a class="button secondary" href=format!("/editions/{edition_id}/cockpit")>{t!(i18n, cockpit.open)}</a></p>
        }
        .into_any(),
        _ if taking_enrolments && !page.email_verified => view! {
            <p>{t!(i18n, enrolment.verify_to_enrol)}</p>
            <form method="post" action="/api/send_verification_again">
                <button type="submit" class="button secondary">{t!(i18n, account.send_again)}</button>
            </form>
        }
        .into_any(),
        _ if taking_enrolments && page.registration.is_some() => view! {
            <p class="registration-wait">
                {move || match page.registration {
                    Some(rules::EnrolRefusal::RegistrationRejected) => t_string!(i18n, enrolment.registration_rejected).to_string(),
                    _ => t_string!(i18n, enrolment.registration_pending).to_string(),
                }}
            </p>
        }
        .into_any(),
        _ if taking_enrolments => view! {
            <p>{move || if full { t_string!(i18n, enrolment.full_explainer) } else { t_string!(i18n, enrolment.open_explainer) }}</p>
            <ActionForm action=enrol>
                <input type="hidden" name="edition_id" value=edition_id/>
                <Submit pending=enrol.pending()>
                    {move || if full { t_string!(i18n, enrolment.join_waiting_list) } else { t_string!(i18n, enrolment.enrol) }}
                </Submit>
            </ActionForm>
        }
        .into_any(),
        _ => view! {
            <p>
                {move || match page.window {
                    EnrolmentWindow::NotYetOpen => t_string!(i18n, enrolment.not_yet_open, date = text::long_date(i18n, dates.enrolment_opens_on)).to_string(),
                    _ => t_string!(i18n, enrolment.closed).to_string(),
                }}
            </p>
        }
        .into_any(),
    };
    view! {
        <ErrorNotice error/>
        {body}
    }
}

/// Staff: an edition's enrolments, searchable by name or email, filtered by status, a page at
/// a time.
#[component]
pub fn EnrolmentList(edition_id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let status = move || query.read().get("status").unwrap_or_default();
    let page = move || paging::page_number(query.read().get("page").as_deref());
    let rows = Resource::new(
        move || (search(), status(), page()),
        move |(search, status, page)| enrolment_list(edition_id, search, status, page),
    );
    let link = move |page: u64| {
        let (search, status) = (search(), status());
        let (q, s) = (urlencoding::encode(&search), urlencoding::encode(&status));
        format!("/staff/editions/{edition_id}?q={q}&status={s}&page={page}")
    };
    let status_option = move |value: &'static str, label: String| {
        let selected = status() == value;
        view! { <option value=value selected=selected>{label}</option> }
    };
    view! {
        <form class="search" method="get" role="search">
            <div class="field">
                <label for="search-q">{t!(i18n, staff.search_label)}</label>
                <input id="search-q" name="q" type="search" value=search/>
            </div>
            <div class="field">
                <label for="search-status">{t!(i18n, staff.status)}</label>
                <select id="search-status" name="status">
                    {move || status_option("", t_string!(i18n, staff.all_statuses).to_string())}
                    {move || status_option("enrolled", text::enrolment_status(i18n, EnrolmentStatus::Enrolled))}
                    {move || status_option("waitlisted", text::enrolment_status(i18n, EnrolmentStatus::Waitlisted))}
                    {move || status_option("withdrawn", text::enrolment_status(i18n, EnrolmentStatus::Withdrawn))}
                </select>
            </div>
            <button type="submit" class="button secondary">{t!(i18n, staff.search)}</button>
        </form>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(error) => view! { <ErrorNotice error=Some(error)/> }.into_any(),
                    Ok(page) if page.items.is_empty() => {
                        let filtered = !search().is_empty() || !status().is_empty();
                        view! {
                            <EmptyState>
                                <p>{move || if filtered { t_string!(i18n, staff.no_matching_enrolments) } else { t_string!(i18n, staff.no_enrolments) }}</p>
                            </EmptyState>
                        }.into_any()
                    }
                    Ok(page) => {
                        let (number, pages, total) = (page.number, page.pages(), page.total);
                        view! {
                            <p class="count">{move || t_string!(i18n, staff.results, count = total).to_string()}</p>
                            <div class="table-wrap" tabindex="0">
                                <table>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, staff.name)}</th>
                                        <th scope="col">{t!(i18n, fields.email)}</th>
                                        <th scope="col">{t!(i18n, fields.school_name)}</th>
                                        <th scope="col">{t!(i18n, staff.status)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.items.into_iter().map(|row| {
                                            let status = row.status;
                                            let position = row.position;
                                            view! {
                                                <tr>
                                                    <td>{format!("{} {}", row.family_name, row.given_name)}</td>
                                                    <td>{row.email}</td>
                                                    <td>{format!("{} ({})", row.school_name, row.school_code)}</td>
                                                    <td>{move || match position {
                                                        Some(position) => t_string!(i18n, enrolment.waitlisted_at, position = position).to_string(),
                                                        None => text::enrolment_status(i18n, status),
                                                    }}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pagination number pages link=Callback::new(link)/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
