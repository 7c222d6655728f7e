//! Staff browse the audit log, newest first, filtered by action, edition or person.

use super::api::{AuditEntry, AuditPage, load_audit};
use crate::domain::audit::{Action, Detail};
use crate::domain::paging::page_number;
use crate::domain::roles::Role;
use crate::i18n::*;
use crate::ui::messages::{EmptyState, Loading, PageError, Pagination, local_time};
use crate::ui::text::I18n;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub fn action_label(i18n: I18n, action: Action) -> String {
    match action {
        Action::AttendanceRecorded => t_string!(i18n, audit.attendance_recorded),
        Action::AttendanceImported => t_string!(i18n, audit.attendance_imported),
        Action::SubmissionReviewed => t_string!(i18n, audit.submission_reviewed),
        Action::OverrideSet => t_string!(i18n, audit.override_set),
        Action::OverrideCleared => t_string!(i18n, audit.override_cleared),
        Action::CertificateIssued => t_string!(i18n, audit.certificate_issued),
        Action::CertificateRevoked => t_string!(i18n, audit.certificate_revoked),
        Action::CertificateReissued => t_string!(i18n, audit.certificate_reissued),
        Action::RoleChanged => t_string!(i18n, audit.role_changed),
        Action::ActivityHidden => t_string!(i18n, audit.activity_hidden),
        Action::ActivityShown => t_string!(i18n, audit.activity_shown),
        Action::ActivityDeleted => t_string!(i18n, audit.activity_deleted),
        Action::PasswordResetSent => t_string!(i18n, audit.password_reset_sent),
        Action::AccountDeactivated => t_string!(i18n, audit.account_deactivated),
        Action::AccountReactivated => t_string!(i18n, audit.account_reactivated),
        Action::NameCorrected => t_string!(i18n, audit.name_corrected),
        Action::MailResent => t_string!(i18n, audit.mail_resent),
        Action::RegistrationValidated => t_string!(i18n, audit.registration_validated),
        Action::RegistrationRejected => t_string!(i18n, audit.registration_rejected),
        Action::AccountAnonymised => t_string!(i18n, audit.account_anonymised),
    }
    .to_string()
}

/// An entry's detail in the reader's language.
fn detail_text(i18n: I18n, action: Action, detail: &str) -> String {
    match Detail::read(action, detail) {
        Detail::Role { role, granted } => match (role, granted) {
            (Role::Ambassador, true) => t_string!(i18n, audit.ambassador_granted).to_string(),
            (Role::Ambassador, false) => t_string!(i18n, audit.ambassador_withdrawn).to_string(),
            (Role::Staff, true) => t_string!(i18n, audit.staff_granted).to_string(),
            (Role::Staff, false) => t_string!(i18n, audit.staff_withdrawn).to_string(),
        },
        Detail::TutorshipEnded { group } => {
            t_string!(i18n, audit.tutorship_ended, group = group).to_string()
        }
        Detail::Reviewed {
            activity,
            version,
            status,
        } => format!(
            "{activity} · {} · {}",
            t_string!(i18n, submissions.version, number = version),
            crate::ui::text::submission_status(i18n, status)
        ),
        Detail::Registry => t_string!(i18n, audit.by_registry).to_string(),
        Detail::Text(text) => text.to_owned(),
    }
}

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        query.with(|q| {
            (
                page_number(q.get("page").as_deref()),
                q.get("action").and_then(|a| Action::parse(&a)),
                q.get("edition").and_then(|e| e.parse::<i32>().ok()),
                q.get("person").and_then(|p| p.parse::<i32>().ok()),
            )
        })
    };
    let data = Resource::new(filters, |(page, action, edition, person)| {
        load_audit(page, action, edition, person)
    });
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(log) => {
                        let (_, action, edition, person) = filters();
                        view! { <AuditView log action edition person/> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn AuditView(
    log: AuditPage,
    action: Option<Action>,
    edition: Option<i32>,
    person: Option<i32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let link = Callback::new(move |page: u64| {
        let mut parts = vec![format!("page={page}")];
        if let Some(a) = action {
            parts.push(format!("action={}", a.as_str()));
        }
        if let Some(e) = edition {
            parts.push(format!("edition={e}"));
        }
        if let Some(p) = person {
            parts.push(format!("person={p}"));
        }
        format!("/staff/audit?{}", parts.join("&"))
    });
    let empty = log.entries.is_empty();
    view! {
        <Title text=t_string!(i18n, audit.title).to_string()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff">{t!(i18n, staff.title)}</a>
        </nav>
        <header class="page-header">
            <h1>{t!(i18n, audit.title)}</h1>
            <p class="lead">{t!(i18n, audit.lead)}</p>
        </header>
        <form method="get" action="/staff/audit" class="card filters">
            <div class="field">
                <label for="audit-action">{t!(i18n, audit.action)}</label>
                <select id="audit-action" name="action">
                    <option value="">{t!(i18n, audit.all)}</option>
                    {Action::ALL.into_iter().map(|a| view! {
                        <option value=a.as_str() selected=action == Some(a)>{move || action_label(i18n, a)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-edition">{t!(i18n, audit.edition)}</label>
                <select id="audit-edition" name="edition">
                    <option value="">{t!(i18n, audit.all)}</option>
                    {log.editions.iter().map(|(id, title)| view! {
                        <option value=*id selected=edition == Some(*id)>{title.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            {log.subject.clone().map(|(id, name)| view! {
                <div class="field">
                    <input type="hidden" name="person" value=id/>
                    <p>{t!(i18n, audit.person)} ": " <strong>{name}</strong> " "
                        <a href="/staff/audit">{t!(i18n, audit.clear_person)}</a></p>
                </div>
            })}
            <button type="submit" class="button secondary">{t!(i18n, audit.filter)}</button>
        </form>
        <p class="aside">{move || t_string!(i18n, audit.count, count = log.total).to_string()}</p>
        {empty.then(|| view! { <EmptyState>{t!(i18n, audit.empty)}</EmptyState> })}
        {(!empty).then(|| view! {
            <div class="table-wrap" tabindex="0">
                <table class="audit-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, audit.when)}</th>
                        <th scope="col">{t!(i18n, audit.who)}</th>
                        <th scope="col">{t!(i18n, audit.action)}</th>
                        <th scope="col">{t!(i18n, audit.person)}</th>
                        <th scope="col">{t!(i18n, audit.edition)}</th>
                        <th scope="col">{t!(i18n, audit.detail)}</th>
                        <th scope="col">{t!(i18n, audit.why)}</th>
                    </tr></thead>
                    <tbody>
                        {log.entries.into_iter().map(|e| view! { <AuditRow e/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <Pagination number=log.page pages=log.pages link/>
    }
}

#[component]
fn AuditRow(e: AuditEntry) -> impl IntoView {
    let i18n = use_i18n();
    let at = e.at;
    let action = e.action;
    view! {
        <tr data-action=action.as_str()>
            <td>{move || local_time(i18n, at)}</td>
            <td>{e.actor.clone().unwrap_or_else(|| "—".into())}</td>
            <td>{move || action_label(i18n, action)}</td>
            <td>{e.subject.clone().map(|(id, name)| view! { <a href=format!("/staff/audit?person={id}")>{name}</a> })}</td>
            <td>{e.edition.clone().map(|(_, title)| title)}</td>
            <td>{
                let detail = e.detail.clone();
                move || detail_text(i18n, action, &detail)
            }</td>
            <td>{e.reason.clone().unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}
