//! Attendance of a webinar: marked by hand (staff, or the ambassador for their groups) or
//! imported from the video platform's report, with a preview before anything is saved.

use super::api::{
    ApplyImport, AttendanceSheet, ImportPreview, SaveAttendance, load_attendance, load_import,
};
use crate::domain::attendance::Source;
use crate::domain::attendance::matching::Outcome as Match;
use crate::domain::outcome::{Form, Outcome};
use crate::i18n::*;
use crate::ui::forms::{Submit, action_error, succeeded};
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, SuccessNotice};
use crate::ui::params::{found, id_param};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AttendancePage() -> impl IntoView {
    let id = id_param();
    let save = ServerAction::<SaveAttendance>::new();
    let sheet = Resource::new(
        move || (id.get(), save.version().get()),
        |(id, _)| found(id, load_attendance),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match sheet.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(sheet) => view! { <AttendanceView sheet save/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn AttendanceView(sheet: AttendanceSheet, save: ServerAction<SaveAttendance>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let saved = succeeded(save);
    let query = use_query_map();
    // The upload route redirects back here with ?report=… when a file could not be read.
    let upload_problem = move || {
        query
            .read()
            .get(Form::Report.key())
            .map(|code| Outcome::parse(&code).unwrap_or(Outcome::Missing))
    };
    let activity_id = sheet.activity_id;
    let required = sheet.required_minutes;
    view! {
        <Title text=format!("{} · {}", t_string!(i18n, attendance.title), sheet.title)/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href=format!("/activities/{activity_id}")>{sheet.title.clone()}</a>
        </nav>
        <header class="page-header">
            <h1>{t!(i18n, attendance.title)}</h1>
            <p class="lead">{move || t_string!(i18n, attendance.lead, minutes = required).to_string()}</p>
        </header>
        {sheet.may_import.then(|| view! {
            <section class="card" aria-labelledby="import-heading">
                <h2 id="import-heading">{t!(i18n, attendance.import)}</h2>
                <p class="hint">{t!(i18n, attendance.import_explainer)}</p>
                {move || upload_problem().map(|problem| view! {
                    <div class="notice error" role="alert">{crate::ui::text::upload_problem(i18n, problem)}</div>
                })}
                <form method="post" action=format!("/attendance-imports?activity_id={activity_id}") enctype="multipart/form-data">
                    <div class="field">
                        <label for="report-file">{t!(i18n, attendance.file)}</label>
                        <input id="report-file" type="file" name="report" accept=".csv,.txt,text/csv,text/plain" required=true/>
                    </div>
                    <button type="submit" class="button secondary">{t!(i18n, attendance.preview)}</button>
                </form>
            </section>
        })}
        <section aria-labelledby="mark-heading">
            <h2 id="mark-heading">{t!(i18n, attendance.mark)}</h2>
            <Show when=move || saved.get()><SuccessNotice>{t!(i18n, common.saved)}</SuccessNotice></Show>
            <ErrorNotice error/>
            {if sheet.rows.is_empty() {
                view! { <EmptyState><p>{t!(i18n, attendance.nobody)}</p></EmptyState> }.into_any()
            } else {
                view! {
                    <ActionForm action=save>
                        <input type="hidden" name="activity_id" value=activity_id/>
                        <div class="table-wrap" tabindex="0">
                            <table>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, staff.name)}</th>
                                    <th scope="col">{t!(i18n, attendance.group)}</th>
                                    <th scope="col">{t!(i18n, attendance.present)}</th>
                                    <th scope="col">{t!(i18n, attendance.minutes)}</th>
                                </tr></thead>
                                <tbody>
                                    {sheet.rows.into_iter().enumerate().map(|(i, row)| {
                                        let present_id = format!("present-{}", row.user_id);
                                        let minutes_id = format!("minutes-{}", row.user_id);
                                        view! {
                                            <tr>
                                                <td><label for=present_id.clone()>{row.name.clone()}</label></td>
                                                <td>{row.group.clone().unwrap_or_default()}</td>
                                                <td>
                                                    <input type="hidden" name=format!("entries[{i}][user_id]") value=row.user_id/>
                                                    <input type="checkbox" id=present_id name=format!("entries[{i}][present]") checked=row.minutes.is_some()/>
                                                </td>
                                                <td>
                                                    <label class="visually-hidden" for=minutes_id.clone()>{t!(i18n, attendance.minutes)}</label>
                                                    <input class="minutes" type="number" min="0" id=minutes_id name=format!("entries[{i}][minutes]") value=row.minutes.map(|m| m.to_string())/>
                                                    {row.source.map(|s| view! { <span class="aside">{" "}{move || match s {
                                                        Source::Manual => t_string!(i18n, attendance.source_manual).to_string(),
                                                        Source::Import => t_string!(i18n, attendance.source_import).to_string(),
                                                    }}</span> })}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="hint">{t!(i18n, attendance.minutes_hint)}</p>
                        <Submit pending=save.pending()>{t!(i18n, attendance.save)}</Submit>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn ImportPreviewPage() -> impl IntoView {
    let id = id_param();
    let apply = ServerAction::<ApplyImport>::new();
    let preview = Resource::new(
        move || (id.get(), apply.version().get()),
        |(id, _)| found(id, load_import),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match preview.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(preview) => view! { <PreviewView preview apply/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PreviewView(preview: ImportPreview, apply: ServerAction<ApplyImport>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(apply);
    let name = {
        let names = preview.names.clone();
        move |id: i32| {
            names
                .iter()
                .find(|(n, _)| *n == id)
                .map(|(_, name)| name.clone())
                .unwrap_or_default()
        }
    };
    let matched = preview
        .rows
        .iter()
        .filter(|r| r.outcome.user_id().is_some())
        .count();
    let ambiguous = preview
        .rows
        .iter()
        .filter(|r| matches!(r.outcome, Match::Ambiguous(_)))
        .count();
    let unmatched = preview
        .rows
        .iter()
        .filter(|r| r.outcome == Match::Unmatched)
        .count();
    let import_id = preview.import_id;
    view! {
        <Title text=t_string!(i18n, attendance.preview_title).to_string()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href=format!("/activities/{}/attendance", preview.activity_id)>{preview.title.clone()}</a>
        </nav>
        <header class="page-header">
            <h1>{t!(i18n, attendance.preview_title)}</h1>
            <p class="lead"><code>{preview.file_name.clone()}</code></p>
        </header>
        <div class="stats">
            <div class="stat"><span class="stat-value">{matched}</span><span class="stat-label">{t!(i18n, attendance.matched)}</span></div>
            <div class="stat"><span class="stat-value">{ambiguous}</span><span class="stat-label">{t!(i18n, attendance.ambiguous)}</span></div>
            <div class="stat"><span class="stat-value">{unmatched}</span><span class="stat-label">{t!(i18n, attendance.unmatched)}</span></div>
        </div>
        {(!preview.unreadable_rows.is_empty()).then(|| view! {
            <div class="notice error" role="status">
                {t!(i18n, attendance.unreadable)} " " {preview.unreadable_rows.iter().map(|n| n.to_string()).collect::<Vec<_>>().join(", ")}
            </div>
        })}
        <div class="table-wrap" tabindex="0">
            <table class="import-preview">
                <thead><tr>
                    <th scope="col">{t!(i18n, attendance.in_report)}</th>
                    <th scope="col">{t!(i18n, fields.email)}</th>
                    <th scope="col" class="num">{t!(i18n, attendance.minutes)}</th>
                    <th scope="col">{t!(i18n, attendance.outcome)}</th>
                </tr></thead>
                <tbody>
                    {preview.rows.into_iter().map(|row| {
                        let (class, outcome) = match &row.outcome {
                            Match::ByEmail(id) => ("matched", format!("✓ {}", name(*id))),
                            Match::ByName(id) => ("matched", format!("✓ {} ({})", name(*id), t_string!(i18n, attendance.by_name))),
                            Match::Ambiguous(ids) => ("ambiguous", format!("? {}", ids.iter().map(|id| name(*id)).collect::<Vec<_>>().join(" / "))),
                            Match::Unmatched => ("unmatched", format!("✗ {}", t_string!(i18n, attendance.unmatched_one))),
                        };
                        view! {
                            <tr class=class>
                                <td>{row.attendee.name}</td>
                                <td>{row.attendee.email.unwrap_or_default()}</td>
                                <td class="num">{row.attendee.minutes}</td>
                                <td>{outcome}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <ErrorNotice error/>
        {if preview.applied {
            view! { <SuccessNotice>{t!(i18n, attendance.applied)}</SuccessNotice> }.into_any()
        } else {
            view! {
                <p class="hint">{t!(i18n, attendance.apply_explainer)}</p>
                <ActionForm action=apply>
                    <input type="hidden" name="import_id" value=import_id/>
                    <Submit pending=apply.pending()>{move || t_string!(i18n, attendance.apply, count = matched).to_string()}</Submit>
                </ActionForm>
            }.into_any()
        }}
    }
}
