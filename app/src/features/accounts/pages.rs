use super::api::{LogIn, SignUp};
use crate::domain::{Field, password};
use crate::i18n::*;
use crate::ui::forms::{PasswordField, Submit, TextField, action_error};
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
            <p class="aside">{t!(i18n, login.no_account)} " " <a href=move || with_next("/signup", &next())>{t!(i18n, nav.sign_up)}</a></p>
        </section>
    }
}

#[component]
pub fn SignupPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=t_string!(i18n, signup.title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, signup.title)}</h1>
            <p class="lead">{t!(i18n, signup.lead)}</p>
            <ErrorNotice error/>
            <ActionForm action>
                <input type="hidden" name="next" value=next/>
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
            <p class="aside">{t!(i18n, signup.have_account)} " " <a href=move || with_next("/login", &next())>{t!(i18n, nav.log_in)}</a></p>
        </section>
    }
}

/// `path` carrying on where the person was going (`next`), when they were going somewhere.
pub fn with_next(path: &str, next: &str) -> String {
    if next.is_empty() {
        path.to_owned()
    } else {
        let mut query = url_encoded(next);
        query.insert_str(0, "?next=");
        format!("{path}{query}")
    }
}

/// Percent-encodes what a query value must not carry as it is.
fn url_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::with_next;

    #[test]
    fn links_carry_on_where_the_person_was_going() {
        assert_eq!(with_next("/signup", ""), "/signup");
        assert_eq!(
            with_next("/signup", "/editions/7"),
            "/signup?next=/editions/7"
        );
        assert_eq!(
            with_next("/login", "/editions/7?x=1&y=2"),
            "/login?next=/editions/7%3Fx%3D1%26y%3D2"
        );
    }
}
