//! Labelled form fields that show their own translated problems.

use super::text;
use crate::domain::Field;
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The error of an action's latest result, for forms to show.
pub fn action_error<S, T>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Output = T, Error = AppError> + Send + Sync + Clone + 'static,
    T: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|result| result.err()))
}

/// Where the address a plain form post returns to names the server function that succeeded
/// (set by the server, `ssr::form_posts`).
pub const DONE_KEY: &str = "__done";

/// Whether the action's latest call went well: sent from this page, or posted as a plain form
/// (before the page was interactive) by the page that led here.
pub fn succeeded<S, T>(action: ServerAction<S>) -> Signal<bool>
where
    S: leptos::server_fn::ServerFn<Output = T, Error = AppError> + Send + Sync + Clone + 'static,
    T: Clone + Send + Sync + 'static,
{
    let posted = super::params::page_query(DONE_KEY).as_deref() == Some(S::PATH);
    Signal::derive(move || match action.value().get() {
        Some(result) => result.is_ok(),
        None => posted,
    })
}

/// Element ids of a field; `form` tells apart two forms on one page with the same field.
fn field_ids(field: Field, form: Option<&str>) -> (String, String, String) {
    let id = match form {
        Some(form) => format!("f-{form}-{}", field.input_name()),
        None => format!("f-{}", field.input_name()),
    };
    (id.clone(), format!("{id}-hint"), format!("{id}-error"))
}

fn input_name(field: Field, prefix: Option<&str>) -> String {
    match prefix {
        Some(prefix) => format!("{prefix}[{}]", field.input_name()),
        None => field.input_name().to_owned(),
    }
}

/// The problems list under a field; empty (and silent) when there is none.
#[component]
pub fn FieldProblems(
    field: Field,
    error: Signal<Option<AppError>>,
    form: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (_, _, error_id) = field_ids(field, form.as_deref());
    let problems = move || {
        error
            .get()
            .map(|e| e.problems_of(field))
            .unwrap_or_default()
    };
    view! {
        <ul class="field-problems" id=error_id>
            {move || {
                problems()
                    .into_iter()
                    .map(|problem| view! { <li>{text::problem(i18n, problem)}</li> })
                    .collect_view()
            }}
        </ul>
    }
}

#[component]
pub fn TextField(
    field: Field,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The label's text.
    children: Children,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional_no_strip)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] min: Option<i64>,
    #[prop(optional)] max: Option<i64>,
    #[prop(optional)] maxlength: Option<u32>,
    /// Needed when two forms on one page share a field.
    #[prop(optional, into)]
    form: Option<String>,
    /// When the server function takes a struct: inputs are named `prefix[field]`.
    #[prop(optional)]
    prefix: Option<&'static str>,
) -> impl IntoView {
    let (id, hint_id, error_id) = field_ids(field, form.as_deref());
    let name = input_name(field, prefix);
    let has_problem = move || {
        error
            .get()
            .is_some_and(|e| !e.problems_of(field).is_empty())
    };
    let described_by = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field" class:has-problem=has_problem>
            <label for=id.clone()>{children()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id
                name=name
                type=input_type.unwrap_or("text")
                value=value
                autocomplete=autocomplete
                required=required
                min=min
                max=max
                maxlength=maxlength
                aria-invalid=move || if has_problem() { "true" } else { "false" }
                aria-describedby=described_by
            />
            <FieldProblems field error form/>
        </div>
    }
}

/// A checkbox sent as `value` when ticked (nothing when not), with its problems.
#[component]
pub fn CheckboxField(
    field: Field,
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The label's text.
    children: Children,
    #[prop(optional, into)] form: Option<String>,
) -> impl IntoView {
    let (id, _, error_id) = field_ids(field, form.as_deref());
    let has_problem = move || {
        error
            .get()
            .is_some_and(|e| !e.problems_of(field).is_empty())
    };
    view! {
        <div class="field checkbox" class:has-problem=has_problem>
            <input
                type="checkbox"
                id=id.clone()
                name=field.input_name()
                value="true"
                aria-invalid=move || if has_problem() { "true" } else { "false" }
                aria-describedby=error_id
            />
            <label for=id>{children()}</label>
            <FieldProblems field error form/>
        </div>
    }
}

