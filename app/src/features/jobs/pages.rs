//! `/staff/jobs`: what the scheduler runs, when each job last ran, how long it took, what it
//! did, and when it runs next; staff can ask for a run now.

use super::api::{JobRow, RunJobNow, load_jobs};
use crate::i18n::*;
use crate::ui::forms::{action_error, succeeded};
use crate::ui::messages::{ErrorNotice, Loading, PageError, SuccessNotice, local_time};
use crate::ui::text::I18n;
use leptos::prelude::*;
use leptos_meta::Title;

fn job_title(i18n: I18n, name: &str) -> String {
    match name {
        "housekeeping" => t_string!(i18n, jobs.housekeeping).to_string(),
        "lifecycle" => t_string!(i18n, jobs.lifecycle).to_string(),
        other => other.to_owned(),
    }
}

fn job_lead(i18n: I18n, name: &str) -> String {
    match name {
        "housekeeping" => t_string!(i18n, jobs.housekeeping_lead).to_string(),
        "lifecycle" => t_string!(i18n, jobs.lifecycle_lead).to_string(),
        _ => String::new(),
    }
}

/// "12 sessions", in the reader's language and with the right plural.
fn count_text(i18n: I18n, kind: &str, count: u64) -> String {
    match kind {
        "sessions" => t_string!(i18n, jobs.count_sessions, count = count).to_string(),
        "links" => t_string!(i18n, jobs.count_links, count = count).to_string(),
        "throttles" => t_string!(i18n, jobs.count_throttles, count = count).to_string(),
        "rate_limits" => t_string!(i18n, jobs.count_rate_limits, count = count).to_string(),
        "sign_ins" => t_string!(i18n, jobs.count_sign_ins, count = count).to_string(),
        "inactive" => t_string!(i18n, jobs.count_inactive, count = count).to_string(),
        "warned" => t_string!(i18n, jobs.count_warned, count = count).to_string(),
        "anonymised" => t_string!(i18n, jobs.count_anonymised, count = count).to_string(),
        other => format!("{other}: {count}"),
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let i18n = use_i18n();
    let run = ServerAction::<RunJobNow>::new();
    let error = action_error(run);
    let asked = succeeded(run);
    let jobs = Resource::new(move || run.version().get(), |_| load_jobs());
    view! {
        <Title text=t_string!(i18n, jobs.title).to_string()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff">{t!(i18n, staff.title)}</a>
        </nav>
        <header class="page-header">
            <h1>{t!(i18n, jobs.title)}</h1>
            <p class="lead">{t!(i18n, jobs.lead)}</p>
        </header>
        <ErrorNotice error/>
        <Show when=move || asked.get()>
            <SuccessNotice>{t!(i18n, jobs.asked)}</SuccessNotice>
        </Show>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match jobs.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(jobs) => view! {
                        <ul class="plain jobs">
                            {jobs.into_iter().map(|job| view! { <li><JobCard job run/></li> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn JobCard(job: JobRow, run: ServerAction<RunJobNow>) -> impl IntoView {
    let i18n = use_i18n();
    let name = job.name.clone();
    let heading = format!("job-{}", job.name);
    let (started, next) = (job.last_started_at, job.next_run_at);
    let outcome = match (job.running, job.last_succeeded) {
        (true, _) => {
            view! { <span class="badge state-pending">{t!(i18n, jobs.running)}</span> }.into_any()
        }
        (false, Some(true)) => {
            view! { <span class="badge state-done">{t!(i18n, jobs.succeeded)}</span> }.into_any()
        }
        (false, Some(false)) => {
            view! { <span class="badge state-attention">{t!(i18n, jobs.failed)}</span> }.into_any()
        }
        (false, None) => view! { <span class="badge">{t!(i18n, jobs.never)}</span> }.into_any(),
    };
    let counts = job.counts.clone();
    let plan = job.plan.clone();
    view! {
        <article class="card job" aria-labelledby=heading.clone() data-job=job.name.clone()>
            <h2 id=heading.clone()>{let name = name.clone(); move || job_title(i18n, &name)}</h2>
            <p class="hint">{let name = name.clone(); move || job_lead(i18n, &name)}</p>
            <dl class="facts">
                <div><dt>{t!(i18n, jobs.last_run)}</dt><dd>
                    {move || started.map(|at| local_time(i18n, at)).unwrap_or_else(|| t_string!(i18n, jobs.never).to_string())}
                    " " {outcome}
                </dd></div>
                {job.last_duration_ms.map(|ms| view! {
                    <div><dt>{t!(i18n, jobs.duration)}</dt><dd>{move || t_string!(i18n, jobs.milliseconds, ms = ms).to_string()}</dd></div>
                })}
                <div><dt>{t!(i18n, jobs.next_run)}</dt><dd>
                    {move || next.map(|at| local_time(i18n, at)).unwrap_or_else(|| t_string!(i18n, jobs.at_next_look).to_string())}
                </dd></div>
            </dl>
            {(!counts.is_empty()).then(|| view! {
                <h3>{t!(i18n, jobs.what_it_did)}</h3>
                <ul class="job-counts">
                    {counts.into_iter().map(|(kind, count)| view! { <li>{move || count_text(i18n, &kind, count)}</li> }).collect_view()}
                </ul>
            })}
            {(!plan.is_empty()).then(|| view! {
                <h3>{t!(i18n, jobs.dry_run)}</h3>
                <ul class="job-counts dry-run">
                    {plan.into_iter().map(|(kind, count)| view! { <li>{move || count_text(i18n, &kind, count)}</li> }).collect_view()}
                </ul>
            })}
            {job.error.clone().map(|error| view! {
                <p class="notice error"><strong>{t!(i18n, jobs.error)}</strong> " " {error}</p>
            })}
            <ActionForm action=run>
                <input type="hidden" name="name" value=name.clone()/>
                <button type="submit" class="button secondary small">{t!(i18n, jobs.run_now)}</button>
            </ActionForm>
        </article>
    }
}
