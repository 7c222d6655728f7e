//! `/staff/registry`: upload the ministry's registry export and see past uploads;
//! `/staff/registry/:id`: the upload being read (a progress bar), then its preview (people read,
//! bad lines with their numbers, conflicts, what applying would validate) and the decision.

use super::api::{
    ApplyRegistryImport, DiscardRegistryImport, RegistryImport, load_registry, load_registry_import,
};
use crate::domain::registry::{ImportStatus, LineProblem};
use crate::i18n::*;
use crate::ui::forms::{action_error, succeeded};
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, SuccessNotice, local_time};
use crate::ui::text::I18n;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

fn status_label(i18n: I18n, status: ImportStatus) -> String {
    match status {
        ImportStatus::Reading => t_string!(i18n, registry.reading),
        ImportStatus::Preview => t_string!(i18n, registry.preview),
        ImportStatus::Applied => t_string!(i18n, registry.applied),
        ImportStatus::Discarded => t_string!(i18n, registry.discarded),
        ImportStatus::Replaced => t_string!(i18n, registry.replaced),
    }
    .to_string()
}

fn badge_class(status: ImportStatus) -> &'static str {
    match status {
        ImportStatus::Reading | ImportStatus::Preview => "badge state-pending",
        ImportStatus::Applied => "badge state-done",
        ImportStatus::Discarded | ImportStatus::Replaced => "badge",
    }
}

fn problem_label(i18n: I18n, problem: LineProblem) -> String {
    match problem {
        LineProblem::Blank => t_string!(i18n, registry.line_blank),
        LineProblem::WrongFieldCount => t_string!(i18n, registry.line_field_count),
        LineProblem::MissingName => t_string!(i18n, registry.line_missing_name),
        LineProblem::SchoolCodeInvalid => t_string!(i18n, registry.line_school_code),
        LineProblem::EmailInvalid => t_string!(i18n, registry.line_email),
        LineProblem::TaxCodeInvalid => t_string!(i18n, registry.line_tax_code),
        LineProblem::NoIdentifier => t_string!(i18n, registry.line_no_identifier),
        LineProblem::Duplicate => t_string!(i18n, registry.line_duplicate),
    }
    .to_string()
}

fn encoding_label(i18n: I18n, encoding: &str) -> String {
    match encoding {
        "utf8" => t_string!(i18n, registry.utf8).to_string(),
        "utf8_bom" => t_string!(i18n, registry.utf8_bom).to_string(),
        "windows1252" => t_string!(i18n, registry.windows1252).to_string(),
        other => other.to_owned(),
    }
}

fn upload_error(i18n: I18n, code: &str) -> String {
    match code {
        "empty" => t_string!(i18n, errors.registry_empty).to_string(),
        "columns" => t_string!(i18n, errors.registry_columns).to_string(),
        "too_large" => t_string!(i18n, registry.too_large).to_string(),
        _ => t_string!(i18n, registry.missing).to_string(),
    }
}

