//! `/staff/users/{id}`: one person for staff: who they are, their account, and what staff can
//! do for them (a reset link, closing or reopening the account, correcting the name). Each
//! action asks for a second click and goes on record.

use super::api::{
    AnonymisePerson, CorrectName, PersonDetail, SendResetLink, SetAccountActive, load_person,
};
use crate::domain::Field;
use crate::domain::account::AccountState;
use crate::i18n::*;
use crate::ui::forms::{Submit, TextField, action_error, succeeded};
use crate::ui::messages::{ErrorNotice, Loading, PageError, SuccessNotice, local_time};
use crate::ui::params::{found, id_param};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PersonPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = id_param();
    let reset = ServerAction::<SendResetLink>::new();
    let set_active = ServerAction::<SetAccountActive>::new();
    let correct = ServerAction::<CorrectName>::new();
    let anonymise = ServerAction::<AnonymisePerson>::new();
    let person = Resource::new(
        move || {
            (
                id.get(),
                set_active.version().get(),
                correct.version().get(),
            )
        },
        |(id, _, _)| found(id, load_person),
    );
    view! {
        <nav class="breadcrumbs" aria-label=move || t_string!(i18n, nav.breadcrumbs)>
            <a href="/staff/users">{t!(i18n, users.title)}</a>
        </nav>
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match person.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(person) => view! { <PersonView person reset set_active correct anonymise/> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn state_label(i18n: crate::ui::text::I18n, state: AccountState) -> String {
    match state {
        AccountState::Active => t_string!(i18n, person.state_active),
        AccountState::Inactive => t_string!(i18n, person.state_inactive),
        AccountState::Deactivated => t_string!(i18n, person.state_deactivated),
        AccountState::Anonymised => t_string!(i18n, person.state_anonymised),
    }
    .to_string()
}

#[component]
fn PersonView(
    person: PersonDetail,
    reset: ServerAction<SendResetLink>,
    set_active: ServerAction<SetAccountActive>,
    correct: ServerAction<CorrectName>,
    anonymise: ServerAction<AnonymisePerson>,
) -> impl IntoView {
    let i18n = use_i18n();
    let name = format!("{} {}", person.given_name, person.family_name);
    let state = person.state;
    let (created, last_login) = (person.created_at, person.last_login_at);
    let reset_error = action_error(reset);
    let reset_done = succeeded(reset);
    let active_error = action_error(set_active);
    let correct_error = action_error(correct);
    let anonymise_error = action_error(anonymise);
    let corrected = succeeded(correct);
    let closed = state == AccountState::Deactivated;
    let name_for_erase = name.clone();
    let certificates = person.certificates;
    view! {
        <Title text=name.clone()/>
        <header class="page-header">
            <h1>{name.clone()}</h1>
            <p class="lead">
                <span class=if closed { "badge state-attention" } else { "badge state-done" }>{move || state_label(i18n, state)}</span>
                {person.is_staff.then(|| view! { " " <span class="badge">{t!(i18n, users.staff)}</span> })}
                {person.is_ambassador.then(|| view! { " " <span class="badge">{t!(i18n, users.ambassador)}</span> })}
            </p>
        </header>
        <div class="profile">
            <section class="card" aria-labelledby="person-account">
                <h2 id="person-account">{t!(i18n, person.account_title)}</h2>
                <dl class="facts">
                    <div><dt>{t!(i18n, fields.email)}</dt>
                    <dd>
                        {person.email.clone()} " "
                        {if person.email_verified {
                            view! { <span class="badge state-done">{t!(i18n, profile.verified)}</span> }.into_any()
                        } else {
                            view! { <span class="badge state-attention">{t!(i18n, profile.not_verified)}</span> }.into_any()
                        }}
                    </dd></div>
                    <div><dt>{t!(i18n, fields.school_name)}</dt>
                    <dd>{format!("{} ({})", person.school_name, person.school_code)}</dd></div>
                    <div><dt>{t!(i18n, person.created)}</dt>
                    <dd>{move || local_time(i18n, created)}</dd></div>
                    <div><dt>{t!(i18n, person.last_login)}</dt>
                    <dd>{move || match last_login {
                        Some(at) => local_time(i18n, at),
                        None => t_string!(i18n, person.never).to_string(),
                    }}</dd></div>
                </dl>
            </section>

            <section class="card" aria-labelledby="person-password">
                <h2 id="person-password">{t!(i18n, person.password_title)}</h2>
                <p>{t!(i18n, person.reset_explainer)}</p>
                {move || (reset_done.get() && reset_error.get().is_none()).then(|| view! {
                    <SuccessNotice>{t!(i18n, person.reset_sent)}</SuccessNotice>
                })}
                <ErrorNotice error=reset_error/>
                {(!closed).then(|| view! {
                    <details class="confirm">
                        <summary class="button secondary">{t!(i18n, person.send_reset)}</summary>
                        <ActionForm action=reset>
                            <input type="hidden" name="user_id" value=person.id/>
                            <p>{t!(i18n, person.send_reset_confirm)}</p>
                            <button type="submit" class="button primary small">{t!(i18n, person.send_reset_submit)}</button>
                        </ActionForm>
                    </details>
                })}
            </section>

            <section class="card" aria-labelledby="person-name">
                <h2 id="person-name">{t!(i18n, person.name_title)}</h2>
                <p>{t!(i18n, person.name_explainer)}</p>
                {(certificates > 0).then(|| view! {
                    <p class="hint">{move || t_string!(i18n, person.name_reissue, count = certificates).to_string()}</p>
                })}
                {move || (corrected.get() && correct_error.get().is_none()).then(|| view! {
                    <SuccessNotice>{t!(i18n, person.name_saved)}</SuccessNotice>
                })}
                <ErrorNotice error=correct_error/>
                <ActionForm action=correct>
                    <input type="hidden" name="user_id" value=person.id/>
                    <div class="field-row">
                        <TextField field=Field::GivenName error=correct_error required=true maxlength=80 value=Some(person.given_name.clone())>
                            {t!(i18n, fields.given_name)}
                        </TextField>
                        <TextField field=Field::FamilyName error=correct_error required=true maxlength=80 value=Some(person.family_name.clone())>
                            {t!(i18n, fields.family_name)}
                        </TextField>
                    </div>
                    <TextField field=Field::Reason form="name" error=correct_error required=true maxlength=500>
                        {t!(i18n, person.reason)}
                    </TextField>
                    <Submit pending=correct.pending() class="button secondary">{t!(i18n, person.correct_name)}</Submit>
                </ActionForm>
            </section>

            {(!person.is_me).then(|| view! {
                <section class="card" aria-labelledby="person-state">
                    <h2 id="person-state">{t!(i18n, person.state_title)}</h2>
                    <p>{move || if closed { t_string!(i18n, person.reopen_explainer) } else { t_string!(i18n, person.close_explainer) }}</p>
                    <ErrorNotice error=active_error/>
                    <details class="confirm">
                        <summary class=if closed { "button secondary" } else { "button danger" }>
                            {move || if closed { t_string!(i18n, person.reopen) } else { t_string!(i18n, person.close) }}
                        </summary>
                        <ActionForm action=set_active>
                            <input type="hidden" name="user_id" value=person.id/>
                            <input type="hidden" name="active" value=if closed { "true" } else { "false" }/>
                            <TextField field=Field::Reason form="state" error=active_error required=true maxlength=500>
                                {t!(i18n, person.reason)}
                            </TextField>
                            <button type="submit" class=if closed { "button primary small" } else { "button danger small" }>
                                {move || if closed { t_string!(i18n, person.reopen_submit) } else { t_string!(i18n, person.close_submit) }}
                            </button>
                        </ActionForm>
                    </details>
                </section>
                <section class="card danger-zone" aria-labelledby="person-erase">
                    <h2 id="person-erase">{t!(i18n, person.erase_title)}</h2>
                    <p>{t!(i18n, person.erase_explainer)}</p>
                    <ErrorNotice error=anonymise_error/>
                    <details class="confirm">
                        <summary class="button danger">{t!(i18n, person.erase)}</summary>
                        <ActionForm action=anonymise>
                            <input type="hidden" name="user_id" value=person.id/>
                            <p>{move || t_string!(i18n, person.erase_confirm, name = name_for_erase.clone()).to_string()}</p>
                            <TextField field=Field::Reason form="erase" error=anonymise_error required=true maxlength=500>
                                {t!(i18n, person.reason)}
                            </TextField>
                            <button type="submit" class="button danger small">{t!(i18n, person.erase_submit)}</button>
                        </ActionForm>
                    </details>
                </section>
            })}
        </div>
    }
}
