//! `/staff/mail`: the outbox, newest first, by state, with each failure's error; any mail can
//! be sent again.

use super::api::{OutboxPage, OutboxRow, ResendMail, load_outbox};
use crate::domain::outbox::MailStatus;
use crate::domain::paging::page_number;
use crate::i18n::*;
use crate::ui::forms::action_error;
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, Pagination, local_time};
use crate::ui::text::I18n;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn status_label(i18n: I18n, status: MailStatus) -> String {
    match status {
        MailStatus::Queued => t_string!(i18n, mail.queued),
        MailStatus::Sent => t_string!(i18n, mail.sent),
        MailStatus::Failed => t_string!(i18n, mail.failed),
    }
    .to_string()
}

fn badge_class(status: MailStatus) -> &'static str {
    match status {
        MailStatus::Queued => "badge state-pending",
        MailStatus::Sent => "badge state-done",
        MailStatus::Failed => "badge state-attention",
    }
}

#[component]
pub fn OutboxPageView() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            (
                page_number(q.get("page").as_deref()),
                q.get("status").and_then(|s| MailStatus::parse(&s)),
            )
        })
    };
    let resend = ServerAction::<ResendMail>::new();
    let error = action_error(resend);
    let data = Resource::new(
        move || (filters(), resend.version().get()),
        |((page, status), _)| load_outbox(page, status),
    );
    view! {
        <Title text=t_string!(i18n, mail.title).to_string()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff">{t!(i18n, staff.title)}</a>
        </nav>
        <header class="page-header">
            <h1>{t!(i18n, mail.title)}</h1>
            <p class="lead">{t!(i18n, mail.lead)}</p>
        </header>
        <ErrorNotice error/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(outbox) => {
                        let (_, status) = filters();
                        view! { <OutboxView outbox status resend/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn OutboxView(
    outbox: OutboxPage,
    status: Option<MailStatus>,
    resend: ServerAction<ResendMail>,
) -> impl IntoView {
    let i18n = use_i18n();
    let link = Callback::new(move |page: u64| match status {
        Some(s) => format!("/staff/mail?status={}&page={page}", s.as_str()),
        None => format!("/staff/mail?page={page}"),
    });
    let empty = outbox.rows.is_empty();
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, mail.by_status)>
            <a href="/staff/mail" aria-current=status.is_none().then_some("page")>{t!(i18n, mail.all)}</a>
            {outbox.counts.iter().map(|(each, count)| {
                let (each, count) = (*each, *count);
                view! {
                    <a href=format!("/staff/mail?status={}", each.as_str())
                        aria-current=(status == Some(each)).then_some("page")>
                        {move || format!("{} ({count})", status_label(i18n, each))}
                    </a>
                }
            }).collect_view()}
        </nav>
        {empty.then(|| view! { <EmptyState><p>{t!(i18n, mail.empty)}</p></EmptyState> })}
        {(!empty).then(|| view! {
            <div class="table-wrap" tabindex="0">
                <table class="outbox-table cards-on-phone">
                    <thead><tr>
                        <th scope="col">{t!(i18n, mail.written)}</th>
                        <th scope="col">{t!(i18n, mail.to)}</th>
                        <th scope="col">{t!(i18n, mail.subject)}</th>
                        <th scope="col">{t!(i18n, mail.state)}</th>
                        <th scope="col">{t!(i18n, mail.error)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, mail.send_again)}</span></th>
                    </tr></thead>
                    <tbody>
                        {outbox.rows.into_iter().map(|row| view! { <OutboxLine row resend/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <Pagination number=outbox.page pages=outbox.pages link/>
    }
}

#[component]
fn OutboxLine(row: OutboxRow, resend: ServerAction<ResendMail>) -> impl IntoView {
    let i18n = use_i18n();
    let (created, sent, due) = (row.created_at, row.sent_at, row.due_at);
    let (status, attempts) = (row.status, row.attempts);
    let when = move || match (status, sent) {
        (MailStatus::Sent, Some(at)) => {
            t_string!(i18n, mail.sent_at, when = local_time(i18n, at)).to_string()
        }
        (MailStatus::Queued, _) if attempts > 0 => t_string!(
            i18n,
            mail.next_try,
            when = local_time(i18n, due),
            count = attempts
        )
        .to_string(),
        (MailStatus::Failed, _) => t_string!(i18n, mail.gave_up, count = attempts).to_string(),
        _ => String::new(),
    };
    view! {
        <tr data-status=status.as_str()>
            <td data-label=move || t_string!(i18n, mail.written)>{move || local_time(i18n, created)}</td>
            <td data-label=move || t_string!(i18n, mail.to)>{row.recipient}</td>
            <td data-label=move || t_string!(i18n, mail.subject)>{row.subject}</td>
            <td data-label=move || t_string!(i18n, mail.state)>
                <span>
                    <span class=badge_class(status)>{move || status_label(i18n, status)}</span>
                    <br/><small>{when}</small>
                </span>
            </td>
            <td data-label=move || t_string!(i18n, mail.error)>{row.last_error.unwrap_or_else(|| "—".into())}</td>
            <td>
                <ActionForm action=resend>
                    <input type="hidden" name="mail_id" value=row.id/>
                    <button type="submit" class="button secondary small">{t!(i18n, mail.send_again)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}
