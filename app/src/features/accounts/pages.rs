use super::api::{LogIn, RequestPasswordReset, ResetPassword, SignUp, VerifyEmail, link_address};
use crate::domain::account_links::LinkPurpose;
use crate::domain::{Field, password};
use crate::features::sso::pages::{SsoButtons, SsoProblemNotice};
use crate::i18n::*;
use crate::ui::forms::{PasswordField, Submit, TextField, action_error};
use crate::ui::messages::{ErrorNotice, Loading, SuccessNotice};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

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
            {move || (query.read().get("reset").as_deref() == Some("1")).then(|| view! {
                <SuccessNotice>{t!(i18n, account.reset_done)}</SuccessNotice>
            })}
            <SsoProblemNotice/>
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
            <SsoButtons next=Signal::derive(next)/>
            <p class="aside"><a href="/password/forgot">{t!(i18n, account.forgot_link)}</a></p>
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
                <TextField
                    field=Field::TaxCode
                    error
                    maxlength=16
                    autocomplete="off"
                    hint=t_string!(i18n, signup.tax_code_hint).to_string()
                >
                    {t!(i18n, fields.tax_code)}
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
            <SsoButtons next=Signal::derive(next)/>
            <p class="aside">{t!(i18n, signup.have_account)} " " <a href=move || with_next("/login", &next())>{t!(i18n, nav.log_in)}</a></p>
        </section>
    }
}

/// The route's `:token` (a mailed link's).
pub fn token_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("token").unwrap_or_default())
}

/// `/check-mail?for=…`: where sign-up, a password reset request and a change of address
/// land. It says the same whether or not a mail was sent.
#[component]
pub fn CheckMailPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reason = move || query.read().get("for").unwrap_or_default();
    view! {
        <Title text=t_string!(i18n, account.check_title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, account.check_title)}</h1>
            <p class="lead">
                {move || match reason().as_str() {
                    "reset" => t_string!(i18n, account.check_reset).to_string(),
                    "change_email" => t_string!(i18n, account.check_change_email).to_string(),
                    "verify" => t_string!(i18n, account.check_verify).to_string(),
                    _ => t_string!(i18n, account.check_sign_up).to_string(),
                }}
            </p>
            <p class="hint">{t!(i18n, account.check_spam)}</p>
            <p class="actions"><a class="button secondary" href="/">{t!(i18n, account.to_home)}</a></p>
        </section>
    }
}

/// `/verify-email/{token}`: the link of the verification mail. Opening it changes nothing (mail
/// scanners open links too); the button confirms the address and signs its owner in.
#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = token_param();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let action = ServerAction::<VerifyEmail>::new();
    let error = action_error(action);
    let address = Resource::new(
        move || token.get(),
        |token| link_address(LinkPurpose::VerifyEmail, token),
    );
    view! {
        <Title text=t_string!(i18n, account.verify_title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, account.verify_title)}</h1>
            <ErrorNotice error/>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match address.await {
                        Err(error) => view! { <LinkRefused error/> }.into_any(),
                        Ok(email) => view! {
                            <p class="lead">{move || t_string!(i18n, account.verify_lead, email = email.clone()).to_string()}</p>
                            <ActionForm action>
                                <input type="hidden" name="token" value=move || token.get()/>
                                <input type="hidden" name="next" value=next/>
                                <Submit pending=action.pending()>{t!(i18n, account.verify_submit)}</Submit>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A mailed link that cannot be used: why, and what to do instead.
#[component]
pub fn LinkRefused(error: crate::error::AppError) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || crate::ui::text::error(i18n, &error);
    view! {
        <div class="notice error" role="alert"><p>{message}</p></div>
        <p class="actions">
            <a class="button secondary" href="/login">{t!(i18n, nav.log_in)}</a>
            " "
            <a class="button secondary" href="/password/forgot">{t!(i18n, account.forgot_link)}</a>
        </p>
    }
}

/// `/password/forgot`: asks for the address to send a reset link to.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    view! {
        <Title text=t_string!(i18n, account.forgot_title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, account.forgot_title)}</h1>
            <p class="lead">{t!(i18n, account.forgot_lead)}</p>
            <ErrorNotice error/>
            <ActionForm action>
                <TextField field=Field::Email error input_type="email" autocomplete="email" required=true>
                    {t!(i18n, fields.email)}
                </TextField>
                <Submit pending=action.pending()>{t!(i18n, account.forgot_submit)}</Submit>
            </ActionForm>
            <p class="aside"><a href="/login">{t!(i18n, account.back_to_login)}</a></p>
        </section>
    }
}

/// `/password/reset/{token}`: the link of the reset mail; a new password, once.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let token = token_param();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    let address = Resource::new(
        move || token.get(),
        |token| link_address(LinkPurpose::ResetPassword, token),
    );
    view! {
        <Title text=t_string!(i18n, account.reset_title).to_string()/>
        <section class="narrow card">
            <h1>{t!(i18n, account.reset_title)}</h1>
            <Suspense fallback=Loading>
                {move || Suspend::new(async move {
                    match address.await {
                        Err(error) => view! { <LinkRefused error/> }.into_any(),
                        Ok(email) => view! {
                            <p class="lead">{move || t_string!(i18n, account.reset_lead, email = email.clone()).to_string()}</p>
                            <ErrorNotice error/>
                            <ActionForm action>
                                <input type="hidden" name="token" value=move || token.get()/>
                                <PasswordField
                                    error
                                    autocomplete="new-password"
                                    hint=t_string!(i18n, signup.password_hint, min = password::MIN_CHARS).to_string()
                                >
                                    {t!(i18n, account.new_password)}
                                </PasswordField>
                                <Submit pending=action.pending()>{t!(i18n, account.reset_submit)}</Submit>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
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
pub fn url_encoded(value: &str) -> String {
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
