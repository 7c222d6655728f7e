//! `/staff/name-corrections`: requests to correct a name that certificates print, oldest
//! first. Approving changes the name and issues the certificates again; rejecting says why.

use super::api::{CorrectionRow, DecideNameCorrection, load_name_corrections};
use crate::domain::Field;
use crate::i18n::*;
use crate::ui::forms::{TextField, action_error};
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, local_time};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CorrectionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let decide = ServerAction::<DecideNameCorrection>::new();
    let error = action_error(decide);
    let rows = Resource::new(move || decide.version().get(), |_| load_name_corrections());
    view! {
        <Title text=t_string!(i18n, corrections.title).to_string()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff/users">{t!(i18n, users.title)}</a>
        </nav>
        <header class="page-header">
            <h1>{t!(i18n, corrections.title)}</h1>
            <p class="lead">{t!(i18n, corrections.lead)}</p>
        </header>
        <ErrorNotice error/>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match rows.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! {
                        <EmptyState><p>{t!(i18n, corrections.none)}</p></EmptyState>
                    }.into_any(),
                    Ok(rows) => view! {
                        <ul class="plain corrections">
                            {rows.into_iter().map(|row| view! { <li><CorrectionCard row decide error/></li> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CorrectionCard(
    row: CorrectionRow,
    decide: ServerAction<DecideNameCorrection>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let at = row.requested_at;
    let form = format!("reject-{}", row.id);
    view! {
        <article class="card correction">
            <h2><a href=format!("/staff/users/{}", row.user_id)>{row.current.clone()}</a></h2>
            <p class="hint">{row.email.clone()} " · " {move || local_time(i18n, at)}</p>
            <dl class="facts">
                <div><dt>{t!(i18n, corrections.now)}</dt><dd>{row.current.clone()}</dd></div>
                <div><dt>{t!(i18n, corrections.asked)}</dt><dd class="printed-name">{row.requested.clone()}</dd></div>
            </dl>
            {(!row.note.is_empty()).then(|| view! { <blockquote>{row.note.clone()}</blockquote> })}
            <div class="actions">
                <ActionForm action=decide>
                    <input type="hidden" name="correction_id" value=row.id/>
                    <input type="hidden" name="approve" value="true"/>
                    <input type="hidden" name="reason" value=""/>
                    <button type="submit" class="button primary">{t!(i18n, corrections.approve)}</button>
                </ActionForm>
                <details class="confirm">
                    <summary class="button secondary">{t!(i18n, corrections.reject)}</summary>
                    <ActionForm action=decide>
                        <input type="hidden" name="correction_id" value=row.id/>
                        <input type="hidden" name="approve" value="false"/>
                        <TextField field=Field::Reason form=form error required=true maxlength=500>
                            {t!(i18n, corrections.reject_reason)}
                        </TextField>
                        <button type="submit" class="button danger small">{t!(i18n, corrections.reject_submit)}</button>
                    </ActionForm>
                </details>
            </div>
        </article>
    }
}