#[component]
pub fn RegistryPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| load_registry());
    let problem = crate::ui::params::page_query("error");
    view! {
        <Title text=t_string!(i18n, registry.title).to_string()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff/registrations">{t!(i18n, registrations.title)}</a>
        </nav>
        <header class="page-header">
            <h1>{t!(i18n, registry.title)}</h1>
            <p class="lead">{t!(i18n, registry.lead)}</p>
        </header>
        <section class="card" aria-labelledby="upload-heading">
            <h2 id="upload-heading">{t!(i18n, registry.upload)}</h2>
            <p class="hint">{t!(i18n, registry.upload_hint)}</p>
            {problem.map(|code| view! {
                <div class="notice error" role="alert">{move || upload_error(i18n, &code)}</div>
            })}
            <form method="post" action="/staff/registry" enctype="multipart/form-data">
                <div class="field">
                    <label for="registry-file">{t!(i18n, registry.file)}</label>
                    <input id="registry-file" type="file" name="registry" accept=".csv,.txt,text/csv,text/plain" required=true/>
                </div>
                <button type="submit" class="button primary">{t!(i18n, registry.read)}</button>
            </form>
        </section>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(overview) => {
                        let now = overview.people_now;
                        view! {
                            <p class="count">{move || t_string!(i18n, registry.people_now, count = now).to_string()}</p>
                            <section aria-labelledby="uploads-heading">
                                <h2 id="uploads-heading">{t!(i18n, registry.uploads)}</h2>
                                {if overview.imports.is_empty() {
                                    view! { <EmptyState><p>{t!(i18n, registry.none)}</p></EmptyState> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap" tabindex="0">
                                            <table class="cards-on-phone">
                                                <thead><tr>
                                                    <th scope="col">{t!(i18n, registry.file)}</th>
                                                    <th scope="col">{t!(i18n, registry.uploaded)}</th>
                                                    <th scope="col">{t!(i18n, registry.people)}</th>
                                                    <th scope="col">{t!(i18n, registry.state)}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {overview.imports.into_iter().map(|import| {
                                                        let at = import.uploaded_at;
                                                        let status = import.status;
                                                        view! {
                                                            <tr>
                                                                <td data-label=move || t_string!(i18n, registry.file)><a href=format!("/staff/registry/{}", import.id)>{import.file_name}</a></td>
                                                                <td data-label=move || t_string!(i18n, registry.uploaded)>{move || local_time(i18n, at)}</td>
                                                                <td data-label=move || t_string!(i18n, registry.people)>{import.people}</td>
                                                                <td data-label=move || t_string!(i18n, registry.state)><span class=badge_class(status)>{move || status_label(i18n, status)}</span></td>
                                                            </tr>
                                                        }
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </div>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
pub fn RegistryImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let apply = ServerAction::<ApplyRegistryImport>::new();
    let discard = ServerAction::<DiscardRegistryImport>::new();
    let apply_error = action_error(apply);
    let discard_error = action_error(discard);
    let applied = succeeded(apply);
    let discarded = succeeded(discard);
    let data = Resource::new(
        move || (id(), apply.version().get(), discard.version().get()),
        |(id, _, _)| load_registry_import(id),
    );
    view! {
        <Title text=t_string!(i18n, registry.import_title).to_string()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff/registry">{t!(i18n, registry.title)}</a>
        </nav>
        <Show when=move || applied.get()>
            <SuccessNotice>{t!(i18n, registry.applied_notice)}</SuccessNotice>
        </Show>
        <Show when=move || discarded.get()>
            <SuccessNotice>{t!(i18n, registry.discarded_notice)}</SuccessNotice>
        </Show>
        <ErrorNotice error=apply_error/>
        <ErrorNotice error=discard_error/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(import) => view! { <ImportView import apply discard/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ImportView(
    import: RegistryImport,
    apply: ServerAction<ApplyRegistryImport>,
    discard: ServerAction<DiscardRegistryImport>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = import.status;
    let uploaded = import.uploaded_at;
    let (people, stored) = (import.people, import.stored);
    let encoding = import.encoding.clone();
    let separator = import.separator.clone();
    let bad_count = import.bad_line_count;
    let shown = import.bad_lines.len() as i32;
    let duplicates = import.duplicates;
    let (exact, partial) = (
        import.exact_matches.unwrap_or(0),
        import.partial_matches.unwrap_or(0),
    );
    let applied_at = import.applied_at;
    view! {
        <header class="page-header">
            <h1>{import.file_name.clone()}</h1>
            <p class="lead">
                <span class=badge_class(status)>{move || status_label(i18n, status)}</span>
                " " {move || t_string!(i18n, registry.uploaded_by, when = local_time(i18n, uploaded), who = import.uploaded_by.clone().unwrap_or_default()).to_string()}
            </p>
        </header>
        {(status == ImportStatus::Reading).then(|| view! {
            // The page looks again every second until the file is read (no script needed).
            <Meta http_equiv="refresh" content="1"/>
            <section class="card" aria-labelledby="progress-heading">
                <h2 id="progress-heading">{t!(i18n, registry.reading_heading)}</h2>
                <progress id="registry-progress" max=people.max(1) value=stored aria-labelledby="progress-heading"></progress>
                <p>{move || t_string!(i18n, registry.progress, stored = stored, people = people).to_string()}</p>
            </section>
        })}
        {(status != ImportStatus::Reading).then(|| view! {
            <dl class="facts registry-facts">
                <div><dt>{t!(i18n, registry.people_read)}</dt><dd>{people}</dd></div>
                <div><dt>{t!(i18n, registry.bad_lines)}</dt><dd>{bad_count}</dd></div>
                <div><dt>{t!(i18n, registry.conflicts)}</dt><dd>{duplicates}</dd></div>
                <div><dt>{move || if status == ImportStatus::Applied { t_string!(i18n, registry.validated_now) } else { t_string!(i18n, registry.exact) }}</dt><dd>{exact}</dd></div>
                <div><dt>{t!(i18n, registry.partial)}</dt><dd>{partial}</dd></div>
                <div><dt>{t!(i18n, registry.encoding)}</dt><dd>{move || encoding_label(i18n, &encoding)}</dd></div>
                <div><dt>{t!(i18n, registry.separator)}</dt><dd><code>{separator.clone()}</code></dd></div>
            </dl>
        })}
        {(status == ImportStatus::Preview).then(|| view! {
            <section class="card" aria-labelledby="decide-heading">
                <h2 id="decide-heading">{t!(i18n, registry.decide_heading)}</h2>
                <p>{t!(i18n, registry.decide_text)}</p>
                <div class="actions">
                    <ActionForm action=apply>
                        <input type="hidden" name="import_id" value=import.id/>
                        <button type="submit" class="button primary">{t!(i18n, registry.apply)}</button>
                    </ActionForm>
                    <details class="confirm">
                        <summary class="button secondary">{t!(i18n, registry.discard)}</summary>
                        <p>{t!(i18n, registry.discard_text)}</p>
                        <ActionForm action=discard>
                            <input type="hidden" name="import_id" value=import.id/>
                            <button type="submit" class="button danger">{t!(i18n, registry.discard_confirm)}</button>
                        </ActionForm>
                    </details>
                </div>
            </section>
        })}
        {(status == ImportStatus::Applied).then(|| view! {
            <p>
                {move || applied_at.map(|at| t_string!(i18n, registry.applied_at, when = local_time(i18n, at)).to_string()).unwrap_or_default()}
                " " <a href="/staff/registrations?matched=partial">{t!(i18n, registry.see_partial)}</a>
            </p>
        })}
        {(status != ImportStatus::Reading && bad_count > 0).then(|| view! {
            <section aria-labelledby="bad-heading">
                <h2 id="bad-heading">{t!(i18n, registry.bad_heading)}</h2>
                <p class="hint">{t!(i18n, registry.bad_hint)}</p>
                {(bad_count > shown).then(|| view! {
                    <p class="hint">{move || t_string!(i18n, registry.bad_first, shown = shown, count = bad_count).to_string()}</p>
                })}
                <div class="table-wrap" tabindex="0">
                    <table class="bad-lines">
                        <thead><tr>
                            <th scope="col">{t!(i18n, registry.line)}</th>
                            <th scope="col">{t!(i18n, registry.problem)}</th>
                        </tr></thead>
                        <tbody>
                            {import.bad_lines.into_iter().map(|bad| view! {
                                <tr><td>{bad.line}</td><td>{move || problem_label(i18n, bad.problem)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
}
