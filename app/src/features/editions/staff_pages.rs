//! Staff: an edition's page (status, details, clone), with the enrolment list of `enrolment`.

use super::api::{
    ChangeEditionStatus, CloneEdition, EditionForStaff, EditionSummary, UpdateEdition,
    edition_admin,
};
use crate::domain::Field;
use crate::domain::editions::MAX_CAPACITY;
use crate::error::AppError;
use crate::features::enrolment::pages::EnrolmentList;
use crate::i18n::*;
use crate::ui::badges::StatusBadge;
use crate::ui::forms::{Submit, TextField, action_error, succeeded};
use crate::ui::messages::{ErrorNotice, Loading, PageError, SuccessNotice};
use crate::ui::params::{found, id_param};
use crate::ui::text;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// The fields of the edition form, pre-filled when editing.
#[component]
pub fn EditionFields(
    error: Signal<Option<AppError>>,
    edition: Option<EditionSummary>,
    form: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let value = |f: fn(&EditionSummary) -> String| edition.as_ref().map(f);
    let title = value(|e| e.title.clone());
    let opens = value(|e| e.dates.enrolment_opens_on.to_string());
    let closes = value(|e| e.dates.enrolment_closes_on.to_string());
    let starts = value(|e| e.dates.starts_on.to_string());
    let ends = value(|e| e.dates.ends_on.to_string());
    let capacity = value(|e| e.capacity.to_string()).or(Some("500".to_owned()));
    view! {
        <TextField form=form field=Field::Title error required=true maxlength=200 value=title>
            {t!(i18n, fields.title)}
        </TextField>
        <div class="field-row">
            <TextField form=form field=Field::EnrolmentOpensOn error input_type="date" required=true value=opens>
                {t!(i18n, fields.enrolment_opens_on)}
            </TextField>
            <TextField form=form field=Field::EnrolmentClosesOn error input_type="date" required=true value=closes>
                {t!(i18n, fields.enrolment_closes_on)}
            </TextField>
        </div>
        <div class="field-row">
            <TextField form=form field=Field::StartsOn error input_type="date" required=true value=starts>
                {t!(i18n, fields.starts_on)}
            </TextField>
            <TextField form=form field=Field::EndsOn error input_type="date" required=true value=ends>
                {t!(i18n, fields.ends_on)}
            </TextField>
        </div>
        <TextField form=form field=Field::Capacity error input_type="number" required=true min=1 max=MAX_CAPACITY value=capacity>
            {t!(i18n, fields.capacity)}
        </TextField>
    }
}

