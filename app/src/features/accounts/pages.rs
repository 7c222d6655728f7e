use super::api::{LogIn, SignUp};
use crate::domain::{Field, password};
use crate::i18n::*;
use crate::ui::forms::{PasswordField, Submit, TextField, action_error};
use crate::ui::layout::use_session;
use crate::ui::messages::ErrorNotice;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    // Actions are created in the page, under the router, so that without JavaScript they pick
    // up the error the server put in the URL.
    let action = ServerAction::<LogIn>::new();
    use_session().refresh_after(action);
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=t_string!(i18n, login.title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, login.title)}</h1>
            <ErrorNotice error/>
            <ActionForm action>
                <input type="hidden" name="next" value=next/>
                <TextField field=Field::Email error input_type="email" autocomplete="email" required=true>
                    {t!(i18n, fields.email)}
                </TextField>
                <PasswordField error autocomplete="current-password">
                    {t!(i18n, fields.password)}
                </PasswordField>
                <Submit pending=action.pending()>{t!(i18n, login.submit)}</Submit>
            </ActionForm>
            <p class="aside">{t!(i18n, login.no_account)} " " <a href="/signup">{t!(i18n, nav.sign_up)}</a></p>
        </section>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignUp>::new();
    use_session().refresh_after(action);
    let error = action_error(action);
    view! {
        <Title text=t_string!(i18n, signup.title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, signup.title)}</h1>
            <p class="lead">{t!(i18n, signup.lead)}</p>
            <ErrorNotice error/>
            <ActionForm action>
                <TextField field=Field::Email error input_type="email" autocomplete="email" required=true>
                    {t!(i18n, fields.email)}
                </TextField>
                <div class="field-row">
                    <TextField field=Field::GivenName error autocomplete="given-name" required=true maxlength=80>
                        {t!(i18n, fields.given_name)}
                    </TextField>
                    <TextField field=Field::FamilyName error autocomplete="family-name" required=true maxlength=80>
                        {t!(i18n, fields.family_name)}
                    </TextField>
                </div>
                <p class="hint">{t!(i18n, signup.name_hint)}</p>
                <TextField field=Field::SchoolName error autocomplete="organization" required=true maxlength=200>
                    {t!(i18n, fields.school_name)}
                </TextField>
                <TextField
                    field=Field::SchoolCode
                    error
                    required=true
                    maxlength=10
                    hint=t_string!(i18n, signup.school_code_hint).to_string()
                >
                    {t!(i18n, fields.school_code)}
                </TextField>
                <PasswordField
                    error
                    autocomplete="new-password"
                    hint=t_string!(i18n, signup.password_hint, min = password::MIN_CHARS).to_string()
                >
                    {t!(i18n, fields.password)}
                </PasswordField>
                <Submit pending=action.pending()>{t!(i18n, signup.submit)}</Submit>
            </ActionForm>
            <p class="aside">{t!(i18n, signup.have_account)} " " <a href="/login">{t!(i18n, nav.log_in)}</a></p>
        </section>
    }
}