#[component]
pub fn TextArea(
    field: Field,
    #[prop(into)] error: Signal<Option<AppError>>,
    children: Children,
    #[prop(optional_no_strip)] value: Option<String>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional)] maxlength: Option<u32>,
    #[prop(optional, into)] form: Option<String>,
    #[prop(optional)] prefix: Option<&'static str>,
) -> impl IntoView {
    let (id, _, error_id) = field_ids(field, form.as_deref());
    let name = input_name(field, prefix);
    let has_problem = move || {
        error
            .get()
            .is_some_and(|e| !e.problems_of(field).is_empty())
    };
    view! {
        <div class="field" class:has-problem=has_problem>
            <label for=id.clone()>{children()}</label>
            <textarea
                id=id
                name=name
                rows=rows.unwrap_or(6)
                maxlength=maxlength
                aria-invalid=move || if has_problem() { "true" } else { "false" }
                aria-describedby=error_id
            >
                {value.unwrap_or_default()}
            </textarea>
            <FieldProblems field error form/>
        </div>
    }
}

/// A password input with a "show" switch. The switch needs JavaScript, so it appears only once
/// the page is interactive; without it the field is a plain password input.
#[component]
pub fn PasswordField(
    #[prop(into)] error: Signal<Option<AppError>>,
    children: Children,
    autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<String>,
    /// `Password` unless said otherwise (the current password, asked before a change).
    #[prop(optional)]
    field: Option<Field>,
    /// Needed when two forms on one page ask for a password.
    #[prop(optional, into)]
    form: Option<String>,
) -> impl IntoView {
    let field = field.unwrap_or(Field::Password);
    let (id, hint_id, error_id) = field_ids(field, form.as_deref());
    let has_problem = move || {
        error
            .get()
            .is_some_and(|e| !e.problems_of(field).is_empty())
    };
    let described_by = if hint.is_some() {
        format!("{hint_id} {error_id}")
    } else {
        error_id.clone()
    };
    view! {
        <div class="field" class:has-problem=has_problem>
            <label for=id.clone()>{children()}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <PasswordInput id name=field.input_name().to_owned() autocomplete=autocomplete.to_owned() described_by
                invalid=untrack(has_problem)/>
            <FieldProblems field error form/>
        </div>
    }
}

/// The input and its switch: an island, the only part of the field that lives in the browser.
#[island]
fn PasswordInput(
    id: String,
    name: String,
    autocomplete: String,
    described_by: String,
    invalid: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));
    let shown = RwSignal::new(false);
    view! {
        <div class="password-row">
            <input
                id=id.clone()
                name=name
                type=move || if shown.get() { "text" } else { "password" }
                autocomplete=autocomplete
                required=true
                aria-invalid=if invalid { "true" } else { "false" }
                aria-describedby=described_by
            />
            <Show when=move || interactive.get()>
                <button
                    type="button"
                    class="button secondary reveal"
                    aria-controls=id.clone()
                    aria-pressed=move || if shown.get() { "true" } else { "false" }
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    {move || if shown.get() { t_string!(i18n, forms.hide_password) } else { t_string!(i18n, forms.show_password) }}
                </button>
            </Show>
        </div>
    }
}

/// A submit button that says it is working while its action is pending.
#[component]
pub fn Submit(
    #[prop(into)] pending: Signal<bool>,
    children: Children,
    #[prop(optional)] class: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class=class.unwrap_or("button primary") aria-disabled=move || pending.get().to_string()>
            <span class="when-idle" class:hidden=move || pending.get()>{children()}</span>
            <Show when=move || pending.get()>
                <span>{t!(i18n, forms.working)}</span>
            </Show>
        </button>
    }
}
