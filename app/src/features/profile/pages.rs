//! `/account`: the person's own profile; `/change-email/{token}`: the link confirming a new
//! address.

use super::api::{
    ChangeEmail, ChangePassword, ConfirmEmailChange, Profile, RequestNameCorrection, SaveProfile,
    load_profile,
};
use crate::domain::account_links::LinkPurpose;
use crate::domain::{Field, password};
use crate::features::accounts::api::link_address;
use crate::features::accounts::pages::{LinkRefused, token_param};
use crate::features::sso::pages::SignInMethodsSection;
use crate::i18n::*;
use crate::ui::forms::{PasswordField, Submit, TextField, action_error, succeeded};
use crate::ui::messages::{ErrorNotice, Loading, PageError, SuccessNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveProfile>::new();
    let change_password = ServerAction::<ChangePassword>::new();
    let change_email = ServerAction::<ChangeEmail>::new();
    let request = ServerAction::<RequestNameCorrection>::new();
    let data = Resource::new(
        move || (save.version().get(), request.version().get()),
        |_| load_profile(),
    );
    let query = use_query_map();
    let email_changed = move || query.read().get("email_changed").as_deref() == Some("1");
    let complete = move || query.read().get("complete").as_deref() == Some("1");
    view! {
        <Title text=t_string!(i18n, profile.title).to_string()/>
        <header class="page-header">
            <h1>{t!(i18n, profile.title)}</h1>
            <p class="lead">{t!(i18n, profile.lead)}</p>
        </header>
        {move || email_changed().then(|| view! { <SuccessNotice>{t!(i18n, profile.email_changed)}</SuccessNotice> })}
        {move || complete().then(|| view! { <div class="notice warning" role="status">{t!(i18n, profile.complete)}</div> })}
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageError error/> }.into_any(),
                    Ok(mine) => view! {
                        <div class="profile">
                            <NamesSection mine=mine.clone() save request/>
                            <EmailSection mine=mine.clone() change_email/>
                            {mine.has_password.then(|| view! { <PasswordSection change_password/> })}
                            <SignInMethodsSection/>
                            <LanguageSection mine/>
                            <DataSection/>
                        </div>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn NamesSection(
    mine: Profile,
    save: ServerAction<SaveProfile>,
    request: ServerAction<RequestNameCorrection>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(save);
    let saved = succeeded(save);
    let request_error = action_error(request);
    let requested = succeeded(request);
    let locked = mine.certificates > 0;
    let certificates = mine.certificates;
    let pending = mine.pending_correction.clone();
    // Each use gets its own copy: the view's closures take what they use.
    let (given, family) = (mine.given_name.clone(), mine.family_name.clone());
    let (kept_given, kept_family) = (given.clone(), family.clone());
    let school = mine.clone();
    view! {
        <section class="card" aria-labelledby="profile-names">
            <h2 id="profile-names">{t!(i18n, profile.names_title)}</h2>
            <figure class="name-preview">
                <figcaption>{t!(i18n, profile.preview_caption)}</figcaption>
                <p class="printed-name">{mine.printed_name.clone()}</p>
            </figure>
            {move || (saved.get() && error.get().is_none()).then(|| view! { <SuccessNotice>{t!(i18n, profile.saved)}</SuccessNotice> })}
            <ErrorNotice error/>
            {if locked {
                view! {
                    <p class="hint">{move || t_string!(i18n, profile.name_locked, count = certificates).to_string()}</p>
                    // Just sent: the confirmation says it all; otherwise what is still waiting.
                    {move || if requested.get() && request_error.get().is_none() {
                        view! { <SuccessNotice>{t!(i18n, profile.correction_sent)}</SuccessNotice> }.into_any()
                    } else {
                        pending.clone().map(|name| view! {
                            <p class="notice warning">{move || t_string!(i18n, profile.correction_pending, name = name.clone()).to_string()}</p>
                        }).into_any()
                    }}
                    <ErrorNotice error=request_error/>
                    <details class="confirm">
                        <summary class="button secondary">{t!(i18n, profile.request_correction)}</summary>
                        <ActionForm action=request>
                            <div class="field-row">
                                <TextField field=Field::GivenName form="correction" error=request_error autocomplete="given-name" required=true maxlength=80
                                    value=Some(given.clone())>
                                    {t!(i18n, fields.given_name)}
                                </TextField>
                                <TextField field=Field::FamilyName form="correction" error=request_error autocomplete="family-name" required=true maxlength=80
                                    value=Some(family.clone())>
                                    {t!(i18n, fields.family_name)}
                                </TextField>
                            </div>
                            <TextField field=Field::Reason form="correction" error=request_error maxlength=500 input_type="text">
                                {t!(i18n, profile.correction_note)}
                            </TextField>
                            <Submit pending=request.pending()>{t!(i18n, profile.send_correction)}</Submit>
                        </ActionForm>
                    </details>
                    <ActionForm action=save>
                        <input type="hidden" name="given_name" value=kept_given/>
                        <input type="hidden" name="family_name" value=kept_family/>
                        <SchoolFields mine=school error/>
                        <Submit pending=save.pending()>{t!(i18n, profile.save)}</Submit>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <ActionForm action=save>
                        <div class="field-row">
                            <TextField field=Field::GivenName error autocomplete="given-name" required=true maxlength=80
                                value=Some(mine.given_name.clone())>
                                {t!(i18n, fields.given_name)}
                            </TextField>
                            <TextField field=Field::FamilyName error autocomplete="family-name" required=true maxlength=80
                                value=Some(mine.family_name.clone())>
                                {t!(i18n, fields.family_name)}
                            </TextField>
                        </div>
                        <p class="hint">{t!(i18n, signup.name_hint)}</p>
                        <SchoolFields mine=mine.clone() error/>
                        <Submit pending=save.pending()>{t!(i18n, profile.save)}</Submit>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn SchoolFields(mine: Profile, error: Signal<Option<crate::error::AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TextField field=Field::SchoolName error autocomplete="organization" required=true maxlength=200
            value=Some(mine.school_name.clone())>
            {t!(i18n, fields.school_name)}
        </TextField>
        <TextField field=Field::SchoolCode error required=true maxlength=10
            value=Some(mine.school_code.clone())
            hint=t_string!(i18n, signup.school_code_hint).to_string()>
            {t!(i18n, fields.school_code)}
        </TextField>
    }
}

#[component]
fn EmailSection(mine: Profile, change_email: ServerAction<ChangeEmail>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(change_email);
    let email = mine.email.clone();
    view! {
        <section class="card" aria-labelledby="profile-email">
            <h2 id="profile-email">{t!(i18n, profile.email_title)}</h2>
            <p>
                {move || t_string!(i18n, profile.email_current, email = email.clone()).to_string()}
                " "
                {if mine.email_verified {
                    view! { <span class="badge state-done">{t!(i18n, profile.verified)}</span> }.into_any()
                } else {
                    view! { <span class="badge state-attention">{t!(i18n, profile.not_verified)}</span> }.into_any()
                }}
            </p>
            <ErrorNotice error/>
            {mine.has_password.then(|| view! {
                <ActionForm action=change_email>
                    <TextField field=Field::Email error input_type="email" autocomplete="email" required=true>
                        {t!(i18n, profile.new_email)}
                    </TextField>
                    <PasswordField error field=Field::CurrentPassword form="email" autocomplete="current-password">
                        {t!(i18n, profile.current_password)}
                    </PasswordField>
                    <Submit pending=change_email.pending() class="button secondary">{t!(i18n, profile.change_email)}</Submit>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn PasswordSection(change_password: ServerAction<ChangePassword>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(change_password);
    let changed = succeeded(change_password);
    view! {
        <section class="card" aria-labelledby="profile-password">
            <h2 id="profile-password">{t!(i18n, profile.password_title)}</h2>
            {move || (changed.get() && error.get().is_none()).then(|| view! { <SuccessNotice>{t!(i18n, profile.password_changed)}</SuccessNotice> })}
            <ErrorNotice error/>
            <ActionForm action=change_password>
                <PasswordField error field=Field::CurrentPassword form="password" autocomplete="current-password">
                    {t!(i18n, profile.current_password)}
                </PasswordField>
                <PasswordField error form="password" autocomplete="new-password"
                    hint=t_string!(i18n, signup.password_hint, min = password::MIN_CHARS).to_string()>
                    {t!(i18n, account.new_password)}
                </PasswordField>
                <Submit pending=change_password.pending() class="button secondary">{t!(i18n, profile.change_password)}</Submit>
            </ActionForm>
        </section>
    }
}

/// The language of the pages and of Aula's mails: the header's switch, spelled out here.
#[component]
fn LanguageSection(mine: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let option = move |value: &'static str, label: &'static str| {
        view! { <option value=value selected=mine.language == value lang=value>{label}</option> }
    };
    view! {
        <section class="card" aria-labelledby="profile-language">
            <h2 id="profile-language">{t!(i18n, profile.language_title)}</h2>
            <form method="post" action="/api/set_language" class="inline-form">
                <input type="hidden" name="back" value="/account"/>
                <div class="field">
                    <label for="profile-locale">{t!(i18n, profile.language_label)}</label>
                    <select id="profile-locale" name="locale">
                        {option("it", "Italiano")}
                        {option("en", "English")}
                    </select>
                </div>
                <button type="submit" class="button secondary">{t!(i18n, profile.save)}</button>
            </form>
        </section>
    }
}

/// The person's own data in one download (the export), and how long Aula keeps it.
#[component]
fn DataSection() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="profile-data">
            <h2 id="profile-data">{t!(i18n, profile.data_title)}</h2>
            <p>{t!(i18n, profile.data_lead)}</p>
            <p class="actions">
                <a class="button secondary" href="/account/export.zip" download>{t!(i18n, profile.data_download)}</a>
                <a href="/privacy">{t!(i18n, profile.data_privacy)}</a>
            </p>
        </section>
    }
}

/// `/change-email/{token}`: confirms a new address (opening the link changes nothing).
#[component]
pub fn ChangeEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = token_param();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = action_error(action);
    let address = Resource::new(
        move || token.get(),
        |token| link_address(LinkPurpose::ChangeEmail, token),
    );
    view! {
        <Title text=t_string!(i18n, profile.confirm_email_title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, profile.confirm_email_title)}</h1>
            <ErrorNotice error/>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match address.await {
                        Err(error) => view! { <LinkRefused error/> }.into_any(),
                        Ok(email) => view! {
                            <p class="lead">{move || t_string!(i18n, profile.confirm_email_lead, email = email.clone()).to_string()}</p>
                            <ActionForm action>
                                <input type="hidden" name="token" value=move || token.get()/>
                                <Submit pending=action.pending()>{t!(i18n, profile.confirm_email_submit)}</Submit>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