#[component]
pub fn EditionAdminPage() -> impl IntoView {
    let id = id_param();
    let update = ServerAction::<UpdateEdition>::new();
    let change_status = ServerAction::<ChangeEditionStatus>::new();
    let clone = ServerAction::<CloneEdition>::new();
    let edition = Resource::new(
        move || {
            (
                id.get(),
                update.version().get(),
                change_status.version().get(),
            )
        },
        |(id, _, _)| found(id, edition_admin),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match edition.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(edition) => view! { <EditionAdminView edition update change_status clone/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn EditionAdminView(
    edition: EditionForStaff,
    update: ServerAction<UpdateEdition>,
    change_status: ServerAction<ChangeEditionStatus>,
    clone: ServerAction<CloneEdition>,
) -> impl IntoView {
    let i18n = use_i18n();
    let summary = edition.summary.clone();
    let edition_id = summary.id;
    let dates = summary.dates;
    let update_error = action_error(update);
    let status_error = action_error(change_status);
    let clone_error = action_error(clone);
    let saved = succeeded(update);
    let clone_title = t_string!(
        i18n,
        staff.clone_default_title,
        title = summary.title.clone()
    )
    .to_string();
    view! {
        <Title text=summary.title.clone()/>
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff">{t!(i18n, staff.title)}</a>
            " / "
            <a href=format!("/staff/courses/{}", summary.course_id)>{summary.course_title.clone()}</a>
        </nav>
        <header class="page-header">
            <p class="eyebrow"><code>{edition.course_code.clone()}</code></p>
            <h1>{summary.title.clone()}</h1>
            <StatusBadge status=summary.status/>
            <p class="dates">{move || text::date_range(i18n, dates.starts_on, dates.ends_on)}</p>
            {edition.cloned_from.clone().map(|(id, title)| view! {
                <p class="aside">{t!(i18n, staff.cloned_from)} " " <a href=format!("/staff/editions/{id}")>{title}</a></p>
            })}
            <p class="actions">
                <a class="button secondary" href=format!("/staff/editions/{edition_id}/activities")>{t!(i18n, activities.manage)}</a>
                <a class="button secondary" href=format!("/staff/editions/{edition_id}/groups")>{t!(i18n, groups.manage)}</a>
                <a class="button secondary" href=format!("/editions/{edition_id}/cockpit")>{t!(i18n, cockpit.title)}</a>
                <a class="button secondary" href=format!("/staff/editions/{edition_id}/completion")>{t!(i18n, completion.manage)}</a>
                <a class="button secondary" href=format!("/staff/editions/{edition_id}/certificates")>{t!(i18n, certificates.title)}</a>
                <a class="button secondary" href=format!("/staff/audit?edition={edition_id}")>{t!(i18n, audit.title)}</a>
                <a href=format!("/editions/{edition_id}")>{t!(i18n, staff.participant_view)}</a>
            </p>
        </header>

        <div class="stats">
            <div class="stat"><span class="stat-value">{format!("{} / {}", summary.enrolled, summary.capacity)}</span><span class="stat-label">{t!(i18n, staff.enrolled)}</span></div>
            <div class="stat"><span class="stat-value">{summary.waiting}</span><span class="stat-label">{t!(i18n, staff.waiting)}</span></div>
            <div class="stat"><span class="stat-value">{edition.withdrawn}</span><span class="stat-label">{t!(i18n, staff.withdrawn)}</span></div>
        </div>

        {edition.next_status.map(|next| view! {
            <section class="card status-change" aria-labelledby="status-heading">
                <h2 id="status-heading">{t!(i18n, staff.status)}</h2>
                <p class="hint">{move || {
                    use crate::domain::editions::EditionStatus;
                    match next {
                        EditionStatus::Open => t_string!(i18n, staff.explain_open),
                        EditionStatus::Running => t_string!(i18n, staff.explain_running),
                        EditionStatus::Closed => t_string!(i18n, staff.explain_closed),
                        EditionStatus::Archived | EditionStatus::Draft => t_string!(i18n, staff.explain_archived),
                    }
                }}</p>
                <ErrorNotice error=status_error/>
                // Closed again after each change, so the next step is not pre-opened.
                <details class="confirm" prop:open=move || { change_status.version().get(); false }>
                    <summary class="button primary">{move || text::edition_status_action(i18n, next)}</summary>
                    <p>{move || t_string!(i18n, staff.status_confirm, status = text::edition_status(i18n, next)).to_string()}</p>
                    <ActionForm action=change_status>
                        <input type="hidden" name="edition_id" value=edition_id/>
                        <input type="hidden" name="status" value=next.as_str()/>
                        <Submit pending=change_status.pending()>{t!(i18n, common.confirm)}</Submit>
                    </ActionForm>
                </details>
            </section>
        })}

        <section aria-labelledby="enrolments-heading">
            <h2 id="enrolments-heading">{t!(i18n, staff.enrolments)}</h2>
            <EnrolmentList edition_id/>
        </section>

        <div class="two-columns">
            <section class="card" aria-labelledby="edit-edition-heading">
                <h2 id="edit-edition-heading">{t!(i18n, staff.edit_edition)}</h2>
                <Show when=move || saved.get()><SuccessNotice>{t!(i18n, common.saved)}</SuccessNotice></Show>
                <ErrorNotice error=update_error/>
                <ActionForm action=update>
                    <input type="hidden" name="edition_id" value=edition_id/>
                    <EditionFields error=update_error edition=Some(summary.clone()) form="edition"/>
                    <Submit pending=update.pending()>{t!(i18n, common.save)}</Submit>
                </ActionForm>
            </section>
            <section class="card" aria-labelledby="clone-heading">
                <h2 id="clone-heading">{t!(i18n, staff.clone)}</h2>
                <p class="hint">{t!(i18n, staff.clone_explainer)}</p>
                <ErrorNotice error=clone_error/>
                // A plain form: the copy opens as a fresh page (the same route with another id
                // would otherwise keep this form's typed values).
                <form method="post" action=CloneEdition::url()>
                    <input type="hidden" name="edition_id" value=edition_id/>
                    <TextField form="clone" field=Field::Title error=clone_error required=true maxlength=200 value=Some(clone_title)>
                        {t!(i18n, fields.title)}
                    </TextField>
                    <TextField form="clone" field=Field::StartsOn error=clone_error input_type="date" required=true>
                        {t!(i18n, staff.clone_starts_on)}
                    </TextField>
                    <button type="submit" class="button primary">{t!(i18n, staff.clone_submit)}</button>
                </form>
            </section>
        </div>
    }
}
