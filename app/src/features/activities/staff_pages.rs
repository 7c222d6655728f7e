//! Staff: the activities of an edition — add, edit, order, remove.

use super::api::{
    ActivitiesAdmin, ActivityDetails, CreateActivity, DeleteActivity, MoveActivity,
    SetActivityHidden, SetSpeaker, UpdateActivity, load_activities_admin,
};
use crate::domain::Field;
use crate::domain::activities::{ActivityForm, ActivityKind};
use crate::error::AppError;
use crate::features::attendance::api::SaveAttendanceRules;
use crate::i18n::*;
use crate::ui::forms::{Submit, TextArea, TextField, action_error, succeeded};
use crate::ui::layout::EditionToolHeader;
use crate::ui::messages::{EmptyState, ErrorNotice, Loading, PageError, SuccessNotice, local_time};
use crate::ui::params::{found, id_param};
use crate::ui::text;
use leptos::prelude::*;

#[component]
pub fn ActivitiesAdminPage() -> impl IntoView {
    let id = id_param();
    let create = ServerAction::<CreateActivity>::new();
    let update = ServerAction::<UpdateActivity>::new();
    let moved = ServerAction::<MoveActivity>::new();
    let delete = ServerAction::<DeleteActivity>::new();
    let hide = ServerAction::<SetActivityHidden>::new();
    let delete_error = action_error(delete);
    let hide_error = action_error(hide);
    let speaker = ServerAction::<SetSpeaker>::new();
    let rules = ServerAction::<SaveAttendanceRules>::new();
    let errors = AdminErrors {
        create: action_error(create),
        update: action_error(update),
        delete: delete_error,
        hide: hide_error,
        speaker: action_error(speaker),
        rules: action_error(rules),
        rules_saved: succeeded(rules),
    };
    let data = Resource::new(
        move || {
            (
                id.get(),
                create.version().get(),
                update.version().get(),
                moved.version().get(),
                delete.version().get(),
                hide.version().get(),
                speaker.version().get(),
                rules.version().get(),
            )
        },
        |(id, ..)| found(id, load_activities_admin),
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(admin) => view! { <ActivitiesAdminView admin create update moved delete hide errors speaker rules/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The page's action outcomes. They belong to the page, not to the list: the list is rebuilt
/// after every change (its data are reloaded), and a notice must not read a signal that went
/// with the old list.
#[derive(Clone, Copy)]
struct AdminErrors {
    create: Signal<Option<AppError>>,
    update: Signal<Option<AppError>>,
    delete: Signal<Option<AppError>>,
    hide: Signal<Option<AppError>>,
    speaker: Signal<Option<AppError>>,
    rules: Signal<Option<AppError>>,
    rules_saved: Signal<bool>,
}

#[component]
fn ActivitiesAdminView(
    admin: ActivitiesAdmin,
    create: ServerAction<CreateActivity>,
    update: ServerAction<UpdateActivity>,
    moved: ServerAction<MoveActivity>,
    delete: ServerAction<DeleteActivity>,
    hide: ServerAction<SetActivityHidden>,
    errors: AdminErrors,
    speaker: ServerAction<SetSpeaker>,
    rules: ServerAction<SaveAttendanceRules>,
) -> impl IntoView {
    let AdminErrors {
        create: create_error,
        update: update_error,
        delete: delete_error,
        hide: hide_error,
        speaker: speaker_error,
        rules: rules_error,
        rules_saved,
    } = errors;
    let i18n = use_i18n();
    let edition_id = admin.edition_id;
    let min_minutes = admin.attendance_min_minutes.to_string();
    let allow_recording = admin.allow_recording;
    let speakers = admin.speakers.clone();
    let choices = admin.speaker_choices.clone();
    let webinars: Vec<(i32, String)> = admin
        .activities
        .iter()
        .filter(|a| a.kind == ActivityKind::Webinar)
        .map(|a| (a.id, a.title.clone()))
        .collect();
    let count = admin.activities.len();
    view! {
        <EditionToolHeader edition_id edition_title=admin.edition_title.clone()
            heading=t_string!(i18n, activities.title).to_string() lead=t_string!(i18n, activities.lead).to_string()/>
        <section class="card rules" aria-labelledby="rules-heading">
            <h2 id="rules-heading">{t!(i18n, recording.rules)}</h2>
            <ErrorNotice error=rules_error/>
            <Show when=move || rules_saved.get()>
                <SuccessNotice>{t!(i18n, recording.rules_saved)}</SuccessNotice>
            </Show>
            <ActionForm action=rules>
                <input type="hidden" name="edition_id" value=edition_id/>
                <TextField form="rules" field=Field::MinMinutes error=rules_error input_type="number" min=1 max=600 value=Some(min_minutes) required=true>
                    {t!(i18n, recording.min_minutes)}
                </TextField>
                <div class="field checkbox">
                    <input type="checkbox" id="rules-allow-recording" name="allow_recording" value="on" checked=allow_recording/>
                    <label for="rules-allow-recording">{t!(i18n, recording.allow)}</label>
                </div>
                <Submit pending=rules.pending()>{t!(i18n, common.save)}</Submit>
            </ActionForm>
        </section>
        <ErrorNotice error=update_error/>
        <ErrorNotice error=delete_error/>
        <ErrorNotice error=hide_error/>
        <ErrorNotice error=speaker_error/>
        {if admin.activities.is_empty() {
            view! { <EmptyState><p>{t!(i18n, activities.none)}</p></EmptyState> }.into_any()
        } else {
            view! {
                <ol class="activity-list">
                    {admin.activities.into_iter().enumerate().map(|(i, activity)| {
                        let id = activity.id;
                        let speaking: Vec<(i32, String)> = speakers.iter().filter(|(a, ..)| *a == id).map(|(_, u, n)| (*u, n.clone())).collect();
                        let choices = choices.clone();
                        let webinars = webinars.clone();
                        view! { <ActivityLine activity first=i == 0 last=i + 1 == count update moved delete hide update_error speaking choices speaker webinars/> }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        <section class="card" aria-labelledby="new-activity-heading">
            <h2 id="new-activity-heading">{t!(i18n, activities.new_activity)}</h2>
            <ErrorNotice error=create_error/>
            <ActionForm action=create>
                <input type="hidden" name="edition_id" value=edition_id/>
                <ActivityFields error=create_error form=None form_id="new-activity" webinars=webinars.clone()/>
                <Submit pending=create.pending()>{t!(i18n, activities.create)}</Submit>
            </ActionForm>
        </section>
    }
}

#[component]
fn ActivityLine(
    activity: ActivityDetails,
    first: bool,
    last: bool,
    update: ServerAction<UpdateActivity>,
    moved: ServerAction<MoveActivity>,
    delete: ServerAction<DeleteActivity>,
    hide: ServerAction<SetActivityHidden>,
    update_error: Signal<Option<AppError>>,
    speaking: Vec<(i32, String)>,
    choices: Vec<(i32, String)>,
    speaker: ServerAction<SetSpeaker>,
    webinars: Vec<(i32, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = activity.id;
    let kind = activity.kind;
    let form = activity.form();
    let when = activity.starts_at.or(activity.due_at);
    let form_id = format!("activity-{id}");
    let hidden = activity.hidden;
    view! {
        <li class="activity-line" class:hidden-activity=hidden>
            <div class="activity-summary">
                <span class=format!("badge kind-{}", kind.as_str())>{move || text::activity_kind(i18n, kind)}</span>
                <a href=format!("/activities/{id}")>{activity.title.clone()}</a>
                {when.map(|at| view! { <span class="aside">{move || local_time(i18n, at)}</span> })}
                {(!activity.counts).then(|| view! { <span class="aside">{t!(i18n, activities.optional)}</span> })}
                {hidden.then(|| view! { <span class="badge state-pending">{t!(i18n, activities.hidden)}</span> })}
                {(kind == ActivityKind::Webinar).then(|| view! {
                    <a class="button link small" href=format!("/activities/{id}/attendance")>{t!(i18n, attendance.title)}</a>
                })}
                {(kind == ActivityKind::Quiz).then(|| view! {
                    <a class="button link small" href=format!("/staff/activities/{id}/quiz")>{t!(i18n, quiz.questions)}</a>
                })}
            </div>
            <div class="activity-tools">
                <ActionForm action=moved>
                    <input type="hidden" name="activity_id" value=id/>
                    <input type="hidden" name="direction" value="up"/>
                    <button type="submit" class="button link small" disabled=first aria-label=move || t_string!(i18n, activities.move_up)>"↑"</button>
                </ActionForm>
                <ActionForm action=moved>
                    <input type="hidden" name="activity_id" value=id/>
                    <input type="hidden" name="direction" value="down"/>
                    <button type="submit" class="button link small" disabled=last aria-label=move || t_string!(i18n, activities.move_down)>"↓"</button>
                </ActionForm>
                <ActionForm action=hide>
                    <input type="hidden" name="activity_id" value=id/>
                    <input type="hidden" name="hidden" value=if hidden { "false" } else { "true" }/>
                    <button type="submit" class="button link small">
                        {move || if hidden { t_string!(i18n, activities.show) } else { t_string!(i18n, activities.hide) }}
                    </button>
                </ActionForm>
                <details class="confirm">
                    <summary class="button link small">{t!(i18n, activities.delete)}</summary>
                    <p>{t!(i18n, activities.delete_confirm_text)}</p>
                    <ActionForm action=delete>
                        <input type="hidden" name="activity_id" value=id/>
                        <button type="submit" class="button danger small">{t!(i18n, activities.delete_confirm)}</button>
                    </ActionForm>
                </details>
            </div>
            {hidden.then(|| view! { <p class="hint">{t!(i18n, activities.hidden_hint)}</p> })}
            {(kind == ActivityKind::Webinar).then(|| view! { <Speakers activity_id=id speaking choices speaker/> })}
            <details class="edit">
                <summary class="button link small">{t!(i18n, activities.edit)}</summary>
                <ActionForm action=update>
                    <input type="hidden" name="activity_id" value=id/>
                    <ActivityFields error=update_error form=Some(form) form_id webinars/>
                    <Submit pending=update.pending()>{t!(i18n, common.save)}</Submit>
                </ActionForm>
            </details>
        </li>
    }
}

/// A webinar's speakers: who they are, and a way to add or remove one.
#[component]
fn Speakers(
    activity_id: i32,
    speaking: Vec<(i32, String)>,
    choices: Vec<(i32, String)>,
    speaker: ServerAction<SetSpeaker>,
) -> impl IntoView {
    let i18n = use_i18n();
    let available: Vec<(i32, String)> = choices
        .into_iter()
        .filter(|(id, _)| !speaking.iter().any(|(s, _)| s == id))
        .collect();
    let select_id = format!("speaker-{activity_id}");
    view! {
        <div class="speakers">
            <span class="eyebrow">{t!(i18n, activities.speakers)}</span>
            {if speaking.is_empty() {
                view! { <span class="aside">{t!(i18n, activities.no_speakers)}</span> }.into_any()
            } else {
                speaking.into_iter().map(|(user_id, name)| view! {
                    <ActionForm action=speaker attr:class="inline-form speaker">
                        <input type="hidden" name="activity_id" value=activity_id/>
                        <input type="hidden" name="user_id" value=user_id/>
                        <input type="hidden" name="assigned" value="false"/>
                        <span>{name.clone()}</span>
                        <button type="submit" class="button link small" aria-label=move || format!("{} {}", t_string!(i18n, activities.remove_speaker), name)>
                            {t!(i18n, activities.remove_speaker)}
                        </button>
                    </ActionForm>
                }).collect_view().into_any()
            }}
            {(!available.is_empty()).then(|| view! {
                <ActionForm action=speaker attr:class="inline-form">
                    <input type="hidden" name="activity_id" value=activity_id/>
                    <input type="hidden" name="assigned" value="true"/>
                    <label class="visually-hidden" for=select_id.clone()>{t!(i18n, activities.choose_speaker)}</label>
                    <select id=select_id name="user_id" required>
                        <option value="">{t!(i18n, activities.choose_speaker)}</option>
                        {available.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                    <button type="submit" class="button secondary small">{t!(i18n, activities.add_speaker)}</button>
                </ActionForm>
            })}
        </div>
    }
}

/// The activity form's fields (inputs named `activity[…]`), grouped by the kinds they serve.
#[component]
fn ActivityFields(
    error: Signal<Option<AppError>>,
    form: Option<ActivityForm>,
    #[prop(into)] form_id: String,
    /// The edition's webinars, for a quiz confirming a recording.
    webinars: Vec<(i32, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = form.unwrap_or_else(|| {
        let quiz = crate::domain::quiz::QuizSettings::default();
        ActivityForm {
            estimated_hours: "1".into(),
            counts: Some("on".into()),
            pass_percent: quiz.pass_percent.to_string(),
            max_attempts: quiz.max_attempts.map(|n| n.to_string()).unwrap_or_default(),
            review_policy: quiz.review.as_str().to_owned(),
            ..Default::default()
        }
    });
    let value = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    let kind = form.kind.clone();
    let kind_id = format!("f-{form_id}-kind");
    let counts_id = format!("f-{form_id}-counts");
    let review_id = format!("f-{form_id}-review");
    let shuffle_id = format!("f-{form_id}-shuffle");
    let confirms_id = format!("f-{form_id}-confirms");
    let kind_problems = move || {
        error
            .get()
            .map(|e| e.problems_of(Field::Kind))
            .unwrap_or_default()
    };
    view! {
        <div class="field-row">
            <div class="field">
                <label for=kind_id.clone()>{t!(i18n, activities.kind)}</label>
                <select id=kind_id name="activity[kind]" required=true>
                    {ActivityKind::ALL.into_iter().map(|k| {
                        let selected = kind == k.as_str();
                        view! { <option value=k.as_str() selected=selected>{move || text::activity_kind(i18n, k)}</option> }
                    }).collect_view()}
                </select>
                <ul class="field-problems">{move || kind_problems().into_iter().map(|p| view! { <li>{text::problem(i18n, p)}</li> }).collect_view()}</ul>
            </div>
            <TextField form=form_id.clone() prefix="activity" field=Field::EstimatedHours error required=true value=value(&form.estimated_hours) hint=t_string!(i18n, activities.hours_hint).to_string()>
                {t!(i18n, activities.estimated_hours)}
            </TextField>
        </div>
        <TextField form=form_id.clone() prefix="activity" field=Field::Title error required=true maxlength=200 value=value(&form.title)>{t!(i18n, fields.title)}</TextField>
        <TextArea form=form_id.clone() prefix="activity" field=Field::Description error rows=3 value=value(&form.description)>{t!(i18n, fields.description)}</TextArea>
        <div class="field-row">
            <TextField form=form_id.clone() prefix="activity" field=Field::OpensAt error input_type="datetime-local" value=value(&form.opens_at)>{t!(i18n, activities.opens_at)}</TextField>
            <TextField form=form_id.clone() prefix="activity" field=Field::DueAt error input_type="datetime-local" value=value(&form.due_at)>{t!(i18n, activities.due_at)}</TextField>
        </div>
        <div class="field checkbox">
            <input type="checkbox" id=counts_id.clone() name="activity[counts]" checked=form.counts.is_some()/>
            <label for=counts_id>{t!(i18n, activities.counts)}</label>
        </div>
        <TextField form=form_id.clone() prefix="activity" field=Field::Url error input_type="url" value=value(&form.url) hint=t_string!(i18n, activities.url_hint).to_string()>{t!(i18n, activities.url)}</TextField>
        <fieldset>
            <legend>{t!(i18n, activities.for_materials)}</legend>
            <TextArea form=form_id.clone() prefix="activity" field=Field::Body error rows=4 value=value(&form.body)>{t!(i18n, activities.body)}</TextArea>
        </fieldset>
        <fieldset>
            <legend>{t!(i18n, activities.for_webinars)}</legend>
            <div class="field-row">
                <TextField form=form_id.clone() prefix="activity" field=Field::StartsAt error input_type="datetime-local" value=value(&form.starts_at)>{t!(i18n, activities.starts_at)}</TextField>
                <TextField form=form_id.clone() prefix="activity" field=Field::DurationMinutes error input_type="number" min=5 max=600 value=value(&form.duration_minutes)>{t!(i18n, activities.duration)}</TextField>
            </div>
            <TextField form=form_id.clone() prefix="activity" field=Field::RecordingUrl error input_type="url" value=value(&form.recording_url)>{t!(i18n, activities.recording_url)}</TextField>
        </fieldset>
        <fieldset>
            <legend>{t!(i18n, quiz.for_quizzes)}</legend>
            <div class="field-row">
                <TextField form=form_id.clone() prefix="activity" field=Field::PassPercent error input_type="number" min=1 max=100 value=value(&form.pass_percent)>{t!(i18n, quiz.pass_percent)}</TextField>
                <TextField form=form_id.clone() prefix="activity" field=Field::MaxAttempts error input_type="number" min=1 max=20 value=value(&form.max_attempts) hint=t_string!(i18n, quiz.blank_unlimited).to_string()>{t!(i18n, quiz.max_attempts)}</TextField>
                <TextField form=form_id.clone() prefix="activity" field=Field::TimeLimitMinutes error input_type="number" min=1 max=600 value=value(&form.time_limit_minutes) hint=t_string!(i18n, quiz.blank_unlimited).to_string()>{t!(i18n, quiz.time_limit)}</TextField>
            </div>
            <div class="field">
                <label for=review_id.clone()>{t!(i18n, quiz.review_policy)}</label>
                <select id=review_id name="activity[review_policy]">
                    <option value="after_submission" selected=form.review_policy != "after_close">{t!(i18n, quiz.after_submission)}</option>
                    <option value="after_close" selected=form.review_policy == "after_close">{t!(i18n, quiz.after_close)}</option>
                </select>
            </div>
            <div class="field checkbox">
                <input type="checkbox" id=shuffle_id.clone() name="activity[shuffle]" checked=form.shuffle.is_some()/>
                <label for=shuffle_id>{t!(i18n, quiz.shuffle)}</label>
            </div>
            {(!webinars.is_empty()).then(|| view! {
                <div class="field">
                    <label for=confirms_id.clone()>{t!(i18n, recording.confirms)}</label>
                    <select id=confirms_id name="activity[confirms_webinar]">
                        <option value="" selected=form.confirms_webinar.is_empty()>{t!(i18n, recording.confirms_none)}</option>
                        {webinars.into_iter().map(|(id, title)| {
                            let selected = form.confirms_webinar == id.to_string();
                            view! { <option value=id selected=selected>{title}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
        </fieldset>
    }
}
